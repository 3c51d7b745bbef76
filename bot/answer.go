package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	tb "gopkg.in/telebot.v3"

	"policybot/rag"
)

// ask answers one question: typing action and placeholder at once, the
// placeholder edited as the answer streams, then the final answer with its
// sources and buttons. Any failure ends in a Chinese apology, never silence.
func (b *Bot) ask(m *tb.Message, user int64, key, question string) {
	chat := m.Chat.ID
	private := m.Chat.Type == tb.ChatPrivate
	start := b.now()
	who := user
	if who == 0 {
		who = chat
	}
	if ok, wait, warn := b.limiter.allow(who, start); !ok {
		b.log.Info("rate limited", "chat", chat, "user", user)
		if warn {
			secs := int(wait.Seconds()) + 1
			b.reply(context.Background(), chat, m.ID, esc(fmt.Sprintf("您提问得有点快了（每分钟最多 %d 个问题），请约 %d 秒后再问。", b.opts.RateLimitPerMinute, secs)))
		}
		return
	}

	// Delivery runs on its own context: it must finish even while Run is
	// stopping, but never hang forever.
	dctx, dcancel := context.WithTimeout(context.Background(), b.opts.AnswerTimeout+2*time.Minute)
	defer dcancel()
	b.typing(chat)
	ph, err := b.send(dctx, chat, esc(textPlaceholder), m.ID, nil)
	if err != nil {
		b.log.Warn("send placeholder", "chat", chat, "user", user, "error", err)
		return
	}

	actx, cancel := context.WithTimeout(context.Background(), b.opts.AnswerTimeout)
	defer cancel()
	queued := false
	select {
	case b.sem <- struct{}{}:
	default:
		queued = true
		if err := b.edit(dctx, chat, ph, esc(textQueued), nil, false); err != nil {
			b.log.Debug("show queued", "chat", chat, "error", err)
		}
		select {
		case b.sem <- struct{}{}:
		case <-actx.Done():
		}
	}
	var res *rag.Result
	var note string // a follow-up whose earlier sources were removed or changed
	notBefore := time.Time{}
	if actx.Err() != nil {
		err = fmt.Errorf("waiting for a free slot: %w", actx.Err())
	} else {
		interval := b.opts.StreamIntervalGroup
		if private {
			interval = b.opts.StreamIntervalPrivate
		}
		b.opts.Gate.enter()
		defer b.opts.Gate.leave()
		st := newStreamer(b, chat, ph, interval)
		go st.run(dctx)
		q := rag.Query{Question: question, History: b.mem.history(key, start), Previous: b.mem.previous(key, start)}
		if len(q.History) > 0 {
			note = b.staleNote(b.mem.cited(key))
		}
		res, err = b.callAnswerer(actx, q, st.partial)
		<-b.sem
		notBefore = st.stop()
	}

	if err == nil && res == nil {
		err = errors.New("engine returned no result")
	}
	if err != nil {
		text := textApology
		if actx.Err() != nil {
			text = textTimeout
		}
		b.deliver(dctx, chat, ph, esc(text), nil, notBefore)
		latency := b.now().Sub(start)
		b.stats.record(latency, false)
		b.log.Warn("question failed", "chat", chat, "user", user, "latency_ms", latency.Milliseconds(), "queued", queued, "error", b.scrub(err))
		return
	}

	id := newAnswerID()
	kb := answerKeyboard(res, id)
	html := renderAnswer(res)
	if note != "" {
		html = esc(note) + "\n\n" + html
	}
	var ids []string
	for _, c := range res.Citations {
		b.cited.put(c.ChunkID, citedSource{Source: c.Source, Title: c.Title})
		ids = append(ids, c.ChunkID)
	}
	b.answers.put(id, answerRecord{Question: question, Answer: res.Answer, Sources: feedbackSources(res)})
	b.mem.add(key, question, res.Answer, b.now())
	b.mem.setCited(key, ids)
	b.mem.keep(key, res)
	parts := b.deliver(dctx, chat, ph, html, kb, notBefore)
	latency := b.now().Sub(start)
	b.stats.record(latency, true)
	b.log.Info("question", "chat", chat, "user", user, "latency_ms", latency.Milliseconds(),
		"passages", len(res.Passages), "citations", len(res.Citations), "mode", res.Mode,
		"answered", res.Answered, "queued", queued, "parts", parts)
}

// callAnswerer calls the engine, turning a panic into an error so the user
// still gets an apology.
func (b *Bot) callAnswerer(ctx context.Context, q rag.Query, onPartial func(string)) (res *rag.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("engine panicked: %v", r)
		}
	}()
	return b.ans.Answer(ctx, q, onPartial)
}

