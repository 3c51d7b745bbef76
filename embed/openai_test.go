package embed

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/internal/fakeopenai"
)

// newTestEmbedder returns an embedder against s with a millisecond backoff.
func newTestEmbedder(t *testing.T, s *fakeopenai.Server, edit func(*OpenAIConfig)) *OpenAI {
	t.Helper()
	cfg := OpenAIConfig{BaseURL: s.URL, Model: "bge-m3", BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}
	if edit != nil {
		edit(&cfg)
	}
	e, err := NewOpenAI(cfg)
	if err != nil {
		t.Fatalf("NewOpenAI: %v", err)
	}
	return e
}

func texts(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("第%d条 政策文本 %d", i, i*i)
	}
	return out
}

func sameVector(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(float64(a[i]-b[i])) > 1e-6 {
			return false
		}
	}
	return true
}

func TestNewOpenAIValidates(t *testing.T) {
	tests := []struct {
		name     string
		cfg      OpenAIConfig
		wantErrs []string
	}{
		{"an empty config reports both base URL and model", OpenAIConfig{}, []string{"base URL is empty", "model is empty"}},
		{"a base URL without scheme is rejected", OpenAIConfig{BaseURL: "localhost:11434/v1", Model: "m"}, []string{"not an http(s) URL"}},
		{"negative sizes are each reported", OpenAIConfig{BaseURL: "http://h/v1", Model: "m", BatchSize: -1, Concurrency: -2}, []string{"batch size is negative", "concurrency is negative"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewOpenAI(tt.cfg)
			if err == nil {
				t.Fatal("got nil error")
			}
			for _, want := range tt.wantErrs {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}

func TestNewOpenAIFillsDefaults(t *testing.T) {
	e, err := NewOpenAI(OpenAIConfig{BaseURL: "http://localhost:11434/v1/", Model: "bge-m3"})
	if err != nil {
		t.Fatal(err)
	}
	c := e.cfg
	if c.BatchSize != 32 || c.Concurrency != 4 || c.MaxRetries != 5 || c.Timeout != DefaultTimeout || c.BaseDelay != DefaultBaseDelay || c.MaxDelay != DefaultMaxDelay {
		t.Errorf("defaults = %+v", c)
	}
	if c.BaseURL != "http://localhost:11434/v1" {
		t.Errorf("BaseURL = %q, want the trailing slash trimmed", c.BaseURL)
	}
	if got, want := e.Name(), "openai:bge-m3"; got != want {
		t.Errorf("Name() = %q, want %q", got, want)
	}
	noRetry, _ := NewOpenAI(OpenAIConfig{BaseURL: "http://h/v1", Model: "m", MaxRetries: -1})
	if noRetry.cfg.MaxRetries != 0 {
		t.Errorf("MaxRetries -1 became %d, want 0 retries", noRetry.cfg.MaxRetries)
	}
}

func TestEmbedBatchesAndKeepsOrder(t *testing.T) {
	tests := []struct {
		name         string
		n, batch     int
		concurrency  int
		wantRequests int
	}{
		{"70 texts in batches of 32 take 3 requests", 70, 32, 4, 3},
		{"an exact multiple takes no extra request", 64, 32, 2, 2},
		{"one text per batch with high concurrency keeps order", 25, 1, 8, 25},
		{"no texts make no request", 0, 32, 4, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakeopenai.New(t, fakeopenai.WithAPIKey("sk-e"))
			// Later batches answer first, so completion order differs from input order.
			s.SetEmbed(func(model string, in []string) [][]float32 {
				if strings.HasPrefix(in[0], "第0条") {
					time.Sleep(20 * time.Millisecond)
				}
				return fakeopenai.HashEmbedFunc(32)(model, in)
			})
			e := newTestEmbedder(t, s, func(c *OpenAIConfig) {
				c.APIKey, c.BatchSize, c.Concurrency = "sk-e", tt.batch, tt.concurrency
			})
			in := texts(tt.n)
			got, err := e.Embed(context.Background(), in)
			if err != nil {
				t.Fatalf("Embed: %v", err)
			}
			if len(got) != tt.n {
				t.Fatalf("got %d vectors, want %d", len(got), tt.n)
			}
			for i := range in {
				if !sameVector(got[i], fakeopenai.HashEmbedding(in[i], 32)) {
					t.Fatalf("vector %d is not the embedding of input %d", i, i)
				}
			}
			if got := s.RequestCount(fakeopenai.PathEmbeddings); got != tt.wantRequests {
				t.Errorf("requests = %d, want %d", got, tt.wantRequests)
			}
			total := 0
			for _, r := range s.Requests() {
				var body struct {
					Model string   `json:"model"`
					Input []string `json:"input"`
				}
				if err := r.DecodeJSON(&body); err != nil {
					t.Fatal(err)
				}
				if len(body.Input) > tt.batch || body.Model != "bge-m3" || r.Header.Get("Authorization") != "Bearer sk-e" {
					t.Errorf("request had %d inputs, model %q, auth %q", len(body.Input), body.Model, r.Header.Get("Authorization"))
				}
				total += len(body.Input)
			}
			if total != tt.n {
				t.Errorf("sent %d texts in total, want %d", total, tt.n)
			}
		})
	}
}

func TestEmbedNormalizes(t *testing.T) {
	s := fakeopenai.New(t)
	s.SetEmbed(func(_ string, in []string) [][]float32 {
		out := make([][]float32, len(in))
		for i := range in {
			out[i] = []float32{3, 4}
		}
		return out
	})
	got, err := newTestEmbedder(t, s, nil).Embed(context.Background(), []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		if !sameVector(v, []float32{0.6, 0.8}) {
			t.Errorf("vector %d = %v, want [0.6 0.8]", i, v)
		}
	}
}

func TestEmbedRetriesTransientFailures(t *testing.T) {
	tests := []struct {
		name         string
		fault        fakeopenai.Fault
		failures     int
		wantRequests int
	}{
		{"a 429 with Retry-After is retried", fakeopenai.Fault{Status: 429, RetryAfter: "0"}, 2, 3},
		{"a 500 is retried", fakeopenai.Fault{Status: 500}, 1, 2},
		{"a 503 is retried", fakeopenai.Fault{Status: 503}, 3, 4},
		{"a 502 from a proxy is retried", fakeopenai.Fault{Status: 502}, 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakeopenai.New(t)
			s.FailNextWith(tt.failures, tt.fault)
			got, err := newTestEmbedder(t, s, nil).Embed(context.Background(), []string{"x"})
			if err != nil {
				t.Fatalf("Embed: %v", err)
			}
			if len(got) != 1 {
				t.Errorf("got %d vectors, want 1", len(got))
			}
			if n := s.RequestCount(fakeopenai.PathEmbeddings); n != tt.wantRequests {
				t.Errorf("requests = %d, want %d", n, tt.wantRequests)
			}
		})
	}
}

func TestEmbedHonoursRetryAfterOverBackoff(t *testing.T) {
	// The exponential backoff is an hour; only Retry-After: 0 lets the
	// retry happen before the guard deadline.
	s := fakeopenai.New(t)
	s.FailNextWith(1, fakeopenai.Fault{Status: 429, RetryAfter: "0"})
	e := newTestEmbedder(t, s, func(c *OpenAIConfig) { c.BaseDelay, c.MaxDelay = time.Hour, time.Hour })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := e.Embed(ctx, []string{"x"}); err != nil {
		t.Fatalf("Embed: %v", err)
	}
}

func TestEmbedFailsWithoutRetry(t *testing.T) {
	tests := []struct {
		name       string
		setup      func(*fakeopenai.Server)
		wantStatus int
		wantText   string
	}{
		{"a 400 fails at once", func(s *fakeopenai.Server) {
			s.FailNextWith(1, fakeopenai.Fault{Status: 400, Message: "input too long"})
		}, 400, "input too long"},
		{"a 401 fails at once", func(s *fakeopenai.Server) { s.FailNext(1, 401) }, 401, "status 401"},
		{"a wrong vector count fails at once", func(s *fakeopenai.Server) {
			s.SetEmbed(func(string, []string) [][]float32 { return [][]float32{{1}} })
		}, 0, "1 vectors for 2 texts"},
		{"ragged dimensions in a batch fail", func(s *fakeopenai.Server) {
			s.SetEmbed(func(string, []string) [][]float32 { return [][]float32{{1, 0}, {1, 0, 0}} })
		}, 0, "dimension"},
		{"a zero vector fails", func(s *fakeopenai.Server) {
			s.SetEmbed(func(string, []string) [][]float32 { return [][]float32{{0, 0}, {1, 0}} })
		}, 0, "norm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakeopenai.New(t)
			tt.setup(s)
			_, err := newTestEmbedder(t, s, nil).Embed(context.Background(), []string{"a", "b"})
			var be *BatchError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want *BatchError", err)
			}
			if be.First != 0 || be.Status != tt.wantStatus || be.Attempts != 1 {
				t.Errorf("got first %d status %d attempts %d, want 0, %d, 1", be.First, be.Status, be.Attempts, tt.wantStatus)
			}
			if !strings.Contains(err.Error(), "input 0") || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("error %q should name input 0 and %q", err, tt.wantText)
			}
			if n := s.RequestCount(fakeopenai.PathEmbeddings); n != 1 {
				t.Errorf("requests = %d, want 1", n)
			}
		})
	}
}

