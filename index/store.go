package index

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"runtime"
	"sync"
	"unsafe"

	"github.com/philippgille/chromem-go"

	"policybot/ingest"
)

// The two files a generation is loaded from in one read each (format 2):
//
//	chunks.bin:  magic "PBCHK" | version u16 | payload length u64 | payload CRC-32C u32
//	             payload: nchunks uvarint, then per chunk the strings
//	             ID DocID Source Title Section Date Kind Text Folded
//	             (uvarint length, bytes), the integers Start End LineStart
//	             LineEnd Page PageEnd and flags (1: OCR text, 2: a review,
//	             4: a plan) (uvarints), the headings (count, then strings)
//	             and the years it is about (count, then uvarints).
//	vectors.f32: magic "PBVEC" | version u16 | dim u32 | nchunks u64 | nunits u64
//	             | 5 zero bytes | nchunks × units of the chunk u16 (in chunks.bin order)
//	             | padding to 4 bytes | nunits × dim float32, little endian:
//	             first every chunk's first unit (its whole text) in chunk
//	             order, the vectors the dense search scans, contiguous; then
//	             the other units (its sentences), chunk by chunk in
//	             VectorUnits order. Every chunk has at least one unit.
//
// Loading maps chunks.bin into memory, every chunk's strings slices of it,
// and vectors.f32, every vector a slice of it: no per-field allocation, no
// decoding beyond varints. Where the system allows mapping, both stay in
// the page cache, shared between processes, off the Go heap.
const (
	chunkMagic    = "PBCHK"
	chunkVersion  = 3 // 2: a flags number after the pages (OCR); 3: time kind flags and years
	vectorMagic   = "PBVEC"
	vectorVersion = 2
	chunkHeader   = len(chunkMagic) + 2 + 8 + 4
	vectorHeader  = len(vectorMagic) + 2 + 4 + 8 + 8 + 5 // 32: the vectors start 4-aligned
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// writeChunkStore writes chunks in the chunks.bin layout.
func writeChunkStore(w io.Writer, chunks []ingest.Chunk) error {
	p := binary.AppendUvarint(nil, uint64(len(chunks)))
	for i := range chunks {
		p = appendChunkRecord(p, &chunks[i])
	}
	hdr := make([]byte, 0, chunkHeader)
	hdr = append(hdr, chunkMagic...)
	hdr = binary.LittleEndian.AppendUint16(hdr, chunkVersion)
	hdr = binary.LittleEndian.AppendUint64(hdr, uint64(len(p)))
	hdr = binary.LittleEndian.AppendUint32(hdr, crc32.Checksum(p, castagnoli))
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	_, err := w.Write(p)
	return err
}

// errCorrupt is wrapped by the store readers' errors for files that are
// not what the writer wrote.
var errCorrupt = errors.New("corrupt or truncated")

// readChunkStore maps a chunks.bin file into memory; the chunks' strings
// point into it, in the page cache, off the Go heap.
func readChunkStore(path string) ([]ingest.Chunk, error) {
	return mapAndDecode(path, decodeChunkStore)
}

// mapAndDecode maps the file at path into memory and decodes it.
func mapAndDecode[T any](path string, decode func([]byte) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return zero, fmt.Errorf("read %s: %w", path, err)
	}
	b, err := mapFile(f, fi.Size())
	if err != nil {
		return zero, fmt.Errorf("map %s: %w", path, err)
	}
	v, err := decode(b)
	if err != nil {
		return zero, fmt.Errorf("read %s: %w", path, err)
	}
	return v, nil
}

func decodeChunkStore(b []byte) ([]ingest.Chunk, error) {
	if len(b) < chunkHeader || string(b[:len(chunkMagic)]) != chunkMagic {
		return nil, fmt.Errorf("bad header: %w", errCorrupt)
	}
	h := b[len(chunkMagic):]
	if v := binary.LittleEndian.Uint16(h); v != chunkVersion {
		return nil, fmt.Errorf("version %d, want %d: %w", v, chunkVersion, errCorrupt)
	}
	size, sum := binary.LittleEndian.Uint64(h[2:]), binary.LittleEndian.Uint32(h[10:])
	p := b[chunkHeader:]
	if uint64(len(p)) != size {
		return nil, fmt.Errorf("payload is %d bytes, header says %d: %w", len(p), size, errCorrupt)
	}
	if crc32.Checksum(p, castagnoli) != sum {
		return nil, fmt.Errorf("checksum mismatch: %w", errCorrupt)
	}
	if len(p) == 0 {
		return nil, fmt.Errorf("empty payload: %w", errCorrupt)
	}
	// The payload is never written to again: its strings share its memory.
	s := unsafe.String(&p[0], len(p))
	d := storeDecoder{s: s}
	n := d.num()
	if n > len(s) {
		return nil, fmt.Errorf("%d chunks in %d bytes: %w", n, len(s), errCorrupt)
	}
	chunks := make([]ingest.Chunk, n)
	var headings []string
	for i := range chunks {
		if err := d.record(&chunks[i], &headings); err != nil {
			return nil, fmt.Errorf("chunk %d: %w", i, err)
		}
	}
	if d.off != len(s) {
		return nil, fmt.Errorf("%d trailing bytes: %w", len(s)-d.off, errCorrupt)
	}
	return chunks, nil
}

