package rag

import (
	"fmt"
	"testing"

	"policybot/lexical"
)

// nearMissTests are the table tests of the checks of nearmiss.go, by check
// name, for TestRefusalChecks.
func nearMissTests() map[string][]struct {
	name    string
	in      refusalInput
	refuses bool
} {
	speech := Passage{Title: "在济源产城融合示范区成立暨机构改革动员大会上的讲话",
		Text: "1988年6月25日,经国务院批准,济源正式撤县建市。省委对济源实行省直管体制。"}
	report := Passage{Title: "2019年济源市政府工作报告", Date: "2019-02-16",
		Text: "加强对外开放平台建设,济源海关正式获批。较好完成了市十四届人大三次会议确定的各项目标任务。今年政府工作要认真落实市委十二届八次全会要求。"}
	plan := Passage{Title: "济源国家产城融合示范区总体方案",
		Text: "推动城镇建设空间重点向中心城区以及承留镇、思礼镇、克井镇、五龙口镇、轵城镇等小城镇倾斜。发挥邵原镇省际交界区位优势,打造商贸特色镇。"}
	// refusalInput puts its passage's section where the sentence before
	// an answer's sentence goes in its context.
	stagesPlan := Passage{Title: "济源国家产城融合示范区总体方案", Section: "到2020年,综合实力显著增强。", Text: "常住人口城镇化率超过65%。"}
	unled := Passage{Title: "济源国家产城融合示范区总体方案", Section: "综合实力显著增强。", Text: "常住人口城镇化率超过65%。"}
	return map[string][]struct {
		name    string
		in      refusalInput
		refuses bool
	}{
		"event-date": {
			{"a sentence dating the event asked passes", refusalInput{question: "济源哪年撤县建市", passage: speech,
				answer: "1988年6月25日,经国务院批准,济源正式撤县建市。", cover: 1, terms: map[string]float64{"撤县": 3, "建市": 3}}, false},
			{"an answer with no date at all refuses, whatever the document's own date", refusalInput{question: "济源海关哪天正式开关运行", passage: report,
				answer: "加强对外开放平台建设,济源海关正式获批。", cover: 1, terms: map[string]float64{"海关": 3, "开关": 3, "运行": 2}}, true},
			{"a time of the day or an era dates an event", refusalInput{question: "长宗我部家何时成为丰臣家的从属势力", passage: speech,
				answer: "四国征伐后，长宗我部家随即成为丰臣家的从属势力。", cover: 1, terms: map[string]float64{"从属": 3, "势力": 3}}, false},
			{"a question about the document itself is left to the date check", refusalInput{question: "这份报告是哪天作的", passage: report,
				answer: "加强对外开放平台建设。", cover: 1, terms: map[string]float64{"作": 1}}, false},
			{"how long is no when", refusalInput{question: "建设用了多长时间", passage: report,
				answer: "加强对外开放平台建设。", cover: 1, terms: map[string]float64{"建设": 2}}, false},
		},
		"cause": {
			{"a why of a figure answered with its cause passes", refusalInput{question: "土地出让收入为什么增长130%", passage: report,
				answer: "得益于土地收储加快,土地出让收入14.6亿元,增长130%。", cover: 1}, false},
			{"a why of a figure answered with the figure alone refuses", refusalInput{question: "土地出让收入为什么增长130%", passage: report,
				answer: "全年完成土地收储3941亩,土地出让收入14.6亿元,增长130%。", cover: 1}, true},
			{"a why of no figure or change is not checked: its cause may be told without cue words", refusalInput{question: "百济复国的梦想为什么彻底破灭了", passage: report,
				answer: "唐军在白江口惨败，扶余丰出奔高句丽，百济复国的梦想彻底破灭。", cover: 1}, false},
			{"为什么 after a verb asks what, not why", refusalInput{question: "天门冬又称之为什么？", passage: report,
				answer: "天门冬又称丝冬、天棘。", cover: 1}, false},
		},
		"quoted-title": {
			{"a title a passage quotes passes", refusalInput{question: "《总体方案》定了哪些目标", passage: Passage{Title: "讲话", Text: "根据《总体方案》,示范区有两个阶段性目标。"},
				answer: "根据《总体方案》,示范区有两个阶段性目标。", cover: 1}, false},
			{"a title in no passage found refuses", refusalInput{question: "《济源产城融合示范区建设三年行动计划》定了哪些目标", passage: plan,
				answer: plan.Text, cover: 1}, true},
			{"a title written with a variant character passes", refusalInput{question: "《西游记》是哪个朝代的小说", passage: Passage{Title: "四大名著", Text: "明代的《西遊記》、《紅樓夢》合称四大名著。"},
				answer: "明代的《西遊記》、《紅樓夢》合称四大名著。", cover: 1}, false},
			{"a short title whose bigrams the index holds passes", refusalInput{question: "《远乡》属于哪一种类型的片子", passage: plan,
				answer: plan.Text, cover: 1, docs: map[string]int{lexical.BigramPrefix + "远乡": 1}}, false},
		},
		"meeting-session": {
			{"the session asked in a passage found passes", refusalInput{question: "市十四届人大三次会议确定了哪些目标", passage: report,
				answer: report.Text, cover: 1}, false},
			{"another session of the same term refuses", refusalInput{question: "济源十四届人大五次会议定了哪些目标", passage: report,
				answer: report.Text, cover: 1}, true},
			{"a plenum of the party committee by its numbers refuses when only another is found", refusalInput{question: "济源市委十二届九次全会提了什么要求", passage: report,
				answer: report.Text, cover: 1}, true},
			{"a session among several listed passes", refusalInput{question: "省委十届八次全会提了什么要求", passage: Passage{Title: "报告", Text: "全面贯彻省委十届六次、八次全会精神。"},
				answer: "全面贯彻省委十届六次、八次全会精神。", cover: 1}, false},
		},
		"share-scope": {
			{"a share of the scope asked passes", refusalInput{question: "电商交易额占全省比重多少", passage: report,
				answer: "电商交易额占全省的12%。", cover: 1, terms: map[string]float64{"电商": 3, "交易额": 3}}, false},
			{"the scope named only by another figure's sentence refuses", refusalInput{question: "电商交易额占全省比重多少", passage: report,
				answer: "商品房销售面积增长30.1%,居全省第1位。电商交易额增长93%。", cover: 1, terms: map[string]float64{"电商": 3, "交易额": 3}}, true},
		},
		"role": {
			{"the post of the body asked, held by someone, passes", refusalInput{question: "源城区委书记是谁", passage: report,
				answer: "区委书记 张三 作 报告", cover: 1}, false},
			{"the post of another body refuses though a person holds it", refusalInput{question: "源城区委书记是谁", passage: report,
				answer: "学习 张三 总书记 重要 讲话", cover: 1}, true},
			{"a company named without its chairman refuses", refusalInput{question: "凯盛科技集团董事长是谁", passage: report,
				answer: "我市与凯盛科技集团签署战略合作框架协议。", cover: 1}, true},
		},
		"unseen-indicator": {
			{"an indicator some document names passes", refusalInput{question: "济源 永久基本农田 保有量 是 多少 万亩", passage: plan,
				answer: "划定永久基本农田58.11万亩。", cover: 1, docs: map[string]int{"保有量": 2}}, false},
			{"an indicator no document names refuses", refusalInput{question: "济源 耕地 保有量 是 多少 万亩", passage: plan,
				answer: "建成10万亩高标准粮田。", cover: 1}, true},
			{"a figure of its stem gives it", refusalInput{question: "图书馆 藏书量 是 多少", passage: plan,
				answer: "图书馆藏书81.6万册。", cover: 1}, false},
			{"an amount of its stem gives it (总投资 for 投资额)", refusalInput{question: "云招商 签 了 多少 投资额", passage: plan,
				answer: "签署了总投资13.66亿元人民币的合作协议。", cover: 1}, false},
			{"a cousin's figure beside the stem refuses (销售面积 for 销售额)", refusalInput{question: "商品房 销售额 增长 了 多少", passage: plan,
				answer: "商品房销售面积增长30.1%。", cover: 1}, true},
			{"an unseen word of a clause that does not ask is left alone", refusalInput{question: "电力 需求量 不断 上升 ， 用电量 多过 几倍", passage: plan,
				answer: "2011年用电量比1950年多过13倍。", cover: 1, docs: map[string]int{"用电量": 3}}, false},
		},
		"place-shaped": {
			{"a county named where the answer is passes", refusalInput{question: "源城区第八次党代会提出了什么目标", passage: Passage{Title: "源城区第八次党代会明确新阶段工作重点", Text: "源城区第八次党代会明确提出了总体目标。"},
				answer: "源城区第八次党代会明确提出了总体目标。", cover: 1, names: []string{"源城区", "党代会"}}, false},
			{"another county's congress refuses though the congress vouches", refusalInput{question: "东源县第八次党代会提出了什么目标", passage: Passage{Title: "源城区第八次党代会明确新阶段工作重点", Text: "源城区第八次党代会明确提出了总体目标。"},
				answer: "源城区第八次党代会明确提出了总体目标。", cover: 1, names: []string{"东源县", "党代会"}}, true},
			{"a region named by a common word is left alone", refusalInput{question: "江南地区大部分庄园为谁所有", passage: plan,
				answer: "世族与寺院的庄园大部分都是多方经营。", cover: 1, names: []string{"江南地区"}}, false},
		},
		"lead-year": {
			{"a figure led by the year asked passes", refusalInput{question: "到2020年常住人口城镇化率要达到多少", passage: stagesPlan,
				answer: "常住人口城镇化率超过65%。", cover: 1, terms: map[string]float64{"城镇化率": 4}}, false},
			{"a figure led by another year refuses", refusalInput{question: "到2025年常住人口城镇化率要达到多少", passage: stagesPlan,
				answer: "常住人口城镇化率超过65%。", cover: 1, terms: map[string]float64{"城镇化率": 4}}, true},
			{"a figure led by no year is left to the other checks", refusalInput{question: "到2025年常住人口城镇化率要达到多少", passage: unled,
				answer: "常住人口城镇化率超过65%。", cover: 1, terms: map[string]float64{"城镇化率": 4}}, false},
		},
		"listed-term": {
			{"a member given a figure of its own passes", refusalInput{question: "新增 就业 里 高校毕业生 有 多少 人", passage: report,
				answer: "全年新增就业1.5万余人,其中高校毕业生、退役军人等重点群体3000人。", cover: 1, terms: map[string]float64{"新增": 2, "就业": 2, "高校毕业生": 4}}, false},
			{"a member named only in a list, beside the figure of the whole, refuses", refusalInput{question: "新增 就业 里 高校毕业生 有 多少 人", passage: report,
				answer: "突出做好高校毕业生、农村富余劳动力等重点群体就业工作。全年新增就业1.5万余人。", cover: 1, terms: map[string]float64{"新增": 2, "就业": 2, "高校毕业生": 4}}, true},
			{"a member named outside any list passes", refusalInput{question: "新增 就业 里 高校毕业生 有 多少 人", passage: report,
				answer: "高校毕业生就业3000人。", cover: 1, terms: map[string]float64{"新增": 2, "就业": 2, "高校毕业生": 4}}, false},
		},
		"listed-name": {
			{"a place given something of its own passes", refusalInput{question: "邵原镇要打造成什么镇", passage: plan, names: []string{"邵原"},
				answer: "发挥邵原镇省际交界区位优势,打造商贸特色镇。", cover: 1, terms: map[string]float64{"打造": 3}}, false},
			{"a place named only in a list closed by 等 refuses", refusalInput{question: "克井镇要打造成什么特色镇", passage: plan, names: []string{"克井"},
				answer: "推动城镇建设空间重点向中心城区以及承留镇、思礼镇、克井镇、五龙口镇、轵城镇等小城镇倾斜。", cover: 1, terms: map[string]float64{"打造": 3, "特色": 2}}, true},
			{"a list the question itself starts is left alone", refusalInput{question: "除了承留镇、思礼镇，还有哪个镇", passage: plan, names: []string{"承留", "思礼"},
				answer: "推动城镇建设空间重点向中心城区以及承留镇、思礼镇、克井镇、五龙口镇、轵城镇等小城镇倾斜。", cover: 1, terms: map[string]float64{"打造": 3}}, false},
			{"a list without 等 may be the whole answer", refusalInput{question: "克井镇在哪个片区", passage: plan, names: []string{"克井"},
				answer: "北部片区有承留镇、克井镇、五龙口镇。", cover: 1, terms: map[string]float64{"片区": 3}}, false},
		},
	}
}

