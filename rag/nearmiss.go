package rag

// Near misses: questions whose words the documents hold, around what they
// ask. The checks here read what is asked of the words found: the date of
// the event asked, a cause, a title or meeting that exists.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"policybot/fold"
	"policybot/lexical"
)

// askedWeights returns the key terms of the question of two runes or more
// (not years, names, question or document words) with their weights, and
// the sum of the weights.
func askedWeights(a *Analysis) (map[string]qterm, float64) {
	out := map[string]qterm{}
	var total float64
	for _, k := range sortedKeys(a.terms) {
		if utf8.RuneCountInString(k) < 2 || !isKeyTerm(a, k) {
			continue
		}
		out[k] = a.terms[k]
		total += a.terms[k].weight
	}
	return out, total
}

// heldWeight returns the weight of the terms of ts that text holds.
func heldWeight(text string, ts map[string]qterm) float64 {
	var held float64
	for _, k := range sortedKeys(ts) {
		if strings.Contains(text, k) || holdsAny(text, ts[k].alts) {
			held += ts[k].weight
		}
	}
	return held
}

// checkEventDate: asked when something happened (哪年获批, 哪天通车), the
// answer must date it: a sentence of it must hold a date, and the sentence
// holding the event's words best must not be undated while the dated ones
// hold much less of them (EventDateShare of its weight). A date of another
// event beside the event undated (加快呼南高铁济源段选址 beside 到2025年生
// 产总值…), or the cited document's own date, dates nothing asked. A
// question about a document itself (报告是哪天作的, 报纸哪天出的) is left to
// checkDate.
func checkEventDate(e *Engine, c *refusalCase) string {
	// A question asking several things (哪天出的，责任编辑是谁) has its date
	// asked of some of its words only.
	// What a rule lays down about time (有什么时间规定) is a duration, no date.
	if e.w.EventDateShare <= 0 || !reAsksWhen.MatchString(c.a.Folded) || reAsksTimeRule.MatchString(c.a.Folded) || reDocumentWord.MatchString(c.a.Folded) ||
		reAsksOfDoc.MatchString(c.a.Folded) || len(c.a.Parts) > 1 || len(c.f.ex.picked) == 0 {
		return ""
	}
	asked, _ := askedWeights(c.a)
	// Asked only when, a point of the year (年底) may answer.
	pointOK := !c.a.Asks.Day && !reAsksYearMonth.MatchString(c.a.Folded)
	dated, bestDated, bestUndated, undatedPass := false, 0.0, 0.0, -1
	datedIn := map[int]bool{} // the passages holding a dated sentence
	for _, st := range c.f.ex.picked {
		text := stripDocNumbers(fold.String(st.text))
		held := heldWeight(text+"\n"+st.ctx, asked)
		if reHasDate.MatchString(text) || reEra.MatchString(text) || reTimeWord.MatchString(text) || pointOK && reTimeOfYear.MatchString(text) {
			dated = true
			datedIn[st.pass] = true
			bestDated = max(bestDated, held)
		} else if held > bestUndated {
			bestUndated, undatedPass = held, st.pass
		}
	}
	switch {
	case !dated:
		return "no sentence of the answer holds a date"
	case bestUndated > 0 && !datedIn[undatedPass] && bestDated < e.w.EventDateShare*bestUndated:
		// A date of the same passage may date it (1988年6月25日，…。同年…).
		return "the dated sentences are of other passages and of other things than what is asked"
	}
	return ""
}

// checkCause: asked why (为什么, 原因), the answer must state a cause or a
// purpose (由于, 得益于, 为了; the causal rule) in its sentences or the
// sentences before them: the fact asked about, given without its cause,
// does not say why.
func checkCause(_ *Engine, c *refusalCase) string {
	if !c.a.Asks.Why || !reWhyChange.MatchString(c.a.Folded) || c.answer == "" {
		return ""
	}
	if reCausal.MatchString(c.answer) {
		return ""
	}
	for _, st := range c.f.ex.picked {
		if reCausal.MatchString(st.ctx) {
			return ""
		}
	}
	return "asks why, the answer states no cause"
}

