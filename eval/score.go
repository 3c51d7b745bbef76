// Package eval scores question-answering results against a gold question set.
//
// It is a port of /work/shared/eval/score.py: for the same gold set, results
// and seed files, Score gives the same figures as the Python script (equal to
// three decimals), so `policybot eval` and score.py can be compared directly.
package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"policybot/rag"
)

const (
	// MaxSpan is the longest passage or citation, in bytes, that can count as
	// finding the evidence (about 1,500 CJK characters); a longer one is too
	// coarse to count.
	MaxSpan = 4500
	// MaxAnswer is the longest answer, in characters (code points) after
	// whitespace is removed, whose facts count; a longer answer is not a chat
	// answer.
	MaxAnswer = 1200
	// maxMissesShown is how many misses WriteText lists, as score.py does.
	maxMissesShown = 40
)

// Item is one gold question, in the format of /work/shared/eval/FORMAT.md.
type Item struct {
	ID       string     `json:"id"`
	Kind     string     `json:"kind"`
	Question string     `json:"question"`
	History  []rag.Turn `json:"history,omitempty"`
	// Answers holds groups of acceptable strings: a correct answer contains
	// at least one string of every group, whitespace aside.
	Answers [][]string `json:"answers"`
	// Sources names the seed files that hold the evidence.
	Sources []string `json:"sources"`
	// Evidence holds exact substrings of the source files.
	Evidence []string `json:"evidence"`
	Note     string   `json:"note,omitempty"`
}

// KindUnanswerable marks gold items whose answer the corpus does not hold.
const KindUnanswerable = "unanswerable"

// LoadItems reads a JSONL gold file, one Item per non-blank line. Every item
// needs an id and a kind, because score.py cannot score one without them.
func LoadItems(path string) ([]Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load gold items: %w", err)
	}
	defer f.Close()
	var items []Item
	r := bufio.NewReader(f)
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read %s line %d: %w", path, n, err)
		}
		if len(bytes.TrimSpace(line)) > 0 {
			var it Item
			if uerr := json.Unmarshal(line, &it); uerr != nil {
				return nil, fmt.Errorf("parse %s line %d: %w", path, n, uerr)
			}
			if it.ID == "" || it.Kind == "" {
				return nil, fmt.Errorf("parse %s line %d: item needs an id and a kind", path, n)
			}
			items = append(items, it)
		}
		if err != nil { // io.EOF after the last line
			return items, nil
		}
	}
}

// Summary holds the figures score.py prints, together with the counts behind
// its ratios. Ratios are rounded to three decimals as score.py rounds them.
type Summary struct {
	Items int
	// Hit1, HitK and MRR rate the rank of the first passage that overlaps
	// the evidence, over answerable items.
	Hit1, HitK, MRR float64
	// AnswerFacts is the share of answerable items whose answer holds every
	// answer group and is at most MaxAnswer characters long.
	AnswerFacts float64
	// CitedAnswers is the share of answerable items with any citation.
	CitedAnswers float64
	// CitationPrecision is the share of citations (of answerable items) that
	// overlap the evidence.
	CitationPrecision float64
	// FalseRefusals is the share of answerable items the bot refused.
	FalseRefusals float64
	// RefusalOnUnanswerable is the share of unanswerable items it refused.
	RefusalOnUnanswerable float64
	// K is the cut-off of HitK.
	K int
	// MedianPassageBytes is the median end-start of every passage of every
	// result (the upper median, as score.py takes it).
	MedianPassageBytes int
	// MedianAnswerChars is the median length of every result's answer, in
	// code points without whitespace, over all results, matched or not.
	MedianAnswerChars int
	// ByKind maps each kind to {items answered correctly, items}; an
	// unanswerable item is correct when refused.
	ByKind map[string][2]int

	Answerable, Unanswerable int
	Hit1Count, HitKCount     int
	AnswerOK                 int
	// Refused counts unanswerable items the bot refused.
	Refused           int
	FalseRefusalCount int
	// CitedCount counts answerable items with any citation; CitationsOK of
	// their Citations overlap the evidence.
	CitedCount, CitationsOK, Citations int
	// Misses lists the items that failed, in gold order.
	Misses []Miss
}

