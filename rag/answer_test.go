package rag_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"policybot/config"
	"policybot/embed"
	"policybot/internal/fakeopenai"
	"policybot/internal/testengine"
	"policybot/lexical"
	"policybot/rag"
	"policybot/terms"
)

// ruralIncome is a question the seeds answer from 001 with the figure
// ruralFigure; the extractive path answers it, so LLM mode reaches the model.
const (
	ruralIncome = "济源2018年农村居民人均可支配收入是多少元？"
	ruralFigure = "18446"
)

// engineParts are the tokenizer and embedder an engine over the seeds
// index needs, built once per test binary (the tokenizer's dictionary
// takes a second or two to load).
type engineParts struct {
	tok *lexical.Tokenizer
	emb *embed.Builtin
	tt  *terms.Table
}

var sharedParts = sync.OnceValues(func() (*engineParts, error) {
	tok, err := lexical.NewTokenizer()
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %w", err)
	}
	tt := terms.Builtin()
	return &engineParts{tok: tok, emb: embed.NewBuiltin(tt, tok), tt: tt}, nil
})

// llmEngine returns an engine over the seeds index that asks srv's model
// through the real go-openai client, with generator options gopts and
// follow-up rewriting on or off.
func llmEngine(t *testing.T, srv *fakeopenai.Server, rewrite bool, gopts ...rag.Option) *rag.Engine {
	t.Helper()
	ix := testengine.Seeds(t).Index()
	p, err := sharedParts()
	if err != nil {
		t.Fatal(err)
	}
	cc := openai.DefaultConfig("test-key")
	cc.BaseURL = srv.URL
	g, err := rag.NewGenerator(openai.NewClientWithConfig(cc), testengine.Model, gopts...)
	if err != nil {
		t.Fatal(err)
	}
	def := config.Default()
	eng, err := rag.New(ix, p.emb, p.tok, p.tt, rag.Options{
		K: def.Retrieval.K, Candidates: def.Retrieval.Candidates, Mode: def.Retrieval.Mode,
		VectorWeight: def.Retrieval.VectorWeight, MaxAnswerChars: def.Answer.MaxChars,
		RerankTopN: def.Rerank.TopN, Generator: g, RewriteFollowups: rewrite,
	})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

// rePromptPassage finds the numbered passages in the answer prompt.
var rePromptPassage = regexp.MustCompile(`(?m)^\[(\d+)\] 《`)

// passageWith returns the number the prompt of req gives the first passage
// holding needle, or 0.
func passageWith(req fakeopenai.ChatRequest, needle string) int {
	msg := req.LastUserMessage()
	locs := rePromptPassage.FindAllStringSubmatchIndex(msg, -1)
	for i, l := range locs {
		end := len(msg)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		if strings.Contains(msg[l[0]:end], needle) {
			n, _ := strconv.Atoi(msg[l[2]:l[3]])
			return n
		}
	}
	return 0
}

// isRewrite reports whether req is the follow-up rewrite request.
func isRewrite(req fakeopenai.ChatRequest) bool {
	return len(req.Messages) > 0 && strings.Contains(req.Messages[0].Content, "改写")
}

// citing returns a chat function that answers with format, whose %d is
// the number of the passage holding needle.
func citing(format, needle string) fakeopenai.ChatFunc {
	return func(req fakeopenai.ChatRequest) string {
		return fmt.Sprintf(format, passageWith(req, needle))
	}
}

func chatRequests(t *testing.T, srv *fakeopenai.Server) []fakeopenai.ChatRequest {
	t.Helper()
	var out []fakeopenai.ChatRequest
	for _, r := range srv.Requests() {
		if r.Path != fakeopenai.PathChat {
			continue
		}
		var req fakeopenai.ChatRequest
		if err := r.DecodeJSON(&req); err != nil {
			t.Fatal(err)
		}
		out = append(out, req)
	}
	return out
}

func TestLLMAnswerIsCheckedAgainstThePassages(t *testing.T) {
	tests := []struct {
		name            string
		reply           string // %d is the number of the passage holding ruralFigure
		wantCited       bool
		wantUnsupported int
		wantNot         string
	}{
		{"a citation beyond the passages is removed and the valid one kept",
			"济源2018年农村居民人均可支配收入达18446元[%d]。详情见资料[9]。", true, 0, "[9]"},
		{"a figure the cited passage lacks is listed as unsupported",
			"济源2018年农村居民人均可支配收入达19999元[%d]。", true, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeopenai.New(t, fakeopenai.WithChat(citing(tt.reply, ruralFigure)))
			eng := testengine.SeedsLLM(t, srv)
			res := answer(t, eng, rag.Query{Question: ruralIncome})
			if res.Mode != rag.ModeLLM {
				t.Fatalf("got mode %q (error %q), want %q", res.Mode, res.Error, rag.ModeLLM)
			}
			if !res.Answered {
				t.Fatalf("got refusal %q, want an answer", res.Answer)
			}
			checkConsistent(t, res)
			n := 0
			for i, p := range res.Passages {
				if strings.Contains(p.Text, ruralFigure) {
					n = i + 1
					break
				}
			}
			if n == 0 {
				t.Fatalf("no passage holds %s", ruralFigure)
			}
			if len(res.Citations) != 1 || res.Citations[0].N != n {
				t.Errorf("got citations %+v, want exactly [%d]", res.Citations, n)
			}
			if !strings.Contains(res.Answer, fmt.Sprintf("[%d]", n)) {
				t.Errorf("got answer %q, want it to keep [%d]", res.Answer, n)
			}
			if tt.wantNot != "" && strings.Contains(res.Answer, tt.wantNot) {
				t.Errorf("got answer %q, want %s removed", res.Answer, tt.wantNot)
			}
			if len(res.Unsupported) != tt.wantUnsupported {
				t.Errorf("got unsupported %q, want %d sentences", res.Unsupported, tt.wantUnsupported)
			}
			for _, u := range res.Unsupported {
				if !strings.Contains(u, "19999") {
					t.Errorf("got unsupported %q, want the sentence with 19999", u)
				}
			}
			if tt.wantUnsupported > 0 && !strings.Contains(res.Answer, rag.FigureWarning) {
				t.Errorf("got answer %q, want the figure warning", res.Answer)
			}
			if res.Error != "" {
				t.Errorf("got error %q, want none", res.Error)
			}
		})
	}
}

