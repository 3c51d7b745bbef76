package rag

import (
	"slices"
	"testing"

	"policybot/lexical"
	"policybot/terms"
)

func TestLocalPlacesAreNamesTheSegmenterReadsAsNames(t *testing.T) {
	tok, err := lexical.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{tok: tok, terms: terms.Builtin(), opt: Options{Places: terms.BuiltinPlaces()}, w: DefaultWeights()}
	for _, c := range []struct {
		name, text string
		want       []string
	}{
		{"a district of a title is a place", "源城区第八次党代会明确新阶段工作重点", []string{"源城"}},
		{"a district the segmenter cuts into characters is a place", "伊滨区现在聚焦的城市定位", []string{"伊滨"}},
		{"a district the dictionary knows as a place is one", "海陵区关于审批制度改革", []string{"海陵"}},
		{"a town is a place", "坡头镇", []string{"坡头"}},
		{"地区 after a word is no district of 点地", "加强重点地区防控", nil},
		{"城镇 of 城镇化率 after a year is no town of 年城", "2018年城镇化率", nil},
		{"区级 after a word is no district of 上线", "徐汇上线区级疫情防控平台", nil},
		{"城区 after 里 is no district of 里城", "总体方案里城区要改造哪四条河", nil},
		{"a common noun ending in 区 is no place", "城乡居民住宅区", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := e.localPlaces(c.text); !slices.Equal(got, c.want) {
				t.Errorf("localPlaces(%q) = %v, want %v", c.text, got, c.want)
			}
		})
	}
}

func TestNamingWordsWeighByHowFewDocumentsTheyNameAndHowRareTheyAre(t *testing.T) {
	e := &Engine{w: DefaultWeights()}
	names := []docName{
		{word: "济源", ids: []string{"jy-report", "jy-plan"}, spec: specificity(2, 2000)},
		{word: "2019", ids: []string{"jy-report", "cn-report", "gs-report", "gd-report"}, spec: specificity(4, 2000)},
		{word: "增长", ids: []string{"news"}, spec: specificity(1, 2000)},
	}
	w := map[string]qterm{"济源": {weight: 6}, "2019": {weight: 4}, "增长": {weight: 0.5}}
	about := e.aboutDocs(nil, names, w)
	t.Run("the document named by the place and the year is the best named", func(t *testing.T) {
		for id, s := range about {
			if id != "jy-report" && s >= about["jy-report"] {
				t.Errorf("%s (%.2f) named as well as jy-report (%.2f)", id, s, about["jy-report"])
			}
		}
	})
	t.Run("another place's document sharing only the year is named less than the place's other document", func(t *testing.T) {
		if about["cn-report"] >= about["jy-plan"] {
			t.Errorf("cn-report %.2f, jy-plan %.2f", about["cn-report"], about["jy-plan"])
		}
	})
	t.Run("a word common in passages names its one document weakly", func(t *testing.T) {
		if about["news"] >= about["jy-plan"] {
			t.Errorf("news %.2f, jy-plan %.2f", about["news"], about["jy-plan"])
		}
	})
}

func TestSearchedDocumentsAreTheBestNamedAndTiesAreTakenAllOrNone(t *testing.T) {
	w := DefaultWeights()
	w.AboutDocs, w.AboutSearch = 2, 0.3
	t.Run("documents below the least share are not searched", func(t *testing.T) {
		got := searchedDocs(map[string]float64{"a": 0.9, "b": 0.2}, w)
		if !slices.Equal(got, []string{"a"}) {
			t.Errorf("got %v", got)
		}
	})
	t.Run("a tie across the limit leaves the tied documents out", func(t *testing.T) {
		got := searchedDocs(map[string]float64{"a": 0.9, "b": 0.5, "c": 0.5}, w)
		if !slices.Equal(got, []string{"a"}) {
			t.Errorf("got %v", got)
		}
	})
	t.Run("a tie within the limit is searched whole", func(t *testing.T) {
		got := searchedDocs(map[string]float64{"a": 0.5, "b": 0.5}, w)
		if !slices.Equal(got, []string{"a", "b"}) {
			t.Errorf("got %v", got)
		}
	})
}
