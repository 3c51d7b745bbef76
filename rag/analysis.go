package rag

// analyze: the first stage. The question is read once, into an Analysis
// that every later stage reads instead of the question.

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"policybot/fold"
	"policybot/ingest"
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
	Target    bool `json:"target,omitempty"`     // what was planned or set as a target
	Author    bool `json:"author,omitempty"`     // who wrote, gave or issued the document itself
	Amount    bool `json:"amount,omitempty"`     // an amount of a quantity (生产总值是多少), not a rate or multiple
	Title     bool `json:"title,omitempty"`      // the document's title
	Addressee bool `json:"addressee,omitempty"`  // whom the document is addressed to
	Occasion  bool `json:"occasion,omitempty"`   // the meeting or occasion a report or speech was given at
	Issue     bool `json:"issue,omitempty"`      // the issue of a periodical a text was published in
	Effective bool `json:"effective,omitempty"`  // from when a rule takes effect (自…起施行)
	Growth    bool `json:"growth,omitempty"`     // a rate of growth or a multiple (增速, 翻了几倍)
	Role      bool `json:"role,omitempty"`       // who holds a post (书记是谁)
	PostOf    bool `json:"post_of,omitempty"`    // what post someone holds (张三是什么职务)
	Gap       bool `json:"gap,omitempty"`        // a difference or a comparison (差距, 几倍)
	Why       bool `json:"why,omitempty"`        // a cause or a purpose (为什么, 原因)
}

// When is the time a question asks about, resolved against the documents,
// not today: the years it names, the years it names relative to a
// document's own year (去年 −1, 今年 0), and whether it asks what happened
// (ingest.TimeReview) or a target (ingest.TimePlan). Nil when it names no
// time.
type When struct {
	Years    []int  `json:"years,omitempty"`
	Relative []int  `json:"relative,omitempty"`
	Kind     string `json:"kind"`
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
	// Scope is the scope of a rank asked for (全省 in 在全省排第几), Post
	// the post whose holder is asked for (书记 in 区委书记是谁).
	Scope string `json:"scope,omitempty"`
	Post  string `json:"post,omitempty"`
	// Parts are the questions it asks one by one, if several; ByPlace when
	// they ask the same of different places or documents.
	Parts   []string `json:"parts,omitempty"`
	ByPlace bool     `json:"by_place,omitempty"`
	// When is the time it asks about, nil when it names none.
	When *When `json:"when,omitempty"`
	// Rules are the names of the intent rules that matched.
	Rules []string `json:"rules,omitempty"`
	// Followup says how a follow-up was read against the previous turn.
	Followup *Followup `json:"followup,omitempty"`
	// Terms are its content words weighted by rarity in the index.
	Terms []Term `json:"terms,omitempty"`
	// Documents are the documents it names, by their share of the naming
	// weight, most named first; listed for an explanation only.
	Documents []NamedDocument `json:"documents,omitempty"`

	terms   map[string]qterm   // Terms, for the stages
	unitRx  *regexp.Regexp     // what a figure in Unit looks like
	amount  *regexp.Regexp     // what an amount of the quantity asked looks like (Asks.Amount)
	bigrams []string           // Han character bigrams, without question words
	asked   map[string]bool    // its words naming the kind of thing asked (askedKinds): not looked for
	docs    []docName          // the words naming documents, with the documents
	about   map[string]float64 // each named document's share of the naming weight (aboutDocs)
	// searched are the named documents whose chunks are searched on their
	// own (searchedDocs of about), read by retrieve and rerank.
	searched []string
}

