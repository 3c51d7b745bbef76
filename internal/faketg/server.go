// Package faketg is a fake Telegram Bot API server for tests. It speaks the
// documented wire format (https://core.telegram.org/bots/api): requests to
// /bot<token>/<method> with JSON, form or multipart parameters, answers
// {"ok":true,"result":...} or {"ok":false,"error_code":N,"description":...,
// "parameters":{"retry_after":N}}. It rejects unknown methods and parameters
// that the documentation does not list, so a bot that passes against it relies
// only on the documented API.
//
// Tests script it: push updates (private or group texts, callback presses,
// channel posts, documents), make the next calls of a method fail (429 with
// retry_after), and inspect what the bot sent and edited.
package faketg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Call is one request the bot made.
type Call struct {
	Method string
	Params map[string]json.RawMessage
	At     time.Time
}

// Failure is a scripted error answer.
type Failure struct {
	Code        int
	Description string
	RetryAfter  int // seconds; sent as parameters.retry_after when > 0
}

// TooManyRequests is the flood-control failure Telegram sends.
func TooManyRequests(retryAfter int) Failure {
	return Failure{Code: 429, Description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter), RetryAfter: retryAfter}
}

// Sent is a message the bot sent, with its current state.
type Sent struct {
	Message
	// Raw is the text as the bot last sent it (HTML source when ParseMode is "HTML").
	Raw       string
	ParseMode string
	// Versions holds every Raw text the message had, the first one included.
	Versions []string
	// EditTimes are the times of successful edits.
	EditTimes []time.Time
	SentAt    time.Time
}

// CallbackAnswer is what the bot answered to a callback query.
type CallbackAnswer struct {
	Text      string
	ShowAlert bool
}

type chatState struct {
	chat   Chat
	nextID int
	msgs   map[int]*Message
	sent   map[int]*Sent
	order  []int // ids of bot messages in send order
}

// Server is a running fake Bot API.
type Server struct {
	URL   string // pass as the bot's API URL
	Token string
	Bot   User

	srv *httptest.Server

	mu          sync.Mutex
	updates     []Update
	nextUpdate  int
	wake        chan struct{}
	polling     bool
	chats       map[int64]*chatState
	calls       []Call
	failures    map[string][]Failure
	callbacks   map[string]*CallbackAnswer // nil value: not answered yet
	nextCB      int
	commands    []BotCommand
	webhookURL  string
	webhookTok  string
	allowedUpds []string
	readAll     bool                   // getMe's can_read_all_group_messages: group privacy mode off
	files       map[string]*storedFile // by file_id
	nextFile    int
	fileLimit   int64
	downloads   []string
	localDir    string
}

// SetGroupPrivacy sets what getMe reports: on (the default) means the bot
// receives in groups only commands, mentions and replies
// (can_read_all_group_messages false).
func (s *Server) SetGroupPrivacy(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readAll = !on

}

// New starts a fake Bot API for a bot named @policy_test_bot with the given token.
// Close it when done.
func New(token string) *Server {
	s := &Server{
		Token:     token,
		Bot:       User{ID: 7000001, IsBot: true, FirstName: "Policy Bot", Username: "policy_test_bot"},
		wake:      make(chan struct{}),
		chats:     make(map[int64]*chatState),
		failures:  make(map[string][]Failure),
		callbacks: make(map[string]*CallbackAnswer),
		files:     make(map[string]*storedFile),
		fileLimit: CloudFileLimit,
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down, ending pending long polls.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// FailNext makes the next n calls of method fail with f.
func (s *Server) FailNext(method string, f Failure, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failures[method] = append(s.failures[method], f)
	}
}

// Calls returns the calls of method so far (all calls when method is "").
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// BotMessages returns copies of the messages the bot sent to chatID, in order.
func (s *Server) BotMessages(chatID int64) []Sent {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chats[chatID]
	if cs == nil {
		return nil
	}
	out := make([]Sent, 0, len(cs.order))
	for _, id := range cs.order {
		m := *cs.sent[id]
		m.Versions = slices.Clone(m.Versions)
		m.EditTimes = slices.Clone(m.EditTimes)
		out = append(out, m)
	}
	return out
}

// CallbackAnswer returns the answer to callback query id, if answered.
func (s *Server) CallbackAnswer(id string) (CallbackAnswer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.callbacks[id]
	if a == nil {
		return CallbackAnswer{}, false
	}
	return *a, true
}

// Commands returns the commands registered with setMyCommands.
func (s *Server) Commands() []BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands)
}

