package rag_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"policybot/internal/testengine"
	"policybot/rag"
)

// seed001 is the traditional-script seed (2019年濟源市政府工作報告), whose
// text carries pinyin annotations such as 報(bào).
const seed001 = "001_44e69a047cd4008f.txt"

// seedFiles reads every seed file once per test binary, keyed by name.
var seedFiles = sync.OnceValues(func() (map[string][]byte, error) {
	root, err := testengine.RepoRoot()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(root, "seeds")
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read seeds: %w", err)
	}
	out := map[string][]byte{}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read seed: %w", err)
		}
		out[e.Name()] = b
	}
	return out, nil
})

// seedSpan returns bytes [start,end) of a seed file, failing the test when
// the range is not inside the file.
func seedSpan(t *testing.T, source string, start, end int) string {
	t.Helper()
	files, err := seedFiles()
	if err != nil {
		t.Fatal(err)
	}
	b, ok := files[source]
	if !ok {
		t.Fatalf("source %q is not a seed file", source)
	}
	if start < 0 || end > len(b) || start >= end {
		t.Fatalf("range [%d,%d) of %s: outside the file of %d bytes", start, end, source, len(b))
	}
	return string(b[start:end])
}

// rePinyin matches a pinyin annotation such as (bào) or (zhǎng).
var rePinyin = regexp.MustCompile(`\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)`)

