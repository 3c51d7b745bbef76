package fakeopenai_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sashabaranov/go-openai"

	"policybot/internal/fakeopenai"
)

func newClient(s *fakeopenai.Server, key string) *openai.Client {
	cfg := openai.DefaultConfig(key)
	cfg.BaseURL = s.URL
	return openai.NewClientWithConfig(cfg)
}

func chatReq(text string) openai.ChatCompletionRequest {
	return openai.ChatCompletionRequest{
		Model:    "fake-chat",
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleSystem, Content: "be brief"}, {Role: openai.ChatMessageRoleUser, Content: text}},
	}
}

func TestChatCompletion(t *testing.T) {
	s := fakeopenai.New(t, fakeopenai.WithAPIKey("sk-test"))
	c := newClient(s, "sk-test")

	resp, err := c.CreateChatCompletion(context.Background(), chatReq("什么是补贴政策?"))
	if err != nil {
		t.Fatalf("CreateChatCompletion: %v", err)
	}
	if got, want := resp.Choices[0].Message.Content, "echo: 什么是补贴政策?"; got != want {
		t.Errorf("reply = %q, want %q", got, want)
	}
	if got, want := resp.Choices[0].FinishReason, openai.FinishReasonStop; got != want {
		t.Errorf("finish_reason = %q, want %q", got, want)
	}
	if resp.Usage.TotalTokens == 0 {
		t.Error("usage.total_tokens = 0, want > 0")
	}

	reqs := s.Requests()
	if len(reqs) != 1 {
		t.Fatalf("recorded %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != fakeopenai.PathChat {
		t.Errorf("recorded %s %s, want POST %s", r.Method, r.Path, fakeopenai.PathChat)
	}
	if got := r.Header.Get("Authorization"); got != "Bearer sk-test" {
		t.Errorf("Authorization = %q, want %q", got, "Bearer sk-test")
	}
	var body fakeopenai.ChatRequest
	if err := r.DecodeJSON(&body); err != nil {
		t.Fatal(err)
	}
	if got := body.LastUserMessage(); got != "什么是补贴政策?" {
		t.Errorf("recorded user message = %q", got)
	}
}

func TestSetChatDecidesReply(t *testing.T) {
	s := fakeopenai.New(t)
	s.SetChat(func(req fakeopenai.ChatRequest) string {
		return strings.ToUpper(req.LastUserMessage()) + " via " + req.Model
	})
	resp, err := newClient(s, "").CreateChatCompletion(context.Background(), chatReq("abc"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.Choices[0].Message.Content, "ABC via fake-chat"; got != want {
		t.Errorf("reply = %q, want %q", got, want)
	}
}

func readStream(t *testing.T, stream *openai.ChatCompletionStream) (text string, chunks int, finish openai.FinishReason, err error) {
	t.Helper()
	var b strings.Builder
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return b.String(), chunks, finish, nil
		}
		if err != nil {
			return b.String(), chunks, finish, err
		}
		if len(resp.Choices) == 0 {
			continue
		}
		if d := resp.Choices[0].Delta.Content; d != "" {
			b.WriteString(d)
			chunks++
		}
		if resp.Choices[0].FinishReason != "" {
			finish = resp.Choices[0].FinishReason
		}
	}
}

func TestChatStream(t *testing.T) {
	tests := []struct {
		name       string
		chunkSize  int
		reply      string
		wantChunks int
	}{
		{"a reply is split into chunks of the configured rune count", 3, "一二三四五六七", 3},
		{"a chunk size of one sends one rune per chunk", 1, "政策", 2},
		{"a reply shorter than a chunk is sent whole", 50, "short", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakeopenai.New(t, fakeopenai.WithStreamChunkSize(tt.chunkSize))
			s.SetChat(func(fakeopenai.ChatRequest) string { return tt.reply })
			req := chatReq("q")
			req.Stream = true
			stream, err := newClient(s, "").CreateChatCompletionStream(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			defer stream.Close()
			text, chunks, finish, err := readStream(t, stream)
			if err != nil {
				t.Fatalf("Recv: %v", err)
			}
			if text != tt.reply || chunks != tt.wantChunks || finish != openai.FinishReasonStop {
				t.Errorf("got %q in %d chunks finish %q, want %q in %d chunks finish stop", text, chunks, finish, tt.reply, tt.wantChunks)
			}
		})
	}
}

func TestChatStreamIncludesUsageWhenAsked(t *testing.T) {
	s := fakeopenai.New(t)
	req := chatReq("hello")
	req.Stream = true
	req.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	stream, err := newClient(s, "").CreateChatCompletionStream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	var usage *openai.Usage
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if resp.Usage != nil {
			usage = resp.Usage
		}
	}
	if usage == nil || usage.CompletionTokens != len([]rune("echo: hello")) {
		t.Errorf("usage = %+v, want completion_tokens %d", usage, len([]rune("echo: hello")))
	}
}