func TestEventDateLooksForTheDateInThePassageOfTheEvent(t *testing.T) {
	e := testEngine()
	tests := []struct {
		name    string
		samePas bool
		refuses bool
	}{
		{"a date of another passage and another thing refuses", false, true},
		{"a date of the event's own passage passes", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := refusalInput{question: "呼南高铁济源段哪年开工", passage: Passage{Title: "2019年济源市政府工作报告", Text: "加快呼南高铁济源段线路及站点选址工作。"},
				answer: "加快呼南高铁济源段线路及站点选址工作。", more: []string{"到2025年生产总值有望超过1000亿元。"}, cover: 1,
				terms: map[string]float64{"呼南": 4, "高铁": 3, "开工": 3}}
			c := in.refusalCase()
			if !tt.samePas {
				c.f.passages = append(c.f.passages, Passage{Title: "讲话", Text: "到2025年生产总值有望超过1000亿元。"})
				c.f.ex.picked[len(c.f.ex.picked)-1].pass = 1
			}
			why := checkEventDate(e, c)
			if got := why != ""; got != tt.refuses {
				t.Errorf("refuses = %v (%q), want %v", got, why, tt.refuses)
			}
		})
	}
}

func TestAsksRoleReadsThePostWithItsBody(t *testing.T) {
	tests := []struct{ q, post string }{
		{"源城区委书记是谁", "区委书记"},
		{"人大常委会主任是谁", "常委会主任"},
		{"凯盛科技集团董事长是谁", "董事长"},
		{"责任编辑是谁", "编辑"},
	}
	for _, tt := range tests {
		t.Run(tt.q+" asks of "+tt.post, func(t *testing.T) {
			m := reAsksRole.FindStringSubmatch(tt.q)
			if m == nil || m[1] != tt.post {
				t.Errorf("post of %q = %v, want %q", tt.q, m, tt.post)
			}
		})
	}
}

func TestMeetingSessionsReadsTermAndSessions(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"市十四届人大五次会议", "[[14 5]]"},
		{"济源市第十四届人民代表大会第四次会议", "[[14 4]]"},
		{"省委十届六次、八次全会", "[[10 6] [10 8]]"},
		{"第二十届中央委员会第三次全体会议", "[[20 3]]"},
		{"十四五规划", "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := fmt.Sprint(meetingSessions(tt.text))
			if got != tt.want {
				t.Errorf("meetingSessions(%q) = %s, want %s", tt.text, got, tt.want)
			}
		})
	}
}

func TestCJKIntReadsNumeralsBelowAHundred(t *testing.T) {
	for s, want := range map[string]int{"五": 5, "十": 10, "十四": 14, "二十": 20, "二十三": 23, "12": 12, "百": 0} {
		t.Run(s, func(t *testing.T) {
			if got := cjkInt(s); got != want {
				t.Errorf("cjkInt(%q) = %d, want %d", s, got, want)
			}
		})
	}
}
