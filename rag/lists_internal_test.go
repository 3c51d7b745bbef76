package rag

import (
	"slices"
	"strings"
	"testing"

	"policybot/ingest"
)

// chunksOf parses a synthetic document the way ingest indexes it.
func chunksOf(t *testing.T, name, text string) []*ingest.Chunk {
	t.Helper()
	f, err := ingest.Parse(name, []byte(text), ingest.DefaultChunkOptions)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*ingest.Chunk, len(f.Chunks))
	for i := range f.Chunks {
		out[i] = &f.Chunks[i]
	}
	return out
}

const ladderDoc = `关于推进城乡建设的实施意见

一、总体要求
坚持统筹推进，加快城乡融合发展，全面提升城乡建设水平。
二、重点任务
（一）完善基础设施
加快建设城乡道路网络，提升供水供电能力。
（二）提升公共服务
推进教育医疗资源均衡配置，扩大优质资源覆盖。
（三）优化生态环境
加强河湖治理，推进国土绿化。
三、保障措施
1.加强组织领导。各部门要明确责任分工。
2.强化资金保障。统筹各类资金投入。
3.严格督促检查。定期通报工作进展。
`

const ordinalParagraphsDoc = `关于加快乡村振兴的意见

今年全市上下要紧紧围绕农业强、农村美、农民富的目标，扎实推进乡村振兴各项工作，确保取得实效。

一是实施乡村建设行动。完善农村道路、供水和电网设施，改善农村人居环境。
二是发展乡村特色产业。培育农产品加工企业，发展休闲农业和乡村旅游。
三是深化农村综合改革。推进农村土地制度改革，发展壮大集体经济。
`

const dashDoc = `关于构建旅游发展格局的通知

根据全市旅游发展规划的总体部署和各地资源禀赋，全市将着力构建三条各具特色的旅游发展带，形成全域旅游新格局。

——沿太行生态旅游发展带。发挥山水资源优势，建设精品景区。
——沿黄河健康养生发展带。发展健康养老产业，完善服务设施。
——沿古城文化体验发展带。挖掘历史文化资源，打造文化品牌。
`

// headingsUnder returns the headings of the group whose items include a
// heading starting with first.
func headingsUnder(groups map[string][]outlineItem, first string) []string {
	for _, key := range sortedKeys(groups) {
		var hs []string
		found := false
		for _, it := range groups[key] {
			hs = append(hs, it.heading)
			found = found || strings.HasPrefix(it.heading, first)
		}
		if found {
			return hs
		}
	}
	return nil
}

