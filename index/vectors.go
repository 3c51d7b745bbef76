package index

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"sync"
)

// vectorsFile holds every vector unit of a generation, in chunk order:
//
//	header: magic "PBVEC1\x00\x00" | dim u32 | reserved u32      (16 bytes)
//	record: chunk number u32 | unit number u32 | dim × float32  (all little endian)
//
// A chunk's units are consecutive records numbered 0, 1, …; the chunk
// number is the chunk's line in chunks.jsonl. Vectors are stored
// L2-normalized. The records of one source file are the range
// [FileEntry.UnitStart, +Units), so a later build copies them unread.
const (
	vectorsFile  = "vectors.bin"
	vectorsMagic = "PBVEC1\x00\x00"
	vectorsHdr   = 16
)

func recordSize(dim int) int { return 8 + 4*dim }

// vectorWriter appends unit records to a new vectors file.
type vectorWriter struct {
	f   *os.File
	bw  *bufio.Writer
	dim int
	n   int // records written
	buf []byte
}

func createVectors(path string) (*vectorWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	w := &vectorWriter{f: f, bw: bufio.NewWriterSize(f, 1<<20)}
	if _, err := w.bw.Write(make([]byte, vectorsHdr)); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

// add writes one unit of chunk number c; v is normalized if it is not.
func (w *vectorWriter) add(c, k int, v []float32) error {
	if w.dim == 0 {
		w.dim = len(v)
	}
	if len(v) != w.dim || len(v) == 0 {
		return fmt.Errorf("vectors of %d and %d dimensions", w.dim, len(v))
	}
	if !isNormalized(v) {
		v = normalize(v)
	}
	b := w.buf[:0]
	b = binary.LittleEndian.AppendUint32(b, uint32(c))
	b = binary.LittleEndian.AppendUint32(b, uint32(k))
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	w.buf = b
	w.n++
	_, err := w.bw.Write(b)
	return err
}

// addRaw copies records read from another vectors file of the same
// dimension, renumbering their chunks by delta.
func (w *vectorWriter) addRaw(dim int, recs []byte, delta int) error {
	if w.dim == 0 {
		w.dim = dim
	}
	if dim != w.dim {
		return fmt.Errorf("vectors of %d and %d dimensions", w.dim, dim)
	}
	rs := recordSize(dim)
	for p := 0; p+rs <= len(recs); p += rs {
		c := int(binary.LittleEndian.Uint32(recs[p:])) + delta
		binary.LittleEndian.PutUint32(recs[p:], uint32(c))
		w.n++
	}
	_, err := w.bw.Write(recs)
	return err
}

// close writes the header and syncs the file.
func (w *vectorWriter) close() error {
	defer w.f.Close()
	if err := w.bw.Flush(); err != nil {
		return err
	}
	hdr := make([]byte, 0, vectorsHdr)
	hdr = append(hdr, vectorsMagic...)
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(w.dim))
	hdr = binary.LittleEndian.AppendUint32(hdr, 0)
	if _, err := w.f.WriteAt(hdr, 0); err != nil {
		return err
	}
	return w.f.Sync()
}

// vectorHeader reads a vectors file's dimension.
func vectorHeader(r io.ReaderAt) (int, error) {
	hdr := make([]byte, vectorsHdr)
	if _, err := r.ReadAt(hdr, 0); err != nil {
		return 0, err
	}
	if string(hdr[:8]) != vectorsMagic {
		return 0, errors.New("not a vectors file")
	}
	dim := int(binary.LittleEndian.Uint32(hdr[8:]))
	if dim <= 0 || dim > 1<<16 {
		return 0, fmt.Errorf("dimension %d", dim)
	}
	return dim, nil
}

// readRecords reads records [start, start+n) of a vectors file.
func readRecords(r io.ReaderAt, dim, start, n int) ([]byte, error) {
	rs := recordSize(dim)
	b := make([]byte, n*rs)
	if _, err := r.ReadAt(b, int64(vectorsHdr+start*rs)); err != nil {
		return nil, err
	}
	return b, nil
}

