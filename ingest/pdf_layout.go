package ingest

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Page layout shared by the PDF and OFD extractors: glyphs placed on a page
// become lines in reading order, running headers, footers and page numbers
// are dropped, and a page whose text is unreadable is recognized.

// glyph is one piece of text placed on a page. y grows downward (OFD's
// convention; PDF coordinates are flipped on the way in). w is the advance
// when known, else 0.
type glyph struct {
	x, y, w, size float64
	s             string
	seq           int // content order, set by layoutLines
}

// textLine is one line of a page: its baseline, left and right ends, the
// size of its largest glyph (0 when its geometry is unknown, as for OCR).
type textLine struct {
	y, x0, x1, size float64
	text            string
	bad             bool // unreadable, left out
	block           int  // the block (column, band) it belongs to
	gapped          bool // has a gap within: a table row, a signature line
}

// layoutLines groups glyphs into lines by y, top to bottom, and orders each
// line by x, or keeps a line's content order when x does not advance from
// glyph to glyph (the library knows no widths for the font: only runs are
// positioned).
func layoutLines(gs []glyph) []textLine {
	if len(gs) == 0 {
		return nil
	}
	gs = append([]glyph(nil), gs...)
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].y < gs[j].y })
	var lines []textLine
	start := 0
	for i := 1; i <= len(gs); i++ {
		if i < len(gs) {
			tol := math.Max(1, 0.4*math.Max(gs[start].size, gs[i].size))
			if gs[i].y-gs[start].y <= tol {
				continue
			}
		}
		if l := lineOf(gs[start:i]); l.text != "" || l.bad {
			lines = append(lines, l)
		}
		start = i
	}
	return lines
}

// lineOf orders one line's glyphs by x and joins them, with a space where
// a visible gap separates two runs (a date set apart from a signature).
func lineOf(gs []glyph) textLine {
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].seq < gs[j].seq })
	same := 0
	for i := 1; i < len(gs); i++ {
		if gs[i].x == gs[i-1].x {
			same++
		}
	}
	if same*2 < len(gs)-1 {
		sort.SliceStable(gs, func(i, j int) bool { return gs[i].x < gs[j].x })
		// A glyph drawn again on itself, slightly offset, is faux bold
		// (WPS and some printers), not a second character.
		kept := gs[:1]
		for _, g := range gs[1:] {
			p := kept[len(kept)-1]
			if g.s == p.s && math.Abs(g.x-p.x) < 0.3*g.size && math.Abs(g.y-p.y) < 0.3*g.size {
				continue
			}
			kept = append(kept, g)
		}
		gs = kept
	}
	var sb, raw strings.Builder
	gapped := false
	for i, g := range gs {
		raw.WriteString(g.s)
		if i > 0 {
			p := gs[i-1]
			adv := p.w
			if adv <= 0 {
				adv = advance(p)
			}
			if g.x > p.x && g.x-(p.x+adv) > 0.8*math.Max(g.size, 1) && !strings.HasSuffix(p.s, " ") && !strings.HasPrefix(g.s, " ") {
				sb.WriteByte(' ')
				gapped = true
			}
		}
		sb.WriteString(g.s)
	}
	l := textLine{y: gs[0].y, x0: math.Inf(1), x1: math.Inf(-1), text: strings.TrimSpace(sanitize(sb.String())), gapped: gapped}
	if unreadable(raw.String()) != "" {
		// A line in a font whose glyphs map to nothing (a title in a
		// subset font without ToUnicode) on an otherwise readable page.
		l.text, l.bad = "", true
	}
	for _, g := range gs {
		if strings.TrimSpace(g.s) == "" {
			continue
		}
		adv := g.w
		if adv <= 0 {
			adv = advance(g)
		}
		l.x0 = math.Min(l.x0, g.x)
		l.x1 = math.Max(l.x1, g.x+adv)
		l.size = math.Max(l.size, g.size)
	}
	if math.IsInf(l.x0, 0) {
		l.x0, l.x1 = 0, 0
	}
	return l
}

// advance estimates a glyph's width from its size: a CJK character is
// square, others about half as wide.
func advance(g glyph) float64 {
	n := 0.0
	for _, r := range g.s {
		if r >= 0x2E80 {
			n += 1
		} else {
			n += 0.55
		}
	}
	return n * g.size
}

