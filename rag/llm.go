package rag

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"
)

// LLMRefusal is the exact reply the answer prompt asks the model to give when
// the passages do not contain the answer. CheckAnswer and IsRefusal recognise it.
const LLMRefusal = "资料中没有找到相关内容。"

// Defaults used by NewGenerator unless an Option overrides them.
const (
	DefaultTemperature = 0.1
	DefaultMaxTokens   = 800
	DefaultTimeout     = 60 * time.Second
)

// Limits on what Rewrite sends and accepts: the history is only context, and a
// long assistant answer would drown the follow-up.
const (
	rewriteMaxTurns     = 6
	rewriteMaxTurnRunes = 300
	rewriteMaxTokens    = 128
)

// Errors a caller can branch on; the generator wraps them with the model name.
var (
	// ErrEmptyAnswer means the stream finished without any answer text.
	ErrEmptyAnswer = errors.New("model returned no text")
	// ErrIncompleteStream means the stream ended before the model finished
	// (no finish_reason before EOF, or the connection was cut).
	ErrIncompleteStream = errors.New("stream ended before the model finished")
	// ErrFiltered means the server stopped the answer with finish_reason
	// "content_filter".
	ErrFiltered = errors.New("answer stopped by the server's content filter")
)

//go:embed prompt.tmpl
var defaultPrompt string

//go:embed rewrite.tmpl
var defaultRewritePrompt string

// ChatStreamer is the one method of *openai.Client
// (github.com/sashabaranov/go-openai) the generator calls, with go-openai's
// exact signature so the client plugs in unchanged.
type ChatStreamer interface {
	CreateChatCompletionStream(ctx context.Context, req openai.ChatCompletionRequest) (*openai.ChatCompletionStream, error)
}

var _ ChatStreamer = (*openai.Client)(nil)

// Generator writes answers with an OpenAI-compatible chat model from
// retrieved passages, and rewrites follow-up questions into standalone ones.
// Its fields may be set directly; NewGenerator fills in the defaults.
type Generator struct {
	Client      ChatStreamer
	Model       string
	Temperature float32 // 0 leaves the server's default (go-openai omits it)
	MaxTokens   int     // 0 leaves the server's default
	// Timeout bounds one Answer or Rewrite call, streaming included; 0 means
	// only ctx bounds it.
	Timeout time.Duration
	// Prompt renders the answer messages from PromptData; it must define the
	// templates "system" and "user".
	Prompt *template.Template
	// RewritePrompt renders the rewrite messages from RewriteData; it must
	// define the templates "system" and "user".
	RewritePrompt *template.Template
}

// PromptData is what the answer prompt template is executed with.
type PromptData struct {
	Refusal  string // LLMRefusal
	Passages []PromptPassage
	Question string
}

// PromptPassage is one numbered passage in PromptData.
type PromptPassage struct {
	N                    int // 1-based; the number the answer cites as [N]
	Title, Section, Date string
	Text                 string
}

// RewriteData is what the rewrite prompt template is executed with.
type RewriteData struct {
	History  []Turn // the last turns only, each shortened
	Question string
	// Previous is what the previous answer listed and came from, so the
	// model can resolve "第三条" or "它的文号"; nil when unknown.
	Previous *PreviousTurn
}

// PreviousTurn is the previous result as the rewrite prompt shows it.
type PreviousTurn struct {
	Items    []string // the items the previous answer listed, in order, numbered (1. …)
	Titles   []string // the documents it came from
	Passages []string // the passages it came from, each shortened
}

// Option changes a Generator built by NewGenerator.
type Option func(*Generator) error

// WithTemperature sets the sampling temperature of answers.
func WithTemperature(t float32) Option {
	return func(g *Generator) error { g.Temperature = t; return nil }
}

// WithMaxTokens caps the answer length in tokens.
func WithMaxTokens(n int) Option {
	return func(g *Generator) error { g.MaxTokens = n; return nil }
}

// WithTimeout bounds each Answer and Rewrite call.
func WithTimeout(d time.Duration) Option {
	return func(g *Generator) error { g.Timeout = d; return nil }
}

// WithPromptFile replaces the embedded answer prompt with the template file
// at path (see prompt.tmpl for the expected shape).
func WithPromptFile(path string) Option {
	return func(g *Generator) error {
		t, err := parsePromptFile(path)
		if err != nil {
			return err
		}
		g.Prompt = t
		return nil
	}
}

// WithRewritePromptFile replaces the embedded rewrite prompt with the
// template file at path (see rewrite.tmpl for the expected shape).
func WithRewritePromptFile(path string) Option {
	return func(g *Generator) error {
		t, err := parsePromptFile(path)
		if err != nil {
			return err
		}
		g.RewritePrompt = t
		return nil
	}
}

