package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// envMap returns a getenv over a fixed map, as the tests' environment.
func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestApplyEnvOverridesEachSetting(t *testing.T) {
	tests := []struct {
		name  string
		value string
		get   func(c Config) any
		want  any
	}{
		{EnvCorpus, "/srv/docs", func(c Config) any { return c.Corpus }, "/srv/docs"},
		{EnvIndex, "/var/idx", func(c Config) any { return c.Index }, "/var/idx"},
		{EnvLogLevel, "debug", func(c Config) any { return c.Log.Level }, "debug"},
		{EnvMaxFileMB, "128", func(c Config) any { return c.Ingest.MaxFileMB }, 128},
		{EnvMaxExtractedMB, " 16 ", func(c Config) any { return c.Ingest.MaxExtractedMB }, 16},
		{EnvLLMBaseURL, "http://localhost:8080/v1", func(c Config) any { return c.LLM.BaseURL }, "http://localhost:8080/v1"},
		{EnvLLMModel, "qwen2.5:14b", func(c Config) any { return c.LLM.Model }, "qwen2.5:14b"},
		{EnvLLMTimeout, "2m30s", func(c Config) any { return c.LLM.Timeout }, 150 * time.Second},
		{EnvAnswerScript, "original", func(c Config) any { return c.Answer.Script }, ScriptOriginal},
		{EnvEmbedBaseURL, "http://localhost:11434/v1", func(c Config) any { return c.Embed.BaseURL }, "http://localhost:11434/v1"},
		{EnvEmbedModel, "nomic-embed-text", func(c Config) any { return c.Embed.Model }, "nomic-embed-text"},
		{EnvRerankBaseURL, "http://localhost:8082/v1", func(c Config) any { return c.Rerank.BaseURL }, "http://localhost:8082/v1"},
		{EnvRerankModel, "bge-reranker-v2-m3", func(c Config) any { return c.Rerank.Model }, "bge-reranker-v2-m3"},
		{EnvTelegramAPIURL, "http://127.0.0.1:8081", func(c Config) any { return c.Telegram.APIURL }, "http://127.0.0.1:8081"},
		{EnvAllowedUsers, "1, 2,,3", func(c Config) any { return c.Telegram.AllowedUsers }, []int64{1, 2, 3}},
		{EnvAllowedChats, "-1001234567890", func(c Config) any { return c.Telegram.AllowedChats }, []int64{-1001234567890}},
		{EnvAdmins, "7", func(c Config) any { return c.Telegram.Admins }, []int64{7}},
		{EnvLLMAPIKey, "llm-key", func(c Config) any { return c.LLM.APIKey.Reveal() }, "llm-key"},
		{EnvOpenAIAPIKey, "openai-key", func(c Config) any { return c.LLM.APIKey.Reveal() }, "openai-key"},
		{EnvEmbedAPIKey, "embed-key", func(c Config) any { return c.Embed.APIKey.Reveal() }, "embed-key"},
		{EnvRerankAPIKey, "rerank-key", func(c Config) any { return c.Rerank.APIKey.Reveal() }, "rerank-key"},
		{EnvTelegramToken, "123:ABC", func(c Config) any { return c.Telegram.Token.Reveal() }, "123:ABC"},
		{"POLICYBOT_TELEGRAM_WEBHOOK_SECRET", "hook", func(c Config) any { return c.Telegram.Webhook.SecretToken.Reveal() }, "hook"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" sets its field", func(t *testing.T) {
			c := Default()
			c.ApplyEnv(envMap(map[string]string{tt.name: tt.value}))
			if got := tt.get(c); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if err := c.Validate(); err != nil {
				t.Errorf("Validate after %s=%q: %v", tt.name, tt.value, err)
			}
		})
	}
}

func TestApplyEnvWithEmptyEnvironmentChangesNothing(t *testing.T) {
	c := Default()
	c.ApplyEnv(envMap(nil))
	if want := Default(); !reflect.DeepEqual(c, want) {
		t.Errorf("got %+v, want %+v", c, want)
	}
}