// squash removes pinyin annotations and all white space, so a passage's
// text can be compared with the file bytes it claims to come from.
func squash(s string) string {
	s = rePinyin.ReplaceAllString(s, "")
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// reCiteMark matches one [n] citation in an answer.
var reCiteMark = regexp.MustCompile(`\[(\d+)\]`)

// checkConsistent asserts what every answered result must satisfy:
// passages ranked 1..len with non-increasing scores, each passage's byte
// range holding its text, every [n] of the answer backed by a citation with
// that N, and every citation naming the passage of its number.
func checkConsistent(t *testing.T, res *rag.Result) {
	t.Helper()
	for i, p := range res.Passages {
		if p.Rank != i+1 {
			t.Errorf("passage %d: got rank %d, want %d", i, p.Rank, i+1)
		}
		if i > 0 && p.Score > res.Passages[i-1].Score {
			t.Errorf("passage %d: got score %.4f above the score %.4f of the passage before", i+1, p.Score, res.Passages[i-1].Score)
		}
		span := squash(seedSpan(t, p.Source, p.Start, p.End))
		head := squash(p.Text)
		if n := 12; utf8.RuneCountInString(head) > n {
			head = string([]rune(head)[:n])
		}
		if !strings.Contains(span, head) {
			t.Errorf("passage %d (%s [%d,%d)): file bytes do not hold its text's start %q", i+1, p.Source, p.Start, p.End, head)
		}
	}
	byN := map[int]rag.Citation{}
	for _, c := range res.Citations {
		if c.N < 1 || c.N > len(res.Passages) {
			t.Errorf("citation [%d]: outside passages 1..%d", c.N, len(res.Passages))
			continue
		}
		if _, dup := byN[c.N]; dup {
			t.Errorf("citation [%d] listed twice", c.N)
		}
		byN[c.N] = c
		p := res.Passages[c.N-1]
		if c.ChunkID != p.ChunkID || c.Source != p.Source || c.Start != p.Start || c.End != p.End {
			t.Errorf("citation [%d]: got %s %s [%d,%d), want passage %s %s [%d,%d)",
				c.N, c.ChunkID, c.Source, c.Start, c.End, p.ChunkID, p.Source, p.Start, p.End)
		}
	}
	for _, m := range reCiteMark.FindAllStringSubmatch(res.Answer, -1) {
		n, _ := strconv.Atoi(m[1])
		if _, ok := byN[n]; !ok {
			t.Errorf("answer cites [%d] but no citation has N=%d; answer %q", n, n, res.Answer)
		}
	}
}

// citedSpan returns the file bytes of every citation, joined and squashed.
func citedSpan(t *testing.T, res *rag.Result) string {
	t.Helper()
	var sb strings.Builder
	for _, c := range res.Citations {
		sb.WriteString(squash(seedSpan(t, c.Source, c.Start, c.End)))
		sb.WriteByte('\n')
	}
	return sb.String()
}

func answer(t *testing.T, eng *rag.Engine, q rag.Query) *rag.Result {
	t.Helper()
	res, err := eng.Answer(context.Background(), q, nil)
	if err != nil {
		t.Fatalf("Answer(%q): %v", q.Question, err)
	}
	return res
}

func TestExtractiveAnswerFindsTraditionalScriptFigures(t *testing.T) {
	eng := testengine.Seeds(t)
	tests := []struct {
		name     string
		question string
		figure   string // in the file and in the answer
		trad     string // traditional-script word the citation quotes
		simp     string // the same word in the answer, converted
	}{
		{"rural income asked in simplified script is quoted from the traditional file", "济源2018年农村居民人均可支配收入是多少元？", "18446", "農村", "农村"},
		{"urban income asked in simplified script is quoted from the traditional file", "济源2018年城镇居民人均可支配收入多少？", "33307", "城鎮", "城镇"},
		{"a budget revenue rank asked in simplified script is quoted from the traditional file", "济源2018年一般公共预算收入在全省排第几位？", "第1位", "預算", "预算"},
		{"an industrial output rank asked in simplified script is quoted from the traditional file", "2018年济源规模以上工业增加值在全省排第几？", "第3位", "規模", "规模"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tt.question})
			if !res.Answered {
				t.Fatalf("got refusal (%s) %q, want an answer", res.RefusalReason, res.Answer)
			}
			if res.Mode != rag.ModeExtractive {
				t.Errorf("got mode %q, want %q", res.Mode, rag.ModeExtractive)
			}
			if !strings.HasPrefix(res.Answer, rag.ConvertedLabel) {
				t.Errorf("got answer %q, want it to start with %q", res.Answer, rag.ConvertedLabel)
			}
			if !strings.Contains(res.Answer, tt.figure) {
				t.Errorf("got answer %q, want it to hold %q", res.Answer, tt.figure)
			}
			if !strings.Contains(res.Answer, tt.simp) || strings.Contains(res.Answer, tt.trad) {
				t.Errorf("got answer %q, want %q shown in simplified script as %q", res.Answer, tt.trad, tt.simp)
			}
			if !slices.ContainsFunc(res.Citations, func(c rag.Citation) bool { return strings.Contains(c.Quote, tt.trad) }) {
				t.Errorf("got citations %+v, want a quote keeping the traditional script %q", res.Citations, tt.trad)
			}
			if rePinyin.MatchString(res.Answer) {
				t.Errorf("got answer %q, want no pinyin annotations", res.Answer)
			}
			checkConsistent(t, res)
			var from001 bool
			for _, c := range res.Citations {
				if c.Source == seed001 && strings.Contains(squash(seedSpan(t, c.Source, c.Start, c.End)), tt.figure) {
					from001 = true
				}
			}
			if !from001 {
				t.Errorf("got citations %+v, want one of %s whose bytes hold %q", res.Citations, seed001, tt.figure)
			}
		})
	}
}

func TestExtractiveAnswerQuotesEachSentenceOnce(t *testing.T) {
	eng := testengine.Seeds(t)
	for _, q := range []string{
		"济源2018年农村居民人均可支配收入是多少元？",
		"济源18年GDP增长了百分之几？全省排第几位",
		"济源2019年城镇化率预期提高多少？",
	} {
		t.Run(q, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: q})
			if !res.Answered {
				t.Skipf("refused (%s): nothing to check", res.RefusalReason)
			}
			seen := map[string]bool{}
			_, body, _ := strings.Cut(res.Answer, "\n") // after the label line
			for _, line := range strings.Split(body, "\n") {
				s := strings.TrimSpace(reCiteMark.ReplaceAllString(line, ""))
				if s == "" {
					continue
				}
				if seen[s] {
					t.Errorf("got the excerpt %q twice in answer %q, want each once", s, res.Answer)
				}
				seen[s] = true
			}
		})
	}
}

