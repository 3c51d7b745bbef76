package rag

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"policybot/internal/fakeopenai"
)

// update rewrites the golden files under testdata instead of comparing.
var update = flag.Bool("update", false, "rewrite testdata/*.golden files")

const (
	testModel = "fake-chat"
	testKey   = "sk-test"
)

var promptPassages = []Passage{
	{
		Title:   "河南省人民政府关于印发济源国家产城融合示范区总体方案的通知",
		Section: "二、准确把握战略定位",
		Date:    "2017-06-07",
		Text:    "济源市要按照国家要求,紧紧抓住“产城融合、城乡一体”的战略定位。\n",
	},
	{
		Title:   "2019年濟源市政府工作報告",
		Section: "一、2018年工作回顧",
		Text:    "全市生產(chǎn)總值完成641.8億元,增長(zhǎng)8.3%,居全省第5位。",
	},
	{Title: "源城区第八次党代会明确新阶段工作重点", Text: "推动三大产业协调高质量发展。"},
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update after checking the change)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func dumpMessages(msgs []openai.ChatCompletionMessage) []byte {
	var b bytes.Buffer
	for _, m := range msgs {
		b.WriteString("=== " + m.Role + " ===\n" + m.Content + "\n")
	}
	return b.Bytes()
}

func TestAnswerPromptMatchesGolden(t *testing.T) {
	g, err := NewGenerator(openai.NewClient("unused"), testModel)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := g.AnswerMessages("济源示范区的战略定位是什么？", promptPassages)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "prompt.golden", dumpMessages(msgs))
	if !strings.Contains(msgs[0].Content, LLMRefusal) {
		t.Errorf("system message does not hold the refusal marker %q", LLMRefusal)
	}
	if want := "[2] 《2019年濟源市政府工作報告》 一、2018年工作回顧\n全市"; !strings.Contains(msgs[1].Content, want) {
		t.Errorf("user message: got %q, want it to contain %q", msgs[1].Content, want)
	}
}

