package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// secretConfig returns a valid Config whose every Secret field holds a
// distinct recognisable value.
func secretConfig() Config {
	c := Default()
	c.ApplyEnv(envMap(map[string]string{
		EnvLLMAPIKey:                        "sk-llm-s3cr3t1",
		EnvEmbedAPIKey:                      "sk-embed-s3cr3t2",
		EnvRerankAPIKey:                     "sk-rerank-s3cr3t3",
		EnvTelegramToken:                    "123456:TOKEN-s3cr3t4",
		"POLICYBOT_TELEGRAM_WEBHOOK_SECRET": "hook-s3cr3t5",
	}))
	return c
}

func TestSecretIsNeverPrinted(t *testing.T) {
	c := secretConfig()
	if got := c.Telegram.Token.Reveal(); got != "123456:TOKEN-s3cr3t4" {
		t.Fatalf("Reveal() = %q, want the token", got)
	}
	render := map[string]func() string{
		"fmt %v of the Config":      func() string { return fmt.Sprintf("%v", c) },
		"fmt %+v of the Config":     func() string { return fmt.Sprintf("%+v", c) },
		"fmt %#v of the Config":     func() string { return fmt.Sprintf("%#v", c) },
		"fmt %v of a *Config":       func() string { return fmt.Sprintf("%v", &c) },
		"fmt %s of a Secret":        func() string { return fmt.Sprintf("%s", c.LLM.APIKey) },
		"fmt %q of a Secret":        func() string { return fmt.Sprintf("%q", c.LLM.APIKey) },
		"fmt %x of a Secret":        func() string { return fmt.Sprintf("%x", c.LLM.APIKey) },
		"fmt %d of a Secret":        func() string { return fmt.Sprintf("%d", c.LLM.APIKey) },
		"fmt %v of a Secret in any": func() string { return fmt.Sprint([]any{c.Embed.APIKey}) },
		"json.Marshal of the Config": func() string {
			b, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		},
		// The secrets are tagged yaml:"-": a dumped config omits them.
		"yaml.Marshal of the Config": func() string {
			b, err := yaml.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		},
		"yaml.Marshal of a Secret": func() string {
			b, err := yaml.Marshal(map[string]Secret{"k": c.LLM.APIKey})
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		},
		"slog text handler": func() string {
			var buf bytes.Buffer
			slog.New(slog.NewTextHandler(&buf, nil)).Info("start", "key", c.LLM.APIKey, "config", c, "tg", c.Telegram)
			return buf.String()
		},
		"slog json handler": func() string {
			var buf bytes.Buffer
			slog.New(slog.NewJSONHandler(&buf, nil)).Info("start", "key", c.LLM.APIKey, "config", c, "tg", c.Telegram)
			return buf.String()
		},
		"NewLogger json with a group": func() string {
			var buf bytes.Buffer
			NewLogger(&buf, LogConfig{Level: "info", Format: "json"}).Info("start", slog.Group("llm", "key", c.LLM.APIKey))
			return buf.String()
		},
	}
	for name, f := range render {
		t.Run(name+" hides every secret", func(t *testing.T) {
			out := f()
			if strings.Contains(out, "s3cr3t") {
				t.Errorf("output leaks a secret: %s", out)
			}
			if !strings.Contains(out, "***") && !strings.HasPrefix(name, "yaml.Marshal of the Config") {
				t.Errorf("output %q has no ***; the secret field was not rendered at all", out)
			}
		})
	}
}

func TestSecretMarshalJSONIsValidJSON(t *testing.T) {
	b, err := json.Marshal(struct{ K Secret }{"v"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"K":"***"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestSecretIsSet(t *testing.T) {
	if Secret("").IsSet() {
		t.Error(`Secret("").IsSet() = true, want false`)
	}
	if !Secret("x").IsSet() {
		t.Error(`Secret("x").IsSet() = false, want true`)
	}
}

func TestNewLogger(t *testing.T) {
	tests := []struct {
		name      string
		cfg       LogConfig
		wantDebug bool
		wantJSON  bool
	}{
		{"info text drops debug lines", LogConfig{Level: "info", Format: "text"}, false, false},
		{"debug json keeps debug lines as JSON", LogConfig{Level: "debug", Format: "json"}, true, true},
		{"an unknown level means info", LogConfig{Level: "loud", Format: "text"}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			l := NewLogger(&buf, tt.cfg)
			l.Debug("dbg")
			l.Info("hello", "n", 1)
			out := buf.String()
			if got := strings.Contains(out, "dbg"); got != tt.wantDebug {
				t.Errorf("debug line written = %v, want %v: %s", got, tt.wantDebug, out)
			}
			if got := strings.HasPrefix(out, "{"); got != tt.wantJSON {
				t.Errorf("JSON output = %v, want %v: %s", got, tt.wantJSON, out)
			}
			if !strings.Contains(out, "hello") {
				t.Errorf("info line missing: %s", out)
			}
		})
	}
	t.Run("warn level drops info lines", func(t *testing.T) {
		var buf bytes.Buffer
		NewLogger(&buf, LogConfig{Level: "warn"}).Info("quiet")
		if buf.Len() != 0 {
			t.Errorf("got %q, want nothing", buf.String())
		}
	})
}
