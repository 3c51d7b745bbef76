// Package fakeopenai is an in-process OpenAI-compatible HTTP server for tests.
//
// It speaks the real wire formats that policybot's clients use against
// Ollama, llama.cpp's llama-server, vLLM, LM Studio, OpenAI, TEI and Infinity:
//
//	POST /v1/chat/completions   JSON, or SSE chunks ending with "data: [DONE]" when "stream": true
//	POST /v1/embeddings         "input" as a string or an array of strings
//	POST /v1/rerank, /rerank    Jina/Cohere {query, documents, top_n} or TEI {query, texts}
//	GET  /v1/models
//
// Every request is checked (method, path, Authorization header when a key is
// configured, JSON body) and recorded so tests can assert on what the client
// sent. Errors use OpenAI's body {"error":{"message","type","code"}}, so
// go-openai surfaces them as *openai.APIError with the HTTP status.
//
// Behaviour is changed per server, also while requests are in flight: reply
// functions, stream chunking and delay, injected failures (FailNext,
// HangNext, CutStreamAfter, MalformNext). All methods are safe for
// concurrent use.
package fakeopenai

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Paths served by the fake, relative to the host (not to URL).
const (
	PathChat       = "/v1/chat/completions"
	PathEmbeddings = "/v1/embeddings"
	PathModels     = "/v1/models"
	PathRerankV1   = "/v1/rerank"
	PathRerank     = "/rerank"
)

// Default values used when no option overrides them.
const (
	DefaultEmbedDim        = 64
	DefaultStreamChunkSize = 4 // runes of reply text per SSE chunk
)

// RerankStyle says which rerank request bodies the fake accepts, so tests
// can imitate a server that knows only one dialect.
type RerankStyle int

const (
	// RerankBoth accepts Jina/Cohere {documents} and TEI {texts} bodies.
	RerankBoth RerankStyle = iota
	// RerankJina accepts only {documents} (llama.cpp, Jina, Cohere, vLLM,
	// Infinity); a {texts} body is answered 400 like llama-server does.
	RerankJina
	// RerankTEI accepts only {texts} (Hugging Face text-embeddings-inference);
	// a {documents} body is answered 422 with TEI's plain-text
	// deserialization error.
	RerankTEI
)

// Request is one HTTP request as the fake received it.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// DecodeJSON unmarshals the recorded body into v.
func (r Request) DecodeJSON(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return fmt.Errorf("decode %s %s body: %w", r.Method, r.Path, err)
	}
	return nil
}

// Fault describes an injected failure answered instead of a normal reply.
type Fault struct {
	// Status is the HTTP status code to answer, e.g. 500, 503 or 429.
	Status int
	// RetryAfter is sent as the Retry-After header when not empty: delay
	// seconds ("2") or an HTTP date.
	RetryAfter string
	// Message goes into the OpenAI error body; a default names the status.
	Message string
	// Path, when set, limits the fault to requests for that path
	// (e.g. PathEmbeddings); other requests pass and do not consume it.
	Path string
}

// ChatFunc decides the assistant's reply text for a chat request.
type ChatFunc func(req ChatRequest) string

// EmbedFunc returns one vector per input. It may deliberately return a
// wrong count or ragged dimensions to test client validation.
type EmbedFunc func(model string, inputs []string) [][]float32

// RerankFunc scores one document against the query; higher is more relevant.
type RerankFunc func(query, doc string) float64

// Option configures a Server at construction.
type Option func(*Server)

// WithAPIKey makes the server require "Authorization: Bearer key".
func WithAPIKey(key string) Option { return func(s *Server) { s.apiKey = key } }

// WithChat sets the chat reply function (see SetChat).
func WithChat(f ChatFunc) Option { return func(s *Server) { s.chat = f } }

// WithEmbed sets the embeddings function (see SetEmbed).
func WithEmbed(f EmbedFunc) Option { return func(s *Server) { s.embed = f } }

// WithEmbedDim sets the dimension of the default hashed embeddings.
func WithEmbedDim(dim int) Option {
	return func(s *Server) { s.embed = HashEmbedFunc(dim) }
}

// WithRerank sets the rerank scoring function (see SetRerank).
func WithRerank(f RerankFunc) Option { return func(s *Server) { s.rerank = f } }

// WithRerankStyle sets which rerank bodies are accepted (see SetRerankStyle).
func WithRerankStyle(st RerankStyle) Option { return func(s *Server) { s.rerankStyle = st } }

// WithStreamChunkSize sets how many runes each SSE chunk carries.
func WithStreamChunkSize(n int) Option { return func(s *Server) { s.chunkSize = n } }

// WithStreamDelay sets the pause between SSE chunks.
func WithStreamDelay(d time.Duration) Option { return func(s *Server) { s.streamDelay = d } }

// WithModels sets the ids listed by GET /v1/models.
func WithModels(ids ...string) Option {
	return func(s *Server) { s.models = append([]string(nil), ids...) }
}

