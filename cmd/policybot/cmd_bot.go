package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sync"
	"time"

	"policybot/bot"
	"policybot/index"
	"policybot/rag"
)

func runBot(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bot", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs)
	public := fs.Bool("public", false, "let everyone use the bot (without it, an empty allowlist is refused)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bot: unexpected arguments %q", fs.Args())
	}
	// Check what the bot needs before the (slower) index load, so a
	// misconfigured service fails at once.
	pre, err := load(e, &c)
	if err != nil {
		return err
	}
	if _, err := botOptions(pre, *public); err != nil {
		return err
	}
	a, eng, err := loadEngine(ctx, e, &c)
	if err != nil {
		return err
	}
	opts, err := botOptions(a, *public)
	if err != nil {
		return err
	}
	// Builds yield to answers: the bot holds the gate while answering.
	opts.Gate = bot.NewGate()
	b, err := bot.New(opts, &reloadingEngine{Engine: eng, app: a, yield: opts.Gate.Yield})
	if err != nil {
		return err
	}
	chunks := 0
	if ix, ok := eng.Index().(*index.Index); ok {
		chunks = len(ix.Chunks)
	}
	a.log.Info("bot starting", "username", b.Username(), "documents", len(eng.Documents()),
		"chunks", chunks, "webhook", opts.WebhookListen != "", "public", opts.Public)
	return b.Run(ctx)
}

// botOptions maps the configuration onto the bot's options. The token
// comes only from the environment (config.ApplyEnv reads it).
func botOptions(a *app, public bool) (bot.Options, error) {
	t := a.cfg.Telegram
	if !t.Token.IsSet() {
		return bot.Options{}, errors.New("未设置 TELEGRAM_BOT_TOKEN 环境变量，请填入 BotFather 给出的令牌 (TELEGRAM_BOT_TOKEN is not set: put the token from BotFather in it)")
	}
	public = public || t.Public
	if !public && len(t.AllowedUsers)+len(t.AllowedChats)+len(t.Admins) == 0 {
		return bot.Options{}, fmt.Errorf("未配置允许使用的用户或群 (set POLICYBOT_ALLOWED_USERS, POLICYBOT_ALLOWED_CHATS or POLICYBOT_ADMINS, or pass --public): %w", bot.ErrNoAllowlist)
	}
	return bot.Options{
		Token:                 t.Token.Reveal(),
		APIURL:                t.APIURL,
		AllowedUsers:          t.AllowedUsers,
		AllowedChats:          t.AllowedChats,
		Admins:                t.Admins,
		Public:                public,
		WebhookListen:         t.Webhook.Listen,
		WebhookURL:            t.Webhook.PublicURL,
		WebhookSecret:         t.Webhook.SecretToken.Reveal(),
		StreamIntervalPrivate: t.StreamIntervalPrivate,
		StreamIntervalGroup:   t.StreamIntervalGroup,
		RateLimitPerMinute:    t.RateLimitPerMinute,
		MaxConcurrent:         t.MaxConcurrent,
		AnswerTimeout:         t.AnswerTimeout,
		MemoryTurns:           t.MemoryTurns,
		MemoryTTL:             t.MemoryTTL,
		FeedbackPath:          t.FeedbackFile,
		FeedbackRetention:     t.FeedbackRetention,
		MaxUploadMB:           t.MaxUploadMB,
		Logger:                a.log,
	}, nil
}

// reloadingEngine is the engine the bot answers with, plus /reload and the
// admins' uploads and removals: each re-runs the incremental ingest of the
// configured corpus and swaps the new index in. Answers keep using the old
// index until the swap, which is atomic.
type reloadingEngine struct {
	*rag.Engine
	app   *app
	mu    sync.Mutex // one build at a time
	yield func()     // called between small steps of a build (index.Yielding)
}

var (
	_ bot.Reloader = (*reloadingEngine)(nil)
	_ bot.Library  = (*reloadingEngine)(nil)
)

// build runs the incremental ingest and swaps the new index in when there
// is one. skipped holds the files the build skipped, with the reason.
func (r *reloadingEngine) build(ctx context.Context) (st *index.Stats, skipped map[string]error, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	a := r.app
	start := time.Now()
	skipped = map[string]error{}
	st, err = index.Build(ctx, index.Yielding(index.BuildOptions{
		Corpus: a.cfg.Corpus, Dir: a.cfg.Index, Chunk: a.chunkOptions(), Embedder: a.emb, Tokenizer: a.tok,
		Warn: func(src string, err error) {
			a.log.Warn("skipped file", "file", src, "err", err)
			skipped[src] = err
		},
	}, r.yield))
	if err != nil {
		return nil, skipped, err
	}
	a.log.Info("index ready", "files", st.Files, "added", st.Added, "changed", st.Changed, "removed", st.Removed,
		"skipped", st.Skipped, "documents", st.Documents, "chunks", st.Chunks, "up_to_date", st.UpToDate,
		"elapsed", time.Since(start).Round(time.Millisecond))
	if st.UpToDate && st.Generation == r.Index().Generation() {
		return st, skipped, nil
	}
	ix, err := index.Open(a.cfg.Index)
	if err != nil {
		return nil, skipped, err
	}
	if err := r.Swap(ix); err != nil {
		return nil, skipped, err
	}
	return st, skipped, nil
}

// Reload implements bot.Reloader. Its summary is Chinese, for the admin.
func (r *reloadingEngine) Reload(ctx context.Context) (string, error) {
	st, _, err := r.build(ctx)
	if err != nil {
		return "", fmt.Errorf("reload: %w", err)
	}
	if st.UpToDate {
		return fmt.Sprintf("文件没有变化，共 %d 份文件、%d 段。", st.Documents, st.Chunks), nil
	}
	return fmt.Sprintf("新增 %d 个、更新 %d 个、删除 %d 个文件；现共 %d 份文件、%d 段。",
		st.Added, st.Changed, st.Removed, st.Documents, st.Chunks), nil
}

// Corpus implements bot.Library.
func (r *reloadingEngine) Corpus() string { return r.app.cfg.Corpus }

// Ingest implements bot.Library.
func (r *reloadingEngine) Ingest(ctx context.Context) (map[string]error, error) {
	_, skipped, err := r.build(ctx)
	if err != nil {
		return skipped, fmt.Errorf("ingest: %w", err)
	}
	return skipped, nil
}

// Hashes implements bot.Library.
func (r *reloadingEngine) Hashes() map[string]string {
	m := map[string]string{}
	man, err := index.ReadManifest(r.Index().Dir())
	if err != nil {
		return m // no index yet: nothing to match
	}
	for src, f := range man.Files {
		m[f.SHA256] = src
	}
	return m
}
