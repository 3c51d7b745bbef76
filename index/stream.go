package index

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"

	"policybot/ingest"
)

// streamWriter writes a generation's chunks.bin and vectors.f32 (store.go's
// layouts) as the build goes, file by file, without holding the corpus:
// chunk records and vectors go to temporary files, and close puts each
// file's header (counts, length, checksum, units per chunk) in front.
//
// FileEntry.ChunkOffset counts from the first chunk record, which follows
// the header and the chunk count; a build reads an unchanged file's chunk
// records and vectors back from the previous generation (previous).
type streamWriter struct {
	dir      string
	chunks   *os.File
	cw       *bufio.Writer
	nchunks  int
	recBytes int64    // chunk record bytes written
	vectors  *os.File // every chunk's first unit
	vw       *bufio.Writer
	rest     *os.File // the other units
	rw       *bufio.Writer
	heads    int
	dim      int
	units    int
	counts   []byte // units per chunk, u16 each
	rec      []byte
}

func newStreamWriter(dir string) (*streamWriter, error) {
	w := &streamWriter{dir: dir}
	var err error
	if w.chunks, err = os.Create(dir + "/" + chunksFile + ".part"); err != nil {
		return nil, err
	}
	if w.vectors, err = os.Create(dir + "/" + vectorsFile + ".part"); err != nil {
		w.chunks.Close()
		return nil, err
	}
	if w.rest, err = os.Create(dir + "/" + vectorsFile + ".rest.part"); err != nil {
		w.chunks.Close()
		w.vectors.Close()
		return nil, err
	}
	w.cw = bufio.NewWriterSize(w.chunks, 1<<20)
	w.vw = bufio.NewWriterSize(w.vectors, 1<<20)
	w.rw = bufio.NewWriterSize(w.rest, 1<<20)
	return w, nil
}

// abort closes the temporary files; the generation folder is removed.
func (w *streamWriter) abort() {
	w.chunks.Close()
	w.vectors.Close()
	w.rest.Close()
}

// Chunk record flags: flagOCR marks text recognized from page images;
// flagReview and flagPlan the chunk's time kind (ingest.TimeReview, TimePlan).
const (
	flagOCR    = 1
	flagReview = 2
	flagPlan   = 4
)

// appendChunkRecord encodes one chunk record of chunks.bin (store.go).
func appendChunkRecord(p []byte, c *ingest.Chunk) []byte {
	str := func(s string) { p = binary.AppendUvarint(p, uint64(len(s))); p = append(p, s...) }
	num := func(n int) { p = binary.AppendUvarint(p, uint64(max(n, 0))) }
	for _, s := range [...]string{c.ID, c.DocID, c.Source, c.Title, c.Section, c.Date, c.Kind, c.Text, c.Folded} {
		str(s)
	}
	flags := 0
	if c.OCR {
		flags |= flagOCR
	}
	switch c.TimeKind {
	case ingest.TimeReview:
		flags |= flagReview
	case ingest.TimePlan:
		flags |= flagPlan
	}
	for _, n := range [...]int{c.Start, c.End, c.LineStart, c.LineEnd, c.Page, c.PageEnd, flags} {
		num(n)
	}
	num(len(c.Headings))
	for _, h := range c.Headings {
		str(h)
	}
	num(len(c.Years))
	for _, y := range c.Years {
		num(y)
	}
	return p
}

// decodeChunkRecords decodes n chunk records.
func decodeChunkRecords(b []byte, n int) ([]ingest.Chunk, error) {
	d := storeDecoder{s: string(b)}
	chunks := make([]ingest.Chunk, n)
	var headings []string
	for i := range chunks {
		if err := d.record(&chunks[i], &headings); err != nil {
			return nil, err
		}
	}
	if d.off != len(d.s) {
		return nil, errCorrupt
	}
	return chunks, nil
}

// addChunks writes encoded chunk records of n chunks.
func (w *streamWriter) addChunks(recs []byte, n int) error {
	w.nchunks += n
	w.recBytes += int64(len(recs))
	_, err := w.cw.Write(recs)
	return err
}

// addUnits writes the vectors of one chunk; each is normalized if it is
// not (as chromem-go did).
func (w *streamWriter) addUnits(vs [][]float32) error {
	if len(vs) > math.MaxUint16 || len(vs) == 0 {
		return fmt.Errorf("%d vectors for one chunk", len(vs))
	}
	w.counts = binary.LittleEndian.AppendUint16(w.counts, uint16(len(vs)))
	for k, v := range vs {
		if w.dim == 0 {
			w.dim = len(v)
		}
		if len(v) != w.dim || len(v) == 0 {
			return fmt.Errorf("vectors of %d and %d dimensions", w.dim, len(v))
		}
		if !isNormalized(v) {
			v = normalize(v)
		}
		b := w.rec[:0]
		for _, x := range v {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
		}
		w.rec = b
		out := w.rw
		if k == 0 {
			out = w.vw
			w.heads++
		}
		if _, err := out.Write(b); err != nil {
			return err
		}
		w.units++
	}
	return nil
}