func TestApplyEnvSecretPrecedence(t *testing.T) {
	tests := []struct {
		name       string
		fileEnv    string // llm.api_key_env / embed.api_key_env / rerank.api_key_env
		env        map[string]string
		wantLLM    string
		wantEmbed  string
		wantRerank string
	}{
		{
			name:    "OPENAI_API_KEY is the last resort for the LLM and embed keys",
			env:     map[string]string{"OPENAI_API_KEY": "o"},
			wantLLM: "o", wantEmbed: "o",
		},
		{
			name:    "POLICYBOT_LLM_API_KEY wins over OPENAI_API_KEY",
			env:     map[string]string{"OPENAI_API_KEY": "o", "POLICYBOT_LLM_API_KEY": "p"},
			wantLLM: "p", wantEmbed: "p",
		},
		{
			name:    "the variables named in the file are read",
			fileEnv: "MY_KEY",
			env:     map[string]string{"MY_KEY": "m", "OPENAI_API_KEY": "o"},
			wantLLM: "m", wantEmbed: "m", wantRerank: "m",
		},
		{
			name:    "the fixed variables win over those named in the file",
			fileEnv: "MY_KEY",
			env: map[string]string{"MY_KEY": "m", "POLICYBOT_LLM_API_KEY": "p",
				"POLICYBOT_EMBED_API_KEY": "e", "POLICYBOT_RERANK_API_KEY": "r"},
			wantLLM: "p", wantEmbed: "e", wantRerank: "r",
		},
		{
			name:    "the rerank key never falls back to the LLM key",
			env:     map[string]string{"POLICYBOT_LLM_API_KEY": "p"},
			wantLLM: "p", wantEmbed: "p", wantRerank: "",
		},
		{
			name:    "a file naming an invalid variable reads nothing",
			fileEnv: "sk-123",
			env:     map[string]string{"sk-123": "x"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			if tt.fileEnv != "" {
				c.LLM.APIKeyEnv, c.Embed.APIKeyEnv, c.Rerank.APIKeyEnv = tt.fileEnv, tt.fileEnv, tt.fileEnv
			}
			c.ApplyEnv(envMap(tt.env))
			got := []string{c.LLM.APIKey.Reveal(), c.Embed.APIKey.Reveal(), c.Rerank.APIKey.Reveal()}
			want := []string{tt.wantLLM, tt.wantEmbed, tt.wantRerank}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("llm, embed, rerank keys: got %q, want %q", got, want)
			}
		})
	}
}

func TestApplyEnvBadValuesFailValidation(t *testing.T) {
	tests := []struct {
		name, value string
		want        string
	}{
		{EnvAllowedUsers, "1,alice", `POLICYBOT_ALLOWED_USERS: "alice" is not an integer Telegram id`},
		{EnvAllowedChats, "99999999999999999999", "POLICYBOT_ALLOWED_CHATS: "},
		{EnvAdmins, "1.5", "POLICYBOT_ADMINS: "},
		{EnvLLMTimeout, "60", "POLICYBOT_LLM_TIMEOUT: "},
		{EnvMaxFileMB, "1.5", `POLICYBOT_INGEST_MAX_FILE_MB: "1.5" is not a whole number`},
		{EnvMaxExtractedMB, "0", "ingest.max_extracted_mb: must be at least 1"},
		{EnvAnswerScript, "traditional", `POLICYBOT_ANSWER_SCRIPT: "traditional" is not one of simplified, original`},
	}
	for _, tt := range tests {
		t.Run("a bad "+tt.name+" is reported by Validate", func(t *testing.T) {
			c := Default()
			c.ApplyEnv(envMap(map[string]string{tt.name: tt.value}))
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want an error containing %q", err, tt.want)
			}
			if want := Default(); !reflect.DeepEqual(c.Telegram, want.Telegram) || c.LLM.Timeout != want.LLM.Timeout {
				t.Errorf("a bad value changed the setting: got %+v", c)
			}
		})
	}
	t.Run("applying twice reports a bad value once", func(t *testing.T) {
		c := Default()
		env := envMap(map[string]string{EnvAdmins: "x"})
		c.ApplyEnv(env)
		c.ApplyEnv(env)
		if got := strings.Count(c.Validate().Error(), EnvAdmins); got != 1 {
			t.Errorf("got %d reports, want 1", got)
		}
	})
}

func TestPathFromEnv(t *testing.T) {
	if got, want := PathFromEnv(envMap(map[string]string{"POLICYBOT_CONFIG": " /etc/policybot.yaml "})), "/etc/policybot.yaml"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := PathFromEnv(envMap(nil)); got != "" {
		t.Errorf("unset: got %q, want \"\"", got)
	}
}
