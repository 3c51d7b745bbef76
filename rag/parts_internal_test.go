package rag

import (
	"slices"
	"strings"
	"testing"
)

func TestAQuestionAskingTheSameOfTwoYearsSplitsIntoOneQuestionPerYear(t *testing.T) {
	for _, tc := range []struct {
		name string
		q    string
		want []string
	}{
		{"two years joined by 和 with 分别 give one question each", "济源城镇化率2016年和2018年分别是多少?",
			[]string{"济源城镇化率2016年是多少?", "济源城镇化率2018年是多少?"}},
		{"two years joined by 、 with 各 give one question each", "洛阳2018年、2019年gdp各是多少",
			[]string{"洛阳2018年gdp是多少", "洛阳2019年gdp是多少"}},
		{"one year asks one thing", "济源城镇化率2018年是多少?", nil},
		{"a span of years is no pair of subjects", "1997年到2018年济源gdp分别增长多少", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := splitSubjects(tc.q, yearsWritten(tc.q)); !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestOnlyTwoDocumentNamesJoinedByAConjunctionAreTwoSubjects(t *testing.T) {
	names := func(words ...string) []docName {
		var out []docName
		for _, w := range words {
			out = append(out, docName{word: w, ids: []string{w}})
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		q     string
		names []docName
		want  []string
	}{
		{"two titles' words side by side are the subjects", "讲话和总体方案都怎么说的", names("讲话", "总体方案"), []string{"讲话", "总体方案"}},
		{"common title words apart from each other are not", "济源示范区设了哪两个片区管理办公室", names("示范", "片区", "管理"), nil},
		{"words of titles around a year are not", "济源城镇化率2016年和2018年分别是多少", names("城镇", "2016", "2018"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := joinedDocNames(tc.q, tc.names); !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestABareFirstSubjectSharesTheWordsOfTheSecond(t *testing.T) {
	for _, tc := range []struct {
		name  string
		q     string
		names []string
		want  []string
	}{
		{"a bare first place takes the words after the second", "济源和洛阳gdp分别是多少", []string{"济源", "洛阳"},
			[]string{"济源gdp是多少", "洛阳gdp是多少"}},
		{"a first place with words of its own keeps only them", "济源2018年gdp和洛阳2019年gdp各是多少", []string{"济源", "洛阳"},
			[]string{"济源2018年gdp是多少", "洛阳2019年gdp是多少"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := splitSubjects(tc.q, tc.names); !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestARelativeYearOnlyFramesAQuestion(t *testing.T) {
	for _, w := range []string{"去年", "今年", "前年", "明年"} {
		t.Run(w+" is resolved against each document's year, so an answer need not repeat it", func(t *testing.T) {
			if !isFrameWord(w) {
				t.Errorf("isFrameWord(%q) = false", w)
			}
		})
	}
	t.Run("a word of content is no frame word", func(t *testing.T) {
		if isFrameWord("游客") {
			t.Error("isFrameWord(游客) = true")
		}
	})
}

func TestANationalDocumentIsAnotherPlacesOnlyForALocalQuestion(t *testing.T) {
	head := "2017年中华人民共和国国务院政府工作报告"
	for _, tc := range []struct {
		name   string
		head   string
		places []string
		want   bool
	}{
		{"a national report speaks of no local place", head, []string{"洛阳"}, true},
		{"a national report speaks of the whole country", head, []string{"全国"}, false},
		{"a city's report is no national document", "2019年济源市政府工作报告", []string{"洛阳"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := nationalOnly(tc.head, tc.places); got != tc.want {
				t.Errorf("nationalOnly(%q, %q) = %v, want %v", tc.head, tc.places, got, tc.want)
			}
		})
	}
}

func TestABodysShortNameIsHeldWhereItsFullNameIsWritten(t *testing.T) {
	for _, tc := range []struct {
		name, text, short string
		want              bool
	}{
		{"省政府 is held by a title naming 省人民政府", "河南省人民政府关于印发总体方案的通知", "河南省政府", true},
		{"发改委 is held where 发展改革委 is written", "国家发展改革委关于产城融合示范区建设管理的指导意见", "国家发改委", true},
		{"a text naming no body gains nothing", "加快产城融合", "河南省政府", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := withShortForms(tc.text)
			if !strings.HasPrefix(got, tc.text) {
				t.Fatalf("withShortForms(%q) = %q lost the text itself", tc.text, got)
			}
			if strings.Contains(got, tc.short) != tc.want {
				t.Errorf("withShortForms(%q) = %q, holds %q: want %v", tc.text, got, tc.short, tc.want)
			}
		})
	}
}

func TestASentenceHoldingTheWordAskedBeatsOneHoldingOnlyItsEquivalent(t *testing.T) {
	w := map[string]qterm{
		"gdp": {weight: 2, alts: []string{"gdp", "经济总量", "生产总值"}},
		"洛阳":  {weight: 2, alts: []string{"洛阳"}},
	}
	own := coverageEquiv("2019年洛阳全市gdp达到5035亿元", w, 0.8)
	equiv := coverageEquiv("襄阳经济总量2010年是洛阳的2/3", w, 0.8)
	t.Run("the word itself counts fully", func(t *testing.T) {
		if own != 1 {
			t.Errorf("coverage = %v, want 1", own)
		}
	})
	t.Run("an equivalent alone counts its share", func(t *testing.T) {
		if equiv >= own || equiv != 0.9 {
			t.Errorf("coverage = %v, want 0.9, below the sentence holding gdp (%v)", equiv, own)
		}
	})
	t.Run("plain coverage counts an equivalent fully", func(t *testing.T) {
		if got := coverage("襄阳经济总量2010年是洛阳的2/3", w); got != 1 {
			t.Errorf("coverage = %v, want 1", got)
		}
	})
}

func TestAQuestionNamingABodyByItsShortFormIsKnown(t *testing.T) {
	for q, want := range map[string]bool{
		"依据国家发改委哪份文件": true,
		"河南省政府印发的通知":  true,
		"示范区设了几个片区":   false,
	} {
		t.Run(q, func(t *testing.T) {
			if got := namesShortForm(q); got != want {
				t.Errorf("namesShortForm(%q) = %v, want %v", q, got, want)
			}
		})
	}
}

func TestAYearMayBeWrittenInChineseNumerals(t *testing.T) {
	got := cjkYears("2035")
	for _, want := range []string{"二〇三五", "二○三五", "二零三五"} {
		if !slices.Contains(got, want) {
			t.Errorf("cjkYears(2035) = %q, want %q among them", got, want)
		}
	}
	if cjkYears("十九") != nil || cjkYears("35") != nil {
		t.Error("a word that is no year has Chinese-numeral forms")
	}
}

func TestAQuestionNamingADocumentByItsYearGivesThatYear(t *testing.T) {
	for q, want := range map[string]string{
		"1992年政府工作报告计划国民生产总值增长多少": "1992",
		"2018年的总体方案里人口多少":         "2018",
		"1992年国民生产总值增长多少":         "",
	} {
		t.Run(q, func(t *testing.T) {
			if got := namedDocYear(q); got != want {
				t.Errorf("namedDocYear(%q) = %q, want %q", q, got, want)
			}
		})
	}
}

func TestAQuestionAskingTheSameOfTwoTopicsSplitsIntoOneQuestionPerTopic(t *testing.T) {
	for _, tc := range []struct {
		name, q string
		want    []string
	}{
		{"two topics joined by 和 before 上 give one question each", "济源总体方案在水系生态和污染治理上怎么安排的?",
			[]string{"济源总体方案在水系生态上怎么安排的?", "济源总体方案在污染治理上怎么安排的?"}},
		{"two topics joined by 与 before 方面", "方案在教育与医疗方面有哪些举措",
			[]string{"方案在教育方面有哪些举措", "方案在医疗方面有哪些举措"}},
		{"one topic asks one thing", "总体方案在水系生态上怎么安排的", nil},
		{"two places are no topics of this shape", "济源和洛阳各是什么定位", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := splitTopics(tc.q); !slices.Equal(got, tc.want) {
				t.Errorf("splitTopics(%q) = %q, want %q", tc.q, got, tc.want)
			}
		})
	}
}
