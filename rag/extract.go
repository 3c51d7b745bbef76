package rag

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"policybot/fold"
	"policybot/ingest"
	"policybot/lexical"
)

// sentence is one sentence of a passage.
type sentence struct {
	text   string // display text
	folded string
	ctx    string // folded, with its passage's heading path and the sentence before
	// lead is what it speaks of unnamed, folded: the opening clause of the
	// run of clauses split at semicolons it belongs to (国家全域旅游示范区
	// 建设顺利推进 for 实现收入66亿元), and for a list item the sentence
	// opening its list (办好十件民生实事 for 三是新增公交车180辆).
	lead  string
	pass  int // index into the passages
	pos   int // sentence number inside the passage
	start int // byte range of text in the passage's Text
	end   int
	score float64
	cover float64 // share of the question's term weight it holds
	// topical is its cover with a share (Weights.Topic) counted with its
	// passage's title and heading path: how much of the question it answers
	// where it stands.
	topical float64
	// sameParagraph: no line break parts it from the sentence before it
	// in its passage.
	sameParagraph bool
	why           string // why the select stage took it, for --explain
}

// passageSentences cuts a passage into sentences after 。！？；!?; and line
// breaks, keeping closing quotes with their sentence.
func passageSentences(text string) []string {
	rs := sentenceRanges(text)
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = text[r[0]:r[1]]
	}
	return out
}

// sentenceRanges returns the byte ranges of the sentences of text, as
// passageSentences cuts them, without surrounding white space.
func sentenceRanges(text string) [][2]int {
	var out [][2]int
	// at[i] is the byte offset of rune i; at[len(rs)] is len(text).
	at := make([]int, 0, len(text)+1)
	var rs []rune
	for i, r := range text {
		at = append(at, i)
		rs = append(rs, r)
	}
	at = append(at, len(text))
	add := func(a, b int) {
		lo, hi := at[a], at[b]
		s := text[lo:hi]
		t := strings.TrimLeftFunc(s, unicode.IsSpace)
		lo += len(s) - len(t)
		t = strings.TrimRightFunc(t, unicode.IsSpace)
		if t != "" {
			out = append(out, [2]int{lo, lo + len(t)})
		}
	}
	start := 0
	titleEnd := -1 // inside a title 《…》 up to this rune: its stops end no sentence
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '《' && i > titleEnd {
			titleEnd = closingTitle(rs, i)
		}
		end := -1
		switch {
		case r == '\n':
			end = i
		case i < titleEnd || latinStop(rs, i):
			// 《卡拉OK.LIVE！‧台北‧我》, Hey! Say! JUMP: part of a name
		case strings.ContainsRune("。！？!?；;", r):
			end = i + 1
			for end < len(rs) && strings.ContainsRune("”’」』)）", rs[end]) {
				end++
			}
		}
		if end < 0 {
			continue
		}
		add(start, end)
		start = end
		if r == '\n' {
			start = i + 1
		}
		i = max(i, end-1)
	}
	if start < len(rs) {
		add(start, len(rs))
	}
	return out
}

// maxTitleRunes is the longest title 《…》 read as one name: a 《 whose 》
// is further away (or missing) opens no title.
const maxTitleRunes = 60

// closingTitle returns the index of the 》 closing the 《 at rs[i], or -1
// when there is none on the same line within maxTitleRunes.
func closingTitle(rs []rune, i int) int {
	for j := i + 1; j < len(rs) && j <= i+maxTitleRunes; j++ {
		switch rs[j] {
		case '》':
			return j
		case '\n', '《':
			return -1
		}
	}
	return -1
}

// latinStop reports whether the ASCII ! or ? at rs[i] belongs to a Latin
// name (Yahoo!, Hey! Say! JUMP): it follows a Latin letter or digit and
// more of the line follows.
func latinStop(rs []rune, i int) bool {
	if rs[i] != '!' && rs[i] != '?' || i == 0 || !isLatinOrDigit(rs[i-1]) {
		return false
	}
	for _, r := range rs[i+1:] {
		if r == '\n' {
			return false
		}
		if !unicode.IsSpace(r) {
			return true
		}
	}
	return false
}