// checkQuotedTitle: a title the question quotes (《…三年行动计划》) must be
// one the documents hold: in a passage found for it, or in an indexed
// document's title. A document that exists nowhere answers nothing, however
// close the passages about its subject.
func checkQuotedTitle(e *Engine, c *refusalCase) string {
	for _, m := range reQuotedTitle.FindAllStringSubmatch(c.a.Folded, -1) {
		title := strings.Join(strings.Fields(m[1]), "")
		if utf8.RuneCountInString(title) < 2 || e.titleHeld(c.f.passages, title) || shortHeld(c.df, title) {
			continue
		}
		c.lack = "《" + title + "》"
		return "the title " + title + " is in no document found"
	}
	return ""
}

// titleHeld reports whether a passage of ps, or an indexed document's
// title, holds the folded title, up to a character in six that differs
// (遊 that folds to itself beside 游, a variant form): a title that is
// there is found whatever its characters' forms.
func (e *Engine) titleHeld(ps []Passage, title string) bool {
	t := []rune(title)
	slack := max(1, len(t)/6)
	for _, p := range ps {
		if nearlyHolds(squeeze(fold.String(p.Title+"\n"+p.Section+"\n"+p.Text)), t, slack) {
			return true
		}
	}
	if e.pinned == nil && e.cur == nil {
		return false // an engine with no index yet
	}
	if sn := e.snap(); sn != nil {
		for _, h := range sn.heads {
			if nearlyHolds(squeeze(h), t, slack) {
				return true
			}
		}
	}
	return false
}

// nearlyHolds reports whether text holds t with at most slack of its
// runes differing, each in its place.
func nearlyHolds(text string, t []rune, slack int) bool {
	if strings.Contains(text, string(t)) {
		return true
	}
	r := []rune(text)
	for i := 0; i+len(t) <= len(r); i++ {
		miss := 0
		for j := range t {
			if r[i+j] != t[j] {
				if miss++; miss > slack {
					break
				}
			}
		}
		if miss <= slack {
			return true
		}
	}
	return false
}

// shortTitle is the most runes of a title that the index's character
// bigrams all but spell: a short title all of whose bigrams some chunk holds
// is taken to be there, though no passage found quotes it.
const shortTitle = 4

// shortHeld reports whether a title of at most shortTitle runes has every
// character bigram in some chunk of the index.
func shortHeld(df func(string) int, title string) bool {
	r := []rune(title)
	if len(r) > shortTitle {
		return false
	}
	for i := 0; i+1 < len(r); i++ {
		if df(lexical.BigramPrefix+string(r[i:i+2])) == 0 {
			return false
		}
	}
	return true
}

// squeeze drops the spaces of s: titles are matched without them.
func squeeze(s string) string {
	if !strings.ContainsAny(s, " \t") {
		return s
	}
	return strings.Join(strings.Fields(s), "")
}

// checkMeetingSession: a meeting the question names by its term and
// session (十四届人大五次会议, 市委十二届九次全会) must be named with the same
// numbers in a passage found for it: the third and fourth sessions answer
// nothing about a fifth.
func checkMeetingSession(_ *Engine, c *refusalCase) string {
	asked := meetingSessions(c.a.Folded)
	if len(asked) == 0 || len(c.f.passages) == 0 {
		return ""
	}
	var held [][2]int
	for _, p := range c.f.passages {
		held = append(held, meetingSessions(fold.String(p.Title+"\n"+p.Section+"\n"+p.Text))...)
	}
	for _, s := range asked {
		if !slices.Contains(held, s) {
			c.lack = fmt.Sprintf("第%s届第%s次会议的相关内容", cjkNumber(s[0]), cjkNumber(s[1]))
			return fmt.Sprintf("meeting of term %d, session %d in no passage found", s[0], s[1])
		}
	}
	return ""
}

