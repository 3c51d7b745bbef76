// Package ingest turns a folder of policy documents into chunks with exact
// source positions: it decodes, cleans, splits files into documents, parses
// their metadata and cuts them along their own heading ladder.
//
// ingest owns the stored format: the chunk id rule and the metadata keys that
// other packages read.
package ingest

// Chunk kinds.
const (
	KindHeader = "header" // a document's header block or byline: title, issuer, date, number
	KindBody   = "body"   // ordinary text under a heading path
)

// Chunk is one retrievable passage of a document.
type Chunk struct {
	// ID is 16 lower-case hex characters derived from the source path, the
	// byte range and the text, so it is stable across rebuilds of an
	// unchanged file (bot buttons on old answers keep working).
	ID     string `json:"id"`
	DocID  string `json:"doc_id"`
	Source string `json:"source"` // path relative to the corpus root, slash-separated
	Title  string `json:"title"`  // the document's title
	// Section is the heading path, outermost first, joined by " › ".
	Section string `json:"section,omitempty"`
	Date    string `json:"date,omitempty"` // the document's own date (YYYY-MM-DD where known)
	Kind    string `json:"kind"`
	// Start and End are byte offsets [Start,End): for text files into the
	// ORIGINAL file bytes, for other formats into the file's extracted text
	// (ingest.Extract).
	Start int `json:"start"`
	End   int `json:"end"`
	// LineStart and LineEnd are 1-based, inclusive line numbers in the
	// original file; text files only (0 for other formats).
	LineStart int `json:"line_start,omitempty"`
	LineEnd   int `json:"line_end,omitempty"`
	// Page and PageEnd are the 1-based pages the chunk starts and ends on;
	// PDF and OFD only (0 otherwise).
	Page    int `json:"page,omitempty"`
	PageEnd int `json:"page_end,omitempty"`
	// OCR is true when the text was recognized from page images.
	OCR bool `json:"ocr,omitempty"`
	// Headings are the heading paths (joined by SectionSep) of the headings
	// that open inside this chunk, in order: a document's outline.
	Headings []string `json:"headings,omitempty"`
	// Years are the years the chunk's content is about, resolved at ingest
	// against the document's own year and the chunk's heading path (a 2019
	// report's 一、2018年工作回顾 is about 2018, its 今年…预期目标 about 2019);
	// empty when nothing says. TimeKind says whether it reports what happened
	// (TimeReview) or sets what is to be done (TimePlan), "" when unknown.
	Years    []int  `json:"years,omitempty"`
	TimeKind string `json:"time_kind,omitempty"`
	// Text is the cleaned display text in the original script.
	Text string `json:"text"`
	// Folded is Text folded for matching (traditional→simplified,
	// full-width→half-width, lower case). It has exactly as many runes as Text.
	Folded string `json:"folded"`
}

// Document is one document found in a source file. A file usually holds one
// document; a newspaper page may hold several articles.
type Document struct {
	ID        string `json:"id"`
	Source    string `json:"source"`
	Title     string `json:"title"`
	Issuer    string `json:"issuer,omitempty"`   // issuing body or author
	Date      string `json:"date,omitempty"`     // the date the document gives itself (signature, speech)
	PubDate   string `json:"pub_date,omitempty"` // publication date of the page, where given
	DocNumber string `json:"doc_number,omitempty"`
	Validity  string `json:"validity,omitempty"` // 失效时间, where given
	OCR       bool   `json:"ocr,omitempty"`      // text recognized from page images
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Chunks    int    `json:"chunks"`
}
