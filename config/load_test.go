package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "policybot.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultIsValid(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v, want nil", err)
	}
}

func TestLoadOverlaysFileOnDefaults(t *testing.T) {
	p := writeFile(t, `
corpus: /srv/policies
chunk:
  max_chars: 900
llm:
  base_url: http://localhost:11434/v1
  timeout: 2m
  rewrite_followups: false
retrieval:
  mode: lexical
telegram:
  admins: [42, -1001234567890]
  webhook:
    listen: ":8443"
`)
	got, err := Load(p)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := Default()
	want.Corpus = "/srv/policies"
	want.Chunk.MaxChars = 900
	want.LLM.BaseURL = "http://localhost:11434/v1"
	want.LLM.Timeout = 2 * time.Minute
	want.LLM.RewriteFollowups = false
	want.Retrieval.Mode = ModeLexical
	want.Telegram.Admins = []int64{42, -1001234567890}
	want.Telegram.Webhook.Listen = ":8443"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Load overlay:\n got %+v\nwant %+v", got, want)
	}
}

func TestLoadWithoutFileGivesDefaults(t *testing.T) {
	for name, path := range map[string]string{
		"an empty path":           "",
		"an empty file":           writeFile(t, ""),
		"a file of only comments": writeFile(t, "# nothing set\n"),
		"a section left empty":    writeFile(t, "embed:\n"),
	} {
		t.Run(name+" yields the defaults", func(t *testing.T) {
			got, err := Load(path)
			if err != nil {
				t.Fatalf("Load(%q): %v", path, err)
			}
			if want := Default(); !reflect.DeepEqual(got, want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		body    string // "" with missing=true: the file does not exist
		missing bool
		want    []string // substrings of the error
		notWant []string
	}{
		{
			name:    "a missing file is named",
			missing: true,
			want:    []string{"nope.yaml"},
		},
		{
			name: "unknown keys are each named with their line",
			body: "corpus: seeds\nllm:\n  modle: x\n  timeout: 5s\nretreival:\n  k: 3\n",
			want: []string{`:3: unknown key "llm.modle"`, `:5: unknown key "retreival"`, "known keys here:", "policybot.yaml"},
		},
		{
			name:    "an API key in the file is rejected without repeating it",
			body:    "llm:\n  api_key: sk-live-abcdef\n",
			want:    []string{`:2: key "llm.api_key" looks like a secret`, `"llm.api_key_env"`},
			notWant: []string{"sk-live-abcdef"},
		},
		{
			name:    "a bot token in the file is rejected",
			body:    "telegram:\n  token: \"123:ABC\"\n",
			want:    []string{`"telegram.token" looks like a secret`, "TELEGRAM_BOT_TOKEN"},
			notWant: []string{"123:ABC"},
		},
		{
			name:    "a webhook secret in the file is rejected",
			body:    "telegram:\n  webhook:\n    secret_token: hush\n",
			want:    []string{`"telegram.webhook.secret_token" looks like a secret`, `"telegram.webhook.secret_token_env"`},
			notWant: []string{"hush"},
		},
		{
			name: "a duration without a unit is rejected",
			body: "llm:\n  timeout: 60\n",
			want: []string{"policybot.yaml", "line 2", "time.Duration"},
		},
		{
			name: "a word where a number belongs is rejected",
			body: "retrieval:\n  k: five\n",
			want: []string{"policybot.yaml", "line 2"},
		},
		{
			name: "a list at the top level is rejected",
			body: "- corpus\n",
			want: []string{"top level must be a mapping"},
		},
		{
			name: "a duplicate key is rejected",
			body: "corpus: a\ncorpus: b\n",
			want: []string{"policybot.yaml", "already defined"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "nope.yaml")
			if !tt.missing {
				p = writeFile(t, tt.body)
			}
			_, err := Load(p)
			if err == nil {
				t.Fatalf("Load succeeded, want an error containing %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(err.Error(), w) {
					t.Errorf("error %q leaks %q", err, w)
				}
			}
		})
	}
}

func TestLooksSecret(t *testing.T) {
	for key, want := range map[string]bool{
		"api_key": true, "apikey": true, "API_KEY": true, "token": true, "bot_token": true,
		"secret": true, "password": true, "openai-api-key": true,
		"api_key_env": false, "secret_token_env": false, "model": false, "top_n": false, "max_tokens": false,
	} {
		if got := looksSecret(key); got != want {
			t.Errorf("looksSecret(%q) = %v, want %v", key, got, want)
		}
	}
}

// yamlPaths lists the dotted yaml path of every leaf setting of t.
func yamlPaths(t reflect.Type, prefix string) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(time.Duration(0)) {
			out = append(out, yamlPaths(f.Type, prefix+name+".")...)
			continue
		}
		out = append(out, prefix+name)
	}
	return out
}

// nodePaths lists the dotted key path of every leaf of a YAML mapping.
func nodePaths(n *yaml.Node, prefix string, into map[string]bool) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind == yaml.MappingNode {
			nodePaths(v, prefix+k.Value+".", into)
			continue
		}
		into[prefix+k.Value] = true
	}
}

func TestExampleFile(t *testing.T) {
	const example = "../config.example.yaml"
	got, err := Load(example)
	if err != nil {
		t.Fatalf("Load(%s): %v", example, err)
	}
	t.Run("it states exactly the defaults", func(t *testing.T) {
		if want := Default(); !reflect.DeepEqual(got, want) {
			t.Errorf("example settings differ from Default():\n got %+v\nwant %+v", got, want)
		}
	})
	t.Run("it lists every setting of Config", func(t *testing.T) {
		data, err := os.ReadFile(example)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		nodePaths(doc.Content[0], "", have)
		paths := yamlPaths(reflect.TypeOf(Config{}), "")
		if len(paths) < 50 {
			t.Fatalf("found only %d settings by reflection; the walk is broken", len(paths))
		}
		for _, p := range paths {
			if !have[p] {
				t.Errorf("setting %q is missing from %s", p, example)
			}
		}
	})
}
