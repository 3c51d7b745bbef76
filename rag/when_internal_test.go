package rag

import (
	"slices"
	"testing"

	"policybot/ingest"
)

func TestWhenOfReadsTheTimeAQuestionAsks(t *testing.T) {
	for _, tc := range []struct {
		name, q string
		want    *When
	}{
		{"a year asked without a target word asks what happened", "2018年济源全市生产总值是多少", &When{Years: []int{2018}, Kind: ingest.TimeReview}},
		{"a year asked with a target word asks the target", "2019年济源gdp增长目标定的多少", &When{Years: []int{2019}, Kind: ingest.TimePlan}},
		{"last year is a year relative to each document's own", "去年全市生产总值是多少", &When{Relative: []int{-1}, Kind: ingest.TimeReview}},
		{"this year's targets are relative and planned", "今年的主要预期目标是什么", &When{Relative: []int{0}, Kind: ingest.TimePlan}},
		{"this year without a target or outcome word asks either, as each document has it", "今年新建改造几条城市道路", &When{Relative: []int{0}}},
		{"a span of years asks no single year", "1997年到2018年济源经济总量涨了多少", nil},
		{"a question naming no year asks no time", "济源示范区管委会是什么级别", nil},
		{"a year relative to a document named with its year counts from that year", "2022年政府工作报告回顾上一年城镇新增就业多少人", &When{Years: []int{2021}, Kind: ingest.TimeReview}},
		{"a document named with its year and no relative year keeps the year asked", "2019年政府工作报告赤字率按多少安排的", &When{Years: []int{2019}, Kind: ingest.TimeReview}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			asks, _ := intentsOf(tc.q)
			got := whenOf(tc.q, reYear.FindAllString(tc.q, -1), asks)
			if (got == nil) != (tc.want == nil) {
				t.Fatalf("whenOf(%q) = %+v, want %+v", tc.q, got, tc.want)
			}
			if got != nil && (!slices.Equal(got.Years, tc.want.Years) || !slices.Equal(got.Relative, tc.want.Relative) || got.Kind != tc.want.Kind) {
				t.Errorf("whenOf(%q) = %+v, want %+v", tc.q, got, tc.want)
			}
		})
	}
}

func TestTimeFitComparesThePassagesTimeWithTheTimeAsked(t *testing.T) {
	outcome2018 := &When{Years: []int{2018}, Kind: ingest.TimeReview}
	lastYear := &When{Relative: []int{-1}, Kind: ingest.TimeReview}
	for _, tc := range []struct {
		name      string
		w         *When
		years     []int
		kind      string
		docYear   int
		yr, kind2 float64
	}{
		{"a review of the year asked fits both ways", outcome2018, []int{2018}, ingest.TimeReview, 2019, 1, 1},
		{"the plan of the next year fits neither way", outcome2018, []int{2019}, ingest.TimePlan, 2019, -1, -1},
		{"a passage of unknown time is neutral", outcome2018, nil, "", 2019, 0, 0},
		{"last year is counted from the passage's document", lastYear, []int{2018}, ingest.TimeReview, 2019, 1, 1},
		{"last year of a later document is another year", lastYear, []int{2018}, ingest.TimeReview, 2021, -1, 1},
		{"no time asked is neutral", nil, []int{2018}, ingest.TimeReview, 2019, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			yr, kd := timeFit(tc.w, tc.years, tc.kind, tc.docYear)
			if yr != tc.yr || kd != tc.kind2 {
				t.Errorf("timeFit = %v %v, want %v %v", yr, kd, tc.yr, tc.kind2)
			}
		})
	}
}

func TestAmountFigureTakesTheUnitOfTheQuantityAsked(t *testing.T) {
	for _, q := range quantities {
		f := quantityFigures[slices.IndexFunc(quantities, func(x quantity) bool { return x.name == q.name })].figure
		for _, s := range q.pos {
			t.Run(q.name+" figure matches "+s, func(t *testing.T) {
				if !f.MatchString(s) {
					t.Errorf("%s figure does not match %q", q.name, s)
				}
			})
		}
		for _, s := range q.neg {
			t.Run(q.name+" figure does not match "+s, func(t *testing.T) {
				if f.MatchString(s) {
					t.Errorf("%s figure matches %q", q.name, s)
				}
			})
		}
	}
	t.Run("an area asked takes square kilometres, not kilometres", func(t *testing.T) {
		re := amountFigure("卡塞雷斯的陆地面积是多大")
		if !re.MatchString("陆地管辖面积为1750.33km²") || re.MatchString("距卡塞雷斯63千米") {
			t.Errorf("area figure %v", re)
		}
	})
	t.Run("a quantity of no known kind takes any amount", func(t *testing.T) {
		if amountFigure("目前学校有几个校区") != reAmountFigure {
			t.Error("want the generic amount figure")
		}
	})
}

func TestContentYearsLeaveOutTheYearADocumentIsNamedBy(t *testing.T) {
	for _, tc := range []struct {
		name, q string
		want    []string
	}{
		{"the year of a named report is the report's, not the content's", "2022年政府工作报告回顾上一年城镇新增就业多少人", nil},
		{"a year written again for the content stays", "2019年政府工作报告里2019年gdp目标是多少", []string{"2019"}},
		{"a year naming no document stays", "2018年济源全市生产总值是多少", []string{"2018"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &Analysis{Folded: tc.q, Years: reYear.FindAllString(tc.q, -1)}
			for i, y := range a.Years {
				a.Years[i] = y[:4]
			}
			a.Years = slices.Compact(a.Years)
			if got := contentYears(a); !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Errorf("contentYears(%q) = %v, want %v", tc.q, got, tc.want)
			}
		})
	}
}
