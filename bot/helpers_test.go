package bot

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"policybot/ingest"
	"policybot/internal/fakeopenai"
	"policybot/internal/faketg"
	"policybot/internal/testengine"
	"policybot/rag"
)

const testToken = "123456789:AAtestSECRETtokenDoNotLog_abcdefghij"

// Users and chats the tests talk as.
var (
	alice   = faketg.User{ID: 1001, FirstName: "Alice", LanguageCode: "zh-hans"}
	bob     = faketg.User{ID: 1002, FirstName: "Bob"}
	mallory = faketg.User{ID: 6666, FirstName: "Mallory"}
	admin   = faketg.User{ID: 9001, FirstName: "Admin"}
	group   = faketg.Chat{ID: -100200300, Type: "supergroup", Title: "政策研究群"}
)

// testPassages is a tiny corpus; the ids follow ingest's 16-hex-char rule.
func testPassages() []rag.Passage {
	return []rag.Passage{
		{ChunkID: "0123456789abcdef", Source: "002_plan.txt", Title: "河南省人民政府关于印发济源国家产城融合示范区总体方案的通知",
			Section: "二、发展目标", Date: "2017-06-07", Locus: rag.Locus{LineStart: 12, LineEnd: 14},
			Text: "到2020年，示范区产城融合发展格局基本形成，<城乡>一体化水平明显提高 & 生态环境持续改善。"},
		{ChunkID: "fedcba9876543210", Source: "003_yuancheng.txt", Title: "源城区第八次党代会明确新阶段工作重点",
			Section: "六项工作", Date: "2021-09-01", Locus: rag.Locus{LineStart: 3, LineEnd: 5},
			Text: "致力抓好六项工作，推动高质量发展。"},
	}
}

// testEngine is a small Answerer: it retrieves by keyword and, in LLM mode,
// streams the answer from the fake OpenAI server through go-openai. When
// the model fails it falls back to excerpts, as the real engine does.
type testEngine struct {
	client   *openai.Client
	ai       *fakeopenai.Server // the server client talks to
	llm      bool
	passages []rag.Passage

	mu      sync.Mutex
	queries []rag.Query
	fail    error // returned by Answer when set
	panics  bool
}

func (e *testEngine) setFail(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fail = err
}

func (e *testEngine) Queries() []rag.Query {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]rag.Query(nil), e.queries...)
}

func (e *testEngine) retrieve(q string) []rag.Passage {
	var hits []rag.Passage
	for _, p := range e.passages {
		if strings.Contains(q, "济源") && strings.Contains(p.Title, "济源") ||
			strings.Contains(q, "源城") && strings.Contains(p.Title, "源城") ||
			strings.Contains(q, "政策") {
			hits = append(hits, p)
		}
	}
	return hits
}

func (e *testEngine) Answer(ctx context.Context, q rag.Query, onPartial func(string)) (*rag.Result, error) {
	e.mu.Lock()
	e.queries = append(e.queries, q)
	fail, panics := e.fail, e.panics
	e.mu.Unlock()
	if panics {
		panic("engine bug")
	}
	if fail != nil {
		return nil, fail
	}
	res := &rag.Result{Question: q.Question, Mode: rag.ModeExtractive}
	hits := e.retrieve(q.Question)
	if len(hits) == 0 {
		res.Answer = "已收录的文件中没有关于这个问题的内容。"
		res.Nearest = []string{e.passages[0].Title}
		res.Unsupported = []string{}
		return res, nil
	}
	res.Answered, res.Passages = true, hits
	for i, p := range hits {
		res.Citations = append(res.Citations, rag.Citation{N: i + 1, ChunkID: p.ChunkID, Source: p.Source, Title: p.Title,
			Section: p.Section, Date: p.Date, Locus: p.Locus, Quote: p.Text})
	}
	extractive := func() *rag.Result {
		res.Answer = hits[0].Text + " [1]"
		return res
	}
	if !e.llm {
		return extractive(), nil
	}
	msgs := []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleSystem, Content: "只根据资料回答。\n" + hits[0].Text}}
	for _, t := range q.History {
		msgs = append(msgs, openai.ChatCompletionMessage{Role: t.Role, Content: t.Content})
	}
	msgs = append(msgs, openai.ChatCompletionMessage{Role: openai.ChatMessageRoleUser, Content: q.Question})
	stream, err := e.client.CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{Model: "fake-chat", Messages: msgs, Stream: true})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		res.Mode = rag.ModeExtractiveFallback
		return extractive(), nil
	}
	defer stream.Close()
	var acc strings.Builder
	for {
		r, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			res.Mode = rag.ModeExtractiveFallback
			return extractive(), nil
		}
		if len(r.Choices) > 0 && r.Choices[0].Delta.Content != "" {
			acc.WriteString(r.Choices[0].Delta.Content)
			onPartial(acc.String())
		}
	}
	res.Mode, res.Answer = rag.ModeLLM, acc.String()
	return res, nil
}

func (e *testEngine) Passage(id string) (rag.Passage, bool) {
	for _, p := range e.passages {
		if p.ChunkID == id {
			return p, true
		}
	}
	return rag.Passage{}, false
}

func (e *testEngine) Documents() []ingest.Document {
	return []ingest.Document{
		{Title: e.passages[0].Title, Issuer: "河南省人民政府", Date: "2017-06-07", Chunks: 42},
		{Title: e.passages[1].Title, Issuer: "河源日报", Date: "2021-09-01", Chunks: 7},
	}
}

// reloadingEngine adds /reload support.
type reloadingEngine struct {
	*testEngine
	reloads int
	mu      sync.Mutex
}