// meetingSessions returns the term and session numbers of the meetings a
// folded text names (十四届人大五次会议 → 14, 5).
func meetingSessions(text string) [][2]int {
	var out [][2]int
	for _, m := range reMeetingSession.FindAllStringSubmatch(text, -1) {
		t := cjkInt(m[1])
		// The sessions may be listed: 十届六次、八次全会.
		for _, n := range reSessionNumber.FindAllStringSubmatch(m[2], -1) {
			if s := cjkInt(n[1]); t > 0 && s > 0 && !slices.Contains(out, [2]int{t, s}) {
				out = append(out, [2]int{t, s})
			}
		}
	}
	return out
}

// cjkInt returns the value of a Chinese numeral below a hundred (十四, 二十,
// 五) or of Arabic digits, or 0.
func cjkInt(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	tens, ones, seen := 0, 0, false
	for _, r := range s {
		switch {
		case r == '十':
			if ones == 0 && !seen {
				ones = 1
			}
			tens, ones, seen = ones, 0, true
		default:
			d := cjkCount(string(r))
			if d == 0 || d == 10 {
				return 0
			}
			ones = d
		}
	}
	return tens*10 + ones
}

// cjkNumber writes n (1–99) as a Chinese numeral.
func cjkNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return strconv.Itoa(n)
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}

// checkShareScope: asked a share of a whole scope (占全省比重多少), a sentence
// of the answer must speak of that scope and of what is asked together: a
// share of another whole (占规模以上工业增加值比重), or the scope named by
// another figure's sentence (商品房销售面积居全省第1位), gives no share of it.
func checkShareScope(_ *Engine, c *refusalCase) string {
	m := reAsksShareScope.FindStringSubmatch(c.a.Folded)
	if m == nil || len(c.f.ex.picked) == 0 {
		return ""
	}
	scope := m[1]
	asked, _ := askedWeights(c.a)
	delete(asked, scope)
	for _, st := range c.f.ex.picked {
		text := fold.String(st.text)
		if strings.Contains(text, scope) && (len(asked) == 0 || heldWeight(text, asked) > 0) {
			return ""
		}
	}
	c.lack = "占" + scope + "的比重"
	return "asks a share of " + scope + ", no sentence of the answer gives one"
}

// checkListedName: a place the question asks about, named in the answer
// only as an item of an enumeration (承留镇、思礼镇、克井镇等小城镇; 与洛阳、
// 晋城等周边城市) beside little else of the question (less than
// ListedNameCover of its asked terms' weight), is given what the answer says
// of the whole list, not anything of its own: no positioning of 克井镇, no
// park built with 晋城. Left alone: a question asking for several things, a
// question naming other items of the list itself (热那亚、比萨等城市), or
// asking for another item of it (临沂以及哪一个地方).
func checkListedName(e *Engine, c *refusalCase) string {
	if e.w.ListedNameCover <= 0 || c.answer == "" || reAsksSeveral.MatchString(c.a.Folded) || c.a.Asks.Parts || len(c.a.Parts) > 1 || reAsksOtherItem.MatchString(c.a.Folded) {
		return ""
	}
	asked, total := askedWeights(c.a)
	if total > 0 && heldWeight(c.answer, asked) >= e.w.ListedNameCover*total {
		return ""
	}
	for _, n := range c.a.Names {
		// Places only: a body (党工委、管委会) is listed with the bodies it
		// works with.
		place := slices.Contains(c.a.Places, n) || e.taggedPlace(n) || placeSuffixed(c.a.Folded, n)
		if !place || !onlyListed(c.answer, n) || e.namesOtherListed(c.a, n) {
			continue
		}
		c.lack = "关于" + n + "本身的具体内容"
		return n + " is named in the answer only as an item of a list"
	}
	return ""
}

