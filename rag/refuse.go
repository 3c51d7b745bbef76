package rag

// When the documents do not answer: the signs that say so.

import (
	"policybot/ingest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"policybot/fold"
	"policybot/lexical"
	"policybot/terms"
)

// refusalCase is what the refusal checks read: the question's analysis,
// what was found for it, and the answer and where it was found, folded.
type refusalCase struct {
	a      *Analysis
	f      found
	df     func(term string) int // how many documents hold a term
	answer string                // the extractive answer, folded, without citations
	where  string                // the cited passages with their titles, sections and dates, folded
	lack   string                // what the documents lack, in the reader's words, when the refusing check knows it best
	// outlined counts the items an outline answer would list (the
	// headings or list items under the best sentence), read when asked.
	outlined func() int
}

// refusalCheck is one sign that the passages do not answer the question:
// Func returns why ("" when the sign is absent).
type refusalCheck struct {
	Name string
	Func func(e *Engine, c *refusalCase) string
	// Say names, in simplified Chinese, what the documents lack when the
	// check refuses (2017年的相关内容); nil for the plain wording, or when
	// the check records what is lacking in the case itself (refusalCase.lack).
	Say func(c *refusalCase) string
}

// refusalChecks are the signs, in the order they are tried; the first that
// speaks refuses the question.
var refusalChecks = []refusalCheck{
	{"no-passage", checkNoPassage, nil},
	{"coverage", checkCoverage, nil},
	{"years", checkYears, sayYears},
	{"names", checkNames, sayNames},
	{"place-shaped", checkPlaceShaped, nil},
	{"key-terms", checkKeyTerms, nil},
	{"unseen-indicator", checkUnseenIndicator, nil},
	{"listed-name", checkListedName, nil},
	{"listed-term", checkListedTerm, nil},
	{"answer-years", checkAnswerYears, sayYears},
	{"document-year", checkDocumentYear, nil},
	{"year-part", checkYearPart, func(c *refusalCase) string { return reYearPart.FindString(c.a.Folded) + "的相应数字" }},
	{"event-ordinal", checkEventOrdinal, nil},
	{"quoted-title", checkQuotedTitle, nil},
	{"meeting-session", checkMeetingSession, nil},
	{"qualifier", checkQualifier, func(*refusalCase) string { return "相应的总量数字（文件中只有人均或单位数）" }},
	{"unit", checkUnit, func(c *refusalCase) string { return "以“" + c.a.Unit + "”计的数字" }},
	{"unit-clause", checkUnitClause, func(c *refusalCase) string { return "以“" + c.a.Unit + "”计的相应数字" }},
	{"figure-year", checkFigureYear, sayYears},
	{"lead-year", checkLeadYear, nil},
	{"growth", checkGrowth, func(*refusalCase) string { return "相应的增长率或倍数" }},
	{"amount", checkAmount, func(*refusalCase) string { return "相应的总量数字（文件中只有增速或比例）" }},
	{"post-of", checkPostOf, func(*refusalCase) string { return "相应人员的职务" }},
	{"gap", checkGap, func(*refusalCase) string { return "相应的总量数字（文件中只有差距或倍数）" }},
	{"enumeration", checkEnumeration, nil},
	{"quantity", checkQuantity, func(*refusalCase) string { return "以相应单位计的数字" }},
	{"doc-number", checkDocNumber, func(*refusalCase) string { return "相应的文号" }},
	{"share-scope", checkShareScope, nil},
	{"rank-scope", checkRankScope, func(c *refusalCase) string { return "在" + c.a.Scope + "的排名" }},
	{"rank-of", checkRankOf, func(*refusalCase) string { return "所问指标的排名" }},
	{"role", checkRole, func(c *refusalCase) string { return "担任" + c.a.Post + "的人员姓名" }},
	{"date", checkDate, func(*refusalCase) string { return "相应的日期" }},
	{"event-date", checkEventDate, func(*refusalCase) string { return "所问事项的具体日期" }},
	{"cause", checkCause, func(*refusalCase) string { return "相应的原因说明" }},
	{"figure", checkFigure, func(*refusalCase) string { return "相应的具体数字" }},
	{"place", checkPlace, func(*refusalCase) string { return "相应的地点" }},
	{"person", checkPerson, func(*refusalCase) string { return "相应的人员或单位" }},
	{"missing-concepts", checkMissingConcepts, nil},
	{"outcome", checkOutcome, func(*refusalCase) string { return "实际完成情况（文件中只有计划或目标）" }},
}

// sayYears names the years asked about.
func sayYears(c *refusalCase) string {
	if len(c.a.Years) == 0 {
		return ""
	}
	return strings.Join(c.a.Years, "年、") + "年的相关内容"
}

// sayNames names the places, people and bodies asked about.
func sayNames(c *refusalCase) string {
	if len(c.a.Names) == 0 {
		return ""
	}
	return "关于" + strings.Join(c.a.Names, "、") + "的相关内容"
}

// quoteTerms quotes each term: “人均”“生产总值”.
func quoteTerms(ts []string) string { return "“" + strings.Join(ts, "”“") + "”" }

// refuse decides whether the passages fail to answer the question and
// says why ("" when they may answer it), which check said so, and what the
// documents lack in the reader's words ("" for the plain wording).
func (e *Engine) refuse(ix Retriever, a *Analysis, f found) (why, check, lack string) {
	c := newRefusalCase(ix, a, f)
	c.outlined = func() int { return len(e.outline(ix, a, f)) }
	for _, rc := range refusalChecks {
		if why := rc.Func(e, c); why != "" {
			switch {
			case c.lack != "":
				lack = c.lack
			case rc.Say != nil:
				lack = rc.Say(c)
			}
			return why, rc.Name, lack
		}
	}
	return "", "", ""
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
	c.outlined = func() int { return len(e.outline(ix, a, f)) }
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
	if ys := contentYears(c.a); !yearsFit(c.f.passages, c.f.ex.cited, ys) {
		return "year " + strings.Join(ys, " ") + " not where the answer is"
	}
	return ""
}

// contentYears returns the years a question names but the year it names a
// document by (2022年政府工作报告回顾上一年 speaks of no 2022 beyond the
// report's title): the document-year check reads that one.
func contentYears(a *Analysis) []string {
	docYear := namedDocYear(a.Folded)
	if docYear == "" || strings.Count(a.Folded, docYear) > 1 {
		return a.Years
	}
	return slices.DeleteFunc(slices.Clone(a.Years), func(y string) bool { return y == docYear })
}

// bestWhere is where the best sentence's passage speaks: as find worked
// it out (whereFor, with its document's issuer), else its own text.
func (c *refusalCase) bestWhere() string {
	if c.f.bestWhere != "" {
		return c.f.bestWhere
	}
	return whereText(c.f.passages, []int{c.f.ex.best})
}

