package rag

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// checkPassages imitate retrieved passages, including the traditional-script
// seed with its pinyin annotations.
var checkPassages = []Passage{
	{
		Title:   "2019年濟(jì)源市政府工作報(bào)告",
		Section: "一、2018年工作回顧",
		Text:    "全市生產(chǎn)總值完成641.8億元,增長(zhǎng)8.3%,居全省第5位。進(jìn)出口總值完成135億元。居民人均可支配收入達(dá)33307元。",
	},
	{
		Title:   "济源国家产城融合示范区总体方案",
		Section: "重要意义",
		Date:    "2017-06-07",
		Text:    "豫政〔2017〕20号。2016年人均生产总值达到7.3万元,城镇化率接近60%,中心城区常住人口超过40万。设立虎岭高新技术产业开发区和玉川产业集聚区2个片区管理办公室。",
	},
	{
		Title: "源城区第八次党代会明确新阶段工作重点",
		Text:  "力争“十四五”期末常住人口突破百万。推动三大产业协调高质量发展。",
	},
	{
		Title: "2019年濟源市政府工作報告",
		Text:  "―二O一九年二月十六日在濟(jì)源市第十四屆人民代表大會(huì)第四次會(huì)議上",
	},
}

func TestCheckAnswer(t *testing.T) {
	const warn = FigureWarning
	tests := []struct {
		name        string
		answer      string
		passages    []Passage // checkPassages when nil
		wantAnswer  string
		wantCited   []int
		wantUnsup   []string
		wantUncited bool
		wantRefused bool
	}{
		{
			name:       "a valid citation is kept and a backed figure is not marked",
			answer:     "济源2018年生产总值641.8亿元[1]。",
			wantAnswer: "济源2018年生产总值641.8亿元[1]。",
			wantCited:  []int{1},
		},
		{
			name:       "a citation beyond the passages is removed and the valid one kept",
			answer:     "城镇化率接近60%[2][7]。",
			wantAnswer: "城镇化率接近60%[2]。",
			wantCited:  []int{2},
		},
		{
			name:        "an answer whose only citation is invalid is uncited",
			answer:      "城镇化率接近60% [9]。",
			wantAnswer:  "城镇化率接近60%。",
			wantUncited: true,
		},
		{
			name:        "an answer without citations is uncited",
			answer:      "城镇化率接近60%。",
			wantAnswer:  "城镇化率接近60%。",
			wantUncited: true,
		},
		{
			name:       "a comma list of citations becomes separate brackets",
			answer:     "人口数据见资料[1,2]。",
			wantAnswer: "人口数据见资料[1][2]。",
			wantCited:  []int{1, 2},
		},
		{
			name:       "full-width, lenticular and labelled brackets are normalized",
			answer:     "甲[资料2]。乙【1】。丙［３］。",
			wantAnswer: "甲[2]。乙[1]。丙[3]。",
			wantCited:  []int{2, 1, 3},
		},
		{
			name:       "a range citation expands and is clipped to the passages",
			answer:     "见[3-6]。",
			wantAnswer: "见[3][4]。",
			wantCited:  []int{3, 4},
		},
		{
			name:       "repeated citations in one run are written once",
			answer:     "见[1][1] [1、2]。",
			wantAnswer: "见[1][2]。",
			wantCited:  []int{1, 2},
		},
		{
			name:       "cited numbers are listed in order of first use",
			answer:     "甲[2]。乙[1][2]。丙[2]。",
			wantAnswer: "甲[2]。乙[1][2]。丙[2]。",
			wantCited:  []int{2, 1},
		},
		{
			name:       "a bracketed four-digit year is not a citation",
			answer:     "文号为豫政[2017]20号[2]。",
			wantAnswer: "文号为豫政[2017]20号[2]。",
			wantCited:  []int{2},
		},
		{
			name:       "a figure that is not in the cited passage marks the sentence",
			answer:     "生产总值增长9.5%[1]。城镇化率接近60%[2]。",
			wantAnswer: "生产总值增长9.5%[1]。" + warn + "城镇化率接近60%[2]。",
			wantCited:  []int{1, 2},
			wantUnsup:  []string{"生产总值增长9.5%。"},
		},
		{
			name:       "a figure backed only by a passage the sentence does not cite is marked",
			answer:     "城镇化率接近60%[1]。",
			wantAnswer: "城镇化率接近60%[1]。" + warn,
			wantCited:  []int{1},
			wantUnsup:  []string{"城镇化率接近60%。"},
		},
		{
			name:       "traditional 億 and pinyin noise in the passage back simplified figures",
			answer:     "进出口总值135亿元，生产总值增长8.3%[1]。",
			wantAnswer: "进出口总值135亿元，生产总值增长8.3%[1]。",
			wantCited:  []int{1},
		},
		{
			name:       "a changed decimal is marked",
			answer:     "生产总值641.9亿元[1]。",
			wantAnswer: "生产总值641.9亿元[1]。" + warn,
			wantCited:  []int{1},
			wantUnsup:  []string{"生产总值641.9亿元。"},
		},
		{
			name:       "a changed magnitude is marked",
			answer:     "生产总值641.8万元[1]。",
			wantAnswer: "生产总值641.8万元[1]。" + warn,
			wantCited:  []int{1},
			wantUnsup:  []string{"生产总值641.8万元。"},
		},
		{
			name:       "the same value written out in full is backed",
			answer:     "生产总值64,180,000,000元[1]。",
			wantAnswer: "生产总值64,180,000,000元[1]。",
			wantCited:  []int{1},
		},
		{
			name:       "percentage points are not a percent",
			answer:     "增长8.3个百分点[1]。",
			wantAnswer: "增长8.3个百分点[1]。" + warn,
			wantCited:  []int{1},
			wantUnsup:  []string{"增长8.3个百分点。"},
		},
		{
			name:       "a percent is not a plain number",
			answer:     "中心城区常住人口超过40%[2]。",
			wantAnswer: "中心城区常住人口超过40%[2]。" + warn,
			wantCited:  []int{2},
			wantUnsup:  []string{"中心城区常住人口超过40%。"},
		},
		{
			name:       "full-width digits and percent sign are compared half-width",
			answer:     "增长８．３％[1]。",
			wantAnswer: "增长８．３％[1]。",
			wantCited:  []int{1},
		},
		{
			name:       "thousands separators and spaces are ignored",
			answer:     "人均可支配收入33,307元，即33 307元[1]。",
			wantAnswer: "人均可支配收入33,307元，即33 307元[1]。",
			wantCited:  []int{1},
		},
		{
			name:       "a Chinese ordinal matches an Arabic one",
			answer:     "居全省第五位[1]。",
			wantAnswer: "居全省第五位[1]。",
			wantCited:  []int{1},
		},
		{
			name:       "a wrong rank is marked",
			answer:     "居全省第3位[1]。",
			wantAnswer: "居全省第3位[1]。" + warn,
			wantCited:  []int{1},
			wantUnsup:  []string{"居全省第3位。"},
		},
		{
			name:       "100万 is backed by 百万",
			answer:     "常住人口力争突破100万[3]。",
			wantAnswer: "常住人口力争突破100万[3]。",
			wantCited:  []int{3},
		},
		{
			name:       "七点三万 is backed by 7.3万",
			answer:     "人均生产总值达到七点三万元[2]。",
			wantAnswer: "人均生产总值达到七点三万元[2]。",
			wantCited:  []int{2},
		},
		{
			name:       "a small Chinese count found in the passage is backed",
			answer:     "要推动三大产业协调发展[3]。",
			wantAnswer: "要推动三大产业协调发展[3]。",
			wantCited:  []int{3},
		},
		{
			name:       "a small Chinese count absent from the passage is marked",
			answer:     "要推动五大产业协调发展[3]。",
			wantAnswer: "要推动五大产业协调发展[3]。" + warn,
			wantCited:  []int{3},
			wantUnsup:  []string{"要推动五大产业协调发展。"},
		},
		{
			name:       "两个 is backed by 2个",
			answer:     "设立了两个片区管理办公室[2]。",
			wantAnswer: "设立了两个片区管理办公室[2]。",
			wantCited:  []int{2},
		},
		{
			name:       "a Chinese-numeral date in the passage backs an Arabic date",
			answer:     "报告于2019年2月16日在第十四届人大第四次会议上作出[4]。",
			wantAnswer: "报告于2019年2月16日在第十四届人大第四次会议上作出[4]。",
			wantCited:  []int{4},
		},
		{
			name:       "a wrong day is marked",
			answer:     "报告于2019年2月18日作出[4]。",
			wantAnswer: "报告于2019年2月18日作出[4]。" + warn,
			wantCited:  []int{4},
			wantUnsup:  []string{"报告于2019年2月18日作出。"},
		},
		{
			name:       "the passage date field backs a date",
			answer:     "方案于2017年6月7日印发[2]。",
			wantAnswer: "方案于2017年6月7日印发[2]。",
			wantCited:  []int{2},
		},
		{
			name:       "a month is not backed by the same number as a day",
			answer:     "方案于7月印发[2]。",
			wantAnswer: "方案于7月印发[2]。" + warn,
			wantCited:  []int{2},
			wantUnsup:  []string{"方案于7月印发。"},
		},
		{
			name:       "an uncited sentence is checked against the next citation in its paragraph",
			answer:     "2016年人均生产总值达到7.3万元。城镇化率接近60%[2]。",
			wantAnswer: "2016年人均生产总值达到7.3万元。城镇化率接近60%[2]。",
			wantCited:  []int{2},
		},
		{
			name:       "an uncited sentence is not backed by a passage the next citation does not name",
			answer:     "生产总值641.8亿元。城镇化率接近60%[2]。",
			wantAnswer: "生产总值641.8亿元。" + warn + "城镇化率接近60%[2]。",
			wantCited:  []int{2},
			wantUnsup:  []string{"生产总值641.8亿元。"},
		},
		{
			name:       "an uncited sentence alone in its paragraph is checked against all passages",
			answer:     "生产总值641.8亿元。\n\n城镇化率接近60%[2]。",
			wantAnswer: "生产总值641.8亿元。\n\n城镇化率接近60%[2]。",
			wantCited:  []int{2},
		},
		{
			name:       "a citation after the full stop belongs to the sentence before",
			answer:     "生产总值641.8亿元。[1]城镇化率接近60%。[2]",
			wantAnswer: "生产总值641.8亿元。[1]城镇化率接近60%。[2]",
			wantCited:  []int{1, 2},
		},
		{
			name:       "list markers are not figures and the warning goes before the line break",
			answer:     "1. 生产总值641.8亿元[1]\n2. 增长9.5%[1]\n(3) 城镇化率接近60%[2]",
			wantAnswer: "1. 生产总值641.8亿元[1]\n2. 增长9.5%[1]" + warn + "\n(3) 城镇化率接近60%[2]",
			wantCited:  []int{1, 2},
			wantUnsup:  []string{"2. 增长9.5%"},
		},
		{
			name:       "a leading 第一 discourse marker is not a figure",
			answer:     "第一，生产总值641.8亿元[1]。第二，城镇化率接近60%[2]。",
			wantAnswer: "第一，生产总值641.8亿元[1]。第二，城镇化率接近60%[2]。",
			wantCited:  []int{1, 2},
		},
		{
			name:       "everyday 一 and names like 十四五 are not figures",
			answer:     "这是一个统一规划，写入“十四五”规划[3]。",
			wantAnswer: "这是一个统一规划，写入“十四五”规划[3]。",
			wantCited:  []int{3},
		},
		{
			name:        "the refusal marker is neither uncited nor checked",
			answer:      "  " + LLMRefusal + "\n",
			wantAnswer:  LLMRefusal,
			wantRefused: true,
		},
		{
			name:        "the refusal marker without its full stop is still the refusal",
			answer:      "资料中没有找到相关内容",
			wantAnswer:  LLMRefusal,
			wantRefused: true,
		},
		{
			name:        "an answer with no passages cites nothing",
			answer:      "增长8.3%[1]。",
			passages:    []Passage{},
			wantAnswer:  "增长8.3%。" + warn,
			wantUncited: true,
			wantUnsup:   []string{"增长8.3%。"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := tt.passages
			if ps == nil {
				ps = checkPassages
			}
			got := CheckAnswer(tt.answer, ps)
			if got.Answer != tt.wantAnswer {
				t.Errorf("Answer: got %q, want %q", got.Answer, tt.wantAnswer)
			}
			if !reflect.DeepEqual(got.Cited, tt.wantCited) && (len(got.Cited) > 0 || len(tt.wantCited) > 0) {
				t.Errorf("Cited: got %v, want %v", got.Cited, tt.wantCited)
			}
			wantUnsup := tt.wantUnsup
			if wantUnsup == nil {
				wantUnsup = []string{}
			}
			if !reflect.DeepEqual(got.Unsupported, wantUnsup) {
				t.Errorf("Unsupported: got %q, want %q", got.Unsupported, wantUnsup)
			}
			if got.Uncited != tt.wantUncited {
				t.Errorf("Uncited: got %v, want %v", got.Uncited, tt.wantUncited)
			}
			if got.Refused != tt.wantRefused {
				t.Errorf("Refused: got %v, want %v", got.Refused, tt.wantRefused)
			}
		})
	}
}

