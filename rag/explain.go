package rag

// explain: what the stages saw and decided, for `ask --explain` and the
// explain object of `ask --json` (Query.Explain).

import (
	"fmt"
	"io"
	"strings"
)

// Explanation says how an answer or refusal came about.
type Explanation struct {
	Analysis *Analysis `json:"analysis"`
	// Candidates are the passages of the whole question, best first, with
	// the scores they were ranked by.
	Candidates []Candidate `json:"candidates"`
	// Checks are the verdicts of every refusal check on the whole
	// question's extractive answer, in the order they are tried.
	Checks []CheckVerdict `json:"checks"`
	// Spans are the pieces of the extractive answer (empty when refused).
	Spans []ExplainedSpan `json:"spans,omitempty"`
	// Decision says, in English, why this answer or refusal was given.
	Decision []string `json:"decision"`
}

// Candidate is one retrieved passage and its ranking features.
type Candidate struct {
	Rank    int    `json:"rank"`
	ChunkID string `json:"chunk_id"`
	Title   string `json:"title"`
	Section string `json:"section,omitempty"`
	features
	Score float64 `json:"score"` // the final ranking score
}

// ExplainedSpan is one piece of an extractive answer: a byte range of a
// passage's text, or the engine's own text (Start -1), and the passage it cites.
type ExplainedSpan struct {
	ChunkID string `json:"chunk_id,omitempty"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Cite    int    `json:"cite,omitempty"`
	Text    string `json:"text"`
	Why     string `json:"why,omitempty"` // why it was taken
}

// explainFound starts an explanation from the whole question's analysis
// and what was found for it.
func (e *Engine) explainFound(ix Retriever, a *Analysis, whole found) *Explanation {
	a.Documents = namedDocuments(ix, a.about, a.searched)
	x := &Explanation{Analysis: a, Candidates: []Candidate{}, Checks: e.allChecks(ix, a, whole)}
	for i, p := range whole.passages {
		c := Candidate{Rank: p.Rank, ChunkID: p.ChunkID, Title: p.Title, Section: p.Section, Score: p.Score}
		if i < len(whole.feat) {
			c.features = whole.feat[i]
		}
		x.Candidates = append(x.Candidates, c)
	}
	if whole.ex.best > 0 {
		x.decide("best sentence (passage %d, covers %.2f of the question's weight): %s", whole.ex.best, whole.ex.cover, whole.ex.top.text)
	}
	if whole.refit {
		x.decide("the best sentences spoke of another year or place: the answer was taken again from the passages that fit")
	}
	return x
}

// decide records one step of the decision; x may be nil.
func (x *Explanation) decide(format string, args ...any) {
	if x != nil {
		x.Decision = append(x.Decision, fmt.Sprintf(format, args...))
	}
}

// answerSpans records the extractive answer's spans; x may be nil.
func (x *Explanation) answerSpans(sp spans) {
	if x == nil {
		return
	}
	for _, s := range sp {
		x.Spans = append(x.Spans, ExplainedSpan{ChunkID: s.chunk, Start: s.start, End: s.end, Cite: s.cite, Text: s.text, Why: s.why})
	}
}

// WriteText writes the explanation for a person at a terminal.
func (x *Explanation) WriteText(w io.Writer) error {
	var b strings.Builder
	a := x.Analysis
	fmt.Fprintf(&b, "分析 analysis\n  folded:   %s\n", a.Folded)
	line := func(name string, v []string) {
		if len(v) > 0 {
			fmt.Fprintf(&b, "  %-9s %s\n", name+":", strings.Join(v, " "))
		}
	}
	line("rules", a.Rules)
	line("years", a.Years)
	var ws []string
	for _, k := range sortedKeys(a.YearsWritten) {
		ws = append(ws, k+"→"+a.YearsWritten[k])
	}
	line("written", ws)
	if w := a.When; w != nil {
		var ws []string
		for _, y := range w.Years {
			ws = append(ws, fmt.Sprint(y))
		}
		for _, r := range w.Relative {
			ws = append(ws, fmt.Sprintf("document year%+d", r))
		}
		fmt.Fprintf(&b, "  when:     %s %s\n", strings.Join(ws, " "), w.Kind)
	}
	line("places", a.Places)
	line("names", a.Names)
	line("ordinals", a.Ordinals)
	line("parts", a.Parts)
	if a.Unit != "" {
		fmt.Fprintf(&b, "  unit:     %s\n", a.Unit)
	}
	if a.Count > 0 {
		fmt.Fprintf(&b, "  count:    %d\n", a.Count)
	}
	var ts []string
	for _, t := range a.Terms {
		ts = append(ts, fmt.Sprintf("%s(%.2f)", t.Word, t.Weight))
	}
	line("terms", ts)
	if fu := a.Followup; fu != nil {
		fmt.Fprintf(&b, "  followup: rules %v, item %q, own %q, documents kept %v (related only: %v)\n", fu.Rules, fu.Item, fu.Own, fu.Docs, fu.Related)
	}
	fmt.Fprintf(&b, "候选 candidates\n  %-4s %-7s %-7s %-6s %-6s %-5s %-6s %s\n", "rank", "lexical", "dense", "fused", "cover", "named", "score", "passage")
	for _, c := range x.Candidates {
		named := ""
		if c.Named {
			named = "yes"
		}
		timeFit := ""
		if c.Time != 0 {
			timeFit = fmt.Sprintf(" [time %+.2f]", c.Time)
		}
		fmt.Fprintf(&b, "  %-4d %-7.3f %-7.3f %-6.3f %-6.3f %-5s %-6.3f 《%s》%s%s\n", c.Rank, c.Lexical, c.Dense, c.Fused, c.Cover, named, c.Score, c.Title, sectionOf(c.Section), timeFit)
	}
	fmt.Fprintln(&b, "拒答检查 refusal checks")
	for _, c := range x.Checks {
		v := "pass"
		if c.Refuses {
			v = "REFUSES: " + c.Why
		}
		fmt.Fprintf(&b, "  %-17s %s\n", c.Name, v)
	}
	if len(x.Spans) > 0 {
		fmt.Fprintln(&b, "摘录 spans")
		for _, s := range x.Spans {
			where := "engine text"
			if s.Start >= 0 {
				where = fmt.Sprintf("%s [%d,%d)", s.ChunkID, s.Start, s.End)
			}
			cite := ""
			if s.Cite > 0 {
				cite = fmt.Sprintf("[%d] ", s.Cite)
			}
			fmt.Fprintf(&b, "  %s%s: %s\n", cite, where, s.Text)
			if s.Why != "" {
				fmt.Fprintf(&b, "      (%s)\n", s.Why)
			}
		}
	}
	fmt.Fprintln(&b, "决定 decision")
	for _, d := range x.Decision {
		fmt.Fprintf(&b, "  - %s\n", d)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func sectionOf(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}
