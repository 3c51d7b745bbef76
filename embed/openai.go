// This file holds the embedder for remote OpenAI-compatible servers; the
// package doc comment lives in builtin.go.

package embed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sashabaranov/go-openai"
	"golang.org/x/sync/errgroup"
)

// Defaults filled in by NewOpenAI for zero config fields.
const (
	DefaultBatchSize   = 32
	DefaultConcurrency = 4
	DefaultMaxRetries  = 5
	DefaultTimeout     = 2 * time.Minute
	DefaultBaseDelay   = 500 * time.Millisecond
	DefaultMaxDelay    = 30 * time.Second
)

// OpenAIConfig configures an embedder for any server that implements
// OpenAI's POST /embeddings: OpenAI, Ollama, llama.cpp llama-server, vLLM,
// LM Studio, TEI, Infinity.
type OpenAIConfig struct {
	// BaseURL is the OpenAI-style base including the version segment, e.g.
	// "http://localhost:11434/v1"; "/embeddings" is appended to it.
	BaseURL string
	// Model is sent as "model" and names the embedder in Name.
	Model string
	// APIKey is sent as "Authorization: Bearer <key>" when not empty.
	APIKey string
	// BatchSize is the number of texts per request (default 32).
	BatchSize int
	// Concurrency bounds the requests in flight (default 4).
	Concurrency int
	// MaxRetries is the number of retries per batch after the first
	// attempt (default 5; negative means no retries).
	MaxRetries int
	// Timeout bounds each HTTP attempt (default 2 minutes); the caller's
	// context bounds the whole call.
	Timeout time.Duration
	// BaseDelay is the first backoff delay, doubled on each retry and
	// jittered (default 500ms). Tests set it to a millisecond.
	BaseDelay time.Duration
	// MaxDelay caps any single wait, including one asked by Retry-After
	// (default 30s).
	MaxDelay time.Duration
	// Progress, when set, is called after each finished batch with the
	// number of texts embedded so far and the total. Calls are serialized
	// and done only grows.
	Progress func(done, total int)
}

// OpenAI embeds texts through an OpenAI-compatible /embeddings endpoint.
// It is safe for concurrent use.
type OpenAI struct {
	cfg    OpenAIConfig
	client *openai.Client
}

