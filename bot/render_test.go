package bot

import (
	"strings"
	"testing"
	"time"

	"policybot/rag"
)

// balanced reports whether every start tag in s is closed in order.
func balanced(s string) bool {
	var stack []string
	for _, t := range tokenize(s) {
		switch {
		case t.open != "":
			stack = append(stack, t.open)
		case t.shut != "":
			if len(stack) == 0 || stack[len(stack)-1] != t.shut {
				return false
			}
			stack = stack[:len(stack)-1]
		}
	}
	return len(stack) == 0
}

func TestSplitHTML(t *testing.T) {
	para := strings.Repeat("字", 30)
	tests := []struct {
		name  string
		in    string
		limit int
		parts int
	}{
		{"a short text stays whole", "<b>出处</b>\n[1] 《甲》", 100, 1},
		{"paragraphs are kept whole", para + "\n\n" + para + "\n\n" + para, 70, 2},
		{"a tag open across the cut is closed and reopened", "<blockquote>" + para + "\n" + para + "\n" + para + "</blockquote>", 40, 3},
		{"entities are never cut", strings.Repeat("&amp;&lt;", 50), 15, 7},
		{"a long line without breaks is cut anywhere", strings.Repeat("字", 100), 30, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parts := splitHTML(tc.in, tc.limit)
			if len(parts) != tc.parts {
				t.Errorf("got %d parts, want %d: %q", len(parts), tc.parts, parts)
			}
			var joined strings.Builder
			for i, p := range parts {
				if !balanced(p) {
					t.Errorf("part %d is not balanced: %q", i, p)
				}
				if n := utf16Len(htmlToPlain(p)); n > tc.limit {
					t.Errorf("part %d has %d visible characters, want at most %d", i, n, tc.limit)
				}
				joined.WriteString(htmlToPlain(p))
			}
			strip := func(s string) string { return strings.NewReplacer("\n", "", " ", "").Replace(s) }
			if got, want := strip(joined.String()), strip(htmlToPlain(tc.in)); got != want {
				t.Errorf("text lost or changed in splitting:\ngot  %q\nwant %q", got, want)
			}
		})
	}
}

func TestRenderAnswerEscapesEverythingFromModelAndDocuments(t *testing.T) {
	res := &rag.Result{Answered: true, Mode: rag.ModeLLM, Answer: "a<b>&c</b>[1]",
		Citations: []rag.Citation{{N: 1, ChunkID: "0123456789abcdef", Title: "<script>", Section: "一 & 二", Date: "2020-01-01"}}}
	got := renderAnswer(res)
	want := "a&lt;b&gt;&amp;c&lt;/b&gt;[1]\n\n<b>出处</b>\n[1] 《&lt;script&gt;》 一 &amp; 二 · 2020-01-01"
	if got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
	if !balanced(got) {
		t.Errorf("rendered answer is not balanced")
	}
}

