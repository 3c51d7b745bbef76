package ingest

import (
	"os"
	"slices"
	"strings"
	"testing"

	"policybot/fold"
)

func TestTimeCuesTable(t *testing.T) {
	for _, c := range compiledCues {
		for _, s := range c.pos {
			t.Run(c.name+" matches "+s, func(t *testing.T) {
				if !c.re.MatchString(fold.String(s)) {
					t.Errorf("%s does not match %q", c.name, s)
				}
			})
		}
		for _, s := range c.neg {
			t.Run(c.name+" does not match "+s, func(t *testing.T) {
				if c.re.MatchString(fold.String(s)) {
					t.Errorf("%s matches %q", c.name, s)
				}
			})
		}
	}
}

func TestPeriodOfResolvesAgainstTheDocumentsYear(t *testing.T) {
	for _, tc := range []struct {
		name    string
		text    string
		year    int
		g       genre
		heading bool
		want    period
	}{
		{"a heading naming a year under review gives that year's outcomes", "一、2018年工作回顾", 2019, genreReport, true, period{[]int{2018}, TimeReview}},
		{"a heading naming a year's arrangements gives that year's targets", "二、2019年工作安排", 2019, genreReport, true, period{[]int{2019}, TimePlan}},
		{"the past year of a report is the year before it", "过去一年,面对严峻复杂的形势", 2019, genreReport, false, period{[]int{2018}, TimeReview}},
		{"this year of a work report is its own year's plan", "今年经济社会发展主要预期目标是", 2019, genreReport, false, period{[]int{2019}, TimePlan}},
		{"this year of a year-end summary is its own year's outcome", "今年全市生产总值完成", 2018, genreSummary, false, period{[]int{2018}, TimeReview}},
		{"this year of a speech names the year only", "今年全国两会", 2019, genreOther, false, period{[]int{2019}, ""}},
		{"this year so far is an outcome", "今年以来,全市经济运行平稳", 2019, genreOther, false, period{[]int{2019}, TimeReview}},
		{"a target year of a plan is that year's target", "到2020年,综合实力显着增强", 2017, genreOther, false, period{[]int{2020}, TimePlan}},
		{"a span ending in a year is no target", "从1997年到2018年的22年间,全市生产总值增长了14.4倍", 2019, genreOther, false, period{}},
		{"a relative cue in an undated document says nothing", "过去一年", 0, genreOther, false, period{}},
		{"a heading word is not read in running text", "按照国家发展改革委的工作部署", 2017, genreOther, false, period{}},
		{"the same word in a heading is", "五、工作部署", 2017, genreOther, true, period{nil, TimePlan}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := periodOf(fold.String(tc.text), tc.year, tc.g, tc.heading)
			if !slices.Equal(got.years, tc.want.years) || got.kind != tc.want.kind {
				t.Errorf("periodOf(%q) = %v %q, want %v %q", tc.text, got.years, got.kind, tc.want.years, tc.want.kind)
			}
		})
	}
}

