package rag

import (
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
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
	pass   int    // index into the passages
	pos    int    // sentence number inside the passage
	score  float64
	cover  float64 // share of the question's term weight it holds
}

// passageSentences cuts a passage into sentences after 。！？；!?; and line
// breaks, keeping closing quotes with their sentence.
func passageSentences(text string) []string {
	var out []string
	rs := []rune(text)
	start := 0
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		end := -1
		switch {
		case r == '\n':
			end = i
		case strings.ContainsRune("。！？!?；;", r):
			end = i + 1
			for end < len(rs) && strings.ContainsRune("”’」』)）", rs[end]) {
				end++
			}
		}
		if end < 0 {
			continue
		}
		if s := strings.TrimSpace(string(rs[start:end])); s != "" {
			out = append(out, s)
		}
		start = end
		if r == '\n' {
			start = i + 1
		}
		i = max(i, end-1)
	}
	if s := strings.TrimSpace(string(rs[start:])); s != "" {
		out = append(out, s)
	}
	return out
}

// Question shapes that change what a good answer sentence holds.
// reListItem matches a sentence that is an item of an enumeration.
var reListItem = regexp.MustCompile(`^(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十0-9]+[)）]|[0-9]+[.、．])`)

// reAsksDay matches questions asking for a day; reHasDay, a day-level date.
var (
	reAsksDay = regexp.MustCompile(`哪天|哪一天|几号|几日|具体日期|哪日`)
	reHasDay  = regexp.MustCompile(`[0-9]{1,2}月[0-9]{1,2}日|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日`)
)

// reDocNumberIn matches a document number in folded text: 豫政〔2017〕20号.
var reDocNumberIn = regexp.MustCompile(`\p{Han}{1,8}[〔\[【(]\d{4}[〕\]】)]\s*\d+\s*号`)

// Slots: pseudo-terms for what a question asks for.
const (
	slotDate      = "\x00date"
	slotWho       = "\x00who"
	slotDocNumber = "\x00docnumber"
	slotUnit      = "\x00unit"
)

var (
	reAsksWho       = regexp.MustCompile(`谁|作者|哪位|讲话人|哪个部门|哪个单位|发文机关|哪家单位|署名|什么部门|什么单位|哪个机关`)
	reAsksDocNumber = regexp.MustCompile(`文号|字号|发文号|编号`)
	reAsksNumber    = regexp.MustCompile(`多少|几|多长|多大|多高|多远|多久|多重|多深|多宽|多厚|比例|比重|增长|增速|增幅|排名|第几|率|规模|面积|人口|总量|金额|亿|万|倍|%`)
	reAsksDate      = regexp.MustCompile(`哪天|何时|什么时候|哪一年|哪年|日期|时间|几月|几号|哪个月`)
	reAsksList      = regexp.MustCompile(`哪些|哪几|分别|几个方面|几项|几大|措施|内容|怎么|如何|说说|讲讲|介绍|概括|总结|主要|来龙去脉|为什么|为啥|原因`)
	reHasNumber     = regexp.MustCompile(`[0-9０-９]|[一二三四五六七八九十百千万亿两]+(?:个|项|大|条|家|所|座|倍|类|种|批)`)
	reHasDate       = regexp.MustCompile(`[0-9]{4}年|[0-9]{1,2}月|[一二三四五六七八九十〇○零]{2,4}年|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日`)
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
// best), unless the terms table knows an equivalent that is in the corpus.
func (e *Engine) termWeights(q query, ix Retriever) map[string]qterm {
	type word struct {
		t    string
		alts []string
	}
	var words []word
	var all []string // every word and equivalent, for one TermStats call
	for _, t := range e.tok.Words(q.folded) {
		if utf8.RuneCountInString(t) < 2 && !isASCIIWord(t) || reQuestionWord.MatchString(t) {
			continue
		}
		w := word{t, append([]string{t}, e.terms.Equivalents(t)...)}
		words = append(words, w)
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
				weight = max(weight*0.5, idf(x))
			}
		}
		if df(t) == 0 && len(wd.alts) == 1 {
			continue
		}
		w[t] = qterm{weight: weight, alts: wd.alts}
	}
	return w
}

