package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
)

// OFD (GB/T 33190) text extraction: an OFD file is a zip of XML. OFD.xml's
// DocBody names the document (DocRoot → Document.xml), whose Pages list each
// page's Content.xml in order; a page's text is its TextObjects' TextCodes,
// each placed at the object's Boundary origin plus its X/Y, one character
// after another by DeltaX/DeltaY ("g 3 1.5" repeats 1.5 three times).
// Coordinates are millimetres with y growing downward. Page templates
// (Tpls) are not read: they hold what every page repeats (headers, seals).

// maxOFDPages bounds the pages read from one file.
const maxOFDPages = 10000

// ofdReader reads members of an OFD package within a budget of
// decompressed bytes, so a zip bomb stops at the limit.
type ofdReader struct {
	files  map[string]*zip.File
	budget int64
}

func (r *ofdReader) read(name string) ([]byte, error) {
	f := r.files[strings.TrimPrefix(path.Clean("/"+name), "/")]
	if f == nil {
		return nil, fmt.Errorf("%w: OFD member %s is missing", ErrDamaged, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: OFD member %s: %v", ErrDamaged, name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, r.budget+1))
	if err != nil {
		return nil, fmt.Errorf("%w: OFD member %s: %v", ErrDamaged, name, err)
	}
	if int64(len(b)) > r.budget {
		return nil, fmt.Errorf("%w: OFD members decompress past the limit (at %s)", ErrTooLarge, name)
	}
	r.budget -= int64(len(b))
	return b, nil
}

func extractOFD(raw []byte, lim Limits) (*Extracted, error) {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return nil, fmt.Errorf("%w: not an OFD file (not a zip archive: %v)", ErrDamaged, err)
	}
	budget := lim.MaxExtracted
	if budget <= 0 {
		budget = DefaultLimits.MaxExtracted
	}
	r := &ofdReader{files: map[string]*zip.File{}, budget: budget}
	for _, f := range zr.File {
		r.files[strings.TrimPrefix(path.Clean("/"+f.Name), "/")] = f
	}
	if r.files["OFD.xml"] == nil {
		return nil, fmt.Errorf("%w: not an OFD file (no OFD.xml)", ErrDamaged)
	}
	b, err := r.read("OFD.xml")
	if err != nil {
		return nil, err
	}
	var root struct {
		DocBody []struct {
			DocInfo struct {
				Title        string `xml:"Title"`
				CreationDate string `xml:"CreationDate"`
			} `xml:"DocInfo"`
			DocRoot string `xml:"DocRoot"`
		} `xml:"DocBody"`
	}
	if err := decodeXML(b, &root); err != nil {
		return nil, fmt.Errorf("%w: OFD.xml: %v", ErrDamaged, err)
	}
	if len(root.DocBody) == 0 || strings.TrimSpace(root.DocBody[0].DocRoot) == "" {
		return nil, fmt.Errorf("%w: OFD.xml names no document (DocBody/DocRoot)", ErrDamaged)
	}
	body := root.DocBody[0]
	docPath := ofdResolve("", strings.TrimSpace(body.DocRoot))
	b, err = r.read(docPath)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Pages struct {
			Page []struct {
				BaseLoc string `xml:"BaseLoc,attr"`
			} `xml:"Page"`
		} `xml:"Pages"`
	}
	if err := decodeXML(b, &doc); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrDamaged, docPath, err)
	}
	if len(doc.Pages.Page) == 0 {
		return nil, fmt.Errorf("%w: %s lists no pages", ErrDamaged, docPath)
	}
	if len(doc.Pages.Page) > maxOFDPages {
		return nil, fmt.Errorf("%w: %d pages, over the limit of %d", ErrTooLarge, len(doc.Pages.Page), maxOFDPages)
	}
	x := &Extracted{Title: strings.TrimSpace(body.DocInfo.Title)}
	lines := make([][]textLine, len(doc.Pages.Page))
	docDir := path.Dir(docPath)
	for i, p := range doc.Pages.Page {
		pagePath := ofdResolve(docDir, strings.TrimSpace(p.BaseLoc))
		b, err := r.read(pagePath)
		if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		if err != nil {
			x.Warnings = append(x.Warnings, fmt.Sprintf("page %d: could not be read (%v)", i+1, err))
			continue
		}
		gs, err := ofdGlyphs(b)
		if errors.Is(err, errPageTooLarge) {
			return nil, fmt.Errorf("%w: page %d: more than %d characters", ErrTooLarge, i+1, maxPageGlyphs)
		}
		if err != nil {
			x.Warnings = append(x.Warnings, fmt.Sprintf("page %d: could not be read (%s: %v)", i+1, pagePath, err))
			continue
		}
		var rawText strings.Builder
		for _, g := range gs {
			rawText.WriteString(g.s)
		}
		if why := unreadable(rawText.String()); why != "" {
			x.Warnings = append(x.Warnings, fmt.Sprintf("page %d: text could not be recovered (%s)", i+1, why))
			continue
		}
		lines[i] = pageLines(gs)
	}
	dropBad(lines, func(w string) { x.Warnings = append(x.Warnings, w) })
	dropFurniture(lines)
	dropUnreadable(lines, func(w string) { x.Warnings = append(x.Warnings, w) })
	x.Text, x.Pages = assemble(lines)
	return x, nil
}

