package rag

// When the documents do not answer: the signs that say so.

import (
	"slices"
	"strings"
	"unicode/utf8"

	"policybot/fold"
	"policybot/lexical"
)

// tagger tags words with parts of speech; the lexical tokenizer does.
type tagger interface {
	Tag(text string) []lexical.Tagged
}

// refusalCase is what the refusal checks read: the question's analysis,
// what was found for it, and the answer and where it was found, folded.
type refusalCase struct {
	a      *Analysis
	f      found
	df     func(term string) int // how many documents hold a term
	answer string                // the extractive answer, folded, without citations
	where  string                // the cited passages with their titles, sections and dates, folded
}

// refusalCheck is one sign that the passages do not answer the question:
// Func returns why ("" when the sign is absent).
type refusalCheck struct {
	Name string
	Func func(e *Engine, c *refusalCase) string
}

// refusalChecks are the signs, in the order they are tried; the first that
// speaks refuses the question.
var refusalChecks = []refusalCheck{
	{"no-passage", checkNoPassage},
	{"coverage", checkCoverage},
	{"years", checkYears},
	{"names", checkNames},
	{"unit", checkUnit},
	{"date", checkDate},
	{"figure", checkFigure},
	{"place", checkPlace},
	{"person", checkPerson},
	{"missing-concepts", checkMissingConcepts},
	{"outcome", checkOutcome},
}

// refuse decides whether the passages fail to answer the question and
// says why ("" when they may answer it), and which check said so.
func (e *Engine) refuse(ix Retriever, a *Analysis, f found) (why, check string) {
	c := newRefusalCase(ix, a, f)
	for _, rc := range refusalChecks {
		if why := rc.Func(e, c); why != "" {
			return why, rc.Name
		}
	}
	return "", ""
}

func newRefusalCase(ix Retriever, a *Analysis, f found) *refusalCase {
	c := &refusalCase{a: a, f: f, df: func(t string) int { return dfOf(ix, t) }}
	if len(f.passages) > 0 && len(f.ex.picked) > 0 {
		c.answer = fold.String(f.ex.spans.render(false))
		c.where = whereText(f.passages, f.ex.cited)
	}
	return c
}

// dfOf returns how many chunks of ix hold term.
func dfOf(ix Retriever, term string) int { return ix.TermStats([]string{term}).DF[0] }

// CheckVerdict is what one refusal check said of an answer.
type CheckVerdict struct {
	Name    string `json:"name"`
	Refuses bool   `json:"refuses"`
	Why     string `json:"why,omitempty"`
}

// allChecks runs every refusal check, for --explain; refuse stops at the
// first that refuses.
func (e *Engine) allChecks(ix Retriever, a *Analysis, f found) []CheckVerdict {
	c := newRefusalCase(ix, a, f)
	out := make([]CheckVerdict, 0, len(refusalChecks))
	for _, rc := range refusalChecks {
		why := rc.Func(e, c)
		out = append(out, CheckVerdict{Name: rc.Name, Refuses: why != "", Why: why})
	}
	return out
}

// checkNoPassage: nothing was found, or no sentence of it was picked.
func checkNoPassage(_ *Engine, c *refusalCase) string {
	if len(c.f.passages) == 0 || len(c.f.ex.picked) == 0 {
		return "no passage"
	}
	return ""
}

// checkCoverage: the answer sentences hold too little of the question's weight.
func checkCoverage(e *Engine, c *refusalCase) string {
	if c.f.ex.cover < e.w.MinCoverage {
		return "question terms not found"
	}
	return ""
}

// checkYears: a year the question names is not where the answer was found.
func checkYears(_ *Engine, c *refusalCase) string {
	if !yearsFit(c.f.passages, c.f.ex.cited, c.a.Years) {
		return "year " + strings.Join(c.a.Years, " ") + " not where the answer is"
	}
	return ""
}

// checkNames: a place, person or organization the question is about must
// be where the answer was found: an answer about another city is no answer.
func checkNames(e *Engine, c *refusalCase) string {
	if !e.namesFit(c.a, whereText(c.f.passages, []int{c.f.ex.best})) {
		return "names " + strings.Join(c.a.Names, " ") + " not where the answer is"
	}
	return ""
}

// checkUnit: a figure asked in a unit (多少亩, 百分之几) must be there in that unit.
func checkUnit(_ *Engine, c *refusalCase) string {
	if c.a.unitRx != nil && !c.a.unitRx.MatchString(c.answer) {
		return "the unit asked for is not in the answer"
	}
	return ""
}