// NewGenerator returns a Generator for model served by client, with the
// embedded prompts and the Default* settings, then applies opts.
func NewGenerator(client ChatStreamer, model string, opts ...Option) (*Generator, error) {
	if client == nil {
		return nil, errors.New("new generator: nil client")
	}
	if model == "" {
		return nil, errors.New("new generator: empty model name")
	}
	prompt, err := parsePrompt("prompt.tmpl", defaultPrompt)
	if err != nil {
		return nil, err
	}
	rewrite, err := parsePrompt("rewrite.tmpl", defaultRewritePrompt)
	if err != nil {
		return nil, err
	}
	g := &Generator{
		Client:        client,
		Model:         model,
		Temperature:   DefaultTemperature,
		MaxTokens:     DefaultMaxTokens,
		Timeout:       DefaultTimeout,
		Prompt:        prompt,
		RewritePrompt: rewrite,
	}
	for _, o := range opts {
		if err := o(g); err != nil {
			return nil, fmt.Errorf("new generator: %w", err)
		}
	}
	return g, nil
}

func parsePromptFile(path string) (*template.Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read prompt template %q: %w", path, err)
	}
	return parsePrompt(path, string(b))
}

// parsePrompt parses a prompt template and checks that it defines both
// messages, so a bad override fails at start-up rather than on a question.
func parsePrompt(name, text string) (*template.Template, error) {
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("parse prompt template %q: %w", name, err)
	}
	for _, part := range []string{"system", "user"} {
		if t.Lookup(part) == nil {
			return nil, fmt.Errorf("parse prompt template %q: no {{define %q}}", name, part)
		}
	}
	return t, nil
}

// render executes the "system" and "user" templates of t with data.
func render(t *template.Template, data any) ([]openai.ChatCompletionMessage, error) {
	if t == nil {
		return nil, errors.New("render prompt: nil template")
	}
	msgs := make([]openai.ChatCompletionMessage, 0, 2)
	for _, part := range []struct{ name, role string }{
		{"system", openai.ChatMessageRoleSystem},
		{"user", openai.ChatMessageRoleUser},
	} {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, part.name, data); err != nil {
			return nil, fmt.Errorf("render prompt %q: %w", part.name, err)
		}
		msgs = append(msgs, openai.ChatCompletionMessage{Role: part.role, Content: strings.TrimSpace(buf.String())})
	}
	return msgs, nil
}

// AnswerMessages returns the system and user messages Answer sends for
// question and passages (numbered 1.. in the given order).
func (g *Generator) AnswerMessages(question string, passages []Passage) ([]openai.ChatCompletionMessage, error) {
	data := PromptData{Refusal: LLMRefusal, Question: strings.TrimSpace(question)}
	for i, p := range passages {
		data.Passages = append(data.Passages, PromptPassage{
			N:       i + 1,
			Title:   quoted(strings.TrimSpace(p.Title)),
			Section: quoted(strings.TrimSpace(p.Section)),
			Date:    quoted(strings.TrimSpace(p.Date)),
			Text:    quoted(strings.TrimSpace(p.Text)),
		})
	}
	return render(g.Prompt, data)
}

// reDocumentTag matches what could open or close a prompt's <document>
// block inside a passage.
var reDocumentTag = regexp.MustCompile(`(?i)<(\s*/?\s*document)`)

// quoted defuses <document> and </document> tags inside document text, so
// a document cannot end its own block and speak outside it: their "<"
// becomes a full-width "＜".
func quoted(s string) string {
	return reDocumentTag.ReplaceAllString(s, "＜$1")
}

// Answer asks the model to answer question from passages, which it cites as
// [1]..[len(passages)]. While the answer streams in, onToken (if not nil)
// receives the whole text so far after each new piece; throttling display
// updates is the caller's job. A leading <think>…</think> block of a reasoning
// model is never shown nor returned.
//
// With no passages Answer returns LLMRefusal without calling the model. Any
// failure — the request, a cut or malformed stream, the timeout, an empty
// answer — returns an error naming the model, so the caller can fall back to
// an extractive answer; the returned text is then "".
func (g *Generator) Answer(ctx context.Context, question string, passages []Passage, onToken func(textSoFar string)) (string, error) {
	if len(passages) == 0 {
		return LLMRefusal, nil
	}
	msgs, err := g.AnswerMessages(question, passages)
	if err != nil {
		return "", fmt.Errorf("llm %q: %w", g.Model, err)
	}
	req := openai.ChatCompletionRequest{
		Model:       g.Model,
		Messages:    msgs,
		Temperature: g.Temperature,
		MaxTokens:   g.MaxTokens,
	}
	text, err := g.stream(ctx, req, onToken)
	if err != nil {
		return "", fmt.Errorf("llm %q: answer: %w", g.Model, err)
	}
	return text, nil
}

// Rewrite turns an elliptical follow-up such as "那2025年呢？" into a
// standalone question using the conversation history. With no history it
// returns question unchanged without calling the model. On error it returns
// question unchanged too, with the error, so the caller may go on with it.
func (g *Generator) Rewrite(ctx context.Context, history []Turn, question string) (string, error) {
	return g.RewriteWith(ctx, history, nil, question)
}

