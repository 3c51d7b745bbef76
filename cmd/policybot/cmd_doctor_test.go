package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"policybot/internal/fakeopenai"
	"policybot/internal/faketg"
)

// Secrets the doctor tests use; none may ever be printed.
const (
	doctorEmbedKey = "sk-embedKEYdoctorSECRET123"
	doctorWrongKey = "sk-wrongKEYdoctorSECRET456"
	doctorLLMKey   = "sk-llmKEYdoctorSECRET789"
)

// doctorFixture is a small corpus (two documents, a .doc and an empty
// file), an index of it built by the built-in embedder and one built by the
// fake server's embedder (model fake-embed, 64 dimensions).
type doctorFixture struct {
	corpus, staleCorpus, builtinIndex, remoteIndex string
}

func newDoctorFixture(t *testing.T) doctorFixture {
	t.Helper()
	tmp := t.TempDir()
	f := doctorFixture{
		corpus:       filepath.Join(tmp, "corpus"),
		staleCorpus:  filepath.Join(tmp, "stale"),
		builtinIndex: filepath.Join(tmp, "index-builtin"),
		remoteIndex:  filepath.Join(tmp, "index-remote"),
	}
	for _, dir := range []string{f.corpus, f.staleCorpus} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "a.txt"), "关于推进政务服务的通知\n\n一、总体要求\n全面推进政务服务标准化、规范化、便利化。\n")
		writeFile(t, filepath.Join(dir, "b.md"), "# 济源示范区工作报告\n\n2018年地区生产总值增长8.5%。\n")
		writeFile(t, filepath.Join(dir, "old.doc"), "\xd0\xcf\x11\xe0 not really a doc")
		writeFile(t, filepath.Join(dir, "empty.txt"), "")
		// The same times in both folders: skipped files are recorded by
		// size and time, so only c.txt differs.
		for _, name := range []string{"a.txt", "b.md", "old.doc", "empty.txt"} {
			when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
			if err := os.Chtimes(filepath.Join(dir, name), when, when); err != nil {
				t.Fatal(err)
			}
		}
	}
	writeFile(t, filepath.Join(f.staleCorpus, "c.txt"), "新增的文件：关于做好秋冬季安全生产工作的通知。\n")

	if _, stderr, err := askRun(t, "", "ingest", "--corpus", f.corpus, "--index", f.builtinIndex); err != nil {
		t.Fatalf("ingest (built-in): %v\n%s", err, stderr)
	}
	fake := fakeopenai.New(t)
	var out, errOut bytes.Buffer
	env := envFunc(map[string]string{"POLICYBOT_EMBED_BASE_URL": fake.URL, "POLICYBOT_EMBED_MODEL": "fake-embed"})
	if err := run(context.Background(), []string{"ingest", "--corpus", f.corpus, "--index", f.remoteIndex}, strings.NewReader(""), &out, &errOut, env); err != nil {
		t.Fatalf("ingest (fake embedder): %v\n%s", err, errOut.String())
	}
	return f
}