func TestRewritePromptMatchesGolden(t *testing.T) {
	g, err := NewGenerator(openai.NewClient("unused"), testModel)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := render(g.RewritePrompt, RewriteData{
		History: shortenHistory([]Turn{
			{Role: "user", Content: "济源2024年生产总值多少？"},
			{Role: "assistant", Content: "2024年济源生产总值为800亿元[1]。"},
		}),
		Question: "那2025年呢？",
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "prompt_rewrite.golden", dumpMessages(msgs))
}

func TestRewritePromptWithThePreviousResultMatchesGolden(t *testing.T) {
	g, err := NewGenerator(openai.NewClient("unused"), testModel)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := render(g.RewritePrompt, RewriteData{
		History: shortenHistory([]Turn{
			{Role: "user", Content: "总体方案里的基本原则有哪些？"},
			{Role: "assistant", Content: "四条：规划引领、优化布局；以产兴城、依城促产[1]。"},
		}),
		Question: "第二条具体怎么说？",
		Previous: &PreviousTurn{
			Items:    []string{"1. 规划引领、优化布局", "2. 以产兴城、依城促产"},
			Titles:   []string{"河南省人民政府关于印发济源国家产城融合示范区总体方案的通知"},
			Passages: []string{"以产兴城,依城促产。坚持高端引领……"},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "prompt_rewrite_previous.golden", dumpMessages(msgs))
}

func TestNewGeneratorPromptFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.tmpl", `{{define "system"}}只用资料。{{.Refusal}}{{end}}{{define "user"}}{{range .Passages}}<{{.N}}>{{.Text}}{{end}}问：{{.Question}}{{end}}`)
	broken := write("broken.tmpl", `{{define "system"}}{{.Refusal{{end}}`)
	noUser := write("nouser.tmpl", `{{define "system"}}只用资料。{{end}}`)

	t.Run("a valid prompt file replaces the embedded prompt", func(t *testing.T) {
		g, err := NewGenerator(openai.NewClient("unused"), testModel, WithPromptFile(good))
		if err != nil {
			t.Fatal(err)
		}
		msgs, err := g.AnswerMessages("问题", promptPassages[2:])
		if err != nil {
			t.Fatal(err)
		}
		if got, want := msgs[1].Content, "<1>推动三大产业协调高质量发展。问：问题"; got != want {
			t.Errorf("user message: got %q, want %q", got, want)
		}
	})
	for _, tt := range []struct {
		name string
		opt  Option
		path string
	}{
		{"a prompt file that does not parse is an error naming it", WithPromptFile(broken), broken},
		{"a prompt file without a user message is an error naming it", WithPromptFile(noUser), noUser},
		{"a missing rewrite prompt file is an error naming it", WithRewritePromptFile(filepath.Join(dir, "absent.tmpl")), "absent.tmpl"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewGenerator(openai.NewClient("unused"), testModel, tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.path) {
				t.Errorf("got error %v, want one naming %s", err, tt.path)
			}
		})
	}
}

// newTestGenerator returns a generator talking through go-openai to a fake
// server, and the transport so a test can close its idle connections.
func newTestGenerator(t *testing.T, fake *fakeopenai.Server, opts ...Option) (*Generator, *http.Transport) {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	cfg := openai.DefaultConfig(testKey)
	cfg.BaseURL = fake.URL
	cfg.HTTPClient = &http.Client{Transport: tr}
	g, err := NewGenerator(openai.NewClientWithConfig(cfg), testModel, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return g, tr
}

const streamedAnswer = "济源的战略定位是“产城融合、城乡一体”[1]。2018年生产总值641.8亿元[2]。"

func TestAnswerStreams(t *testing.T) {
	fake := fakeopenai.New(t, fakeopenai.WithAPIKey(testKey), fakeopenai.WithStreamChunkSize(3),
		fakeopenai.WithChat(func(fakeopenai.ChatRequest) string { return streamedAnswer }))
	g, _ := newTestGenerator(t, fake, WithMaxTokens(500), WithTemperature(0.2))

	var seen []string
	got, err := g.Answer(context.Background(), "战略定位是什么？", promptPassages, func(s string) { seen = append(seen, s) })
	if err != nil {
		t.Fatalf("Answer: %v", err)
	}
	if got != streamedAnswer {
		t.Errorf("answer: got %q, want %q", got, streamedAnswer)
	}
	if want := (len([]rune(streamedAnswer)) + 2) / 3; len(seen) != want {
		t.Errorf("onToken calls: got %d, want %d (one per chunk)", len(seen), want)
	}
	for i := 1; i < len(seen); i++ {
		if !strings.HasPrefix(seen[i], seen[i-1]) || len(seen[i]) <= len(seen[i-1]) {
			t.Fatalf("onToken call %d: got %q after %q, want a longer text extending it", i, seen[i], seen[i-1])
		}
	}
	if len(seen) > 0 && seen[len(seen)-1] != streamedAnswer {
		t.Errorf("last onToken: got %q, want the whole answer", seen[len(seen)-1])
	}

	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("requests: got %d, want 1", len(reqs))
	}
	if got := reqs[0].Header.Get("Authorization"); got != "Bearer "+testKey {
		t.Errorf("Authorization: got %q, want the bearer key", got)
	}
	var req fakeopenai.ChatRequest
	if err := reqs[0].DecodeJSON(&req); err != nil {
		t.Fatal(err)
	}
	if req.Model != testModel || !req.Stream || req.MaxTokens != 500 || req.Temperature == nil || *req.Temperature < 0.19 || *req.Temperature > 0.21 {
		t.Errorf("request: got model %q stream %v max_tokens %d temperature %v, want %q true 500 0.2",
			req.Model, req.Stream, req.MaxTokens, req.Temperature, testModel)
	}
	want, err := g.AnswerMessages("战略定位是什么？", promptPassages)
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Messages) != 2 || req.Messages[0].Role != "system" || req.Messages[0].Content != want[0].Content ||
		req.Messages[1].Role != "user" || req.Messages[1].Content != want[1].Content {
		t.Errorf("messages: got %+v, want the rendered system and user prompt", req.Messages)
	}
}

func TestAnswerHidesThinking(t *testing.T) {
	fake := fakeopenai.New(t, fakeopenai.WithStreamChunkSize(2),
		fakeopenai.WithChat(func(fakeopenai.ChatRequest) string { return "<think>先看资料[1]。</think>\n\n答案[1]。" }))
	g, _ := newTestGenerator(t, fake)
	var seen []string
	got, err := g.Answer(context.Background(), "问题", promptPassages, func(s string) { seen = append(seen, s) })
	if err != nil {
		t.Fatal(err)
	}
	if got != "答案[1]。" {
		t.Errorf("answer: got %q, want %q", got, "答案[1]。")
	}
	for _, s := range seen {
		if strings.Contains(s, "think") || strings.Contains(s, "先看") || strings.Contains(s, "<") {
			t.Errorf("onToken showed %q, want no thinking", s)
		}
	}
}

