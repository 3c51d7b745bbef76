// Package bot is policybot's Telegram front end: officials ask questions in a
// private chat or a group and get a streamed answer with tappable sources.
//
// It talks to the Bot API through telebot's client (gopkg.in/telebot.v3) but
// routes updates itself, so that the allowlist covers every kind of update
// (messages, commands, callbacks, documents) and updates without a sender
// never crash it. It uses only documented Bot API methods and parameters.
package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	tb "gopkg.in/telebot.v3"

	"policybot/ingest"
	"policybot/rag"
)

// Answerer is the question answering engine the bot consumes.
type Answerer interface {
	// Answer answers q. In LLM mode it calls onPartial with the accumulated
	// answer text as tokens stream (maybe never, in extractive mode).
	Answer(ctx context.Context, q rag.Query, onPartial func(text string)) (*rag.Result, error)
	// Passage returns the stored passage with the given chunk id (16 hex chars), if any.
	Passage(chunkID string) (rag.Passage, bool)
	// Documents lists the indexed documents.
	Documents() []ingest.Document
}

// Reloader is implemented by engines that can re-ingest changed files
// without a restart; admins trigger it with /reload.
type Reloader interface {
	// Reload re-ingests and swaps the index atomically; it returns a short summary.
	Reload(ctx context.Context) (string, error)
}

// Bot is a running Telegram bot. Create it with New, start it with Run.
type Bot struct {
	opts  Options
	log   *slog.Logger
	api   *tb.Bot
	me    tb.User
	ans   Answerer
	token string

	users, chats, admins map[int64]bool

	// pollCtx ends when Run is asked to stop; it cancels the pending
	// getUpdates request but no other request, so answers in flight finish.
	pollCtx    context.Context
	stopPoll   context.CancelFunc
	inflight   sync.WaitGroup
	sem        chan struct{}
	mem        *memory
	limiter    *rateLimiter
	denied     *onceEvery
	feedback   *feedbackStore
	stats      stats
	answers    *answerCache
	voted      *onceEvery
	now        func() time.Time
	runOnce    sync.Once
	webhookSrv *http.Server

	client *http.Client // for file downloads
	// libMu serializes changes of the corpus (uploads, removals).
	libMu sync.Mutex
	cited *citedSources // where cited passages came from
}

// New checks opts, connects to the Bot API (getMe) and returns a bot that
// answers with a. It refuses to build a bot nobody is allowed to use unless
// opts.Public is set.
func New(opts Options, a Answerer) (*Bot, error) {
	if a == nil {
		return nil, errors.New("bot: no answering engine")
	}
	if err := opts.validate(); err != nil {
		return nil, fmt.Errorf("bot options: %w", err)
	}
	opts = opts.withDefaults()
	b := &Bot{
		opts:    opts,
		log:     opts.Logger,
		ans:     a,
		token:   opts.Token,
		users:   set(opts.AllowedUsers),
		chats:   set(opts.AllowedChats),
		admins:  set(opts.Admins),
		sem:     make(chan struct{}, opts.MaxConcurrent),
		mem:     newMemory(opts.MemoryTurns, opts.MemoryTTL),
		limiter: newRateLimiter(opts.RateLimitPerMinute, time.Minute),
		denied:  newOnceEvery(time.Hour),
		voted:   newOnceEvery(24 * time.Hour),
		answers: newAnswerCache(1000),
		cited:   newCitedSources(50000),
		now:     time.Now,
	}
	b.pollCtx, b.stopPoll = context.WithCancel(context.Background())
	fb, err := openFeedback(opts.FeedbackPath, opts.FeedbackRetention, b.now())
	if err != nil {
		return nil, err
	}
	b.feedback = fb

	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = 2*opts.MaxConcurrent + 8
	client := &http.Client{
		Transport: &pollTransport{base: base, stop: b.pollCtx},
		Timeout:   opts.PollTimeout + 20*time.Second,
	}
	// Downloads share the transport but not the timeout: a big file on a
	// slow link may take longer; the upload's context bounds it.
	b.client = &http.Client{Transport: client.Transport}
	// Offline: telebot's own getMe posts the JSON body "null", which is not
	// the documented object of parameters (telegram-test-api rejects it);
	// the bot calls getMe itself below.
	api, err := tb.NewBot(tb.Settings{
		URL:     opts.APIURL,
		Token:   opts.Token,
		Client:  client,
		Offline: true,
		OnError: func(err error, _ tb.Context) { b.log.Warn("telegram client", "error", b.scrub(err)) },
	})
	if err != nil {
		return nil, fmt.Errorf("telegram client: %w", b.scrubErr(err))
	}
	b.api = api
	me, err := b.getMe(context.Background())
	if err != nil {
		return nil, fmt.Errorf("connect to Bot API at %s: %w", opts.APIURL, err)
	}
	b.me = me
	*api.Me = me
	return b, nil
}

