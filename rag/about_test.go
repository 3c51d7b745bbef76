package rag_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"policybot/rag"
)

// workReport is a city's work report in the words every work report uses:
// its body speaks of 全市, never of the city by name; only the title and
// the issuer say which city it is about.
func workReport(city, mayor, gdp, growth, jobs string) string {
	return "2019年" + city + "市政府工作报告\n" +
		city + "市人民政府市长 " + mayor + "\n\n" +
		"一、2018年工作回顾\n\n" +
		"过去一年，全市经济运行稳中有进。全市生产总值完成" + gdp + "亿元，增长" + growth + "%。" +
		"一般公共预算收入稳步增长，固定资产投资保持平稳。\n\n" +
		"民生事业持续改善，城镇新增就业" + jobs + "万人，城乡居民收入稳定增长。\n\n" +
		"二、2019年主要目标\n\n" +
		"今年经济社会发展的主要预期目标是：生产总值增长7%左右，城镇新增就业5万人以上。\n"
}

// genreCorpus is two work reports of two cities sharing every word but
// the city's, many more of other cities that repeat the question's words
// more often than either, and documents of other kinds: by words alone,
// the report of the city asked about is not the best.
func genreCorpus() map[string]string {
	files := map[string]string{
		"a.txt": workReport("许昌", "张明", "2830.6", "8.5", "6.2"),
		"b.txt": workReport("漯河", "李强", "1578.4", "7.9", "3.1"),
		"c.txt": "关于加强城市绿化管理的通知\n\n各区县人民政府：\n\n为改善人居环境，现就加强城市绿化管理通知如下。" +
			"新建小区绿地率不得低于百分之三十。\n",
		"d.txt": "农村公路养护管理办法\n\n第一条 为加强农村公路养护管理，制定本办法。\n\n第二条 县级人民政府负责本行政区域内农村公路的养护。\n",
	}
	for i, city := range []string{"南阳", "信阳", "商丘", "开封", "安阳", "新乡", "焦作", "鹤壁"} {
		files[fmt.Sprintf("o%d.txt", i)] = "2019年" + city + "市政府工作报告\n" + city + "市人民政府\n\n一、2018年工作回顾\n\n" +
			fmt.Sprintf("2018年生产总值完成%d亿元，生产总值增长%d%%，生产总值总量再创新高，城镇新增就业%d万人，城镇新增就业稳定。\n", 3000+i*100, 6+i%3, 4+i%5)
	}
	return files
}

func TestAQuestionNamingAPlacePrefersThatPlacesDocument(t *testing.T) {
	eng := corpusEngine(t, genreCorpus(), nil)
	for _, c := range []struct {
		name, question, source, want, other string
	}{
		{"a question naming 许昌 is answered from 许昌's report, not 漯河's", "许昌2018年生产总值是多少？", "a.txt", "2830.6", "1578.4"},
		{"a question naming 漯河 is answered from 漯河's report, not 许昌's", "漯河2018年生产总值是多少？", "b.txt", "1578.4", "2830.6"},
		{"a place named by its short form in another question shape finds its report too", "18年漯河城镇新增就业多少人？", "b.txt", "3.1", "6.2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := eng.Answer(context.Background(), rag.Query{Question: c.question}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Passages) == 0 || !strings.HasSuffix(res.Passages[0].Source, c.source) {
				t.Fatalf("first passage is not of %s: %+v", c.source, res.Passages)
			}
			if !res.Answered || !strings.Contains(res.Answer, c.want) || strings.Contains(res.Answer, c.other) {
				t.Errorf("answer %q: want %s, not the other city's %s", res.Answer, c.want, c.other)
			}
		})
	}
}