func TestAnswerWithoutPassagesRefusesWithoutCalling(t *testing.T) {
	fake := fakeopenai.New(t)
	g, _ := newTestGenerator(t, fake)
	got, err := g.Answer(context.Background(), "问题", nil, nil)
	if err != nil || got != LLMRefusal {
		t.Errorf("got %q, %v, want %q, nil", got, err, LLMRefusal)
	}
	if n := fake.RequestCount(fakeopenai.PathChat); n != 0 {
		t.Errorf("chat requests: got %d, want 0", n)
	}
}

// TestAnswerFailures checks that every way the server can fail returns an
// error naming the model (so the caller falls back to an extractive answer)
// and leaves no goroutine behind.
func TestAnswerFailures(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(*fakeopenai.Server)
		reply  string
		check  func(error) bool
		expect string
	}{
		{
			name:   "a 500 is an API error",
			setup:  func(s *fakeopenai.Server) { s.FailNext(1, http.StatusInternalServerError) },
			check:  func(err error) bool { return apiStatus(err) == http.StatusInternalServerError },
			expect: "*openai.APIError with status 500",
		},
		{
			name: "a 429 with Retry-After is an API error, not retried",
			setup: func(s *fakeopenai.Server) {
				s.FailNextWith(1, fakeopenai.Fault{Status: http.StatusTooManyRequests, RetryAfter: "2"})
			},
			check:  func(err error) bool { return apiStatus(err) == http.StatusTooManyRequests },
			expect: "*openai.APIError with status 429",
		},
		{
			name:   "a server that never answers hits the timeout",
			setup:  func(s *fakeopenai.Server) { s.HangNext(1) },
			check:  func(err error) bool { return errors.Is(err, context.DeadlineExceeded) },
			expect: "context.DeadlineExceeded",
		},
		{
			name:   "a stream that stalls mid-way hits the timeout",
			setup:  func(s *fakeopenai.Server) { s.SetStreamDelay(time.Hour) },
			check:  func(err error) bool { return errors.Is(err, context.DeadlineExceeded) },
			expect: "context.DeadlineExceeded",
		},
		{
			name:   "a stream cut before the end is incomplete",
			setup:  func(s *fakeopenai.Server) { s.CutStreamAfter(3) },
			check:  func(err error) bool { return errors.Is(err, io.ErrUnexpectedEOF) },
			expect: "io.ErrUnexpectedEOF",
		},
		{
			name:   "a stream cut before any content is incomplete",
			setup:  func(s *fakeopenai.Server) { s.CutStreamAfter(0) },
			check:  func(err error) bool { return errors.Is(err, io.ErrUnexpectedEOF) },
			expect: "io.ErrUnexpectedEOF",
		},
		{
			name:   "malformed JSON in the stream is an error",
			setup:  func(s *fakeopenai.Server) { s.MalformNext(1) },
			check:  func(err error) bool { var se *json.SyntaxError; return errors.As(err, &se) },
			expect: "a *json.SyntaxError",
		},
		{
			name:   "an empty answer is ErrEmptyAnswer",
			reply:  " \n",
			check:  func(err error) bool { return errors.Is(err, ErrEmptyAnswer) },
			expect: "ErrEmptyAnswer",
		},
	}
	base := runtime.NumGoroutine()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := streamedAnswer
			if tt.reply != "" {
				reply = tt.reply
			}
			fake := fakeopenai.New(t, fakeopenai.WithChat(func(fakeopenai.ChatRequest) string { return reply }))
			if tt.setup != nil {
				tt.setup(fake)
			}
			g, tr := newTestGenerator(t, fake, WithTimeout(300*time.Millisecond))
			got, err := g.Answer(context.Background(), "问题", promptPassages, func(string) {})
			if err == nil || !tt.check(err) {
				t.Errorf("error: got %v, want %s", err, tt.expect)
			}
			if err != nil && !strings.Contains(err.Error(), testModel) {
				t.Errorf("error %q does not name the model %q", err, testModel)
			}
			t.Logf("error: %v", err)
			if got != "" {
				t.Errorf("answer: got %q, want empty on failure", got)
			}
			fake.Close()
			tr.CloseIdleConnections()
		})
	}
	waitGoroutines(t, base)
}

