package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Metadata keys as stored beside each chunk in the vector store. rag reads
// them back by these names.
const (
	MetaSource    = "source"
	MetaDocID     = "doc_id"
	MetaTitle     = "title"
	MetaSection   = "section"
	MetaDate      = "date"
	MetaKind      = "kind"
	MetaStart     = "start"
	MetaEnd       = "end"
	MetaLineStart = "line_start"
	MetaLineEnd   = "line_end"
)

var (
	reTitleField = regexp.MustCompile(`^标\s*题\s*[:：]?\s*(\S.*)$`)
	reTitleLead  = regexp.MustCompile(`^(?:要文|标题|题目)\s*[:：]\s*(\S.*)$`)
	reIssuer     = regexp.MustCompile(`发文机关\s*[:：]?\s*(\S+)`)
	reAuthor     = regexp.MustCompile(`(?:作者|撰稿)\s*[:：/]\s*([\p{Han}·]{2,8})`)
	reSource     = regexp.MustCompile(`来源\s*[:：]\s*([\p{Han}]{2,20})`)
	reByline     = regexp.MustCompile(`^(?:专题组稿|组稿|撰稿|文)\s*[:：]\s*(.+)$`)
	reDateOnly   = regexp.MustCompile(`^[(（]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)）]?$`)
	// reDateAt is the occasion line of a report or speech: ——2024年3月5日在…会议上.
	reDateAt    = regexp.MustCompile(`^[—―－\-]{0,2}\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*在`)
	reDateCJK   = regexp.MustCompile(`([一二三四五六七八九〇零○OoＯ]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日`)
	rePubDate   = regexp.MustCompile(`(?:发布时间|发布日期|时间|日期)\s*[:：]?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})`)
	rePageDate  = regexp.MustCompile(`^(\d{4})年(\d{1,2})月(\d{1,2})日\s*星期[一二三四五六日天]`)
	reDocNumber = regexp.MustCompile(`[\p{Han}]{1,8}[〔\[［【(（]\d{4}[〕\]］】)）]\s*\d+\s*号`)
	reValidity  = regexp.MustCompile(`失效时间\s*[:：]?\s*(\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}日?|长期有效|有效期[^\s]*)`)
	reNameLine  = regexp.MustCompile(`^[\p{Han}]{2,4}$`)
	reSigner    = regexp.MustCompile(`^\S.{1,30}\s([\p{Han}]{2,3})$`)
)

// headerEnd returns how many leading paragraphs form a document's header
// block: short lines (title, issuer, date, number, salutation) before the
// body starts.
func headerEnd(paras []Para) int {
	n := 0
	for n < len(paras) && n < 12 {
		t := paras[n].Text
		c := utf8.RuneCountInString(t)
		if c >= 60 || endsSentence(t) && c > 12 || n > 0 && headingLevel([]rune(t)) != levelNone {
			break
		}
		n++
	}
	return n
}