func TestEmbedNamesTheFailingBatch(t *testing.T) {
	s := fakeopenai.New(t)
	s.SetEmbed(func(m string, in []string) [][]float32 {
		if in[0] == "bad" {
			return nil
		}
		return fakeopenai.HashEmbedFunc(8)(m, in)
	})
	e := newTestEmbedder(t, s, func(c *OpenAIConfig) { c.BatchSize, c.Concurrency = 2, 1 })
	_, err := e.Embed(context.Background(), []string{"a", "b", "c", "d", "bad", "e"})
	var be *BatchError
	if !errors.As(err, &be) || be.First != 4 || be.Count != 2 {
		t.Fatalf("err = %v, want a *BatchError at input 4 with 2 texts", err)
	}
}

func TestEmbedRejectsDimensionsThatDifferAcrossBatches(t *testing.T) {
	s := fakeopenai.New(t)
	s.SetEmbed(func(_ string, in []string) [][]float32 {
		return fakeopenai.HashEmbedFunc(8+len(in[0]))("", in)
	})
	e := newTestEmbedder(t, s, func(c *OpenAIConfig) { c.BatchSize = 1 })
	_, err := e.Embed(context.Background(), []string{"a", "bb"})
	if err == nil || !strings.Contains(err.Error(), "dimension") {
		t.Errorf("err = %v, want a dimension mismatch", err)
	}
}

