package rag

// analyze: the first stage. The question is read once, into an Analysis
// that every later stage reads instead of the question.

import (
	"regexp"
	"slices"
	"strings"

	"policybot/fold"
	"policybot/terms"
)

// Asks holds the intents of a question: what it asks for. Each is set by
// the rule of the rules table with the same name (asks-date → Date).
type Asks struct {
	Date      bool `json:"date,omitempty"`       // a year, month or day
	Day       bool `json:"day,omitempty"`        // the day itself (哪天)
	Number    bool `json:"number,omitempty"`     // something a figure answers
	Figure    bool `json:"figure,omitempty"`     // a figure must be in the answer
	Unit      bool `json:"unit,omitempty"`       // a figure in a given unit (多少亩)
	Who       bool `json:"who,omitempty"`        // a person, author, issuer or department
	Person    bool `json:"person,omitempty"`     // someone must be named
	DocNumber bool `json:"doc_number,omitempty"` // a document number
	Place     bool `json:"place,omitempty"`      // where
	List      bool `json:"list,omitempty"`       // several things, an explanation, a summary
	Parts     bool `json:"parts,omitempty"`      // the parts of something (an outline)
	Outcome   bool `json:"outcome,omitempty"`    // what happened, not what was planned
}

// Analysis is a question as every stage after analyze reads it.
type Analysis struct {
	Question string   `json:"question"`           // the standalone question as asked
	Folded   string   `json:"folded"`             // folded, years written in full (18年 → 2018年)
	Expanded []string `json:"expanded,omitempty"` // equivalent terms from the terms table
	Years    []string `json:"years,omitempty"`    // the years it names, resolved
	// YearsWritten maps years written short to the years taken (18年 → 2018).
	YearsWritten map[string]string `json:"years_written,omitempty"`
	Places       []string          `json:"places,omitempty"` // the places of the gazetteer and of the documents' titles
	Names        []string          `json:"names,omitempty"`  // the places, people and organizations it names
	Asks         Asks              `json:"asks"`
	Unit         string            `json:"unit,omitempty"`     // the unit a figure is asked in (亩, 元, %)
	Count        int               `json:"count,omitempty"`    // the count it names (六项 → 6)
	Ordinals     []string          `json:"ordinals,omitempty"` // references to parts of a document (第三条)
	// Parts are the questions it asks one by one, if several; ByPlace when
	// they ask the same of different places or documents.
	Parts   []string `json:"parts,omitempty"`
	ByPlace bool     `json:"by_place,omitempty"`
	// Rules are the names of the intent rules that matched.
	Rules []string `json:"rules,omitempty"`
	// Terms are its content words weighted by rarity in the index.
	Terms []Term `json:"terms,omitempty"`

	terms   map[string]qterm // Terms, for the stages
	unitRx  *regexp.Regexp   // what a figure in Unit looks like
	bigrams []string         // Han character bigrams, without question words
	docs    []docName        // the words naming documents, with the documents
}

// Term is one weighted content word of a question.
type Term struct {
	Word   string   `json:"word"`
	Weight float64  `json:"weight"`
	Alts   []string `json:"alts,omitempty"` // equivalents that count as finding it
}

// analyze reads question against ix: its folded form, terms, years,
// names and intents. It does not split it into parts (see withParts).
func (e *Engine) analyze(ix Retriever, question string) *Analysis {
	f := terms.NormalizeYears(fold.String(question))
	a := &Analysis{Question: question, Folded: f, Expanded: e.terms.Expand(f)}
	a.Years = reYear.FindAllString(f, -1)
	for _, m := range reShortYear.FindAllStringSubmatch(fold.String(question), -1) {
		full := strings.TrimSuffix(terms.NormalizeYears(m[1]+"年"), "年")
		if !slices.Contains(a.Years, full) {
			continue // not taken as a year (民国26年, 30年代)
		}
		if a.YearsWritten == nil {
			a.YearsWritten = map[string]string{}
		}
		a.YearsWritten[m[1]+"年"] = full
	}
	a.Places = e.places(f)
	a.Names = e.namesIn(ix, f)
	a.Asks, a.Rules = intentsOf(f)
	a.unitRx, a.Unit = askedUnit(f)
	a.Count = countIn(f)
	a.Ordinals = reOrdinal.FindAllString(f, -1)
	a.terms = e.termWeights(f, ix)
	for _, k := range sortedKeys(a.terms) {
		a.Terms = append(a.Terms, Term{Word: k, Weight: a.terms[k].weight, Alts: a.terms[k].alts[1:]})
	}
	a.bigrams = questionBigrams(f)
	a.docs = e.docNames(ix, f)
	return a
}

// withParts adds the parts of a question that asks several things.
func (e *Engine) withParts(ix Retriever, a *Analysis) *Analysis {
	a.Parts = splitParts(a.Question)
	if a.Parts == nil {
		a.Parts = e.splitByPlace(ix, a.Question)
		a.ByPlace = a.Parts != nil
	}
	if len(a.Parts) > maxParts {
		a.Parts = a.Parts[:maxParts]
	}
	return a
}

// intentsOf returns what a folded question asks for, and the names of
// the rules that say so.
func intentsOf(f string) (Asks, []string) {
	var asks Asks
	var fired []string
	for _, r := range intentRules {
		if r.re.MatchString(f) {
			r.set(&asks)
			fired = append(fired, r.name)
		}
	}
	if u, _ := askedUnit(f); u != nil {
		asks.Unit = true
		fired = append(fired, "asks-unit")
	}
	return asks, fired
}

// askedUnit returns what a figure in the unit a folded question asks for
// looks like, and the unit, or nil when it asks for no unit.
func askedUnit(q string) (*regexp.Regexp, string) {
	m := reAsksUnit.FindStringSubmatchIndex(q)
	if m == nil || strings.HasPrefix(q[m[1]:], "口") {
		return nil, "" // 多少人口 asks for a population, written 73.3万
	}
	switch {
	case m[4] >= 0:
		return rePercentFigure, "%"
	case q[m[2]:m[3]] == "钱" || q[m[2]:m[3]] == "元":
		return reMoneyFigure, "元"
	}
	u := q[m[2]:m[3]]
	return unitFigures[u], u
}
