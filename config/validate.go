package config

import (
	"errors"
	"fmt"
	"math"
	"net"
	"net/url"
	"strings"
	"time"
)

// Validate checks every setting and returns all problems at once, joined
// with errors.Join; each names its field by YAML path ("llm.timeout") or the
// environment variable it came from. It reads no files: a prompt_file that
// does not exist is reported by whoever opens it. Validate does not require
// the secrets, which only some subcommands need.
func (c Config) Validate() error {
	v := &validator{errs: append([]error(nil), c.envErrs...)}

	v.nonEmpty("corpus", c.Corpus)
	v.nonEmpty("index", c.Index)

	v.positive("ingest.max_file_mb", c.Ingest.MaxFileMB)
	v.positive("ingest.max_extracted_mb", c.Ingest.MaxExtractedMB)
	v.notNegative("ingest.memory_limit_mb", c.Ingest.MemoryLimitMB)

	v.positive("chunk.target_chars", c.Chunk.TargetChars)
	v.positive("chunk.max_chars", c.Chunk.MaxChars)
	if c.Chunk.TargetChars > 0 && c.Chunk.MaxChars > 0 && c.Chunk.TargetChars > c.Chunk.MaxChars {
		v.addf("chunk.target_chars", "%d is larger than chunk.max_chars (%d)", c.Chunk.TargetChars, c.Chunk.MaxChars)
	}

	v.httpURL("embed.base_url", c.Embed.BaseURL)
	if c.Embed.BaseURL != "" {
		v.nonEmpty("embed.model", c.Embed.Model)
	}
	v.envName("embed.api_key_env", c.Embed.APIKeyEnv)
	v.positive("embed.batch_size", c.Embed.BatchSize)
	v.positive("embed.concurrency", c.Embed.Concurrency)
	v.notNegative("embed.max_retries", c.Embed.MaxRetries)
	v.positiveDuration("embed.timeout", c.Embed.Timeout)
	v.notNegative("embed.dimensions", c.Embed.Dimensions)

	v.httpURL("llm.base_url", c.LLM.BaseURL)
	if c.LLM.BaseURL != "" {
		v.nonEmpty("llm.model", c.LLM.Model)
	}
	v.envName("llm.api_key_env", c.LLM.APIKeyEnv)
	v.positiveDuration("llm.timeout", c.LLM.Timeout)
	if math.IsNaN(c.LLM.Temperature) || c.LLM.Temperature < 0 || c.LLM.Temperature > 2 {
		v.addf("llm.temperature", "must be between 0 and 2, got %v", c.LLM.Temperature)
	}
	v.positive("llm.max_tokens", c.LLM.MaxTokens)

	v.httpURL("rerank.base_url", c.Rerank.BaseURL)
	v.envName("rerank.api_key_env", c.Rerank.APIKeyEnv)
	v.positiveDuration("rerank.timeout", c.Rerank.Timeout)
	v.positive("rerank.top_n", c.Rerank.TopN)

	v.positive("retrieval.k", c.Retrieval.K)
	v.positive("retrieval.candidates", c.Retrieval.Candidates)
	if c.Retrieval.K > 0 && c.Retrieval.Candidates > 0 && c.Retrieval.Candidates < c.Retrieval.K {
		v.addf("retrieval.candidates", "%d is smaller than retrieval.k (%d)", c.Retrieval.Candidates, c.Retrieval.K)
	}
	switch c.Retrieval.Mode {
	case ModeHybrid, ModeLexical, ModeVector:
	default:
		v.addf("retrieval.mode", "%q is not one of %s, %s, %s", c.Retrieval.Mode, ModeHybrid, ModeLexical, ModeVector)
	}
	v.notNegativeFloat("retrieval.vector_weight", c.Retrieval.VectorWeight)

	v.positive("answer.max_chars", c.Answer.MaxChars)
	if !(c.Answer.MinCoverage >= 0 && c.Answer.MinCoverage <= 1) {
		v.addf("answer.min_coverage", "%v is not between 0 and 1", c.Answer.MinCoverage)
	}
	switch c.Answer.Script {
	case ScriptSimplified, ScriptOriginal:
	default:
		v.addf("answer.script", "%q is not one of %s, %s", c.Answer.Script, ScriptSimplified, ScriptOriginal)
	}
	switch c.Retrieval.Fusion {
	case FusionScore, FusionRRF:
	default:
		v.addf("retrieval.fusion", "%q is not one of %s, %s", c.Retrieval.Fusion, FusionScore, FusionRRF)
	}

	t := c.Telegram
	v.httpURL("telegram.api_url", t.APIURL)
	v.ids("telegram.allowed_users", t.AllowedUsers)
	v.ids("telegram.allowed_chats", t.AllowedChats)
	v.ids("telegram.admins", t.Admins)
	if t.Webhook.Listen != "" {
		if _, _, err := net.SplitHostPort(t.Webhook.Listen); err != nil {
			v.addf("telegram.webhook.listen", "%q is not host:port (such as :8443)", t.Webhook.Listen)
		}
		if t.Webhook.PublicURL == "" {
			v.addf("telegram.webhook.public_url", "must be set when telegram.webhook.listen is set")
		}
	}
	if t.Webhook.PublicURL != "" {
		if u, err := url.Parse(t.Webhook.PublicURL); err != nil || u.Scheme != "https" || u.Host == "" {
			v.addf("telegram.webhook.public_url", "%q is not an https URL (Telegram sends webhooks only over https)", t.Webhook.PublicURL)
		}
		if t.Webhook.Listen == "" {
			v.addf("telegram.webhook.listen", "must be set when telegram.webhook.public_url is set")
		}
	}
	v.envName("telegram.webhook.secret_token_env", t.Webhook.SecretTokenEnv)
	v.positiveDuration("telegram.stream_interval_private", t.StreamIntervalPrivate)
	v.positiveDuration("telegram.stream_interval_group", t.StreamIntervalGroup)
	v.notNegative("telegram.rate_limit_per_minute", t.RateLimitPerMinute)
	v.positive("telegram.max_concurrent", t.MaxConcurrent)
	v.positive("telegram.max_upload_mb", t.MaxUploadMB)
	v.positiveDuration("telegram.answer_timeout", t.AnswerTimeout)
	v.notNegative("telegram.memory_turns", t.MemoryTurns)
	if t.MemoryTurns > 0 {
		v.positiveDuration("telegram.memory_ttl", t.MemoryTTL)
	}
	if t.FeedbackRetention < 0 {
		v.addf("telegram.feedback_retention", "must not be negative, got %v", t.FeedbackRetention)
	}

	switch strings.ToLower(c.Log.Level) {
	case "debug", "info", "warn", "warning", "error":
	default:
		v.addf("log.level", "%q is not one of debug, info, warn, error", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		v.addf("log.format", "%q is not one of text, json", c.Log.Format)
	}
	return errors.Join(v.errs...)
}

// validator collects problems; each starts with the field path.
type validator struct{ errs []error }

func (v *validator) addf(field, format string, args ...any) {
	v.errs = append(v.errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...)))
}

