package lexical

import (
	"math"
	"slices"
	"strings"
)

// Builder builds an Index one document at a time, so a corpus need not be
// held as term strings: each distinct term is kept once, and postings grow
// as compact integers. Builder.Index gives exactly what Build gives for the
// same documents in the same order.
type Builder struct {
	opt    Options
	ids    []string
	docLen []uint32
	termNo map[string]int32 // term -> number in order of first appearance
	names  []string
	docs   [][]int32 // per term number: ascending doc numbers
	tfs    [][]uint16
	npost  int
}

// NewBuilder returns an empty Builder.
func NewBuilder(opt Options) *Builder {
	return &Builder{opt: opt.withDefaults(), termNo: make(map[string]int32)}
}

// Len returns the number of documents added.
func (b *Builder) Len() int { return len(b.ids) }

// Add appends a document (doc number Len()) with its terms. The terms are
// not retained: a new term is copied.
func (b *Builder) Add(id string, terms []string) {
	d := int32(len(b.ids))
	b.ids = append(b.ids, id)
	b.docLen = append(b.docLen, uint32(min(uint64(len(terms)), math.MaxUint32)))
	for _, t := range terms {
		no, ok := b.termNo[t]
		if !ok {
			no = int32(len(b.names))
			t = strings.Clone(t) // terms are often substrings of a whole chunk
			b.termNo[t] = no
			b.names = append(b.names, t)
			b.docs = append(b.docs, nil)
			b.tfs = append(b.tfs, nil)
		}
		ds := b.docs[no]
		if n := len(ds); n > 0 && ds[n-1] == d {
			if tf := b.tfs[no]; tf[n-1] < math.MaxUint16 {
				tf[n-1]++
			}
			continue
		}
		b.docs[no] = append(ds, d)
		b.tfs[no] = append(b.tfs[no], 1)
		b.npost++
	}
}

// Index returns the finished index. The Builder must not be used after.
func (b *Builder) Index() *Index {
	ix := &Index{opt: b.opt, ids: b.ids, docLen: b.docLen}
	order := make([]int32, len(b.names))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int { return strings.Compare(b.names[x], b.names[y]) })
	ix.terms = make([]string, len(order))
	ix.off = make([]int64, len(order)+1)
	ix.docs = make([]int32, 0, b.npost)
	ix.tfs = make([]uint16, 0, b.npost)
	for r, no := range order {
		ix.terms[r] = b.names[no]
		ix.docs = append(ix.docs, b.docs[no]...)
		ix.tfs = append(ix.tfs, b.tfs[no]...)
		ix.off[r+1] = int64(len(ix.docs))
		b.docs[no], b.tfs[no] = nil, nil
	}
	*b = Builder{}
	ix.finish()
	return ix
}

// AddCounts appends a document given as its distinct terms with their
// frequencies and its length (the number of terms Add would be given), as
// Forward returns them: Index gives the same as Add with the terms.
func (b *Builder) AddCounts(id string, length uint32, terms []string, tfs []uint16) {
	d := int32(len(b.ids))
	b.ids = append(b.ids, id)
	b.docLen = append(b.docLen, length)
	for i, t := range terms {
		no, ok := b.termNo[t]
		if !ok {
			no = int32(len(b.names))
			t = strings.Clone(t)
			b.termNo[t] = no
			b.names = append(b.names, t)
			b.docs = append(b.docs, nil)
			b.tfs = append(b.tfs, nil)
		}
		b.docs[no] = append(b.docs[no], d)
		b.tfs[no] = append(b.tfs[no], tfs[i])
		b.npost++
	}
}

// Forward is an index turned around: every document's terms with their
// frequencies, so a build can carry documents over without their text.
type Forward struct {
	ix    *Index
	off   []int64 // document d's entries are [off[d], off[d+1])
	terms []int32
	tfs   []uint16
}

// Forward inverts the postings.
func (ix *Index) Forward() *Forward {
	n := len(ix.ids)
	f := &Forward{ix: ix, off: make([]int64, n+1), terms: make([]int32, len(ix.docs)), tfs: make([]uint16, len(ix.docs))}
	for _, d := range ix.docs {
		f.off[d+1]++
	}
	for d := 0; d < n; d++ {
		f.off[d+1] += f.off[d]
	}
	next := slices.Clone(f.off[:n])
	for t := range ix.terms {
		for p := ix.off[t]; p < ix.off[t+1]; p++ {
			d := ix.docs[p]
			f.terms[next[d]] = int32(t)
			f.tfs[next[d]] = ix.tfs[p]
			next[d]++
		}
	}
	return f
}

// Doc returns document d's ID, length, terms and their frequencies.
func (f *Forward) Doc(d int) (id string, length uint32, terms []string, tfs []uint16) {
	lo, hi := f.off[d], f.off[d+1]
	terms = make([]string, hi-lo)
	for i, t := range f.terms[lo:hi] {
		terms[i] = f.ix.terms[t]
	}
	return f.ix.ids[d], f.ix.docLen[d], terms, f.tfs[lo:hi]
}

// Len returns the number of documents.
func (f *Forward) Len() int { return len(f.ix.ids) }