// Miss is one gold item the results got wrong, with score.py's reason.
type Miss struct {
	ID, Why string
}

// evRange is the byte range [start, end) of one evidence string in a seed file.
type evRange struct {
	source     string
	start, end int
}

// Score rates results against the gold items. A gold item takes the result
// with its ID (the last one, if several share it), else the result at its own
// position, else none. seedsDir holds the seed files named by the items'
// sources; evidence byte ranges are found in them. k is the cut-off of hit@k.
//
// A result counts as refused only when Answered is false and Error is empty:
// a failed line of `ask --jsonl` is written as {"id", "error"} without an
// "answered" key, which score.py does not treat as a refusal, and a missing
// result is not a refusal either.
func Score(items []Item, results []rag.Result, seedsDir string, k int) (Summary, error) {
	s := Summary{K: k, ByKind: map[string][2]int{}}
	byID := make(map[string]int, len(results))
	for i, r := range results {
		if r.ID != "" {
			byID[r.ID] = i
		}
	}
	seeds := map[string][]byte{}
	mrr := 0.0
	for i, g := range items {
		var r *rag.Result
		if j, ok := byID[g.ID]; ok {
			r = &results[j]
		} else if i < len(results) {
			r = &results[i]
		} else {
			r = &rag.Result{Error: "no result"}
		}
		refused := !r.Answered && r.Error == ""
		s.Items++
		kd := s.ByKind[g.Kind]
		kd[1]++
		if g.Kind == KindUnanswerable {
			s.Unanswerable++
			if refused {
				s.Refused++
				kd[0]++
			} else {
				s.Misses = append(s.Misses, Miss{g.ID, "answered an unanswerable question"})
			}
			s.ByKind[g.Kind] = kd
			continue
		}
		s.Answerable++
		rs, err := evidenceRanges(g, seedsDir, seeds)
		if err != nil {
			return Summary{}, err
		}
		rank := 0
		for j, p := range r.Passages {
			if overlaps(p.Source, p.Start, p.End, rs) {
				rank = j + 1
				break
			}
		}
		if rank == 1 {
			s.Hit1Count++
		}
		if rank > 0 && rank <= k {
			s.HitKCount++
		}
		if rank > 0 {
			mrr += 1.0 / float64(rank)
		}
		ok := answerHasFacts(r.Answer, g.Answers)
		if ok {
			s.AnswerOK++
			kd[0]++
		}
		s.ByKind[g.Kind] = kd
		if refused {
			s.FalseRefusalCount++
		}
		if len(r.Citations) > 0 {
			s.CitedCount++
		}
		s.Citations += len(r.Citations)
		for _, c := range r.Citations {
			if overlaps(c.Source, c.Start, c.End, rs) {
				s.CitationsOK++
			}
		}
		if !ok || rank == 0 || rank > k {
			rk := "None"
			if rank > 0 {
				rk = strconv.Itoa(rank)
			}
			s.Misses = append(s.Misses, Miss{g.ID, fmt.Sprintf("rank=%s answer_ok=%s", rk, pyBool(ok))})
		}
	}
	a := max(s.Answerable, 1)
	s.Hit1 = ratio(float64(s.Hit1Count), a)
	s.HitK = ratio(float64(s.HitKCount), a)
	s.MRR = ratio(mrr, a)
	s.AnswerFacts = ratio(float64(s.AnswerOK), a)
	s.CitedAnswers = ratio(float64(s.CitedCount), a)
	s.CitationPrecision = ratio(float64(s.CitationsOK), max(s.Citations, 1))
	s.FalseRefusals = ratio(float64(s.FalseRefusalCount), a)
	s.RefusalOnUnanswerable = ratio(float64(s.Refused), max(s.Unanswerable, 1))

	var spans, chars []int
	for _, r := range results {
		for _, p := range r.Passages {
			spans = append(spans, p.End-p.Start)
		}
		chars = append(chars, utf8.RuneCountInString(squash(r.Answer)))
	}
	s.MedianPassageBytes = upperMedian(spans)
	s.MedianAnswerChars = upperMedian(chars)
	return s, nil
}

