package rag

// An extractive answer travels between the stages as spans: pieces of
// passages (a chunk, a byte range of its text) or of the engine's own text
// (an outline's numbering and headings), each maybe followed by a
// citation. Only the last stage renders them into the answer's text.

import (
	"strconv"
	"strings"
)

// span is one piece of an answer.
type span struct {
	chunk      string // chunk id of the passage quoted; "" for the engine's own text
	start, end int    // byte range of text in the passage's Text; -1 when not quoted
	text       string
	cite       int    // the passage number cited after the text, [cite]; 0 for none
	sep        string // written after the citation: "；" (a line without a stop), "\n" or ""
	why        string // why the stage that made it took it, for --explain
}

// spans is an answer, in reading order.
type spans []span

// render writes the answer: the text of each span, its citation, then its
// separator. Without cites it leaves the citations out.
func (sp spans) render(cites bool) string {
	var b strings.Builder
	for _, s := range sp {
		b.WriteString(s.text)
		if cites && s.cite > 0 {
			b.WriteString("[" + strconv.Itoa(s.cite) + "]")
		}
		b.WriteString(s.sep)
	}
	return b.String()
}

// runs cuts the answer into its cited runs: the spans up to and including
// each one that cites, starting after a line break. Spans on a line that
// cites nothing (an outline's title line) belong to no run.
func (sp spans) runs() []spans {
	var out []spans
	start := 0
	for i, s := range sp {
		if s.cite > 0 {
			out = append(out, sp[start:i+1])
			start = i + 1
		} else if strings.Contains(s.sep, "\n") {
			start = i + 1
		}
	}
	return out
}

// body is a run's text without its citation and final separator.
func (run spans) body() string {
	var b strings.Builder
	for i, s := range run {
		b.WriteString(s.text)
		if i+1 < len(run) {
			b.WriteString(s.sep)
		}
	}
	return strings.TrimSpace(b.String())
}

// cited returns the passage numbers cited, in order of first use.
func (sp spans) cited() []int {
	var out []int
	seen := map[int]bool{}
	for _, s := range sp {
		if s.cite > 0 && !seen[s.cite] {
			seen[s.cite] = true
			out = append(out, s.cite)
		}
	}
	return out
}

// quotes maps each cited passage number to the text cited by it: the
// bodies of its runs, concatenated.
func (sp spans) quotes() map[int]string {
	out := map[int]string{}
	for _, run := range sp.runs() {
		out[run[len(run)-1].cite] += run.body()
	}
	return out
}
