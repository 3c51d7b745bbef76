package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"policybot/internal/testengine"
	"policybot/rag"
)

// recorder answers with the real engine and keeps the queries it was given.
type recorder struct {
	eng *rag.Engine
	mu  sync.Mutex
	qs  []rag.Query
}

func (r *recorder) Answer(ctx context.Context, q rag.Query, onPartial func(string)) (*rag.Result, error) {
	r.mu.Lock()
	r.qs = append(r.qs, q)
	r.mu.Unlock()
	return r.eng.Answer(ctx, q, onPartial)
}

func TestChatKeepsHistoryForFollowUps(t *testing.T) {
	rec := &recorder{eng: testengine.Seeds(t)}
	in := "济源是哪一年撤县建市的\n当时经谁批准？\n\n/new\n当时经谁批准？\n"
	var out bytes.Buffer
	if err := chat(context.Background(), rec, strings.NewReader(in), &out); err != nil {
		t.Fatalf("chat: %v", err)
	}
	got := out.String()
	if len(rec.qs) != 3 {
		t.Fatalf("got %d questions, want 3 (the blank line and /new are no questions):\n%s", len(rec.qs), got)
	}
	tests := []struct {
		name      string
		q         rag.Query
		wantTurns int
	}{
		{"the first question has no history", rec.qs[0], 0},
		{"the follow-up carries the first question and its answer", rec.qs[1], 2},
		{"after /new the history is empty", rec.qs[2], 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.q.History) != tc.wantTurns {
				t.Errorf("got %d turns, want %d", len(tc.q.History), tc.wantTurns)
			}
		})
	}
	if h := rec.qs[1].History; len(h) == 2 && (h[0] != rag.Turn{Role: "user", Content: "济源是哪一年撤县建市的"} || h[1].Role != "assistant" || !strings.Contains(h[1].Content, "1988")) {
		t.Errorf("got history %+v, want the question then the answer", h)
	}
	for _, want := range []string{"问> ", "1988", "来源：", "（理解为：", "已开始新的对话。"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, chatPrompt); n != 6 {
		t.Errorf("got %d prompts, want 6 (five lines, then end of input)", n)
	}
	if n := strings.Count(got, "（理解为："); n != 1 {
		t.Errorf("got %d rewritten follow-ups, want 1 (not after /new):\n%s", n, got)
	}
}

func TestChatEndsAndBoundsHistory(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		questions int
		lastTurns int
	}{
		{"/quit ends before later lines", "济源是哪一年撤县建市的\n/quit\n源城区的工作重点？\n", 1, 0},
		{"the history keeps the last six messages", strings.Repeat("济源是哪一年撤县建市的\n", 5), 5, chatTurns},
		{"end of input without a newline still asks", "济源是哪一年撤县建市的", 1, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{eng: testengine.Seeds(t)}
			var out bytes.Buffer
			if err := chat(context.Background(), rec, strings.NewReader(tc.in), &out); err != nil {
				t.Fatalf("chat: %v", err)
			}
			if len(rec.qs) != tc.questions {
				t.Fatalf("got %d questions, want %d", len(rec.qs), tc.questions)
			}
			if got := len(rec.qs[len(rec.qs)-1].History); got != tc.lastTurns {
				t.Errorf("got %d turns with the last question, want %d", got, tc.lastTurns)
			}
		})
	}
}

func TestChatCommandAnswersFromTheCorpus(t *testing.T) {
	root, err := testengine.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	args := []string{"chat", "--corpus", filepath.Join(root, "seeds"), "--index", filepath.Join(t.TempDir(), "index")}
	err = run(context.Background(), args, strings.NewReader("济源是哪一年撤县建市的\n/quit\n"), &out, &errOut, envFunc(nil))
	if err != nil {
		t.Fatalf("run chat: %v\n%s", err, errOut.String())
	}
	if !strings.HasPrefix(out.String(), "请输入问题") || !strings.Contains(out.String(), chatPrompt) || !strings.Contains(out.String(), "1988") {
		t.Errorf("got output %q, want a greeting, the prompt and the answer", out.String())
	}
}

func TestChatKeepsThePreviousResultForFollowUps(t *testing.T) {
	rec := &recorder{eng: testengine.Seeds(t)}
	in := "总体方案里的基本原则有哪些？\n第三条具体怎么说的？\n/new\n第三条具体怎么说的？\n"
	var out bytes.Buffer
	if err := chat(context.Background(), rec, strings.NewReader(in), &out); err != nil {
		t.Fatalf("chat: %v", err)
	}
	if len(rec.qs) != 3 {
		t.Fatalf("got %d questions, want 3", len(rec.qs))
	}
	t.Run("the first question has no previous result", func(t *testing.T) {
		if rec.qs[0].Previous != nil {
			t.Errorf("got %+v, want nil", rec.qs[0].Previous)
		}
	})
	t.Run("the follow-up carries the first result", func(t *testing.T) {
		p := rec.qs[1].Previous
		if p == nil || p.Question != "总体方案里的基本原则有哪些？" || len(p.Passages) == 0 {
			t.Errorf("got %+v, want the first question's result with its passages", p)
		}
	})
	t.Run("after /new there is no previous result", func(t *testing.T) {
		if rec.qs[2].Previous != nil {
			t.Errorf("got %+v, want nil", rec.qs[2].Previous)
		}
	})
	t.Run("the follow-up is answered from the third principle", func(t *testing.T) {
		if !strings.Contains(out.String(), "省直管体制优势") {
			t.Errorf("output lacks the third principle's text:\n%s", out.String())
		}
	})
}