func TestExtractiveAnswerUnderstandsTermsTableWording(t *testing.T) {
	eng := testengine.Seeds(t)
	tests := []struct {
		name     string
		question string
	}{
		{"GDP and a two-digit year find the 生产总值 passage", "18年济源GDP是多少亿元"},
		{"GDP growth and a two-digit year find the 生产总值 passage", "济源18年GDP增长了百分之几？"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tt.question})
			if !res.Answered {
				t.Fatalf("got refusal (%s) %q, want an answer", res.RefusalReason, res.Answer)
			}
			checkConsistent(t, res)
			a := squash(res.Answer)
			if !strings.Contains(a, "生产总值") && !strings.Contains(a, "生產總值") {
				t.Errorf("got answer %q, want it to quote a 生产总值 sentence", res.Answer)
			}
			var found bool
			for _, p := range res.Passages {
				if strings.Contains(p.Text, "641.8") {
					found = true
				}
			}
			if !found {
				t.Errorf("got passages without the 2018 生产总值 figure 641.8, want it among the top %d", len(res.Passages))
			}
		})
	}
}

// TestExtractiveAnswerGivesTheYearsOwnFigure asks for 2018 figures that
// 001 states in its "一、2018年工作回顧" section. Known wrong answers are
// skipped with the bug they show, so they turn into passes once fixed.
func TestExtractiveAnswerGivesTheYearsOwnFigure(t *testing.T) {
	eng := testengine.Seeds(t)
	tests := []struct {
		name     string
		question string
		figure   string
	}{
		{"the 2018 GDP asked with 18年 and GDP is 641.8亿", "18年济源GDP是多少亿元", "641.8"},
		{"the 2018 GDP of the city is the report's 641.8亿, not the speech's 1997–2018 multiple", "2018年济源全市生产总值是多少？", "641.8"},
		{"a later part naming no year asks of the 2018 the question names, not of the 2019 plan", "2018年末济源城镇化率达到多少？提高了几个点？", "1.31"},
		{"the 2018 budget revenue growth is 24.1% not the 1997–2018 multiple", "2018年济源一般公共预算收入增长百分之几？", "24.1%"},
		{"the 2018 industrial output growth is 8.5% not refused", "济源2018年规模以上工业增加值增长了多少？", "8.5%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tt.question})
			checkConsistent(t, res)
			if !res.Answered || !strings.Contains(res.Answer, tt.figure) {
				t.Fatalf("%q got answered=%v (%s) %q, want the 2018 figure %s from %s",
					tt.question, res.Answered, res.RefusalReason, res.Answer, tt.figure, seed001)
			}
			if !strings.Contains(citedSpan(t, res), tt.figure) {
				t.Errorf("got citations %+v, want one whose bytes hold %s", res.Citations, tt.figure)
			}
		})
	}
}

func TestRefusesWhatTheCorpusDoesNotSay(t *testing.T) {
	eng := testengine.Seeds(t)
	tests := []struct {
		name     string
		question string
		skip     string
	}{
		{"a city named with 市 that no document is about is refused", "开封市2018年生产总值是多少？", ""},
		{"a provincial capital no document is about is refused", "郑州2018年生产总值是多少？", ""},
		{"a city named without 市 that no document is about is refused", "开封2018年一般公共预算收入是多少？", ""},
		{"a year no document covers is refused", "济源2012年生产总值是多少？", ""},
		{"a concept in no document is refused", "济源地铁一号线什么时候通车？", ""},
		{"a count no document gives is refused", "济源2019年计划改造多少个老旧小区？", ""},
		{"a count of a thing whose name holds a digit is refused", "济源有多少个5G基站？", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tt.question})
			if res.Answered {
				t.Fatalf("got answer %q, want a refusal", res.Answer)
			}
			if len(res.Citations) != 0 {
				t.Errorf("got %d citations, want none", len(res.Citations))
			}
			if len(res.Nearest) == 0 {
				t.Fatalf("got no nearest documents, want the closest titles")
			}
			for _, title := range res.Nearest {
				if !strings.Contains(res.Answer, "《"+title+"》") {
					t.Errorf("got answer %q, want it to name 《%s》", res.Answer, title)
				}
			}
			if res.RefusalReason == "" {
				t.Errorf("got no refusal reason, want one")
			}
			if strings.HasPrefix(res.Answer, rag.ExcerptLabel) || strings.HasPrefix(res.Answer, rag.ConvertedLabel) {
				t.Errorf("got answer %q, want no excerpt label on a refusal", res.Answer)
			}
		})
	}
}

