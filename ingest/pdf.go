package ingest

// PDF text extraction.
//
// Library: github.com/ledongthuc/pdf (pure Go, no cgo, one module with no
// dependencies) for parsing objects, streams and font encodings
// (ToUnicode CMaps); the text itself comes from a content-stream
// interpreter of ours on its parser (pdf_content.go), laid out from the
// glyphs' positions (pdf_layout.go, pdf_columns.go). Chosen by measuring,
// on the fixtures of testdata/formats/pdf (make_pdf.sh) and a 36-page
// Chromium print of the same notice, against go-pdfium's WebAssembly build
// (pdfium compiled to wasm and embedded in the Go module as
// internal/pdfium_wasm/pdfium.wasm, 6 MB, run by wazero: nothing is
// downloaded at run time), dslipak/pdf and poppler's pdftotext. Pages/s on
// 2 cores shared with other jobs (load average 17–19, all measured in one
// window; a quieter first run in parentheses), and the growth of a minimal
// program's binary:
//
//	                          2-page notice   36 pages        start-up   binary
//	ours on ledongthuc        284 (252–557)   482 (602)       none       +0.8 MB
//	ledongthuc GetTextByRow   310 (936)       187 (319)       none       +0.8 MB
//	go-pdfium wasm             63 (262)        50 (89)        5–19 s     +12.8 MB
//	dslipak/pdf                82 (277)        46 (102)       none       +0.8 MB
//	pdftotext (a process)     107 (180)       360 (673)       fork/exec  external
//
// Correctness: all read CID fonts (Identity-H) with a ToUnicode map; with
// the map stripped all give garbage (control characters or U+FFFD), so an
// unreadable page is detected here whatever the library, and OCR'd when
// tesseract is installed. pdfium and pdftotext order lines well;
// ledongthuc's own GetTextByRow puts Chromium's rows bottom to top and all
// of pango's lines on one row (it advances CID glyphs by wrong widths), and
// its Page.Content does not enter form XObjects, so text drawn through "Do"
// (overlays, stamped or converted files) was lost; dslipak gives no line
// breaks at all. pdfium would be the most faithful reader, but costs a 5–7 s
// wasm compilation per process, is 3.5–7 times slower per page and adds
// 12.8 MB; pdftotext is fast on long files but is an external tool whose
// output would differ between machines with and without it, so it is not
// used for text (poppler's pdftoppm rasterizes pages for OCR).
//
// ledongthuc panics on malformed input; every call into it is recovered
// and turned into ErrDamaged (or, on one page, a warning). Its page-tree
// walk trusts /Count and loops on a cyclic tree, so pages are found here by
// a bounded walk, and the interpreter stops a page past lim.MaxExtracted.

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
	encrypted := bytes.Contains(raw, []byte("/Encrypt"))
	if encrypted {
		// ledongthuc reads RC4 and AES-128 files that open without a
		// password, not AES-256 ones; qpdf, when installed, reads all.
		dec, err := qpdfDecrypt(raw)
		if errors.Is(err, ErrEncrypted) {
			return nil, err
		}
		if err == nil {
			raw = dec
		}
	}
	defer func() {
		if r := recover(); r != nil {
			x, err = nil, fmt.Errorf("%w: malformed PDF: %v", ErrDamaged, r)
		}
	}()
	rd, err := pdf.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		if errors.Is(err, pdf.ErrInvalidPassword) || strings.Contains(err.Error(), "encrypt") {
			return nil, fmt.Errorf("%w: the PDF is encrypted and could not be opened without a password "+
				"(if a viewer opens it without one, install qpdf; else save an unprotected copy)", ErrEncrypted)
		}
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	pages := pdfPages(rd.Trailer().Key("Root").Key("Pages"), maxPDFPages)
	if len(pages) == 0 {
		return nil, fmt.Errorf("%w: no pages found", ErrDamaged)
	}
	x = &Extracted{}
	lines := make([][]textLine, len(pages))
	budget := lim.MaxExtracted
	if budget <= 0 {
		budget = DefaultLimits.MaxExtracted
	}
	var empty, failed []int // 0-based pages with no text, or unreadable text
	for i, p := range pages {
		gs, perr := pdfGlyphs(p, &budget)
		if errors.Is(perr, errPageTooLarge) {
			return nil, fmt.Errorf("%w: page %d: text and drawing past the limit of %d bytes", ErrTooLarge, i+1, lim.MaxExtracted)
		}
		if perr != nil {
			x.Warnings = append(x.Warnings, fmt.Sprintf("page %d: could not be read (%v)", i+1, perr))
			failed = append(failed, i)
			continue
		}
		var rawText strings.Builder
		for _, g := range gs {
			rawText.WriteString(g.s)
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
		lines[i] = pageLines(gs)
	}
	if len(empty)+len(failed) > 0 {
		if err := ocrPages(raw, lines, empty, failed, x, lim); err != nil {
			return nil, err
		}
	}
	dropBad(lines, func(w string) { x.Warnings = append(x.Warnings, w) })
	dropFurniture(lines)
	dropUnreadable(lines, func(w string) { x.Warnings = append(x.Warnings, w) })
	x.Text, x.Pages = assemble(lines)
	return x, nil
}

// pdfPages lists the page objects of a page tree in order, at most max, by
// a walk bounded in depth and in nodes visited, so a cyclic tree ends.
func pdfPages(node pdf.Value, max int) []pdf.Page {
	var out []pdf.Page
	visits := 0
	var walk func(v pdf.Value, depth int)
	walk = func(v pdf.Value, depth int) {
		visits++
		if depth > 32 || len(out) >= max || visits > 2*max+100 {
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

// pdfGlyphs returns a page's glyphs with y growing downward, spending
// budget. A panic in the library on this page is returned as an error so
// other pages still count; a page over the budget is errPageTooLarge.
func pdfGlyphs(p pdf.Page, budget *int64) (gs []glyph, err error) {
	c := &pdfContent{budget: *budget}
	defer func() {
		*budget = c.budget
		if r := recover(); r != nil {
			if e, ok := r.(error); ok && errors.Is(e, errPageTooLarge) {
				gs, err = nil, errPageTooLarge
				return
			}
			gs, err = nil, fmt.Errorf("%v", r)
		}
	}()
	contents := p.V.Key("Contents")
	if contents.Kind() == pdf.Null {
		return nil, nil
	}
	c.run(p, contents, pdfTextState{ctm: pdfIdentity, tm: pdfIdentity, tlm: pdfIdentity, th: 1}, 0)
	return c.glyphs, nil
}