// deliver puts the final html into the placeholder (and follow-up messages
// when it is too long), the keyboard under the last part. It returns the
// number of parts.
func (b *Bot) deliver(ctx context.Context, chat int64, ph int, html string, kb *keyboard, notBefore time.Time) int {
	if d := time.Until(notBefore); d > 0 {
		sleep(ctx, d)
	}
	parts := splitHTML(html, maxMessage)
	for i, part := range parts {
		var k *keyboard
		if i == len(parts)-1 {
			k = kb
		}
		if i == 0 {
			err := b.edit(ctx, chat, ph, part, k, true)
			if err == nil {
				continue
			}
			b.log.Warn("edit final answer; sending it instead", "chat", chat, "error", err)
		}
		if _, err := b.send(ctx, chat, part, 0, k); err != nil {
			b.log.Warn("send answer part", "chat", chat, "part", i+1, "error", err)
			return i
		}
	}
	return len(parts)
}

// answerKeyboard has one button per cited source and a 👍/👎 row.
func answerKeyboard(res *rag.Result, answerID string) *keyboard {
	kb := &keyboard{}
	seen := map[string]bool{}
	var row []button
	for _, c := range res.Citations {
		if !isChunkID(c.ChunkID) || seen[c.ChunkID] {
			continue
		}
		seen[c.ChunkID] = true
		row = append(row, button{Text: fmt.Sprintf("📄 [%d] %s", c.N, shorten(title(c.Title), 14)), CallbackData: cbSource + c.ChunkID})
		if len(row) == 2 {
			kb.InlineKeyboard = append(kb.InlineKeyboard, row)
			row = nil
		}
	}
	if len(row) > 0 {
		kb.InlineKeyboard = append(kb.InlineKeyboard, row)
	}
	kb.InlineKeyboard = append(kb.InlineKeyboard, []button{
		{Text: "👍 有帮助", CallbackData: cbFeedback + "u:" + answerID},
		{Text: "👎 没帮助", CallbackData: cbFeedback + "d:" + answerID},
	})
	return kb
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func feedbackSources(res *rag.Result) []FeedbackSource {
	var out []FeedbackSource
	for _, c := range res.Citations {
		out = append(out, FeedbackSource{N: c.N, ChunkID: c.ChunkID, Title: c.Title, Section: c.Section})
	}
	return out
}

func newAnswerID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// answerRecord is what a feedback vote refers to.
type answerRecord struct {
	Question string
	Answer   string
	Sources  []FeedbackSource
}

// answerCache keeps the most recent answers for feedback votes.
type answerCache struct {
	max   int
	mu    sync.Mutex
	m     map[string]answerRecord
	order []string
}

func newAnswerCache(max int) *answerCache {
	return &answerCache{max: max, m: make(map[string]answerRecord)}
}

func (c *answerCache) put(id string, r answerRecord) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[id] = r
	c.order = append(c.order, id)
	for len(c.order) > c.max {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
}

func (c *answerCache) get(id string) (answerRecord, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.m[id]
	return r, ok
}

// streamer edits the placeholder with the streamed text, at most once per
// interval, from its own goroutine so a slow or rate-limited Telegram never
// holds up the model. A 429 pushes the next edit back by retry_after.
type streamer struct {
	b        *Bot
	chat     int64
	msg      int
	interval time.Duration

	mu        sync.Mutex
	latest    string
	dirty     bool
	notBefore time.Time

	kick     chan struct{}
	done     chan struct{}
	finished chan struct{}
}

func newStreamer(b *Bot, chat int64, msg int, interval time.Duration) *streamer {
	return &streamer{b: b, chat: chat, msg: msg, interval: interval,
		kick: make(chan struct{}, 1), done: make(chan struct{}), finished: make(chan struct{})}
}

// partial is the engine's onPartial callback; it never blocks.
func (s *streamer) partial(text string) {
	s.mu.Lock()
	s.latest, s.dirty = text, true
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

func (s *streamer) run(ctx context.Context) {
	defer close(s.finished)
	for {
		select {
		case <-s.done:
			return
		case <-s.kick:
		}
		s.mu.Lock()
		text, dirty := s.latest, s.dirty
		s.dirty = false
		s.mu.Unlock()
		if !dirty {
			continue
		}
		wait := s.interval
		err := s.b.edit(ctx, s.chat, s.msg, renderPartial(text), nil, false)
		if d, flood := floodWait(err); flood {
			wait = max(min(d, maxFloodWait), s.interval)
			s.mu.Lock()
			s.notBefore = time.Now().Add(min(d, maxFloodWait))
			s.mu.Unlock()
			s.partial(text) // try this text again after the wait
		} else if err != nil {
			s.b.log.Debug("stream edit", "chat", s.chat, "error", err)
		}
		t := time.NewTimer(wait)
		select {
		case <-s.done:
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// stop ends streaming and returns the time before which Telegram's flood
// control (a 429 seen while streaming) forbids the final edit; zero if none.
func (s *streamer) stop() time.Time {
	close(s.done)
	<-s.finished
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notBefore
}