func isLatinOrDigit(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// slotName names a slot, for --explain.
func slotName(slot string) string {
	switch slot {
	case slotDate:
		return "date"
	case slotWho:
		return "issuer or person"
	case slotDocNumber:
		return "document number"
	case slotTitle:
		return "title"
	case slotAddressee:
		return "addressees"
	case slotOccasion:
		return "occasion"
	case slotIssue:
		return "issue"
	case slotEffective:
		return "taking effect"
	case slotPost:
		return "post"
	}
	return "figure in the unit"
}

// Slots: pseudo-terms for what a question asks for.
const (
	slotDate      = "\x00date"
	slotWho       = "\x00who"
	slotDocNumber = "\x00docnumber"
	slotUnit      = "\x00unit"
	slotTitle     = "\x00title"
	slotAddressee = "\x00addressee"
	slotOccasion  = "\x00occasion"
	slotIssue     = "\x00issue"
	slotEffective = "\x00effective"
	slotPost      = "\x00post"
)

// qterm is one content word of a question with its weight and the terms
// that count as finding it (the word itself and its equivalents in the
// terms table).
type qterm struct {
	weight float64
	alts   []string
}

// termWeights returns the question's content words weighted by inverse
// document frequency in the index. A word in no document at all is left
// out (it cannot be found, so it says nothing about which sentence answers
// best), unless the terms table knows an equivalent that is in the corpus;
// nor is a word of asked (年份 of 哪个年份).
func (e *Engine) termWeights(folded string, asked map[string]bool, ix Retriever) map[string]qterm {
	type word struct {
		t    string
		alts []string
	}
	var words []word
	var all []string // every word and equivalent, for one TermStats call
	for _, t := range e.tok.Words(folded) {
		if utf8.RuneCountInString(t) < 2 && !isASCIIWord(t) || reQuestionWord.MatchString(t) || asked[t] {
			continue
		}
		w := word{t, append(append([]string{t}, e.terms.Equivalents(t)...), cjkYears(t)...)}
		words = append(words, w)
	}
	for _, w := range words {
		all = append(all, w.alts...)
	}
	st := ix.TermStats(all)
	dfs := make(map[string]int, len(all))
	for i, t := range all {
		dfs[t] = st.DF[i]
	}
	df := func(t string) int { return dfs[t] }
	idf := func(t string) float64 { return lexical.BM25IDF(st.N, dfs[t]) }
	w := map[string]qterm{}
	for _, wd := range words {
		t := wd.t
		weight := idf(t)
		for _, x := range wd.alts[1:] {
			if df(t) == 0 && df(x) > 0 {
				weight = max(weight*e.w.UnseenEquiv, idf(x))
			}
		}
		if df(t) == 0 && len(wd.alts) == 1 {
			continue
		}
		w[t] = qterm{weight: weight, alts: wd.alts}
	}
	return w
}

// askedKinds returns the words of a folded question that name the kind of
// thing its question words ask for (年份 of 哪个年份, 名字 of 叫什么名字):
// the answer gives a year or a name, not the word.
func askedKinds(folded string) map[string]bool {
	out := map[string]bool{}
	for _, m := range reAskedKind.FindAllStringSubmatch(folded, -1) {
		for _, g := range m[1:] {
			if g != "" {
				out[g] = true // 年份 of 哪个年份, 号码 of 号码是多少
			}
		}
	}
	return out
}

// termsIn returns the question terms text holds.
func termsIn(text string, w map[string]qterm) map[string]bool {
	out := map[string]bool{}
	for k, t := range w {
		for _, a := range t.alts {
			if strings.Contains(text, a) {
				out[k] = true
				break
			}
		}
	}
	return out
}

// sortedKeys returns the keys of m in order: sums of float weights must
// not depend on map order, or equal questions could get different answers.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// coverage is the share of the question's term weight found in text.
func coverage(text string, w map[string]qterm) float64 {
	return coverageEquiv(text, w, 1)
}

// coverageEquiv is coverage where a term found only as one of its
// equivalents (经济总量 for gdp) counts equiv of its weight: between two
// sentences otherwise alike, the one holding the very word asked is the
// more likely answer.
func coverageEquiv(text string, w map[string]qterm, equiv float64) float64 {
	var have, all float64
	for _, k := range sortedKeys(w) {
		t := w[k]
		all += t.weight
		for i, a := range t.alts {
			if strings.Contains(text, a) {
				if i == 0 || strings.Contains(text, k) {
					have += t.weight
				} else {
					have += equiv * t.weight
				}
				break
			}
		}
	}
	if all == 0 {
		return 0
	}
	return have / all
}

func isASCIIWord(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf {
			return false
		}
	}
	return s != ""
}

// extraction is an extractive answer.
type extraction struct {
	spans  spans      // the answer: sentences and their citations
	cited  []int      // passage numbers cited, in order of first use
	cover  float64    // the best sentence's share of the question's term weight
	best   int        // passage number (1-based) of the best sentence
	top    sentence   // the best sentence
	picked []sentence // the chosen sentences, in document order
}