// namesOtherListed reports whether the question names another place than
// n: it may be asking of the list, not of n.
func (e *Engine) namesOtherListed(a *Analysis, n string) bool {
	for _, m := range a.Names {
		if m != n && (slices.Contains(a.Places, m) || e.taggedPlace(m) || placeSuffixed(a.Folded, m)) && reListedAfter.MatchString(strings.SplitN(a.Folded, m, 2)[1]) {
			return true
		}
	}
	return reListedBefore.MatchString(strings.SplitN(a.Folded, n, 2)[0]) || reListedAfter.MatchString(strings.SplitN(a.Folded, n, 2)[1])
}

// onlyListed reports whether text names n, and every time as an item of an
// enumeration that a 等 closes in its clause (…等小城镇, …等周边城市): after
// an enumeration comma (、n), or with one before the next (n镇、) or 等 after
// it (n等). A list without 等 (松溪河、清漳河、浊漳河) may be the whole answer.
func onlyListed(text, n string) bool {
	seen := false
	for from := 0; ; {
		i := strings.Index(text[from:], n)
		if i < 0 {
			break
		}
		at := from + i
		seen = true
		rest := text[at+len(n):]
		if !reListedBefore.MatchString(text[:at]) && !reListedAfter.MatchString(rest) || !reListTail.MatchString(rest) {
			return false
		}
		from = at + len(n)
	}
	return seen
}

// placeSuffixed reports whether the folded question writes n with a place
// suffix (克井镇, 伊滨区).
func placeSuffixed(folded, n string) bool {
	for from := 0; ; {
		i := strings.Index(folded[from:], n)
		if i < 0 {
			return false
		}
		rest := folded[from+i+len(n):]
		for _, suf := range []string{"省", "市", "县", "区", "镇", "乡", "村", "街道"} {
			if strings.HasPrefix(rest, suf) {
				return true
			}
		}
		from += i + len(n)
	}
}

// checkUnseenIndicator: asked a figure of an indicator the documents never
// name (耕地保有量: a word ending as indicators do, in the clause that asks,
// in no document, nor any of its equivalents), the figures found are of a
// cousin (永久基本农田), not of what is asked. An answer giving a figure of
// the word's stem (藏书81.6万册 for 藏书量) gives it.
func checkUnseenIndicator(e *Engine, c *refusalCase) string {
	if !c.a.Asks.Figure || c.answer == "" {
		return ""
	}
	for _, cl := range clauses(c.a.Folded) {
		if !reQuestionWord.MatchString(cl) {
			continue // 电力需求量不断上升，…用电量多过几倍 asks of 用电量
		}
		for _, w := range e.tok.Words(cl) {
			if utf8.RuneCountInString(w) < 3 || !reIndicatorWord.MatchString(w) || reQuestionWord.MatchString(w) || c.df(w) > 0 {
				continue
			}
			r := []rune(w)
			if stemFigure(c.answer, string(r[:len(r)-1])) || e.equivalentSeen(c.df, w) {
				continue
			}
			c.lack = "“" + w + "”的相关数字"
			return "the indicator " + w + " is in no document"
		}
	}
	return ""
}

// equivalentSeen reports whether an equivalent of w is in some document.
func (e *Engine) equivalentSeen(df func(string) int, w string) bool {
	for _, x := range e.terms.Equivalents(w) {
		if df(x) > 0 {
			return true
		}
	}
	return false
}

// stemFigure reports whether text gives stem a figure right after it
// (藏书81.6万册).
func stemFigure(text, stem string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], stem)
		if i < 0 {
			return false
		}
		from += i + len(stem)
		if reFigureStart.MatchString(text[from:]) {
			return true
		}
	}
}

