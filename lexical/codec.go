package lexical

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"unsafe"
)

// Encoded layout (all integers little endian or unsigned varints):
//
//	header:  magic "PBLEX" | version u16 | payload length u64 | payload CRC-32C u32
//	payload: k1 f64 | b f64 | bigram weight f64 | ndocs uvarint
//	         per doc: len(id) uvarint, id bytes, doc length uvarint
//	         nterms uvarint | npostings uvarint
//	         per term (sorted): len(term) uvarint, term bytes, df uvarint,
//	           df × (doc-number delta uvarint, tf uvarint)
const (
	codecMagic   = "PBLEX"
	codecVersion = 1
	headerLen    = len(codecMagic) + 2 + 8 + 4
	maxStringLen = 1 << 20
	preallocMax  = 1 << 16 // largest slice made from an unverified count
)

// ErrCorrupt is returned (wrapped) by Decode for input that is not a valid
// encoded index: wrong magic, unknown version, truncation, bad checksum or
// out-of-range values.
var ErrCorrupt = errors.New("corrupt lexical index")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Encode writes the index in a compact versioned binary form that Decode
// reads back. The payload is assembled in memory before writing so the
// header can carry its length and checksum.
func (ix *Index) Encode(w io.Writer) error {
	var p bytes.Buffer
	var buf []byte
	put := func(v uint64) { buf = binary.AppendUvarint(buf[:0], v); p.Write(buf) }
	putF := func(f float64) { buf = binary.LittleEndian.AppendUint64(buf[:0], math.Float64bits(f)); p.Write(buf) }
	putF(ix.opt.K1)
	putF(ix.opt.B)
	putF(ix.opt.BigramWeight)
	put(uint64(len(ix.ids)))
	for d, id := range ix.ids {
		put(uint64(len(id)))
		p.WriteString(id)
		put(uint64(ix.docLen[d]))
	}
	put(uint64(len(ix.terms)))
	put(uint64(len(ix.docs)))
	for t, term := range ix.terms {
		put(uint64(len(term)))
		p.WriteString(term)
		lo, hi := ix.off[t], ix.off[t+1]
		put(uint64(hi - lo))
		prev := int32(-1)
		for i := lo; i < hi; i++ {
			put(uint64(ix.docs[i] - prev))
			put(uint64(ix.tfs[i]))
			prev = ix.docs[i]
		}
	}

	hdr := make([]byte, 0, headerLen)
	hdr = append(hdr, codecMagic...)
	hdr = binary.LittleEndian.AppendUint16(hdr, codecVersion)
	hdr = binary.LittleEndian.AppendUint64(hdr, uint64(p.Len()))
	hdr = binary.LittleEndian.AppendUint32(hdr, crc32.Checksum(p.Bytes(), castagnoli))
	if _, err := w.Write(hdr); err != nil {
		return fmt.Errorf("write lexical index header: %w", err)
	}
	if _, err := p.WriteTo(w); err != nil {
		return fmt.Errorf("write lexical index payload: %w", err)
	}
	return nil
}

// EncodedLen reads the header of an encoded index and returns the length
// the whole encoding must have, so a damaged file can be told by its size.
func EncodedLen(r io.Reader) (int64, error) {
	hdr := make([]byte, headerLen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return 0, corruptOrRead("header", err)
	}
	if string(hdr[:len(codecMagic)]) != codecMagic {
		return 0, fmt.Errorf("decode lexical index: bad magic %q: %w", hdr[:len(codecMagic)], ErrCorrupt)
	}
	size := binary.LittleEndian.Uint64(hdr[len(codecMagic)+2:])
	if size > math.MaxInt64-uint64(headerLen) {
		return 0, fmt.Errorf("decode lexical index: payload length %d: %w", size, ErrCorrupt)
	}
	return int64(headerLen) + int64(size), nil
}

// Decode reads an index written by Encode. Corrupt or truncated input gives
// an error wrapping ErrCorrupt; read failures are wrapped as they are.
func Decode(r io.Reader) (*Index, error) {
	hdr := make([]byte, headerLen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, corruptOrRead("header", err)
	}
	if string(hdr[:len(codecMagic)]) != codecMagic {
		return nil, fmt.Errorf("decode lexical index: bad magic %q: %w", hdr[:len(codecMagic)], ErrCorrupt)
	}
	rest := hdr[len(codecMagic):]
	if v := binary.LittleEndian.Uint16(rest); v != codecVersion {
		return nil, fmt.Errorf("decode lexical index: unsupported version %d (want %d): %w", v, codecVersion, ErrCorrupt)
	}
	size := binary.LittleEndian.Uint64(rest[2:])
	sum := binary.LittleEndian.Uint32(rest[10:])
	if size > math.MaxInt64 {
		return nil, fmt.Errorf("decode lexical index: payload length %d: %w", size, ErrCorrupt)
	}

	// The payload is read whole (growing with the data actually there, not
	// with what the header claims), checked, then decoded in place.
	payload, err := io.ReadAll(io.LimitReader(r, int64(size)))
	if err != nil {
		return nil, corruptOrRead("payload", err)
	}
	if uint64(len(payload)) != size {
		return nil, fmt.Errorf("decode lexical index payload: truncated: %w", ErrCorrupt)
	}
	if got := crc32.Checksum(payload, castagnoli); got != sum {
		return nil, fmt.Errorf("decode lexical index: checksum %08x, header says %08x: %w", got, sum, ErrCorrupt)
	}
	d := &decoder{p: payload}
	ix, err := d.index()
	if err != nil {
		return nil, err
	}
	if d.off != len(d.p) {
		return nil, fmt.Errorf("decode lexical index: %d trailing payload bytes: %w", len(d.p)-d.off, ErrCorrupt)
	}
	return ix, nil
}

