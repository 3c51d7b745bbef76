package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"policybot/config"
	"policybot/embed"
	"policybot/index"
	"policybot/ingest"
	"policybot/terms"
)

// Options is what Run checks.
type Options struct {
	// Config is the configuration after the file, the environment and the
	// flags were applied (secrets resolved).
	Config config.Config
	// ConfigPath is the file it came from; "" means the built-in defaults.
	ConfigPath string
	// ConfigErr is the error of loading or validating the configuration;
	// when set, nothing else is checked.
	ConfigErr error
	// CorpusGiven is true when the corpus folder was named (flag,
	// environment or file); otherwise the folder the index was built from
	// is checked, as ask does.
	CorpusGiven bool
	// Bot adds the checks of the Telegram bot even without a token.
	Bot bool
	// HTTPClient makes the requests to the model servers and the Bot API;
	// nil means a client with a 30 s timeout.
	HTTPClient *http.Client
}

// Run makes every check and returns the report. It never fails itself: a
// problem is a failed check.
func Run(ctx context.Context, o Options) *Report {
	r := &Report{}
	c := o.Config
	r.redact(c.LLM.APIKey.Reveal(), c.Embed.APIKey.Reveal(), c.Rerank.APIKey.Reveal(),
		c.Telegram.Token.Reveal(), c.Telegram.Webhook.SecretToken.Reveal())
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	src := "built-in defaults (no config file)"
	if o.ConfigPath != "" {
		src = o.ConfigPath
	}
	if o.ConfigErr != nil {
		r.fail(NeedAsk, "config", fmt.Sprintf("%s: %v", src, o.ConfigErr),
			"correct the settings named above (config.example.yaml documents every key and its default)")
		if o.Bot {
			r.fail(NeedBot, "telegram", "not checked: the configuration is invalid", "fix the configuration first")
		}
		return r
	}
	if o.ConfigPath == "" {
		r.pass("config", "no config file: the built-in defaults apply (set POLICYBOT_CONFIG or --config for one)")
	} else {
		r.pass("config", "%s parses and validates", src)
	}

	ix, ixErr := index.Open(c.Index)
	corpus := c.Corpus
	if !o.CorpusGiven && ixErr == nil && ix.Manifest.Corpus != "" {
		corpus = ix.Manifest.Corpus
	}
	corpusOK := checkCorpus(r, corpus, int64(c.Ingest.MaxFileMB)<<20)
	emb := checkIndex(r, c, ix, ixErr, corpus, corpusOK)
	if c.Embed.BaseURL != "" {
		checkEmbedServer(ctx, r, o.HTTPClient, c, ix, emb)
	}
	if c.LLM.BaseURL != "" {
		checkChat(ctx, r, o.HTTPClient, c)
	}
	if c.Rerank.BaseURL != "" {
		checkRerank(ctx, r, c)
	}
	if o.Bot || c.Telegram.Token.IsSet() {
		checkBot(ctx, r, o.HTTPClient, c.Telegram)
	}
	return r
}

// checkIndex checks that the index is there, fresh and built by the
// configured embedder. It returns the configured embedder's name ("" when
// it cannot be made).
func checkIndex(r *Report, c config.Config, ix *index.Index, err error, corpus string, corpusOK bool) string {
	rebuild := "policybot ingest --rebuild --index " + c.Index
	name, nameErr := embedderName(c)
	switch {
	case errors.Is(err, index.ErrNoIndex):
		r.fail(Advice, "index", fmt.Sprintf("no index in %s yet", c.Index),
			"run `policybot ingest` now (otherwise the first question builds it, which takes a while)")
		return name
	case err != nil:
		r.fail(NeedAsk, "index", err.Error(), rebuild)
		return name
	}
	r.pass("index", "%s: %d documents, %d chunks, built %s", c.Index, len(ix.Docs), len(ix.Chunks), ix.Manifest.BuiltAt)

	if corpusOK {
		changes, err := ix.Stale(corpus)
		chunk := ingest.ChunkOptions{Target: c.Chunk.TargetChars, Max: c.Chunk.MaxChars}
		switch {
		case err != nil:
			r.fail(Advice, "index freshness", err.Error(), "make the corpus folder readable, then run `policybot ingest`")
		case len(changes) > 0:
			r.fail(Advice, "index freshness", fmt.Sprintf("%d file change(s) since the build: %s", len(changes), firstN(changes, 5)),
				"run `policybot ingest` (ask, or /reload in the bot, also updates it)")
		case !ix.Current(chunk):
			r.fail(Advice, "index freshness", "cut with other chunk sizes or by an older version of policybot",
				"run `policybot ingest` (the first question also re-cuts it)")
		default:
			r.pass("index freshness", "up to date with %s", corpus)
		}
	}

	if nameErr != nil {
		r.fail(NeedAsk, "index embedder", nameErr.Error(), "correct retrieval.terms_file")
		return ""
	}
	built := fmt.Sprintf("%s (%d dimensions)", ix.Manifest.Embedder, ix.Manifest.Dim)
	switch {
	case ix.Manifest.Embedder != name:
		r.fail(NeedAsk, "index embedder", fmt.Sprintf("built with %s, the configuration uses %s", built, name),
			rebuild+" (or set embed back to what the index was built with)")
	case c.Embed.BaseURL == "" && ix.Manifest.Dim != embed.BuiltinDim:
		r.fail(NeedAsk, "index embedder", fmt.Sprintf("built with %s, the built-in embedder gives %d", built, embed.BuiltinDim), rebuild)
	default:
		r.pass("index embedder", "built with %s, as configured", built)
	}
	return name
}

// embedderName is the name the configured embedder records in an index.
func embedderName(c config.Config) (string, error) {
	if c.Embed.BaseURL != "" {
		oe, err := embed.NewOpenAI(embed.OpenAIConfig{BaseURL: c.Embed.BaseURL, Model: c.Embed.Model})
		if err != nil {
			return "", err
		}
		return oe.Name(), nil
	}
	t, err := terms.Load(c.Retrieval.TermsFile)
	if err != nil {
		return "", fmt.Errorf("retrieval.terms_file: %w", err)
	}
	return embed.NewBuiltin(t, nil).Name(), nil
}

// firstN joins the first n items and says how many more there are.
func firstN(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