// TestExtractFiguresInAnswers pins down what counts as a figure in an answer
// (see CheckAnswer's documentation).
func TestExtractFiguresInAnswers(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // figures as text=value, joined by " | "
	}{
		{"percent and decimals are one figure", "增长8.5%", "8.5%=8.5%"},
		{"magnitudes multiply the value", "641.8亿元和1350万人", "641.8亿=6.418e+10 | 1350万=1.35e+07"},
		{"dates keep their units", "2019年8月31日", "2019年=2019年 | 8月=8月 | 31日=31日"},
		{"an ISO date is read as a Chinese date", "2019-11-22", "2019年=2019年 | 11月=11月 | 22日=22日"},
		{"a counter after a number is not part of it", "12个", "12=12"},
		{"an ordinal is marked", "第一和第5位", "一=1 ordinal | 5=5 ordinal"},
		{"a Chinese count of ten or more with a counter is a figure", "十四届和十九大", "十四=14 | 十九=19"},
		{"a small Chinese count is loose", "两个和三大", "两=2 loose | 三=3 loose"},
		{"Chinese numerals with 万 are figures", "突破百万、一百万和七点三万", "百万=1e+06 | 一百万=1e+06 | 七点三万=73000"},
		{"a Chinese year is read digit by digit", "二〇一九年二月十六日", "二〇一九年=2019年 | 二月=2月 | 十六日=16日"},
		{"百分之 makes a percent", "百分之八点五", "八点五=8.5%"},
		{"a percentage point is its own kind", "3.2个百分点", "3.2个百分点=3.2pp"},
		{"everyday words with numerals are not figures", "一个统一的一体化方案，十分重要，千方百计", ""},
		{"plan names are not figures", "十四五规划和十三五", ""},
		{"thousands groups are joined", "1,234,567元", "1,234,567=1.234567e+06"},
		{"a comma before four digits is not a thousands separator", "2016,2017年", "2016=2016 | 2017年=2017年"},
		{"千米 is a unit, not a thousand", "5千米", "5=5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range extractFigures(tt.in, true) {
				got = append(got, describeFigure(f))
			}
			if g := strings.Join(got, " | "); g != tt.want {
				t.Errorf("extractFigures(%q): got %q, want %q", tt.in, g, tt.want)
			}
		})
	}
}