func TestAQuestionNamingAPlaceWithNoDocumentIsNotAnsweredFromAnotherPlaces(t *testing.T) {
	eng := corpusEngine(t, genreCorpus(), nil)
	for _, q := range []string{"周口2018年生产总值是多少？", "周口城镇新增就业多少万人？"} {
		t.Run("a question about 周口 is refused, though 许昌's and 漯河's reports hold the same words: "+q, func(t *testing.T) {
			res, err := eng.Answer(context.Background(), rag.Query{Question: q}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if res.Answered {
				t.Errorf("answered %q from another place's report", res.Answer)
			}
		})
	}
}

// yearlyReports is one body's work report of many years, each reviewing
// the year before in the same words with its own figure.
func yearlyReports() map[string]string {
	files := map[string]string{}
	for y := 2010; y <= 2025; y++ {
		files[fmt.Sprintf("y%d.txt", y)] = fmt.Sprintf("%d年省政府工作报告\n\n各位代表：\n\n现在，我代表省人民政府，向大会报告工作。\n\n", y) +
			fmt.Sprintf("一、%d年工作回顾\n\n过去一年，全省经济稳中有进，城镇新增就业%d万人，居民收入稳步增长。\n\n", y-1, 100+y%50) +
			fmt.Sprintf("二、%d年工作安排\n\n今年城镇新增就业目标为%d万人以上。\n", y, 90+y%50)
	}
	return files
}

func TestAQuestionNamingAReportByItsYearIsAnsweredFromThatReport(t *testing.T) {
	eng := corpusEngine(t, yearlyReports(), nil)
	for _, c := range []struct {
		name, question, source, want string
	}{
		{"the year before a named report's year is read in that report's review", "2022年政府工作报告回顾上一年，城镇新增就业多少人？", "y2022.txt", "122万"},
		{"another year's report is named the same way", "2016年政府工作报告里上一年城镇新增就业多少人？", "y2016.txt", "116万"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := eng.Answer(context.Background(), rag.Query{Question: c.question}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Answered || !strings.Contains(res.Answer, c.want) {
				t.Fatalf("answer %q: want %s from %s", res.Answer, c.want, c.source)
			}
			if len(res.Passages) == 0 || !strings.HasSuffix(res.Passages[0].Source, c.source) {
				t.Errorf("first passage is not of %s", c.source)
			}
		})
	}
}

// planNotice is a notice putting a plan into force: its opening passages
// repeat the plan's name; one passage deep inside holds a term found
// nowhere else.
func planNotice() map[string]string {
	var b strings.Builder
	b.WriteString("某省人民政府关于印发某市城乡融合示范区总体方案的通知\n\n各市人民政府：\n\n")
	b.WriteString("现将《某市城乡融合示范区总体方案》印发给你们，请认真组织实施。\n\n")
	b.WriteString("某市城乡融合示范区总体方案\n\n为推动示范区建设，按照有关要求，特制定本总体方案。\n\n")
	for i, h := range []string{"一、总体要求", "二、重点任务", "三、保障措施"} {
		b.WriteString(h + "\n\n")
		b.WriteString("坚持规划引领，统筹推进城乡基础设施建设，完善公共服务体系，提升治理能力。\n\n")
		if i == 1 {
			b.WriteString("完善城市水系。加快青溪河、白石河、柳湾河、松林河四条水系改造，打造滨水生态廊道。\n\n")
		}
	}
	files := map[string]string{"plan.txt": b.String()}
	for i, city := range []string{"甲", "乙", "丙", "丁"} {
		files[fmt.Sprintf("o%d.txt", i)] = city + "县城市建设工作报告\n\n全县加快城区道路改造，推进老旧小区改造，城区面貌明显改善。\n"
	}
	return files
}

func TestAQuestionNamingADocumentRanksItsPassageHoldingTheTermAboveItsOpening(t *testing.T) {
	eng := corpusEngine(t, planNotice(), nil)
	res, err := eng.Answer(context.Background(), rag.Query{Question: "总体方案里城区要改造哪四条河？"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the passage naming the four rivers ranks above the passages repeating the plan's name", func(t *testing.T) {
		rank := 0
		for i, p := range res.Passages {
			if strings.Contains(p.Text, "青溪河") {
				rank = i + 1
				break
			}
		}
		// The notice's title passage may stay first; the plan's opening
		// passages, which only repeat its name, must not come before.
		if rank == 0 || rank > 2 {
			var got []string
			for _, p := range res.Passages {
				got = append(got, string([]rune(p.Text)[:min(20, len([]rune(p.Text)))]))
			}
			t.Fatalf("first passages %q, want the one naming 青溪河", got)
		}
	})
	t.Run("the answer names the rivers", func(t *testing.T) {
		if !res.Answered || !strings.Contains(res.Answer, "青溪河") {
			t.Errorf("answer %q, want the four rivers", res.Answer)
		}
	})
}

func TestAPassageHoldingTheKindOfThingAskedOutranksOnesOnlyRepeatingTheQuestion(t *testing.T) {
	files := map[string]string{}
	for i, topic := range []string{"政法工作", "招商引资", "营商环境", "科技创新", "乡村振兴", "生态保护"} {
		files[fmt.Sprintf("a%d.txt", i)] = topic + "要服务副中心城市建设\n\n全市上下要深入学习副中心城市建设推进会精神，加快推进副中心城市建设，" + topic + "要走在前列。\n"
	}
	files["b.txt"] = "加快副中心城市建设\n\n今年3月，省委省政府高规格召开副中心城市建设推进会，明确提出打造新的增长极。各部门要抓好落实。\n"
	eng := corpusEngine(t, files, nil)
	res, err := eng.Answer(context.Background(), rag.Query{Question: "副中心城市建设推进会是几月份开的？"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the passage dating the meeting ranks first", func(t *testing.T) {
		if len(res.Passages) == 0 || !strings.HasSuffix(res.Passages[0].Source, "b.txt") {
			var got []string
			for _, p := range res.Passages {
				got = append(got, p.Source)
			}
			t.Fatalf("passages %v, want b.txt first", got)
		}
	})
	t.Run("the answer gives the month", func(t *testing.T) {
		if !res.Answered || !strings.Contains(res.Answer, "3月") {
			t.Errorf("answer %q, want 3月", res.Answer)
		}
	})
}