// extract selects the sentences of the passages that answer the question,
// in document order, each run followed by its passage's [n]: the select
// stage. Only passages for which allow returns true (all, when allow is
// nil) are read.
func (e *Engine) extract(q *Analysis, passages []Passage, docOf func(Passage) (*ingest.Document, bool), allow func(int) bool) extraction {
	w, total := withSlots(q, e.w)
	sents := e.scoreSentences(q, w, passages, docOf, allow)
	if len(sents) == 0 {
		return extraction{}
	}
	budget := e.w.ShortBudget
	if q.Asks.List {
		budget = e.opt.MaxAnswerChars
	}
	sel := newSelection(sents, w)
	sel.addCovering(e.w, total, budget, q.Asks.List)
	sel.addNeighbours(e.w, budget)
	sel.addClose(e.w, budget)
	sel.fillSlots()
	if q.Asks.List {
		sel.continueList(budget)
	}
	sel.takeColonLists(e.opt.MaxAnswerChars)
	sel.takeSemicolonLists(e.opt.MaxAnswerChars)
	picked := documentOrder(sel.picked(), sents, passages)
	sp := answerSpans(picked, sents, passages, sel.why)
	ex := extraction{spans: sp, cited: sp.cited(), cover: sel.best.topical, best: sel.best.pass + 1, top: sel.best}
	for _, i := range picked {
		st := sents[i]
		st.why = sel.why[i]
		ex.picked = append(ex.picked, st)
	}
	return ex
}

// withSlots returns the question's weighted terms with what it asks for,
// beyond its words, counted as terms too: a sentence holding the date, the
// issuer or the document number asked for covers that part of the
// question. It also returns the weight of the words alone.
func withSlots(q *Analysis, wt Weights) (map[string]qterm, float64) {
	w := maps.Clone(q.terms) // the slots are this extraction's own
	var total float64
	for _, k := range sortedKeys(w) {
		total += w[k].weight
	}
	slot := max(total*wt.Slot, wt.SlotMin)
	for _, s := range []struct {
		asked bool
		key   string
	}{{q.Asks.Date, slotDate}, {q.Asks.Who, slotWho}, {q.Asks.DocNumber, slotDocNumber}, {q.unitRx != nil, slotUnit},
		{q.Asks.Title, slotTitle}, {q.Asks.Addressee, slotAddressee}, {q.Asks.Occasion, slotOccasion}, {q.Asks.Issue, slotIssue},
		{q.Asks.Effective, slotEffective}, {q.Asks.PostOf, slotPost}} {
		if s.asked {
			w[s.key] = qterm{weight: slot, alts: []string{s.key}}
		}
	}
	return w, total
}

