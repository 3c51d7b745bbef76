package rag

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
	// K is how many passages the result lists; 0 means the engine's default.
	K int `json:"k,omitempty"`
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
}

// Citation is a passage the answer cites as [N].
type Citation struct {
	N         int    `json:"n"`
	ChunkID   string `json:"chunk_id"`
	Source    string `json:"source"`
	Title     string `json:"title"`
	Section   string `json:"section"`
	Date      string `json:"date,omitempty"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	LineStart int    `json:"line_start"`
	LineEnd   int    `json:"line_end"`
	Quote     string `json:"quote"`
}

// Passage is one retrieved passage, best first.
type Passage struct {
	Rank      int     `json:"rank"`
	Score     float64 `json:"score"`
	ChunkID   string  `json:"chunk_id"`
	Source    string  `json:"source"`
	Title     string  `json:"title"`
	Section   string  `json:"section"`
	Date      string  `json:"date,omitempty"`
	Start     int     `json:"start"`
	End       int     `json:"end"`
	LineStart int     `json:"line_start"`
	LineEnd   int     `json:"line_end"`
	Text      string  `json:"text"`
}