// addRawUnits copies the vectors of chunks with the given unit counts,
// stored as little-endian float32 of dimension dim: head holds each
// chunk's first unit, rest the others in order.
func (w *streamWriter) addRawUnits(dim int, counts []uint16, head, rest []byte) error {
	if w.dim == 0 {
		w.dim = dim
	}
	if dim != w.dim {
		return fmt.Errorf("vectors of %d and %d dimensions", w.dim, dim)
	}
	for _, n := range counts {
		w.counts = binary.LittleEndian.AppendUint16(w.counts, n)
		w.units += int(n)
	}
	w.heads += len(counts)
	if _, err := w.vw.Write(head); err != nil {
		return err
	}
	_, err := w.rw.Write(rest)
	return err
}

// close writes chunks.bin and vectors.f32 from the temporary files.
func (w *streamWriter) close() error {
	defer w.abort()
	if err := w.cw.Flush(); err != nil {
		return err
	}
	if err := w.vw.Flush(); err != nil {
		return err
	}
	if err := w.rw.Flush(); err != nil {
		return err
	}
	// chunks.bin: header | uvarint(n) | records, the checksum over both.
	n := binary.AppendUvarint(nil, uint64(w.nchunks))
	if err := assemble(w.dir+"/"+chunksFile, func(f *os.File) error {
		hdr := make([]byte, chunkHeader)
		if _, err := f.Write(hdr); err != nil {
			return err
		}
		if _, err := f.Write(n); err != nil {
			return err
		}
		h := crc32.New(castagnoli)
		h.Write(n)
		if _, err := io.Copy(io.MultiWriter(f, h), io.NewSectionReader(w.chunks, 0, w.recBytes)); err != nil {
			return err
		}
		hdr = hdr[:0]
		hdr = append(hdr, chunkMagic...)
		hdr = binary.LittleEndian.AppendUint16(hdr, chunkVersion)
		hdr = binary.LittleEndian.AppendUint64(hdr, uint64(len(n))+uint64(w.recBytes))
		hdr = binary.LittleEndian.AppendUint32(hdr, h.Sum32())
		_, err := f.WriteAt(hdr, 0)
		return err
	}); err != nil {
		return fmt.Errorf("write %s: %w", chunksFile, err)
	}
	// vectors.f32: header | units per chunk, padded to 4 bytes | vectors.
	if err := assemble(w.dir+"/"+vectorsFile, func(f *os.File) error {
		counts := w.counts
		if len(counts)%4 != 0 {
			counts = append(counts, 0, 0)
		}
		hdr := make([]byte, 0, vectorHeader+len(counts))
		hdr = append(hdr, vectorMagic...)
		hdr = binary.LittleEndian.AppendUint16(hdr, vectorVersion)
		hdr = binary.LittleEndian.AppendUint32(hdr, uint32(w.dim))
		hdr = binary.LittleEndian.AppendUint64(hdr, uint64(w.nchunks))
		hdr = binary.LittleEndian.AppendUint64(hdr, uint64(w.units))
		hdr = append(hdr, make([]byte, vectorHeader-len(hdr))...)
		if _, err := f.Write(append(hdr, counts...)); err != nil {
			return err
		}
		// The heads, then the rest; from one file to the other:
		// copy_file_range, in the kernel.
		row := int64(w.dim) * 4
		for _, part := range []struct {
			f *os.File
			n int64
		}{{w.vectors, int64(w.heads) * row}, {w.rest, int64(w.units-w.heads) * row}} {
			if _, err := part.f.Seek(0, io.SeekStart); err != nil {
				return err
			}
			n, err := io.Copy(f, &io.LimitedReader{R: part.f, N: part.n})
			if err == nil && n != part.n {
				err = fmt.Errorf("copied %d of %d bytes", n, part.n)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("write %s: %w", vectorsFile, err)
	}
	os.Remove(w.chunks.Name())
	os.Remove(w.vectors.Name())
	os.Remove(w.rest.Name())
	return nil
}

// assemble writes path with write and syncs it.
func assemble(path string, write func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// vectorsAt returns the offset of the first vector in a vectors.f32 of
// nchunks chunks.
func vectorsAt(nchunks int) int64 { return int64(vectorHeader + (2*nchunks+3)/4*4) }

// isNormalized and normalize are chromem-go's, which stored the vectors
// before: the same tolerance and arithmetic give the same vectors.
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

// noEmbedding is the vector collection's embedding function: vectors are
// always supplied, so chromem-go must never compute one itself.
func noEmbedding(context.Context, string) ([]float32, error) {
	return nil, errors.New("policybot supplies vectors; chromem-go must not embed")
}