// scoreSentences cuts the passages into sentences and scores each against
// the question w weighs: its own coverage, its coverage in context, its
// share of the question's bigrams, its passage's rank, a number if one is
// asked.
func (e *Engine) scoreSentences(q *Analysis, w map[string]qterm, passages []Passage, docOf func(Passage) (*ingest.Document, bool), allow func(int) bool) []sentence {
	asksDate, asksWho, asksDocNumber := q.Asks.Date, q.Asks.Who, q.Asks.DocNumber
	// A question about the document itself (its title, addressees) reads
	// its header and heading lines at full weight, as one asking a date,
	// who or a number does.
	asksDoc := q.asksAboutDocument()
	dateShape := reHasDate
	if q.Asks.Day {
		dateShape = reHasDay // 哪天 wants the day, not only the year
	}
	typed := asksAnswerType(q)
	shortNames := namesShortForm(q.Folded)
	var sents []sentence
	for pi, p := range passages {
		if allow != nil && !allow(pi) {
			continue
		}
		doc, header := docOf(p)
		// A header block answers who, when and which number; for anything
		// else its title line only repeats the question's words.
		headerWeight := 1.0
		if header && !asksDoc {
			headerWeight = e.w.HeaderLine
		}
		// A sentence is read in its context: the passage's heading path
		// and the sentence before it often name what it speaks of.
		prev := fold.String(p.Section)
		sectionYears := sectionContext(q, w, p, prev) + e.headTerms(q, doc, w)
		if !header || asksDoc {
			// A header block names its document itself: the words naming
			// it add nothing there, unless it is what the question asks.
			sectionYears += namedContext(q, doc)
		}
		// A sentence setting a target for a year of its own (到2020年,…)
		// is about that year, not the other target years of its section.
		ownYears := sectionYears
		sectionYears += aboutYears(q.When, p.years, p.timeKind)
		// The time the passage is about, as asked or not (its section's
		// years and whether it reviews or plans, resolved at ingest).
		yr, kd := timeFit(q.When, p.years, p.timeKind, p.docYear)
		timeBonus := e.w.TimeSentence * (yr + kd) / 2
		topic := fold.String(p.Title) + "\n" + prev
		// A list item (九是…) is read with the sentence that opens its list
		// (办好十件民生实事。).
		lead := ""
		lastEnd := -1
		// frame is the opening phrase of a run of clauses split at
		// semicolons (从1997年到2018年的22年间,…增长了14.4倍;…分别增长了
		// 7.3倍、8.5倍。): it frames every clause of the run.
		frame, opening := "", ""
		prevStart := -1
		for si, r := range sentenceRanges(p.Text) {
			samePara := lastEnd >= 0 && !strings.Contains(p.Text[lastEnd:r[0]], "\n")
			inRun := samePara && endsWithSemicolon(p.Text[prevStart:lastEnd])
			prevStart, lastEnd = r[0], r[1]
			s := p.Text[r[0]:r[1]]
			f := fold.String(s)
			if !inRun {
				frame, opening = clauseFrame(f), firstClause(f)
			}
			runLead := ""
			if inRun {
				runLead = opening
			}
			if shortNames {
				f = withShortForms(f) // 发展改革委 read as 发改委 too, as the question says it
			}
			sectionYears := sectionYears
			if reSetsTargetYear.MatchString(f) {
				sectionYears = ownYears
			}
			if inRun {
				sectionYears += " " + frame
			}
			if asksDate && dateShape.MatchString(f) {
				f += slotDate
			}
			// Who: asked who wrote or issued the document, its issuer or
			// author where it has one; asked who did something it tells of
			// (谁作的说明, 编辑是谁), also any person or organization a
			// sentence names.
			if asksWho {
				issuer := doc != nil && doc.Issuer != "" && strings.Contains(f, fold.String(doc.Issuer))
				names := e.namesSomeone
				if q.Asks.Person && !q.Asks.Author {
					// 谁作的说明, 经谁批准: a person or a body, not any word
					// ending like one (动员大会).
					names = func(f string) bool { return e.namesPerson(f) || reBody.MatchString(f) }
				}
				if issuer || (doc == nil || doc.Issuer == "" || !q.Asks.Author) && names(f) {
					f += slotWho
				}
			}
			// What post someone holds: a sentence naming a post.
			if q.Asks.PostOf && rePost.MatchString(f) {
				f += slotPost
			}
			// The document's title, asked for: its title line.
			if q.Asks.Title && doc != nil && doc.Title != "" && strings.Contains(f, fold.String(doc.Title)) {
				f += slotTitle
			}
			// Whom it is addressed to: a salutation line naming bodies
			// (济源市人民政府,省人民政府各部门:).
			if q.Asks.Addressee && reSalutation.MatchString(f) && reOrganization.MatchString(f) {
				f += slotAddressee
			}
			// The meeting a report or speech was given at: its header's
			// occasion line (在…代表大会第四次会议上).
			if q.Asks.Occasion && header && reOccasion.MatchString(f) {
				f += slotOccasion
			}
			// The issue of a periodical it was published in (2019年第8期).
			if q.Asks.Issue && reIssue.MatchString(f) {
				f += slotIssue
			}
			// From when a rule takes effect: the sentence saying so
			// (本条例自2020年10月1日起施行), not the dates it was passed.
			if q.Asks.Effective && reEffective.MatchString(f) {
				f += slotEffective
			}
			// The number asked for may be the document's own or one it cites
			// ((发改地区〔2015〕2778号)).
			if asksDocNumber && (doc != nil && doc.DocNumber != "" && strings.Contains(f, fold.String(doc.DocNumber)) || reDocNumberIn.MatchString(f)) {
				f += slotDocNumber
			}
			if q.unitRx != nil && q.unitRx.MatchString(f) {
				f += slotUnit
			}
			c := coverageEquiv(f+" "+sectionYears, w, e.w.Equivalent)
			// The passage's topic (its title and heading path) is what every
			// sentence of it speaks of, named or not (总苞圆柱形 under 《长柄艾纳香》).
			tc := coverageEquiv(f+" "+sectionYears+"\n"+topic, w, e.w.Equivalent)
			// A title or heading line repeats the question's words without
			// answering it: it weighs like a header.
			lineWeight := headerWeight
			if !asksDoc && (f == fold.String(p.Title) || strings.HasSuffix(fold.String(p.Section), f) || isHeadingLine(p.Text, r)) {
				lineWeight = e.w.HeaderLine
			}
			ctxText := f + "\n" + prev + "\n" + sectionYears
			if reListItem.MatchString(s) {
				ctxText += "\n" + lead
				runLead += "\n" + lead // 三是新增公交车180辆 of 办好十件民生实事
			} else {
				lead = f
			}
			ctx := coverage(ctxText, w)
			prev = f
			own := (1-e.w.Topic)*c + e.w.Topic*tc
			sc := (e.w.Cover*own+e.w.Context*ctx+e.w.Bigram*bigramShare(f, q.bigrams))*lineWeight + e.w.Position/float64(pi+1)
			if q.Asks.Number && reHasNumber.MatchString(f) {
				sc += e.w.Number
			}
			// How much of a quantity wants an amount in its unit, not a
			// multiple or a rate (641.8亿元, not 增长了14.4倍).
			// A sentence giving only a gap or another's multiple (缩小到
			// 222亿元, 扩大到1.42倍) loses as much: the gap check would
			// refuse it.
			switch {
			case q.amount == nil:
			case !q.Asks.Gap && givesOnlyGaps(f, q.amount):
				sc -= e.w.Amount
			case q.amount.MatchString(f):
				sc += e.w.Amount
			}
			sc += timeBonus
			// What another document says is better read in that document,
			// when it is among the candidates (根据《总体方案》,… in a speech).
			if e.w.QuotedSource > 0 && quotesCandidate(f, p.Title, passages) {
				sc -= e.w.QuotedSource
			}
			if typed && e.holdsAnswerType(q, w, f) {
				sc += e.w.AnswerType
			}
			sents = append(sents, sentence{text: s, folded: f, ctx: ctxText, lead: runLead, pass: pi, pos: si, start: r[0], end: r[1], score: sc, cover: c, topical: own, sameParagraph: samePara})
		}
	}
	return sents
}