// NamedDocument is a document a question names by its title or issuer
// (济源, 2019年, 总体方案): Share is its share of the question's naming
// weight, Searched whether its chunks were searched on their own.
type NamedDocument struct {
	ID       string  `json:"id"`
	Title    string  `json:"title"`
	Share    float64 `json:"share"`
	Searched bool    `json:"searched,omitempty"`
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
	// The year of a document number (黔工信运行〔2020〕9号) is not asked.
	a.Years = calendarYears(stripDocNumbers(f), fold.String(question))
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
	a.unitRx, a.Unit = askedUnit(f)
	a.Count = countIn(f)
	a.Ordinals = reOrdinal.FindAllString(f, -1)
	a.Scope = rankScope(f)
	if m := reAsksRole.FindStringSubmatch(f); m != nil {
		a.Post = m[1]
	}
	a.asked = askedKinds(f)
	// 段时间 of 哪段时间 is what is asked, not a name the answer holds.
	a.Names = slices.DeleteFunc(a.Names, func(n string) bool { return a.asked[n] })
	a.terms = e.withPhrases(ix, f, e.withNames(ix, e.termWeights(f, a.asked, ix), a.Names))
	a.Asks, a.Rules = intentsOf(f)
	a.When = whenOf(f, a.Years, a.Asks)
	if a.Asks.Amount {
		a.amount = amountFigure(f)
	}
	words, wholes := e.namingWords(f, a.Names)
	a.docs = append(e.docNamesIn(ix, f, words, wholes), numberedDocs(ix, f)...)
	a.about = ofDocumentYear(ix, f, e.aboutDocs(ix, a.docs, a.terms))
	a.searched = searchedDocs(a.about, e.w)
	a.terms = e.sentenceWeights(a)
	for _, k := range sortedKeys(a.terms) {
		a.Terms = append(a.Terms, Term{Word: k, Weight: a.terms[k].weight, Alts: a.terms[k].alts[1:]})
	}
	a.bigrams = questionBigrams(f)
	return a
}

// withParts adds the parts of a question that asks several things.
func (e *Engine) withParts(ix Retriever, a *Analysis) *Analysis {
	a.Parts = splitParts(a.Question)
	if a.Parts == nil {
		a.Parts = e.splitClauses(ix, a.Question)
	}
	if a.Parts == nil {
		a.Parts = e.splitByPlace(ix, a.Question)
		if a.Parts == nil {
			a.Parts = splitTopics(a.Question) // each topic's part stands alone, as a place's does
		}
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
	if reAsksAmount.MatchString(f) && !reAsksRate.MatchString(f) && !asks.Date && !asks.Who && !asks.Unit {
		asks.Amount = true
		fired = append(fired, "asks-amount")
	}
	return asks, fired
}

// asksAboutDocument reports whether the question asks about a document
// itself: its date, author or issuer, number, title or addressees, which
// its header block answers.
func (a *Analysis) asksAboutDocument() bool {
	return a.Asks.Date || a.Asks.Who || a.Asks.DocNumber || a.Asks.Title || a.Asks.Addressee || a.Asks.Occasion || a.Asks.Issue
}

// whenOf returns the time a folded question asks about: the years it
// names and the years it names relative to a document's own, with what it
// asks of them: a target when it says so (目标, 计划, 要…), else what
// happened. Nil when it names no year, or a span of years (1997年到2018年:
// the span is asked, not its last year).
func whenOf(f string, years []string, asks Asks) *When {
	if reYearSpan.MatchString(f) {
		return nil
	}
	w := &When{Kind: ingest.TimeReview}
	for _, y := range years {
		if n, err := strconv.Atoi(y); err == nil && !slices.Contains(w.Years, n) {
			w.Years = append(w.Years, n)
		}
	}
	for _, m := range reRelativeYear.FindAllString(f, -1) {
		if off, ok := relativeYears[m]; ok && !slices.Contains(w.Relative, off) {
			w.Relative = append(w.Relative, off)
		}
	}
	if len(w.Years) == 0 && len(w.Relative) == 0 {
		return nil
	}
	if docYear := namedDocYear(f); docYear != "" && len(w.Relative) > 0 {
		// 2022年政府工作报告回顾上一年: the year is the document's, and the
		// relative year counts from it, whichever document is read.
		y, _ := strconv.Atoi(docYear)
		w.Years = slices.DeleteFunc(w.Years, func(n int) bool { return n == y })
		for _, r := range w.Relative {
			if !slices.Contains(w.Years, y+r) {
				w.Years = append(w.Years, y+r)
			}
		}
		w.Relative = nil
	}
	switch {
	case asks.Target && !asks.Outcome:
		w.Kind = ingest.TimePlan
	case !asks.Outcome && len(w.Years) == 0 && slices.Contains(w.Relative, 0):
		// 今年 names the year a document speaks in: its plans or what it
		// reports so far, as the document has it.
		w.Kind = ""
	}
	return w
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
	if u == "名" && reAsksRankUnit.MatchString(q) {
		return reRankFigure, u // 排多少名 is answered by 第45位
	}
	return unitFigures[u], u
}

// rankScope returns the scope of a rank a folded question asks for, written
// as documents write it (省内 → 全省), or "".
func rankScope(f string) string {
	m := reAsksRankScope.FindStringSubmatch(f)
	if m == nil {
		return ""
	}
	sc := m[1] + m[2]
	switch sc {
	case "省内":
		return "全省"
	case "国内":
		return "全国"
	case "市内":
		return "全市"
	}
	return sc
}

// calendarYears returns the years the normalized folded question f names,
// without those read from a two-digit 年 of the question as written (raw)
// that is no calendar year: 民国29年 is 1940, not 2029; 停滞了10年 is a span.
func calendarYears(f, raw string) []string {
	years := reYear.FindAllString(f, -1)
	for _, m := range reNotYear.FindAllStringSubmatch(raw, -1) {
		short := m[1] + m[2]
		y := strings.TrimSuffix(terms.NormalizeYears(short+"年"), "年")
		if strings.Contains(raw, y) {
			continue // written in full too
		}
		if i := slices.Index(years, y); i >= 0 {
			years = slices.Delete(years, i, i+1)
		}
	}
	return years
}

// namedDocuments lists the documents of about, most named first (at most
// ten, for reading), each marked when searched holds it.
func namedDocuments(ix Retriever, about map[string]float64, searched []string) []NamedDocument {
	var out []NamedDocument
	for _, id := range sortedKeys(about) {
		d := NamedDocument{ID: id, Share: about[id], Searched: slices.Contains(searched, id)}
		if doc, ok := ix.Doc(id); ok {
			d.Title = doc.Title
		}
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Share > out[j].Share })
	if len(out) > 10 {
		out = out[:10]
	}
	return out
}