// df returns a term's document frequency in the engine's index.
func (e *Engine) df(term string) int { return e.snap().r.TermStats([]string{term}).DF[0] }

// reQuestionWord matches words that only ask (多少钱, 归谁) and hold no
// content to look for.
var reQuestionWord = regexp.MustCompile(`多少|什么|哪|谁|几|怎么|如何|吗|呢|啥|多长|多大|多高|多远|多久|多重|多深|多宽`)

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
	var have, all float64
	for _, k := range sortedKeys(w) {
		t := w[k]
		all += t.weight
		for _, a := range t.alts {
			if strings.Contains(text, a) {
				have += t.weight
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
	text   string     // sentences with [n] markers
	cited  []int      // passage numbers cited, in order of first use
	cover  float64    // the best sentence's share of the question's term weight
	best   int        // passage number (1-based) of the best sentence
	top    sentence   // the best sentence
	picked []sentence // the chosen sentences, in document order
}

// extract selects the sentences of the passages that answer the question,
// in document order, each run followed by its passage's [n].
// Only passages for which allow returns true (all, when allow is nil) are
// read.
func (e *Engine) extract(q query, passages []Passage, w map[string]qterm, docOf func(Passage) (*ingest.Document, bool), allow func(int) bool) extraction {
	w = maps.Clone(w) // the slots below are this extraction's own
	asksNumber := reAsksNumber.MatchString(q.folded)
	asksDate := reAsksDate.MatchString(q.folded)
	dateShape := reHasDate
	if reAsksDay.MatchString(q.folded) {
		dateShape = reHasDay // 哪天 wants the day, not only the year
	}
	asksList := reAsksList.MatchString(q.folded)
	asksWho := reAsksWho.MatchString(q.folded)
	asksDocNumber := reAsksDocNumber.MatchString(q.folded)
	unit := askedUnit(q.folded)
	// What the question asks for, beyond its words, counts as terms too: a
	// sentence holding the date, the issuer or the document number asked
	// for covers that part of the question.
	var total float64
	for _, k := range sortedKeys(w) {
		total += w[k].weight
	}
	slot := max(total*0.5, 1)
	if asksDate {
		w[slotDate] = qterm{weight: slot, alts: []string{slotDate}}
	}
	if asksWho {
		w[slotWho] = qterm{weight: slot, alts: []string{slotWho}}
	}
	if asksDocNumber {
		w[slotDocNumber] = qterm{weight: slot, alts: []string{slotDocNumber}}
	}
	if unit != nil {
		w[slotUnit] = qterm{weight: slot, alts: []string{slotUnit}}
	}
	budget := 260
	if asksList {
		budget = e.opt.MaxAnswerChars
	}
	qgrams := questionBigrams(q.folded)
	names := e.places(q.folded)
	var sents []sentence
	for pi, p := range passages {
		if allow != nil && !allow(pi) {
			continue
		}
		doc, header := docOf(p)
		// A header block answers who, when and which number; for anything
		// else its title line only repeats the question's words.
		headerWeight := 1.0
		if header && !asksDate && !asksWho && !asksDocNumber {
			headerWeight = 0.5
		}
		// A sentence is read in its context: the passage's heading path
		// and the sentence before it often name what it speaks of.
		prev := fold.String(p.Section)
		// The years of a passage's heading path hold for every sentence
		// under it (一、2018年工作回顾 … 生产总值完成641.8亿元).
		sectionYears := strings.Join(reYear.FindAllString(prev, -1), " ")
		// So do the places the question names that the passage's title or
		// heading path names (源城区 in 《源城区第八次党代会…》).
		for _, pl := range names {
			if strings.Contains(prev, pl) || strings.Contains(fold.String(p.Title), pl) {
				for k := range w {
					if strings.Contains(k, pl) {
						sectionYears += " " + k
					}
				}
			}
		}
		// A list item (九是…) is read with the sentence that opens its list
		// (办好十件民生实事。).
		lead := ""
		for si, s := range passageSentences(p.Text) {
			f := fold.String(s)
			if asksDate && dateShape.MatchString(f) {
				f += slotDate
			}
			// Who: the document's issuer or author where it has one, else any
			// person or organization the sentence names.
			if asksWho && (doc != nil && doc.Issuer != "" && strings.Contains(f, fold.String(doc.Issuer)) ||
				(doc == nil || doc.Issuer == "") && e.namesSomeone(f)) {
				f += slotWho
			}
			// The number asked for may be the document's own or one it cites
			// ((发改地区〔2015〕2778号)).
			if asksDocNumber && (doc != nil && doc.DocNumber != "" && strings.Contains(f, fold.String(doc.DocNumber)) || reDocNumberIn.MatchString(f)) {
				f += slotDocNumber
			}
			if unit != nil && unit.MatchString(f) {
				f += slotUnit
			}
			c := coverage(f+" "+sectionYears, w)
			// A title or heading line repeats the question's words without
			// answering it: it weighs like a header.
			lineWeight := headerWeight
			if !asksDate && !asksWho && !asksDocNumber && (f == fold.String(p.Title) || strings.HasSuffix(fold.String(p.Section), f)) {
				lineWeight = 0.5
			}
			ctxText := f + "\n" + prev
			if reListItem.MatchString(s) {
				ctxText += "\n" + lead
			} else {
				lead = f
			}
			ctx := coverage(ctxText, w)
			prev = f
			sc := (0.8*c+0.2*ctx+bigramWeight*bigramShare(f, qgrams))*lineWeight + 0.08/float64(pi+1)
			if asksNumber && reHasNumber.MatchString(f) {
				sc += 0.1
			}
			sents = append(sents, sentence{text: s, folded: f, ctx: ctxText, pass: pi, pos: si, score: sc, cover: c})
		}
	}
	if len(sents) == 0 {
		return extraction{}
	}
	order := make([]int, len(sents))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return sents[order[a]].score > sents[order[b]].score })
	best := sents[order[0]]
	chosen := map[int]bool{order[0]: true}
	passUsed := map[int]bool{best.pass: true}
	covered := termsIn(best.ctx, w)
	used := utf8.RuneCountInString(best.text)
	for _, i := range order[1:] {
		s := sents[i]
		if s.score < 0.6*best.score || s.cover == 0 {
			break
		}
		n := utf8.RuneCountInString(s.text)
		if used+n > budget {
			continue
		}
		// Another sentence must add something the question asks that the
		// chosen ones lack; a list question also takes more of the same
		// passage. Fewer, surer sources make citations a reader can trust.
		var added float64
		for _, t := range sortedKeys(termsIn(s.folded, w)) {
			if !covered[t] {
				added += w[t].weight
			}
		}
		// From a passage not yet cited, a sentence must add much and hold
		// much of the question itself: every extra source must earn its place.
		adds := added >= 0.2*total
		if !passUsed[s.pass] {
			adds = added >= 0.35*total && s.cover >= 0.5
		}
		if adds {
			for t := range termsIn(s.folded, w) {
				covered[t] = true
			}
		}
		if !adds && !(asksList && passUsed[s.pass]) {
			continue
		}
		chosen[i] = true
		passUsed[s.pass] = true
		used += n
	}
	// A date, issuer or number the question asks for that no chosen
	// sentence holds: take the best sentence that holds it, from a passage
	// already cited if one does.
	for _, slotKey := range []string{slotDate, slotWho, slotDocNumber, slotUnit} {
		if _, asked := w[slotKey]; !asked || covered[slotKey] {
			continue
		}
		pick := -1
		for _, i := range order {
			if !strings.Contains(sents[i].folded, slotKey) || sents[i].cover == 0 {
				continue
			}
			if pick < 0 || passUsed[sents[i].pass] && !passUsed[sents[pick].pass] {
				pick = i
			}
		}
		if pick >= 0 && !chosen[pick] {
			chosen[pick] = true
			passUsed[sents[pick].pass] = true
			covered[slotKey] = true
			used += utf8.RuneCountInString(sents[pick].text)
		}
	}
	if asksList {
		// The items of a list follow the sentence that names it.
		for j := order[0] + 1; j < len(sents) && sents[j].pass == best.pass; j++ {
			n := utf8.RuneCountInString(sents[j].text)
			if used+n > budget {
				break
			}
			if !chosen[j] {
				chosen[j] = true
				used += n
			}
		}
	}
	// A sentence that introduces a list (ends with a colon) takes the list.
	for i := range sents {
		if !chosen[i] || !strings.HasSuffix(sents[i].text, "：") && !strings.HasSuffix(sents[i].text, ":") {
			continue
		}
		for j := i + 1; j < len(sents) && sents[j].pass == sents[i].pass; j++ {
			n := utf8.RuneCountInString(sents[j].text)
			if used+n > e.opt.MaxAnswerChars {
				break
			}
			chosen[j] = true
			used += n
		}
	}
	var picked []int
	for i := range sents {
		if chosen[i] {
			picked = append(picked, i)
		}
	}
	// Document order: by source and position, so excerpts read as written.
	// Sources keep the order in which they first rank; inside a source,
	// passages and sentences follow the file.
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
	var sb strings.Builder
	var cited []int
	seen := map[int]bool{}
	for k, i := range picked {
		s := sents[i]
		sb.WriteString(s.text)
		if k+1 < len(picked) && sents[picked[k+1]].pass == s.pass && !endsWithPunct(s.text) {
			sb.WriteString("；") // a line without its own stop, such as a header field
		}
		if k+1 == len(picked) || sents[picked[k+1]].pass != s.pass {
			sb.WriteString("[" + strconv.Itoa(s.pass+1) + "]")
			if k+1 < len(picked) {
				sb.WriteString("\n")
			}
		}
		if !seen[s.pass] {
			seen[s.pass] = true
			cited = append(cited, s.pass+1)
		}
	}
	ex := extraction{text: sb.String(), cited: cited, cover: best.cover, best: best.pass + 1, top: best}
	for _, i := range picked {
		ex.picked = append(ex.picked, sents[i])
	}
	return ex
}