// checkDate: asked when, the answer or where it was found must hold a date.
func checkDate(_ *Engine, c *refusalCase) string {
	if c.a.Asks.Date && !reHasDate.MatchString(c.answer) && !reHasDate.MatchString(c.where) {
		return "asks a date, found none"
	}
	return ""
}

// checkFigure: asked for a figure, the answer must hold one of its own.
func checkFigure(_ *Engine, c *refusalCase) string {
	if c.a.Asks.Figure && !hasOwnFigure(c.answer, c.a.Folded) {
		return "asks a figure, found none"
	}
	return ""
}

// checkPlace: asked where, the answer must name a place.
func checkPlace(e *Engine, c *refusalCase) string {
	if c.a.Asks.Place && !e.namesPlace(c.answer) {
		return "asks where, names no place"
	}
	return ""
}

// checkPerson: asked who, the answer must name someone: a person, an organization.
func checkPerson(e *Engine, c *refusalCase) string {
	if c.a.Asks.Person && !e.namesSomeone(c.answer) {
		return "asks who, names no one"
	}
	return ""
}

// checkMissingConcepts: when the best sentence holds little of the
// question, most of its informative nouns are in no document.
func checkMissingConcepts(e *Engine, c *refusalCase) string {
	if c.f.ex.cover < e.w.MissingBelow {
		return e.missingConcepts(c.df, c.a)
	}
	return ""
}

// checkOutcome: asked what happened, the documents may only give the plan:
// the answer gives a plan and none of its sentences an outcome that is not
// itself a plan (完成省定目标 beside a target is no outcome of its own).
func checkOutcome(_ *Engine, c *refusalCase) string {
	if !c.a.Asks.Outcome || !rePlan.MatchString(c.answer) {
		return ""
	}
	for _, s := range c.f.ex.picked {
		if f := fold.String(s.text); reOutcome.MatchString(f) && !rePlan.MatchString(f) {
			return ""
		}
	}
	return "asks an outcome, found only a plan"
}

// whereText is where an answer was found: the cited passages with their
// titles, sections and dates, folded.
func whereText(ps []Passage, cited []int) string {
	var sb strings.Builder
	for _, n := range cited {
		if n < 1 || n > len(ps) {
			continue
		}
		p := ps[n-1]
		sb.WriteString(fold.String(p.Title + " " + p.Section + " " + p.Date + " " + p.Text))
		sb.WriteByte('\n')
	}
	return sb.String()
}

// yearsFit reports whether the cited passages speak of the year asked
// about. A passage's own heading path and text decide when they name any
// year (a report titled 2019 reviews 2018 under "2018年工作回顾"); only a
// passage that names no year is dated by its document's title and date.
func yearsFit(ps []Passage, cited []int, years []string) bool {
	if len(years) == 0 {
		return true
	}
	var own, doc strings.Builder
	for _, n := range cited {
		if n < 1 || n > len(ps) {
			continue
		}
		p := ps[n-1]
		t := fold.String(p.Section + " " + p.Text)
		if reYear.MatchString(t) {
			own.WriteString(t)
		} else {
			doc.WriteString(fold.String(p.Title + " " + p.Date))
		}
		own.WriteByte('\n')
	}
	where := own.String() + doc.String()
	// A question comparing years ("18年…，到19年…") may be answered in
	// part: one of them is enough.
	if len(years) > 1 {
		return holdsAny(where, years)
	}
	return strings.Contains(where, years[0])
}

// allYears reports whether the cited passages speak of every one of years.
func allYears(ps []Passage, cited []int, years []string) bool {
	for _, y := range years {
		if !yearsFit(ps, cited, []string{y}) {
			return false
		}
	}
	return true
}

