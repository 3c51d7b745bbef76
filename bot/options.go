package bot

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// DefaultAPIURL is Telegram's own Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// Options configures a Bot. Zero values take the defaults noted on each
// field, except where zero is documented to switch a feature off (the same
// meaning as in package config).
// The caller (cmd) maps the configuration file and environment onto it; the
// bot package itself reads neither.
type Options struct {
	// Token is the bot token from BotFather. It is never logged: every error
	// and log line has it replaced by "***".
	Token string
	// APIURL is the Bot API server, e.g. a self-hosted telegram-bot-api.
	// Default DefaultAPIURL.
	APIURL string

	// AllowedUsers and AllowedChats are numeric Telegram ids. A message is
	// allowed when its sender OR its chat is listed; Admins are always allowed.
	AllowedUsers []int64
	AllowedChats []int64
	Admins       []int64
	// Public lets everyone use the bot. Without it, New refuses an empty allowlist.
	Public bool

	// WebhookListen is the local address of the webhook HTTP server
	// (e.g. "127.0.0.1:8443"). Empty means long polling.
	WebhookListen string
	// WebhookURL is the public HTTPS URL Telegram posts updates to (the TLS
	// reverse proxy in front of WebhookListen).
	WebhookURL string
	// WebhookSecret is sent to Telegram with setWebhook and required in the
	// X-Telegram-Bot-Api-Secret-Token header of every webhook request.
	WebhookSecret string
	// PollTimeout is the getUpdates long-polling timeout. Default 25 s.
	PollTimeout time.Duration

	// StreamIntervalPrivate and StreamIntervalGroup are the minimum times
	// between edits of a streaming answer. Default 1 s and 3 s.
	StreamIntervalPrivate time.Duration
	StreamIntervalGroup   time.Duration

	// RateLimitPerMinute is how many questions one user may ask a minute
	// (config's default is 10). 0 means no limit.
	RateLimitPerMinute int
	// MaxConcurrent caps the answers computed at once; more wait in a queue. Default 4.
	MaxConcurrent int
	// AnswerTimeout bounds one answer, queueing included. Default 90 s.
	AnswerTimeout time.Duration

	// MemoryTurns is how many earlier messages (rag.Turns: questions and
	// answers) of a conversation go with a question as history (config's
	// default is 6). 0 means no memory.
	MemoryTurns int
	// MemoryTTL forgets a conversation this long after its last message. Default 30 min.
	MemoryTTL time.Duration

	// FeedbackPath is the JSONL file 👍/👎 feedback is appended to. Empty
	// keeps feedback counts in memory only.
	FeedbackPath string
	// FeedbackRetention is how long feedback records are kept; older lines
	// are pruned at start and daily. 0 keeps them forever.
	FeedbackRetention time.Duration

	// MaxUploadMB is the largest document an admin may upload, checked
	// before downloading. Default 20: the cloud Bot API's getFile serves
	// at most 20 MB; a self-hosted server started with --local serves more.
	MaxUploadMB int
	// Gate is held while an answer is computed and delivered. Give the
	// same gate to the engine's ingest (index.Yielding with Gate.Yield) so
	// uploads, removals and /reload let answers go first. Default: a new one.
	Gate *Gate

	// Logger receives one line per question and operational warnings.
	// Default: discard.
	Logger *slog.Logger
}

// withDefaults returns o with zero fields set to their defaults.
func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.APIURL == "" {
		o.APIURL = DefaultAPIURL
	}
	o.APIURL = strings.TrimRight(o.APIURL, "/")
	def(&o.PollTimeout, 25*time.Second)
	def(&o.StreamIntervalPrivate, time.Second)
	def(&o.StreamIntervalGroup, 3*time.Second)
	def(&o.AnswerTimeout, 90*time.Second)
	def(&o.MemoryTTL, 30*time.Minute)
	if o.Gate == nil {
		o.Gate = NewGate()
	}
	if o.MaxUploadMB <= 0 {
		o.MaxUploadMB = 20
	}
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = 4
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// ErrNoAllowlist is returned by New when no user, chat or admin is allowed
// and Options.Public is not set.
var ErrNoAllowlist = errors.New("no allowed users, chats or admins: refusing to start an open bot (list ids, or run it public on purpose)")

// validate reports every problem with o at once.
func (o Options) validate() error {
	var errs []error
	if o.Token == "" {
		errs = append(errs, errors.New("bot token is empty"))
	} else if strings.ContainsAny(o.Token, "/ \t\n?#") {
		errs = append(errs, errors.New("bot token has characters a token cannot have"))
	}
	if !o.Public && len(o.AllowedUsers)+len(o.AllowedChats)+len(o.Admins) == 0 {
		errs = append(errs, ErrNoAllowlist)
	}
	for _, id := range append(append(append([]int64{}, o.AllowedUsers...), o.AllowedChats...), o.Admins...) {
		if id == 0 {
			errs = append(errs, errors.New("allowlist holds id 0, which is no Telegram user or chat"))
			break
		}
	}
	if o.WebhookListen != "" || o.WebhookURL != "" {
		if o.WebhookListen == "" || o.WebhookURL == "" {
			errs = append(errs, errors.New("webhook needs both a listen address and a public URL"))
		}
		if o.WebhookURL != "" && !strings.HasPrefix(o.WebhookURL, "https://") {
			errs = append(errs, fmt.Errorf("webhook URL %q: Telegram only posts to https URLs", o.WebhookURL))
		}
		if n := len(o.WebhookSecret); n == 0 || n > 256 || strings.Trim(o.WebhookSecret, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "" {
			errs = append(errs, errors.New("webhook secret token must be 1-256 characters of A-Z, a-z, 0-9, _ and -"))
		}
	}
	return errors.Join(errs...)
}