// parseMeta reads a document's metadata from its header block and, for the
// dates and numbers that documents put at the end (signature dates), from
// the whole text. titleHint, when set, is the title found while splitting.
func parseMeta(doc *Document, paras []Para, header int, titleHint string) {
	var fallbackTitle string
	for i := 0; i < header; i++ {
		t := paras[i].Text
		if m := reTitleField.FindStringSubmatch(t); m != nil && doc.Title == "" {
			doc.Title = strings.TrimSpace(m[1])
			continue
		}
		if m := reTitleLead.FindStringSubmatch(t); m != nil && doc.Title == "" {
			doc.Title = strings.TrimSpace(m[1])
			continue
		}
		if m := reIssuer.FindStringSubmatch(t); m != nil && doc.Issuer == "" {
			if v := strings.TrimSpace(m[1]); v != "成文日期" {
				doc.Issuer = v
			}
		}
		if m := reAuthor.FindStringSubmatch(t); m != nil && doc.Issuer == "" {
			doc.Issuer = strings.TrimSpace(m[1])
		}
		if m := rePageDate.FindStringSubmatch(t); m != nil && doc.PubDate == "" {
			doc.PubDate = ymd(m[1], m[2], m[3])
			continue
		}
		if m := rePubDate.FindStringSubmatch(t); m != nil && doc.PubDate == "" {
			doc.PubDate = ymd(m[1], m[2], m[3])
		}
		if m := reDateCJK.FindStringSubmatch(t); m != nil && doc.Date == "" {
			doc.Date = cjkDate(m[1], m[2], m[3])
		}
		if m := reSigner.FindStringSubmatch(t); m != nil && doc.Issuer == "" && !strings.ContainsAny(t, ":：") && i > 0 {
			doc.Issuer = t
		}
		if fallbackTitle == "" && isTitleCandidate(t) {
			fallbackTitle = t
		}
	}
	for i := range paras {
		t := paras[i].Text
		if m := reDateOnly.FindStringSubmatch(t); m != nil && doc.Date == "" {
			doc.Date = ymd(m[1], m[2], m[3])
		}
		if m := reDateAt.FindStringSubmatch(t); m != nil && doc.Date == "" && i < header+8 {
			doc.Date = ymd(m[1], m[2], m[3]) // the day a report was given, at the meeting it names
		}
		if m := reDateCJK.FindStringSubmatch(t); m != nil && doc.Date == "" && utf8.RuneCountInString(t) <= 16 {
			doc.Date = cjkDate(m[1], m[2], m[3]) // a signature date in Chinese numerals
		}
		if doc.DocNumber == "" && i < header+8 {
			if m := reDocNumber.FindString(t); m != "" {
				doc.DocNumber = strings.ReplaceAll(m, " ", "")
			}
		}
		if m := reValidity.FindStringSubmatch(t); m != nil && doc.Validity == "" {
			doc.Validity = m[1]
		}
		if m := reByline.FindStringSubmatch(t); m != nil && doc.Issuer == "" && utf8.RuneCountInString(t) < 50 {
			doc.Issuer = strings.TrimSpace(m[1])
		}
	}
	if doc.Issuer == "" {
		for i := 0; i < header; i++ {
			if m := reSource.FindStringSubmatch(paras[i].Text); m != nil {
				doc.Issuer = m[1]
				break
			}
		}
	}
	if titleHint != "" && doc.Title == "" {
		doc.Title = titleHint
	}
	if doc.Title == "" {
		doc.Title = fallbackTitle
	}
	if i := strings.LastIndexAny(doc.Title, "|｜"); i >= 0 {
		_, n := utf8.DecodeRuneInString(doc.Title[i:])
		if rest := strings.TrimSpace(doc.Title[i+n:]); rest != "" {
			doc.Title = rest
		}
	}
	if doc.Title == "" && len(paras) > 0 {
		doc.Title = truncateRunes(paras[0].Text, 30)
	}
	if doc.Date == "" {
		doc.Date = doc.PubDate
	}
}

// isTitleCandidate reports whether a header line can be a title: not a
// date, not a field line, not furniture.
func isTitleCandidate(t string) bool {
	c := utf8.RuneCountInString(t)
	if c < 6 || c > 60 || reDateOnly.MatchString(t) || rePageDate.MatchString(t) {
		return false
	}
	return !strings.ContainsAny(t, ":：") || strings.ContainsAny(t, "|｜")
}

func ymd(y, m, d string) string {
	// strconv, not fmt.Sscan: Sscan reads "08" and "09" as octal and stops at 0.
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	return fmt.Sprintf("%04d-%02d-%02d", yi, mi, di)
}

// cjkDate converts 二O一九年二月十六日 to 2019-02-16.
func cjkDate(y, m, d string) string {
	digit := func(r rune) int {
		if i := strings.IndexRune("〇一二三四五六七八九", r); i >= 0 {
			return utf8.RuneCountInString("〇一二三四五六七八九"[:i])
		}
		return 0 // 零 ○ O o Ｏ
	}
	year := 0
	for _, r := range y {
		year = year*10 + digit(r)
	}
	small := func(s string) int {
		rs := []rune(s)
		switch {
		case len(rs) == 1 && rs[0] == '十':
			return 10
		case len(rs) == 1:
			return digit(rs[0])
		case len(rs) == 2 && rs[0] == '十':
			return 10 + digit(rs[1])
		case len(rs) == 2 && rs[1] == '十':
			return digit(rs[0]) * 10
		case len(rs) == 3:
			return digit(rs[0])*10 + digit(rs[2])
		}
		return 0
	}
	return fmt.Sprintf("%04d-%02d-%02d", year, small(m), small(d))
}

// splitArticles finds the articles of a page holding several (a newspaper
// page): a title line followed by a line holding only the author's name,
// followed by body text. It returns the paragraph index where each article
// starts, or nil when the file holds fewer than two.
func splitArticles(paras []Para) []int {
	var starts []int
	for i := 0; i+2 < len(paras); i++ {
		t := paras[i].Text
		c := utf8.RuneCountInString(t)
		if c < 6 || c > 48 || endsSentence(t) || strings.ContainsAny(t, ":：)）") || headingLevel([]rune(t)) != levelNone {
			continue
		}
		if !reNameLine.MatchString(paras[i+1].Text) || utf8.RuneCountInString(paras[i+2].Text) < 40 {
			continue
		}
		starts = append(starts, i)
	}
	if len(starts) < 2 {
		return nil
	}
	return starts
}