func describeFigure(f figure) string {
	s := fmt.Sprintf("%s=%g", f.text, f.value)
	switch f.kind {
	case percentFig:
		s += "%"
	case permilleFig:
		s += "‰"
	case pointsFig:
		s += "pp"
	}
	if f.unit != 0 {
		s += string(f.unit)
	}
	if f.ordinal {
		s += " ordinal"
	}
	if f.loose {
		s += " loose"
	}
	return s
}

func TestIsRefusal(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{LLMRefusal, true},
		{" 资料中没有找到相关内容 ", true},
		{"资料中没有找到相关内容。[1]", true},
		{"资料中没有找到相关内容，但资料[1]提到了人口。", false},
		{"生产总值641.8亿元[1]。", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q is refusal %v", tt.in, tt.want), func(t *testing.T) {
			if got := IsRefusal(tt.in); got != tt.want {
				t.Errorf("IsRefusal(%q): got %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitSentencesRoundTrips(t *testing.T) {
	for _, s := range []string{
		"",
		"甲。乙！丙？丁；戊",
		"1. 甲[1]\n2. 乙。[2]\n\n丙“引号。”[3]尾",
		"ab!?cd;\n\n\n",
	} {
		var b strings.Builder
		for _, sg := range splitSentences(s) {
			b.WriteString(sg.text + sg.sep)
		}
		if b.String() != s {
			t.Errorf("splitSentences(%q) joined: got %q, want the input", s, b.String())
		}
	}
}

func BenchmarkCheckAnswer(b *testing.B) {
	answer := strings.Repeat("济源2018年生产总值641.8亿元，增长8.3%，居全省第五位[1]。城镇化率接近60%[2]。常住人口突破100万[3]。\n", 5)
	for b.Loop() {
		CheckAnswer(answer, checkPassages)
	}
}

// TestCheckAnswerBacksEverySeedSentence quotes every sentence of every seed
// file as an answer citing that file: nothing quoted verbatim may be marked.
func TestCheckAnswerBacksEverySeedSentence(t *testing.T) {
	files, err := filepath.Glob("../seeds/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed files: %v", err)
	}
	for _, name := range files {
		t.Run(filepath.Base(name)+" backs its own sentences", func(t *testing.T) {
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			ps := []Passage{{Title: filepath.Base(name), Text: string(b)}}
			// One answer quoting every sentence, each citing the file.
			var answer strings.Builder
			n := 0
			for _, sg := range splitSentences(string(b)) {
				if s := strings.TrimSpace(sg.text); s != "" {
					answer.WriteString(s + "[1]\n")
					n++
				}
			}
			if got := CheckAnswer(answer.String(), ps); len(got.Unsupported) > 0 {
				t.Errorf("got unsupported %q, want none", got.Unsupported)
			}
			if n < 20 {
				t.Errorf("got %d sentences, want at least 20", n)
			}
		})
	}
}

func FuzzCheckAnswer(f *testing.F) {
	for _, s := range []string{
		"生产总值641.8亿元[1]。", "[1-999]", "【】[,]", "第", "百分之", "二o", "1,", "七点", "[1][2]\n\n[3]。", "一万亿零五",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, answer string) {
		got := CheckAnswer(answer, checkPassages)
		for _, n := range got.Cited {
			if n < 1 || n > len(checkPassages) {
				t.Errorf("CheckAnswer(%q) cites %d, want 1..%d", answer, n, len(checkPassages))
			}
		}
		if got.Unsupported == nil {
			t.Errorf("CheckAnswer(%q): Unsupported is nil", answer)
		}
	})
}