// NewOpenAI checks cfg, fills defaults and returns an embedder. It reports
// every problem in cfg at once.
func NewOpenAI(cfg OpenAIConfig) (*OpenAI, error) {
	var errs []error
	cfg.BaseURL = strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if u, err := url.Parse(cfg.BaseURL); cfg.BaseURL == "" {
		errs = append(errs, errors.New("base URL is empty"))
	} else if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("base URL %q is not an http(s) URL", cfg.BaseURL))
	}
	if strings.TrimSpace(cfg.Model) == "" {
		errs = append(errs, errors.New("model is empty"))
	}
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"batch size", int64(cfg.BatchSize)},
		{"concurrency", int64(cfg.Concurrency)},
		{"timeout", int64(cfg.Timeout)},
		{"base delay", int64(cfg.BaseDelay)},
		{"max delay", int64(cfg.MaxDelay)},
	} {
		if f.v < 0 {
			errs = append(errs, fmt.Errorf("%s is negative", f.name))
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("embed config: %w", errors.Join(errs...))
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = DefaultBatchSize
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.BaseDelay == 0 {
		cfg.BaseDelay = DefaultBaseDelay
	}
	if cfg.MaxDelay == 0 {
		cfg.MaxDelay = DefaultMaxDelay
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = cfg.BaseURL
	oc.HTTPClient = hintDoer{client: &http.Client{}}
	return &OpenAI{cfg: cfg, client: openai.NewClientWithConfig(oc)}, nil
}

// Name identifies the embedding space, e.g. "openai:bge-m3". It is stored
// with the index so vectors from another model are never mixed in; it
// depends only on the model, not on the server that hosts it.
func (e *OpenAI) Name() string { return "openai:" + e.cfg.Model }

// BatchError reports a batch that failed for good.
type BatchError struct {
	// First is the index in Embed's input of the batch's first text.
	First int
	// Count is the number of texts in the batch.
	Count int
	// Status is the last HTTP status, or 0 when no response was received.
	Status int
	// Attempts is the number of requests made for the batch.
	Attempts int
	// Err is the last underlying error.
	Err error
}

func (e *BatchError) Error() string {
	status := "no response"
	if e.Status != 0 {
		status = fmt.Sprintf("status %d", e.Status)
	}
	return fmt.Sprintf("embed batch at input %d (%d texts): %s after %d attempt(s): %v", e.First, e.Count, status, e.Attempts, e.Err)
}

func (e *BatchError) Unwrap() error { return e.Err }

// Embed returns one L2-normalized vector per text, in input order. Texts
// are sent in batches of BatchSize, at most Concurrency at a time. A batch
// answered 429, 5xx or not at all is retried with exponential backoff and
// jitter, waiting as long as a Retry-After header asks (up to MaxDelay);
// other 4xx answers fail at once. The first failure cancels the remaining
// batches and is returned as a *BatchError.
func (e *OpenAI) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	if len(texts) == 0 {
		return out, nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(e.cfg.Concurrency)
	var (
		mu   sync.Mutex
		done int
	)
	for first := 0; first < len(texts); first += e.cfg.BatchSize {
		batch := texts[first:min(first+e.cfg.BatchSize, len(texts))]
		g.Go(func() error {
			vecs, err := e.embedBatch(gctx, first, batch)
			if err != nil {
				return err
			}
			copy(out[first:], vecs)
			if e.cfg.Progress != nil {
				mu.Lock()
				done += len(batch)
				e.cfg.Progress(done, len(texts))
				mu.Unlock()
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		// A caller's cancellation wins over the batch errors it caused.
		if ctx.Err() != nil {
			return nil, fmt.Errorf("embed %d texts: %w", len(texts), context.Cause(ctx))
		}
		return nil, err
	}
	dim := len(out[0])
	for i, v := range out {
		if len(v) != dim {
			return nil, fmt.Errorf("embed: input %d has dimension %d, input 0 has %d", i, len(v), dim)
		}
	}
	return out, nil
}

// embedBatch sends one batch, retrying transient failures.
func (e *OpenAI) embedBatch(ctx context.Context, first int, batch []string) ([][]float32, error) {
	berr := &BatchError{First: first, Count: len(batch)}
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			berr.Err = err
			return nil, berr
		}
		berr.Attempts++
		vecs, retryAfter, err := e.request(ctx, batch)
		if err == nil {
			return vecs, nil
		}
		berr.Err, berr.Status = err, HTTPStatus(err)
		if !retryable(ctx, err) || attempt >= e.cfg.MaxRetries {
			return nil, berr
		}
		wait := e.backoff(attempt, retryAfter)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			berr.Err = ctx.Err()
			return nil, berr
		case <-t.C:
		}
	}
}

// request makes one attempt and checks the answer. It also returns the
// Retry-After header of a failed response.
func (e *OpenAI) request(ctx context.Context, batch []string) ([][]float32, string, error) {
	var retryAfter string
	actx, cancel := context.WithTimeout(context.WithValue(ctx, retryAfterKey{}, &retryAfter), e.cfg.Timeout)
	defer cancel()
	resp, err := e.client.CreateEmbeddings(actx, openai.EmbeddingRequestStrings{
		Input: batch,
		Model: openai.EmbeddingModel(e.cfg.Model),
	})
	if err != nil {
		return nil, retryAfter, err
	}
	if len(resp.Data) != len(batch) {
		return nil, "", &responseError{fmt.Sprintf("server returned %d vectors for %d texts", len(resp.Data), len(batch))}
	}
	vecs := make([][]float32, len(batch))
	for k, d := range resp.Data {
		if d.Index < 0 || d.Index >= len(batch) || vecs[d.Index] != nil {
			return nil, "", &responseError{fmt.Sprintf("data[%d] has bad or repeated index %d", k, d.Index)}
		}
		v, err := normalize(d.Embedding)
		if err != nil {
			return nil, "", &responseError{fmt.Sprintf("vector for batch item %d: %v", d.Index, err)}
		}
		vecs[d.Index] = v
	}
	for k, v := range vecs {
		if len(v) != len(vecs[0]) {
			return nil, "", &responseError{fmt.Sprintf("batch item %d has dimension %d, item 0 has %d", k, len(v), len(vecs[0]))}
		}
	}
	return vecs, "", nil
}

// responseError is a well-formed answer with wrong contents; retrying
// would get the same answer.
type responseError struct{ msg string }

func (e *responseError) Error() string { return e.msg }

// normalize returns v scaled to unit length, rejecting vectors that cannot
// be normalized.
func normalize(v []float32) ([]float32, error) {
	if len(v) == 0 {
		return nil, errors.New("empty vector")
	}
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 || math.IsNaN(sum) || math.IsInf(sum, 0) {
		return nil, fmt.Errorf("vector norm² is %v", sum)
	}
	n := math.Sqrt(sum)
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(float64(x) / n)
	}
	return out, nil
}

// HTTPStatus is the HTTP status in one of go-openai's error types, 0 for a
// transport failure.
func HTTPStatus(err error) int {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return reqErr.HTTPStatusCode
	}
	return 0
}

// retryable reports whether err is worth another attempt: 429, 5xx, or a
// transport failure (including a timed-out attempt) while ctx is still live.
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	if st := HTTPStatus(err); st != 0 {
		return st == http.StatusTooManyRequests || st >= 500
	}
	var respErr *responseError
	if errors.As(err, &respErr) {
		return false
	}
	var netErr net.Error
	var urlErr *url.Error
	return errors.As(err, &urlErr) || errors.As(err, &netErr) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, context.DeadlineExceeded)
}

// backoff returns the wait before retry attempt+1: the Retry-After value
// when the server sent a valid one, otherwise BaseDelay·2^attempt with
// "equal jitter" (half fixed, half random); both capped at MaxDelay.
func (e *OpenAI) backoff(attempt int, retryAfter string) time.Duration {
	if d, ok := parseRetryAfter(retryAfter, time.Now()); ok {
		return min(d, e.cfg.MaxDelay)
	}
	d := e.cfg.BaseDelay
	for i := 0; i < attempt && d < e.cfg.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, e.cfg.MaxDelay)
	half := d / 2
	return half + rand.N(d-half+1)
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP
// date (RFC 9110 §10.2.3). A date in the past means no wait.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(math.MaxInt64/time.Second) {
			return time.Duration(math.MaxInt64), true
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// retryAfterKey carries a *string through a request's context; hintDoer
// stores the response's Retry-After header there, because go-openai's
// error types do not keep response headers.
type retryAfterKey struct{}

// hintDoer is go-openai's HTTPDoer that records Retry-After.
type hintDoer struct{ client *http.Client }

func (d hintDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.client.Do(req)
	if err == nil {
		if p, ok := req.Context().Value(retryAfterKey{}).(*string); ok {
			*p = resp.Header.Get("Retry-After")
		}
	}
	return resp, err
}