// endsWithSemicolon reports whether a sentence ends with a semicolon,
// maybe before closing quotes or brackets (…增长了14.4倍;”): an item or
// clause run on to the next one.
func endsWithSemicolon(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, "”’」』)） \t"))
	return r == ';' || r == '；'
}

// firstClause returns a folded sentence up to its first comma.
func firstClause(f string) string {
	if i := strings.IndexAny(f, ",，"); i > 0 {
		return f[:i]
	}
	return f
}

// clauseFrame returns the opening phrase of a folded sentence that sets
// its time (从1997年到2018年的22年间, 2018年以来, 过去五年): the words up to
// its first comma, when they match the time-frame rule (a year, a span of
// years, 以来, 期间); else "".
func clauseFrame(f string) string {
	if c := firstClause(f); c != f && reTimeFrame.MatchString(c) {
		return c
	}
	return ""
}

// quotesCandidate reports whether a folded sentence of a document titled
// title gives what another document says (根据《总体方案》) and a passage of
// that document, by its title, is among passages.
func quotesCandidate(f, title string, passages []Passage) bool {
	for _, m := range reQuotingSource.FindAllStringSubmatch(f, -1) {
		name := m[1] + m[2]
		for _, p := range passages {
			if p.Title != title && strings.Contains(fold.String(p.Title), name) {
				return true
			}
		}
	}
	return false
}

// asksAnswerType reports whether the question asks for a thing of a kind
// a sentence can be seen to hold: a date, a figure, someone, a place.
func asksAnswerType(q *Analysis) bool {
	return q.Asks.Date || q.Asks.Number || q.Asks.Figure || q.Asks.Who || q.Asks.Person || q.Asks.Place
}

// holdsAnswerType reports whether a folded sentence holds, outside the
// question's own words, a thing of the kind the question asks for: a
// sentence that only repeats the question (its year, its figures, its
// names) does not answer it, its neighbour holding the date may.
func (e *Engine) holdsAnswerType(q *Analysis, w map[string]qterm, f string) bool {
	rest := remainder(f, w, q)
	switch {
	case q.Asks.Date:
		shape := reHasDate
		if q.Asks.Day {
			shape = reHasDay
		}
		return shape.MatchString(rest)
	case q.Asks.Who || q.Asks.Person:
		return e.namesSomeone(rest)
	case q.Asks.Place:
		return e.namesPlace(rest)
	case q.Asks.Growth:
		// 涨了几倍 wants a growth told as one (增长8.5倍), not any figure
		// (1988年) nor a share (投入强度达2.07%).
		// A multiple of another's (是洛阳的1.42倍) is no growth.
		return reGrowthClause.MatchString(f) && hasOwnFigure(rest, q.Folded) && !givesOnlyGaps(f, reGrowthFigure)
	case q.Asks.Number || q.Asks.Figure:
		return hasOwnFigure(rest, q.Folded)
	}
	return false
}