// Webhook returns the registered webhook URL and secret token.
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhookURL, s.webhookTok
}

// Pending reports how many pushed updates the bot has not confirmed yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// Wait polls cond every few milliseconds until it holds or timeout passes,
// and reports whether it held.
func Wait(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// --- scripting updates ---

// PrivateChat is the private chat with u.
func PrivateChat(u User) Chat {
	return Chat{ID: u.ID, Type: "private", FirstName: u.FirstName, Username: u.Username}
}

// SendText pushes a text message from `from` in chat, replying to replyTo when
// it is not nil. Commands (/cmd at the start) and @mentions get their entities.
func (s *Server) SendText(chat Chat, from *User, text string, replyTo *Message) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatLocked(chat)
	m := &Message{MessageID: cs.newID(), From: from, Date: time.Now().Unix(), Chat: chat, Text: text, Entities: entitiesOf(text)}
	if replyTo != nil {
		r := *replyTo
		r.ReplyToMessage = nil
		m.ReplyToMessage = &r
	}
	cs.msgs[m.MessageID] = m
	s.pushLocked(Update{Message: m})
	return *m
}

// SendDocument pushes a message carrying a document.
func (s *Server) SendDocument(chat Chat, from *User, fileName string) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatLocked(chat)
	m := &Message{MessageID: cs.newID(), From: from, Date: time.Now().Unix(), Chat: chat,
		Document: &Document{FileID: "doc" + strconv.Itoa(cs.nextID), FileUniqueID: "u" + strconv.Itoa(cs.nextID), FileName: fileName, MimeType: "application/pdf", FileSize: 1234}}
	cs.msgs[m.MessageID] = m
	s.pushLocked(Update{Message: m})
	return *m
}

// ChannelPost pushes a post in a channel: a message with no sender.
func (s *Server) ChannelPost(channel Chat, text string) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatLocked(channel)
	ch := channel
	m := &Message{MessageID: cs.newID(), SenderChat: &ch, Date: time.Now().Unix(), Chat: channel, Text: text, Entities: entitiesOf(text)}
	cs.msgs[m.MessageID] = m
	s.pushLocked(Update{ChannelPost: m})
	return *m
}

// Press pushes a callback query: `from` pressed the button with callback data
// `data` under the bot's message messageID in chatID. It returns the query id.
func (s *Server) Press(from User, chatID int64, messageID int, data string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextCB++
	id := fmt.Sprintf("cb%d", s.nextCB)
	s.callbacks[id] = nil
	q := &CallbackQuery{ID: id, From: from, ChatInstance: "ci" + strconv.FormatInt(chatID, 10), Data: data}
	if cs := s.chats[chatID]; cs != nil {
		if m := cs.msgs[messageID]; m != nil {
			c := *m
			q.Message = &c
		}
	}
	s.pushLocked(Update{CallbackQuery: q})
	return id
}

// PushUpdate pushes an arbitrary update; its update_id is assigned.
func (s *Server) PushUpdate(u Update) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pushLocked(u)
}

func (s *Server) pushLocked(u Update) {
	s.nextUpdate++
	u.UpdateID = s.nextUpdate
	s.updates = append(s.updates, u)
	close(s.wake)
	s.wake = make(chan struct{})
}

func (s *Server) chatLocked(c Chat) *chatState {
	cs := s.chats[c.ID]
	if cs == nil {
		cs = &chatState{chat: c, msgs: make(map[int]*Message), sent: make(map[int]*Sent)}
		s.chats[c.ID] = cs
	}
	return cs
}

