package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/bot"
	"policybot/internal/faketg"
	"policybot/internal/testengine"
)

const testToken = "123456789:AAcmdTestSECRETtoken_abcdefghijklmn"

var (
	alice = faketg.User{ID: 1001, FirstName: "Alice"}
	admin = faketg.User{ID: 9001, FirstName: "Admin"}
)

// syncBuffer is a goroutine-safe writer for the command's stderr.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// botDirs is a copy of the seed corpus, an index folder and a config file
// (fast streaming, feedback in the temp dir) for one bot run.
type botDirs struct{ corpus, index, config string }

func newBotDirs(t *testing.T) botDirs {
	t.Helper()
	root, err := testengine.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	d := botDirs{corpus: filepath.Join(tmp, "corpus"), index: filepath.Join(tmp, "index"), config: filepath.Join(tmp, "policybot.yaml")}
	if err := os.CopyFS(d.corpus, os.DirFS(filepath.Join(root, "seeds"))); err != nil {
		t.Fatal(err)
	}
	cfg := "telegram:\n  stream_interval_private: 50ms\n  feedback_file: " + filepath.Join(tmp, "feedback.jsonl") + "\nlog:\n  level: debug\n"
	if err := os.WriteFile(d.config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return d
}

func (d botDirs) args(extra ...string) []string {
	return append([]string{"bot", "--config", d.config, "--corpus", d.corpus, "--index", d.index}, extra...)
}

func envFunc(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// waitAnswer waits for the n-th finished bot message in chat (one that is
// no longer the placeholder or a streaming version) and returns it.
func waitAnswer(t *testing.T, tg *faketg.Server, chat int64, n int, timeout time.Duration) faketg.Sent {
	t.Helper()
	var msgs []faketg.Sent
	done := faketg.Wait(timeout, func() bool {
		msgs = tg.BotMessages(chat)
		if len(msgs) < n {
			return false
		}
		m := msgs[n-1]
		return !strings.HasPrefix(m.Raw, "🔎") && !strings.HasPrefix(m.Raw, "⏳") && !strings.HasPrefix(m.Raw, "📥") && !strings.HasSuffix(m.Raw, "▌")
	})
	if !done {
		var got []string
		for _, m := range msgs {
			got = append(got, m.Raw)
		}
		t.Fatalf("chat %d: no finished message %d after %v; got %q", chat, n, timeout, got)
	}
	return msgs[n-1]
}

func TestBotCommandAnswersOverTheBotAPIAndStopsOnCancel(t *testing.T) {
	tg := faketg.New(testToken)
	defer tg.Close()
	d := newBotDirs(t)
	getenv := envFunc(map[string]string{
		"TELEGRAM_BOT_TOKEN":         testToken,
		"POLICYBOT_TELEGRAM_API_URL": tg.URL,
		"POLICYBOT_ALLOWED_USERS":    "1001",
		"POLICYBOT_ADMINS":           "9001",
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stderr := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, d.args(), strings.NewReader(""), &bytes.Buffer{}, stderr, getenv) }()

	if !faketg.Wait(60*time.Second, func() bool { return len(tg.Calls("getUpdates")) > 0 }) {
		cancel()
		t.Fatalf("the bot did not start polling within 60 s:\n%s", stderr.String())
	}
	t.Run("a private question is answered from the seeds with sources", func(t *testing.T) {
		tg.SendText(faketg.PrivateChat(alice), &alice, "济源是哪一年撤县建市的", nil)
		m := waitAnswer(t, tg, alice.ID, 1, 10*time.Second)
		if !strings.Contains(m.Raw, "1988") || !strings.Contains(m.Raw, "<b>出处</b>") {
			t.Errorf("got %q, want the year 1988 and the sources", m.Raw)
		}
	})
	t.Run("/reload takes in a new file and answers from it", func(t *testing.T) {
		doc := "王屋山茶园补贴办法\n\n第一条 王屋山茶园补贴标准为每亩二百元，由示范区财政局统一发放。\n"
		if err := os.WriteFile(filepath.Join(d.corpus, "900_tea.txt"), []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		tg.SendText(faketg.PrivateChat(admin), &admin, "/reload", nil)
		m := waitAnswer(t, tg, admin.ID, 1, 30*time.Second)
		if !strings.Contains(m.Raw, "已重新加载文件库") || !strings.Contains(m.Raw, "新增 1 个") {
			t.Errorf("got %q, want a reload summary with one added file", m.Raw)
		}
		tg.SendText(faketg.PrivateChat(alice), &alice, "王屋山茶园补贴标准是多少？", nil)
		m = waitAnswer(t, tg, alice.ID, 2, 10*time.Second)
		if !strings.Contains(m.Raw, "二百元") || !strings.Contains(m.Raw, "王屋山茶园补贴办法") {
			t.Errorf("got %q, want the new file's answer and title", m.Raw)
		}
	})
	t.Run("an admin's upload is stored under uploads and answered from", func(t *testing.T) {
		doc := "王屋山民宿奖励办法\n\n第一条 新评定的星级民宿一次性奖励五万元，由示范区文旅局审核发放。\n"
		tg.SendFile(faketg.PrivateChat(admin), &admin, "民宿奖励.txt", []byte(doc))
		m := waitAnswer(t, tg, admin.ID, 2, 30*time.Second)
		if !strings.Contains(m.Raw, "已收录") || !strings.Contains(m.Raw, "王屋山民宿奖励办法") {
			t.Errorf("got %q, want the upload ingested with its title", m.Raw)
		}
		ents, _ := os.ReadDir(filepath.Join(d.corpus, "uploads"))
		if len(ents) != 1 || !strings.HasPrefix(ents[0].Name(), "民宿奖励_") {
			t.Errorf("got uploads %v, want one file named after the upload", ents)
		}
		tg.SendText(faketg.PrivateChat(alice), &alice, "星级民宿奖励多少？", nil)
		m = waitAnswer(t, tg, alice.ID, 3, 10*time.Second)
		if !strings.Contains(m.Raw, "五万元") {
			t.Errorf("got %q, want the uploaded file's answer", m.Raw)
		}
	})

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run returned %v after cancel, want nil", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return 15 s after cancel")
	}
	if strings.Contains(stderr.String(), testToken) {
		t.Errorf("the token appears in the log")
	}
	if !strings.Contains(stderr.String(), "bot starting") {
		t.Errorf("no start line in the log:\n%s", stderr.String())
	}
}

func TestBotCommandRefusesToStartMisconfigured(t *testing.T) {
	tests := []struct {
		name   string
		vars   map[string]string
		args   []string
		want   string
		wantIs error
	}{
		{"without a token it says which variable to set", map[string]string{"POLICYBOT_ALLOWED_USERS": "1001"}, nil,
			"TELEGRAM_BOT_TOKEN is not set", nil},
		{"without an allowlist it refuses an open bot", map[string]string{"TELEGRAM_BOT_TOKEN": testToken}, nil,
			"--public", bot.ErrNoAllowlist},
		{"with a bad allowed id it names the id", map[string]string{"TELEGRAM_BOT_TOKEN": testToken, "POLICYBOT_ALLOWED_USERS": "alice"}, nil,
			"alice", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newBotDirs(t)
			err := run(context.Background(), d.args(tc.args...), strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}, envFunc(tc.vars))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got error %v, want one mentioning %q", err, tc.want)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("got %v, want it to wrap %v", err, tc.wantIs)
			}
			if _, err := os.Stat(d.index); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("an index was built before the configuration was checked (stat: %v)", err)
			}
		})
	}
}