func TestListItemsAreCollectedAlongEveryRungOfTheHeadingLadder(t *testing.T) {
	for _, tc := range []struct {
		name string
		doc  string
		want []string // prefixes of the items, in order
	}{
		{"top-level headings 一、二、三、 are the items of one list", ladderDoc, []string{"一、总体要求", "二、重点任务", "三、保障措施"}},
		{"headings （一）（二）（三） under one parent are the items of one list", ladderDoc, []string{"（一）完善基础设施", "（二）提升公共服务", "（三）优化生态环境"}},
		{"headings 1. 2. 3. under one parent are the items of one list", ladderDoc, []string{"1.加强组织领导", "2.强化资金保障", "3.严格督促检查"}},
		{"paragraphs opening 一是 二是 三是 are the items of one list", ordinalParagraphsDoc, []string{"一是实施乡村建设行动", "二是发展乡村特色产业", "三是深化农村综合改革"}},
		{"paragraphs opening with a dash are the items of one list", dashDoc, []string{"——沿太行生态旅游发展带", "——沿黄河健康养生发展带", "——沿古城文化体验发展带"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := headingsUnder(headingGroups(chunksOf(t, "doc.txt", tc.doc)), tc.want[0])
			if len(got) != len(tc.want) {
				t.Fatalf("got items %q, want %d items starting %q", got, len(tc.want), tc.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("item %d is %q, want it to start %q", i+1, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestItemsOfARunInsideAParagraphAreCollectedWithTheTextOpeningThem(t *testing.T) {
	doc := `2019年政府工作报告

在看到成绩的同时，我们也清醒认识到，经济社会发展中还面临不少困难和问题：一是转型发展任务艰巨。传统产业比重过大。二是城市功能亟待完善。市容市貌变化不大。三是民生领域还有不少短板。四是政府工作存在不足。对此，我们一定高度重视。
`
	chunks := chunksOf(t, "report.txt", doc)
	lists := inlineGroups(chunks)
	if len(lists) != 1 {
		t.Fatalf("got %d runs, want 1", len(lists))
	}
	l := lists[0]
	var got []string
	for _, it := range l.items {
		got = append(got, it.heading)
		if !it.quoted || it.chunk.Text[it.start:it.end] != it.heading {
			t.Errorf("item %q is not quoted from its chunk's text at [%d,%d)", it.heading, it.start, it.end)
		}
	}
	want := []string{"一是转型发展任务艰巨", "二是城市功能亟待完善", "三是民生领域还有不少短板", "四是政府工作存在不足"}
	if !slices.Equal(got, want) {
		t.Errorf("got items %q, want %q", got, want)
	}
	if !strings.Contains(l.intro, "困难和问题") || strings.Contains(l.intro, "一是") {
		t.Errorf("got intro %q, want the text before the first item", l.intro)
	}
	t.Run("a run broken off in the middle is no list", func(t *testing.T) {
		broken := chunksOf(t, "b.txt", "标题一二三\n\n我们要做好工作：一是抓好生产。三是抓好安全。\n")
		if ls := inlineGroups(broken); len(ls) != 0 {
			t.Errorf("got %d runs from 一是…三是, want none", len(ls))
		}
	})
}

func TestParagraphsOpeningAlikeAreTheItemsOfAList(t *testing.T) {
	doc := `加快推动各项措施落地落实

今年以来，全市上下认真贯彻各项部署，经济社会发展取得了积极成效，为全年工作打下了坚实基础。

以更加强烈的使命感提高政治站位，坚定发展方向。全市经济保持稳中有进的态势，发展基础不断夯实。

以更加强烈的危机感找准发展差距，着力破解难题。与先进城市相比，我们仍有不少差距。

以更加强烈的紧迫感转变思想观念，强化开放引领。要突破思想观念的束缚，树牢开放意识。

以更加强烈的责任感主动作为，狠抓工作落实。各级干部要真抓实干，推动工作落地。
`
	groups := leadGroups(chunksOf(t, "article.txt", doc))
	if len(groups) != 1 {
		t.Fatalf("got %d groups, want 1", len(groups))
	}
	var got []string
	for _, it := range groups[0] {
		got = append(got, it.heading)
		if it.chunk.Text[it.start:it.end] != it.heading {
			t.Errorf("item %q is not the text of its chunk at [%d,%d)", it.heading, it.start, it.end)
		}
	}
	want := []string{"以更加强烈的使命感提高政治站位，坚定发展方向", "以更加强烈的危机感找准发展差距，着力破解难题",
		"以更加强烈的紧迫感转变思想观念，强化开放引领", "以更加强烈的责任感主动作为，狠抓工作落实"}
	if !slices.Equal(got, want) {
		t.Errorf("got items %q, want %q", got, want)
	}
	t.Run("paragraphs whose openings differ are no list", func(t *testing.T) {
		plain := chunksOf(t, "plain.txt", "标题甲乙丙\n\n经济运行总体平稳。全年增长较快。\n\n社会事业全面进步。教育医疗持续改善。\n\n生态环境明显好转。空气质量不断提升。\n")
		if gs := leadGroups(plain); len(gs) != 0 {
			t.Errorf("got %d groups, want none", len(gs))
		}
	})
}

func TestNumberedSiblingsAreCutIntoTheListsTheyHold(t *testing.T) {
	items := func(hs ...string) []outlineItem {
		var out []outlineItem
		for _, h := range hs {
			out = append(out, outlineItem{heading: h})
		}
		return out
	}
	headings := func(runs [][]outlineItem) [][]string {
		var out [][]string
		for _, run := range runs {
			var hs []string
			for _, it := range run {
				hs = append(hs, it.heading)
			}
			out = append(out, hs)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		in   []outlineItem
		want [][]string
	}{
		{"numbering that starts again at one starts another list",
			items("一、重要意义", "二、总体要求", "实施方案", "一、目标", "二、任务", "三、保障"),
			[][]string{{"一、重要意义", "二、总体要求"}, {"一、目标", "二、任务", "三、保障"}}},
		{"a heading of another rung among numbered siblings is no item",
			items("顺势而为,势如破竹", "一、政治环境", "二、社会环境", "三、法治环境"),
			[][]string{{"一、政治环境", "二、社会环境", "三、法治环境"}}},
		{"siblings without numbers are one list as they are",
			items("坚持解放思想", "坚持规划引领", "坚持精准招商"),
			[][]string{{"坚持解放思想", "坚持规划引领", "坚持精准招商"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := headings(numberedRuns(tc.in)); !slices.EqualFunc(got, tc.want, slices.Equal) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestAQuestionAskingTheSameOfTwoSubjectsSplitsAtTheirConjunction(t *testing.T) {
	for _, tc := range []struct {
		name  string
		q     string
		names []string
		want  []string
	}{
		{"each subject keeps its own year", "洛阳2019年gdp和济源2018年gdp分别是多少?", []string{"洛阳", "济源"},
			[]string{"洛阳2019年gdp是多少?", "济源2018年gdp是多少?"}},
		{"bare names share the predicate", "济源和洛阳各是什么定位", []string{"济源", "洛阳"},
			[]string{"济源是什么定位", "洛阳是什么定位"}},
		{"names given in the other order are found in the question's order", "在中原城市群里,济源与洛阳各自是什么定位", []string{"洛阳", "济源"},
			[]string{"在中原城市群里,济源是什么定位", "在中原城市群里,洛阳是什么定位"}},
		{"without a conjunction between the names there is no split", "济源的面积比洛阳的面积各是多少", []string{"济源", "洛阳"}, nil},
		{"without a word asking of each there is no split", "济源和洛阳的距离是多少", []string{"济源", "洛阳"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := splitSubjects(tc.q, tc.names); !slices.Equal(got, tc.want) {
				t.Errorf("splitSubjects(%q) = %q, want %q", tc.q, got, tc.want)
			}
		})
	}
}

func TestTheWordsNamingADocumentAreHeldByItsSentences(t *testing.T) {
	q := &Analysis{docs: []docName{{word: "总体方案", ids: []string{"plan"}}, {word: "讲话", ids: []string{"speech"}}}}
	for _, tc := range []struct {
		name string
		doc  *ingest.Document
		want string
	}{
		{"a sentence of the plan holds 总体方案", &ingest.Document{ID: "plan"}, " 总体方案"},
		{"a sentence of the speech holds 讲话", &ingest.Document{ID: "speech"}, " 讲话"},
		{"a sentence of another document holds neither", &ingest.Document{ID: "report"}, ""},
		{"a passage of no known document holds neither", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := namedContext(q, tc.doc); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestANumberedHeadingOnALineOfItsOwnIsAHeadingLine(t *testing.T) {
	text := "三、重点任务\n(一)合理划定“三区三线”,促进产城融合可持续发展\n合理划定生态、农业、城镇空间以及生态保护红线。\n(二)推进产业集聚。发展先进制造业。"
	for _, tc := range []struct {
		name     string
		sentence string
		want     bool
	}{
		{"a numbered line without a stop is a heading", "(一)合理划定“三区三线”,促进产城融合可持续发展", true},
		{"the body sentence under it is not", "合理划定生态、农业、城镇空间以及生态保护红线。", false},
		{"a numbered sentence that goes on in its line is not", "(二)推进产业集聚。", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r [2]int
			found := false
			for _, x := range sentenceRanges(text) {
				if text[x[0]:x[1]] == tc.sentence {
					r, found = x, true
				}
			}
			if !found {
				t.Fatalf("no sentence %q in the text", tc.sentence)
			}
			if got := isHeadingLine(text, r); got != tc.want {
				t.Errorf("isHeadingLine(%q) = %v, want %v", tc.sentence, got, tc.want)
			}
		})
	}
}

func TestAHeadingNeedNotRepeatTheWordsNamingItsDocument(t *testing.T) {
	w := map[string]qterm{
		"总体方案": {weight: 6, alts: []string{"总体方案"}}, "方案": {weight: 2, alts: []string{"方案"}},
		"基本原则": {weight: 3, alts: []string{"基本原则"}}, "原则": {weight: 2, alts: []string{"原则"}},
	}
	q := &Analysis{docs: []docName{{word: "总体方案", ids: []string{"plan"}}}}
	t.Run("under the named document only the other words must match", func(t *testing.T) {
		if got := coverage("二、总体要求 › (二)基本原则", withoutNaming(q, w, "plan")); got != 1 {
			t.Errorf("coverage of the heading = %v, want 1", got)
		}
	})
	t.Run("under another document the naming words still count", func(t *testing.T) {
		if got := coverage("二、总体要求 › (二)基本原则", withoutNaming(q, w, "speech")); got >= 0.5 {
			t.Errorf("coverage of the heading = %v, want it below one half", got)
		}
	})
	t.Run("a question of naming words only keeps them", func(t *testing.T) {
		only := map[string]qterm{"总体方案": w["总体方案"]}
		if got := withoutNaming(q, only, "plan"); len(got) != 1 {
			t.Errorf("got %d terms, want the one naming word kept", len(got))
		}
	})
}

func TestAYearInATitleIsNotHeldByAllItsSentences(t *testing.T) {
	q := &Analysis{docs: []docName{{word: "1997", ids: []string{"report"}}, {word: "政府工作报告", ids: []string{"report"}}}}
	if got := namedContext(q, &ingest.Document{ID: "report"}); got != " 政府工作报告" {
		t.Errorf("got %q, want only the words that are not a year", got)
	}
}

func TestTheOddUnnumberedHeadingIsLeftOutOfACountedList(t *testing.T) {
	items := func(hs ...string) []outlineItem {
		var out []outlineItem
		for _, h := range hs {
			out = append(out, outlineItem{heading: h})
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		items []outlineItem
		want  string
	}{
		{"a sub-head before numbered headings is the odd one", items("顺势而为,势如破竹", "一、维护政治安全", "二、推进社会治理", "三、建设法治洛阳", "四、提升政法温度"), "顺势而为,势如破竹"},
		{"all numbered: none is odd", items("一、甲", "二、乙", "三、丙"), ""},
		{"two unnumbered: none is odd", items("甲", "乙", "一、丙"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := unnumbered(tc.items); got != tc.want {
				t.Errorf("unnumbered = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestACutHeadingIsShownWholeFromItsLine(t *testing.T) {
	c := &ingest.Chunk{Text: "二、以市域社会治理现代化为牵引,为加快建设副中心、致力打造增长极提供稳定的社会环境。\n正文。"}
	got := fullHeading(outlineItem{heading: "二、以市域社会治理现代化为牵引,为加快建设副中心…", chunk: c})
	if got != "二、以市域社会治理现代化为牵引,为加快建设副中心、致力打造增长极提供稳定的社会环境" {
		t.Errorf("fullHeading = %q, want the whole heading line without its stop", got)
	}
	if got := fullHeading(outlineItem{heading: "一、总体要求", chunk: c}); got != "一、总体要求" {
		t.Errorf("fullHeading of an uncut heading = %q, want it as it is", got)
	}
}