func (cs *chatState) newID() int {
	cs.nextID++
	return cs.nextID
}

// entitiesOf marks a leading /command and @mentions.
func entitiesOf(text string) []MessageEntity {
	var ents []MessageEntity
	u16 := func(s string) int { return utf16Len(s) }
	if strings.HasPrefix(text, "/") {
		end := strings.IndexAny(text, " \n")
		if end < 0 {
			end = len(text)
		}
		ents = append(ents, MessageEntity{Type: "bot_command", Offset: 0, Length: u16(text[:end])})
	}
	for i := 0; i < len(text); i++ {
		if text[i] != '@' || (i > 0 && isNameByte(text[i-1])) {
			continue
		}
		j := i + 1
		for j < len(text) && isNameByte(text[j]) {
			j++
		}
		if j-i > 1 && (i == 0 || text[i-1] != '/') && !insideCommand(ents, u16(text[:i])) {
			ents = append(ents, MessageEntity{Type: "mention", Offset: u16(text[:i]), Length: u16(text[i:j])})
		}
		i = j - 1
	}
	return ents
}

func insideCommand(ents []MessageEntity, off int) bool {
	for _, e := range ents {
		if e.Type == "bot_command" && off >= e.Offset && off < e.Offset+e.Length {
			return true
		}
	}
	return false
}

func isNameByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// --- serving ---

// apiError is an error answer.
type apiError struct {
	code        int
	description string
	retryAfter  int
}

func (e *apiError) Error() string { return e.description }

func badRequest(format string, args ...any) *apiError {
	return &apiError{code: 400, description: "Bad Request: " + fmt.Sprintf(format, args...)}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if rest, ok := strings.CutPrefix(r.URL.Path, "/file/bot"); ok {
		s.serveFile(w, r, rest)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || token != s.Token {
		writeError(w, &apiError{code: 401, description: "Unauthorized"})
		return
	}
	params, err := readParams(r)
	if err != nil {
		writeError(w, badRequest("%v", err))
		return
	}
	s.mu.Lock()
	s.calls = append(s.calls, Call{Method: method, Params: params, At: time.Now()})
	var fail *Failure
	if q := s.failures[method]; len(q) > 0 {
		fail, s.failures[method] = &q[0], q[1:]
	}
	s.mu.Unlock()
	if fail != nil {
		writeError(w, &apiError{code: fail.Code, description: fail.Description, retryAfter: fail.RetryAfter})
		return
	}

	h, ok := methods[method]
	if !ok {
		writeError(w, &apiError{code: 404, description: "Not Found"})
		return
	}
	for k := range params {
		if !slices.Contains(h.params, k) {
			writeError(w, badRequest("parameter %q is not documented for %s", k, method))
			return
		}
	}
	p := paramReader{params: params}
	result, err := h.fn(s, r.Context(), &p)
	if err == nil && p.err != nil {
		err = p.err
	}
	if err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			ae = badRequest("%v", err)
		}
		writeError(w, ae)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.description}
	if e.retryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": e.retryAfter}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.code)
	_ = json.NewEncoder(w).Encode(body)
}

// readParams accepts the four documented ways of passing parameters: URL
// query string, application/x-www-form-urlencoded, application/json and
// multipart/form-data.
func readParams(r *http.Request) (map[string]json.RawMessage, error) {
	out := make(map[string]json.RawMessage)
	str := func(k, v string) {
		b, _ := json.Marshal(v)
		out[k] = b
	}
	for k, v := range r.URL.Query() {
		str(k, v[0])
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		// The parameters are a JSON object; a bare null, array or string is
		// not one (telegram-test-api's body parser rejects "null" too).
		var raw json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
			return nil, fmt.Errorf("can't parse JSON object: %w", err)
		}
		if t := strings.TrimSpace(string(raw)); !strings.HasPrefix(t, "{") {
			return nil, fmt.Errorf("can't parse JSON object: the body is %.20s, not an object", t)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("can't parse JSON object: %w", err)
		}
		for k, v := range m {
			if string(v) != "null" {
				out[k] = v
			}
		}
	case "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		for k, v := range r.PostForm {
			str(k, v[0])
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return nil, err
		}
		for k, v := range r.MultipartForm.Value {
			str(k, v[0])
		}
	}
	return out, nil
}