func TestLLMRefusalMarkerRefuses(t *testing.T) {
	srv := fakeopenai.New(t, fakeopenai.WithChat(func(fakeopenai.ChatRequest) string { return rag.LLMRefusal }))
	eng := testengine.SeedsLLM(t, srv)
	res := answer(t, eng, rag.Query{Question: ruralIncome})
	if res.Answered {
		t.Fatalf("got answer %q, want a refusal", res.Answer)
	}
	if len(res.Citations) != 0 {
		t.Errorf("got citations %+v, want none", res.Citations)
	}
	if len(res.Nearest) == 0 || !strings.Contains(res.Answer, "《"+res.Nearest[0]+"》") {
		t.Errorf("got nearest %q and answer %q, want the answer to name the nearest documents", res.Nearest, res.Answer)
	}
	if got := srv.RequestCount(fakeopenai.PathChat); got != 1 {
		t.Errorf("got %d chat requests, want 1", got)
	}
}

func TestLLMFailureFallsBackToExtractive(t *testing.T) {
	const timeout = 400 * time.Millisecond
	tests := []struct {
		name        string
		breakServer func(*fakeopenai.Server)
	}{
		{"a 500 from the server falls back", func(s *fakeopenai.Server) { s.FailNext(1, http.StatusInternalServerError) }},
		{"a 429 from the server falls back", func(s *fakeopenai.Server) { s.FailNext(1, http.StatusTooManyRequests) }},
		{"a server hanging past the generator timeout falls back", func(s *fakeopenai.Server) { s.HangNext(1) }},
		{"a stream cut mid-way falls back", func(s *fakeopenai.Server) { s.CutStreamAfter(2) }},
		{"a malformed stream falls back", func(s *fakeopenai.Server) { s.MalformNext(1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeopenai.New(t, fakeopenai.WithChat(citing("农村居民人均可支配收入达18446元[%d]。", ruralFigure)))
			eng := llmEngine(t, srv, false, rag.WithTimeout(timeout))
			tt.breakServer(srv)
			start := time.Now()
			res := answer(t, eng, rag.Query{Question: ruralIncome})
			if took := time.Since(start); took > timeout+5*time.Second {
				t.Errorf("took %v, want the timeout %v to bound the answer", took, timeout)
			}
			if res.Mode != rag.ModeExtractiveFallback {
				t.Fatalf("got mode %q, want %q", res.Mode, rag.ModeExtractiveFallback)
			}
			if !res.Answered {
				t.Errorf("got not answered, want the extractive answer")
			}
			if !strings.HasPrefix(res.Answer, rag.FallbackConvertedLabel) { // the answer quotes traditional 001
				t.Errorf("got answer %q, want it to start with %q", res.Answer, rag.FallbackConvertedLabel)
			}
			if !strings.Contains(res.Answer, ruralFigure) {
				t.Errorf("got answer %q, want the extracted figure %s", res.Answer, ruralFigure)
			}
			if len(res.Citations) == 0 {
				t.Errorf("got no citations, want the extractive ones")
			}
			checkConsistent(t, res)
			if res.Error == "" {
				t.Errorf("got no error, want the model failure recorded")
			}
		})
	}
}

func TestLLMAnswerCancelledReturnsTheContextError(t *testing.T) {
	srv := fakeopenai.New(t)
	eng := testengine.SeedsLLM(t, srv)
	srv.HangNext(1)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	res, err := eng.Answer(ctx, rag.Query{Question: ruralIncome}, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got result %+v and error %v, want context.DeadlineExceeded", res, err)
	}
}

func TestLLMAnswerStreamsGrowingPrefixes(t *testing.T) {
	srv := fakeopenai.New(t, fakeopenai.WithChat(citing("济源2018年农村居民人均可支配收入达18446元，居全省第2位[%d]。", ruralFigure)),
		fakeopenai.WithStreamChunkSize(3))
	eng := testengine.SeedsLLM(t, srv)
	var partials []string
	res, err := eng.Answer(context.Background(), rag.Query{Question: ruralIncome}, func(text string) {
		partials = append(partials, text)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(partials) < 3 {
		t.Fatalf("got %d partial texts %q, want one per streamed chunk", len(partials), partials)
	}
	for i := 1; i < len(partials); i++ {
		if !strings.HasPrefix(partials[i], partials[i-1]) || len(partials[i]) <= len(partials[i-1]) {
			t.Errorf("partial %d %q does not grow from partial %d %q", i, partials[i], i-1, partials[i-1])
		}
	}
	if last := partials[len(partials)-1]; last != res.Answer {
		t.Errorf("got last partial %q, want the final answer %q", last, res.Answer)
	}
}

func TestLLMRewritesFollowUps(t *testing.T) {
	const rewritten = "济源2019年一般公共预算收入预期增长多少？"
	history := []rag.Turn{
		{Role: "user", Content: "济源2018年一般公共预算收入增长了多少？"},
		{Role: "assistant", Content: "增长24.1%[1]。"},
	}
	t.Run("the model's rewrite becomes the standalone question", func(t *testing.T) {
		srv := fakeopenai.New(t, fakeopenai.WithChat(func(req fakeopenai.ChatRequest) string {
			if isRewrite(req) {
				return "改写后的问题：" + rewritten
			}
			return fmt.Sprintf("2019年一般公共预算收入预期增长12%%左右[%d]。", passageWith(req, "12%"))
		}))
		eng := llmEngine(t, srv, true)
		res := answer(t, eng, rag.Query{Question: "那2019年呢？", History: history})
		if res.Standalone != rewritten {
			t.Errorf("got standalone %q, want the model's rewrite %q", res.Standalone, rewritten)
		}
		reqs := chatRequests(t, srv)
		if len(reqs) != 2 {
			t.Fatalf("got %d chat requests, want a rewrite and an answer", len(reqs))
		}
		if !isRewrite(reqs[0]) {
			t.Errorf("got first request %q, want the rewrite", reqs[0].Messages[0].Content)
		}
		if u := reqs[0].LastUserMessage(); !strings.Contains(u, "那2019年呢？") || !strings.Contains(u, history[0].Content) {
			t.Errorf("got rewrite request %q, want the follow-up and the earlier question", u)
		}
		if u := reqs[1].LastUserMessage(); !strings.Contains(u, "问题："+rewritten) {
			t.Errorf("got answer request ending %q, want it to ask the rewritten question", u[max(0, len(u)-200):])
		}
		if !res.Answered || !strings.Contains(res.Answer, "12%") {
			t.Errorf("got answered=%v %q, want the 2019 answer", res.Answered, res.Answer)
		}
	})
	t.Run("a failing rewrite falls back to the follow-up rule", func(t *testing.T) {
		srv := fakeopenai.New(t)
		srv.FailNext(1, http.StatusInternalServerError)
		eng := llmEngine(t, srv, true)
		res := answer(t, eng, rag.Query{Question: "那2019年呢？", History: history})
		if !strings.Contains(res.Standalone, "2019") || !strings.Contains(res.Standalone, "一般公共预算收入") {
			t.Errorf("got standalone %q, want 2019 with the earlier subject", res.Standalone)
		}
	})
	t.Run("a question without history is not rewritten", func(t *testing.T) {
		srv := fakeopenai.New(t, fakeopenai.WithChat(citing("农村居民人均可支配收入达18446元[%d]。", ruralFigure)))
		eng := llmEngine(t, srv, true)
		res := answer(t, eng, rag.Query{Question: ruralIncome})
		if res.Standalone != "" {
			t.Errorf("got standalone %q, want none", res.Standalone)
		}
		for _, req := range chatRequests(t, srv) {
			if isRewrite(req) {
				t.Errorf("got a rewrite request %q, want none", req.LastUserMessage())
			}
		}
	})
}

func TestLLMAnswerConcurrently(t *testing.T) {
	srv := fakeopenai.New(t, fakeopenai.WithChat(citing("农村居民人均可支配收入达18446元[%d]。", ruralFigure)))
	eng := testengine.SeedsLLM(t, srv)
	const n = 20
	res := make([]*rag.Result, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res[i], errs[i] = eng.Answer(context.Background(), rag.Query{Question: ruralIncome}, func(string) {})
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("goroutine %d: %v", i, errs[i])
			continue
		}
		if res[i].Mode != rag.ModeLLM || !strings.Contains(res[i].Answer, ruralFigure) || len(res[i].Citations) != 1 {
			t.Errorf("goroutine %d: got mode %q answer %q citations %d, want the model's cited answer", i, res[i].Mode, res[i].Answer, len(res[i].Citations))
		}
	}
	if got := srv.RequestCount(fakeopenai.PathChat); got != n {
		t.Errorf("got %d chat requests, want %d", got, n)
	}
}

func TestExtractiveAnswerScript(t *testing.T) {
	tests := []struct {
		name      string
		eng       *rag.Engine
		question  string
		label     string
		inAnswer  string // text the answer shows
		notAnswer string // text the answer must not show
		inQuote   string // text a citation's quote keeps
	}{
		{"a traditional-script answer is shown in simplified under the converted label, its quote kept",
			testengine.Seeds(t), ruralIncome, rag.ConvertedLabel, "农村居民人均可支配收入达18446元", "農村", "農村居民人均可支配收入達18446元"},
		{"script original keeps the traditional text under the 原文 label",
			testengine.SeedsScript(t, rag.ScriptOriginal), ruralIncome, rag.ExcerptLabel, "農村居民人均可支配收入達18446元", "农村", "農村居民人均可支配收入達18446元"},
		{"a simplified-only answer keeps the 原文 label",
			testengine.Seeds(t), "济源是哪一年撤县建市的？", rag.ExcerptLabel, "1988", "", "1988"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := answer(t, tt.eng, rag.Query{Question: tt.question})
			if !res.Answered || res.Mode != rag.ModeExtractive {
				t.Fatalf("got answered %v mode %q (%s) %q, want an extractive answer", res.Answered, res.Mode, res.RefusalReason, res.Answer)
			}
			if label, _, _ := strings.Cut(res.Answer, "\n"); label != tt.label {
				t.Errorf("got label %q, want %q", label, tt.label)
			}
			if !strings.Contains(res.Answer, tt.inAnswer) {
				t.Errorf("got answer %q, want it to show %q", res.Answer, tt.inAnswer)
			}
			if tt.notAnswer != "" && strings.Contains(res.Answer, tt.notAnswer) {
				t.Errorf("got answer %q, want no %q", res.Answer, tt.notAnswer)
			}
			if !slices.ContainsFunc(res.Citations, func(c rag.Citation) bool { return strings.Contains(c.Quote, tt.inQuote) }) {
				t.Errorf("got citations %+v, want a quote holding %q", res.Citations, tt.inQuote)
			}
			checkConsistent(t, res)
			for _, c := range res.Citations {
				// The quote is original text, within the passage's exact byte
				// range of the file (less its pinyin annotations).
				span := squash(rePinyin.ReplaceAllString(seedSpan(t, c.Source, c.Start, c.End), ""))
				for _, q := range strings.FieldsFunc(c.Quote, func(r rune) bool { return strings.ContainsRune("。；;", r) }) {
					if !strings.Contains(span, squash(q)) {
						t.Errorf("citation [%d]: file bytes [%d,%d) of %s do not hold its quote %q", c.N, c.Start, c.End, c.Source, q)
					}
				}
			}
		})
	}
}

func TestNewRejectsAnUnknownScript(t *testing.T) {
	p, err := sharedParts()
	if err != nil {
		t.Fatal(err)
	}
	_, err = rag.New(testengine.Seeds(t).Index(), p.emb, p.tok, p.tt, rag.Options{Script: "traditional"})
	if err == nil || !strings.Contains(err.Error(), "traditional") {
		t.Errorf("got error %v, want one naming the unknown script", err)
	}
}