// sanitize drops what no text holds: control characters, U+FFFD,
// unassigned and private-use code points (a glyph that maps to nothing, or
// to a symbol font's own code).
func sanitize(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return badRune(r) || unicode.Is(unicode.Co, r) }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\t' {
			return ' '
		}
		if badRune(r) || unicode.Is(unicode.Co, r) {
			return -1
		}
		return r
	}, s)
}

func badRune(r rune) bool {
	return r == utf8.RuneError || unicode.IsControl(r) ||
		!unicode.IsPrint(r) && !unicode.IsSpace(r) && !unicode.Is(unicode.Co, r)
}

// unreadable tells why a page's raw text (before sanitize) is not text a
// reader could use, or "" when it is: most glyphs map to nothing (control
// characters, U+FFFD), to private-use code points, or to ASCII noise with
// no Chinese at all. A page of Chinese with a stray bad glyph passes.
func unreadable(raw string) string {
	var total, none, pua, han, noise int
	for _, r := range raw {
		if unicode.IsSpace(r) {
			continue
		}
		total++
		switch {
		case badRune(r):
			none++
		case unicode.Is(unicode.Co, r):
			pua++
		case isHan(r):
			han++
		case r < 0x80 && (unicode.IsPunct(r) || unicode.IsSymbol(r)),
			r >= 0x80 && r <= 0x2FF: // Latin-1, accents, spacing modifiers: byte codes read as PDFDocEncoding
			noise++
		}
	}
	switch {
	case total == 0:
		return ""
	case none*5 > total:
		return "glyphs map to no text"
	case pua*5 > total:
		return "glyphs map to private-use code points"
	case han == 0 && noise*3 > total:
		return "glyphs map to symbols, not words"
	}
	return ""
}

// dropBad removes the unreadable lines of each page, warning once per page
// that had any.
func dropBad(pages [][]textLine, warn func(string)) {
	for p, lines := range pages {
		kept := lines[:0]
		bad := 0
		for _, l := range lines {
			if l.bad {
				bad++
				continue
			}
			kept = append(kept, l)
		}
		pages[p] = kept
		if bad > 0 {
			warn(fmt.Sprintf("page %d: %d line(s) could not be recovered (glyphs map to no text) and were left out", p+1, bad))
		}
	}
}

// dropUnreadable empties each page whose final text is unreadable (what
// survives of a page after its bad glyphs are dropped can still be noise),
// warning about it.
func dropUnreadable(pages [][]textLine, warn func(string)) {
	for p, lines := range pages {
		var sb strings.Builder
		for _, l := range lines {
			sb.WriteString(l.text)
			sb.WriteByte('\n')
		}
		if why := unreadable(sb.String()); why != "" {
			pages[p] = nil
			warn(fmt.Sprintf("page %d: text could not be recovered (%s)", p+1, why))
		}
	}
}

// rePageNumber matches a line that is only page numbering: "- 3 -", "— 3 —",
// "第3页", "第3页 共10页", "3/10", "3", "Page 3 of 10", or several of these.
var rePageNumber = regexp.MustCompile(`^(?:\s*(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页|\d+\s*/\s*\d+|\d+|(?i:page)\s*\d+(?:\s*(?i:of)\s*\d+)?))+\s*$`)

// furnitureLines is how many lines at the top and at the bottom of a page
// may be a running header, footer or page number.
const furnitureLines = 2