// ofdResolve resolves a location inside the package: absolute ("/Doc_0/…")
// from the root, else relative to dir.
func ofdResolve(dir, loc string) string {
	if strings.HasPrefix(loc, "/") {
		return strings.TrimPrefix(path.Clean(loc), "/")
	}
	return strings.TrimPrefix(path.Clean("/"+path.Join(dir, loc)), "/")
}

func decodeXML(b []byte, v any) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.CharsetReader = charsetReader
	return d.Decode(v)
}

// charsetReader lets XML declared as GB2312, GBK or GB18030 be read.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, err
	}
	return enc.NewDecoder().Reader(in), nil
}

// ofdGlyphs returns the characters of one page's Content.xml, placed.
func ofdGlyphs(b []byte) ([]glyph, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.CharsetReader = charsetReader
	var gs []glyph
	type object struct {
		ox, oy float64    // Boundary origin
		ctm    [6]float64 // identity unless CTM is given
		size   float64
	}
	var obj *object
	var code *xml.StartElement
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return gs, nil
		}
		if err != nil {
			return gs, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "TextObject":
				o := object{ctm: [6]float64{1, 0, 0, 1, 0, 0}, size: 3.5}
				if f := floats(attr(t, "Boundary")); len(f) >= 2 {
					o.ox, o.oy = f[0], f[1]
				}
				if f := floats(attr(t, "CTM")); len(f) == 6 {
					copy(o.ctm[:], f)
				}
				if v := number(attr(t, "Size")); v > 0 {
					o.size = v
				}
				obj = &o
			case "TextCode":
				c := t.Copy()
				code = &c
				text.Reset()
			}
		case xml.CharData:
			if code != nil {
				text.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "TextObject":
				obj = nil
			case "TextCode":
				if code != nil && obj != nil {
					gs = append(gs, ofdCode(obj.ox, obj.oy, obj.ctm, obj.size, *code, text.String(), maxPageGlyphs+1-len(gs))...)
				}
				code = nil
				if len(gs) > maxPageGlyphs {
					return nil, errPageTooLarge
				}
			}
		}
	}
}

// ofdCode places the characters of one TextCode, at most limit of them.
func ofdCode(ox, oy float64, ctm [6]float64, size float64, code xml.StartElement, s string, limit int) []glyph {
	x := number(attr(code, "X"))
	y := number(attr(code, "Y"))
	n := utf8.RuneCountInString(s)
	dx := deltas(attr(code, "DeltaX"), n)
	dy := deltas(attr(code, "DeltaY"), n)
	scale := ctm[0]
	if scale <= 0 {
		scale = 1
	}
	var gs []glyph
	i := 0
	for _, r := range s {
		if len(gs) >= limit {
			break
		}
		if r == '\n' || r == '\r' || r == '\t' {
			continue
		}
		// The text's own coordinates pass through CTM, then the Boundary
		// origin places them on the page.
		px := ox + ctm[0]*x + ctm[2]*y + ctm[4]
		py := oy + ctm[1]*x + ctm[3]*y + ctm[5]
		adv := size
		if i < len(dx) {
			adv = dx[i]
		} else if len(dx) > 0 {
			adv = dx[len(dx)-1]
		}
		gs = append(gs, glyph{x: px, y: py, w: adv * scale, size: size * scale, s: string(r)})
		x += adv
		if i < len(dy) {
			y += dy[i]
		}
		i++
	}
	return gs
}

// deltas expands a DeltaX or DeltaY list, at most max of them: numbers,
// and "g N v" for N copies of v.
func deltas(s string, max int) []float64 {
	f := strings.Fields(s)
	var out []float64
	for i := 0; i < len(f) && len(out) < max; i++ {
		if f[i] == "g" && i+2 < len(f) {
			n, err := strconv.Atoi(f[i+1])
			v := number(f[i+2])
			if err == nil && n > 0 {
				for range min(n, max-len(out)) {
					out = append(out, v)
				}
			}
			i += 2
			continue
		}
		out = append(out, number(f[i]))
	}
	return out
}

// number parses a coordinate; anything else, NaN and infinities are 0.
func number(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

func floats(s string) []float64 {
	var out []float64
	for _, f := range strings.Fields(s) {
		out = append(out, number(f))
	}
	return out
}
