package rag

import "fmt"

// Turn is one earlier message of a conversation.
type Turn struct {
	Role    string `json:"role"` // "user" or "assistant"
	Content string `json:"content"`
}

// Query is one question with the conversation before it.
type Query struct {
	ID       string `json:"id,omitempty"`
	Question string `json:"question"`
	History  []Turn `json:"history,omitempty"`
	// Previous is the result of the turn before, when the caller kept it
	// (chat, the bot): a follow-up is read against its items, passages and
	// documents. Without it, a follow-up with History answers the previous
	// question again to get them.
	Previous *Result `json:"-"`
	// K is how many passages the result lists; 0 means the engine's default.
	K int `json:"k,omitempty"`
	// Explain asks for Result.Explain.
	Explain bool `json:"explain,omitempty"`
}

// Answer modes.
const (
	ModeExtractive         = "extractive"
	ModeLLM                = "llm"
	ModeExtractiveFallback = "extractive-fallback"
)

// Result is the answer to one Query. Its JSON form is the `ask --json` schema.
type Result struct {
	ID       string `json:"id,omitempty"`
	Question string `json:"question"`
	// Standalone is the question rewritten with its history, when it differs.
	Standalone  string     `json:"standalone,omitempty"`
	Answer      string     `json:"answer"`
	Answered    bool       `json:"answered"`
	Mode        string     `json:"mode"`
	Unsupported []string   `json:"unsupported"`
	Uncited     bool       `json:"uncited,omitempty"` // an LLM answer that cites nothing
	Citations   []Citation `json:"citations"`
	Passages    []Passage  `json:"passages"`
	// Nearest names the closest documents when the question was refused.
	Nearest []string `json:"nearest,omitempty"`
	// RefusalReason says, in English, why the question was refused.
	RefusalReason string `json:"refusal_reason,omitempty"`
	Error         string `json:"error,omitempty"`
	// Explain, when the query asked for it, says how the answer or refusal
	// came about: the analysis, the candidates, the checks, the decision.
	Explain *Explanation `json:"explain,omitempty"`
}

// Citation is a passage the answer cites as [N].
type Citation struct {
	N       int    `json:"n"`
	ChunkID string `json:"chunk_id"`
	Source  string `json:"source"`
	Title   string `json:"title"`
	Section string `json:"section"`
	Date    string `json:"date,omitempty"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Locus
	Quote string `json:"quote"`
}

// Passage is one retrieved passage, best first.
type Passage struct {
	Rank    int     `json:"rank"`
	Score   float64 `json:"score"`
	ChunkID string  `json:"chunk_id"`
	Source  string  `json:"source"`
	Title   string  `json:"title"`
	Section string  `json:"section"`
	Date    string  `json:"date,omitempty"`
	Start   int     `json:"start"`
	End     int     `json:"end"`
	Locus
	Text string `json:"text"`

	// The time the passage is about (ingest.Chunk's Years and TimeKind)
	// and its document's year, for the time feature.
	years    []int
	timeKind string
	docYear  int
}

// Locus is where a passage sits in its file, in the terms a reader can
// open it by: lines for text files, pages for PDF and OFD, neither for Word
// and HTML (their heading path says where). Start and End beside it are
// byte offsets: into the original bytes of a text file, into the extracted
// text of any other format (`policybot extract FILE` prints it).
type Locus struct {
	LineStart int  `json:"line_start,omitempty"`
	LineEnd   int  `json:"line_end,omitempty"`
	Page      int  `json:"page,omitempty"`
	PageEnd   int  `json:"page_end,omitempty"`
	OCR       bool `json:"ocr,omitempty"` // the text was recognized from page images
}

// String writes the locus for a reader: 第12行, 第12–14行, 第3页, 第3–4页,
// followed by （OCR识别文本） for recognized text; empty when there is none.
func (l Locus) String() string {
	var s string
	switch {
	case l.Page > 0 && l.PageEnd > l.Page:
		s = fmt.Sprintf("第%d–%d页", l.Page, l.PageEnd)
	case l.Page > 0:
		s = fmt.Sprintf("第%d页", l.Page)
	case l.LineStart > 0 && l.LineEnd > l.LineStart:
		s = fmt.Sprintf("第%d–%d行", l.LineStart, l.LineEnd)
	case l.LineStart > 0:
		s = fmt.Sprintf("第%d行", l.LineStart)
	}
	if l.OCR {
		s += "（OCR识别文本）"
	}
	return s
}
