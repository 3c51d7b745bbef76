package rag

// When the documents do not answer: the signs that say so.

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"policybot/fold"
	"policybot/lexical"
)

var reYear = regexp.MustCompile(`(?:19|20)[0-9]{2}`)

// tagger tags words with parts of speech; the lexical tokenizer does.
type tagger interface {
	Tag(text string) []lexical.Tagged
}

// refuse decides whether the passages fail to answer the question and
// says why ("" when they may answer it). The signs: the answer sentences
// hold too little of the question's weight; a year the question names is
// not where the answer was found; a place, person or organization the
// question names is in no passage; a question asking for a date or a
// figure gets sentences without one.
func (e *Engine) refuse(q query, f found) string {
	ps, ex := f.passages, f.ex
	if len(ps) == 0 || len(ex.picked) == 0 {
		return "no passage"
	}
	if ex.cover < e.opt.MinCoverage {
		return "question terms not found"
	}
	w := whereText(ps, ex.cited)
	if !yearsFit(ps, ex.cited, f.years) {
		return "year " + strings.Join(f.years, " ") + " not where the answer is"
	}
	// A place, person or organization the question is about must be where
	// the answer was found: an answer about another city is no answer.
	if !e.namesFit(q, f.names, whereText(ps, []int{ex.best})) {
		return "names " + strings.Join(f.names, " ") + " not where the answer is"
	}
	answer := fold.String(reCite.ReplaceAllString(ex.text, ""))
	// A figure asked in a unit (多少亩, 百分之几) must be there in that unit.
	if unit := askedUnit(q.folded); unit != nil && !unit.MatchString(answer) {
		return "the unit asked for is not in the answer"
	}
	if reAsksDate.MatchString(q.folded) && !reHasDate.MatchString(answer) && !reHasDate.MatchString(w) {
		return "asks a date, found none"
	}
	if reAsksCount.MatchString(q.folded) && !hasOwnFigure(answer, q.folded) {
		return "asks a figure, found none"
	}
	// Asked where, the answer must name a place.
	if reAsksPlace.MatchString(q.folded) && !e.namesPlace(answer) {
		return "asks where, names no place"
	}
	// Asked who, the answer must name someone: a person, an organization.
	if reAsksPerson.MatchString(q.folded) && !e.namesSomeone(answer) {
		return "asks who, names no one"
	}
	if ex.cover < maxCoverForMissing {
		if why := e.missingConcepts(q); why != "" {
			return why
		}
	}
	// Asked what happened, the documents may only give the plan.
	if reAsksOutcome.MatchString(q.folded) && rePlan.MatchString(answer) && !reOutcome.MatchString(answer) {
		return "asks an outcome, found only a plan"
	}
	return ""
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

// Outcome questions and plan answers.
var (
	reAsksOutcome = regexp.MustCompile(`实际|最终|最后|到底完成|完成了|实现了|达到了|真的`)
	rePlan        = regexp.MustCompile(`预期|目标|力争|计划|有望|争取|拟|^到(?:19|20)[0-9]{2}年`)
	reOutcome     = regexp.MustCompile(`完成|实现|达到|已经|初步核算`)
)

// reAsksPlace matches questions asking where.
var reAsksPlace = regexp.MustCompile(`哪里人|哪儿人|在哪里|在哪儿|哪个地方|什么地方|籍贯|位于哪|在哪个(?:省|市|县|区|城市|国家)`)

// rePlaceWord matches words that name places by their ending.
var rePlaceWord = regexp.MustCompile(`\p{Han}{1,8}(?:省|市|县|区|镇|乡|村|州|郡|国|山|河|江|湖|海|岛|港|城)`)

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

// reAsksPerson matches questions asking who.
var reAsksPerson = regexp.MustCompile(`谁|哪位|哪个人|什么人|哪些人`)

// reOrganization matches names of organizations by their ending.
var reOrganization = regexp.MustCompile(`\p{Han}{1,12}(?:政府|委员会|人大|政协|国务院|中央|省委|市委|区委|县委|部|局|厅|院|办|委|会|组|所|公司|集团|大学|学院|银行|中心)`)

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
func (e *Engine) namesFit(q query, names []string, where string) bool {
	if len(names) == 0 {
		return true
	}
	places := e.places(q.folded)
	var others []string
	for _, n := range names {
		if !slices.Contains(places, n) {
			others = append(others, n)
		}
	}
	return allIn(where, places) && (len(others) == 0 || holdsAny(where, others))
}

// reFigure matches the numbers in a text: Arabic, or Chinese with a counter.
var reFigure = regexp.MustCompile(`[0-9]+(?:\.[0-9]+)?|[一二三四五六七八九十百千两]+[万亿]|[一二三四五六七八九十百千万亿两]+(?:个|项|大|条|家|所|座|倍|类|种|批|位|名)`)

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

// rareWord is the WordWeight above which a word is unknown or rare in
// general use.
const rareWord = 0.9

// reLocalPlace matches a district, county or town name: a two-character
// stem and its suffix.
var reLocalPlace = regexp.MustCompile(`(\p{Han}{2})(?:区|县|镇|乡|街道)`)

// genericPlace lists words shaped like place names that name no place.
var genericPlace = map[string]bool{
	"示范区": true, "集聚区": true, "开发区": true, "功能区": true, "核心区": true, "中心区": true, "试验区": true,
	"保护区": true, "风景区": true, "自贸区": true, "城区": true, "新区": true, "园区": true, "社区": true,
	"景区": true, "片区": true, "市区": true, "县区": true, "全区": true, "全县": true, "本区": true, "辖区": true,
	"该区": true, "各区": true, "各县": true, "乡镇": true, "城镇": true, "小镇": true, "特色镇": true, "重点镇": true,
	"农村": true, "地区": true, "山区": true, "库区": true, "灌区": true, "林区": true, "矿区": true, "老区": true,
}

// rePlace matches words that name places by their suffix.
var rePlace = regexp.MustCompile(`^\p{Han}{2,6}(?:市|区|县|省|镇|乡|村|州|新城|新区)$`)

// names returns the places, people and organizations a question names:
// words tagged as such by the segmenter's dictionary, or shaped like a
// place name, or naming the place of an indexed document's title.
func (e *Engine) names(q query) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range e.places(q.folded) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	// Districts, counties and towns the segmenter splits into single
	// characters (伊/滨/区): a name shaped like one whose stem the corpus
	// knows is taken, by its stem.
	for _, m := range reLocalPlace.FindAllStringSubmatch(q.folded, -1) {
		stem := m[1]
		if genericPlace[m[0]] || seen[stem] || e.df(lexical.BigramPrefix+stem) == 0 {
			continue
		}
		seen[stem] = true
		out = append(out, stem)
	}
	t, ok := e.tok.(tagger)
	if !ok {
		return out
	}
	for _, tw := range t.Tag(q.folded) {
		name := tw.Text
		if utf8.RuneCountInString(name) < 2 || seen[name] || reQuestionWord.MatchString(name) {
			continue
		}
		// Small places are rarely in the dictionary: a word it does not know
		// that is shaped like a place name is taken as one.
		unknown := false
		if ww, ok := e.tok.(wordWeigher); ok {
			unknown = ww.WordWeight(name) >= rareWord
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
func (e *Engine) missingConcepts(q query) string {
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
	tagged := t.Tag(q.folded)
	// Latin-letter terms (pm2.5, r&d) come whole from Words, not from Tag.
	for _, word := range e.tok.Words(q.folded) {
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
		if e.df(word) > 0 {
			continue
		}
		found := false
		for _, x := range e.terms.Expand(word) {
			if e.df(x) > 0 {
				found = true
				break
			}
		}
		if !found {
			missing += wt
			gone = append(gone, word)
		}
	}
	if total > 0 && missing/total >= maxMissingShare {
		return "words in no document: " + strings.Join(gone, " ")
	}
	return ""
}

// reDocumentWord matches words that speak of the documents themselves
// (那篇文章, 这份报告), not of what they say.
var reDocumentWord = regexp.MustCompile(`文章|文件|报告|讲话|方案|通知|材料|内容|原文|稿子|这篇|那篇`)

// maxCoverForMissing is the best sentence's coverage below which missing
// concepts are looked for.
const maxCoverForMissing = 0.4

// maxMissingShare is the share of a question's informative weight that may
// be in no document before it is refused.
const maxMissingShare = 0.45

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

// reAsksCount matches questions that want a figure in the answer.
var reAsksCount = regexp.MustCompile(`多少|(?:^|[^哪])几[个项条家所座倍类种批成年月天位名]|比例|比重|百分之|排第|第几`)

// defaultMinCoverage is the least share of the question's term weight the
// best sentence must hold for an answer to be given.
const defaultMinCoverage = 0.3
