package fakeopenai

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// ChatRequest is the part of an OpenAI chat completion request the fake
// understands; unknown fields are ignored as real servers do.
type ChatRequest struct {
	Model               string         `json:"model"`
	Messages            []ChatMessage  `json:"messages"`
	Stream              bool           `json:"stream"`
	StreamOptions       *StreamOptions `json:"stream_options,omitempty"`
	Temperature         *float64       `json:"temperature,omitempty"`
	MaxTokens           int            `json:"max_tokens,omitempty"`
	MaxCompletionTokens int            `json:"max_completion_tokens,omitempty"`
}

// StreamOptions is the request's "stream_options" object.
type StreamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// ChatMessage is one message. Content given as an array of parts
// ([{"type":"text","text":...}]) is flattened to its text parts joined.
type ChatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
	Name    string `json:"name,omitempty"`
}

// UnmarshalJSON accepts "content" as a string, null, or an array of parts.
func (m *ChatMessage) UnmarshalJSON(b []byte) error {
	var raw struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
		Name    string          `json:"name"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	m.Role, m.Name, m.Content = raw.Role, raw.Name, ""
	c := strings.TrimSpace(string(raw.Content))
	switch {
	case c == "" || c == "null":
	case strings.HasPrefix(c, `"`):
		return json.Unmarshal(raw.Content, &m.Content)
	case strings.HasPrefix(c, "["):
		var parts []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(raw.Content, &parts); err != nil {
			return fmt.Errorf("message content parts: %w", err)
		}
		var texts []string
		for _, p := range parts {
			if p.Type == "text" {
				texts = append(texts, p.Text)
			}
		}
		m.Content = strings.Join(texts, "\n")
	default:
		return errors.New("message content must be a string or an array of parts")
	}
	return nil
}

// LastUserMessage returns the content of the last message with role "user",
// or "" when there is none.
func (r ChatRequest) LastUserMessage() string {
	for i := len(r.Messages) - 1; i >= 0; i-- {
		if r.Messages[i].Role == "user" {
			return r.Messages[i].Content
		}
	}
	return ""
}

// DefaultChat answers "echo: " followed by the last user message, so a test
// can predict the reply from its own prompt.
func DefaultChat(req ChatRequest) string {
	return "echo: " + req.LastUserMessage()
}

type chatUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

type chatChoice struct {
	Index        int         `json:"index"`
	Message      *chatOutMsg `json:"message,omitempty"`
	Delta        *chatOutMsg `json:"delta,omitempty"`
	FinishReason *string     `json:"finish_reason"`
}

type chatOutMsg struct {
	Role    string `json:"role,omitempty"`
	Content string `json:"content"`
}

type chatResponse struct {
	ID      string       `json:"id"`
	Object  string       `json:"object"`
	Created int64        `json:"created"`
	Model   string       `json:"model"`
	Choices []chatChoice `json:"choices"`
	Usage   *chatUsage   `json:"usage,omitempty"`
}

// countTokens approximates tokens as runes, which is close enough for
// usage fields that tests only check for presence.
func countTokens(req ChatRequest) int {
	n := 0
	for _, m := range req.Messages {
		n += utf8.RuneCountInString(m.Content)
	}
	return n
}

func (s *Server) handleChat(w http.ResponseWriter, r *http.Request, body []byte, st settings) {
	var req ChatRequest
	if err := json.Unmarshal(body, &req); err != nil {
		badRequest(w, "invalid chat request: "+err.Error())
		return
	}
	if req.Model == "" {
		badRequest(w, "you must provide a model parameter")
		return
	}
	if len(req.Messages) == 0 {
		badRequest(w, "'messages' must contain at least one message")
		return
	}
	for i, m := range req.Messages {
		switch m.Role {
		case "system", "developer", "user", "assistant", "tool":
		default:
			badRequest(w, fmt.Sprintf("messages[%d].role: invalid value %q", i, m.Role))
			return
		}
	}
	if req.Stream {
		s.streamChat(w, r, req, st)
		return
	}
	if s.takeMalformed() {
		writeMalformed(w)
		return
	}
	reply := st.chat(req)
	stop := "stop"
	prompt, completion := countTokens(req), utf8.RuneCountInString(reply)
	writeJSON(w, http.StatusOK, chatResponse{
		ID:      s.nextID("chatcmpl-fake-"),
		Object:  "chat.completion",
		Created: fixedCreated,
		Model:   req.Model,
		Choices: []chatChoice{{Message: &chatOutMsg{Role: "assistant", Content: reply}, FinishReason: &stop}},
		Usage:   &chatUsage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion},
	})
}

// splitRunes cuts s into pieces of at most n runes.
func splitRunes(s string, n int) []string {
	var out []string
	for s != "" {
		i, k := 0, 0
		for i < len(s) && k < n {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			k++
		}
		out = append(out, s[:i])
		s = s[i:]
	}
	return out
}

// streamChat answers with server-sent events as OpenAI does: a role chunk,
// content chunks, a chunk with finish_reason, an optional usage chunk,
// then "data: [DONE]".
func (s *Server) streamChat(w http.ResponseWriter, r *http.Request, req ChatRequest, st settings) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "server_error", "", "streaming unsupported")
		return
	}
	malformed := s.takeMalformed()
	cut := s.takeCut()
	reply := st.chat(req)
	id := s.nextID("chatcmpl-fake-")

	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Connection", "keep-alive")
	w.WriteHeader(http.StatusOK)

	send := func(c chatResponse) {
		c.ID, c.Object, c.Created, c.Model = id, "chat.completion.chunk", fixedCreated, req.Model
		b, _ := json.Marshal(c) // plain structs of strings and ints: cannot fail
		fmt.Fprintf(w, "data: %s\n\n", b)
		flusher.Flush()
	}
	wait := func() bool {
		if st.streamDelay <= 0 {
			return r.Context().Err() == nil
		}
		t := time.NewTimer(st.streamDelay)
		defer t.Stop()
		select {
		case <-t.C:
			return true
		case <-r.Context().Done():
			return false
		case <-s.done:
			return false
		}
	}

	if malformed {
		fmt.Fprintf(w, "data: %s\n\n", malformedBody)
		flusher.Flush()
		return
	}
	send(chatResponse{Choices: []chatChoice{{Delta: &chatOutMsg{Role: "assistant"}}}})
	for i, piece := range splitRunes(reply, st.chunkSize) {
		if cut >= 0 && i >= cut {
			// Drop the connection mid-stream: the client sees an
			// unexpected EOF instead of [DONE].
			panic(http.ErrAbortHandler)
		}
		if !wait() {
			return
		}
		send(chatResponse{Choices: []chatChoice{{Delta: &chatOutMsg{Content: piece}}}})
	}
	if cut >= 0 {
		panic(http.ErrAbortHandler)
	}
	stop := "stop"
	send(chatResponse{Choices: []chatChoice{{Delta: &chatOutMsg{}, FinishReason: &stop}}})
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
		prompt, completion := countTokens(req), utf8.RuneCountInString(reply)
		send(chatResponse{Choices: []chatChoice{}, Usage: &chatUsage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}})
	}
	fmt.Fprint(w, "data: [DONE]\n\n")
	flusher.Flush()
}
