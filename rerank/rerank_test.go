package rerank

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"policybot/internal/fakeopenai"
)

var (
	query = "养老保险缴费"
	docs  = []string{"今天天气晴", "养老保险", "城镇职工养老保险缴费基数", "缴费"}
)

func wantScores() []float64 {
	out := make([]float64, len(docs))
	for i, d := range docs {
		out[i] = fakeopenai.OverlapScore(query, d)
	}
	return out
}

func equalScores(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func newClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func TestRerankScoresInInputOrder(t *testing.T) {
	tests := []struct {
		name      string
		style     fakeopenai.RerankStyle
		withV1    bool
		wantPaths []string
	}{
		{"a Jina-style server under /v1 answers the documents body", fakeopenai.RerankJina, true, []string{fakeopenai.PathRerankV1}},
		{"a Jina-style server at the root answers on /rerank", fakeopenai.RerankJina, false, []string{fakeopenai.PathRerank}},
		{"a TEI server is reached by falling back to the texts body", fakeopenai.RerankTEI, false, []string{fakeopenai.PathRerank, fakeopenai.PathRerank}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakeopenai.New(t, fakeopenai.WithRerankStyle(tt.style), fakeopenai.WithAPIKey("sk-r"))
			base := s.HostURL
			if tt.withV1 {
				base = s.URL
			}
			c := newClient(t, Config{BaseURL: base + "/", Model: "bge-reranker-v2-m3", APIKey: "sk-r"})
			got, err := c.Rerank(context.Background(), query, docs)
			if err != nil {
				t.Fatalf("Rerank: %v", err)
			}
			if !equalScores(got, wantScores()) {
				t.Errorf("got %v, want %v", got, wantScores())
			}
			reqs := s.Requests()
			if len(reqs) != len(tt.wantPaths) {
				t.Fatalf("got %d requests, want %d", len(reqs), len(tt.wantPaths))
			}
			for i, r := range reqs {
				if r.Path != tt.wantPaths[i] || r.Header.Get("Authorization") != "Bearer sk-r" {
					t.Errorf("request %d: path %s auth %q, want %s with the key", i, r.Path, r.Header.Get("Authorization"), tt.wantPaths[i])
				}
			}
			var first struct {
				Model     string   `json:"model"`
				Query     string   `json:"query"`
				Documents []string `json:"documents"`
				TopN      int      `json:"top_n"`
			}
			if err := reqs[0].DecodeJSON(&first); err != nil {
				t.Fatal(err)
			}
			if first.Model != "bge-reranker-v2-m3" || first.Query != query || len(first.Documents) != len(docs) || first.TopN != len(docs) {
				t.Errorf("first body = %+v, want model, query, all documents and top_n %d", first, len(docs))
			}
		})
	}
}

func TestRerankRemembersTheTEIBody(t *testing.T) {
	s := fakeopenai.New(t, fakeopenai.WithRerankStyle(fakeopenai.RerankTEI))
	c := newClient(t, Config{BaseURL: s.HostURL})
	for range 3 {
		if _, err := c.Rerank(context.Background(), query, docs); err != nil {
			t.Fatalf("Rerank: %v", err)
		}
	}
	reqs := s.Requests()
	if len(reqs) != 4 {
		t.Fatalf("got %d requests, want 4 (one rejected, then three TEI)", len(reqs))
	}
	for i, r := range reqs[1:] {
		var body struct {
			Query string   `json:"query"`
			Texts []string `json:"texts"`
		}
		if err := r.DecodeJSON(&body); err != nil {
			t.Fatal(err)
		}
		if body.Query != query || len(body.Texts) != len(docs) || strings.Contains(string(r.Body), "documents") {
			t.Errorf("request %d body = %s, want TEI {query, texts}", i+1, r.Body)
		}
	}
}

