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
		b.termNo[b.names[no]] = int32(r)
		ix.docs = append(ix.docs, b.docs[no]...)
		ix.tfs = append(ix.tfs, b.tfs[no]...)
		ix.off[r+1] = int64(len(ix.docs))
		b.docs[no], b.tfs[no] = nil, nil
	}
	ix.termNo = b.termNo
	*b = Builder{}
	ix.finish()
	return ix
}
