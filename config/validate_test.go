package config

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

func TestValidateReportsEveryProblemAtOnce(t *testing.T) {
	c := Default()
	c.LLM.BaseURL = "localhost:11434"
	c.Embed.BaseURL = "ftp://example.com/v1"
	c.Embed.BatchSize = -1
	c.Embed.MaxRetries = -2
	c.LLM.Timeout = -time.Second
	c.Retrieval.Mode = "semantic"
	c.Chunk.TargetChars = 800
	c.Telegram.RateLimitPerMinute = -5
	c.Log.Format = "xml"

	err := c.Validate()
	if err == nil {
		t.Fatal("Validate() = nil, want errors")
	}
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) {
		t.Fatalf("error %T is not a joined error", err)
	}
	wantFields := []string{"llm.base_url", "embed.base_url", "embed.batch_size", "embed.max_retries",
		"llm.timeout", "retrieval.mode", "chunk.target_chars", "telegram.rate_limit_per_minute", "log.format"}
	if got, want := len(joined.Unwrap()), len(wantFields); got != want {
		t.Errorf("got %d problems, want %d:\n%v", got, want, err)
	}
	for _, f := range wantFields {
		if !strings.Contains(err.Error(), f+": ") {
			t.Errorf("error does not name %s:\n%v", f, err)
		}
	}
}

func TestValidateSingleProblems(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Config)
		want   string // "" = valid
	}{
		{"a zero max_file_mb is rejected", func(c *Config) { c.Ingest.MaxFileMB = 0 }, "ingest.max_file_mb: must be at least 1"},
		{"a negative max_extracted_mb is rejected", func(c *Config) { c.Ingest.MaxExtractedMB = -1 }, "ingest.max_extracted_mb: must be at least 1"},
		{"a one-megabyte file limit is fine", func(c *Config) { c.Ingest.MaxFileMB = 1 }, ""},
		{"an empty corpus is rejected", func(c *Config) { c.Corpus = " " }, "corpus: must not be empty"},
		{"target_chars equal to max_chars is fine", func(c *Config) { c.Chunk.TargetChars = 700 }, ""},
		{"target_chars above max_chars is rejected", func(c *Config) { c.Chunk.TargetChars = 701 }, "chunk.target_chars: 701 is larger than chunk.max_chars (700)"},
		{"an embed server needs a model", func(c *Config) { c.Embed.BaseURL = "http://h/v1"; c.Embed.Model = "" }, "embed.model: must not be empty"},
		{"the built-in embedder needs no model", func(c *Config) { c.Embed.Model = "" }, ""},
		{"negative dimensions are rejected", func(c *Config) { c.Embed.Dimensions = -1 }, "embed.dimensions"},
		{"zero concurrency is rejected", func(c *Config) { c.Embed.Concurrency = 0 }, "embed.concurrency"},
		{"an https LLM URL is fine", func(c *Config) { c.LLM.BaseURL = "https://api.openai.com/v1" }, ""},
		{"an LLM server needs a model", func(c *Config) { c.LLM.BaseURL = "http://h/v1"; c.LLM.Model = "" }, "llm.model"},
		{"temperature above 2 is rejected", func(c *Config) { c.LLM.Temperature = 2.5 }, "llm.temperature"},
		{"NaN temperature is rejected", func(c *Config) { c.LLM.Temperature = math.NaN() }, "llm.temperature"},
		{"zero max_tokens is rejected", func(c *Config) { c.LLM.MaxTokens = 0 }, "llm.max_tokens"},
		{"a key pasted as the variable name is rejected without echoing it", func(c *Config) { c.LLM.APIKeyEnv = "sk-abc123" }, "llm.api_key_env: must be the name of an environment variable"},
		{"a rerank URL without scheme is rejected", func(c *Config) { c.Rerank.BaseURL = "localhost:8082" }, "rerank.base_url"},
		{"zero rerank top_n is rejected", func(c *Config) { c.Rerank.TopN = 0 }, "rerank.top_n"},
		{"zero k is rejected", func(c *Config) { c.Retrieval.K = 0 }, "retrieval.k"},
		{"fewer candidates than k is rejected", func(c *Config) { c.Retrieval.Candidates = 3 }, "retrieval.candidates: 3 is smaller than retrieval.k (5)"},
		{"each retrieval mode is accepted", func(c *Config) { c.Retrieval.Mode = ModeVector }, ""},
		{"a negative vector weight is rejected", func(c *Config) { c.Retrieval.VectorWeight = -1 }, "retrieval.vector_weight"},
		{"infinite min_coverage is rejected", func(c *Config) { c.Answer.MinCoverage = math.Inf(1) }, "answer.min_coverage"},
		{"a min_coverage above 1 is rejected", func(c *Config) { c.Answer.MinCoverage = 1.5 }, "answer.min_coverage"},
		{"an unknown fusion is rejected", func(c *Config) { c.Retrieval.Fusion = "max" }, "retrieval.fusion"},
		{"zero answer length is rejected", func(c *Config) { c.Answer.MaxChars = 0 }, "answer.max_chars"},
		{"an unknown answer script is rejected, naming the field", func(c *Config) { c.Answer.Script = "traditional" }, `answer.script: "traditional" is not one of simplified, original`},
		{"the original answer script is accepted", func(c *Config) { c.Answer.Script = ScriptOriginal }, ""},
		{"a zero Telegram id is rejected", func(c *Config) { c.Telegram.Admins = []int64{5, 0} }, "telegram.admins: 0 is not a Telegram id"},
		{"a webhook needs a public URL", func(c *Config) { c.Telegram.Webhook.Listen = ":8443" }, "telegram.webhook.public_url: must be set"},
		{"a webhook over http is rejected", func(c *Config) {
			c.Telegram.Webhook.Listen = ":8443"
			c.Telegram.Webhook.PublicURL = "http://bot.example.gov.cn/hook"
		}, "telegram.webhook.public_url"},
		{"a complete webhook is fine", func(c *Config) {
			c.Telegram.Webhook.Listen = "127.0.0.1:8443"
			c.Telegram.Webhook.PublicURL = "https://bot.example.gov.cn/hook"
		}, ""},
		{"a listen address without port is rejected", func(c *Config) {
			c.Telegram.Webhook.Listen = "localhost"
			c.Telegram.Webhook.PublicURL = "https://bot.example.gov.cn/hook"
		}, "telegram.webhook.listen"},
		{"zero stream interval is rejected", func(c *Config) { c.Telegram.StreamIntervalGroup = 0 }, "telegram.stream_interval_group"},
		{"zero max_concurrent is rejected", func(c *Config) { c.Telegram.MaxConcurrent = 0 }, "telegram.max_concurrent"},
		{"memory without a ttl is rejected", func(c *Config) { c.Telegram.MemoryTTL = 0 }, "telegram.memory_ttl"},
		{"no memory needs no ttl", func(c *Config) { c.Telegram.MemoryTurns = 0; c.Telegram.MemoryTTL = 0 }, ""},
		{"negative retention is rejected", func(c *Config) { c.Telegram.FeedbackRetention = -time.Hour }, "telegram.feedback_retention"},
		{"an unknown log level is rejected", func(c *Config) { c.Log.Level = "verbose" }, "log.level"},
		{"an upper-case log level is fine", func(c *Config) { c.Log.Level = "DEBUG" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.change(&c)
			err := c.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "sk-abc123") {
				t.Errorf("Validate() leaks the pasted key: %v", err)
			}
		})
	}
}