func TestStreamDelayIsInterruptedByCancel(t *testing.T) {
	s := fakeopenai.New(t, fakeopenai.WithStreamChunkSize(1))
	s.SetStreamDelay(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	req := chatReq("q")
	req.Stream = true
	stream, err := newClient(s, "").CreateChatCompletionStream(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	if _, err := stream.Recv(); err != nil { // the role chunk comes before any delay
		t.Fatalf("first Recv: %v", err)
	}
	cancel()
	if _, err := stream.Recv(); err == nil {
		t.Fatal("Recv after cancel: got nil error, want one")
	}
}

func TestCutStreamEndsWithoutDone(t *testing.T) {
	s := fakeopenai.New(t, fakeopenai.WithStreamChunkSize(1))
	s.SetChat(func(fakeopenai.ChatRequest) string { return "abcdef" })
	s.CutStreamAfter(2)
	req := chatReq("q")
	req.Stream = true
	stream, err := newClient(s, "").CreateChatCompletionStream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	text, _, finish, err := readStream(t, stream)
	if err == nil {
		t.Fatalf("got clean end after %q, want an error", text)
	}
	if text != "ab" || finish != "" {
		t.Errorf("got %q finish %q before the cut, want %q and no finish", text, finish, "ab")
	}

	// The cut applies once: the next stream is whole.
	stream2, err := newClient(s, "").CreateChatCompletionStream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream2.Close()
	if text, _, _, err := readStream(t, stream2); err != nil || text != "abcdef" {
		t.Errorf("second stream = %q, %v; want %q, nil", text, err, "abcdef")
	}
}

func TestErrorsSurfaceAsAPIError(t *testing.T) {
	tests := []struct {
		name       string
		setup      func(s *fakeopenai.Server)
		key        string
		wantStatus int
		wantType   string
		wantRetry  string
	}{
		{"a wrong API key is answered 401", func(*fakeopenai.Server) {}, "sk-wrong", 401, "invalid_request_error", ""},
		{"an injected 500 is a server_error", func(s *fakeopenai.Server) { s.FailNext(1, 500) }, "sk-test", 500, "server_error", ""},
		{"an injected 503 carries Retry-After", func(s *fakeopenai.Server) { s.FailNext(1, 503) }, "sk-test", 503, "server_error", "0"},
		{"an injected 429 carries Retry-After", func(s *fakeopenai.Server) {
			s.FailNextWith(1, fakeopenai.Fault{Status: 429, RetryAfter: "7"})
		}, "sk-test", 429, "rate_limit_error", "7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakeopenai.New(t, fakeopenai.WithAPIKey("sk-test"))
			tt.setup(s)
			_, err := newClient(s, tt.key).CreateChatCompletion(context.Background(), chatReq("q"))
			var apiErr *openai.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T), want *openai.APIError", err, err)
			}
			if apiErr.HTTPStatusCode != tt.wantStatus || apiErr.Type != tt.wantType {
				t.Errorf("got status %d type %q, want %d %q", apiErr.HTTPStatusCode, apiErr.Type, tt.wantStatus, tt.wantType)
			}
		})
	}
	t.Run("Retry-After reaches the wire", func(t *testing.T) {
		s := fakeopenai.New(t)
		s.FailNextWith(1, fakeopenai.Fault{Status: 429, RetryAfter: "7"})
		resp, err := http.Post(s.URL+"/embeddings", "application/json", strings.NewReader(`{"model":"m","input":"x"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if got := resp.Header.Get("Retry-After"); resp.StatusCode != 429 || got != "7" {
			t.Errorf("got %d Retry-After %q, want 429 %q", resp.StatusCode, got, "7")
		}
	})
}

func TestFailNextCountsDown(t *testing.T) {
	s := fakeopenai.New(t)
	s.FailNext(2, 500)
	c := newClient(s, "")
	for i, wantErr := range []bool{true, true, false} {
		_, err := c.CreateChatCompletion(context.Background(), chatReq("q"))
		if (err != nil) != wantErr {
			t.Errorf("request %d: err = %v, want error %v", i, err, wantErr)
		}
	}
}

func TestFaultLimitedToPathSparesOthers(t *testing.T) {
	s := fakeopenai.New(t)
	s.FailNextWith(1, fakeopenai.Fault{Status: 500, Path: fakeopenai.PathEmbeddings})
	c := newClient(s, "")
	if _, err := c.CreateChatCompletion(context.Background(), chatReq("q")); err != nil {
		t.Errorf("chat with an embeddings fault queued: %v", err)
	}
	_, err := c.CreateEmbeddings(context.Background(), openai.EmbeddingRequestStrings{Model: "e", Input: []string{"x"}})
	if err == nil {
		t.Error("embeddings: got nil error, want the injected 500")
	}
}

func TestBadRequestsAreRejected(t *testing.T) {
	tests := []struct {
		name, method, path, body string
		wantStatus               int
	}{
		{"a chat request without messages is 400", "POST", fakeopenai.PathChat, `{"model":"m","messages":[]}`, 400},
		{"a chat request without model is 400", "POST", fakeopenai.PathChat, `{"messages":[{"role":"user","content":"x"}]}`, 400},
		{"a body that is not JSON is 400", "POST", fakeopenai.PathEmbeddings, `{"model":`, 400},
		{"embeddings without input is 400", "POST", fakeopenai.PathEmbeddings, `{"model":"m"}`, 400},
		{"GET on chat is 405", "GET", fakeopenai.PathChat, ``, 405},
		{"an unknown path is 404", "POST", "/v1/completions/nope", `{}`, 404},
		{"rerank without query is 400", "POST", fakeopenai.PathRerank, `{"documents":["a"]}`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakeopenai.New(t)
			req, _ := http.NewRequest(tt.method, s.HostURL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e struct {
				Error struct {
					Message string `json:"message"`
					Type    string `json:"type"`
				} `json:"error"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
				t.Fatalf("error body is not OpenAI JSON: %v", err)
			}
			if resp.StatusCode != tt.wantStatus || e.Error.Message == "" || e.Error.Type == "" {
				t.Errorf("got %d %+v, want %d with message and type", resp.StatusCode, e.Error, tt.wantStatus)
			}
		})
	}
}