// evidenceRanges finds each evidence string of g in the first of g's sources
// that holds it; evidence found in no source gives no range. Seed files are
// read once into cache.
func evidenceRanges(g Item, dir string, cache map[string][]byte) ([]evRange, error) {
	var out []evRange
	for _, ev := range g.Evidence {
		for _, src := range g.Sources {
			raw, ok := cache[src]
			if !ok {
				p := src
				if !filepath.IsAbs(p) {
					p = filepath.Join(dir, src)
				}
				var err error
				if raw, err = os.ReadFile(p); err != nil {
					return nil, fmt.Errorf("evidence of item %q: %w", g.ID, err)
				}
				cache[src] = raw
			}
			if i := bytes.Index(raw, []byte(ev)); i >= 0 {
				out = append(out, evRange{src, i, i + len(ev)})
				break
			}
		}
	}
	return out, nil
}

// overlaps reports whether the byte range [start, end) of source spans at
// most MaxSpan bytes and overlaps one of rs in the same file. source is a
// path; only its base name is compared, split at '/' as Python's
// os.path.basename does.
func overlaps(source string, start, end int, rs []evRange) bool {
	if end-start > MaxSpan {
		return false
	}
	base := source[strings.LastIndexByte(source, '/')+1:]
	for _, r := range rs {
		if base == r.source && start < r.end && end > r.start {
			return true
		}
	}
	return false
}

// answerHasFacts reports whether answer, whitespace removed, is at most
// MaxAnswer code points long and holds one string of every group.
func answerHasFacts(answer string, groups [][]string) bool {
	ans := squash(answer)
	if utf8.RuneCountInString(ans) > MaxAnswer {
		return false
	}
	for _, grp := range groups {
		if !slices.ContainsFunc(grp, func(alt string) bool { return strings.Contains(ans, squash(alt)) }) {
			return false
		}
	}
	return true
}

// squash removes every character Python's re `\s` matches in a str pattern.
func squash(t string) string {
	return strings.Map(func(r rune) rune {
		if isPySpace(r) {
			return -1
		}
		return r
	}, t)
}

// isPySpace reports whether Python's str.isspace accepts r (which is what
// re's `\s` matches): Go's unicode.IsSpace plus the ASCII separators
// U+001C..U+001F, which Python counts as whitespace and Go does not.
func isPySpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// ratio is num/den rounded to three decimals the way Python's round does:
// from the exact binary value, with exact halves going to the even digit.
func ratio(num float64, den int) float64 {
	return round3(num / float64(den))
}

func round3(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	v, err := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 3, 64), 64)
	if err != nil { // cannot happen: FormatFloat output always parses
		return x
	}
	return v
}