// dropFurniture removes running headers and footers (a line repeated at the
// top or bottom of most pages, digits aside) and page-number lines from the
// pages' lines, in place.
func dropFurniture(pages [][]textLine) {
	edge := func(lines []textLine, i int) (top, bottom bool) {
		return i < furnitureLines, i >= len(lines)-furnitureLines
	}
	key := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch {
			case unicode.IsSpace(r):
				return -1
			case unicode.IsDigit(r):
				return '#'
			}
			return r
		}, s)
	}
	// Only pages with a body between their edges count: two short pages
	// alike (a form, a repeated page) have no furniture to find.
	bodied := func(lines []textLine) bool { return len(lines) > 2*furnitureLines }
	// Counted over all pages and over odd and even pages apart: a printed
	// book's left and right pages carry different headers.
	type count struct{ top, bottom map[string]int }
	newCount := func() count { return count{map[string]int{}, map[string]int{}} }
	all, parity := newCount(), [2]count{newCount(), newCount()}
	var nAll int
	var nParity [2]int
	for p, lines := range pages {
		if !bodied(lines) {
			continue
		}
		nAll++
		nParity[p%2]++
		seenT, seenB := map[string]bool{}, map[string]bool{}
		for i, l := range lines {
			top, bottom := edge(lines, i)
			k := key(l.text)
			if top && !seenT[k] {
				all.top[k]++
				parity[p%2].top[k]++
				seenT[k] = true
			}
			if bottom && !seenB[k] {
				all.bottom[k]++
				parity[p%2].bottom[k]++
				seenB[k] = true
			}
		}
	}
	need := func(n int) int {
		return max(2, int(math.Ceil(0.6*float64(n)))) // one page repeats nothing
	}
	repeated := func(c count, n int, k string, top, bottom bool) bool {
		return top && c.top[k] >= need(n) || bottom && c.bottom[k] >= need(n)
	}
	for p, lines := range pages {
		kept := lines[:0]
		for i, l := range lines {
			top, bottom := edge(lines, i)
			k := key(l.text)
			if (top || bottom) && rePageNumber.MatchString(l.text) ||
				bodied(lines) && (repeated(all, nAll, k, top, bottom) || repeated(parity[p%2], nParity[p%2], k, top, bottom)) {
				continue
			}
			kept = append(kept, l)
		}
		pages[p] = kept
	}
}

// joinWrapped joins each line to the one before it when the text merely
// wrapped there: the line before reaches the right edge of its block's
// text, this one starts at the left edge (a new paragraph of a Chinese
// document is indented) right below it, neither has a gap within (a table
// row), and it is not a heading after a finished sentence. Clean joins the rest (a paragraph broken across pages, lines
// whose geometry is unknown).
func joinWrapped(lines []textLine) []textLine {
	if len(lines) < 2 {
		return lines
	}
	// The text's left and right edges, per block.
	lefts, rights := map[int]float64{}, map[int]float64{}
	for _, l := range lines {
		if l.size <= 0 {
			continue
		}
		if v, ok := lefts[l.block]; !ok || l.x0 < v {
			lefts[l.block] = l.x0
		}
		if v, ok := rights[l.block]; !ok || l.x1 > v {
			rights[l.block] = l.x1
		}
	}
	out := lines[:1]
	for _, l := range lines[1:] {
		p := &out[len(out)-1]
		size := math.Max(p.size, l.size)
		left, right := lefts[l.block], rights[l.block]
		wrapped := p.size > 0 && l.size > 0 && p.block == l.block && !p.gapped && !l.gapped &&
			p.x1 >= right-2*size && l.x0 <= left+0.5*size &&
			l.y > p.y && l.y-p.y <= 2.5*size
		if wrapped {
			last, _ := utf8.DecodeLastRuneInString(p.text)
			head := []rune(l.text)
			if len(head) > 12 {
				head = head[:12]
			}
			if strings.ContainsRune(terminalPunct, last) && headingLevel(head) > 0 {
				wrapped = false
			}
		}
		if !wrapped {
			out = append(out, l)
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(p.text)
		first, _ := utf8.DecodeRuneInString(l.text)
		if isASCIILetter(last) && isASCIILetter(first) {
			p.text += " "
		}
		p.text += l.text
		p.x1, p.y = l.x1, l.y
	}
	return out
}

func isASCIILetter(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }

// assemble joins pages into Extracted text with page offsets, lines that
// merely wrapped joined. Lines end with "\n".
func assemble(pages [][]textLine) (string, []int) {
	var sb strings.Builder
	starts := make([]int, len(pages))
	for i, lines := range pages {
		starts[i] = sb.Len()
		for _, l := range joinWrapped(lines) {
			sb.WriteString(l.text)
			sb.WriteByte('\n')
		}
	}
	return sb.String(), starts
}
