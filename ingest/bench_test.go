package ingest

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user and system CPU time so far. On a shared
// machine wall-clock MB/s depends on the other tenants; MB per CPU second
// does not (much).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchFormat runs fn b.N times and reports MB/s of the input (wall
// clock, as SetBytes does) and cpu-MB/s: input megabytes per CPU second.
func benchFormat(b *testing.B, size int, fn func() error) {
	b.SetBytes(int64(size))
	c0 := cpuTime()
	for b.Loop() {
		if err := fn(); err != nil {
			b.Fatal(err)
		}
	}
	if cpu := (cpuTime() - c0).Seconds(); cpu > 0 {
		b.ReportMetric(float64(size)*float64(b.N)/cpu/1e6, "cpu-MB/s")
	}
}
