package bot

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"policybot/internal/faketg"
)

// BenchmarkUpdateToAnswer measures, per question in a private chat, the time
// from the update being available to the bot (long polling) to the
// placeholder, to the first streamed text, and to the final answer, with
// the fake model streaming 4 characters every 5 ms. Times are taken by the
// fake Bot API when it accepts each request.
func BenchmarkUpdateToAnswer(b *testing.B) {
	env := newTestBot(b, func(o *Options) {
		o.Public, o.AllowedUsers, o.Admins = true, nil, nil
		o.StreamIntervalPrivate = time.Second
	}, nil)
	env.ai.SetStreamDelay(5 * time.Millisecond)
	var placeholder, first, final []time.Duration
	b.ResetTimer()
	for i := range b.N {
		u := faketg.User{ID: int64(100000 + i), FirstName: "U"}
		t0 := time.Now()
		env.tg.SendText(faketg.PrivateChat(u), &u, "济源的目标？", nil)
		m := env.waitFinal(u.ID, 1)[0]
		placeholder = append(placeholder, m.SentAt.Sub(t0))
		for j, v := range m.Versions[1:] {
			if strings.HasSuffix(v, "▌") {
				first = append(first, m.EditTimes[j].Sub(t0))
				break
			}
		}
		final = append(final, m.EditTimes[len(m.EditTimes)-1].Sub(t0))
	}
	b.StopTimer()
	report(b, "placeholder", placeholder)
	report(b, "first-text", first)
	report(b, "final", final)
}

// BenchmarkFiftyChatsAtOnce measures how long 50 private chats asking at the
// same moment take to be all answered, with 4 answers computed at once.
func BenchmarkFiftyChatsAtOnce(b *testing.B) {
	env := newTestBot(b, func(o *Options) {
		o.Public, o.AllowedUsers, o.Admins = true, nil, nil
		o.MaxConcurrent = 4
	}, nil)
	env.ai.SetStreamDelay(5 * time.Millisecond)
	var batch, each []time.Duration
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		ids := make([]int64, 50)
		for k := range ids {
			ids[k] = int64(200000 + i*50 + k)
			u := faketg.User{ID: ids[k], FirstName: fmt.Sprint("U", k)}
			env.tg.SendText(faketg.PrivateChat(u), &u, "济源的目标？", nil)
		}
		var last time.Duration
		for _, id := range ids {
			m := env.waitFinal(id, 1)[0]
			d := m.EditTimes[len(m.EditTimes)-1].Sub(t0)
			each = append(each, d)
			last = max(last, d)
		}
		batch = append(batch, last)
	}
	b.StopTimer()
	report(b, "all-50", batch)
	report(b, "per-chat", each)
}

func report(b *testing.B, name string, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	slices.Sort(d)
	b.ReportMetric(float64(percentile(d, 50).Microseconds())/1000, "ms-p50-"+name)
	b.ReportMetric(float64(percentile(d, 95).Microseconds())/1000, "ms-p95-"+name)
}