func TestRenderAnswerMarksModes(t *testing.T) {
	tests := []struct {
		name string
		res  rag.Result
		want string
	}{
		{"extractive answers are marked as excerpts", rag.Result{Answered: true, Mode: rag.ModeExtractive, Answer: "x"}, "以下为文件原文摘录"},
		{"the fallback says the model is unavailable", rag.Result{Answered: true, Mode: rag.ModeExtractiveFallback, Answer: "x"}, "模型暂时不可用"},
		{"a refusal without text still says so", rag.Result{Mode: rag.ModeLLM}, textNotFound},
		{"a refusal names the nearest documents", rag.Result{Mode: rag.ModeLLM, Answer: "没有", Nearest: []string{"甲文件"}}, "最接近的文件：\n• 《甲文件》"},
		{"unsupported claims carry a warning", rag.Result{Answered: true, Mode: rag.ModeLLM, Answer: "x", Unsupported: []string{"y"}}, "未能在文件中核实"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := renderAnswer(&tc.res); !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

func TestRenderPartialFitsOneMessage(t *testing.T) {
	got := renderPartial(strings.Repeat("<", 5000))
	if n := utf16Len(htmlToPlain(got)); n > 4096 {
		t.Errorf("got %d visible characters, want at most 4096", n)
	}
	if !strings.HasSuffix(got, "▌") {
		t.Errorf("partial text has no cursor")
	}
}

func TestCommandParsing(t *testing.T) {
	b := &Bot{}
	b.me.Username = "policy_test_bot"
	tests := []struct {
		name, text, cmd, payload string
		other                    bool
	}{
		{"a plain question is no command", "济源的目标？", "", "", false},
		{"a command with a payload", "/ask 济源的目标？", "ask", "济源的目标？", false},
		{"a command naming this bot", "/ASK@Policy_Test_Bot 问题", "ask", "问题", false},
		{"a command naming another bot", "/ask@other_bot 问题", "", "", true},
		{"a command followed by a new line", "/ask\n问题", "ask", "问题", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cmd, payload, other := b.command(tc.text)
			if cmd != tc.cmd || payload != tc.payload || other != tc.other {
				t.Errorf("got (%q, %q, %v), want (%q, %q, %v)", cmd, payload, other, tc.cmd, tc.payload, tc.other)
			}
		})
	}
}

func TestRateLimiter(t *testing.T) {
	r := newRateLimiter(2, time.Minute)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	steps := []struct {
		name       string
		at         time.Duration
		ok, warned bool
	}{
		{"the first question passes", 0, true, false},
		{"the second passes", time.Second, true, false},
		{"the third is refused with a warning", 2 * time.Second, false, true},
		{"the fourth is refused silently", 3 * time.Second, false, false},
		{"a minute after the first, one passes again", 61 * time.Second, true, false},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			ok, _, warn := r.allow(1, t0.Add(s.at))
			if ok != s.ok || warn != s.warned {
				t.Errorf("got ok=%v warn=%v, want ok=%v warn=%v", ok, warn, s.ok, s.warned)
			}
		})
	}
}

func TestMemoryExpires(t *testing.T) {
	m := newMemory(4, 30*time.Minute)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		m.add("k", "问", "答", t0.Add(time.Duration(i)*time.Minute))
	}
	if got := len(m.history("k", t0.Add(5*time.Minute))); got != 4 {
		t.Errorf("got %d turns, want the last 4", got)
	}
	if got := len(m.history("k", t0.Add(time.Hour))); got != 0 {
		t.Errorf("got %d turns after the TTL, want 0", got)
	}
}

func TestPercentile(t *testing.T) {
	var s stats
	for i := 1; i <= 100; i++ {
		s.record(time.Duration(i)*time.Millisecond, true)
	}
	if _, _, p50, p95 := s.snapshot(); p50 != 50*time.Millisecond || p95 != 95*time.Millisecond {
		t.Errorf("got p50 %v p95 %v, want 50ms 95ms", p50, p95)
	}
}

func TestOptionsValidation(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"an empty token is refused", Options{Public: true}, "token is empty"},
		{"no allowlist is refused", Options{Token: "1:a"}, "no allowed users"},
		{"a webhook needs https", Options{Token: "1:a", Public: true, WebhookListen: ":8443", WebhookURL: "http://x", WebhookSecret: "s"}, "https"},
		{"a webhook needs a secret", Options{Token: "1:a", Public: true, WebhookListen: ":8443", WebhookURL: "https://x"}, "secret token"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.opts.validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
}

func TestZeroSwitchesFeaturesOff(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	t.Run("memory turns 0 keeps no history", func(t *testing.T) {
		m := newMemory(0, time.Hour)
		m.add("k", "问", "答", t0)
		if got := m.history("k", t0); len(got) != 0 {
			t.Errorf("got %d turns, want 0", len(got))
		}
	})
	t.Run("rate limit 0 never refuses", func(t *testing.T) {
		r := newRateLimiter(0, time.Minute)
		for range 100 {
			if ok, _, _ := r.allow(1, t0); !ok {
				t.Fatal("refused with the limit switched off")
			}
		}
	})
	t.Run("retention 0 keeps old feedback", func(t *testing.T) {
		path := t.TempDir() + "/fb.jsonl"
		f, _ := openFeedback(path, 0, t0)
		if err := f.add(FeedbackRecord{Time: t0.Add(-1000 * 24 * time.Hour), Vote: "up"}); err != nil {
			t.Fatal(err)
		}
		f2, err := openFeedback(path, 0, t0)
		if err != nil {
			t.Fatal(err)
		}
		if up, _ := f2.counts(); up != 1 {
			t.Errorf("got %d votes, want the old one kept", up)
		}
	})
}

