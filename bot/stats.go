package bot

import (
	"slices"
	"sync"
	"time"
)

// stats counts questions and keeps recent latencies for /stats.
type stats struct {
	mu        sync.Mutex
	questions int
	failed    int
	latencies []time.Duration // ring of the most recent answers
	next      int
}

const latencyWindow = 1000

func (s *stats) record(d time.Duration, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.questions++
	if !ok {
		s.failed++
	}
	if len(s.latencies) < latencyWindow {
		s.latencies = append(s.latencies, d)
		return
	}
	s.latencies[s.next] = d
	s.next = (s.next + 1) % latencyWindow
}

// snapshot returns the counts and the 50th and 95th latency percentiles.
func (s *stats) snapshot() (questions, failed int, p50, p95 time.Duration) {
	s.mu.Lock()
	l := slices.Clone(s.latencies)
	questions, failed = s.questions, s.failed
	s.mu.Unlock()
	slices.Sort(l)
	return questions, failed, percentile(l, 50), percentile(l, 95)
}

// percentile uses the nearest-rank method on sorted durations.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}
