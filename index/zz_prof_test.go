package index

import (
	"runtime"
	"testing"
)

func TestZZOpenReal(t *testing.T) {
	ix, err := Open("/tmp/ix-q2")
	if err != nil {
		t.Skip(err)
	}
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	t.Logf("chunks %d units %d heap %d MB", len(ix.Chunks), ix.VectorCount(), m.HeapInuse>>20)
}
