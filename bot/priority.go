package bot

import (
	"runtime"
	"sync"
	"time"
)

// Gate lets answers go before ingest work. The bot holds it while it
// computes and delivers an answer; ingest work (an upload, a removal,
// /reload) calls Yield between small steps (index.Yielding wires it into a
// build), which returns at once when no answer is in progress and
// otherwise waits for the answers to finish, up to maxYield each time so
// ingest still moves under a steady stream of questions.
type Gate struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed when n drops to 0
}

// maxYield bounds one wait in Yield.
const maxYield = 20 * time.Millisecond

// NewGate returns a gate with no answer in progress.
func NewGate() *Gate {
	idle := make(chan struct{})
	close(idle)
	return &Gate{idle: idle}
}

func (g *Gate) enter() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n == 0 {
		g.idle = make(chan struct{})
	}
	g.n++
}

func (g *Gate) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n--
	if g.n == 0 {
		close(g.idle)
	}
}

// Yield lets other goroutines run, and waits while answers are in progress
// (at most maxYield).
func (g *Gate) Yield() {
	runtime.Gosched()
	g.mu.Lock()
	idle, busy := g.idle, g.n > 0
	g.mu.Unlock()
	if !busy {
		return
	}
	t := time.NewTimer(maxYield)
	defer t.Stop()
	select {
	case <-idle:
	case <-t.C:
	}
}

// lowPriority runs fn as background work: on an OS thread of its own with
// the lowest scheduling priority (nice 19 on Linux), with one more P
// (GOMAXPROCS) than before while it runs. The extra P keeps fn from taking
// one of the Ps the answers run on (the Go scheduler has no priorities),
// and the priority makes the kernel run the answers' threads first when
// the cores are busy. Measured by BenchmarkAnswerDuringIngest: without
// them (the Gate alone) answers took 3 to 10 times as long at the median
// during an ingest; with them about as long as when idle.
//
// The goroutine keeps the thread locked until it exits, so the thread (and
// its priority) dies with it and never runs other goroutines; threads the
// runtime starts meanwhile are cloned from its template thread, not from
// this one. Goroutines fn starts run at normal priority.
func lowPriority(fn func()) {
	background.enter()
	defer background.leave()
	done := make(chan struct{})
	go func() {
		defer close(done)
		runtime.LockOSThread() // not unlocked: the thread exits with the goroutine
		setThreadNice(19)
		fn()
	}()
	<-done
}

// background counts the lowPriority calls running; the first raises
// GOMAXPROCS by one and the last puts it back.
var background backgroundProcs

type backgroundProcs struct {
	mu   sync.Mutex
	n    int
	prev int
}

func (b *backgroundProcs) enter() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.n == 0 {
		b.prev = runtime.GOMAXPROCS(0)
		runtime.GOMAXPROCS(b.prev + 1)
	}
	b.n++
}

func (b *backgroundProcs) leave() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.n--
	if b.n == 0 {
		runtime.GOMAXPROCS(b.prev)
	}
}