// checkNames: a place, person or organization the question is about must
// be where the answer was found: an answer about another city is no answer.
func checkNames(e *Engine, c *refusalCase) string {
	if !e.namesFit(c.a, c.bestWhere()) {
		return "names " + strings.Join(c.a.Names, " ") + " not where the answer is"
	}
	// A question about one place is answered from passages about it: a
	// sentence quoted from another place's document answers nothing.
	if len(c.a.Places) == 1 && len(c.a.Parts) < 2 {
		for _, n := range c.f.ex.cited {
			w, ok := c.f.citedWhere[n]
			if !ok {
				w = whereText(c.f.passages, []int{n})
			}
			if !e.holdsName(w, c.a.Places[0]) {
				return "part of the answer is not about " + c.a.Places[0]
			}
		}
	}
	return ""
}

// checkKeyTerms: every heavy term of the question (a word holding at least
// KeyTermShare of its weight, such as the indicator 进出口 or the qualifier
// 人均) must be where the answer is: in its sentences, their headings and
// list leads, or the cited documents' titles. An answer about 生产总值 is no
// answer to a question about 人均生产总值. Years and names have checks of
// their own; words naming the documents (讲话, 方案) may be in titles only,
// and the words naming the answer's document (国务院 of its title) count at
// KeyTermNaming of their weight in the question's. Lighter terms missing
// together (家庭, 存款, 余额) refuse when they hold KeyTermsMissing of its
// weight, and an indicator named by a word and its head (森林 覆盖率) refuses
// when the answer's sentences hold them only apart (compoundApart).
func checkKeyTerms(e *Engine, c *refusalCase) string {
	if e.w.KeyTermShare <= 0 || len(c.a.terms) == 0 || !c.a.Asks.Figure {
		return ""
	}
	var total float64
	keys := sortedKeys(c.a.terms)
	title := ""
	if n := c.f.ex.best; n >= 1 && n <= len(c.f.passages) {
		title = fold.String(c.f.passages[n-1].Title)
	}
	// The words naming the answer's document (国务院, 政府工作报告) chose
	// where to look: its title holds them, and they do not dilute what
	// must be found there (国防).
	namesIt := func(k string) bool { return strings.Contains(title, k) && c.a.namesDocument(k) }
	for _, k := range keys {
		if namesIt(k) {
			total += e.w.KeyTermNaming * c.a.terms[k].weight
		} else {
			total += c.a.terms[k].weight
		}
	}
	if total == 0 {
		return ""
	}
	ctx := c.context()
	// A count in the very unit asked (改造农村户厕4万户 for 厕所改造多少户)
	// answers a question whose words the documents put otherwise.
	countedInUnit := c.a.unitRx != nil && c.a.Unit != "%" && c.a.Unit != "元" && c.a.unitRx.MatchString(c.answer)
	var missing, bare, held, lighter []string
	var lighterWeight float64
	for _, k := range keys {
		t := c.a.terms[k]
		if namesIt(k) || !e.isKeyNoun(c.a, k) {
			continue
		}
		has := holdsTerm(ctx, c.a.Folded, k, t)
		if t.weight < e.w.KeyTermShare*total {
			// Lighter terms each, but together they may name the
			// indicator asked (人均消费支出 against 人均可支配收入).
			if !has && !countedInUnit {
				lighter = append(lighter, k)
				lighterWeight += t.weight
			}
			continue
		}
		if !has && !countedInUnit {
			missing = append(missing, k)
			continue
		}
		if has {
			held = append(held, k)
		}
		if !c.figureWith(k) {
			bare = append(bare, k)
		}
	}
	if len(missing) == 0 && e.w.KeyTermsMissing > 0 && len(lighter) > 1 && lighterWeight >= e.w.KeyTermsMissing*total {
		missing = lighter
	}
	if len(missing) > 0 {
		c.lack = quoteTerms(outermost(missing)) + "的相关内容"
		return "key terms not where the answer is: " + strings.Join(outermost(missing), " ")
	}
	if !c.heldTogether(held) {
		// 人均 in one sentence and 生产总值 in the next answer nothing about
		// 人均生产总值.
		c.lack = "同时讲到" + quoteTerms(outermost(held)) + "的内容"
		return "key terms not in one sentence: " + strings.Join(outermost(held), " ")
	}
	if len(bare) > 0 {
		c.lack = quoteTerms(outermost(bare)) + "的具体数字"
		return "no figure given for " + strings.Join(outermost(bare), " ")
	}
	if m, ok := e.compoundApart(c); ok {
		c.lack = quoteTerms([]string{m}) + "的相关内容"
		return "the indicator " + m + " is not where the answer is, only its words apart"
	}
	return ""
}

// compoundApart returns an indicator the question names by a word and an
// indicator's head (森林 覆盖率) that the answer's sentences hold only
// apart (城市绿化覆盖率… 全国森林旅游示范市), and whether there is one.
func (e *Engine) compoundApart(c *refusalCase) (string, bool) {
	words := e.tok.Words(c.a.Folded)
	for i := 0; i+1 < len(words); i++ {
		a, b := words[i], words[i+1]
		t1, ok1 := c.a.terms[a]
		t2, ok2 := c.a.terms[b]
		at := strings.Index(c.a.Folded, a+b)
		if !ok1 || !ok2 || len(t1.alts) > 1 || len(t2.alts) > 1 || at < 0 {
			continue
		}
		// The head may end in a character the segmenter left alone (率 of
		// 复盖率, as 覆盖率 folds).
		head := b
		if r, _ := utf8.DecodeRuneInString(c.a.Folded[at+len(a+b):]); r == '率' {
			head += "率"
		}
		if !reIndicatorHead.MatchString(head) {
			continue
		}
		if !e.isKeyNoun(c.a, a) {
			continue
		}
		together, both := false, false
		for _, st := range c.f.ex.picked {
			if strings.Contains(st.folded, a) && strings.Contains(st.folded, b) {
				both = true
				if nearInOrder(st.folded, a, b, 8) {
					together = true
				}
			}
		}
		if both && !together {
			return originalRun(c.a.Question, c.a.Folded[at:at+len(head)+len(a)]), true
		}
	}
	return "", false
}

