package bot

import (
	"runtime"
	"testing"
	"time"
)

func TestGateLetsAnswersGoFirst(t *testing.T) {
	t.Run("Yield returns when no answer is in progress", func(t *testing.T) {
		g := NewGate()
		g.enter()
		g.leave()
		yielded := make(chan struct{})
		go func() { g.Yield(); close(yielded) }()
		<-yielded
	})
	t.Run("an answer ending wakes a waiting Yield", func(t *testing.T) {
		g := NewGate()
		g.enter()
		g.enter()
		g.leave()
		g.mu.Lock()
		idle := g.idle
		g.mu.Unlock()
		select {
		case <-idle:
			t.Fatal("the gate is idle with one answer still in progress")
		default:
		}
		g.leave()
		<-idle // closed by the last leave
	})
	t.Run("Yield gives up after maxYield under a steady stream of answers", func(t *testing.T) {
		g := NewGate()
		g.enter()
		defer g.leave()
		start := time.Now()
		g.Yield()
		if d := time.Since(start); d < maxYield {
			t.Errorf("Yield returned after %v with an answer in progress, want %v", d, maxYield)
		}
	})
}

func TestLowPriorityRunsFnAndRestoresGOMAXPROCS(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	var during int
	ran := false
	lowPriority(func() {
		ran = true
		during = runtime.GOMAXPROCS(0)
	})
	if !ran {
		t.Fatal("fn did not run")
	}
	if during != before+1 {
		t.Errorf("got GOMAXPROCS %d while running, want %d", during, before+1)
	}
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("got GOMAXPROCS %d after, want %d again", got, before)
	}
}
