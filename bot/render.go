package bot

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf16"

	"policybot/rag"
)

// maxMessage is Telegram's limit on a message's visible text, in UTF-16 code
// units after entity parsing, less a margin for the reopened tags' effect on
// counting by other clients.
const maxMessage = 4000

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// esc escapes text from the model or the documents for Telegram HTML.
func esc(s string) string { return htmlEscaper.Replace(s) }

// title renders a document title in book-title marks.
func title(t string) string {
	t = strings.TrimSpace(strings.Trim(strings.TrimSpace(t), "《》"))
	if t == "" {
		t = "未命名文件"
	}
	return "《" + t + "》"
}

// sourceLine is "[n] 《title》 section · date", plain text.
func sourceLine(c rag.Citation) string {
	s := fmt.Sprintf("[%d] %s", c.N, title(c.Title))
	if c.Section != "" {
		s += " " + c.Section
	}
	if c.Date != "" {
		s += " · " + c.Date
	}
	return s
}

// Texts shown while and after answering.
const (
	textPlaceholder = "🔎 正在查阅文件…"
	textQueued      = "⏳ 提问较多，正在排队，请稍候…"
	textApology     = "抱歉，处理这个问题时出了点问题，请稍后再试。"
	textTimeout     = "抱歉，这个问题回答超时了，请稍后再试，或换个更具体的问法。"
	textNotFound    = "文件库中没有找到能回答这个问题的内容。"
)

// renderPartial renders streamed answer text: escaped, cut to fit one message.
func renderPartial(text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return esc(textPlaceholder)
	}
	if r := []rune(text); utf16Len(text) > maxMessage-10 {
		n := 0
		for i, c := range r {
			n += utf16.RuneLen(c)
			if n > maxMessage-10 {
				text = string(r[:i])
				break
			}
		}
	}
	return esc(text) + " ▌"
}

// renderAnswer renders a finished result as Telegram HTML.
func renderAnswer(res *rag.Result) string {
	var b strings.Builder
	answer := strings.TrimSpace(res.Answer)
	// The engine opens extractive answers with its own plain label; the
	// bot shows a formatted one instead, so the label is not said twice.
	// The engine's label says whether quotes were converted to simplified
	// script. A refusal quotes nothing, so it gets no excerpt label at all.
	converted := false
	for _, l := range []struct {
		label     string
		converted bool
	}{
		{rag.FallbackConvertedLabel, true}, {rag.FallbackLabel, false},
		{rag.ConvertedLabel, true}, {rag.ExcerptLabel, false},
	} {
		if rest, ok := strings.CutPrefix(answer, l.label); ok {
			answer, converted = strings.TrimSpace(rest), l.converted
			break
		}
	}
	if res.Answered {
		switch {
		case res.Mode == rag.ModeExtractive && converted:
			b.WriteString("<i>📄 以下为文件内容摘录（已转为简体）：</i>\n\n")
		case res.Mode == rag.ModeExtractive:
			b.WriteString("<i>📄 以下为文件原文摘录：</i>\n\n")
		case res.Mode == rag.ModeExtractiveFallback && converted:
			b.WriteString("<i>⚠️ 模型暂时不可用，以下为文件内容摘录（已转为简体）：</i>\n\n")
		case res.Mode == rag.ModeExtractiveFallback:
			b.WriteString("<i>⚠️ 模型暂时不可用，以下为文件原文摘录：</i>\n\n")
		}
	}
	if !res.Answered && answer == "" {
		answer = textNotFound
	}
	b.WriteString(esc(answer))
	if !res.Answered {
		// Name only the nearest documents the refusal text does not name already.
		var missing []string
		for _, n := range res.Nearest {
			if !strings.Contains(answer, title(n)) {
				missing = append(missing, n)
			}
		}
		if len(missing) > 0 {
			b.WriteString("\n\n最接近的文件：")
			for _, n := range missing {
				b.WriteString("\n• " + esc(title(n)))
			}
		}
	}
	if res.Answered && len(res.Unsupported) > 0 {
		b.WriteString("\n\n<i>注意：回答中有部分内容未能在文件中核实，请以原文为准。</i>")
	}
	if len(res.Citations) > 0 {
		b.WriteString("\n\n<b>出处</b>")
		for _, c := range res.Citations {
			b.WriteString("\n" + esc(sourceLine(c)))
		}
	}
	return b.String()
}

