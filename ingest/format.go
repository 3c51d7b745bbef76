package ingest

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// Formats of source files. A text file's chunk offsets are byte offsets into
// the original file; every other format's are byte offsets into its
// extracted text (what Extract returns and `policybot extract` prints).
const (
	FormatText = "text" // .txt, .md: decoded (UTF-8, UTF-16, GB18030)
	FormatDOCX = "docx"
	FormatPDF  = "pdf"
	FormatOFD  = "ofd"
	FormatHTML = "html"
)

// Limits bound what one file may cost to extract.
type Limits struct {
	// MaxExtracted is the most bytes of text (or of decompressed archive
	// members) a file may give; past it the file is rejected with
	// ErrTooLarge, so a zip bomb stops early.
	MaxExtracted int64
	// NoOCR turns OCR off even where tesseract is installed: a scanned page
	// is left out with a warning, and a PDF with no text at all is rejected
	// with ErrNoTextLayer (ingest.disable_ocr).
	NoOCR bool
}

// DefaultLimits are the limits of ingest.max_extracted_mb's default (64 MB).
var DefaultLimits = Limits{MaxExtracted: 64 << 20}

// Errors that say why a file was skipped; every one is wrapped with the
// details, so errors.Is tells the class and the message tells the reader.
var (
	// ErrUnsupported: a format ingest knows but does not read (.doc, .wps,
	// images); the message says how to convert it.
	ErrUnsupported = errors.New("format not supported")
	// ErrTooLarge: the file or its extracted text is over a limit.
	ErrTooLarge = errors.New("too large")
	// ErrDamaged: the file is not what its name claims, or is truncated.
	ErrDamaged = errors.New("damaged or not of its format")
	// ErrEncrypted: the file is password-protected.
	ErrEncrypted = errors.New("password-protected")
	// ErrNoTextLayer: a PDF or page with no recoverable text (a scan) and no OCR.
	ErrNoTextLayer = errors.New("no text layer")
)

// Extracted is the text of one source file in reading order, with what the
// format itself says about it. Text is UTF-8; paragraphs are separated by
// "\n" and headings stand on lines of their own, rendered as the document
// shows them (Word's numbering included), so the text pipeline (cleaning,
// metadata, the heading ladder) reads every format alike.
type Extracted struct {
	Format string
	Text   string
	// Pages holds, for page-based formats (PDF, OFD), the byte offset in
	// Text where each page starts: Pages[0] = 0 for page 1. Empty otherwise.
	Pages []int
	// Title and PubDate are what the format's own metadata gives (an HTML
	// <title> and 发布日期, Word's core properties); empty when unknown.
	Title   string
	PubDate string
	// OCR is true when the text was recognized from page images.
	OCR bool
	// Warnings name problems that did not stop extraction, such as a page
	// whose text could not be recovered ("page 3: glyphs map to no text").
	Warnings []string
}

// PageAt returns the 1-based page holding text byte off, 0 without pages.
func (e *Extracted) PageAt(off int) int {
	p := 0
	for i, s := range e.Pages {
		if s > off {
			break
		}
		p = i + 1
	}
	return p
}

// extractor reads one format. raw is the whole file.
type extractor func(raw []byte, lim Limits) (*Extracted, error)

// formatOf returns the format a file name's extension names, with its
// extractor (nil for text files), or an error for a known but unread
// format. ok is false for a name ingest ignores altogether.
func formatOf(name string) (format string, ex extractor, err error, ok bool) {
	ext := strings.ToLower(path.Ext(name))
	switch ext {
	case ".txt", ".md":
		return FormatText, nil, nil, true
	}
	for _, f := range extractors {
		for _, e := range f.exts {
			if e == ext {
				return f.format, f.fn, nil, true
			}
		}
	}
	if how, known := unsupported[ext]; known {
		return "", nil, fmt.Errorf("%w: %s files are not read; %s", ErrUnsupported, ext, how), true
	}
	return "", nil, nil, false
}

// FormatOf returns the format ingest reads a file of this name as
// (FormatText, FormatDOCX, …). For a format ingest knows but does not read
// (.doc, .wps, images) it returns an error wrapping ErrUnsupported whose
// message says how to convert the file; for a name ingest ignores, "" and
// nil.
func FormatOf(name string) (string, error) {
	format, _, err, _ := formatOf(name)
	return format, err
}

// Known reports whether ingest looks at a file of this name: it reads it, or
// skips it with a warning that says how to convert it.
func Known(name string) bool {
	_, _, _, ok := formatOf(name)
	return ok
}

// extractors lists the formats read besides text, by extension.
var extractors = []struct {
	format string
	exts   []string
	fn     extractor
}{
	// Filled in by docx.go, pdf.go, ofd.go and html.go.
	{FormatDOCX, []string{".docx"}, extractDOCX},
	{FormatHTML, []string{".html", ".htm"}, extractHTML},
	{FormatPDF, []string{".pdf"}, extractPDF},
	{FormatOFD, []string{".ofd"}, extractOFD},
}

// unsupported names formats that are skipped, with how to convert them.
var unsupported = map[string]string{
	".doc":  "open it in Word or WPS and save it as .docx (or run: libreoffice --headless --convert-to docx FILE)",
	".wps":  "open it in WPS and save it as .docx (or run: libreoffice --headless --convert-to docx FILE)",
	".rtf":  "save it as .docx (libreoffice --headless --convert-to docx FILE)",
	".jpg":  "an image: scan it to a PDF, or OCR it (tesseract FILE out -l chi_sim) and save the text as .txt",
	".jpeg": "an image: scan it to a PDF, or OCR it (tesseract FILE out -l chi_sim) and save the text as .txt",
	".png":  "an image: scan it to a PDF, or OCR it (tesseract FILE out -l chi_sim) and save the text as .txt",
	".tif":  "an image: scan it to a PDF, or OCR it (tesseract FILE out -l chi_sim) and save the text as .txt",
	".tiff": "an image: scan it to a PDF, or OCR it (tesseract FILE out -l chi_sim) and save the text as .txt",
	".bmp":  "an image: scan it to a PDF, or OCR it (tesseract FILE out -l chi_sim) and save the text as .txt",
	".gif":  "an image: OCR it (tesseract FILE out -l chi_sim) and save the text as .txt",
}

// Extract returns the text of a file as ingest reads it: for a text file its
// decoded text, for any other format the extracted text that chunk offsets
// point into. name is used for its extension only.
func Extract(name string, raw []byte, lim Limits) (*Extracted, error) {
	format, ex, err, ok := formatOf(name)
	if !ok {
		return nil, fmt.Errorf("%s: %w: unknown file type %q", name, ErrUnsupported, path.Ext(name))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if lim.MaxExtracted > 0 && int64(len(raw)) > lim.MaxExtracted && format == FormatText {
		return nil, fmt.Errorf("%s: %w: %d bytes, over the limit of %d", name, ErrTooLarge, len(raw), lim.MaxExtracted)
	}
	if ex == nil {
		dec, err := Decode(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return &Extracted{Format: FormatText, Text: dec.Text, Warnings: dec.Warnings()}, nil
	}
	x, err := ex(raw, lim)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if lim.MaxExtracted > 0 && int64(len(x.Text)) > lim.MaxExtracted {
		return nil, fmt.Errorf("%s: %w: extracted text over the limit of %d bytes", name, ErrTooLarge, lim.MaxExtracted)
	}
	x.Format = format
	return x, nil
}