func TestRerankErrors(t *testing.T) {
	tests := []struct {
		name         string
		setup        func(*fakeopenai.Server)
		wantStatus   int
		wantText     string
		wantRequests int
	}{
		{"a 500 fails without trying the TEI body", func(s *fakeopenai.Server) { s.FailNext(1, 500) }, 500, "status 500", 1},
		{"a 401 fails without trying the TEI body", func(s *fakeopenai.Server) { s.FailNext(1, 401) }, 401, "status 401", 1},
		{"a 400 on both bodies reports both", func(s *fakeopenai.Server) {
			s.FailNextWith(2, fakeopenai.Fault{Status: 400, Message: "too many documents"})
		}, 400, "too many documents", 2},
		{"a malformed body is an error", func(s *fakeopenai.Server) { s.MalformNext(1) }, 0, "decode", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakeopenai.New(t)
			tt.setup(s)
			_, err := newClient(t, Config{BaseURL: s.URL}).Rerank(context.Background(), query, docs)
			if err == nil {
				t.Fatal("got nil error")
			}
			var se *StatusError
			if tt.wantStatus != 0 && (!errors.As(err, &se) || se.StatusCode != tt.wantStatus) {
				t.Errorf("err = %v, want a *StatusError %d", err, tt.wantStatus)
			}
			if !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("err = %q, want it to mention %q", err, tt.wantText)
			}
			if n := len(s.Requests()); n != tt.wantRequests {
				t.Errorf("got %d requests, want %d", n, tt.wantRequests)
			}
		})
	}
}

func TestRerankStopsAtContextDeadline(t *testing.T) {
	s := fakeopenai.New(t)
	s.HangNext(1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := newClient(t, Config{BaseURL: s.URL}).Rerank(ctx, query, docs)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}

func TestRerankWithoutDocumentsSendsNothing(t *testing.T) {
	s := fakeopenai.New(t)
	got, err := newClient(t, Config{BaseURL: s.URL}).Rerank(context.Background(), query, nil)
	if err != nil || len(got) != 0 || len(s.Requests()) != 0 {
		t.Errorf("got %v, %v after %d requests; want no scores, no error, no request", got, err, len(s.Requests()))
	}
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"an empty base URL is rejected", Config{}, "base URL is empty"},
		{"a base URL without scheme is rejected", Config{BaseURL: "localhost:8080"}, "not an http(s) URL"},
		{"a negative timeout is rejected", Config{BaseURL: "http://h", Timeout: -1}, "timeout is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestParseScores(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    []float64
		wantErr string
	}{
		{"Jina results sorted by score come back in input order", `{"results":[{"index":1,"relevance_score":0.9},{"index":0,"relevance_score":0.1}]}`, []float64{0.1, 0.9}, ""},
		{"Jina results with documents echoed are accepted", `{"model":"m","results":[{"index":0,"document":{"text":"a"},"relevance_score":0.5},{"index":1,"relevance_score":-2}]}`, []float64{0.5, -2}, ""},
		{"a TEI array is accepted", ` [{"index":1,"score":0.7},{"index":0,"score":0.2}]`, []float64{0.2, 0.7}, ""},
		{"a missing document is an error", `{"results":[{"index":0,"relevance_score":0.5}]}`, nil, "scored 1 of 2"},
		{"a repeated index is an error", `[{"index":0,"score":1},{"index":0,"score":2}]`, nil, "repeated"},
		{"an index out of range is an error", `[{"index":0,"score":1},{"index":5,"score":2}]`, nil, "out-of-range"},
		{"a result without a score is an error", `[{"index":0,"score":1},{"index":1}]`, nil, "no relevance_score"},
		{"an object without results is an error", `{"data":[]}`, nil, "no \"results\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseScores([]byte(tt.body), 2)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want it to mention %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !equalScores(got, tt.want) {
				t.Errorf("got %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"an OpenAI error body gives its message", `{"error":{"message":"bad key","type":"x"}}`, "bad key"},
		{"a TEI error body gives its message", `{"error":"Input validation error","error_type":"Validation"}`, "Input validation error"},
		{"plain text is quoted as is", "Failed to deserialize\n", "Failed to deserialize"},
		{"an empty body says so", "", "(empty body)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errorMessage([]byte(tt.body)); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRerankIsSafeForConcurrentUse(t *testing.T) {
	s := fakeopenai.New(t, fakeopenai.WithRerankStyle(fakeopenai.RerankTEI))
	c := newClient(t, Config{BaseURL: s.HostURL})
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			got, err := c.Rerank(context.Background(), query, docs)
			if err == nil && !equalScores(got, wantScores()) {
				err = errors.New("wrong scores")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