func TestDoctorReportsWorkingAndBrokenSetups(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two indexes")
	}
	f := newDoctorFixture(t)
	remote := func(s *fakeopenai.Server) map[string]string {
		return map[string]string{"POLICYBOT_EMBED_BASE_URL": s.URL, "POLICYBOT_EMBED_MODEL": "fake-embed"}
	}
	botEnv := func(tg *faketg.Server, token string) map[string]string {
		return map[string]string{"TELEGRAM_BOT_TOKEN": token, "POLICYBOT_TELEGRAM_API_URL": tg.URL, "POLICYBOT_ALLOWED_USERS": "1001"}
	}
	newTG := func(t *testing.T) *faketg.Server {
		tg := faketg.New(testToken)
		t.Cleanup(tg.Close)
		return tg
	}
	tests := []struct {
		name    string
		setup   func(t *testing.T) (env map[string]string, args []string)
		want    []string // line prefixes that must appear
		notWant []string // line prefixes that must not appear
		wantErr bool
	}{
		{
			name: "a working offline setup passes and lists the files it will skip",
			setup: func(t *testing.T) (map[string]string, []string) {
				return nil, []string{"--index", f.builtinIndex}
			},
			want: []string{"✓ config:", "✓ corpus: " + f.corpus + ": 2 files to read (md 1, txt 1), 2 to skip",
				"✗ skipped file: empty.txt: empty file", "✗ skipped file: old.doc: .doc files are not read",
				"✓ index:", "✓ index freshness:", "✓ index embedder:", "✓ ask can run"},
			notWant: []string{"✓ embedding", "✓ chat", "✓ telegram", "✗ telegram", "✓ bot", "✗ bot"},
		},
		{
			name: "a missing corpus folder stops ask",
			setup: func(t *testing.T) (map[string]string, []string) {
				return nil, []string{"--index", f.builtinIndex, "--corpus", filepath.Join(t.TempDir(), "nowhere")}
			},
			want:    []string{"✗ corpus:", "✓ index:", "✗ ask cannot run"},
			notWant: []string{"✓ index freshness", "✗ index freshness"},
			wantErr: true,
		},
		{
			name: "a stale index is reported but ask still runs (it updates the index)",
			setup: func(t *testing.T) (map[string]string, []string) {
				return nil, []string{"--index", f.builtinIndex, "--corpus", f.staleCorpus}
			},
			want: []string{"✓ corpus:", "✗ index freshness: 1 file change(s) since the build: added c.txt", "✓ ask can run"},
		},
		{
			name: "no index yet is advice only: the first question builds it",
			setup: func(t *testing.T) (map[string]string, []string) {
				return nil, []string{"--index", filepath.Join(t.TempDir(), "index")}
			},
			want: []string{"✗ index: no index in", "✓ ask can run"},
		},
		{
			name: "an index built with another embedder stops ask",
			setup: func(t *testing.T) (map[string]string, []string) {
				return remote(fakeopenai.New(t)), []string{"--index", f.builtinIndex}
			},
			want:    []string{"✗ index embedder: built with builtin-hash-v2-", "✓ embedding server:", "✗ ask cannot run"},
			wantErr: true,
		},
		{
			name: "a working embedding server with a key passes every check",
			setup: func(t *testing.T) (map[string]string, []string) {
				env := remote(fakeopenai.New(t, fakeopenai.WithAPIKey(doctorEmbedKey), fakeopenai.WithStrictModels()))
				env["POLICYBOT_EMBED_API_KEY"] = doctorEmbedKey
				return env, []string{"--index", f.remoteIndex}
			},
			want: []string{"✓ index embedder: built with openai:fake-embed (64 dimensions)", "✓ embedding server:",
				"✓ embedding model: fake-embed is served", "✓ embedding dimension: 64, as in the index", "✓ ask can run"},
		},
		{
			name: "an embedding server that is down stops ask",
			setup: func(t *testing.T) (map[string]string, []string) {
				s := fakeopenai.New(t)
				s.Close()
				return remote(s), []string{"--index", f.remoteIndex}
			},
			want:    []string{"✓ index embedder:", "✗ embedding server:", "✗ ask cannot run"},
			notWant: []string{"✓ embedding model", "✗ embedding model"},
			wantErr: true,
		},
		{
			name: "an embedding server refusing the key (401) stops ask",
			setup: func(t *testing.T) (map[string]string, []string) {
				env := remote(fakeopenai.New(t, fakeopenai.WithAPIKey(doctorEmbedKey)))
				env["POLICYBOT_EMBED_API_KEY"] = doctorWrongKey
				return env, []string{"--index", f.remoteIndex}
			},
			want:    []string{"✗ embedding server: " + "http", "(401 Unauthorized)", "✗ ask cannot run"},
			wantErr: true,
		},
		{
			name: "an embedding model the server does not have stops ask",
			setup: func(t *testing.T) (map[string]string, []string) {
				return remote(fakeopenai.New(t, fakeopenai.WithModels("bge-m3", "qwen2.5"), fakeopenai.WithStrictModels())),
					[]string{"--index", f.remoteIndex}
			},
			want:    []string{"✓ embedding server:", "✗ embedding model: fake-embed is not served", "(it serves: bge-m3, qwen2.5)", "✗ ask cannot run"},
			wantErr: true,
		},
		{
			name: "a model not listed by /models but served (llama-server) passes",
			setup: func(t *testing.T) (map[string]string, []string) {
				return remote(fakeopenai.New(t, fakeopenai.WithModels("model.gguf"))), []string{"--index", f.remoteIndex}
			},
			want: []string{"✓ embedding model: fake-embed embeds a test sentence (not listed", "✓ embedding dimension:", "✓ ask can run"},
		},
		{
			name: "an embedding server giving vectors of another dimension than the index stops ask",
			setup: func(t *testing.T) (map[string]string, []string) {
				return remote(fakeopenai.New(t, fakeopenai.WithEmbedDim(32))), []string{"--index", f.remoteIndex}
			},
			want:    []string{"✓ embedding model:", "✗ embedding dimension: fake-embed gives 32 dimensions, the index holds 64", "✗ ask cannot run"},
			wantErr: true,
		},
		{
			name: "a chat model that answers passes",
			setup: func(t *testing.T) (map[string]string, []string) {
				s := fakeopenai.New(t, fakeopenai.WithAPIKey(doctorLLMKey))
				return map[string]string{"POLICYBOT_LLM_BASE_URL": s.URL, "POLICYBOT_LLM_API_KEY": doctorLLMKey},
					[]string{"--index", f.builtinIndex}
			},
			want: []string{"✓ chat model: qwen2.5:7b-instruct answered in", "✓ ask can run"},
		},
		{
			name: "a chat model timing out is reported, but ask runs on excerpts",
			setup: func(t *testing.T) (map[string]string, []string) {
				s := fakeopenai.New(t)
				s.HangNext(1)
				return map[string]string{"POLICYBOT_LLM_BASE_URL": s.URL, "POLICYBOT_LLM_TIMEOUT": "300ms"},
					[]string{"--index", f.builtinIndex}
			},
			want: []string{"✗ chat model: qwen2.5:7b-instruct at http", "gave no answer within 300ms (llm.timeout)", "✓ ask can run"},
		},
		{
			name: "a reranker that answers passes",
			setup: func(t *testing.T) (map[string]string, []string) {
				s := fakeopenai.New(t)
				return map[string]string{"POLICYBOT_RERANK_BASE_URL": s.URL, "POLICYBOT_RERANK_MODEL": "fake-rerank"},
					[]string{"--index", f.builtinIndex}
			},
			want: []string{"✓ reranker: http", "scored 2 passages", "✓ ask can run"},
		},
		{
			name: "a reranker that is down is reported but ask runs",
			setup: func(t *testing.T) (map[string]string, []string) {
				s := fakeopenai.New(t)
				s.Close()
				return map[string]string{"POLICYBOT_RERANK_BASE_URL": s.URL, "POLICYBOT_RERANK_MODEL": "fake-rerank"},
					[]string{"--index", f.builtinIndex}
			},
			want: []string{"✗ reranker: http", "✓ ask can run"},
		},
		{
			name: "a working bot passes with --bot",
			setup: func(t *testing.T) (map[string]string, []string) {
				return botEnv(newTG(t), testToken), []string{"--index", f.builtinIndex, "--bot"}
			},
			want: []string{"✓ telegram token: valid, the bot is @policy_test_bot", "✓ group privacy mode: on",
				"✓ allowlist: 1 user(s), 0 chat(s), 0 admin(s)", "✓ ask can run", "✓ bot can run"},
		},
		{
			name: "a bad token (getMe 401) stops the bot",
			setup: func(t *testing.T) (map[string]string, []string) {
				return botEnv(newTG(t), "999:wrongTOKENdoctorSECRET"), []string{"--index", f.builtinIndex, "--bot"}
			},
			want:    []string{"✗ telegram token: Telegram rejected the token (401 Unauthorized)", "✓ ask can run", "✗ bot cannot run"},
			notWant: []string{"✓ group privacy mode", "✗ group privacy mode"},
			wantErr: true,
		},
		{
			name: "a bad token without --bot is reported but the exit status is ask's",
			setup: func(t *testing.T) (map[string]string, []string) {
				return botEnv(newTG(t), "999:wrongTOKENdoctorSECRET"), []string{"--index", f.builtinIndex}
			},
			want:    []string{"✗ telegram token:", "✓ ask can run"},
			notWant: []string{"✗ bot cannot run"},
		},
		{
			name: "no allowlist stops the bot",
			setup: func(t *testing.T) (map[string]string, []string) {
				env := botEnv(newTG(t), testToken)
				delete(env, "POLICYBOT_ALLOWED_USERS")
				return env, []string{"--index", f.builtinIndex, "--bot"}
			},
			want:    []string{"✓ telegram token:", "✗ allowlist: no allowed users, chats or admins", "✗ bot cannot run"},
			wantErr: true,
		},
		{
			name: "no allowlist with --public is reported but the bot runs",
			setup: func(t *testing.T) (map[string]string, []string) {
				env := botEnv(newTG(t), testToken)
				delete(env, "POLICYBOT_ALLOWED_USERS")
				return env, []string{"--index", f.builtinIndex, "--bot", "--public"}
			},
			want: []string{"✗ allowlist: none: the bot is public", "✓ bot can run"},
		},
		{
			name: "group privacy mode off is reported but the bot runs",
			setup: func(t *testing.T) (map[string]string, []string) {
				tg := newTG(t)
				tg.SetGroupPrivacy(false)
				return botEnv(tg, testToken), []string{"--index", f.builtinIndex, "--bot"}
			},
			want: []string{"✗ group privacy mode: off", "✓ bot can run"},
		},
		{
			name: "--bot without a token stops the bot",
			setup: func(t *testing.T) (map[string]string, []string) {
				return map[string]string{"POLICYBOT_ADMINS": "9001"}, []string{"--index", f.builtinIndex, "--bot"}
			},
			want:    []string{"✗ telegram token: TELEGRAM_BOT_TOKEN is not set", "✓ allowlist:", "✗ bot cannot run"},
			wantErr: true,
		},
		{
			name: "an invalid config stops everything and says which key",
			setup: func(t *testing.T) (map[string]string, []string) {
				cfg := filepath.Join(t.TempDir(), "policybot.yaml")
				writeFile(t, cfg, "retrieval:\n  k: 0\n  bogus: 1\n")
				return nil, []string{"--config", cfg, "--index", f.builtinIndex}
			},
			want:    []string{"✗ config: " + "/", `unknown key "retrieval.bogus"`, "✗ ask cannot run"},
			notWant: []string{"✓ corpus", "✓ index"},
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, args := tt.setup(t)
			var out, errOut bytes.Buffer
			args = append([]string{"doctor", "--corpus", f.corpus}, args...)
			err := run(context.Background(), args, strings.NewReader(""), &out, &errOut, envFunc(env))
			got := out.String()
			if (err != nil) != tt.wantErr {
				t.Errorf("got error %v, want error: %v\n%s", err, tt.wantErr, got)
			}
			for _, w := range tt.want {
				if !hasLine(got, w) {
					t.Errorf("no line with %q in:\n%s", w, got)
				}
			}
			for _, w := range tt.notWant {
				if hasLine(got, w) {
					t.Errorf("a line with %q in:\n%s", w, got)
				}
			}
			for _, line := range strings.Split(got, "\n") {
				if line != "" && !strings.HasPrefix(line, "✓ ") && !strings.HasPrefix(line, "✗ ") && !strings.HasPrefix(line, "    fix: ") {
					t.Errorf("line %q is neither a check nor a fix", line)
				}
				if strings.HasPrefix(line, "✗ ") && !strings.Contains(line, "cannot run") && !strings.Contains(got, line+"\n    fix: ") {
					t.Errorf("failed check %q has no fix line", line)
				}
			}
			for _, secret := range []string{testToken, "999:wrongTOKENdoctorSECRET", doctorEmbedKey, doctorWrongKey, doctorLLMKey} {
				if strings.Contains(got+errOut.String(), secret) {
					t.Errorf("a secret was printed:\n%s\n%s", got, errOut.String())
				}
			}
		})
	}
}

// hasLine reports whether out has a line starting with want, or, when want
// does not start with a mark, a line containing it.
func hasLine(out, want string) bool {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(want, "✓") || strings.HasPrefix(want, "✗") {
			if strings.HasPrefix(line, want) {
				return true
			}
		} else if strings.Contains(line, want) {
			return true
		}
	}
	return false
}