// Found against telegram-test-api: the engine's own excerpt label was shown
// under the bot's, a refusal was labelled as excerpts, and the nearest
// documents were listed twice.
func TestRenderAnswerSaysThingsOnce(t *testing.T) {
	tests := []struct {
		name    string
		res     rag.Result
		want    string
		count   int
		notWant string
	}{
		{"an extractive answer shows the excerpt label once",
			rag.Result{Answered: true, Mode: rag.ModeExtractive, Answer: rag.ExcerptLabel + "\n1988年撤县建市。[1]"},
			"以下为文件原文摘录", 1, ""},
		{"a fallback answer shows the model warning once",
			rag.Result{Answered: true, Mode: rag.ModeExtractiveFallback, Answer: rag.FallbackLabel + "\n1988年撤县建市。[1]"},
			"模型暂时不可用", 1, ""},
		{"a converted answer shows the converted label once, and no 原文 label",
			rag.Result{Answered: true, Mode: rag.ModeExtractive, Answer: rag.ConvertedLabel + "\n农村居民人均可支配收入达18446元。[1]"},
			"以下为文件内容摘录（已转为简体）", 1, "原文"},
		{"a converted fallback answer shows the model warning and the converted label once",
			rag.Result{Answered: true, Mode: rag.ModeExtractiveFallback, Answer: rag.FallbackConvertedLabel + "\n农村居民人均可支配收入达18446元。[1]"},
			"模型暂时不可用，以下为文件内容摘录（已转为简体）", 1, "原文"},
		{"an extractive refusal is not labelled as excerpts",
			rag.Result{Mode: rag.ModeExtractive, Answer: "抱歉，没有找到。最相关的文件是：《甲文件》，可查阅原文核实。", Nearest: []string{"甲文件"}},
			"《甲文件》", 1, "原文摘录"},
		{"nearest documents the refusal does not name are still listed",
			rag.Result{Mode: rag.ModeExtractive, Answer: "抱歉，最相关的文件是：《甲文件》。", Nearest: []string{"甲文件", "乙文件"}},
			"最接近的文件：\n• 《乙文件》", 1, "• 《甲文件》"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := renderAnswer(&tc.res)
			if n := strings.Count(got, tc.want); n != tc.count {
				t.Errorf("got %d× %q in %q, want %d", n, tc.want, got, tc.count)
			}
			if tc.notWant != "" && strings.Contains(got, tc.notWant) {
				t.Errorf("got %q, want no %q", got, tc.notWant)
			}
		})
	}
}

func TestRenderPassageLineRange(t *testing.T) {
	tests := []struct {
		name  string
		locus rag.Locus
		want  string
	}{
		{"one line is named as one line", rag.Locus{LineStart: 19, LineEnd: 19}, "第19行"},
		{"several lines are named as a range", rag.Locus{LineStart: 19, LineEnd: 21}, "第19–21行"},
		{"a PDF passage is named by its page", rag.Locus{Page: 3, PageEnd: 3}, "第3页"},
		{"a passage over two pages names both", rag.Locus{Page: 3, PageEnd: 4}, "第3–4页"},
		{"recognized text is marked as OCR", rag.Locus{Page: 2, PageEnd: 2, OCR: true}, "第2页（OCR识别文本）"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := renderPassage(rag.Passage{Title: "甲", Text: "x", Source: "a.txt", Locus: tc.locus})
			if !strings.Contains(got, "a.txt "+tc.want+"</i>") {
				t.Errorf("got %q, want it to contain %q", got, tc.want)
			}
		})
	}
}
