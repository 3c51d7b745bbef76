package rag

// Near misses: questions whose words the documents hold, around what they
// ask. The checks here read what is asked of the words found: the date of
// the event asked, a cause, a title or meeting that exists.

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"policybot/fold"
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
	if e.w.EventDateShare <= 0 || !reAsksWhen.MatchString(c.a.Folded) || reDocumentWord.MatchString(c.a.Folded) ||
		reAsksOfDoc.MatchString(c.a.Folded) || len(c.a.Parts) > 1 || len(c.f.ex.picked) == 0 {
		return ""
	}
	asked, _ := askedWeights(c.a)
	// Asked only when, a point of the year (年底) may answer.
	pointOK := !c.a.Asks.Day && !reAsksYearMonth.MatchString(c.a.Folded)
	dated, bestDated, bestUndated := false, 0.0, 0.0
	for _, st := range c.f.ex.picked {
		text := stripDocNumbers(fold.String(st.text))
		held := heldWeight(text+"\n"+st.ctx, asked)
		if reHasDate.MatchString(text) || reEra.MatchString(text) || pointOK && reTimeOfYear.MatchString(text) {
			dated = true
			bestDated = max(bestDated, held)
		} else {
			bestUndated = max(bestUndated, held)
		}
	}
	switch {
	case !dated:
		return "no sentence of the answer holds a date"
	case bestUndated > 0 && bestDated < e.w.EventDateShare*bestUndated:
		return fmt.Sprintf("the dated sentences are not of what is asked DBG %.2f %.2f", bestDated, bestUndated)
	}
	return ""
}

// checkCause: asked why (为什么, 原因), the answer must state a cause or a
// purpose (由于, 得益于, 为了; the causal rule) in its sentences or the
// sentences before them: the fact asked about, given without its cause,
// does not say why.
func checkCause(_ *Engine, c *refusalCase) string {
	if !c.a.Asks.Why || c.answer == "" {
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
