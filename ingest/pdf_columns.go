package ingest

import (
	"math"
	"sort"
	"strings"
)

// Columns: a page set in columns (a newspaper, a bulletin) is cut into
// blocks by recursive XY-cut (split a region at a vertical gutter where
// one runs from its top to its bottom, else into bands at wide horizontal
// gaps), and blocks are read in order: bands top to bottom, columns left to
// right.

// pageLines lays out a page's glyphs as lines in reading order, column by
// column, each line tagged with its block.
func pageLines(gs []glyph) []textLine {
	for i := range gs {
		gs[i].seq = i
	}
	var lines []textLine
	for b, blk := range xyCut(gs, 0) {
		for _, l := range layoutLines(blk) {
			l.block = b
			lines = append(lines, l)
		}
	}
	return lines
}

type span struct{ lo, hi float64 }

// gaps returns the gaps at least min wide between the merged spans, widest
// first.
func gaps(spans []span, min float64) []span {
	sort.Slice(spans, func(i, j int) bool { return spans[i].lo < spans[j].lo })
	var out []span
	hi := math.Inf(-1)
	for i, s := range spans {
		if i > 0 && s.lo-hi >= min {
			out = append(out, span{hi, s.lo})
		}
		hi = math.Max(hi, s.hi)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].hi-out[i].lo > out[j].hi-out[j].lo })
	return out
}

func medianSize(gs []glyph) float64 {
	sizes := make([]float64, 0, len(gs))
	for _, g := range gs {
		if g.size > 0 {
			sizes = append(sizes, g.size)
		}
	}
	if len(sizes) == 0 {
		return 1
	}
	sort.Float64s(sizes)
	return sizes[len(sizes)/2]
}

// xyCut splits glyphs into blocks in reading order.
func xyCut(gs []glyph, depth int) [][]glyph {
	if len(gs) < 8 || depth > 24 {
		return [][]glyph{gs}
	}
	size := medianSize(gs)
	var xs, ys []span
	for _, g := range gs {
		if strings.TrimSpace(g.s) == "" {
			continue
		}
		adv := g.w
		if adv <= 0 {
			adv = advance(g)
		}
		xs = append(xs, span{g.x, g.x + adv})
		ys = append(ys, span{g.y - g.size, g.y + 0.2*g.size})
	}
	gutters := gaps(xs, 1.5*size)
	if len(gutters) > 4 {
		gutters = gutters[:4] // the widest: a page has few columns
	}
	for _, gut := range gutters {
		mid := (gut.lo + gut.hi) / 2
		var left, right []glyph
		for _, g := range gs {
			if g.x < mid {
				left = append(left, g)
			} else {
				right = append(right, g)
			}
		}
		if isColumn(left, size) && isColumn(right, size) {
			return append(xyCut(left, depth+1), xyCut(right, depth+1)...)
		}
	}
	bands := gaps(ys, 1.0*size)
	if len(bands) == 0 {
		return [][]glyph{gs}
	}
	cuts := make([]float64, len(bands))
	for i, b := range bands {
		cuts[i] = (b.lo + b.hi) / 2
	}
	sort.Float64s(cuts)
	parts := make([][]glyph, len(cuts)+1)
	for _, g := range gs {
		top := g.y - g.size/2
		parts[sort.SearchFloat64s(cuts, top)] = append(parts[sort.SearchFloat64s(cuts, top)], g)
	}
	var out [][]glyph
	for _, p := range parts {
		if len(p) > 0 {
			out = append(out, xyCut(p, depth+1)...)
		}
	}
	return out
}

// isColumn reports whether glyphs look like a column of running text: at
// least three lines, ten characters wide, and most lines filling its width
// (a table's cells are ragged and are read row by row instead).
func isColumn(gs []glyph, size float64) bool {
	lines := layoutLines(gs)
	if len(lines) < 3 {
		return false
	}
	left, right := math.Inf(1), math.Inf(-1)
	for _, l := range lines {
		left, right = math.Min(left, l.x0), math.Max(right, l.x1)
	}
	if right-left < 10*size {
		return false
	}
	full := 0
	for _, l := range lines {
		if l.x1 >= right-1.5*size {
			full++
		}
	}
	return full*2 >= len(lines)
}