func TestEmbedGivesUpAfterMaxRetries(t *testing.T) {
	s := fakeopenai.New(t)
	s.FailNext(10, 429)
	e := newTestEmbedder(t, s, func(c *OpenAIConfig) { c.MaxRetries = 2 })
	_, err := e.Embed(context.Background(), []string{"x"})
	var be *BatchError
	if !errors.As(err, &be) || be.Status != http.StatusTooManyRequests || be.Attempts != 3 {
		t.Fatalf("err = %v, want a 429 *BatchError after 3 attempts", err)
	}
	if n := s.RequestCount(fakeopenai.PathEmbeddings); n != 3 {
		t.Errorf("requests = %d, want 3", n)
	}
}

func TestEmbedRetriesATimedOutAttempt(t *testing.T) {
	s := fakeopenai.New(t)
	s.HangNext(1)
	e := newTestEmbedder(t, s, func(c *OpenAIConfig) { c.Timeout = 50 * time.Millisecond })
	if _, err := e.Embed(context.Background(), []string{"x"}); err != nil {
		t.Fatalf("Embed: %v", err)
	}
	if n := s.RequestCount(fakeopenai.PathEmbeddings); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
}

func TestEmbedStopsOnContextCancel(t *testing.T) {
	s := fakeopenai.New(t)
	s.HangNext(100)
	e := newTestEmbedder(t, s, func(c *OpenAIConfig) { c.BatchSize = 1 })
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for s.RequestCount(fakeopenai.PathEmbeddings) < 4 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	_, err := e.Embed(ctx, texts(10))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := s.RequestCount(fakeopenai.PathEmbeddings); n > 8 {
		t.Errorf("requests = %d after cancel, want no retries or new batches", n)
	}
}

func TestEmbedReportsProgress(t *testing.T) {
	s := fakeopenai.New(t)
	var (
		mu    sync.Mutex
		calls [][2]int
	)
	e := newTestEmbedder(t, s, func(c *OpenAIConfig) {
		c.BatchSize, c.Concurrency = 3, 3
		c.Progress = func(done, total int) {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, [2]int{done, total})
		}
	})
	if _, err := e.Embed(context.Background(), texts(10)); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 4 {
		t.Fatalf("got %d progress calls, want one per batch (4)", len(calls))
	}
	for i, c := range calls {
		if c[1] != 10 || (i > 0 && c[0] <= calls[i-1][0]) {
			t.Errorf("calls = %v, want growing done out of 10", calls)
			break
		}
	}
	if last := calls[len(calls)-1]; last != [2]int{10, 10} {
		t.Errorf("last call = %v, want [10 10]", last)
	}
}

func TestBackoff(t *testing.T) {
	e := &OpenAI{cfg: OpenAIConfig{BaseDelay: 100 * time.Millisecond, MaxDelay: 10 * time.Second}}
	tests := []struct {
		name       string
		attempt    int
		retryAfter string
		lo, hi     time.Duration
	}{
		{"the first retry waits between half and one base delay", 0, "", 50 * time.Millisecond, 100 * time.Millisecond},
		{"the third retry waits about four base delays", 2, "", 200 * time.Millisecond, 400 * time.Millisecond},
		{"many retries are capped at the max delay", 40, "", 5 * time.Second, 10 * time.Second},
		{"Retry-After seconds are used as given", 0, "3", 3 * time.Second, 3 * time.Second},
		{"Retry-After above the max delay is capped", 0, "120", 10 * time.Second, 10 * time.Second},
		{"an unparseable Retry-After falls back to backoff", 0, "soon", 50 * time.Millisecond, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 50 {
				if got := e.backoff(tt.attempt, tt.retryAfter); got < tt.lo || got > tt.hi {
					t.Fatalf("got %v, want within [%v, %v]", got, tt.lo, tt.hi)
				}
			}
		})
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		v      string
		want   time.Duration
		wantOK bool
	}{
		{"delay seconds", "7", 7 * time.Second, true},
		{"zero seconds means retry now", "0", 0, true},
		{"an HTTP date in the future", "Mon, 30 Nov 2026 12:00:05 GMT", 5 * time.Second, true},
		{"an HTTP date in the past means no wait", "Mon, 30 Nov 2026 11:00:00 GMT", 0, true},
		{"an empty header is absent", "", 0, false},
		{"negative seconds are invalid", "-3", 0, false},
		{"garbage is invalid", "later", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseRetryAfter(tt.v, now)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("got %v, %v; want %v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