func TestAnswerStopsWhenCallerCancels(t *testing.T) {
	base := runtime.NumGoroutine()
	func() {
		fake := fakeopenai.New(t, fakeopenai.WithStreamDelay(time.Hour))
		defer fake.Close()
		g, tr := newTestGenerator(t, fake, WithTimeout(0))
		defer tr.CloseIdleConnections()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			// Cancel once the request is in flight: the stream is open and
			// waiting for its first content chunk.
			for fake.RequestCount(fakeopenai.PathChat) == 0 {
				time.Sleep(5 * time.Millisecond)
			}
			cancel()
		}()
		_, err := g.Answer(ctx, "问题", promptPassages, nil)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error: got %v, want context.Canceled", err)
		}
	}()
	waitGoroutines(t, base)
}

// waitGoroutines fails if the goroutine count does not come back to base.
func waitGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("goroutines: got %d, want at most %d\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// apiStatus returns the HTTP status of an *openai.APIError in err, or 0.
func apiStatus(err error) int {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode
	}
	return 0
}

func TestRewrite(t *testing.T) {
	history := []Turn{
		{Role: "user", Content: "济源2024年生产总值多少？"},
		{Role: "assistant", Content: "2024年济源生产总值为800亿元[1]。"},
	}
	tests := []struct {
		name    string
		history []Turn
		reply   string
		fail    bool
		want    string
		wantErr bool
		calls   int
	}{
		{name: "a question without history is returned unchanged without a call", want: "那2025年呢？"},
		{name: "a follow-up is rewritten by the model", history: history, reply: "济源2025年生产总值多少？", want: "济源2025年生产总值多少？", calls: 1},
		{name: "a label and quotes around the rewrite are removed", history: history, reply: "改写后的问题：“济源2025年生产总值多少？”\n说明：补全了主语。", want: "济源2025年生产总值多少？", calls: 1},
		{name: "a failed call returns the question unchanged with the error", history: history, fail: true, want: "那2025年呢？", wantErr: true, calls: 1},
		{name: "an empty rewrite returns the question unchanged with the error", history: history, reply: "“”", want: "那2025年呢？", wantErr: true, calls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakeopenai.New(t, fakeopenai.WithChat(func(fakeopenai.ChatRequest) string { return tt.reply }))
			if tt.fail {
				fake.FailNext(1, http.StatusServiceUnavailable)
			}
			g, _ := newTestGenerator(t, fake)
			got, err := g.Rewrite(context.Background(), tt.history, " 那2025年呢？ ")
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if (err != nil) != tt.wantErr {
				t.Errorf("error: got %v, want error %v", err, tt.wantErr)
			}
			if n := fake.RequestCount(fakeopenai.PathChat); n != tt.calls {
				t.Errorf("chat requests: got %d, want %d", n, tt.calls)
			}
			if tt.calls > 0 && !tt.fail {
				var sent fakeopenai.ChatRequest
				if err := fake.Requests()[0].DecodeJSON(&sent); err != nil {
					t.Fatal(err)
				}
				user := sent.LastUserMessage()
				for _, want := range []string{"用户：济源2024年生产总值多少？", "助手：2024年济源生产总值为800亿元[1]。", "追问：那2025年呢？"} {
					if !strings.Contains(user, want) {
						t.Errorf("rewrite prompt: got %q, want it to contain %q", user, want)
					}
				}
			}
		})
	}
}

func TestShortenHistory(t *testing.T) {
	var long []Turn
	for i := range 10 {
		long = append(long, Turn{Role: "user", Content: strings.Repeat("长", 400+i)})
	}
	got := shortenHistory(append(long, Turn{Role: "assistant", Content: "  \n "}))
	if len(got) != rewriteMaxTurns-1 {
		t.Errorf("turns: got %d, want %d (the last %d, blank dropped)", len(got), rewriteMaxTurns-1, rewriteMaxTurns)
	}
	for _, turn := range got {
		if n := len([]rune(turn.Content)); n != rewriteMaxTurnRunes+1 {
			t.Errorf("turn length: got %d runes, want %d", n, rewriteMaxTurnRunes+1)
		}
	}
}
