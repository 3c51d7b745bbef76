package ingest

import (
	"strings"
	"testing"
)

func TestSplitLongCutsAtAFullStopRatherThanInsideASemicolonList(t *testing.T) {
	lead := strings.Repeat("全省经济运行稳中有进，民生事业持续改善。", 3) // 60 runes
	list := "企业复工要做到“六个到位”：责任落实到位；防控方案制定到位；员工信息排查到位；联动防控机制到位；防控物资到位；安全生产保障到位。"
	tail := strings.Repeat("企业复工申报审核通过后，员工还需每日打卡。", 5)
	text := lead + list + tail
	pieces := splitLong(text, ChunkOptions{Target: 120, Max: 200}) // the middle falls inside the list
	rs := []rune(text)
	for _, p := range pieces {
		piece := string(rs[p[0]:p[1]])
		t.Run("the piece ending "+string([]rune(piece)[len([]rune(piece))-6:])+" ends at a full stop", func(t *testing.T) {
			if strings.HasSuffix(piece, "；") {
				t.Errorf("piece %q ends inside the list, at a semicolon", piece)
			}
			if len([]rune(piece)) > 200 {
				t.Errorf("piece of %d runes, want at most 200", len([]rune(piece)))
			}
		})
	}
	t.Run("a run of semicolons with no full stop within reach is still cut at one", func(t *testing.T) {
		items := strings.Repeat("加强基础设施建设，完善公共服务体系；", 20) // 360 runes, no full stop
		for _, p := range splitLong(items, ChunkOptions{Target: 100, Max: 150}) {
			piece := string([]rune(items)[p[0]:p[1]])
			if len([]rune(piece)) > 150 {
				t.Errorf("piece of %d runes, want at most 150", len([]rune(piece)))
			}
			if !strings.HasSuffix(piece, "；") {
				t.Errorf("piece %q not cut at a semicolon", piece)
			}
		}
	})
}

func TestAParagraphEndingInAColonStartsTheChunkOfWhatItIntroduces(t *testing.T) {
	var b strings.Builder
	b.WriteString("某市暴雨预警与响应条例\n\n")
	for i := 0; i < 4; i++ {
		b.WriteString("各级人民政府应当根据暴雨天气预警及灾情发展，加强值班值守，做好防御工作。\n")
	}
	b.WriteString("第十七条 暴雨橙色预警响应措施：\n")
	b.WriteString("中小学校的学生可以延迟上学，上学、放学途中的学生应当就近到安全场所暂避。\n")
	b.WriteString("用人单位可以根据情况推迟上班或者提前下班。\n")
	f, err := Parse("law.txt", []byte(b.String()), ChunkOptions{Target: 120, Max: 180})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range f.Chunks {
		if strings.HasSuffix(strings.TrimSpace(c.Text), "响应措施：") {
			t.Errorf("chunk %q ends with the lead of a list", c.Text)
		}
		if strings.Contains(c.Text, "响应措施：") && strings.Contains(c.Text, "延迟上学") {
			found = true
		}
	}
	if !found {
		t.Error("no chunk holds the lead with the first item it introduces")
	}
	for _, c := range f.Chunks {
		if strings.Contains(c.Text, "提前下班") && !strings.Contains(c.Section, "暴雨橙色预警响应措施") {
			t.Errorf("the chunk of an item has section %q, want it headed by the lead", c.Section)
		}
	}
	t.Run("a lead before a numbered heading leaves the heading to head what follows", func(t *testing.T) {
		text := "某市政府工作报告\n\n一、工作回顾\n\n一年来，我们主要做了以下工作：\n(一)推进重点攻坚。全年完成投资一百亿元。\n"
		f, err := Parse("report.txt", []byte(text), DefaultChunkOptions)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range f.Chunks {
			if strings.Contains(c.Section, "以下工作") {
				t.Errorf("section %q is headed by the lead, want the numbered heading's", c.Section)
			}
		}
	})
}