// remainder returns a folded sentence without the question's words and
// years: what it says beyond the question.
func remainder(f string, w map[string]qterm, q *Analysis) string {
	for _, k := range sortedKeys(w) {
		if strings.HasPrefix(k, "\x00") {
			continue
		}
		for _, a := range w[k].alts {
			f = strings.ReplaceAll(f, a, " ")
		}
	}
	for _, y := range q.Years {
		f = strings.ReplaceAll(f, y, " ")
	}
	return f
}

// sectionContext returns what holds for every sentence of a passage: the
// years of its heading path (一、2018年工作回顾 … 生产总值完成641.8亿元) and
// the question's terms naming a place its title or heading path names
// (源城区 in 《源城区第八次党代会…》).
func sectionContext(q *Analysis, w map[string]qterm, p Passage, section string) string {
	out := strings.Join(reYear.FindAllString(section, -1), " ")
	for _, pl := range q.Places {
		if strings.Contains(section, pl) || strings.Contains(fold.String(p.Title), pl) {
			for k := range w {
				if strings.Contains(k, pl) {
					out += " " + k
				}
			}
		}
	}
	return out
}

// isHeadingLine reports whether the sentence at r of a passage's text is a
// numbered heading standing on a line of its own ((一)合理划定“三区三线”,促进
// 产城融合可持续发展), as a heading that opens inside a passage stands:
// numbered, short, without a stop, followed by a line break.
func isHeadingLine(text string, r [2]int) bool {
	s := text[r[0]:r[1]]
	if !reListItem.MatchString(s) || endsWithPunct(s) || utf8.RuneCountInString(s) > maxLeadRunes {
		return false
	}
	rest := strings.TrimLeft(text[r[1]:], " \t\r")
	return rest == "" || rest[0] == '\n'
}

// namedContext returns the words of the question that name doc (总体方案
// in "总体方案里济源总人口多少"): every sentence of a document holds the words
// that name it, as a sentence under a heading holds the heading's years.
func namedContext(q *Analysis, doc *ingest.Document) string {
	if doc == nil {
		return ""
	}
	out := ""
	for _, n := range q.docs {
		// A year in a title (1997年…政府工作报告) is not what all its
		// sentences speak of: a report reviews the year before.
		if slices.Contains(n.ids, doc.ID) && !reYear.MatchString(n.word) && !isASCIIWord(n.word) {
			out += " " + n.word
		}
	}
	return out
}

// selection is the sentences chosen so far, from the best down.
type selection struct {
	sents    []sentence
	w        map[string]qterm
	order    []int // indexes of sents, best first
	best     sentence
	chosen   map[int]bool
	why      map[int]string  // why each chosen sentence was taken
	passUsed map[int]bool    // passages a chosen sentence comes from
	covered  map[string]bool // question terms the chosen sentences hold
	used     int             // runes chosen
}

func newSelection(sents []sentence, w map[string]qterm) *selection {
	order := make([]int, len(sents))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return sents[order[a]].score > sents[order[b]].score })
	best := sents[order[0]]
	covered := termsIn(best.ctx, w)
	for k := range covered {
		// What a question asks for (a date, a title) is there only when the
		// sentence itself holds it, not the sentence before it.
		if strings.HasPrefix(k, "\x00") && !strings.Contains(best.folded, k) {
			delete(covered, k)
		}
	}
	return &selection{
		sents: sents, w: w, order: order, best: best,
		chosen:   map[int]bool{order[0]: true},
		why:      map[int]string{order[0]: "the best sentence"},
		passUsed: map[int]bool{best.pass: true},
		covered:  covered,
		used:     utf8.RuneCountInString(best.text),
	}
}

// addCovering takes, best first, the sentences scoring near the best that
// add something the question asks that the chosen ones lack; a list
// question also takes more of the same passage. Fewer, surer sources make
// citations a reader can trust.
func (s *selection) addCovering(wt Weights, total float64, budget int, asksList bool) {
	for _, i := range s.order[1:] {
		st := s.sents[i]
		if st.score < wt.Keep*s.best.score || st.cover == 0 {
			break
		}
		n := utf8.RuneCountInString(st.text)
		if s.used+n > budget {
			continue
		}
		var added float64
		for _, t := range sortedKeys(termsIn(st.folded, s.w)) {
			if !s.covered[t] {
				added += s.w[t].weight
			}
		}
		// From a passage not yet cited, a sentence must add much and hold
		// much of the question itself: every extra source must earn its place.
		// Nothing added is no addition, even when the question's words
		// weigh nothing (a name the segmenter cuts into single characters).
		adds := added > 0 && added >= wt.Adds*total
		if !s.passUsed[st.pass] {
			adds = added > 0 && added >= wt.AddsNew*total && st.cover >= wt.AddsNewCover
		}
		if adds {
			for t := range termsIn(st.folded, s.w) {
				s.covered[t] = true
			}
		}
		if !adds && !(asksList && s.passUsed[st.pass]) {
			continue
		}
		s.why[i] = fmt.Sprintf("adds %.2f of the question's weight", added/max(total, 1e-9))
		if !adds {
			s.why[i] = "more of a cited passage, for a list question"
		}
		s.chosen[i] = true
		s.passUsed[st.pass] = true
		s.used += n
	}
}