func (r *reloadingEngine) Reload(context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reloads++
	return "新增 1 份文件，共 3 份。", nil
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// seedsLLM is an engineChange for newTestBot: the bot answers with the
// real engine over the seed corpus, writing answers with the test's fake
// model.
func seedsLLM(t testing.TB) func(*testEngine) Answerer {
	return func(e *testEngine) Answerer { return testengine.SeedsLLM(t, e.ai) }
}

// testEnv is a bot running against the fake Bot API and the fake model.
type testEnv struct {
	t      testing.TB
	tg     *faketg.Server
	ai     *fakeopenai.Server
	engine *testEngine
	// answerer is what the bot answers with: engine, or what engineChange returned.
	answerer Answerer
	bot      *Bot
	logs     *syncBuffer
	cancel   context.CancelFunc
	done     chan error
}

// chatReply is the fake model's default answer: it cites [1] and carries
// characters that must be escaped.
func chatReply(req fakeopenai.ChatRequest) string {
	return "根据文件，示范区的目标是产城融合 <b>格局</b> 基本形成 & 一体化水平提高[1]。"
}

// newTestBot starts a bot on a fresh fake Bot API with the given options
// changes. It is the one place the Answerer is chosen: the small test
// engine over the fake model, unless engineChange returns another one
// (seedsLLM: the real engine over the seeds).
func newTestBot(t testing.TB, change func(*Options), engineChange func(*testEngine) Answerer) *testEnv {
	t.Helper()
	tg := faketg.New(testToken)
	ai := fakeopenai.New(t, fakeopenai.WithChat(chatReply), fakeopenai.WithStreamDelay(2*time.Millisecond))
	cfg := openai.DefaultConfig("test-key")
	cfg.BaseURL = ai.URL
	engine := &testEngine{client: openai.NewClientWithConfig(cfg), ai: ai, llm: true, passages: testPassages()}
	var a Answerer = engine
	if engineChange != nil {
		a = engineChange(engine)
	}
	logs := &syncBuffer{}
	opts := Options{
		Token:                 testToken,
		APIURL:                tg.URL,
		AllowedUsers:          []int64{alice.ID, bob.ID},
		Admins:                []int64{admin.ID},
		PollTimeout:           2 * time.Second,
		StreamIntervalPrivate: 50 * time.Millisecond,
		StreamIntervalGroup:   150 * time.Millisecond,
		AnswerTimeout:         10 * time.Second,
		RateLimitPerMinute:    100,
		MemoryTurns:           6,
		MemoryTTL:             30 * time.Minute,
		FeedbackRetention:     720 * time.Hour,
		FeedbackPath:          t.TempDir() + "/feedback.jsonl",
		Logger:                slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if change != nil {
		change(&opts)
	}
	b, err := New(opts, a)
	if err != nil {
		tg.Close()
		t.Fatalf("New: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	env := &testEnv{t: t, tg: tg, ai: ai, engine: engine, answerer: a, bot: b, logs: logs, cancel: cancel, done: make(chan error, 1)}
	go func() { env.done <- b.Run(ctx) }()
	t.Cleanup(env.stop)
	return env
}

// sourceButtons returns the chunk ids of m's source buttons, in order.
func sourceButtons(m faketg.Sent) []string {
	var ids []string
	if m.ReplyMarkup == nil {
		return nil
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if id, ok := strings.CutPrefix(b.CallbackData, "s:"); ok {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// seedTitles returns the titles of the documents a engine holds.
func seedTitles(a Answerer) map[string]bool {
	m := map[string]bool{}
	for _, d := range a.Documents() {
		m[d.Title] = true
	}
	return m
}

// stop stops the bot (once) and closes the fake Bot API.
func (e *testEnv) stop() {
	if e.cancel == nil {
		return
	}
	e.cancel()
	e.cancel = nil
	select {
	case err := <-e.done:
		if err != nil {
			e.t.Errorf("Run: %v", err)
		}
	case <-time.After(15 * time.Second):
		e.t.Errorf("Run did not return 15 s after cancel")
	}
	e.tg.Close()
	if strings.Contains(e.logs.String(), testToken) {
		e.t.Errorf("the bot token appears in the logs")
	}
}

// waitFinal waits until the bot's last message in chat carries the
// feedback keyboard (the final answer) and returns all its messages.
func (e *testEnv) waitFinal(chatID int64, n int) []faketg.Sent {
	e.t.Helper()
	var msgs []faketg.Sent
	ok := faketg.Wait(10*time.Second, func() bool {
		msgs = e.tg.BotMessages(chatID)
		finals := 0
		for _, m := range msgs {
			if hasFeedback(m) || strings.Contains(m.Text, "抱歉") {
				finals++
			}
		}
		return finals >= n
	})
	if !ok {
		e.t.Fatalf("chat %d: no final answer after 10 s; bot messages: %+v", chatID, texts(msgs))
	}
	return msgs
}

func hasFeedback(m faketg.Sent) bool {
	if m.ReplyMarkup == nil {
		return false
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if strings.HasPrefix(b.CallbackData, "f:") {
				return true
			}
		}
	}
	return false
}

func texts(msgs []faketg.Sent) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Raw)
	}
	return out
}

// settle gives the bot time to (wrongly) react to an update that should be
// ignored: it waits until the update is confirmed and in-flight work is done.
func (e *testEnv) settle() {
	e.t.Helper()
	if !faketg.Wait(5*time.Second, func() bool { return e.tg.Pending() == 0 }) {
		e.t.Fatalf("bot did not fetch pending updates")
	}
	// The update was fetched; give its handler a moment to send anything.
	time.Sleep(150 * time.Millisecond)
}

// The real engine plugs in unchanged.
var _ Answerer = (*rag.Engine)(nil)