func corruptOrRead(what string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("decode lexical index %s: truncated: %w", what, ErrCorrupt)
	}
	return fmt.Errorf("decode lexical index %s: %w", what, err)
}

// decoder reads the payload in memory. Strings are slices of it (it is
// never written to after reading), so terms and ids cost no allocation.
type decoder struct {
	p   []byte
	off int
	err error
}

func (d *decoder) left() int64 { return int64(len(d.p) - d.off) }

func (d *decoder) uvarint(what string) uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.p[d.off:])
	if n <= 0 {
		if n == 0 {
			d.err = fmt.Errorf("decode lexical index %s: truncated: %w", what, ErrCorrupt)
		} else {
			d.err = fmt.Errorf("decode lexical index %s: varint overflow: %w", what, ErrCorrupt)
		}
		d.off = len(d.p)
		return 0
	}
	d.off += n
	return v
}

// count reads a count of items that each need at least minBytes of payload.
func (d *decoder) count(what string, minBytes int64) int {
	v := d.uvarint(what)
	if d.err == nil && (v > uint64(d.left()/minBytes) || v > math.MaxInt32) {
		d.err = fmt.Errorf("decode lexical index: %s %d exceeds payload: %w", what, v, ErrCorrupt)
		return 0
	}
	return int(v)
}

func (d *decoder) float(what string) float64 {
	if d.err != nil {
		return 0
	}
	if d.left() < 8 {
		d.err = fmt.Errorf("decode lexical index %s: truncated: %w", what, ErrCorrupt)
		return 0
	}
	f := math.Float64frombits(binary.LittleEndian.Uint64(d.p[d.off:]))
	d.off += 8
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		d.err = fmt.Errorf("decode lexical index: %s %v: %w", what, f, ErrCorrupt)
	}
	return f
}

func (d *decoder) str(what string) string {
	n := d.count(what+" length", 1)
	if d.err != nil {
		return ""
	}
	if n > maxStringLen {
		d.err = fmt.Errorf("decode lexical index: %s length %d: %w", what, n, ErrCorrupt)
		return ""
	}
	if n == 0 {
		return ""
	}
	s := unsafe.String(&d.p[d.off], n)
	d.off += n
	return s
}

func (d *decoder) index() (*Index, error) {
	ix := &Index{}
	ix.opt.K1 = d.float("k1")
	ix.opt.B = d.float("b")
	ix.opt.BigramWeight = d.float("bigram weight")
	if d.err == nil && (ix.opt.K1 == 0 || ix.opt.B > 1 || ix.opt.BigramWeight == 0) {
		return nil, fmt.Errorf("decode lexical index: options %+v out of range: %w", ix.opt, ErrCorrupt)
	}
	// Counts are checked against the payload read, so no count can make
	// an allocation larger than the payload.
	n := d.count("document count", 2)
	ix.ids = make([]string, 0, n)
	ix.docLen = make([]uint32, 0, n)
	for i := 0; i < n && d.err == nil; i++ {
		id := d.str("document id")
		l := d.uvarint("document length")
		if l > math.MaxUint32 {
			d.err = fmt.Errorf("decode lexical index: document %d length %d: %w", i, l, ErrCorrupt)
		}
		ix.ids = append(ix.ids, id)
		ix.docLen = append(ix.docLen, uint32(l))
	}
	nt := d.count("term count", 3)
	np := d.count("posting count", 2)
	if d.err != nil {
		return nil, d.err
	}
	ix.terms = make([]string, 0, nt)
	ix.off = make([]int64, 1, nt+1)
	ix.docs = make([]int32, 0, np)
	ix.tfs = make([]uint16, 0, np)
	for t := 0; t < nt && d.err == nil; t++ {
		term := d.str("term")
		if t > 0 && term <= ix.terms[t-1] {
			d.err = fmt.Errorf("decode lexical index: term %d %q out of order: %w", t, term, ErrCorrupt)
			break
		}
		ix.terms = append(ix.terms, term)
		df := d.count("document frequency", 2)
		if df == 0 || df > n {
			if d.err == nil {
				d.err = fmt.Errorf("decode lexical index: term %q document frequency %d: %w", term, df, ErrCorrupt)
			}
			break
		}
		prev := int64(-1)
		for i := 0; i < df && d.err == nil; i++ {
			doc := prev + int64(d.uvarint("posting doc"))
			tf := d.uvarint("posting tf")
			if d.err != nil {
				break
			}
			if doc <= prev || doc >= int64(n) || tf == 0 || tf > math.MaxUint16 {
				d.err = fmt.Errorf("decode lexical index: term %q posting (doc %d, tf %d): %w", term, doc, tf, ErrCorrupt)
				break
			}
			ix.docs = append(ix.docs, int32(doc))
			ix.tfs = append(ix.tfs, uint16(tf))
			prev = doc
		}
		ix.off = append(ix.off, int64(len(ix.docs)))
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(ix.docs) != np {
		return nil, fmt.Errorf("decode lexical index: %d postings, header says %d: %w", len(ix.docs), np, ErrCorrupt)
	}
	ix.finish()
	return ix, nil
}