// addNeighbours takes the sentence before the best one when the best one
// leans on it (同年…, 该线…, 由于这…: what it points back to is often what
// was asked), and the sentence after it when the best one is a fragment
// of fewer than Weights.Fragment runes.
func (s *selection) addNeighbours(wt Weights, budget int) {
	b := s.order[0]
	best := s.sents[b]
	if b > 0 && s.sents[b-1].pass == best.pass && reLeansBack.MatchString(best.text) {
		s.take(b-1, budget, "the sentence the best one leans on")
	}
	if b+1 < len(s.sents) && s.sents[b+1].pass == best.pass && utf8.RuneCountInString(best.text) < wt.Fragment &&
		s.sents[b+1].sameParagraph && !endsWithColon(s.sents[b+1].text) {
		s.take(b+1, budget, "the sentence after the best one, a fragment")
	}
}

// endsWithColon reports whether a sentence introduces what follows it.
func endsWithColon(s string) bool {
	return strings.HasSuffix(s, "：") || strings.HasSuffix(s, ":")
}

// addClose takes the sentences of the passages already cited that score
// within Weights.Close of the best one: when two sentences score close,
// the reader gets both, each cited, and can tell which answers.
func (s *selection) addClose(wt Weights, budget int) {
	for _, i := range s.order[1:] {
		st := s.sents[i]
		if st.score < wt.Close*s.best.score {
			break
		}
		if s.passUsed[st.pass] && st.cover > 0 {
			s.take(i, budget, "scores close to the best sentence")
		}
	}
}

// take chooses sentence i, unless it is chosen or would pass budget runes.
func (s *selection) take(i, budget int, why string) {
	n := utf8.RuneCountInString(s.sents[i].text)
	if s.chosen[i] || s.used+n > budget {
		return
	}
	s.why[i] = why
	s.chosen[i] = true
	s.passUsed[s.sents[i].pass] = true
	for t := range termsIn(s.sents[i].folded, s.w) {
		s.covered[t] = true
	}
	s.used += n
}

// fillSlots takes, for a date, issuer or number the question asks for that
// no chosen sentence holds, the best sentence that holds it, from a
// passage already cited if one does.
func (s *selection) fillSlots() {
	for _, slotKey := range []string{slotDate, slotWho, slotDocNumber, slotUnit, slotTitle, slotAddressee, slotOccasion, slotIssue, slotEffective} {
		if _, asked := s.w[slotKey]; !asked || s.covered[slotKey] {
			continue
		}
		pick := -1
		for _, i := range s.order {
			if !strings.Contains(s.sents[i].folded, slotKey) || s.sents[i].cover == 0 {
				continue
			}
			if pick < 0 || s.passUsed[s.sents[i].pass] && !s.passUsed[s.sents[pick].pass] {
				pick = i
			}
		}
		if pick >= 0 && !s.chosen[pick] {
			s.why[pick] = "holds the " + slotName(slotKey) + " asked for"
			s.chosen[pick] = true
			s.passUsed[s.sents[pick].pass] = true
			s.covered[slotKey] = true
			s.used += utf8.RuneCountInString(s.sents[pick].text)
		}
	}
}

// continueList takes the sentences after the best one in its passage: the
// items of a list follow the sentence that names it.
func (s *selection) continueList(budget int) {
	always := func(int) bool { return true }
	s.takeRun(s.order[0], budget, "follows the best sentence, for a list question", always, func(int) bool { return false })
}

// takeRun chooses, for why, the sentences after sentence i in its passage
// while more holds of them and they fit within limit runes (one chosen
// already costs nothing more); the run ends after a sentence last holds of.
func (s *selection) takeRun(i, limit int, why string, more, last func(j int) bool) {
	for j := i + 1; j < len(s.sents) && s.sents[j].pass == s.sents[i].pass && more(j); j++ {
		n := utf8.RuneCountInString(s.sents[j].text)
		if s.used+n > limit {
			break
		}
		if !s.chosen[j] {
			s.why[j] = why
			s.chosen[j] = true
			s.used += n
		}
		if last(j) {
			break
		}
	}
}