// RewriteWith is Rewrite given also the previous result (its items, documents
// and passages), which the follow-up may point into.
func (g *Generator) RewriteWith(ctx context.Context, history []Turn, prev *PreviousTurn, question string) (string, error) {
	question = strings.TrimSpace(question)
	if len(history) == 0 || question == "" {
		return question, nil
	}
	msgs, err := render(g.RewritePrompt, RewriteData{History: shortenHistory(history), Question: question, Previous: prev})
	if err != nil {
		return question, fmt.Errorf("llm %q: %w", g.Model, err)
	}
	req := openai.ChatCompletionRequest{
		Model:     g.Model,
		Messages:  msgs,
		MaxTokens: rewriteMaxTokens,
		// Temperature 0 is omitted by go-openai; the lowest value that is
		// sent keeps rewriting close to deterministic.
		Temperature: 0.01,
	}
	text, err := g.stream(ctx, req, nil)
	if err != nil {
		return question, fmt.Errorf("llm %q: rewrite: %w", g.Model, err)
	}
	rewritten := cleanRewrite(text)
	if rewritten == "" {
		return question, fmt.Errorf("llm %q: rewrite: %w", g.Model, ErrEmptyAnswer)
	}
	return rewritten, nil
}

// shortenHistory keeps the last turns, each cut to a bounded length.
func shortenHistory(history []Turn) []Turn {
	if len(history) > rewriteMaxTurns {
		history = history[len(history)-rewriteMaxTurns:]
	}
	out := make([]Turn, 0, len(history))
	for _, t := range history {
		c := strings.Join(strings.Fields(t.Content), " ")
		if utf8.RuneCountInString(c) > rewriteMaxTurnRunes {
			c = string([]rune(c)[:rewriteMaxTurnRunes]) + "…"
		}
		if c != "" {
			out = append(out, Turn{Role: t.Role, Content: c})
		}
	}
	return out
}

// cleanRewrite keeps the first non-empty line of the model's reply, without
// a label the model may echo or surrounding quotes.
func cleanRewrite(s string) string {
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		for _, label := range []string{"改写后的问题：", "改写后的问题:", "独立问题：", "问题：", "问题:"} {
			line = strings.TrimSpace(strings.TrimPrefix(line, label))
		}
		line = strings.Trim(line, "\"'“”‘’「」『』 ")
		if line != "" {
			return line
		}
	}
	return ""
}

// stream sends req with streaming, accumulates the content of the first
// choice and reports progress to onToken. It returns an error unless the
// server ends the stream normally with a finish_reason and some text.
func (g *Generator) stream(ctx context.Context, req openai.ChatCompletionRequest, onToken func(string)) (string, error) {
	if g.Client == nil {
		return "", errors.New("nil client")
	}
	if g.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, g.Timeout)
		defer cancel()
	}
	s, err := g.Client.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return "", withCtxErr(ctx, fmt.Errorf("start stream: %w", err))
	}
	defer s.Close()

	var (
		b        strings.Builder
		finish   openai.FinishReason
		lastShow string
	)
	for {
		resp, err := s.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", withCtxErr(ctx, fmt.Errorf("receive stream after %d bytes: %w", b.Len(), err))
		}
		for _, c := range resp.Choices {
			if c.Index != 0 {
				continue
			}
			b.WriteString(c.Delta.Content)
			if c.FinishReason != "" {
				finish = c.FinishReason
			}
		}
		if onToken != nil {
			if show := visibleText(b.String()); show != lastShow && strings.TrimSpace(show) != "" {
				lastShow = show
				onToken(show)
			}
		}
	}
	switch {
	case finish == "":
		return "", withCtxErr(ctx, fmt.Errorf("after %d bytes: %w", b.Len(), ErrIncompleteStream))
	case finish == openai.FinishReasonContentFilter:
		return "", ErrFiltered
	}
	text := strings.TrimSpace(visibleText(b.String()))
	if text == "" {
		return "", ErrEmptyAnswer
	}
	return text, nil
}

// withCtxErr makes a failure caused by the context's deadline or cancellation
// match context.DeadlineExceeded or context.Canceled with errors.Is.
func withCtxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%w: %w", cerr, err)
	}
	return err
}

// visibleText drops a leading <think>…</think> block (reasoning models
// served by Ollama or llama.cpp emit one); while it is still open nothing is
// visible yet.
func visibleText(s string) string {
	t := strings.TrimLeft(s, " \t\r\n")
	if t != "" && strings.HasPrefix("<think>", t) {
		return "" // the tag itself is still arriving
	}
	if !strings.HasPrefix(t, "<think>") {
		return s
	}
	_, after, ok := strings.Cut(t, "</think>")
	if !ok {
		return ""
	}
	return strings.TrimLeft(after, " \t\r\n")
}