// vectorStore is a loaded vectors file: unit i is data[i*dim:(i+1)*dim]
// of chunk number chunk[i].
type vectorStore struct {
	dim   int
	chunk []uint32
	data  []float32
}

func loadVectors(path string) (*vectorStore, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dim, err := vectorHeader(f)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	rs := recordSize(dim)
	if (fi.Size()-vectorsHdr)%int64(rs) != 0 {
		return nil, fmt.Errorf("%d bytes is no whole number of %d-byte records", fi.Size()-vectorsHdr, rs)
	}
	n := int((fi.Size() - vectorsHdr) / int64(rs))
	s := &vectorStore{dim: dim, chunk: make([]uint32, n), data: make([]float32, n*dim)}
	br := bufio.NewReaderSize(io.NewSectionReader(f, vectorsHdr, fi.Size()-vectorsHdr), 1<<20)
	rec := make([]byte, rs)
	for i := 0; i < n; i++ {
		if _, err := io.ReadFull(br, rec); err != nil {
			return nil, err
		}
		s.chunk[i] = binary.LittleEndian.Uint32(rec)
		v := s.data[i*dim : (i+1)*dim]
		for j := range v {
			v[j] = math.Float32frombits(binary.LittleEndian.Uint32(rec[8+4*j:]))
		}
	}
	return s, nil
}

func (s *vectorStore) count() int { return len(s.chunk) }

// unitHit is a unit and its cosine similarity to a query.
type unitHit struct {
	unit int
	sim  float32
}

// search returns the n units most similar to q, best first; ties go to the
// earlier unit.
func (s *vectorStore) search(q []float32, n int) []unitHit {
	if !isNormalized(q) {
		q = normalize(q)
	}
	total := s.count()
	workers := min(runtime.GOMAXPROCS(0), max(1, total/4096))
	parts := make([]hitQueue, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := w*total/workers, (w+1)*total/workers
		wg.Add(1)
		go func(h *hitQueue) {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				v := s.data[i*s.dim : (i+1)*s.dim]
				var dot float32
				for j := range q {
					dot += q[j] * v[j]
				}
				h.offer(unitHit{i, dot}, n)
			}
		}(&parts[w])
	}
	wg.Wait()
	var all hitQueue
	for _, p := range parts {
		for _, h := range p {
			all.offer(h, n)
		}
	}
	out := make([]unitHit, len(all))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&all).(unitHit)
	}
	return out
}

// hitQueue keeps the best n hits; its root is the worst kept.
type hitQueue []unitHit

func worse(a, b unitHit) bool { return a.sim < b.sim || a.sim == b.sim && a.unit > b.unit }

func (h hitQueue) Len() int           { return len(h) }
func (h hitQueue) Less(i, j int) bool { return worse(h[i], h[j]) }
func (h hitQueue) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *hitQueue) Push(x any)        { *h = append(*h, x.(unitHit)) }
func (h *hitQueue) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (h *hitQueue) offer(x unitHit, n int) {
	if len(*h) < n {
		heap.Push(h, x)
		return
	}
	if n > 0 && worse((*h)[0], x) {
		(*h)[0] = x
		heap.Fix(h, 0)
	}
}

// isNormalized and normalize are chromem-go's, which stored the vectors
// before: the same tolerance and arithmetic give the same similarities.
func isNormalized(v []float32) bool {
	var sq float64
	for _, x := range v {
		sq += float64(x) * float64(x)
	}
	return math.Abs(math.Sqrt(sq)-1) < 1e-6
}

func normalize(v []float32) []float32 {
	var norm float32
	for _, x := range v {
		norm += x * x
	}
	norm = float32(math.Sqrt(float64(norm)))
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = x / norm
	}
	return out
}