// WithStrictModels makes chat and embeddings requests for a model that
// GET /v1/models does not list fail with 404 model_not_found, as OpenAI,
// Ollama and vLLM answer; without it any model name is served, as
// llama-server does.
func WithStrictModels() Option { return func(s *Server) { s.strict = true } }

// Server is a running fake. Create it with New; it is closed by t.Cleanup.
type Server struct {
	// URL is the OpenAI base URL including "/v1", e.g. "http://127.0.0.1:PORT/v1",
	// ready for openai.ClientConfig.BaseURL.
	URL string
	// HostURL is the same server without "/v1", for clients that append
	// "/rerank" or "/v1/..." themselves.
	HostURL string

	srv       *httptest.Server
	done      chan struct{} // closed when the server shuts down; releases hung handlers
	closeOnce sync.Once

	mu          sync.Mutex
	apiKey      string
	chat        ChatFunc
	embed       EmbedFunc
	rerank      RerankFunc
	rerankStyle RerankStyle
	chunkSize   int
	streamDelay time.Duration
	models      []string
	strict      bool
	faults      []Fault
	hang        int
	cutAfter    int // chunks before the next stream is cut; -1 means no cut
	malformed   int
	requests    []Request
	seq         int
}

// New starts a fake server and registers its Close with t.Cleanup.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		chat:      DefaultChat,
		embed:     HashEmbedFunc(DefaultEmbedDim),
		rerank:    OverlapScore,
		chunkSize: DefaultStreamChunkSize,
		models:    []string{"fake-chat", "fake-embed", "fake-rerank"},
		cutAfter:  -1,
		done:      make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.HostURL = s.srv.URL
	s.URL = s.srv.URL + "/v1"
	t.Cleanup(s.Close)
	return s
}

// Close releases hung requests and shuts the server down. It is safe to
// call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.done)
		s.srv.CloseClientConnections()
		s.srv.Close()
	})
}

// SetChat replaces the chat reply function; nil restores DefaultChat.
func (s *Server) SetChat(f ChatFunc) {
	if f == nil {
		f = DefaultChat
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chat = f
}

// SetEmbed replaces the embeddings function; nil restores the default
// hashed embeddings of DefaultEmbedDim.
func (s *Server) SetEmbed(f EmbedFunc) {
	if f == nil {
		f = HashEmbedFunc(DefaultEmbedDim)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.embed = f
}

// SetRerank replaces the rerank scoring function; nil restores OverlapScore.
func (s *Server) SetRerank(f RerankFunc) {
	if f == nil {
		f = OverlapScore
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rerank = f
}

// SetRerankStyle changes which rerank request bodies are accepted.
func (s *Server) SetRerankStyle(st RerankStyle) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rerankStyle = st
}

// SetStreamChunkSize sets how many runes of reply each SSE chunk carries
// (values below 1 mean 1).
func (s *Server) SetStreamChunkSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chunkSize = n
}

// SetStreamDelay sets the pause between SSE chunks.
func (s *Server) SetStreamDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.streamDelay = d
}

// FailNext makes the next n requests fail with status. Statuses 429 and 503
// carry "Retry-After: 0" so clients that honour it retry at once; use
// FailNextWith for another value or to limit the failure to one path.
func (s *Server) FailNext(n, status int) {
	f := Fault{Status: status}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		f.RetryAfter = "0"
	}
	s.FailNextWith(n, f)
}

// FailNextWith queues n copies of f; they are used in order, one per
// matching request.
func (s *Server) FailNextWith(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// HangNext makes the next n requests block without answering until the
// client cancels its request (context or timeout) or the server closes.
func (s *Server) HangNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hang += n
}

// CutStreamAfter makes the next streaming chat response send k content
// chunks and then drop the connection, without finish_reason or [DONE].
func (s *Server) CutStreamAfter(k int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cutAfter = k
}

// MalformNext makes the next n requests get status 200 with a body that is
// not valid JSON (for streams: an SSE data line holding broken JSON).
func (s *Server) MalformNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.malformed += n
}

// Requests returns a copy of every request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	copy(out, s.requests)
	return out
}

// RequestCount returns how many requests were received for path
// (e.g. PathEmbeddings), including failed ones.
func (s *Server) RequestCount(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Path == path {
			n++
		}
	}
	return n
}

// settings is a consistent snapshot of the configurable behaviour.
type settings struct {
	chat        ChatFunc
	embed       EmbedFunc
	rerank      RerankFunc
	rerankStyle RerankStyle
	chunkSize   int
	streamDelay time.Duration
	models      []string
	strict      bool
}

func (s *Server) snapshot() settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chunkSize
	if cs < 1 {
		cs = 1
	}
	return settings{
		chat:        s.chat,
		embed:       s.embed,
		rerank:      s.rerank,
		rerankStyle: s.rerankStyle,
		chunkSize:   cs,
		streamDelay: s.streamDelay,
		models:      s.models,
		strict:      s.strict,
	}
}

// route is one served endpoint.
type route struct {
	method  string
	handler func(s *Server, w http.ResponseWriter, r *http.Request, body []byte, st settings)
}