func TestHangNextWaitsForClientCancel(t *testing.T) {
	s := fakeopenai.New(t)
	s.HangNext(1)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := newClient(s, "").CreateChatCompletion(ctx, chatReq("q"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	if _, err := newClient(s, "").CreateChatCompletion(context.Background(), chatReq("q")); err != nil {
		t.Errorf("request after the hang: %v", err)
	}
}

func TestMalformNextBreaksDecoding(t *testing.T) {
	s := fakeopenai.New(t)
	s.MalformNext(2)
	c := newClient(s, "")
	if _, err := c.CreateChatCompletion(context.Background(), chatReq("q")); err == nil {
		t.Error("chat: got nil error from a malformed body")
	}
	req := chatReq("q")
	req.Stream = true
	stream, err := c.CreateChatCompletionStream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	if _, err := stream.Recv(); err == nil {
		t.Error("stream: got nil error from a malformed chunk")
	}
}

func TestEmbeddings(t *testing.T) {
	s := fakeopenai.New(t, fakeopenai.WithEmbedDim(16))
	c := newClient(s, "")
	inputs := []string{"就业补贴", "住房公积金", ""}
	resp, err := c.CreateEmbeddings(context.Background(), openai.EmbeddingRequestStrings{Model: "bge-m3", Input: inputs})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != len(inputs) || string(resp.Model) != "bge-m3" {
		t.Fatalf("got %d vectors for model %q, want %d for bge-m3", len(resp.Data), resp.Model, len(inputs))
	}
	for i, d := range resp.Data {
		if d.Index != i || d.Object != "embedding" || len(d.Embedding) != 16 {
			t.Errorf("data[%d] = index %d object %q dim %d", i, d.Index, d.Object, len(d.Embedding))
		}
		var norm float64
		for _, x := range d.Embedding {
			norm += float64(x) * float64(x)
		}
		if math.Abs(norm-1) > 1e-5 {
			t.Errorf("data[%d] norm² = %v, want 1", i, norm)
		}
		want := fakeopenai.HashEmbedding(inputs[i], 16)
		for j := range want {
			if want[j] != d.Embedding[j] {
				t.Errorf("data[%d] differs from HashEmbedding at %d", i, j)
				break
			}
		}
	}

	t.Run("a single string input gets one vector", func(t *testing.T) {
		resp, err := c.CreateEmbeddings(context.Background(), openai.EmbeddingRequest{Model: "m", Input: "x"})
		if err != nil || len(resp.Data) != 1 {
			t.Errorf("got %d vectors, err %v; want 1, nil", len(resp.Data), err)
		}
	})
	t.Run("base64 encoding decodes to the same vector", func(t *testing.T) {
		resp, err := c.CreateEmbeddings(context.Background(), openai.EmbeddingRequestStrings{Model: "m", Input: []string{"abc"}, EncodingFormat: openai.EmbeddingEncodingFormatBase64})
		if err != nil {
			t.Fatal(err)
		}
		want := fakeopenai.HashEmbedding("abc", 16)
		if got := resp.Data[0].Embedding; len(got) != 16 || got[3] != want[3] {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("similar texts are closer than unrelated ones", func(t *testing.T) {
		a := fakeopenai.HashEmbedding("城镇职工基本养老保险", 64)
		b := fakeopenai.HashEmbedding("基本养老保险待遇", 64)
		c := fakeopenai.HashEmbedding("carbon emissions trading", 64)
		if dot(a, b) <= dot(a, c) {
			t.Errorf("cos(related) = %v, cos(unrelated) = %v; want related higher", dot(a, b), dot(a, c))
		}
	})
}

func dot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func TestSetEmbedCanReturnWrongCount(t *testing.T) {
	s := fakeopenai.New(t)
	s.SetEmbed(func(_ string, in []string) [][]float32 { return [][]float32{{1, 0}} })
	resp, err := newClient(s, "").CreateEmbeddings(context.Background(), openai.EmbeddingRequestStrings{Model: "m", Input: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != 1 {
		t.Errorf("got %d vectors, want the 1 the custom function returned", len(resp.Data))
	}
}

func TestListModels(t *testing.T) {
	s := fakeopenai.New(t, fakeopenai.WithModels("qwen3", "bge-m3"))
	list, err := newClient(s, "").ListModels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Models) != 2 || list.Models[0].ID != "qwen3" || list.Models[1].ID != "bge-m3" {
		t.Errorf("models = %+v, want qwen3, bge-m3", list.Models)
	}
}

func postJSON(t *testing.T, url, body string) (int, []byte) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func TestRerankDialects(t *testing.T) {
	const jina = `{"model":"bge-reranker","query":"养老保险","documents":["天气","养老","养老保险缴费"],"top_n":2}`
	const tei = `{"query":"养老保险","texts":["天气","养老","养老保险缴费"]}`
	tests := []struct {
		name       string
		style      fakeopenai.RerankStyle
		path, body string
		wantStatus int
		want       string
	}{
		{"a Jina body on /v1/rerank gets results best first cut to top_n", fakeopenai.RerankBoth, fakeopenai.PathRerankV1, jina, 200,
			`{"results":[{"index":2,"relevance_score":1},{"index":1,"relevance_score":0.5}]}`},
		{"a TEI body on /rerank gets a bare array of scores", fakeopenai.RerankBoth, fakeopenai.PathRerank, tei, 200,
			`[{"index":2,"score":1},{"index":1,"score":0.5},{"index":0,"score":0}]`},
		{"a TEI-only server rejects documents with 422", fakeopenai.RerankTEI, fakeopenai.PathRerank, jina, 422, ""},
		{"a Jina-only server rejects texts with 400", fakeopenai.RerankJina, fakeopenai.PathRerank, tei, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakeopenai.New(t, fakeopenai.WithRerankStyle(tt.style))
			status, body := postJSON(t, s.HostURL+tt.path, tt.body)
			if status != tt.wantStatus {
				t.Fatalf("status = %d (%s), want %d", status, body, tt.wantStatus)
			}
			if tt.want == "" {
				return
			}
			// Compare only the fields the clients read.
			var got any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if m, ok := got.(map[string]any); ok {
				got = map[string]any{"results": m["results"]}
			}
			var want any
			json.Unmarshal([]byte(tt.want), &want)
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(want)
			if !bytes.Equal(gb, wb) {
				t.Errorf("got %s, want %s", gb, wb)
			}
		})
	}
}

func TestConcurrentUseIsSafe(t *testing.T) {
	s := fakeopenai.New(t)
	c := newClient(s, "")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			s.SetStreamDelay(time.Duration(i) * time.Microsecond)
			s.SetChat(func(r fakeopenai.ChatRequest) string { return r.LastUserMessage() })
			s.FailNext(1, 503)
			_ = s.Requests()
		}()
		go func() {
			defer wg.Done()
			_, _ = c.CreateChatCompletion(context.Background(), chatReq("q"))
		}()
	}
	wg.Wait()
	if got := s.RequestCount(fakeopenai.PathChat); got != 8 {
		t.Errorf("RequestCount = %d, want 8", got)
	}
}