// paramReader reads typed parameters, keeping the first error.
type paramReader struct {
	params map[string]json.RawMessage
	err    error
}

func (p *paramReader) has(k string) bool { _, ok := p.params[k]; return ok }

func (p *paramReader) fail(e *apiError) {
	if p.err == nil {
		p.err = e
	}
}

func (p *paramReader) str(k string, required bool) string {
	raw, ok := p.params[k]
	if !ok {
		if required {
			p.fail(badRequest("%s is empty", k))
		}
		return ""
	}
	var v string
	if json.Unmarshal(raw, &v) == nil {
		return v
	}
	return string(raw) // numbers and booleans given as JSON values
}

func (p *paramReader) int(k string, required bool) int64 {
	s := p.str(k, required)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		p.fail(badRequest("invalid %s specified", k))
	}
	return n
}

func (p *paramReader) bool(k string) bool {
	s := p.str(k, false)
	return s == "true" || s == "1" || s == "True"
}

// object decodes a JSON-serialized parameter, given as an object or as a string holding one.
func (p *paramReader) object(k string, dst any) bool {
	raw, ok := p.params[k]
	if !ok {
		return false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		raw = json.RawMessage(s)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		p.fail(badRequest("can't parse %s JSON object: %v", k, err))
		return false
	}
	return true
}

type method struct {
	params []string
	fn     func(s *Server, ctx context.Context, p *paramReader) (any, error)
}

// methods lists the implemented methods with their documented parameters.
var methods = map[string]method{
	"getMe":               {nil, (*Server).getMe},
	"getUpdates":          {[]string{"offset", "limit", "timeout", "allowed_updates"}, (*Server).getUpdates},
	"sendMessage":         {[]string{"business_connection_id", "chat_id", "message_thread_id", "text", "parse_mode", "entities", "link_preview_options", "disable_notification", "protect_content", "allow_paid_broadcast", "message_effect_id", "reply_parameters", "reply_markup"}, (*Server).sendMessage},
	"editMessageText":     {[]string{"business_connection_id", "chat_id", "message_id", "inline_message_id", "text", "parse_mode", "entities", "link_preview_options", "reply_markup"}, (*Server).editMessageText},
	"sendChatAction":      {[]string{"business_connection_id", "chat_id", "message_thread_id", "action"}, (*Server).sendChatAction},
	"answerCallbackQuery": {[]string{"callback_query_id", "text", "show_alert", "url", "cache_time"}, (*Server).answerCallbackQuery},
	"setMyCommands":       {[]string{"commands", "scope", "language_code"}, (*Server).setMyCommands},
	"setWebhook":          {[]string{"url", "certificate", "ip_address", "max_connections", "allowed_updates", "drop_pending_updates", "secret_token"}, (*Server).setWebhook},
	"deleteWebhook":       {[]string{"drop_pending_updates"}, (*Server).deleteWebhook},
	"getFile":             {[]string{"file_id"}, (*Server).getFile},
}

func (s *Server) getMe(_ context.Context, _ *paramReader) (any, error) {
	s.mu.Lock()
	readAll := s.readAll
	s.mu.Unlock()
	return map[string]any{
		"id": s.Bot.ID, "is_bot": true, "first_name": s.Bot.FirstName, "username": s.Bot.Username,
		"can_join_groups": true, "can_read_all_group_messages": readAll, "supports_inline_queries": false,
	}, nil
}