func lookupRoute(path string) (route, bool) {
	switch path {
	case PathChat:
		return route{http.MethodPost, (*Server).handleChat}, true
	case PathEmbeddings:
		return route{http.MethodPost, (*Server).handleEmbeddings}, true
	case PathModels:
		return route{http.MethodGet, (*Server).handleModels}, true
	case PathRerankV1, PathRerank:
		return route{http.MethodPost, (*Server).handleRerank}, true
	}
	return route{}, false
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "", "read body: "+err.Error())
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	s.mu.Unlock()

	rt, ok := lookupRoute(r.URL.Path)
	if !ok {
		writeError(w, http.StatusNotFound, "invalid_request_error", "unknown_url", fmt.Sprintf("Unknown request URL: %s %s", r.Method, r.URL.Path))
		return
	}
	if r.Method != rt.method {
		w.Header().Set("Allow", rt.method)
		writeError(w, http.StatusMethodNotAllowed, "invalid_request_error", "method_not_allowed", fmt.Sprintf("Method %s not allowed for %s; use %s", r.Method, r.URL.Path, rt.method))
		return
	}
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.")
		return
	}
	if rt.method == http.MethodPost {
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			writeError(w, http.StatusUnsupportedMediaType, "invalid_request_error", "", fmt.Sprintf("Content-Type must be application/json, got %q", ct))
			return
		}
		if !json.Valid(body) {
			writeError(w, http.StatusBadRequest, "invalid_request_error", "", "We could not parse the JSON body of your request.")
			return
		}
	}
	if s.takeHang() {
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		return
	}
	if f, ok := s.takeFault(r.URL.Path); ok {
		if f.RetryAfter != "" {
			w.Header().Set("Retry-After", f.RetryAfter)
		}
		msg := f.Message
		if msg == "" {
			msg = fmt.Sprintf("injected failure: %d %s", f.Status, http.StatusText(f.Status))
		}
		writeError(w, f.Status, errorType(f.Status), errorCode(f.Status), msg)
		return
	}
	st := s.snapshot()
	if st.strict && (r.URL.Path == PathChat || r.URL.Path == PathEmbeddings) {
		var m struct {
			Model string `json:"model"`
		}
		_ = json.Unmarshal(body, &m)
		if m.Model != "" && !slices.Contains(st.models, m.Model) {
			writeError(w, http.StatusNotFound, "invalid_request_error", "model_not_found", fmt.Sprintf("The model `%s` does not exist.", m.Model))
			return
		}
	}
	rt.handler(s, w, r, body, st)
}

func (s *Server) authorized(r *http.Request) bool {
	s.mu.Lock()
	key := s.apiKey
	s.mu.Unlock()
	return key == "" || r.Header.Get("Authorization") == "Bearer "+key
}

func (s *Server) takeHang() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hang > 0 {
		s.hang--
		return true
	}
	return false
}

func (s *Server) takeFault(path string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Path == "" || f.Path == path {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			return f, true
		}
	}
	return Fault{}, false
}

func (s *Server) takeMalformed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.malformed > 0 {
		s.malformed--
		return true
	}
	return false
}

func (s *Server) takeCut() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.cutAfter
	s.cutAfter = -1
	return k
}

func (s *Server) nextID(prefix string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return prefix + strconv.Itoa(s.seq)
}

// malformedBody is valid JSON cut short: decoders fail on it.
const malformedBody = `{"id":"broken","object":"list","data":[{"index":0,`

func writeMalformed(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, malformedBody)
}

// apiError is OpenAI's error body.
type apiError struct {
	Error apiErrorDetail `json:"error"`
}

type apiErrorDetail struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func writeError(w http.ResponseWriter, status int, typ, code, msg string) {
	d := apiErrorDetail{Message: msg, Type: typ}
	if code != "" {
		d.Code = &code
	}
	writeJSON(w, status, apiError{Error: d})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "fakeopenai: encode response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func errorType(status int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return "rate_limit_error"
	case status >= 500:
		return "server_error"
	default:
		return "invalid_request_error"
	}
}

func errorCode(status int) string {
	if status == http.StatusTooManyRequests {
		return "rate_limit_exceeded"
	}
	return ""
}

func badRequest(w http.ResponseWriter, msg string) {
	writeError(w, http.StatusBadRequest, "invalid_request_error", "", msg)
}

func (s *Server) handleModels(w http.ResponseWriter, _ *http.Request, _ []byte, st settings) {
	type model struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Created int64  `json:"created"`
		OwnedBy string `json:"owned_by"`
	}
	data := make([]model, 0, len(st.models))
	for _, id := range st.models {
		data = append(data, model{ID: id, Object: "model", Created: fixedCreated, OwnedBy: "fakeopenai"})
	}
	writeJSON(w, http.StatusOK, struct {
		Object string  `json:"object"`
		Data   []model `json:"data"`
	}{"list", data})
}

// fixedCreated keeps responses deterministic.
const fixedCreated = 1700000000