// heldTogether reports whether one sentence of the answer, with its
// passage's heading path and title and the opening of its run of clauses,
// holds every one of the key terms.
func (c *refusalCase) heldTogether(keys []string) bool {
	if len(keys) < 2 {
		return true
	}
	for _, st := range c.f.ex.picked {
		where := st.folded + "\n" + st.lead
		if st.pass >= 0 && st.pass < len(c.f.passages) {
			p := c.f.passages[st.pass]
			where += "\n" + fold.String(p.Section) + "\n" + fold.String(p.Title)
		}
		all := true
		for _, k := range keys {
			if !holdsTerm(where, c.a.Folded, k, c.a.terms[k]) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// outermost drops the words of ws another of ws holds (出口 of 进出口).
func outermost(ws []string) []string {
	var out []string
	for _, w := range ws {
		inner := false
		for _, o := range ws {
			if o != w && strings.Contains(o, w) {
				inner = true
				break
			}
		}
		if !inner {
			out = append(out, w)
		}
	}
	return out
}

// figureWith reports whether a figure of the answer goes with the term:
// a sentence holding it (in itself, its heading or its list lead) holds a
// figure of its own or is followed closely by one, or no sentence holds the
// term as the question writes it (an equivalent may be worded otherwise).
// 进出口保持平稳增长 beside 生产总值增长8% gives no figure for 进出口.
func (c *refusalCase) figureWith(term string) bool {
	alts := []string{term}
	ps := c.f.ex.picked
	figure := make([]bool, len(ps))
	for i, st := range ps {
		text := fold.String(st.text)
		if !c.a.Asks.DocNumber { // asked a document number, the number is the figure
			text = stripDocNumbers(text)
		}
		figure[i] = c.givesFigure(text)
	}
	inSentence := false
	for _, st := range ps {
		if !holdsAny(st.ctx, alts) && !holdsAny(fold.String(st.text), alts) {
			continue
		}
		inSentence = true
		// The sentence itself, or one close after it in its passage
		// (强化创新引领作用。…研究与试验发展经费投入强度达2.07%).
		for j, o := range ps {
			if figure[j] && o.pass == st.pass && o.pos >= st.pos && o.pos-st.pos <= figureReach {
				return true
			}
		}
	}
	return !inSentence
}

// givesFigure reports whether folded text gives a figure of its own, or,
// asked when (几月), a date: 每年七月 answers 每年几月.
func (c *refusalCase) givesFigure(text string) bool {
	return hasOwnFigure(text, c.a.Folded) || c.a.Asks.Date && reHasDate.MatchString(text)
}

// figureReach is how many sentences after a sentence naming what is asked
// a figure may follow and still give it.
const figureReach = 2

// isKeyTerm reports whether a question term must be where the answer is:
// not a year, a figure or a name (checked on their own), nor a word naming
// the documents themselves.
func isKeyTerm(a *Analysis, k string) bool {
	if len(k) == 1 && isASCIIWord(k) {
		// A lone Latin letter is a piece of an abbreviation the tokenizer
		// cut (r and d of R&D), not a word an answer would repeat.
		return false
	}
	if inQuestionWord(a.Folded, k) || inSlotAsk(a.Folded, k) {
		return false
	}
	if isASCIIDigits(k) || reYear.MatchString(k) || reDocumentWord.MatchString(k) || reQuestionWord.MatchString(k) || isFrameWord(k) {
		return false
	}
	for _, n := range a.Names {
		if strings.Contains(n, k) || strings.Contains(k, n) {
			return false
		}
	}
	for _, m := range reSpanStart.FindAllStringSubmatch(a.Folded, -1) {
		if strings.Contains(m[1], k) {
			return false // 省直 of 从实行省直管到2018年: a start the answer may date
		}
	}
	return true
}

// isKeyNoun reports whether the question's term k is a key term
// (isKeyTerm) used as a noun (nounish): one an answer must hold.
func (e *Engine) isKeyNoun(a *Analysis, k string) bool {
	return isKeyTerm(a, k) && e.nounish(a.Folded, k)
}

// inSlotAsk reports whether k lies in the words asking for a fact about a
// document (文号 of 那份函的文号是多少): the answer gives the number, not
// the word.
func inSlotAsk(folded, k string) bool {
	for _, m := range reAsksSlot.FindAllString(folded, -1) {
		if strings.Contains(m, k) {
			return true
		}
	}
	return false
}

// inQuestionWord reports whether every place the question holds k
// overlaps a question word (大面积 of 多大面积): the segmenter's cut across
// the asking words, whose content part (面积) is a term of its own.
func inQuestionWord(folded, k string) bool {
	qs := reQuestionWord.FindAllStringIndex(folded, -1)
	if len(qs) == 0 || k == "" {
		return false
	}
	found := false
	for from := 0; from < len(folded); {
		i := strings.Index(folded[from:], k)
		if i < 0 {
			break
		}
		start, end := from+i, from+i+len(k)
		over := false
		for _, q := range qs {
			if q[0] < end && start < q[1] {
				over = true
				break
			}
		}
		if !over {
			return false
		}
		found = true
		from = start + 1
		for from < len(folded) && !utf8.RuneStart(folded[from]) {
			from++
		}
	}
	return found
}

// nounish reports whether the question's word k is a noun, a name-like
// abbreviation, a time word or Latin letters, or part of one: the words that
// say what a figure is of (进出口, 人均, 上半年, pm2.5). Verbs, adverbs and
// counts (已经, 做到, 四条) often differ between a question and its answer,
// and a noun before a localizer (在地球上) only says where.
func (e *Engine) nounish(folded, k string) bool {
	if isASCIIWord(k) {
		return !isASCIIDigits(k) // pm2.5, not 2018
	}
	if strings.ContainsAny(k, "0123456789一二三四五六七八九十百千两第") {
		return false
	}
	// A word of a term of the terms table (支出 of 一般公共预算支出) names an
	// indicator, whatever its part of speech.
	if e.terms != nil {
		for _, m := range e.terms.Find(folded) {
			if utf8.RuneCountInString(m.Term) >= 4 && strings.Contains(m.Term, k) {
				return true
			}
		}
	}
	// The head of an indicator's name (支出, 收入, 人口) names it,
	// whatever the tagger makes of it (消费支出 tagged a verb).
	if reIndicatorHead.MatchString(k) {
		return true
	}
	tagged := e.tok.Tag(folded)
	for i, tw := range tagged {
		if !strings.Contains(tw.Text, k) {
			continue
		}
		// A noun before a localizer (地球上, 报告里) says where, not what;
		// a word before an aspect particle (政府办了) is a verb phrase.
		if i+1 < len(tagged) && (tagged[i+1].Pos == "f" || isAspectParticle(tagged[i+1].Text)) {
			continue
		}
		switch {
		case tw.Pos == "nr" || tw.Pos == "ns" || tw.Pos == "nt":
		case strings.HasPrefix(tw.Pos, "n"), tw.Pos == "vn", tw.Pos == "j", tw.Pos == "eng":
			return true
		}
	}
	return false
}

// context is where the answer is, folded: its sentences with their
// headings and list leads, and the cited documents' titles.
func (c *refusalCase) context() string {
	var sb strings.Builder
	sb.WriteString(c.answer)
	for _, st := range c.f.ex.picked {
		sb.WriteByte('\n')
		sb.WriteString(st.ctx)
	}
	for _, n := range c.f.ex.cited {
		if n >= 1 && n <= len(c.f.passages) {
			sb.WriteByte('\n')
			sb.WriteString(fold.String(c.f.passages[n-1].Title))
		}
	}
	return sb.String()
}

// checkAnswerYears: when the answer's own sentences name years, one of the
// years asked must be among them or in their headings: a passage may name
// 2025 elsewhere while the sentence taken speaks of 2020.
func checkAnswerYears(_ *Engine, c *refusalCase) string {
	if len(c.a.Years) == 0 || len(c.f.ex.picked) == 0 {
		return ""
	}
	text := stripDocNumbers(c.answer)
	if !reYear.MatchString(text) {
		return ""
	}
	var ctx strings.Builder
	for _, st := range c.f.ex.picked {
		ctx.WriteString(stripDocNumbers(st.ctx))
		ctx.WriteByte('\n')
	}
	if holdsAny(text+"\n"+ctx.String(), c.a.Years) {
		return ""
	}
	return "the answer speaks of " + strings.Join(uniq(reYear.FindAllString(text, -1)), " ") + ", not of " + strings.Join(c.a.Years, " ")
}

// checkGrowth: asked a rate of growth or a multiple (增速, 翻了几倍), the
// answer must give a percentage or a multiple, not only an amount.
func checkGrowth(_ *Engine, c *refusalCase) string {
	if c.a.Asks.Growth && !reGrowthFigure.MatchString(c.answer) {
		return "asks a growth rate, found none"
	}
	return ""
}

// checkRankScope: asked a rank within a scope (在全国排第几), the answer
// must rank in that scope: 居全省第2位 does not say the rank in the country.
func checkRankScope(_ *Engine, c *refusalCase) string {
	if c.a.Scope != "" && !strings.Contains(c.answer, c.a.Scope) {
		return "asks a rank in " + c.a.Scope + ", the answer ranks elsewhere"
	}
	return ""
}

// checkRankOf: asked where something ranks (旅游收入在全省排第几), a
// rank the answer gives must be of it: some part of a sentence holding a
// rank (…,居全省第4位;) holds every key term of the question, not only
// the rank of the indicator beside it (生产总值完成641.8亿元,居全省第4位).
func checkRankOf(e *Engine, c *refusalCase) string {
	if !reAsksRank.MatchString(c.a.Folded) || c.answer == "" {
		return ""
	}
	var total float64
	for _, t := range c.a.terms {
		total += t.weight
	}
	var all []string
	for _, k := range sortedKeys(c.a.terms) {
		if e.isKeyNoun(c.a, k) && !reAsksRank.MatchString(k) {
			all = append(all, k)
		}
	}
	var keys []string
	for _, k := range outermost(all) {
		if c.a.terms[k].weight >= e.w.KeyTermShare*total {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return ""
	}
	// A word is held as itself, an equivalent, or by the terms it holds
	// (地级市 by 地级 of 地级及以上城市).
	holds := func(part, k string) bool {
		if holdsTerm(part, c.a.Folded, k, c.a.terms[k]) {
			return true
		}
		inner := 0
		for _, w := range all {
			if w != k && strings.Contains(k, w) {
				if !holdsTerm(part, c.a.Folded, w, c.a.terms[w]) {
					return false
				}
				inner++
			}
		}
		return inner > 0
	}
	ranked := false
	answer := fold.String(c.answer)
	for _, r := range sentenceRanges(answer) {
		part := answer[r[0]:r[1]]
		if !reRankFigure.MatchString(part) {
			continue
		}
		ranked = true
		if !slices.ContainsFunc(keys, func(k string) bool { return !holds(part, k) }) {
			return ""
		}
	}
	if !ranked {
		return "" // no rank at all: the unit and figure checks speak
	}
	return "the ranks given are of other things than " + strings.Join(keys, " ")
}

// checkRole: asked who holds a post (书记是谁), the answer must name the
// post and a person: an organization or another post is no answer.
func checkRole(e *Engine, c *refusalCase) string {
	if !c.a.Asks.Role || c.a.Post == "" {
		return ""
	}
	if !strings.Contains(c.answer, c.a.Post) || !e.namesPerson(c.answer) {
		return "asks who is " + c.a.Post + ", the answer names no one as such"
	}
	return ""
}

// stripDocNumbers blanks the document numbers of text: the 2015 of
// 发改地区〔2015〕2778号 is no year the text speaks of, nor a figure.
func stripDocNumbers(text string) string {
	return reDocNumberIn.ReplaceAllString(text, " ")
}

func uniq(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
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
		// Asked only when (时间节点, 什么时候), a point of the year (年底,
		// 上半年) answers; asked the year, month or day, it does not.
		if !c.a.Asks.Day && !reAsksYearMonth.MatchString(c.a.Folded) && reTimeOfYear.MatchString(fold.String(c.answer)) {
			return ""
		}
		return "asks a date, found none"
	}
	return ""
}

// checkFigure: asked for a figure, the answer must hold one of its own.
func checkFigure(_ *Engine, c *refusalCase) string {
	answer := c.answer
	if !c.a.Asks.DocNumber {
		answer = stripDocNumbers(answer)
	}
	if c.a.Asks.Figure && !c.givesFigure(answer) {
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
	if !c.a.Asks.Outcome {
		return ""
	}
	// A sentence of a section resolved at ingest as a plan (今年…预期目标,
	// 2019年工作安排) is no outcome, whatever its verbs: 完成省定任务.
	planned := func(s sentence) bool {
		return s.pass >= 0 && s.pass < len(c.f.passages) && c.f.passages[s.pass].timeKind == ingest.TimePlan
	}
	if !rePlan.MatchString(c.answer) && !all(c.f.ex.picked, planned) {
		return ""
	}
	for _, s := range c.f.ex.picked {
		if planned(s) {
			continue
		}
		if f := fold.String(s.text); reOutcome.MatchString(f) && !rePlan.MatchString(f) {
			return ""
		}
	}
	return "asks an outcome, found only a plan"
}

// all reports whether f holds for every one of xs (and xs is not empty).
func all[T any](xs []T, f func(T) bool) bool {
	for _, x := range xs {
		if !f(x) {
			return false
		}
	}
	return len(xs) > 0
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
		t := stripDocNumbers(fold.String(p.Section + " " + p.Text))
		for _, y := range p.years { // the years its section is about (过去一年 under 一、工作回顾)
			t += " " + strconv.Itoa(y) + "年"
		}
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
	for _, tw := range e.tok.Tag(text) {
		if tw.Pos == "ns" {
			return true
		}
	}
	return false
}

// namesSomeone reports whether text names a person or an organization.
func (e *Engine) namesSomeone(text string) bool {
	if reOrganization.MatchString(text) || rePersonTitle.MatchString(text) {
		return true
	}
	for _, tw := range e.tok.Tag(text) {
		if strings.HasPrefix(tw.Pos, "nr") || tw.Pos == "nt" {
			return true
		}
	}
	return false
}

// commonWord reports whether the dictionary knows w as one common word that
// names no place (居民 of 居民区): a stem shaped like a local place is then
// no place.
func (e *Engine) commonWord(w string) bool {
	tw := e.tok.Tag(w)
	if len(tw) != 1 || tw[0].Text != w {
		return false
	}
	switch p := tw[0].Pos; {
	case strings.HasPrefix(p, "ns"), strings.HasPrefix(p, "nr"), p == "nz", p == "nt":
		return false // a name
	}
	return e.tok.WordWeight(w) < e.w.CommonWord
}

// namesPerson reports whether text names a person: by a form of address
// or a role (迎军同志, 编辑:郭立翔), or a word tagged as a person's name.
func (e *Engine) namesPerson(text string) bool {
	if rePersonTitle.MatchString(text) {
		return true
	}
	for _, tw := range e.tok.Tag(text) {
		if strings.HasPrefix(tw.Pos, "nr") {
			return true
		}
	}
	return false
}

// places returns the places the folded text names: from the gazetteer,
// and the local places of the indexed documents' titles. A local name read
// across the end of a gazetteer place (源城 in 济源城镇) is not named.
func (e *Engine) places(s string) []string {
	var out []string
	for _, p := range e.opt.Places.Find(s) {
		if !slices.Contains(out, p) { // a place named twice is one place
			out = append(out, p)
		}
	}
	if l := e.snap().local; l != nil {
		for _, p := range l.Find(s) {
			if !slices.Contains(out, p) && e.holdsName(s, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// placeLists returns the gazetteer and the local places, the lists whose
// names may overlap a name in text.
func (e *Engine) placeLists() []*terms.Places {
	out := []*terms.Places{e.opt.Places}
	if e.pinned == nil && e.cur == nil {
		return out // an engine with no index yet
	}
	if sn := e.snap(); sn != nil && sn.local != nil {
		out = append(out, sn.local)
	}
	return out
}

// holdsName reports whether text names name: an occurrence of it that no
// other place name straddles. 源城 in 济源城乡 is 济源 followed by 城乡, not
// the district 源城; a name of the gazetteer is split by no local name.
func (e *Engine) holdsName(text, name string) bool {
	if name == "" {
		return false
	}
	// 河南省政府 and 中编办 are how one says 河南省人民政府 and 中央编办,
	// which documents write.
	if short := withShortForms(text); short != text && !strings.Contains(text, name) && strings.Contains(short, name) {
		return e.holdsName(short[len(text):], name)
	}
	// The gazetteer's names come first: a local name does not split one.
	lists := e.placeLists()
	if f := e.opt.Places.Find(name); len(f) == 1 && f[0] == name {
		lists = lists[:1]
	}
	for off := 0; off < len(text); {
		i := strings.Index(text[off:], name)
		if i < 0 {
			return false
		}
		s := off + i
		if !straddled(text, s, s+len(name), lists) {
			return true
		}
		_, n := utf8.DecodeRuneInString(name)
		off = s + n
	}
	return false
}

// straddled reports whether a place name of lists overlaps text[s:end] in
// part: starting before it and ending inside it, or starting inside it and
// ending after it.
func straddled(text string, s, end int, lists []*terms.Places) bool {
	lo, hi := s, end
	for k := 0; k < 4 && lo > 0; k++ {
		_, n := utf8.DecodeLastRuneInString(text[:lo])
		lo -= n
	}
	for k := 0; k < 4 && hi < len(text); k++ {
		_, n := utf8.DecodeRuneInString(text[hi:])
		hi += n
	}
	for _, pl := range lists {
		if pl == nil {
			continue
		}
		// Scan from every start in the window: Find does not overlap its
		// own matches, and the straddling one may begin at any of them.
		for a := lo; a < s+1 && a < len(text); {
			pos := a
			for _, p := range pl.Find(text[a:hi]) {
				j := strings.Index(text[pos:hi], p)
				if j < 0 {
					break
				}
				pa, pb := pos+j, pos+j+len(p)
				pos = pb
				if pa < s && pb > s && pb < end || pa > s && pa < end && pb > end {
					return true
				}
			}
			_, n := utf8.DecodeRuneInString(text[a:])
			a += n
		}
	}
	return false
}

// holdsAnyName reports whether text names one of names (see holdsName).
func (e *Engine) holdsAnyName(text string, names []string) bool {
	for _, n := range names {
		if e.holdsName(text, n) {
			return true
		}
	}
	return false
}

// holdsAllNames reports whether text names every one of names.
func (e *Engine) holdsAllNames(text string, names []string) bool {
	for _, n := range names {
		if !e.holdsName(text, n) {
			return false
		}
	}
	return true
}

// namesFit reports whether where speaks of what the question names: every
// place of the gazetteer it names (济源 and 洛阳 both, in one passage), and
// at least one of its other names.
func (e *Engine) namesFit(a *Analysis, where string) bool {
	if len(a.Names) == 0 {
		return true
	}
	places := slices.Clone(a.Places)
	var others []string
	for _, n := range a.Names {
		if slices.Contains(places, n) {
			continue
		}
		others = append(others, n)
		// Only for a figure of few names: a history question sets its scene
		// with places (满洲, 俄国) the answering sentence need not repeat.
		if a.Asks.Figure && len(a.Names) <= 2 && e.taggedPlace(n) {
			// A country or region the segmenter knows (美国) is a place
			// the answer must name, as a gazetteer place is; it still
			// vouches for the other names.
			places = append(places, n)
		}
	}
	return e.holdsAllNames(where, places) && (len(others) == 0 || e.holdsAnyName(where, others))
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
	for _, stem := range e.localPlaces(folded) {
		if seen[stem] || reNoPlaceStem.MatchString(stem) || dfOf(ix, lexical.BigramPrefix+stem) == 0 || !e.holdsName(folded, stem) ||
			strings.ContainsAny(stem, notInPlaceNames) || e.commonWord(stem) {
			continue
		}
		seen[stem] = true
		out = append(out, stem)
	}
	// The documents' authors, whom the segmenter may cut apart (姜/会/峰).
	if sn := e.snap(); sn != nil && sn.authors != nil {
		words := e.tok.Words(folded)
		for _, a := range sn.authors.Find(folded) {
			if !seen[a] && !slices.Contains(words, a) {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	for _, tw := range e.tok.Tag(folded) {
		name := tw.Text
		if m := reLocativeTail.FindStringSubmatch(name); m != nil {
			name = m[1] // 雨林中 → 雨林
		}
		if utf8.RuneCountInString(name) < 2 || seen[name] || reQuestionWord.MatchString(name) || isNotName(name) || isGenericPlace(name) || !e.holdsName(folded, name) {
			continue
		}
		// Small places are rarely in the dictionary: a word it does not know
		// that is shaped like a place name is taken as one.
		unknown := e.tok.WordWeight(name) >= e.w.RareWord
		// The dictionary tags some common words as organizations (新设 nt):
		// a body's name ends as one does (…部, …委, …银行).
		if tw.Pos == "ns" || tw.Pos == "nr" || tw.Pos == "nt" && reOrgName.MatchString(name) || unknown && rePlace.MatchString(name) {
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
	var missing, total float64
	var gone []string
	tagged := e.tok.Tag(a.Folded)
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
		wt := e.tok.WordWeight(word)
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

func isASCIIDigits(s string) bool {
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != '%' {
			return false
		}
	}
	return s != ""
}

// checkDocumentYear: a question naming a document by its year (2020年政府工作
// 报告) is answered from that document: the year must be in the title or
// the date of a cited passage's document, whatever years its text names (a
// 2019 report sets targets for 2020 too).
func checkDocumentYear(_ *Engine, c *refusalCase) string {
	year := namedDocYear(c.a.Folded)
	if year == "" || len(c.f.ex.cited) == 0 {
		return ""
	}
	for _, n := range c.f.ex.cited {
		if n >= 1 && n <= len(c.f.passages) && ofYear(c.f.passages[n-1].Title, c.f.passages[n-1].Date, year) {
			return ""
		}
	}
	c.lack = year + "年的该文件"
	return "no cited document is of " + year
}

// checkYearPart: a question about a part of a year (上半年, 一季度) is
// answered by a sentence of that part that speaks of what is asked: a
// full-year figure, or a half-year figure of another indicator, is no answer.
func checkYearPart(e *Engine, c *refusalCase) string {
	part := reYearPart.FindString(c.a.Folded)
	if len(c.f.ex.picked) == 0 {
		return ""
	}
	if part == "" {
		return wholeYearOnlyInPart(c)
	}
	var asked []string
	for _, k := range sortedKeys(c.a.terms) {
		if utf8.RuneCountInString(k) < 2 || strings.Contains(part, k) || strings.Contains(k, part) || !isKeyTerm(c.a, k) {
			continue
		}
		asked = append(asked, c.a.terms[k].alts...)
		asked = append(asked, k)
	}
	for _, st := range c.f.ex.picked {
		text := fold.String(st.text)
		if strings.Contains(text, part) && (len(asked) == 0 || holdsAny(text, asked)) {
			return ""
		}
	}
	return "asks of " + part + ", no sentence of the answer is of it"
}

// wholeYearOnlyInPart: asked a figure of a year as a whole (2018年…多少), the
// answer's sentences of what is asked must not all be of a part of it:
// 上半年公众安全感指数居全省第1位 gives no rank for 2018.
func wholeYearOnlyInPart(c *refusalCase) string {
	if len(c.a.Years) == 0 || !c.a.Asks.Figure {
		return ""
	}
	asked := askedTerms(c.a, nil)
	seen := false
	for _, st := range c.f.ex.picked {
		text := fold.String(st.text)
		if len(asked) > 0 && !holdsAny(text, asked) {
			continue
		}
		if !reYearPart.MatchString(text) {
			return ""
		}
		seen = true
	}
	if seen {
		return "asks of the whole year, the answer is of a part of it"
	}
	return ""
}

// checkEventOrdinal: the ordinal of a meeting or body the question names
// (第九次党代会) must be where the answer was found: the eighth congress
// answers nothing about the ninth.
func checkEventOrdinal(_ *Engine, c *refusalCase) string {
	var ords []string
	for _, m := range reEventOrdinal.FindAllStringSubmatch(c.a.Folded, -1) {
		ords = append(ords, m[1])
	}
	if len(ords) == 0 || len(c.f.ex.cited) == 0 {
		return ""
	}
	where := c.where + "\n" + c.answer
	for _, o := range ords {
		if !strings.Contains(where, o) {
			c.lack = o + "的相关内容"
			return o + " not where the answer is"
		}
	}
	return ""
}

// checkQualifier: asked a figure of a total (生产总值, 经济总量) without a
// qualifier such as 人均, the answer must give it somewhere unqualified:
// 人均生产总值7.3万元 is no answer to a question about 生产总值.
func checkQualifier(_ *Engine, c *refusalCase) string {
	if !c.a.Asks.Figure || c.answer == "" || reQualifier.MatchString(c.a.Folded) {
		return ""
	}
	var keys []string
	for _, k := range sortedKeys(c.a.terms) {
		if utf8.RuneCountInString(k) >= 2 && isKeyTerm(c.a, k) {
			keys = append(keys, k)
		}
	}
	for _, k := range outermost(keys) {
		if !reTotalWord.MatchString(k) && !reTotalWord.MatchString(strings.Join(c.a.terms[k].alts, " ")) {
			continue // 可支配收入 is per head by custom
		}
		seen, bare := false, false
		for _, alt := range append([]string{k}, c.a.terms[k].alts...) {
			for i := 0; ; {
				j := strings.Index(c.answer[i:], alt)
				if j < 0 {
					break
				}
				seen = true
				if !reQualifierEnd.MatchString(c.answer[:i+j]) {
					bare = true
				}
				i += j + len(alt)
			}
		}
		if seen && !bare {
			return "the answer gives " + k + " only qualified (人均)"
		}
	}
	return ""
}

// clauses splits a folded answer into its clauses, the stretches between
// commas, semicolons and stops: 襄阳经济总量2010年是洛阳的2/3 and
// 到2019年缩小到222亿元 are two.
func clauses(text string) []string { return reClauseBreak.Split(text, -1) }

// askedTerms returns the words of the question that say what is asked,
// with their equivalents: not years, names, question or document words,
// nor single characters, nor the words that match skip (the unit asked).
func askedTerms(a *Analysis, skip func(string) bool) []string {
	var out []string
	for _, k := range sortedKeys(a.terms) {
		if utf8.RuneCountInString(k) < 2 || !isKeyTerm(a, k) || (skip != nil && skip(k)) {
			continue
		}
		out = append(out, k)
		out = append(out, a.terms[k].alts...)
	}
	return out
}

// checkUnitClause: an amount or share asked (多少亿元, 百分之几) is given by a
// clause that holds a figure in that unit and a word of what is asked: 生产总
// 值完成641.8亿元 beside 规模以上工业增加值增长8.5% gives no amount of 增加值,
// and 缩小到222亿元 after 襄阳经济总量 is a gap, not 襄阳's total.
func checkUnitClause(e *Engine, c *refusalCase) string {
	// Only amounts and shares: a count (几家, 几个) may be given by a list.
	if c.a.unitRx == nil || c.answer == "" || (c.a.Unit != "元" && c.a.Unit != "%") {
		return ""
	}
	// 每只, 每人, 每年 give what a figure is counted by, not what it is of.
	isUnit := func(k string) bool {
		return c.a.unitRx.MatchString("1"+k) || strings.Contains(k, c.a.Unit) || strings.HasPrefix(k, "每")
	}
	// A light word (投资) in the clause of another project's 总投资 does not
	// tie it to what is asked (凯盛…大楼): only the heavier terms do.
	var heaviest float64
	for _, k := range sortedKeys(c.a.terms) {
		if !isUnit(k) && isKeyTerm(c.a, k) && c.a.terms[k].weight > heaviest {
			heaviest = c.a.terms[k].weight
		}
	}
	asked := askedTerms(c.a, func(k string) bool { return isUnit(k) || c.a.terms[k].weight < e.w.UnitClauseTerm*heaviest })
	if len(asked) == 0 {
		return ""
	}
	// The place or body asked about counts as well (其中济源4家), and so do
	// the terms table's equivalents of what is asked (经济总量 → gdp).
	asked = append(asked, c.a.Names...)
	asked = append(asked, c.a.Expanded...)
	cls := clauses(c.answer)
	for i, cl := range cls {
		// A rate follows the clause of its indicator (收入完成50.1亿元,增长
		// 24.1%): for a share or rate the clause before counts too.
		tied := cl
		if c.a.Unit == "%" && i > 0 {
			tied = cls[i-1] + "," + cl
		}
		if c.a.unitRx.MatchString(cl) && holdsAny(tied, asked) {
			return ""
		}
	}
	return "no clause gives " + c.a.Unit + " of what is asked"
}

// checkFigureYear: asked a figure of one year, the clauses naming what is
// asked must not all be of another year: 2019年全市GDP达到5035亿元,…比2016年
// 提升5位 gives no GDP of 2016. A clause naming no year before what is asked
// (生产总值完成641.8亿元 under 2018年工作回顾) is left to the year checks,
// unless its sentence opens with the target year it sets (到2020年,…人均
// 生产总值突破10万元 gives no figure of 2025).
func checkFigureYear(_ *Engine, c *refusalCase) string {
	if len(c.a.Years) != 1 || !c.a.Asks.Figure || c.answer == "" {
		return ""
	}
	asked := askedTerms(c.a, nil)
	if len(asked) == 0 {
		return ""
	}
	y := c.a.Years[0]
	if m := reBaselineYear.FindStringSubmatch(c.a.Folded); m != nil && m[1] == y {
		// 比2016年前进了几位 asks a change since 2016, which the answer
		// gives counted from it (比2016年提升5位).
		for _, b := range reBaselineYear.FindAllStringSubmatch(fold.String(c.answer), -1) {
			if b[1] == y {
				return ""
			}
		}
	}
	seen := false
	text := stripDocNumbers(c.answer)
	for _, r := range sentenceRanges(text) {
		// A sentence opening with the target it sets (到2020年,…) speaks
		// of that year in every clause.
		lead := ""
		if m := reSetsTargetYear.FindString(text[r[0]:r[1]]); m != "" && strings.HasPrefix(strings.TrimLeft(text[r[0]:r[1]], " \n,，。;；:：、."), strings.TrimLeft(m, " \n,，。;；:：、.")) {
			lead = reYear.FindString(m)
		}
		for _, cl := range clauses(text[r[0]:r[1]]) {
			at := -1
			for _, t := range asked {
				if i := strings.Index(cl, t); i >= 0 && (at < 0 || i < at) {
					at = i
				}
			}
			if at < 0 {
				continue
			}
			before := reYear.FindAllString(cl[:at], -1)
			if len(before) == 0 && lead != "" {
				if strings.Contains(lead, y) {
					if reFigure.MatchString(cl) {
						return "" // a figure of the year asked
					}
					continue // 到2025年,…达到高收入国家水平 gives no figure
				}
				before = []string{lead}
			}
			if len(before) == 0 || strings.Contains(cl, y) {
				return ""
			}
			seen = true
		}
	}
	if seen {
		return "the figures asked are of other years than " + y
	}
	return ""
}

// taggedPlace reports whether the segmenter reads w as one word naming a
// place (美国, 欧洲).
func (e *Engine) taggedPlace(w string) bool {
	tw := e.tok.Tag(w)
	return len(tw) == 1 && tw[0].Text == w && tw[0].Pos == "ns"
}

// checkAmount: asked a total amount (进出口总额, 多少亿), an answer that
// gives only rates (增长8%, 居全省第4位) and no amount of the quantity asked
// does not answer: a target of growth is no target of the total.
// checkPostOf: asked what post someone holds (张三是什么职务), a clause of
// the answer must name a post beside the person: an answer naming the
// person under a byline or in passing gives no post.
func checkPostOf(e *Engine, c *refusalCase) string {
	if !c.a.Asks.PostOf || c.answer == "" {
		return ""
	}
	var people []string
	for _, n := range c.a.Names {
		if !slices.Contains(c.a.Places, n) {
			people = append(people, n)
		}
	}
	if len(people) == 0 {
		// A name the dictionary does not tag (尹弘) is still the question's
		// heaviest word outside the asking words.
		asking := reAsksPostOf.FindString(c.a.Folded)
		best := 0.0
		for _, k := range sortedKeys(c.a.terms) {
			if w := c.a.terms[k].weight; w > best && !strings.Contains(asking, k) && !strings.Contains(k, "职") && !slices.Contains(c.a.Places, k) {
				best, people = w, []string{k}
			}
		}
	}
	if reAppointed.MatchString(c.answer) {
		return "" // 1973年10月任…副书记: a biography gives the post by the appointment
	}
	where := c.bestWhere() // the passage with its document's author
	for _, cl := range clauses(c.answer) {
		if !rePost.MatchString(cl) {
			continue
		}
		// 作为市委常委…,我会…: the author of the document gives their own post.
		// 是谁作的，他什么职务: the person is the answer's, not the question's.
		if len(people) == 0 || c.a.Asks.Who || holdsAny(cl, people) || reFirstPersonPost.MatchString(c.answer) && holdsAny(where, people) {
			return ""
		}
	}
	return "asks what post someone holds, the answer names none beside them"
}

// checkGap: asked an amount of something (襄阳经济总量是多少), an answer
// whose every amount is a gap or a multiple of another's (缩小到222亿元,
// 是洛阳的1.42倍) gives none; a question asking the difference is left alone.
func checkGap(_ *Engine, c *refusalCase) string {
	if c.a.Asks.Gap || c.a.amount == nil || !(c.a.Asks.Amount || c.a.Asks.Figure) || c.answer == "" {
		return ""
	}
	if !givesOnlyGaps(stripDocNumbers(c.answer), c.a.amount) {
		return ""
	}
	return "asks an amount, the answer gives only gaps or multiples of another's"
}

// givesOnlyGaps reports whether every clause of text giving an amount (as
// amount matches) or a rate gives a gap or a multiple of another's amount
// (缩小到222亿元, 是洛阳的1.42倍), and some clause gives one.
func givesOnlyGaps(text string, amount *regexp.Regexp) bool {
	seen := false
	for _, cl := range clauses(text) {
		if !amount.MatchString(cl) && !reGrowthFigure.MatchString(cl) {
			continue
		}
		seen = true
		if !reComparison.MatchString(cl) {
			return false
		}
	}
	return seen
}

// checkEnumeration: asked which of a counted set (哪十件, 哪四条), the
// answer, or the outline it would be composed as, must hold about that many
// items: a sentence naming the set (办好十件民生实事) does not list it.
func checkEnumeration(_ *Engine, c *refusalCase) string {
	m := reAsksWhichCounted.FindStringSubmatch(c.a.Folded)
	if m == nil || c.answer == "" || c.a.Followup != nil {
		return "" // a follow-up carries the previous question's count along
	}
	want := numeralValue(m[1])
	if want < 3 {
		return "" // 哪一项, 哪两个: the other checks read them
	}
	items := max(strings.Count(c.answer, "、")+1, strings.Count(c.answer, "；")+strings.Count(c.answer, ";")+1,
		strings.Count(c.answer, "“"), len(c.f.ex.picked))
	if items >= want-1 || c.outlined != nil && c.outlined() >= want-1 {
		return ""
	}
	c.lack = "列出全部" + strconv.Itoa(want) + "项的内容"
	return "asks which " + strconv.Itoa(want) + " things, the answer lists fewer"
}

// checkQuantity: asked how much of a quantity measured in units of its own
// (面积多大, 全长多少), the answer must give a figure in such a unit: 2个片区
// is no area.
func checkQuantity(_ *Engine, c *refusalCase) string {
	if !c.a.Asks.Amount || c.answer == "" {
		return ""
	}
	q := measuredQuantity(c.a.Folded)
	if q == nil || q.MatchString(stripDocNumbers(c.answer)) {
		return ""
	}
	return "asks an amount of a quantity, the answer gives none in its units"
}

// checkDocNumber: asked a document's number (文号), the answer must hold one
// (豫政〔2017〕20号): a date or a figure is no document number.
func checkDocNumber(_ *Engine, c *refusalCase) string {
	if !c.a.Asks.DocNumber || !reAsksFileNumber.MatchString(c.a.Folded) || c.answer == "" || reDocNumberIn.MatchString(c.answer) {
		return ""
	}
	return "asks a document number, the answer holds none"
}

func checkAmount(_ *Engine, c *refusalCase) string {
	if !c.a.Asks.Amount || c.a.amount == nil || c.answer == "" || !reAsksTotal.MatchString(c.a.Folded) {
		return ""
	}
	text := stripDocNumbers(c.answer)
	if c.a.amount.MatchString(text) || !reGrowthFigure.MatchString(text) {
		return ""
	}
	return "asks an amount, the answer gives only rates"
}

// isAspectParticle reports whether w marks a verb's aspect (aspectParticles).
func isAspectParticle(w string) bool { return slices.Contains(aspectParticles.words, w) }

// holdsTerm reports whether text holds the folded question's term k
// (weighted as t): itself or an equivalent, or its two halves in order with a few
// characters between them in one clause (财政支出 in 财政民生支出), but not
// inside a word naming it with another thing (出口 in 进出口).
func holdsTerm(text, question, k string, t qterm) bool {
	// 出口 inside 进出口 is not 出口, unless the question says 进出口.
	for _, p := range pairedWords.words {
		if p != k && strings.Contains(p, k) && !strings.Contains(question, p) {
			text = strings.ReplaceAll(text, p, " ")
		}
	}
	return holdsAny(text, t.alts) || holdsSplit(text, k)
}

// holdsSplit reports whether text holds a word of four or more characters
// cut in two, each half at least two characters, the second following the
// first within four characters of the same clause.
func holdsSplit(text, k string) bool {
	rs := []rune(k)
	if len(rs) < 4 || isASCIIWord(k) {
		return false
	}
	for cut := 2; cut <= len(rs)-2; cut++ {
		if nearInOrder(text, string(rs[:cut]), string(rs[cut:]), 4) {
			return true
		}
	}
	return false
}

// namesDocument reports whether the question's word k is one of the words
// naming an indexed document by its title (国务院 and 政府工作报告 of
// 2025年国务院政府工作报告里…, but also 国防 of a title holding it).
func (a *Analysis) namesDocument(k string) bool {
	for _, d := range a.docs {
		if len(d.ids) > 0 && d.word != "" && (strings.Contains(d.word, k) || strings.Contains(k, d.word)) {
			return true
		}
	}
	return false
}

// nearInOrder reports whether text holds a, then b within gap characters
// after it in the same clause.
func nearInOrder(text, a, b string, gap int) bool {
	for off := 0; off < len(text); {
		i := strings.Index(text[off:], a)
		if i < 0 {
			return false
		}
		rest := text[off+i+len(a):]
		if j := strings.Index(rest, b); j >= 0 && utf8.RuneCountInString(rest[:j]) <= gap && !strings.ContainsAny(rest[:j], ",，。;；、:：\n") {
			return true
		}
		off += i + len(a)
	}
	return false
}

// originalRun returns the run of the question whose folded form is
// folded (覆盖率 for 复盖率), or folded when there is none.
func originalRun(question, folded string) string {
	rs, n := []rune(question), utf8.RuneCountInString(folded)
	for i := 0; i+n <= len(rs); i++ {
		if w := string(rs[i : i+n]); fold.String(w) == folded {
			return w
		}
	}
	return folded
}
