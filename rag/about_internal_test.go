package rag

import (
	"slices"
	"strings"
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

func TestAQuestionWordNamesATitleOnlyAsWholeWordsOfBoth(t *testing.T) {
	tok, err := lexical.NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{tok: tok, terms: terms.Builtin(), opt: Options{Places: terms.BuiltinPlaces()}, w: DefaultWeights()}
	names := func(question, word, title string) bool {
		whole := wholeWords(question, e.wordSpans(question), word)
		return strings.Contains(title, word) && namesHead(title, e.wordSpans(title), whole, question)
	}
	for _, c := range []struct {
		name, question, word, title string
		want                        bool
	}{
		{"a title that is the word is named", "巴尔的摩属于哪一种气候", "巴尔的摩", "巴尔的摩", true},
		{"a whole word of a compound title names it", "香港的人口数为多少", "香港", "香港人口", true},
		{"a name as several whole words of a title names it", "2025年政府工作报告提了什么", "政府", "2025年济源市政府工作报告", true},
		{"a place stem names the title holding it with its suffix", "济源今年经济增长多少", "济源", "2025年济源市政府工作报告", true},
		{"a part of a sub-word of the question names what the whole names", "总体方案在污染治理这块提了哪些要求", "方案", "关于印发洛阳市伊滨区总体方案的通知", true},
		{"a person is not the theory named after him", "邓小平复出后恢复了什么制度", "邓小平", "邓小平理论", false},
		{"an island is not named by its place", "台湾在哪一年开始实行地方自治", "台湾", "台湾岛", false},
		{"a document's genre ending a compound title word names it", "方案支持哪两家医院", "方案", "济源国家产城融合示范区总体方案", true},
		{"a title word the question holds whole names it however the question was cut", "电视剧中的歌曲收录在哪张专辑", "电视", "格斗天王 (电视剧)", true},
		{"a body is not named by the end of its name", "高尔连任了多少届众议院议员", "众议院", "美国众议院", false},
		{"a kind is not named by the end of a title word", "义大利的发展和哪一个帝国有关", "帝国", "西罗马帝国", false},
		{"a word inside a title word neither beginning nor ending it names nothing", "人民生活怎么样", "人民", "中华人民共和国国旗", false},
		{"a part of a longer word of the question names nothing of its own", "社会民主党在哪一天举行的选举中大受打击", "民主党", "民主党_(美国)", false},
		{"a place stem names a body named after the place", "济源今年经济增长多少", "济源", "济源市政府", true},
		{"a Chinese body is named without the country its name is understood to carry", "2025年国务院政府工作报告把赤字率定在多少", "国务院", "2025年中华人民共和国国务院政府工作报告", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := names(c.question, c.word, c.title); got != c.want {
				t.Errorf("%q of %q names %q: %v, want %v (whole %q, spans %v)", c.word, c.question, c.title, got, c.want,
					wholeWords(c.question, e.wordSpans(c.question), c.word), e.wordSpans(c.title))
			}
		})
	}
	t.Run("without a tagging tokenizer every occurrence names", func(t *testing.T) {
		if !namesHead("邓小平理论", nil, "邓小平", "") {
			t.Error("namesHead without spans should read every occurrence")
		}
	})
}