func endsWithPunct(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune("。！？!?；;：:，,、”’」』)）", r)
}

// reAsksUnit matches a figure asked for in a unit: 多少亩, 几户, 多少钱,
// 百分之几.
var reAsksUnit = regexp.MustCompile(`(?:多少|(?:^|[^哪])几)(亩|户|人|元|钱|公里|千米|平方米|平方公里|公顷|吨|座|所|家|辆|套|间|张|名|天|次|台|场|届)|(百分之几|百分比|占比|比重|多少个百分点)`)

// askedUnit returns what a figure in the asked unit looks like in the
// folded text, or nil when the question asks for no unit.
func askedUnit(q string) *regexp.Regexp {
	m := reAsksUnit.FindStringSubmatchIndex(q)
	if m == nil || strings.HasPrefix(q[m[1]:], "口") {
		return nil // 多少人口 asks for a population, written 73.3万
	}
	switch {
	case m[4] >= 0:
		return rePercentFigure
	case q[m[2]:m[3]] == "钱" || q[m[2]:m[3]] == "元":
		return reMoneyFigure
	}
	return unitFigures[q[m[2]:m[3]]]
}

// unitFigures holds, for each unit reAsksUnit knows, what a figure in it
// looks like: a number, maybe 余 or 多, then the unit (7万余人).
var unitFigures = func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{}
	for _, u := range strings.Split("亩|户|人|公里|千米|平方米|平方公里|公顷|吨|座|所|家|辆|套|间|张|名|天|次|台|场|届", "|") {
		m[u] = regexp.MustCompile(`[0-9一二三四五六七八九十百千万两]\s*(?:余|多)?\s*` + regexp.QuoteMeta(u))
	}
	return m
}()

var (
	rePercentFigure = regexp.MustCompile(`[0-9.]+\s*%|百分之|个百分点|[一二三四五六七八九]成`)
	reMoneyFigure   = regexp.MustCompile(`[0-9.]+\s*(?:亿|万|千)?元|[0-9.]+\s*(?:亿|万)`)
)

// bigramWeight is the weight of the share of the question's character
// bigrams a sentence holds: it catches wording the segmenter cuts
// differently (原本姓 ~ 原姓) where whole words do not match.
const bigramWeight = 0.15

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
