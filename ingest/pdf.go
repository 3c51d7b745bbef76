package ingest

// PDF text extraction.
//
// Library: github.com/ledongthuc/pdf (pure Go, no cgo, one small module with
// no dependencies), read through its glyph positions (Page.Content) and laid
// out here (pdf_layout.go), not through its own row grouping. Chosen by
// measuring on the fixtures of testdata/formats (make_pdf.sh) against
// go-pdfium's WebAssembly build (pdfium compiled to wasm, embedded in the Go
// module as internal/pdfium_wasm/pdfium.wasm, 6 MB, run by wazero: nothing
// is downloaded at run time), dslipak/pdf and poppler's pdftotext, on 2
// shared cores:
//
//	                       chromium 2 p.   chromium 36 p.   start-up    binary
//	ledongthuc (glyphs)    936 pages/s     319 pages/s      none        +0.3 MB
//	go-pdfium wasm         262 pages/s      89 pages/s      5–7 s       +8 MB
//	dslipak/pdf            277 pages/s     102 pages/s      none        +0.3 MB
//	pdftotext (process)    180 pages/s     673 pages/s      fork/exec   external
//
// All four read CID fonts (Identity-H) with a ToUnicode map correctly; with
// the map stripped all four give garbage (control characters or U+FFFD), so
// unreadable pages are detected here whatever the library. pdfium and
// pdftotext order lines well by themselves; ledongthuc's own GetTextByRow
// puts Chromium's rows bottom to top and pango's on one row, and dslipak
// gives no line breaks at all, which is why lines are built here from the
// glyphs' positions. pdfium would be the most faithful reader, but it costs
// a 5–7 s wasm compilation per process and is 3.5 times slower per page;
// pdftotext is fast on long files but is an external tool whose output
// would differ between machines with and without it, so it is not used
// for text (poppler's pdftoppm is used to rasterize pages for OCR).
//
// ledongthuc panics on malformed input; every call into it is recovered
// and turned into ErrDamaged. Its page-tree walk trusts /Count and loops on
// a cyclic tree, so pages are found here by a bounded walk.

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/ledongthuc/pdf"
)

// maxPDFPages bounds the pages read from one file.
const maxPDFPages = 10000

func extractPDF(raw []byte, lim Limits) (x *Extracted, err error) {
	if i := bytes.Index(raw[:min(len(raw), 1024)], []byte("%PDF-")); i < 0 {
		return nil, fmt.Errorf("%w: not a PDF file (no %%PDF- header)", ErrDamaged)
	}
	defer func() {
		if r := recover(); r != nil {
			x, err = nil, fmt.Errorf("%w: malformed PDF: %v", ErrDamaged, r)
		}
	}()
	rd, err := pdf.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		if errors.Is(err, pdf.ErrInvalidPassword) || strings.Contains(err.Error(), "encrypt") {
			return nil, fmt.Errorf("%w: the PDF needs a password to open; save an unprotected copy", ErrEncrypted)
		}
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	pages := pdfPages(rd.Trailer().Key("Root").Key("Pages"), maxPDFPages)
	if len(pages) == 0 {
		return nil, fmt.Errorf("%w: no pages found", ErrDamaged)
	}
	x = &Extracted{}
	lines := make([][]textLine, len(pages))
	var size int64
	var empty, failed []int // 0-based pages with no text, or unreadable text
	for i, p := range pages {
		gs, perr := pdfGlyphs(p)
		if perr != nil {
			x.Warnings = append(x.Warnings, fmt.Sprintf("page %d: could not be read (%v)", i+1, perr))
			failed = append(failed, i)
			continue
		}
		var rawText strings.Builder
		for _, g := range gs {
			rawText.WriteString(g.s)
			size += int64(len(g.s))
		}
		if lim.MaxExtracted > 0 && size > lim.MaxExtracted {
			return nil, fmt.Errorf("%w: extracted text over the limit of %d bytes", ErrTooLarge, lim.MaxExtracted)
		}
		if strings.TrimSpace(rawText.String()) == "" {
			empty = append(empty, i)
			continue
		}
		if why := unreadable(rawText.String()); why != "" {
			x.Warnings = append(x.Warnings, fmt.Sprintf("page %d: text could not be recovered (%s)", i+1, why))
			failed = append(failed, i)
			continue
		}
		lines[i] = layoutLines(gs)
	}
	if len(empty)+len(failed) > 0 {
		if err := ocrPages(raw, lines, empty, failed, x); err != nil {
			return nil, err
		}
	}
	dropFurniture(lines)
	x.Text, x.Pages = assemble(lines)
	return x, nil
}

// pdfPages lists the page objects of a page tree in order, at most max, by
// a walk bounded in depth so a cyclic tree ends.
func pdfPages(node pdf.Value, max int) []pdf.Page {
	var out []pdf.Page
	var walk func(v pdf.Value, depth int)
	walk = func(v pdf.Value, depth int) {
		if depth > 32 || len(out) >= max {
			return
		}
		switch v.Key("Type").Name() {
		case "Pages":
			kids := v.Key("Kids")
			for i := 0; i < kids.Len() && len(out) < max; i++ {
				walk(kids.Index(i), depth+1)
			}
		case "Page":
			out = append(out, pdf.Page{V: v})
		default:
			// A page object missing /Type is common enough to accept.
			if depth > 0 && v.Kind() == pdf.Dict && v.Key("Contents").Kind() != pdf.Null {
				out = append(out, pdf.Page{V: v})
			}
		}
	}
	walk(node, 0)
	return out
}

// pdfGlyphs returns a page's glyphs with y growing downward. A panic in the
// library on this page is returned as an error so other pages still count.
func pdfGlyphs(p pdf.Page) (gs []glyph, err error) {
	defer func() {
		if r := recover(); r != nil {
			gs, err = nil, fmt.Errorf("%v", r)
		}
	}()
	for _, t := range p.Content().Text {
		gs = append(gs, glyph{x: t.X, y: -t.Y, w: t.W, size: t.FontSize, s: t.S})
	}
	return gs, nil
}