// renderPassage renders one stored passage for a source button.
func renderPassage(p rag.Passage) string {
	var b strings.Builder
	b.WriteString("<b>" + esc(title(p.Title)) + "</b>")
	if p.Section != "" {
		b.WriteString("\n" + esc(p.Section))
	}
	b.WriteString("\n<blockquote>" + esc(strings.TrimSpace(p.Text)) + "</blockquote>\n")
	loc := p.Source
	if l := p.Locus.String(); l != "" {
		loc += " " + l
	}
	if p.Date != "" {
		loc += " · " + p.Date
	}
	b.WriteString("<i>" + esc(strings.TrimSpace(loc)) + "</i>")
	return b.String()
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// htmlToPlain turns Telegram HTML into the text it displays, for the
// plain-text fallback when Telegram rejects the markup.
func htmlToPlain(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '<' {
			if j := strings.IndexByte(s[i:], '>'); j >= 0 {
				i += j + 1
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return html.UnescapeString(b.String())
}

// token is one indivisible piece of Telegram HTML.
type token struct {
	text string
	vis  int    // visible length in UTF-16 units
	open string // tag name when text is a start tag
	shut string // tag name when text is an end tag
}

func tokenize(s string) []token {
	var toks []token
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			if j := strings.IndexByte(s[i:], '>'); j > 0 {
				t := s[i : i+j+1]
				inner := strings.TrimSpace(t[1 : len(t)-1])
				if name, ok := strings.CutPrefix(inner, "/"); ok {
					toks = append(toks, token{text: t, shut: strings.TrimSpace(name)})
				} else {
					toks = append(toks, token{text: t, open: strings.Fields(inner + " ")[0]})
				}
				i += j + 1
				continue
			}
		case '&':
			if j := strings.IndexByte(s[i:], ';'); j > 0 && j < 10 {
				toks = append(toks, token{text: s[i : i+j+1], vis: 1})
				i += j + 1
				continue
			}
		}
		r, size := rune(s[i]), 1
		if r >= 0x80 {
			for _, rr := range s[i:] {
				r = rr
				break
			}
			size = len(string(r))
		}
		toks = append(toks, token{text: s[i : i+size], vis: utf16.RuneLen(r)})
		i += size
	}
	return toks
}

// splitHTML cuts Telegram HTML into parts of at most limit visible UTF-16
// units, preferring paragraph breaks, then line breaks, then sentence ends.
// Tags open at a cut are closed at the end of the part and reopened at the
// start of the next, so every part is balanced.
func splitHTML(s string, limit int) []string {
	toks := tokenize(s)
	var parts []string
	var reopen []token // start tags open at the start of the current part
	start := 0
	for start < len(toks) {
		// Skip line breaks at the start of a part.
		for start < len(toks) && (toks[start].text == "\n" || toks[start].text == " ") {
			start++
		}
		if start >= len(toks) {
			break
		}
		stack := append([]token(nil), reopen...)
		vis := 0
		// best[k] is the cut (token index after the break) of kind k:
		// 0 paragraph, 1 line, 2 sentence, 3 any character.
		var best [4]int
		var bestStack [4][]token
		cut := len(toks)
		var cutStack []token
		for i := start; i < len(toks); i++ {
			t := toks[i]
			if vis+t.vis > limit {
				cut = 0
				for k := range best {
					if best[k] > start {
						cut, cutStack = best[k], bestStack[k]
						break
					}
				}
				if cut == 0 { // a single token wider than the limit: cannot happen for text tokens
					cut, cutStack = i+1, append([]token(nil), stack...)
				}
				break
			}
			vis += t.vis
			switch {
			case t.open != "":
				stack = append(stack, t)
			case t.shut != "":
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			}
			kind := 3
			switch {
			case t.text == "\n" && i > 0 && toks[i-1].text == "\n":
				kind = 0
			case t.text == "\n":
				kind = 1
			case strings.ContainsAny(t.text, "。！？；.!?;"):
				kind = 2
			}
			if t.open == "" && t.shut == "" {
				for k := kind; k < 4; k++ {
					best[k] = i + 1
					bestStack[k] = append(bestStack[k][:0:0], stack...)
				}
			}
		}
		if cut == len(toks) {
			cutStack = stack
		}
		var b strings.Builder
		for _, t := range reopen {
			b.WriteString(t.text)
		}
		for _, t := range toks[start:cut] {
			b.WriteString(t.text)
		}
		for i := len(cutStack) - 1; i >= 0; i-- {
			b.WriteString("</" + cutStack[i].open + ">")
		}
		parts = append(parts, b.String())
		reopen, start = cutStack, cut
		// A closing tag right at the cut was already written by the closer loop.
		for start < len(toks) && toks[start].shut != "" && len(reopen) > 0 && reopen[len(reopen)-1].open == toks[start].shut {
			reopen = reopen[:len(reopen)-1]
			start++
		}
	}
	return parts
}