func (v *validator) nonEmpty(field, s string) {
	if strings.TrimSpace(s) == "" {
		v.addf(field, "must not be empty")
	}
}

func (v *validator) positive(field string, n int) {
	if n <= 0 {
		v.addf(field, "must be at least 1, got %d", n)
	}
}

func (v *validator) notNegative(field string, n int) {
	if n < 0 {
		v.addf(field, "must not be negative, got %d", n)
	}
}

func (v *validator) notNegativeFloat(field string, f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		v.addf(field, "must be a non-negative number, got %v", f)
	}
}

func (v *validator) positiveDuration(field string, d time.Duration) {
	if d <= 0 {
		v.addf(field, "must be a positive duration such as 60s, got %v", d)
	}
}

// httpURL accepts "" (the setting is off) or an absolute http(s) URL.
func (v *validator) httpURL(field, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		v.addf(field, "%q is not an http:// or https:// URL", s)
	}
}

// envName accepts "" (no variable) or a valid variable name. It never
// repeats a bad value: it may be the secret itself pasted by mistake.
func (v *validator) envName(field, s string) {
	if s != "" && !validEnvName(s) {
		v.addf(field, "must be the name of an environment variable (letters, digits, _), not the secret itself")
	}
}

func (v *validator) ids(field string, ids []int64) {
	for _, id := range ids {
		if id == 0 {
			v.addf(field, "0 is not a Telegram id")
		}
	}
}