// getMe asks the Bot API who the bot is.
func (b *Bot) getMe(ctx context.Context) (tb.User, error) {
	data, err := b.raw(ctx, "getMe", struct{}{}, true)
	if err != nil {
		return tb.User{}, err
	}
	var resp struct {
		Result *tb.User `json:"result"`
	}
	if err := json.Unmarshal(data, &resp); err != nil {
		return tb.User{}, fmt.Errorf("getMe: decode result: %w", err)
	}
	if resp.Result == nil || resp.Result.ID == 0 {
		return tb.User{}, errors.New("getMe: result holds no bot user")
	}
	return *resp.Result, nil
}

func set(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// Username is the bot's @username as Telegram reported it.
func (b *Bot) Username() string { return b.me.Username }

// Run registers the commands, then takes updates (long polling, or the
// webhook when configured) until ctx is cancelled. It then stops taking
// updates, waits for the answers in flight to be delivered, and returns.
func (b *Bot) Run(ctx context.Context) error {
	started := false
	b.runOnce.Do(func() { started = true })
	if !started {
		return errors.New("bot: Run called twice")
	}
	// A server without setMyCommands (telegram-test-api has none) costs
	// the command menu, not the bot.
	if err := b.setCommands(ctx); err != nil {
		b.log.Warn("register commands; the bot runs without a command menu", "error", err)
	}
	pruneTick := time.NewTicker(24 * time.Hour)
	defer pruneTick.Stop()
	go func() {
		for {
			select {
			case <-b.pollCtx.Done():
				return
			case t := <-pruneTick.C:
				if err := b.feedback.prune(t); err != nil {
					b.log.Warn("prune feedback", "error", err)
				}
			}
		}
	}()

	var err error
	if b.opts.WebhookListen != "" {
		err = b.serveWebhook(ctx)
	} else {
		b.poll(ctx)
	}
	b.stopPoll()
	b.inflight.Wait()
	b.log.Info("bot stopped")
	return err
}

// poll long-polls getUpdates until ctx ends.
func (b *Bot) poll(ctx context.Context) {
	stop := context.AfterFunc(ctx, b.stopPoll)
	defer stop()
	// A webhook left over from an earlier run makes getUpdates fail (409).
	if _, err := b.api.Raw("deleteWebhook", map[string]bool{"drop_pending_updates": false}); err != nil && ctx.Err() == nil {
		b.log.Warn("delete webhook", "error", b.scrub(err))
	}
	b.log.Info("bot polling", "username", b.me.Username, "api", b.opts.APIURL)
	offset, backoff := 0, time.Second
	for b.pollCtx.Err() == nil {
		asked := time.Now()
		data, err := b.api.Raw("getUpdates", map[string]any{
			"offset":          offset,
			"timeout":         int(b.opts.PollTimeout / time.Second),
			"allowed_updates": []string{"message", "edited_message", "channel_post", "callback_query"},
		})
		if err != nil {
			if b.pollCtx.Err() != nil {
				return
			}
			wait := backoff
			if fe := (tb.FloodError{}); errors.As(err, &fe) {
				wait = time.Duration(fe.RetryAfter) * time.Second
			}
			b.log.Warn("getUpdates failed", "error", b.scrub(err), "retry_in", wait)
			sleep(b.pollCtx, wait)
			backoff = min(2*backoff, 30*time.Second)
			continue
		}
		backoff = time.Second
		var resp struct {
			Result []tb.Update `json:"result"`
		}
		if err := json.Unmarshal(data, &resp); err != nil {
			b.log.Warn("decode updates", "error", err)
			sleep(b.pollCtx, time.Second)
			continue
		}
		for _, u := range resp.Result {
			offset = u.ID + 1
			b.dispatch(u)
		}
		// A server that answers an empty long poll at once (ignoring
		// timeout, as telegram-test-api does) must not make this a busy loop.
		if len(resp.Result) == 0 {
			sleep(b.pollCtx, minEmptyPoll-time.Since(asked))
		}
	}
}

// minEmptyPoll is the shortest time between two getUpdates requests when
// the first returned no updates. Telegram itself holds an empty long poll
// for the whole timeout, so this only slows down servers that do not.
const minEmptyPoll = 500 * time.Millisecond

// serveWebhook registers the webhook and serves it until ctx ends.
func (b *Bot) serveWebhook(ctx context.Context) error {
	ln, err := net.Listen("tcp", b.opts.WebhookListen)
	if err != nil {
		return fmt.Errorf("webhook listen %s: %w", b.opts.WebhookListen, err)
	}
	defer ln.Close()
	if _, err := b.api.Raw("setWebhook", map[string]any{
		"url":             b.opts.WebhookURL,
		"secret_token":    b.opts.WebhookSecret,
		"allowed_updates": []string{"message", "edited_message", "channel_post", "callback_query"},
	}); err != nil {
		return fmt.Errorf("setWebhook: %w", b.scrubErr(err))
	}
	srv := &http.Server{Handler: b.webhookHandler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	b.log.Info("bot webhook serving", "username", b.me.Username, "listen", ln.Addr().String())
	select {
	case err := <-errc:
		return fmt.Errorf("webhook server: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("webhook shutdown: %w", err)
	}
	return nil
}

// webhookHandler accepts updates Telegram posts, checking the secret token.
func (b *Bot) webhookHandler() http.Handler {
	secret := []byte(b.opts.WebhookSecret)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := []byte(r.Header.Get("X-Telegram-Bot-Api-Secret-Token"))
		if len(secret) == 0 || subtle.ConstantTimeCompare(got, secret) != 1 {
			b.log.Warn("webhook request with a wrong secret token", "remote", r.RemoteAddr)
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		var u tb.Update
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&u); err != nil {
			http.Error(w, "bad update", http.StatusBadRequest)
			return
		}
		b.dispatch(u)
		w.WriteHeader(http.StatusOK)
	})
}

// dispatch handles u in its own goroutine, counted as in flight.
func (b *Bot) dispatch(u tb.Update) {
	b.inflight.Add(1)
	go func() {
		defer b.inflight.Done()
		defer func() {
			if r := recover(); r != nil {
				b.log.Error("update handler panicked", "update", u.ID, "panic", fmt.Sprint(r))
			}
		}()
		b.handleUpdate(u)
	}()
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// scrub returns err's text with the bot token replaced by "***"; telebot's
// errors include request URLs, which hold the token.
func (b *Bot) scrub(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if b.token != "" {
		s = strings.ReplaceAll(s, b.token, "***")
		s = strings.ReplaceAll(s, url.PathEscape(b.token), "***")
	}
	return s
}

// scrubErr returns err itself when its text holds no token, else a new
// error with the token replaced (the original cannot be wrapped, since
// printing it would leak the token).
func (b *Bot) scrubErr(err error) error {
	if err == nil || b.scrub(err) == err.Error() {
		return err
	}
	return errors.New(b.scrub(err))
}

// pollTransport cancels getUpdates requests when stop ends, so Run returns
// at once instead of after the long-polling timeout. Other requests (the
// answers in flight) are left alone.
type pollTransport struct {
	base http.RoundTripper
	stop context.Context
}

func (t *pollTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if !strings.HasSuffix(r.URL.Path, "/getUpdates") {
		return t.base.RoundTrip(r)
	}
	ctx, cancel := context.WithCancel(r.Context())
	unhook := context.AfterFunc(t.stop, cancel)
	resp, err := t.base.RoundTrip(r.WithContext(ctx))
	if err != nil {
		unhook()
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, done: func() { unhook(); cancel() }}
	return resp, nil
}

type cancelBody struct {
	io.ReadCloser
	done func()
}

func (c *cancelBody) Close() error {
	err := c.ReadCloser.Close()
	c.done()
	return err
}
