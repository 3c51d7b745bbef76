package bot

import (
	"sync"
	"time"
)

// rateLimiter allows each user n questions in any sliding minute.
type rateLimiter struct {
	n      int
	window time.Duration

	mu     sync.Mutex
	recent map[int64][]time.Time
	warned map[int64]bool // told about the limit in the current window
}

func newRateLimiter(n int, window time.Duration) *rateLimiter {
	return &rateLimiter{n: n, window: window, recent: make(map[int64][]time.Time), warned: make(map[int64]bool)}
}

// allow records a question by user at now and reports whether it is within
// the limit. When it is not, wait is how long until the oldest question
// leaves the window, and warn is true only the first time in that window,
// so a user who keeps sending gets one polite reply, not one per message.
func (r *rateLimiter) allow(user int64, now time.Time) (ok bool, wait time.Duration, warn bool) {
	if r.n <= 0 {
		return true, 0, false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	ts := r.recent[user]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= r.window {
		i++
	}
	ts = ts[i:]
	if len(ts) >= r.n {
		r.recent[user] = ts
		warn = !r.warned[user]
		r.warned[user] = true
		return false, r.window - now.Sub(ts[0]), warn
	}
	delete(r.warned, user)
	r.recent[user] = append(ts, now)
	if len(r.recent) > 1024 {
		for u, ts := range r.recent {
			if len(ts) == 0 || now.Sub(ts[len(ts)-1]) >= r.window {
				delete(r.recent, u)
				delete(r.warned, u)
			}
		}
	}
	return true, 0, false
}

// onceEvery remembers when each key was last told something, so a denied
// user gets the refusal at most once per interval.
type onceEvery struct {
	every time.Duration

	mu   sync.Mutex
	last map[int64]time.Time
}

func newOnceEvery(every time.Duration) *onceEvery {
	return &onceEvery{every: every, last: make(map[int64]time.Time)}
}

// take reports whether key may be told again at now, and if so records it.
func (o *onceEvery) take(key int64, now time.Time) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if t, ok := o.last[key]; ok && now.Sub(t) < o.every {
		return false
	}
	o.last[key] = now
	if len(o.last) > 4096 {
		for k, t := range o.last {
			if now.Sub(t) >= o.every {
				delete(o.last, k)
			}
		}
	}
	return true
}