func TestFollowUpCarriesTheSubjectToTheNewYear(t *testing.T) {
	eng := testengine.Seeds(t)
	tests := []struct {
		name    string
		history string
		want    string // in the 2019 answer
	}{
		{"a follow-up year replaces the year of 生产总值 growth", "济源2018年生产总值增长了多少？", "8%左右"},
		{"a follow-up year replaces the year of 固定资产投资 growth", "济源2018年固定资产投资增长了多少？", "9%左右"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := answer(t, eng, rag.Query{
				Question: "那2019年呢？",
				History:  []rag.Turn{{Role: "user", Content: tt.history}, {Role: "assistant", Content: "以下为文件原文摘录：……[1]"}},
			})
			if !strings.Contains(res.Standalone, "2019") {
				t.Errorf("got standalone %q, want it to name 2019", res.Standalone)
			}
			if strings.Contains(res.Standalone, "2018") {
				t.Errorf("got standalone %q, want 2018 replaced", res.Standalone)
			}
			if !res.Answered {
				t.Fatalf("got refusal (%s) %q, want an answer", res.RefusalReason, res.Answer)
			}
			checkConsistent(t, res)
			if !strings.Contains(res.Answer, tt.want) {
				t.Errorf("got answer %q, want the 2019 target %q", res.Answer, tt.want)
			}
			var about2019 bool
			for _, c := range res.Citations {
				if strings.Contains(c.Section+c.Title+c.Quote, "2019") {
					about2019 = true
				}
			}
			if !about2019 {
				t.Errorf("got citations %+v, want one from a 2019 section", res.Citations)
			}
		})
	}
}

func TestEmptyQuestionAsksForOne(t *testing.T) {
	eng := testengine.Seeds(t)
	for _, q := range []string{"", "   ", "\n\t"} {
		t.Run(fmt.Sprintf("question %q gets a prompt", q), func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: q})
			if res.Answered {
				t.Errorf("got answered, want not answered")
			}
			if !regexp.MustCompile(`\p{Han}`).MatchString(res.Answer) {
				t.Errorf("got answer %q, want a Chinese prompt", res.Answer)
			}
			if len(res.Citations) != 0 || len(res.Passages) != 0 {
				t.Errorf("got %d citations and %d passages, want none", len(res.Citations), len(res.Passages))
			}
		})
	}
}

func TestQueryKBoundsThePassages(t *testing.T) {
	eng := testengine.Seeds(t)
	for _, k := range []int{1, 3, 8} {
		t.Run(fmt.Sprintf("K=%d lists %d passages", k, k), func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: "济源2018年农村居民人均可支配收入是多少元？", K: k})
			if len(res.Passages) != k {
				t.Errorf("got %d passages, want %d", len(res.Passages), k)
			}
			checkConsistent(t, res)
		})
	}
}

// questions rotates over answerable and refused questions for the
// concurrency test and the benchmark.
var questions = []string{
	"济源2018年农村居民人均可支配收入是多少元？",
	"18年济源GDP是多少亿元",
	"郑州2018年生产总值是多少？",
	"济源地铁一号线什么时候通车？",
	"源城区怎么推动文旅融合发展？",
	"洛阳副中心城市建设有哪些措施？",
}

func TestAnswerConcurrently(t *testing.T) {
	eng := testengine.Seeds(t)
	want := make([]*rag.Result, len(questions))
	for i, q := range questions {
		want[i] = answer(t, eng, rag.Query{Question: q})
	}
	const n = 20
	got := make([]*rag.Result, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			got[i], errs[i] = eng.Answer(context.Background(), rag.Query{Question: questions[i%len(questions)]}, nil)
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("goroutine %d: %v", i, errs[i])
			continue
		}
		w := want[i%len(questions)]
		if got[i].Answer != w.Answer || got[i].Answered != w.Answered {
			t.Errorf("goroutine %d: got %q, want the sequential answer %q", i, got[i].Answer, w.Answer)
		}
	}
}