// record decodes one chunk record (appendChunkRecord's layout) into c. Its
// headings are cut from *slab, refilled as it runs out, so a store of many
// chunks allocates them in large blocks.
func (d *storeDecoder) record(c *ingest.Chunk, slab *[]string) error {
	for _, f := range [...]*string{&c.ID, &c.DocID, &c.Source, &c.Title, &c.Section, &c.Date, &c.Kind, &c.Text, &c.Folded} {
		*f = d.str()
	}
	for _, f := range [...]*int{&c.Start, &c.End, &c.LineStart, &c.LineEnd, &c.Page, &c.PageEnd} {
		*f = d.num()
	}
	flags := d.num()
	c.OCR = flags&flagOCR != 0
	switch {
	case flags&flagReview != 0:
		c.TimeKind = ingest.TimeReview
	case flags&flagPlan != 0:
		c.TimeKind = ingest.TimePlan
	}
	if nh := d.num(); nh > 0 && d.err == nil {
		if nh > len(d.s) {
			return fmt.Errorf("%d headings: %w", nh, errCorrupt)
		}
		if len(*slab) < nh {
			*slab = make([]string, max(nh, 4096))
		}
		c.Headings, *slab = (*slab)[:nh:nh], (*slab)[nh:]
		for j := range c.Headings {
			c.Headings[j] = d.str()
		}
	}
	if ny := d.num(); ny > 0 && d.err == nil {
		if ny > len(d.s) {
			return fmt.Errorf("%d years: %w", ny, errCorrupt)
		}
		if len(d.years) < ny {
			d.years = make([]int, max(ny, 4096))
		}
		c.Years, d.years = d.years[:ny:ny], d.years[ny:]
		for j := range c.Years {
			c.Years[j] = d.num()
		}
	}
	return d.err
}

// storeDecoder reads uvarints and strings from a string, remembering the
// first error.
type storeDecoder struct {
	s     string
	off   int
	err   error
	years []int // a slab the records' years are cut from
}

func (d *storeDecoder) num() int {
	var x uint64
	for shift := uint(0); ; shift += 7 {
		if d.off >= len(d.s) || shift > 63 {
			d.fail()
			return 0
		}
		c := d.s[d.off]
		d.off++
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			break
		}
	}
	if x > math.MaxInt32*1024 {
		d.fail()
		return 0
	}
	return int(x)
}

func (d *storeDecoder) str() string {
	n := d.num()
	if d.err != nil || n > len(d.s)-d.off {
		d.fail()
		return ""
	}
	v := d.s[d.off : d.off+n]
	d.off += n
	return v
}

func (d *storeDecoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.off = len(d.s)
}