func holdsAny(text string, words []string) bool {
	for _, w := range words {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}

// namesPlace reports whether text names a place.
func (e *Engine) namesPlace(text string) bool {
	if len(e.opt.Places.Find(text)) > 0 || rePlaceWord.MatchString(text) {
		return true
	}
	t, ok := e.tok.(tagger)
	if !ok {
		return true
	}
	for _, tw := range t.Tag(text) {
		if tw.Pos == "ns" {
			return true
		}
	}
	return false
}

// namesSomeone reports whether text names a person or an organization.
func (e *Engine) namesSomeone(text string) bool {
	if reOrganization.MatchString(text) {
		return true
	}
	t, ok := e.tok.(tagger)
	if !ok {
		return true
	}
	for _, tw := range t.Tag(text) {
		if strings.HasPrefix(tw.Pos, "nr") || tw.Pos == "nt" {
			return true
		}
	}
	return false
}

// places returns the places the folded text names: from the gazetteer,
// and the local places of the indexed documents' titles.
func (e *Engine) places(s string) []string {
	out := e.opt.Places.Find(s)
	if l := e.snap().local; l != nil {
		for _, p := range l.Find(s) {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// namesFit reports whether where speaks of what the question names: every
// place of the gazetteer it names (济源 and 洛阳 both, in one passage), and
// at least one of its other names.
func (e *Engine) namesFit(a *Analysis, where string) bool {
	if len(a.Names) == 0 {
		return true
	}
	places := a.Places
	var others []string
	for _, n := range a.Names {
		if !slices.Contains(places, n) {
			others = append(others, n)
		}
	}
	return allIn(where, places) && (len(others) == 0 || holdsAny(where, others))
}

// hasOwnFigure reports whether answer holds a figure that is not merely one
// the question itself contains (the 5 of "5G").
func hasOwnFigure(answer, question string) bool {
	own := map[string]bool{}
	for _, f := range reFigure.FindAllString(question, -1) {
		own[f] = true
	}
	for _, f := range reFigure.FindAllString(answer, -1) {
		if !own[f] {
			return true
		}
	}
	return false
}

// names returns the places, people and organizations a question names:
// words tagged as such by the segmenter's dictionary, or shaped like a
// place name, or naming the place of an indexed document's title.
func (e *Engine) namesIn(ix Retriever, folded string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range e.places(folded) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	// Districts, counties and towns the segmenter splits into single
	// characters (伊/滨/区): a name shaped like one whose stem the corpus
	// knows is taken, by its stem.
	for _, m := range reLocalPlace.FindAllStringSubmatch(folded, -1) {
		stem := m[1]
		if isGenericPlace(m[0]) || reNoPlaceStem.MatchString(stem) || seen[stem] || dfOf(ix, lexical.BigramPrefix+stem) == 0 {
			continue
		}
		seen[stem] = true
		out = append(out, stem)
	}
	t, ok := e.tok.(tagger)
	if !ok {
		return out
	}
	for _, tw := range t.Tag(folded) {
		name := tw.Text
		if m := reLocativeTail.FindStringSubmatch(name); m != nil {
			name = m[1] // 雨林中 → 雨林
		}
		if utf8.RuneCountInString(name) < 2 || seen[name] || reQuestionWord.MatchString(name) || isNotName(name) {
			continue
		}
		// Small places are rarely in the dictionary: a word it does not know
		// that is shaped like a place name is taken as one.
		unknown := false
		if ww, ok := e.tok.(wordWeigher); ok {
			unknown = ww.WordWeight(name) >= e.w.RareWord
		}
		if tw.Pos == "ns" || tw.Pos == "nr" || tw.Pos == "nt" || unknown && rePlace.MatchString(name) {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// missingConcepts reports a question whose informative nouns are mostly in
// no document at all: the corpus does not speak of what it asks. It is
// consulted only when the best sentence holds little of the question, since
// a paraphrased question (名字 for 初名) also has words no document uses.
func (e *Engine) missingConcepts(df func(string) int, a *Analysis) string {
	ww, ok := e.tok.(wordWeigher)
	if !ok {
		return ""
	}
	var missing, total float64
	var gone []string
	t, ok := e.tok.(tagger)
	if !ok {
		return ""
	}
	tagged := t.Tag(a.Folded)
	// Latin-letter terms (pm2.5, r&d) come whole from Words, not from Tag.
	for _, word := range e.tok.Words(a.Folded) {
		if isASCIIWord(word) && !isASCIIDigits(word) {
			tagged = append(tagged, lexical.Tagged{Text: word, Pos: "eng"})
		}
	}
	for _, tw := range tagged {
		word := tw.Text
		// Nouns the dictionary knows: segmentation debris and verbs say
		// too little about what the corpus covers.
		if utf8.RuneCountInString(word) < 2 || reQuestionWord.MatchString(word) || reDocumentWord.MatchString(word) ||
			!strings.HasPrefix(tw.Pos, "n") && tw.Pos != "eng" {
			continue
		}
		wt := ww.WordWeight(word)
		if tw.Pos == "eng" {
			wt = 1
		} else if wt >= 1 {
			continue
		}
		total += wt
		if df(word) > 0 {
			continue
		}
		found := false
		for _, x := range e.terms.Expand(word) {
			if df(x) > 0 {
				found = true
				break
			}
		}
		if !found {
			missing += wt
			gone = append(gone, word)
		}
	}
	if total > 0 && missing/total >= e.w.MaxMissingShare {
		return "words in no document: " + strings.Join(gone, " ")
	}
	return ""
}

// wordWeigher says how informative a word is in general use.
type wordWeigher interface {
	WordWeight(word string) float64
}

func isASCIIDigits(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != '%' {
			return false
		}
	}
	return s != ""
}