// A report of year Y: every chunk of its review section is about Y−1 and
// an outcome, every chunk of its arrangements about Y and a target, even
// where the heading says only 过去一年 or 今年; a speech's chunks with no
// cue stay undated.
func TestChunksTakeTheTimeOfTheirSection(t *testing.T) {
	report := strings.Join([]string{
		"2021年某市政府工作报告",
		"二〇二一年一月二十日在某市人民代表大会上",
		"一、过去一年工作回顾",
		"过去一年,全市上下攻坚克难,经济社会发展稳中有进。初步核算,生产总值完成500亿元,增长6%。" + strings.Repeat("各项事业全面进步,人民生活持续改善。", 12),
		"(一)产业转型取得新进展。新增规模以上工业企业30家,工业增加值增长7%。" + strings.Repeat("产业结构不断优化,创新能力持续增强。", 12),
		"二、今年工作安排",
		"今年经济社会发展主要预期目标是:生产总值增长7%左右,一般公共预算收入增长8%。" + strings.Repeat("全面完成各项任务,推动高质量发展。", 12),
		"(一)扩大有效投资。实施重点项目100个,完成投资300亿元。" + strings.Repeat("强化要素保障,加快项目建设进度。", 12),
	}, "\n")
	f, err := Parse("report.txt", []byte(report), DefaultChunkOptions)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Documents) != 1 || f.Documents[0].Date != "2021-01-20" {
		t.Fatalf("documents: %+v", f.Documents)
	}
	var review, plan int
	for _, c := range f.Chunks {
		if c.Kind != KindBody || c.Section == "" {
			continue
		}
		top := strings.Split(c.Section, SectionSep)[0]
		switch {
		case strings.Contains(top, "回顾"):
			review++
			if !slices.Equal(c.Years, []int{2020}) || c.TimeKind != TimeReview {
				t.Errorf("review chunk %q: years %v kind %q, want [2020] review", c.Section, c.Years, c.TimeKind)
			}
		case strings.Contains(top, "安排"):
			plan++
			if !slices.Equal(c.Years, []int{2021}) || c.TimeKind != TimePlan {
				t.Errorf("plan chunk %q: years %v kind %q, want [2021] plan", c.Section, c.Years, c.TimeKind)
			}
		}
	}
	if review < 2 || plan < 2 {
		t.Fatalf("want at least two chunks of each section, got %d review and %d plan", review, plan)
	}
}

func TestWorkReportsFirstChapterReviewsThePreviousYear(t *testing.T) {
	report := func(title, chapter string) string {
		return strings.Join([]string{
			title,
			"二〇二五年一月十三日在某省人民代表大会上",
			"各位代表:",
			"现在,我代表省人民政府,向大会报告工作,请予审议。",
			chapter,
			"2024年是新中国成立75周年,也是全省发展历程中具有里程碑意义的一年。" + strings.Repeat("全省经济运行稳中有进,各项事业全面进步。", 12),
			"初步统计,全省地区生产总值57761亿元、增长5.5%。" + strings.Repeat("产业结构不断优化,创新能力持续增强。", 12),
		}, "\n")
	}
	tests := []struct {
		name, title, chapter string
		years                []int
		kind                 string
	}{
		{"a work report's unmarked first chapter reviews the year before", "2025年某省政府工作报告", "一、牢记殷殷嘱托,在接续奋斗中取得新成效", []int{2024}, TimeReview},
		{"a chapter's own cue still decides", "2025年某省政府工作报告", "一、2025年工作安排", []int{2025}, TimePlan},
		{"another genre's first chapter says nothing", "某省关于推进产业发展的实施意见", "一、牢记殷殷嘱托,在接续奋斗中取得新成效", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("report.txt", []byte(report(tt.title, tt.chapter)), DefaultChunkOptions)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, c := range f.Chunks {
				if c.Kind != KindBody || c.Section == "" {
					continue
				}
				n++
				if !slices.Equal(c.Years, tt.years) || c.TimeKind != tt.kind {
					t.Errorf("chunk %q: years %v kind %q, want %v %q", c.Section, c.Years, c.TimeKind, tt.years, tt.kind)
				}
			}
			if n == 0 {
				t.Fatal("no chunk of the chapter")
			}
		})
	}
}