// writeVectorStore writes the vectors of chunks, in chunk order, in the
// vectors.f32 layout. Every vector must have dim dimensions.
func writeVectorStore(w io.Writer, chunks []ingest.Chunk, vectors map[string][][]float32, dim int) error {
	units := 0
	counts := make([]byte, 0, 2*len(chunks)+2)
	for i := range chunks {
		n := len(vectors[chunks[i].ID])
		if n < 1 || n > math.MaxUint16 {
			return fmt.Errorf("chunk %s has %d vectors", chunks[i].ID, n)
		}
		counts = binary.LittleEndian.AppendUint16(counts, uint16(n))
		units += n
	}
	if len(counts)%4 != 0 {
		counts = append(counts, 0, 0)
	}
	hdr := make([]byte, 0, vectorHeader)
	hdr = append(hdr, vectorMagic...)
	hdr = binary.LittleEndian.AppendUint16(hdr, vectorVersion)
	hdr = binary.LittleEndian.AppendUint32(hdr, uint32(dim))
	hdr = binary.LittleEndian.AppendUint64(hdr, uint64(len(chunks)))
	hdr = binary.LittleEndian.AppendUint64(hdr, uint64(units))
	hdr = append(hdr, 0, 0, 0, 0, 0)
	if _, err := w.Write(append(hdr, counts...)); err != nil {
		return err
	}
	buf := make([]byte, 0, 4*dim)
	put := func(id string, v []float32) error {
		if len(v) != dim {
			return fmt.Errorf("chunk %s: vector of %d dimensions, want %d", id, len(v), dim)
		}
		buf = buf[:0]
		for _, x := range v {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(x))
		}
		_, err := w.Write(buf)
		return err
	}
	for i := range chunks {
		if err := put(chunks[i].ID, vectors[chunks[i].ID][0]); err != nil {
			return err
		}
	}
	for i := range chunks {
		for _, v := range vectors[chunks[i].ID][1:] {
			if err := put(chunks[i].ID, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// vectorStore is a loaded vectors.f32: every vector of every chunk, flat.
type vectorStore struct {
	dim    int
	counts []uint16  // units per chunk, in chunk order
	first  []int32   // index in rest of each chunk's second unit
	chunk  []float32 // each chunk's first unit, dim floats each
	rest   []float32 // the other units
	scan   []float32 // chunk folded to poolDim for chromem-go (nil: chunk itself)
}

// readVectorStore maps a vectors.f32 file into memory: the vectors are
// used where they lie, page cache warm, and never copied onto the heap.
func readVectorStore(path string) (*vectorStore, error) {
	return mapAndDecode(path, decodeVectorStore)
}

func decodeVectorStore(b []byte) (*vectorStore, error) {
	if len(b) < vectorHeader || string(b[:len(vectorMagic)]) != vectorMagic {
		return nil, fmt.Errorf("bad header: %w", errCorrupt)
	}
	h := b[len(vectorMagic):]
	if v := binary.LittleEndian.Uint16(h); v != vectorVersion {
		return nil, fmt.Errorf("version %d, want %d: %w", v, vectorVersion, errCorrupt)
	}
	dim := int(binary.LittleEndian.Uint32(h[2:]))
	nc, nu := binary.LittleEndian.Uint64(h[6:]), binary.LittleEndian.Uint64(h[14:])
	// Units are numbered in int32 (vectorStore.first); the floats are
	// indexed with int, so past 2^31 of them is fine on a 64-bit system.
	if nc > math.MaxInt32 || dim <= 0 || dim > 1<<16 || nu > math.MaxInt32 || nu*uint64(dim) > math.MaxInt/4 {
		return nil, fmt.Errorf("%d chunks of %d dimensions (%d units): %w", nc, dim, nu, errCorrupt)
	}
	nchunks := int(nc)
	cb := b[vectorHeader:]
	clen := (2*nchunks + 3) / 4 * 4
	if uint64(len(cb)) != uint64(clen)+4*nu*uint64(dim) {
		return nil, fmt.Errorf("%d bytes for %d chunks and %d vectors of %d dimensions: %w", len(b), nchunks, nu, dim, errCorrupt)
	}
	vs := &vectorStore{dim: dim, counts: make([]uint16, nchunks), first: make([]int32, nchunks)}
	total := 0
	for i := range vs.counts {
		vs.counts[i] = binary.LittleEndian.Uint16(cb[2*i:])
		if vs.counts[i] == 0 {
			return nil, fmt.Errorf("chunk %d has no vector: %w", i, errCorrupt)
		}
		vs.first[i] = int32(total - i)
		total += int(vs.counts[i])
	}
	if uint64(total) != nu {
		return nil, fmt.Errorf("unit counts add up to %d, header says %d: %w", total, nu, errCorrupt)
	}
	raw := cb[clen:]
	var flat []float32
	switch {
	case len(raw) == 0:
	case littleEndian && uintptr(unsafe.Pointer(&raw[0]))%4 == 0:
		flat = unsafe.Slice((*float32)(unsafe.Pointer(&raw[0])), len(raw)/4)
	default:
		flat = make([]float32, len(raw)/4)
		for i := range flat {
			flat[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
	}
	vs.chunk, vs.rest = flat[:nchunks*dim], flat[nchunks*dim:]
	return vs, nil
}

var littleEndian = func() bool { x := uint16(1); return *(*byte)(unsafe.Pointer(&x)) == 1 }()

// units returns chunk i's vectors, its first n units.
func (vs *vectorStore) units(i, n int) [][]float32 {
	d := vs.dim
	out := make([][]float32, n)
	out[0] = vs.chunk[i*d : (i+1)*d : (i+1)*d]
	for k := 1; k < n; k++ {
		o := (int(vs.first[i]) + k - 1) * d
		out[k] = vs.rest[o : o+d : o+d]
	}
	return out
}

// best returns the best similarity of q to a unit of chunk i.
func (vs *vectorStore) best(q []float32, i int) float64 {
	b := float32(-2)
	for _, u := range vs.units(i, int(vs.counts[i])) {
		b = max(b, dot(q, u))
	}
	return float64(b)
}

// dot is the dot product of two vectors of equal length, four sums at
// once.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// poolDim is the length the chunk vectors are folded to for chromem-go's
// scan (0: not folded). On dev over the whole real corpus (81,734 chunks),
// against every unit searched whole: 128 gives hit@5 0.800 (was 0.767),
// MRR 0.686 (0.667), retrieval p50 103 ms; 64 gives hit@5 0.767, MRR
// 0.672, citation precision 0.600 (0.581), retrieval p50 48 ms. Folding adds coordinate i into i mod poolDim, which
// for a hashing embedder (the built-in one) is exactly hashing into fewer
// buckets, and for any embedder a fixed sparse projection. The scan only
// picks the pool of candidates; their scores come from the full vectors.
const poolDim = 64

// foldVector folds v to n coordinates, normalized.
func foldVector(v []float32, n int, out []float32) {
	out = out[:n]
	copy(out, v[:n])
	for off := n; off+n <= len(v); off += n {
		for j, x := range v[off : off+n] {
			out[j] += x
		}
	}
	var s float32
	for _, x := range out {
		s += x * x
	}
	if s > 0 {
		r := float32(1 / math.Sqrt(float64(s)))
		for i := range out {
			out[i] *= r
		}
	}
}

// foldable reports whether the store's vectors are folded for the scan.
func (vs *vectorStore) foldable() bool {
	return poolDim > 0 && vs.dim > poolDim && vs.dim%poolDim == 0 && !vs.small()
}

// scanVector returns the vector chromem-go scans for the query v.
func (vs *vectorStore) scanVector(v []float32) []float32 {
	if !vs.foldable() || len(v) != vs.dim {
		return v
	}
	out := make([]float32, poolDim)
	foldVector(v, poolDim, out)
	return out
}

// smallStore is the most vector bytes chromem-go holds whole: below it,
// every unit of every chunk is in the collection, searched exactly and
// nothing rescored, which is faster than a pool on small indexes.
const smallStore = 32 << 20

// small reports whether the collection holds every unit.
func (vs *vectorStore) small() bool { return 4*(len(vs.chunk)+len(vs.rest)) <= smallStore }

// collection fills a chromem-go collection, no embedding function called:
// chromem keeps the slices, which are normalized. A small store gives every
// unit; a larger one each chunk's first unit (folded to poolDim).
func (vs *vectorStore) collection(ctx context.Context, chunks []ingest.Chunk) (*chromem.Collection, error) {
	db := chromem.NewDB()
	col, err := db.CreateCollection(collection, nil, noEmbedding)
	if err != nil {
		return nil, err
	}
	if vs.small() {
		for i := range chunks {
			for k, v := range vs.units(i, int(vs.counts[i])) {
				if err := col.AddDocument(ctx, chromem.Document{ID: unitID(chunks[i].ID, k), Embedding: v}); err != nil {
					return nil, fmt.Errorf("chunk %s: %w", chunks[i].ID, err)
				}
			}
		}
		return col, nil
	}
	d := vs.dim
	scan := vs.chunk
	if vs.foldable() {
		d = poolDim
		vs.scan = make([]float32, len(chunks)*d)
		for i := range chunks {
			foldVector(vs.chunk[i*vs.dim:(i+1)*vs.dim], d, vs.scan[i*d:(i+1)*d])
		}
		scan = vs.scan
	}
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w * len(chunks) / workers; i < (w+1)*len(chunks)/workers; i++ {
				doc := chromem.Document{ID: unitID(chunks[i].ID, 0), Embedding: scan[i*d : (i+1)*d : (i+1)*d]}
				if err := col.AddDocument(ctx, doc); err != nil {
					errs[w] = fmt.Errorf("chunk %s: %w", chunks[i].ID, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return col, nil
}
