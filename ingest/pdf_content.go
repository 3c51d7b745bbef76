package ingest

import (
	"errors"
	"math"
	"strings"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// A content-stream interpreter for text, on ledongthuc/pdf's parser and
// font decoders. It replaces the library's Page.Content, which does not
// enter form XObjects (text drawn through "Do" was lost), advances glyphs
// of two-byte (CID) fonts by the wrong widths, and has no bound on what a
// page may produce.

// maxPageGlyphs bounds the glyphs of one page: a dense A4 page of Chinese
// holds under 5,000; each glyph costs about 100 bytes of memory.
const maxPageGlyphs = 200000

// errPageTooLarge stops a page whose content is over the budget.
var errPageTooLarge = errors.New("page content over the limit")

type pdfMatrix [6]float64 // a b c d e f

var pdfIdentity = pdfMatrix{1, 0, 0, 1, 0, 0}

// mul returns m×n (m applied first).
func (m pdfMatrix) mul(n pdfMatrix) pdfMatrix {
	return pdfMatrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func translate(x, y float64) pdfMatrix { return pdfMatrix{1, 0, 0, 1, x, y} }

type pdfTextState struct {
	ctm, tm, tlm               pdfMatrix
	font                       *pdfFont
	size, tc, tw, th, tl, rise float64
}

// pdfFont is a font as text extraction needs it: how to cut a string into
// codes, what each code reads as, and how far it advances.
type pdfFont struct {
	enc    pdf.TextEncoding
	two    bool            // two-byte codes (a Type0 font)
	widths map[int]float64 // per code, in 1/1000 em (Type0: /W)
	dw     float64         // default width
	simple pdf.Font
	text   map[int]string // decoded codes, cached
	// cmap names a predefined CMap read here ("utf16", "gbk", "big5"):
	// a Chinese font not embedded (STSong-Light with GBK-EUC-H, as older
	// tools wrote), whose codes are text in that encoding, not CIDs.
	cmap string
}

// predefinedCMap returns how codes of a predefined CMap read as text, or
// "" for one that is not read here.
func predefinedCMap(name string) string {
	name = strings.TrimSuffix(strings.TrimSuffix(name, "-H"), "-V")
	switch {
	case strings.HasPrefix(name, "Uni") && (strings.HasSuffix(name, "-UCS2") || strings.HasSuffix(name, "-UTF16")):
		return "utf16"
	case name == "GB-EUC" || name == "GBpc-EUC" || name == "GBK-EUC" || name == "GBKp-EUC" || name == "GBK2K":
		return "gbk"
	case name == "B5pc" || name == "ETen-B5" || name == "ETenms-B5" || name == "HKscs-B5" || name == "CNS-EUC":
		return "big5"
	}
	return ""
}

// codeLen is the length of the code at s[i].
func (f *pdfFont) codeLen(s string, i int) int {
	switch f.cmap {
	case "gbk":
		if s[i] < 0x80 {
			return 1
		}
		if i+3 < len(s) && s[i+1] >= 0x30 && s[i+1] <= 0x39 {
			return 4 // GB18030's four-byte codes (GBK2K)
		}
		return 2
	case "big5":
		if s[i] < 0x80 {
			return 1
		}
		return 2
	case "utf16":
		if i+3 < len(s) && s[i] >= 0xD8 && s[i] <= 0xDB {
			return 4 // a surrogate pair
		}
		return 2
	}
	if f.two {
		return 2
	}
	return 1
}

func newPDFFont(v pdf.Value) *pdfFont {
	f := &pdfFont{simple: pdf.Font{V: v}, text: map[int]string{}, dw: 1000}
	f.enc = f.simple.Encoder()
	if v.Key("Subtype").Name() != "Type0" {
		return f
	}
	f.two = true
	f.cmap = predefinedCMap(v.Key("Encoding").Name())
	df := v.Key("DescendantFonts").Index(0)
	if d := df.Key("DW"); d.Kind() == pdf.Integer || d.Kind() == pdf.Real {
		f.dw = d.Float64()
	}
	f.widths = map[int]float64{}
	w := df.Key("W")
	for i := 0; i < w.Len() && len(f.widths) < 1<<16; {
		first := int(w.Index(i).Int64())
		if i+1 < w.Len() && w.Index(i+1).Kind() == pdf.Array {
			a := w.Index(i + 1)
			for j := 0; j < a.Len() && j < 1<<16; j++ {
				f.widths[first+j] = a.Index(j).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= w.Len() {
			break
		}
		last, width := int(w.Index(i+1).Int64()), w.Index(i+2).Float64()
		for c := first; c <= last && c-first < 1<<16; c++ {
			f.widths[c] = width
		}
		i += 3
	}
	return f
}

// width is a code's advance in 1/1000 em.
func (f *pdfFont) width(code int, n int, text string) float64 {
	if f.cmap != "" {
		// Codes are not CIDs, so /W does not apply: CJK fonts are
		// square, their ASCII half as wide.
		if n == 1 {
			return f.dw / 2
		}
		return f.dw
	}
	if f.two {
		if w, ok := f.widths[code]; ok {
			return w
		}
		return f.dw
	}
	if w := f.simple.Width(code); w > 0 {
		return w
	}
	if text != "" && []rune(text)[0] >= 0x2E80 {
		return 1000
	}
	return 500
}

func (f *pdfFont) decode(code int, raw string) string {
	if s, ok := f.text[code]; ok {
		return s
	}
	var s string
	switch f.cmap {
	case "gbk":
		s, _ = simplifiedchinese.GB18030.NewDecoder().String(raw)
	case "big5":
		s, _ = traditionalchinese.Big5.NewDecoder().String(raw)
	case "utf16":
		u := make([]uint16, len(raw)/2)
		for i := range u {
			u[i] = uint16(raw[2*i])<<8 | uint16(raw[2*i+1])
		}
		s = string(utf16.Decode(u))
	default:
		s = f.enc.Decode(raw)
	}
	if len(f.text) < 1<<16 {
		f.text[code] = s
	}
	return s
}

// pdfContent collects a page's glyphs.
type pdfContent struct {
	glyphs []glyph
	budget int64 // bytes of text and operators left
}

// run interprets one content stream (a page's, or a form XObject's) whose
// resources are those of owner.
func (c *pdfContent) run(owner pdf.Page, strm pdf.Value, g pdfTextState, depth int) {
	fonts := map[string]*pdfFont{}
	var stack []pdfTextState
	show := func(s string) {
		f := g.font
		if f == nil {
			return
		}
		for i, step := 0, 0; i < len(s); i += step {
			step = f.codeLen(s, i)
			if i+step > len(s) {
				break
			}
			code := 0
			for j := i; j < i+step; j++ {
				code = code<<8 | int(s[j])
			}
			text := f.decode(code, s[i:i+step])
			w0 := f.width(code, step, text)
			trm := pdfMatrix{g.size * g.th, 0, 0, g.size, 0, g.rise}.mul(g.tm).mul(g.ctm)
			tx := (w0/1000*g.size + g.tc) * g.th
			if step == 1 && s[i] == ' ' {
				tx += g.tw * g.th
			}
			next := translate(tx, 0).mul(g.tm)
			end := next.mul(g.ctm)
			size := math.Hypot(trm[2], trm[3])
			c.budget -= int64(len(text)) + 16
			if c.budget < 0 || len(c.glyphs) >= maxPageGlyphs {
				panic(errPageTooLarge)
			}
			c.glyphs = append(c.glyphs, glyph{x: trm[4], y: -trm[5], w: end[4] - trm[4], size: size, s: text})
			g.tm = next
		}
	}
	nums := func(args []pdf.Value, n int) []float64 {
		if len(args) != n {
			return nil
		}
		out := make([]float64, n)
		for i, a := range args {
			out[i] = a.Float64()
		}
		return out
	}
	matrix := func(args []pdf.Value) (pdfMatrix, bool) {
		v := nums(args, 6)
		if v == nil {
			return pdfMatrix{}, false
		}
		return pdfMatrix(v), true
	}
	var args []pdf.Value
	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		c.budget--
		if c.budget < 0 {
			panic(errPageTooLarge)
		}
		args = args[:0]
		for n := stk.Len(); n > 0; n-- {
			args = append(args, pdf.Value{})
		}
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "q":
			if len(stack) < 1000 {
				stack = append(stack, g)
			}
		case "Q":
			if n := len(stack); n > 0 {
				g = stack[n-1]
				stack = stack[:n-1]
			}
		case "cm":
			if m, ok := matrix(args); ok {
				g.ctm = m.mul(g.ctm)
			}
		case "BT":
			g.tm, g.tlm = pdfIdentity, pdfIdentity
		case "Tf":
			if len(args) == 2 {
				name := args[0].Name()
				f, ok := fonts[name]
				if !ok {
					f = newPDFFont(owner.Font(name).V)
					fonts[name] = f
				}
				g.font, g.size = f, args[1].Float64()
			}
		case "Tc":
			if v := nums(args, 1); v != nil {
				g.tc = v[0]
			}
		case "Tw":
			if v := nums(args, 1); v != nil {
				g.tw = v[0]
			}
		case "Tz":
			if v := nums(args, 1); v != nil {
				g.th = v[0] / 100
			}
		case "TL":
			if v := nums(args, 1); v != nil {
				g.tl = v[0]
			}
		case "Ts":
			if v := nums(args, 1); v != nil {
				g.rise = v[0]
			}
		case "Td", "TD":
			if v := nums(args, 2); v != nil {
				if op == "TD" {
					g.tl = -v[1]
				}
				g.tlm = translate(v[0], v[1]).mul(g.tlm)
				g.tm = g.tlm
			}
		case "Tm":
			if m, ok := matrix(args); ok {
				g.tm, g.tlm = m, m
			}
		case "T*":
			g.tlm = translate(0, -g.tl).mul(g.tlm)
			g.tm = g.tlm
		case "Tj":
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "'", "\"":
			if op == "\"" && len(args) == 3 {
				g.tw, g.tc = args[0].Float64(), args[1].Float64()
				args = args[2:]
			}
			g.tlm = translate(0, -g.tl).mul(g.tlm)
			g.tm = g.tlm
			if len(args) == 1 {
				show(args[0].RawString())
			}
		case "TJ":
			if len(args) != 1 {
				break
			}
			a := args[0]
			for i := 0; i < a.Len(); i++ {
				if x := a.Index(i); x.Kind() == pdf.String {
					show(x.RawString())
				} else {
					g.tm = translate(-x.Float64()/1000*g.size*g.th, 0).mul(g.tm)
				}
			}
		case "Do":
			if len(args) != 1 || depth >= 8 {
				break
			}
			xo := owner.Resources().Key("XObject").Key(args[0].Name())
			if xo.Kind() != pdf.Stream || xo.Key("Subtype").Name() != "Form" {
				break
			}
			inner := g
			if m, ok := matrix(arrayValues(xo.Key("Matrix"))); ok {
				inner.ctm = m.mul(g.ctm)
			}
			form := owner
			if xo.Key("Resources").Kind() == pdf.Dict {
				form = pdf.Page{V: xo}
			}
			c.run(form, xo, inner, depth+1)
		}
	})
}

func arrayValues(v pdf.Value) []pdf.Value {
	if v.Kind() != pdf.Array {
		return nil
	}
	out := make([]pdf.Value, v.Len())
	for i := range out {
		out[i] = v.Index(i)
	}
	return out
}
