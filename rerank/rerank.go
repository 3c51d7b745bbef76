// Package rerank scores passages against a query with a cross-encoder
// served over HTTP: llama.cpp's llama-server, vLLM, Infinity, Jina and
// Cohere-compatible APIs, or Hugging Face text-embeddings-inference (TEI).
//
// go-openai has no rerank call, so this is a small net/http JSON client.
package rerank

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultTimeout bounds one rerank request when Config.Timeout is zero.
const DefaultTimeout = 60 * time.Second

// maxErrorBody limits how much of an error response is read and quoted.
const maxErrorBody = 2 << 10

// Config configures a Client.
type Config struct {
	// BaseURL is where the rerank endpoint lives; the client POSTs to
	// BaseURL+"/rerank" and adds nothing else. So "http://host:8080/v1"
	// reaches /v1/rerank (llama.cpp, vLLM, Jina, Cohere-compatible) and
	// "http://host:8080" reaches /rerank (TEI, Infinity, llama.cpp).
	BaseURL string
	// Model is sent as "model" in the Jina/Cohere body; TEI ignores it.
	Model string
	// APIKey is sent as "Authorization: Bearer <key>" when not empty.
	APIKey string
	// Timeout bounds each HTTP request (default 60s).
	Timeout time.Duration
}

// dialect is the request body a server accepts.
type dialect int32

const (
	dialectJina dialect = iota // {model, query, documents, top_n}
	dialectTEI                 // {query, texts, truncate}
)

// Client calls a /rerank endpoint. It starts with the Jina/Cohere body; if
// the server rejects it with 400 or 422 it retries once with TEI's body and,
// when that works, keeps using TEI's body. It does not retry failures
// otherwise: reranking sits on the answer path, and callers can fall back
// to vector order. A Client is safe for concurrent use.
type Client struct {
	endpoint string
	model    string
	apiKey   string
	timeout  time.Duration
	http     *http.Client
	dialect  atomic.Int32
}

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	var errs []error
	base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if u, err := url.Parse(base); base == "" {
		errs = append(errs, errors.New("base URL is empty"))
	} else if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("base URL %q is not an http(s) URL", cfg.BaseURL))
	}
	if cfg.Timeout < 0 {
		errs = append(errs, errors.New("timeout is negative"))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("rerank config: %w", errors.Join(errs...))
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	return &Client{
		endpoint: base + "/rerank",
		model:    cfg.Model,
		apiKey:   cfg.APIKey,
		timeout:  timeout,
		http:     &http.Client{},
	}, nil
}

// StatusError is a non-2xx answer from the rerank server.
type StatusError struct {
	StatusCode int
	// Message is the server's error message, or the start of its body.
	Message string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("status %d: %s", e.StatusCode, e.Message)
}

// Rerank returns one relevance score per document, in the order of docs;
// higher means more relevant. Scores are the server's own (TEI's are
// sigmoid-scaled to [0, 1], others vary by model), so only their order is
// meaningful across servers.
func (c *Client) Rerank(ctx context.Context, query string, docs []string) ([]float64, error) {
	if len(docs) == 0 {
		return []float64{}, nil
	}
	d := dialect(c.dialect.Load())
	scores, err := c.do(ctx, d, query, docs)
	var se *StatusError
	if d == dialectJina && errors.As(err, &se) &&
		(se.StatusCode == http.StatusBadRequest || se.StatusCode == http.StatusUnprocessableEntity) {
		teiScores, teiErr := c.do(ctx, dialectTEI, query, docs)
		if teiErr != nil {
			return nil, fmt.Errorf("rerank %d documents at %s: %w (and with TEI body: %w)", len(docs), c.endpoint, err, teiErr)
		}
		c.dialect.Store(int32(dialectTEI))
		return teiScores, nil
	}
	if err != nil {
		return nil, fmt.Errorf("rerank %d documents at %s: %w", len(docs), c.endpoint, err)
	}
	return scores, nil
}

type jinaRequest struct {
	Model     string   `json:"model,omitempty"`
	Query     string   `json:"query"`
	Documents []string `json:"documents"`
	TopN      int      `json:"top_n"`
}

type teiRequest struct {
	Query    string   `json:"query"`
	Texts    []string `json:"texts"`
	Truncate bool     `json:"truncate"`
}

// do sends one request in dialect d and parses the scores.
func (c *Client) do(ctx context.Context, d dialect, query string, docs []string) ([]float64, error) {
	var body any = jinaRequest{Model: c.model, Query: query, Documents: docs, TopN: len(docs)}
	if d == dialectTEI {
		// truncate: long passages are cut to the model's limit instead of
		// failing the whole request with 413/422.
		body = teiRequest{Query: query, Texts: docs, Truncate: true}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if c.apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return nil, &StatusError{StatusCode: resp.StatusCode, Message: errorMessage(msg)}
	}
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	return parseScores(raw, len(docs))
}

// errorMessage pulls the message out of an error body: OpenAI's
// {"error":{"message"}}, TEI's {"error":"..."}, or the text itself.
func errorMessage(body []byte) string {
	var openAI struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &openAI) == nil && openAI.Error.Message != "" {
		return openAI.Error.Message
	}
	var tei struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &tei) == nil && tei.Error != "" {
		return tei.Error
	}
	s := strings.TrimSpace(string(body))
	if s == "" {
		return "(empty body)"
	}
	return s
}

// result is one scored document in either answer shape: Jina/Cohere's
// relevance_score or TEI's score.
type result struct {
	Index          *int     `json:"index"`
	RelevanceScore *float64 `json:"relevance_score"`
	Score          *float64 `json:"score"`
}

// parseScores reads {"results":[{index, relevance_score}]} or TEI's
// [{index, score}] and returns the scores in document order. Every
// document must be scored exactly once.
func parseScores(raw []byte, n int) ([]float64, error) {
	var results []result
	trimmed := bytes.TrimSpace(raw)
	if bytes.HasPrefix(trimmed, []byte("[")) {
		if err := json.Unmarshal(trimmed, &results); err != nil {
			return nil, fmt.Errorf("decode TEI response: %w", err)
		}
	} else {
		var obj struct {
			Results *[]result `json:"results"`
		}
		if err := json.Unmarshal(trimmed, &obj); err != nil {
			return nil, fmt.Errorf("decode rerank response: %w", err)
		}
		if obj.Results == nil {
			return nil, errors.New(`decode rerank response: no "results" field`)
		}
		results = *obj.Results
	}
	scores := make([]float64, n)
	seen := make([]bool, n)
	for k, r := range results {
		if r.Index == nil || *r.Index < 0 || *r.Index >= n || seen[*r.Index] {
			return nil, fmt.Errorf("result %d: missing, out-of-range or repeated index for %d documents", k, n)
		}
		switch {
		case r.RelevanceScore != nil:
			scores[*r.Index] = *r.RelevanceScore
		case r.Score != nil:
			scores[*r.Index] = *r.Score
		default:
			return nil, fmt.Errorf("result %d (document %d): no relevance_score or score", k, *r.Index)
		}
		seen[*r.Index] = true
	}
	if len(results) != n {
		return nil, fmt.Errorf("server scored %d of %d documents", len(results), n)
	}
	return scores, nil
}