// takeColonLists gives a chosen sentence that introduces a list (ends
// with a colon) the rest of its passage, up to limit runes in all.
func (s *selection) takeColonLists(limit int) {
	for i := range s.sents {
		if !s.chosen[i] || !strings.HasSuffix(s.sents[i].text, "：") && !strings.HasSuffix(s.sents[i].text, ":") {
			continue
		}
		for j := i + 1; j < len(s.sents) && s.sents[j].pass == s.sents[i].pass; j++ {
			n := utf8.RuneCountInString(s.sents[j].text)
			if s.used+n > limit {
				break
			}
			if !s.chosen[j] {
				s.why[j] = "the list a sentence ending in a colon introduces"
			}
			s.chosen[j] = true
			s.used += n
		}
	}
}

// takeSemicolonLists gives a chosen sentence that opens a list run on with
// semicolons (要做到“六个到位”：责任落实到位；) the list's other items, the
// sentences after it in its paragraph up to the one that ends the list,
// within limit runes in all.
func (s *selection) takeSemicolonLists(limit int) {
	for i := range s.sents {
		t := s.sents[i].text
		if !s.chosen[i] || !endsWithSemicolon(t) || !strings.ContainsAny(t, "：:") {
			continue
		}
		s.takeRun(i, limit, "an item of the list a sentence opens with a colon and semicolons",
			func(j int) bool { return s.sents[j].sameParagraph },
			func(j int) bool { return !endsWithSemicolon(s.sents[j].text) })
	}
}

// picked returns the indexes of the chosen sentences, in passage order.
func (s *selection) picked() []int {
	var out []int
	for i := range s.sents {
		if s.chosen[i] {
			out = append(out, i)
		}
	}
	return out
}

// documentOrder sorts picked sentences by source and position, so
// excerpts read as written. Sources keep the order in which they first
// rank; inside a source, passages and sentences follow the file.
func documentOrder(picked []int, sents []sentence, passages []Passage) []int {
	sourceRank := map[string]int{}
	for i, p := range passages {
		if _, ok := sourceRank[p.Source]; !ok {
			sourceRank[p.Source] = i
		}
	}
	sort.SliceStable(picked, func(a, b int) bool {
		sa, sb := sents[picked[a]], sents[picked[b]]
		pa, pb := passages[sa.pass], passages[sb.pass]
		if ra, rb := sourceRank[pa.Source], sourceRank[pb.Source]; ra != rb {
			return ra < rb
		}
		if pa.Start != pb.Start {
			return pa.Start < pb.Start
		}
		if sa.pass != sb.pass {
			return sa.pass < sb.pass
		}
		return sa.pos < sb.pos
	})
	return picked
}

// answerSpans writes the picked sentences as an answer: each run of one
// passage's sentences followed by its passage's number.
func answerSpans(picked []int, sents []sentence, passages []Passage, why map[int]string) spans {
	var sp spans
	for k, i := range picked {
		s := sents[i]
		x := span{chunk: passages[s.pass].ChunkID, start: s.start, end: s.end, text: s.text, why: why[i]}
		if k+1 < len(picked) && sents[picked[k+1]].pass == s.pass && !endsWithPunct(s.text) {
			x.sep = "；" // a line without its own stop, such as a header field
		}
		if k+1 == len(picked) || sents[picked[k+1]].pass != s.pass {
			x.cite = s.pass + 1
			if k+1 < len(picked) {
				x.sep = "\n"
			}
		}
		sp = append(sp, x)
	}
	return sp
}

func endsWithPunct(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune("。！？!?；;：:，,、”’」』)）", r)
}

// questionBigrams returns the bigrams whose share a sentence holds
// (Weights.Bigram) catches wording the segmenter cuts differently (原本姓
// ~ 原姓) where whole words do not match.
//
// questionBigrams returns the Han character bigrams of a folded question,
// without those of question words.
func questionBigrams(q string) []string {
	var out []string
	rs := []rune(q)
	for i := 0; i+1 < len(rs); i++ {
		g := string(rs[i : i+2])
		if isHanRune(rs[i]) && isHanRune(rs[i+1]) && !reQuestionWord.MatchString(g) && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// bigramShare is the share of grams found in s.
func bigramShare(s string, grams []string) float64 {
	if len(grams) == 0 {
		return 0
	}
	n := 0
	for _, g := range grams {
		if strings.Contains(s, g) {
			n++
		}
	}
	return float64(n) / float64(len(grams))
}

func isHanRune(r rune) bool { return unicode.Is(unicode.Han, r) }
