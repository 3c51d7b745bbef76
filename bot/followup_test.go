package bot

import (
	"context"
	"strings"
	"sync"
	"testing"

	"policybot/internal/faketg"
	"policybot/internal/testengine"
	"policybot/rag"
)

// recordingEngine is the real engine over the seeds, keeping the queries
// the bot sends it.
type recordingEngine struct {
	*rag.Engine
	mu sync.Mutex
	qs []rag.Query
}

func (r *recordingEngine) Answer(ctx context.Context, q rag.Query, onPartial func(string)) (*rag.Result, error) {
	r.mu.Lock()
	r.qs = append(r.qs, q)
	r.mu.Unlock()
	return r.Engine.Answer(ctx, q, onPartial)
}

func (r *recordingEngine) queries() []rag.Query {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]rag.Query(nil), r.qs...)
}

func TestAFollowUpInTheBotPointsIntoThePreviousResult(t *testing.T) {
	rec := &recordingEngine{Engine: testengine.Seeds(t)}
	env := newTestBot(t, nil, func(*testEngine) Answerer { return rec })
	priv := faketg.PrivateChat(alice)
	env.tg.SendText(priv, &alice, "总体方案里的基本原则有哪些？", nil)
	env.waitFinal(alice.ID, 1)
	env.tg.SendText(priv, &alice, "第三条具体怎么说的？", nil)
	msgs := env.waitFinal(alice.ID, 2)
	env.tg.SendText(priv, &alice, "/new", nil)
	env.settle()
	env.tg.SendText(priv, &alice, "第三条具体怎么说的？", nil)
	env.waitFinal(alice.ID, 3)

	qs := rec.queries()
	if len(qs) != 3 {
		t.Fatalf("got %d questions, want 3", len(qs))
	}
	t.Run("the first question has no previous result", func(t *testing.T) {
		if qs[0].Previous != nil {
			t.Errorf("got %+v, want nil", qs[0].Previous)
		}
	})
	t.Run("the follow-up carries the previous result with its passages", func(t *testing.T) {
		p := qs[1].Previous
		if p == nil || p.Question != "总体方案里的基本原则有哪些？" || len(p.Passages) == 0 {
			t.Errorf("got %+v, want the first result", p)
		}
	})
	t.Run("after /new the follow-up has no previous result", func(t *testing.T) {
		if qs[2].Previous != nil {
			t.Errorf("got %+v, want nil", qs[2].Previous)
		}
	})
	t.Run("the follow-up is answered with the third principle", func(t *testing.T) {
		var all []string
		for _, m := range msgs {
			all = append(all, m.Text)
		}
		if !strings.Contains(strings.Join(all, "\n"), "省直管体制优势") {
			t.Errorf("got messages %q, want the third principle's text", all)
		}
	})
}