func BenchmarkAnswer(b *testing.B) {
	eng := testengine.Seeds(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := eng.Answer(ctx, rag.Query{Question: questions[i%len(questions)]}, nil); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func TestAQuestionAskingForPartsIsAnsweredWithTheSectionsHeadings(t *testing.T) {
	eng := testengine.Seeds(t)
	res := answer(t, eng, rag.Query{Question: "济源示范区总体方案提出了哪几方面的基本原则？"})
	if !res.Answered {
		t.Fatalf("got a refusal (%s), want the principles", res.RefusalReason)
	}
	var items []string
	for _, line := range strings.Split(res.Answer, "\n") {
		if m := regexp.MustCompile(`^\d+\. (.+)\[(\d+)\]$`).FindStringSubmatch(line); m != nil {
			items = append(items, m[1])
			n, _ := strconv.Atoi(m[2])
			var cited *rag.Citation
			for i := range res.Citations {
				if res.Citations[i].N == n {
					cited = &res.Citations[i]
				}
			}
			if cited == nil {
				t.Fatalf("item %q cites [%d], which no citation has", m[1], n)
			}
			if !strings.Contains(seedSpan(t, cited.Source, cited.Start, cited.End), m[1]) {
				t.Errorf("item %q: the cited bytes [%d,%d) of %s do not hold it", m[1], cited.Start, cited.End, cited.Source)
			}
		}
	}
	want := []string{"规划引领,优化布局", "以产兴城,依城促产", "改革创新,先行先试", "绿色低碳,生态环保"}
	if !slices.Equal(items, want) {
		t.Errorf("got items %q, want the four principles in document order %q", items, want)
	}
}

func TestFollowUpNamingAnotherPlaceAsksAboutThatPlace(t *testing.T) {
	eng := testengine.Seeds(t)
	res := answer(t, eng, rag.Query{
		Question: "洛阳呢？",
		History: []rag.Turn{
			{Role: "user", Content: "济源2018年生产总值多少？"},
			{Role: "assistant", Content: "生产总值完成641.8亿元。[1]"},
		},
	})
	if !strings.Contains(res.Standalone, "洛阳") || strings.Contains(res.Standalone, "济源") {
		t.Errorf("got standalone question %q, want 洛阳 in place of 济源", res.Standalone)
	}
	if res.Answered && strings.Contains(res.Answer, "641.8") {
		t.Errorf("got %q, want no answer about 济源's figure", res.Answer)
	}
}

func TestANewQuestionLaterInAChatStandsAlone(t *testing.T) {
	eng := testengine.Seeds(t)
	res := answer(t, eng, rag.Query{
		Question: "济源全市面积有多大？",
		History: []rag.Turn{
			{Role: "user", Content: "示范区管委会是什么级别？"},
			{Role: "assistant", Content: "规格为正厅级。[1]"},
		},
	})
	if res.Standalone != "" {
		t.Errorf("got standalone question %q, want the question taken as asked", res.Standalone)
	}
	if !strings.Contains(res.Answer, "1931") {
		t.Errorf("got %q, want the area 1931平方公里", res.Answer)
	}
}

func TestAQuestionNamingADocumentFavoursIt(t *testing.T) {
	eng := testengine.Seeds(t)
	tests := []struct{ name, question, source string }{
		{"the work report", "政府工作报告里对营商环境是怎么说的？", seed001},
		{"the overall plan", "总体方案里对营商环境是怎么说的？", "002_6b19721ce7bbca47.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is searched first", func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tt.question})
			if len(res.Passages) == 0 || res.Passages[0].Source != tt.source {
				t.Fatalf("got first passage from %v, want %s", res.Passages, tt.source)
			}
		})
	}
}

func TestAQuestionAskingTwoDocumentsTheSameIsAnsweredFromBoth(t *testing.T) {
	eng := testengine.Seeds(t)
	res := answer(t, eng, rag.Query{Question: "政府工作报告和总体方案分别怎么说王屋山的？"})
	sources := map[string]bool{}
	for _, c := range res.Citations {
		sources[c.Source] = true
	}
	if !sources[seed001] || !sources["002_6b19721ce7bbca47.txt"] {
		t.Errorf("got citations from %v, want both the work report and the overall plan", sources)
	}
}