// upperMedian sorts xs and returns the element at len/2 (0 when empty), as
// score.py takes its medians.
func upperMedian(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	sort.Ints(xs)
	return xs[len(xs)/2]
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// hitKKey is score.py's key of the hit@k figure.
func (s Summary) hitKKey() string { return "hit@" + strconv.Itoa(s.K) }

// kinds returns the kinds of ByKind in sorted order.
func (s Summary) kinds() []string {
	ks := make([]string, 0, len(s.ByKind))
	for kd := range s.ByKind {
		ks = append(ks, kd)
	}
	sort.Strings(ks)
	return ks
}

// JSON returns the figures under the keys score.py --json prints, with the
// same rounding: ratios as float64, medians and items as int, and by_kind as
// kind → "ok/total". When K is 1, "hit@1" is HitK, which then equals Hit1.
func (s Summary) JSON() map[string]any {
	byKind := make(map[string]any, len(s.ByKind))
	for kd, v := range s.ByKind {
		byKind[kd] = fmt.Sprintf("%d/%d", v[0], v[1])
	}
	m := map[string]any{
		"items":                   s.Items,
		"hit@1":                   s.Hit1,
		"mrr":                     s.MRR,
		"answer_facts":            s.AnswerFacts,
		"cited_answers":           s.CitedAnswers,
		"citation_precision":      s.CitationPrecision,
		"false_refusals":          s.FalseRefusals,
		"refusal_on_unanswerable": s.RefusalOnUnanswerable,
		"median_passage_bytes":    s.MedianPassageBytes,
		"median_answer_chars":     s.MedianAnswerChars,
		"by_kind":                 byKind,
	}
	m[s.hitKKey()] = s.HitK
	return m
}

// WriteText writes the summary in score.py's text layout (one "%-24s %s"
// line per figure, floats and by_kind printed as Python prints them, a single
// hit@1 line when K is 1, then the first 40 misses), with the counts behind each ratio added in
// parentheses, e.g. "hit@5                    0.833 (25/30)".
func (s Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	line := func(key, val string) { fmt.Fprintf(&b, "%-24s %s\n", key, val) }
	frac := func(v float64, num, den int) string {
		return fmt.Sprintf("%s (%d/%d)", pyFloat(v), num, den)
	}
	line("items", strconv.Itoa(s.Items))
	line("hit@1", frac(s.Hit1, s.Hit1Count, s.Answerable))
	if s.K != 1 { // score.py's dict holds one "hit@1" key when k is 1
		line(s.hitKKey(), frac(s.HitK, s.HitKCount, s.Answerable))
	}
	line("mrr", pyFloat(s.MRR))
	line("answer_facts", frac(s.AnswerFacts, s.AnswerOK, s.Answerable))
	line("cited_answers", frac(s.CitedAnswers, s.CitedCount, s.Answerable))
	line("citation_precision", frac(s.CitationPrecision, s.CitationsOK, s.Citations))
	line("false_refusals", frac(s.FalseRefusals, s.FalseRefusalCount, s.Answerable))
	line("refusal_on_unanswerable", frac(s.RefusalOnUnanswerable, s.Refused, s.Unanswerable))
	line("median_passage_bytes", strconv.Itoa(s.MedianPassageBytes))
	line("median_answer_chars", strconv.Itoa(s.MedianAnswerChars))
	kinds := s.kinds()
	parts := make([]string, len(kinds))
	for i, kd := range kinds {
		v := s.ByKind[kd]
		parts[i] = pyRepr(kd) + ": " + pyRepr(fmt.Sprintf("%d/%d", v[0], v[1]))
	}
	line("by_kind", "{"+strings.Join(parts, ", ")+"}")
	ms := s.Misses[:min(len(s.Misses), maxMissesShown)]
	shown := make([]string, len(ms))
	for i, m := range ms {
		shown[i] = m.ID + "(" + m.Why + ")"
	}
	b.WriteString("misses: " + strings.Join(shown, ", ") + "\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// pyFloat formats v as Python's repr does for the values a summary holds:
// the shortest digits, with ".0" on whole numbers.
func pyFloat(v float64) string {
	t := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(t, ".NI") {
		t += ".0"
	}
	return t
}

// pyRepr quotes s as Python's repr of a str does for printable text.
func pyRepr(s string) string {
	q := "'"
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = `"`
	}
	s = strings.ReplaceAll(s, `\`, `\\`)
	if q == "'" {
		s = strings.ReplaceAll(s, "'", `\'`)
	}
	return q + s + q
}
