package ingest

import (
	"strings"
	"unicode/utf8"
)

// Heading levels of the ladder Chinese official documents use.
const (
	levelNone    = 0
	levelChapter = 1 // 一、
	levelSection = 2 // (一) （一）
	levelItem    = 3 // 1. 1、 １．
	levelSubItem = 4 // (1) （1）
	levelPoint   = 5 // 一是 二是 …, ——
)

const cjkDigits = "一二三四五六七八九十百零〇"

// Numbered reports whether a heading opens with a marker of the ladder
// official documents number their headings with (一、 （一） 1. （1） 一是 ——).
func Numbered(heading string) bool { return headingLevel([]rune(heading)) != levelNone }

// headingLevel returns the ladder level of the marker a paragraph starts
// with, or levelNone.
func headingLevel(rs []rune) int {
	lvl, _ := headingMarker(rs)
	return lvl
}

// headingMarker returns the level of the marker rs starts with and its
// length in runes.
func headingMarker(rs []rune) (int, int) {
	n := len(rs)
	i := 0
	for i < n && strings.ContainsRune(cjkDigits, rs[i]) {
		i++
	}
	if i > 0 && i <= 3 && i < n {
		switch {
		case rs[i] == '、' || rs[i] == '，' && i == 1:
			return levelChapter, i + 1
		case rs[i] == '是' && i+1 < n && rs[i+1] != '否':
			return levelPoint, i + 1
		}
	}
	if n >= 3 && (rs[0] == '(' || rs[0] == '（') {
		j := 1
		for j < n && strings.ContainsRune(cjkDigits, rs[j]) {
			j++
		}
		if j > 1 && j <= 4 && j < n && (rs[j] == ')' || rs[j] == '）') {
			return levelSection, j + 1
		}
		j = 1
		for j < n && isDigit(rs[j]) {
			j++
		}
		if j > 1 && j <= 3 && j < n && (rs[j] == ')' || rs[j] == '）') {
			return levelSubItem, j + 1
		}
	}
	j := 0
	for j < n && isDigit(rs[j]) {
		j++
	}
	if j > 0 && j <= 2 && j+1 < n && (rs[j] == '.' || rs[j] == '．' || rs[j] == '、') && !isDigit(rs[j+1]) {
		return levelItem, j + 1
	}
	if n >= 3 && rs[0] == '—' && rs[1] == '—' {
		return levelPoint, 2
	}
	return levelNone, 0
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

// headingTitle returns the heading a paragraph starts with: the whole
// paragraph when it is short, else its first sentence (一、充分认识重大意义。…)
// when that is short. ok is false for paragraphs that are plain text.
func headingTitle(p string) (title string, level int, ok bool) {
	rs := []rune(p)
	level, _ = headingMarker(rs)
	if level == levelNone {
		return "", 0, false
	}
	if len(rs) <= 40 && !endsSentence(p) || len(rs) <= 30 {
		return strings.TrimRight(p, "。;；:："), level, true
	}
	if s, ok := leadSentence(p, 40); ok {
		return s, level, true
	}
	// A long item with no short lead: name it by its first words.
	return truncateRunes(p, 24), level, true
}

// leadSentence returns a paragraph's first sentence without its stop when
// it has at most max runes: the topic sentence that opens many paragraphs
// of policy text (坚持解放思想。…).
func leadSentence(p string, max int) (string, bool) {
	for i, r := range p {
		if r == '。' || r == '；' || r == ';' || r == '!' || r == '！' || r == ':' || r == '：' {
			s := p[:i]
			if c := utf8.RuneCountInString(s); c >= 2 && c <= max {
				return s, true
			}
			return "", false
		}
	}
	return "", false
}

func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune("。！？!?；;", r)
}

func truncateRunes(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}
