package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"policybot/internal/faketg"
	"policybot/internal/testengine"
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

// ingestingLibrary counts the ingests in progress.
type ingestingLibrary struct {
	*testengine.Library
	busy atomic.Int32
}

func (l *ingestingLibrary) Ingest(ctx context.Context) (map[string]error, error) {
	l.busy.Add(1)
	defer l.busy.Add(-1)
	return l.Library.Ingest(ctx)
}

// bigPolicyDoc is a document of about 40 KB (some 100 chunks to parse and
// embed), different for each n.
func bigPolicyDoc(n int) []byte {
	var s strings.Builder
	fmt.Fprintf(&s, "关于推进第%d批民生工程建设的通知\n济源市人民政府办公室\n2026年5月%d日\n\n", n, n%28+1)
	for i := range 100 {
		fmt.Fprintf(&s, "%s、第%d项工程\n到2027年，全市建成第%d批第%d项民生设施%d座，覆盖所有镇（街道），服务人口达到%d万人，市财政每年安排专项资金%d千万元。\n\n",
			cnNumber(i+1), i+1, n, i+1, 10+i, 20+n+i, 3+i)
	}
	return []byte(s.String())
}

func cnNumber(i int) string {
	d := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case i < 10:
		return d[i]
	case i < 20:
		return "十" + d[i-10]
	case i < 100:
		return d[i/10] + "十" + d[i%10]
	}
	return d[i/100] + "百" + d[i/10%10] + "十" + d[i%10]
}

// BenchmarkAnswerDuringIngest measures the latency of answers (update to
// final answer, real extractive engine over the seeds) while the bot is idle
// and while an admin's upload (a 40 KB document) is being ingested. The two
// are measured in alternation, up to 10 answers during an upload and as many
// after it, one upload after another, so a change in the machine's load
// hits both alike. Only answers that started and ended
// during an ingest count as "ingest".
func BenchmarkAnswerDuringIngest(b *testing.B) {
	var lib *ingestingLibrary
	gate := NewGate()
	env := newTestBot(b, func(o *Options) {
		o.Public, o.AllowedUsers = true, nil
		o.Gate = gate
	}, func(*testEngine) Answerer {
		lib = &ingestingLibrary{Library: testengine.NewLibrary(b)}
		lib.Yield = gate.Yield
		return lib
	})
	asked := 0
	ask := func() time.Duration {
		asked++
		u := faketg.User{ID: int64(300000 + asked), FirstName: "U"}
		t0 := time.Now()
		env.tg.SendText(faketg.PrivateChat(u), &u, "济源是哪一年撤县建市的？", nil)
		m := env.waitFinal(u.ID, 1)[0]
		return m.EditTimes[len(m.EditTimes)-1].Sub(t0)
	}
	ask() // warm up
	var idle, during []time.Duration
	uploads := 0
	// perUpload bounds the answers measured during one upload, so the
	// measurement spans several uploads, alternating with idle ones.
	const perUpload = 10
	b.ResetTimer()
	for len(during) < b.N || len(idle) < b.N {
		uploads++
		done := make(chan struct{})
		go func(n int) {
			defer close(done)
			env.upload(admin, fmt.Sprintf("民生工程%d.txt", n), bigPolicyDoc(n))
		}(uploads)
		if !faketg.Wait(time.Minute, func() bool { return lib.busy.Load() > 0 }) {
			b.Fatal("no ingest started within a minute")
		}
		k := 0
		for lib.busy.Load() > 0 && k < perUpload {
			d := ask()
			if lib.busy.Load() > 0 {
				during = append(during, d)
				k++
			}
		}
		<-done
		for range max(k, 1) {
			idle = append(idle, ask())
		}
	}
	b.StopTimer()
	report(b, "idle", idle)
	report(b, "ingest", during)
	b.ReportMetric(float64(percentile(during, 50))/float64(percentile(idle, 50)), "x-p50-ingest/idle")
	b.ReportMetric(float64(percentile(during, 95))/float64(percentile(idle, 95)), "x-p95-ingest/idle")
	b.ReportMetric(float64(uploads), "uploads")
}