func TestSeedDocumentsTimes(t *testing.T) {
	parse := func(name string) *File {
		raw, err := os.ReadFile("../seeds/" + name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(name, raw, DefaultChunkOptions)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	t.Run("the 2019 work report reviews 2018 and plans 2019", func(t *testing.T) {
		f := parse("001_44e69a047cd4008f.txt")
		for _, c := range f.Chunks {
			sec := fold.String(c.Section)
			switch {
			case strings.HasPrefix(sec, "一、2018年工作回顾"):
				if !slices.Equal(c.Years, []int{2018}) || c.TimeKind != TimeReview {
					t.Errorf("%s: %v %q", c.Section, c.Years, c.TimeKind)
				}
			case strings.HasPrefix(sec, "二、2019年工作安排"):
				if !slices.Equal(c.Years, []int{2019}) || c.TimeKind != TimePlan {
					t.Errorf("%s: %v %q", c.Section, c.Years, c.TimeKind)
				}
			}
		}
	})
	t.Run("the speech's growth since 1997 is given no time", func(t *testing.T) {
		f := parse("000_268244c505393083.txt")
		for _, c := range f.Chunks {
			if strings.Contains(c.Text, "从1997年到2018年") && (len(c.Years) > 0 || c.TimeKind != "") {
				t.Errorf("chunk %q: %v %q", c.Text[:60], c.Years, c.TimeKind)
			}
		}
	})
	t.Run("the plan's development targets are for 2020 and 2025", func(t *testing.T) {
		f := parse("002_6b19721ce7bbca47.txt")
		found := false
		for _, c := range f.Chunks {
			if strings.HasSuffix(c.Section, "(三)发展目标") {
				found = true
				want := []int{2020}
				if strings.Contains(c.Folded, "到2025年") {
					want = []int{2020, 2025}
				}
				if !slices.Equal(c.Years, want) || c.TimeKind != TimePlan {
					t.Errorf("%s: %v %q, want %v", c.Section, c.Years, c.TimeKind, want)
				}
			}
		}
		if !found {
			t.Fatal("no chunk under (三)发展目标")
		}
	})
}

// A plan section setting targets for several years (到2020年…到2025年…
// 到2035年) is about each of them, whichever its opening words name first;
// a review chunk takes no target years from the text it reports.
func TestPlanChunkIsAboutEveryTargetYearItSets(t *testing.T) {
	cases := []struct {
		name, text string
		years      []int
	}{
		{"targets after full stops are each taken", "到2020年底,完成顶层设计.到2025年,突破关键技术.到2035年,形成新业态.", []int{2020, 2025, 2035}},
		{"targets after Chinese full stops are each taken", "到2020年,基本建成。到2030年,全面建成。", []int{2020, 2030}},
		{"a span from one year to another is no target", "到2020年,基本建成。从1997年到2018年的22年间增长较快。", []int{2020}},
		{"a year named twice is taken once", "到2020年,基本建成。到2020年底,全面完成。", []int{2020}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := withTargetYears([]int{2020}, tc.text)
			if !slices.Equal(got, tc.years) {
				t.Errorf("withTargetYears = %v, want %v", got, tc.years)
			}
		})
	}
	t.Run("a chunk under a plan heading takes the target years of its text", func(t *testing.T) {
		doc := strings.Join([]string{
			"某行业发展指导意见",
			"一、总体要求",
			"(三)战略目标.",
			"到2020年底,基本完成顶层设计,组织开展基础共性技术攻关.到2025年,突破一批关键技术,成为全球创新中心.到2035年,较为全面地掌握核心技术." + strings.Repeat("各项工作稳步推进,发展环境持续改善.", 6),
			"二、工作回顾",
			"过去五年,我们完成了到2015年的各项任务,行业规模持续扩大,技术水平明显提高." + strings.Repeat("各项事业全面进步,人民生活持续改善.", 6),
		}, "\n")
		f, err := Parse("plan.txt", []byte(doc), DefaultChunkOptions)
		if err != nil {
			t.Fatal(err)
		}
		var seen bool
		for _, c := range f.Chunks {
			if c.Kind != KindBody || !strings.Contains(c.Folded, "到2025年") {
				continue
			}
			seen = true
			for _, y := range []int{2020, 2025, 2035} {
				if !slices.Contains(c.Years, y) || c.TimeKind != TimePlan {
					t.Errorf("chunk %q: years %v kind %q, want %d among plan years", c.Section, c.Years, c.TimeKind, y)
				}
			}
		}
		if !seen {
			t.Fatal("no chunk holds the targets")
		}
	})
}