// checkPlaceShaped: a name the question writes as a place (东源县, 伊滨区),
// which no gazetteer lists, must be where the answer is, by its stem (东源):
// the names check lets any one of a question's other names vouch for the
// passage (党代会 of 源城区第八次党代会), but another county's congress
// answers nothing about 东源县's.
func checkPlaceShaped(e *Engine, c *refusalCase) string {
	if len(c.f.ex.cited) == 0 {
		return ""
	}
	where := c.where + "\n" + c.answer
	for _, n := range c.a.Names {
		if slices.Contains(c.a.Places, n) || !rePlace.MatchString(n) || endsGeneric(n) {
			continue // 亚洲地区 names a region by a common word
		}
		stem := strings.TrimSuffix(n, rePlaceSuffixEnd.FindString(n))
		if utf8.RuneCountInString(stem) < 2 || strings.Contains(where, stem) {
			continue
		}
		c.lack = "关于" + n + "的相关内容"
		return n + " is not where the answer is"
	}
	return ""
}

// endsGeneric reports whether n ends with a word shaped like a place that
// names none (地区, 城区, 开发区).
func endsGeneric(n string) bool {
	for _, g := range genericPlaces.words {
		if strings.HasSuffix(n, g) {
			return true
		}
	}
	return false
}

// checkLeadYear: asked a figure of one year, the answer's sentences giving
// a figure of what is asked must not all be of another year by the
// sentence that leads them: …常住人口城镇化率超过65% after 到2020年,… is a
// 2020 target, however the passage goes on about 2025. A sentence naming
// the year asked, or led by no year, is left to the other checks.
func checkLeadYear(_ *Engine, c *refusalCase) string {
	if len(c.a.Years) != 1 || !c.a.Asks.Figure || c.answer == "" {
		return ""
	}
	y := c.a.Years[0]
	asked := askedTerms(c.a, nil)
	if len(asked) == 0 {
		return ""
	}
	var other string
	for _, st := range c.f.ex.picked {
		text := stripDocNumbers(fold.String(st.text))
		if !holdsAny(text, asked) || !hasOwnFigure(text, c.a.Folded) {
			continue
		}
		if strings.Contains(text, y) {
			return ""
		}
		lines := strings.SplitN(st.ctx, "\n", 3)
		if reYear.MatchString(text) || len(lines) < 2 {
			return "" // its own years are the figure-year check's
		}
		m := reYearLead.FindStringSubmatch(lines[1])
		if m == nil {
			return ""
		}
		if m[1] == y {
			return ""
		}
		other = m[1]
	}
	if other == "" {
		return ""
	}
	c.lack = y + "年的相应数字"
	return "the figures asked are led by " + other + ", not " + y
}

// checkListedTerm: asked a figure of a member of a group (新增就业里高校毕业
// 生有多少人), an answer naming the member only as an item of a list that
// 等 closes (突出做好高校毕业生、农村富余劳动力…等重点群体就业工作), in
// sentences with no figure of their own, gives at most the figure of the
// whole (新增就业1.5万余人), not the member's.
func checkListedTerm(_ *Engine, c *refusalCase) string {
	if !c.a.Asks.Figure || c.answer == "" || reAsksSeveral.MatchString(c.a.Folded) || len(c.a.Parts) > 1 || reAsksOtherItem.MatchString(c.a.Folded) {
		return ""
	}
	// The heaviest asked word of three runes or more: what the figure is of.
	asked, _ := askedWeights(c.a)
	best, bw := "", 0.0
	for _, k := range sortedKeys(asked) {
		if utf8.RuneCountInString(k) >= 3 && asked[k].weight > bw {
			best, bw = k, asked[k].weight
		}
	}
	if best == "" || !onlyListed(c.answer, best) {
		return ""
	}
	for _, st := range c.f.ex.picked {
		text := fold.String(st.text)
		if strings.Contains(text, best) && hasOwnFigure(stripDocNumbers(text), c.a.Folded) {
			return ""
		}
	}
	c.lack = "“" + best + "”本身的具体数字"
	return best + " is named only as an item of a list, with no figure of its own"
}