func (s *Server) getUpdates(ctx context.Context, p *paramReader) (any, error) {
	offset := int(p.int("offset", false))
	limit := int(p.int("limit", false))
	timeout := p.int("timeout", false)
	var allowed []string
	if p.has("allowed_updates") {
		p.object("allowed_updates", &allowed)
	}
	if p.err != nil {
		return nil, p.err
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	s.mu.Lock()
	if s.webhookURL != "" {
		s.mu.Unlock()
		return nil, &apiError{code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	if s.polling {
		s.mu.Unlock()
		return nil, &apiError{code: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
	}
	s.polling = true
	if allowed != nil {
		s.allowedUpds = allowed
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.polling = false
		s.mu.Unlock()
	}()

	deadline := time.NewTimer(time.Duration(timeout) * time.Second)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		// Updates below offset are confirmed and forgotten.
		kept := s.updates[:0]
		for _, u := range s.updates {
			if offset == 0 || u.UpdateID >= offset {
				kept = append(kept, u)
			}
		}
		s.updates = kept
		var out []Update
		for _, u := range s.updates {
			if len(s.allowedUpds) > 0 && !slices.Contains(s.allowedUpds, u.kind()) {
				continue
			}
			if len(out) < limit {
				out = append(out, u)
			}
		}
		wake := s.wake
		s.mu.Unlock()
		if len(out) > 0 || timeout <= 0 {
			if out == nil {
				out = []Update{}
			}
			return out, nil
		}
		select {
		case <-wake:
		case <-deadline.C:
			timeout = 0
		case <-ctx.Done():
			return []Update{}, nil
		}
	}
}

var parseModes = []string{"HTML", "MarkdownV2", "Markdown"}

// content checks text, parse_mode and reply_markup as sendMessage and
// editMessageText do, and returns the visible text and the keyboard.
func content(p *paramReader) (visible string, mode string, kb *InlineKeyboardMarkup, err error) {
	text := p.str("text", true)
	mode = p.str("parse_mode", false)
	if p.has("link_preview_options") {
		var lp LinkPreviewOptions
		p.object("link_preview_options", &lp)
	}
	if p.has("reply_markup") {
		kb = &InlineKeyboardMarkup{}
		p.object("reply_markup", kb)
	}
	if p.err != nil {
		return "", "", nil, p.err
	}
	visible = text
	switch {
	case mode == "HTML":
		if visible, err = parseHTML(text); err != nil {
			return "", "", nil, badRequest("%v", err)
		}
	case mode != "" && !slices.Contains(parseModes, mode):
		return "", "", nil, badRequest("unsupported parse_mode")
	}
	if strings.TrimSpace(visible) == "" {
		return "", "", nil, badRequest("message text is empty")
	}
	if utf16Len(visible) > 4096 {
		return "", "", nil, badRequest("message is too long")
	}
	if kb != nil {
		for _, row := range kb.InlineKeyboard {
			for _, b := range row {
				if b.Text == "" {
					return "", "", nil, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
				}
				if b.CallbackData == "" && b.URL == "" {
					return "", "", nil, badRequest("can't parse inline keyboard button: InlineKeyboardButton must have exactly one of the optional fields")
				}
				if len(b.CallbackData) > 64 {
					return "", "", nil, badRequest("BUTTON_DATA_INVALID")
				}
			}
		}
	}
	return visible, mode, kb, nil
}

func (s *Server) sendMessage(_ context.Context, p *paramReader) (any, error) {
	chatID := p.int("chat_id", true)
	var rp ReplyParameters
	hasReply := p.has("reply_parameters") && p.object("reply_parameters", &rp)
	visible, mode, kb, err := content(p)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chats[chatID]
	if cs == nil {
		return nil, badRequest("chat not found")
	}
	m := &Message{MessageID: cs.newID(), From: &s.Bot, Date: time.Now().Unix(), Chat: cs.chat, Text: visible, ReplyMarkup: kb}
	if hasReply {
		if r := cs.msgs[rp.MessageID]; r != nil {
			c := *r
			c.ReplyToMessage = nil
			m.ReplyToMessage = &c
		} else if !rp.AllowSendingWithoutReply {
			return nil, badRequest("message to be replied not found")
		}
	}
	raw := p.str("text", true)
	cs.msgs[m.MessageID] = m
	cs.sent[m.MessageID] = &Sent{Message: *m, Raw: raw, ParseMode: mode, Versions: []string{raw}, SentAt: time.Now()}
	cs.order = append(cs.order, m.MessageID)
	return m, nil
}

func (s *Server) editMessageText(_ context.Context, p *paramReader) (any, error) {
	if p.has("inline_message_id") {
		return nil, badRequest("inline messages are not supported by this fake")
	}
	chatID := p.int("chat_id", true)
	msgID := int(p.int("message_id", true))
	visible, mode, kb, err := content(p)
	if err != nil {
		return nil, err
	}
	raw := p.str("text", true)
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chats[chatID]
	if cs == nil {
		return nil, badRequest("chat not found")
	}
	sent := cs.sent[msgID]
	if sent == nil {
		if cs.msgs[msgID] != nil {
			return nil, badRequest("message can't be edited")
		}
		return nil, badRequest("message to edit not found")
	}
	if raw == sent.Raw && mode == sent.ParseMode && sameKeyboard(kb, sent.ReplyMarkup) {
		return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	sent.Text, sent.Raw, sent.ParseMode, sent.ReplyMarkup = visible, raw, mode, kb
	sent.EditDate = time.Now().Unix()
	sent.Versions = append(sent.Versions, raw)
	sent.EditTimes = append(sent.EditTimes, time.Now())
	m := sent.Message
	cs.msgs[msgID] = &m
	return m, nil
}

func sameKeyboard(a, b *InlineKeyboardMarkup) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

var chatActions = []string{"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice", "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"}

func (s *Server) sendChatAction(_ context.Context, p *paramReader) (any, error) {
	chatID := p.int("chat_id", true)
	action := p.str("action", true)
	if p.err != nil {
		return nil, p.err
	}
	if !slices.Contains(chatActions, action) {
		return nil, badRequest("wrong parameter action in request")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.chats[chatID] == nil {
		return nil, badRequest("chat not found")
	}
	return true, nil
}

func (s *Server) answerCallbackQuery(_ context.Context, p *paramReader) (any, error) {
	id := p.str("callback_query_id", true)
	text := p.str("text", false)
	alert := p.bool("show_alert")
	if p.err != nil {
		return nil, p.err
	}
	if len([]rune(text)) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, known := s.callbacks[id]
	if !known || a != nil {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	s.callbacks[id] = &CallbackAnswer{Text: text, ShowAlert: alert}
	return true, nil
}

func (s *Server) setMyCommands(_ context.Context, p *paramReader) (any, error) {
	var cmds []BotCommand
	p.object("commands", &cmds)
	if p.err != nil {
		return nil, p.err
	}
	if len(cmds) > 100 {
		return nil, badRequest("too many commands")
	}
	for _, c := range cmds {
		if c.Command == "" || len(c.Command) > 32 || strings.ToLower(c.Command) != c.Command || strings.Trim(c.Command, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := len([]rune(c.Description)); n < 1 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	s.mu.Lock()
	s.commands = cmds
	s.mu.Unlock()
	return true, nil
}

func (s *Server) setWebhook(_ context.Context, p *paramReader) (any, error) {
	url := p.str("url", true)
	secret := p.str("secret_token", false)
	if p.has("allowed_updates") {
		var a []string
		p.object("allowed_updates", &a)
	}
	if p.err != nil {
		return nil, p.err
	}
	if url != "" && !strings.HasPrefix(url, "https://") {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	if len(secret) > 256 || strings.Trim(secret, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "" {
		return nil, badRequest("secret token contains unallowed characters")
	}
	s.mu.Lock()
	s.webhookURL, s.webhookTok = url, secret
	s.mu.Unlock()
	return true, nil
}

func (s *Server) deleteWebhook(_ context.Context, _ *paramReader) (any, error) {
	s.mu.Lock()
	s.webhookURL, s.webhookTok = "", ""
	s.mu.Unlock()
	return true, nil
}

// UTF16Len is the length Telegram measures texts and entity offsets in.
func UTF16Len(s string) int { return utf16Len(s) }