// withPhrases returns w with a phrase the folded question f quotes
// (“促落实”) as one term weighted by its rarity, in place of the words the
// segmenter cut it into, and without the words of a part it names by its
// number (第四部分: documents write 四、).
func (e *Engine) withPhrases(ix Retriever, f string, w map[string]qterm) map[string]qterm {
	for _, m := range rePartOrdinal.FindAllString(f, -1) {
		for _, k := range sortedKeys(w) {
			if strings.Contains(m, k) {
				delete(w, k)
			}
		}
	}
	for _, m := range reQuotedPhrase.FindAllStringSubmatch(f, -1) {
		p := m[1]
		if _, ok := w[p]; ok {
			continue
		}
		r := e.nameRarity(ix, p)
		if r == 0 {
			continue
		}
		for _, k := range sortedKeys(w) {
			if strings.Contains(p, k) {
				r = max(r, w[k].weight)
				delete(w, k)
			}
		}
		w[p] = qterm{weight: r, alts: []string{p}}
	}
	return w
}

// withNames adds to w each name of the question no term holds: a town the
// segmenter cuts otherwise in the question than in the documents (梨林 of
// 梨林镇要建成) is the rarest thing it asks about, not nothing. It weighs
// by its rarity in the index; a name in no document, or holding or held
// by a term, is left out.
func (e *Engine) withNames(ix Retriever, w map[string]qterm, names []string) map[string]qterm {
	for _, n := range names {
		held := false
		for k := range w {
			// 金朝 is looked for already where 向金朝 is named.
			if strings.Contains(k, n) || strings.Contains(n, k) {
				held = true
				break
			}
		}
		if held {
			continue
		}
		if r := e.nameRarity(ix, n); r > 0 {
			w[n] = qterm{weight: r, alts: []string{n}}
		}
	}
	return w
}

// numberedDocs returns the documents a folded question names by their
// document number (黔工信运行〔2020〕9号文), whatever brackets either writes.
func numberedDocs(ix Retriever, f string) []docName {
	var out []docName
	docs := ix.Documents()
	for _, m := range reDocNumberIn.FindAllString(f, -1) {
		key := docNumberKey(m)
		n := docName{word: m}
		for _, d := range docs {
			// A question names a number rarely; the documents' keys are
			// worked out only then.
			if d.DocNumber != "" && docNumberKey(fold.String(d.DocNumber)) == key {
				n.ids = append(n.ids, d.ID)
			}
		}
		if len(n.ids) > 0 {
			n.spec = specificity(len(n.ids), len(docs))
			out = append(out, n)
		}
	}
	return out
}

// docNumberKey returns a document number without its spaces and with one
// kind of bracket around its year (豫政[2017]20号 → 豫政〔2017〕20号).
func docNumberKey(s string) string { return docNumberBrackets.Replace(s) }

// docNumberBrackets writes every bracket a document number's year may
// stand in as 〔〕, and drops spaces.
var docNumberBrackets = strings.NewReplacer(" ", "", "[", "〔", "]", "〕", "［", "〔", "］", "〕", "【", "〔", "】", "〕", "(", "〔", ")", "〕", "（", "〔", "）", "〕")
