package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Environment variables read by PathFromEnv and ApplyEnv. Scripts rely on
// these exact names.
const (
	EnvConfig         = "POLICYBOT_CONFIG"
	EnvCorpus         = "POLICYBOT_CORPUS"
	EnvIndex          = "POLICYBOT_INDEX"
	EnvLogLevel       = "POLICYBOT_LOG_LEVEL"
	EnvMaxFileMB      = "POLICYBOT_INGEST_MAX_FILE_MB"
	EnvMaxExtractedMB = "POLICYBOT_INGEST_MAX_EXTRACTED_MB"
	EnvLLMBaseURL     = "POLICYBOT_LLM_BASE_URL"
	EnvLLMModel       = "POLICYBOT_LLM_MODEL"
	EnvLLMAPIKey      = "POLICYBOT_LLM_API_KEY"
	EnvOpenAIAPIKey   = "OPENAI_API_KEY"
	EnvLLMTimeout     = "POLICYBOT_LLM_TIMEOUT"
	EnvAnswerScript   = "POLICYBOT_ANSWER_SCRIPT"
	EnvEmbedBaseURL   = "POLICYBOT_EMBED_BASE_URL"
	EnvEmbedModel     = "POLICYBOT_EMBED_MODEL"
	EnvEmbedAPIKey    = "POLICYBOT_EMBED_API_KEY"
	EnvRerankBaseURL  = "POLICYBOT_RERANK_BASE_URL"
	EnvRerankModel    = "POLICYBOT_RERANK_MODEL"
	EnvRerankAPIKey   = "POLICYBOT_RERANK_API_KEY"
	EnvTelegramToken  = "TELEGRAM_BOT_TOKEN"
	EnvTelegramAPIURL = "POLICYBOT_TELEGRAM_API_URL"
	EnvAllowedUsers   = "POLICYBOT_ALLOWED_USERS"
	EnvAllowedChats   = "POLICYBOT_ALLOWED_CHATS"
	EnvAdmins         = "POLICYBOT_ADMINS"
)

// PathFromEnv returns the config file path named by POLICYBOT_CONFIG, or ""
// when it is unset (Load("") yields the defaults).
func PathFromEnv(getenv func(string) string) string {
	return strings.TrimSpace(getenv(EnvConfig))
}

// ApplyEnv overrides settings from the environment and resolves the secrets.
// getenv is os.Getenv in production. An unset or empty variable changes
// nothing. Values that do not parse (a bad duration, a bad Telegram id) are
// kept and reported by Validate, naming the variable.
//
// Secrets are resolved in this order, first non-empty wins:
//   - LLM key: POLICYBOT_LLM_API_KEY, the variable named by llm.api_key_env,
//     OPENAI_API_KEY.
//   - Embed key: POLICYBOT_EMBED_API_KEY, the variable named by
//     embed.api_key_env, then the LLM key.
//   - Rerank key: POLICYBOT_RERANK_API_KEY, the variable named by
//     rerank.api_key_env (no fallback: a reranker is often another vendor).
//   - Telegram token: TELEGRAM_BOT_TOKEN.
//   - Webhook secret token: the variable named by
//     telegram.webhook.secret_token_env.
func (c *Config) ApplyEnv(getenv func(string) string) {
	c.envErrs = nil // so that applying twice does not report twice
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	set := func(dst *string, name string) {
		if v := get(name); v != "" {
			*dst = v
		}
	}
	set(&c.Corpus, EnvCorpus)
	set(&c.Index, EnvIndex)
	set(&c.Log.Level, EnvLogLevel)
	set(&c.LLM.BaseURL, EnvLLMBaseURL)
	set(&c.LLM.Model, EnvLLMModel)
	set(&c.Embed.BaseURL, EnvEmbedBaseURL)
	set(&c.Embed.Model, EnvEmbedModel)
	set(&c.Rerank.BaseURL, EnvRerankBaseURL)
	set(&c.Rerank.Model, EnvRerankModel)
	set(&c.Telegram.APIURL, EnvTelegramAPIURL)

	if v := get(EnvLLMTimeout); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			c.envErrs = append(c.envErrs, fmt.Errorf("%s: %q is not a Go duration such as 60s or 2m", EnvLLMTimeout, v))
		} else {
			c.LLM.Timeout = d
		}
	}
	for _, n := range []struct {
		dst  *int
		name string
	}{
		{&c.Ingest.MaxFileMB, EnvMaxFileMB},
		{&c.Ingest.MaxExtractedMB, EnvMaxExtractedMB},
	} {
		if v := get(n.name); v != "" {
			i, err := strconv.Atoi(v)
			if err != nil {
				c.envErrs = append(c.envErrs, fmt.Errorf("%s: %q is not a whole number of megabytes", n.name, v))
				continue
			}
			*n.dst = i
		}
	}
	switch v := get(EnvAnswerScript); v {
	case "":
	case ScriptSimplified, ScriptOriginal:
		c.Answer.Script = v
	default:
		c.envErrs = append(c.envErrs, fmt.Errorf("%s: %q is not one of %s, %s", EnvAnswerScript, v, ScriptSimplified, ScriptOriginal))
	}
	for _, l := range []struct {
		dst  *[]int64
		name string
	}{
		{&c.Telegram.AllowedUsers, EnvAllowedUsers},
		{&c.Telegram.AllowedChats, EnvAllowedChats},
		{&c.Telegram.Admins, EnvAdmins},
	} {
		if v := get(l.name); v != "" {
			ids, err := parseIDs(v)
			if err != nil {
				c.envErrs = append(c.envErrs, fmt.Errorf("%s: %w", l.name, err))
				continue
			}
			*l.dst = ids
		}
	}

	// A variable named in the file is looked up only if the name is valid;
	// Validate reports the bad name.
	named := func(name string) string {
		if !validEnvName(name) {
			return ""
		}
		return get(name)
	}
	c.LLM.APIKey = Secret(firstNonEmpty(get(EnvLLMAPIKey), named(c.LLM.APIKeyEnv), get(EnvOpenAIAPIKey)))
	c.Embed.APIKey = Secret(firstNonEmpty(get(EnvEmbedAPIKey), named(c.Embed.APIKeyEnv), c.LLM.APIKey.Reveal()))
	c.Rerank.APIKey = Secret(firstNonEmpty(get(EnvRerankAPIKey), named(c.Rerank.APIKeyEnv)))
	c.Telegram.Token = Secret(get(EnvTelegramToken))
	c.Telegram.Webhook.SecretToken = Secret(named(c.Telegram.Webhook.SecretTokenEnv))
}

// parseIDs parses a comma-separated list of int64 Telegram ids; blanks
// between commas are skipped.
func parseIDs(s string) ([]int64, error) {
	ids := []int64{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not an integer Telegram id", f)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// validEnvName reports whether s can be the name of an environment variable
// (letters, digits and underscores, not starting with a digit).
func validEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', 'A' <= r && r <= 'Z', 'a' <= r && r <= 'z':
		case '0' <= r && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
