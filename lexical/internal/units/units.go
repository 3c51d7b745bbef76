// Package units splits text into gse's segmentation units, shared by the
// dictionary generator and the segmenter so both cut words the same way.
package units

import (
	"unicode"
	"unicode/utf8"
)

// Bounds appends to b the byte offsets where gse's units of text start,
// followed by len(text). A maximal run of letters or digits encoded in one or
// two bytes is one unit; every other character is a unit of its own.
func Bounds(b []int, text string) []int {
	inRun := false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if size <= 2 && (unicode.IsLetter(r) || unicode.IsNumber(r)) {
			if !inRun {
				b = append(b, i)
				inRun = true
			}
		} else {
			b = append(b, i)
			inRun = false
		}
		i += size
	}
	return append(b, len(text))
}

// Split returns the units of text, ASCII letters lower-cased.
func Split(text string) []string {
	b := Bounds(nil, text)
	out := make([]string, 0, len(b)-1)
	for i := 0; i+1 < len(b); i++ {
		out = append(out, Lower(text[b[i]:b[i+1]]))
	}
	return out
}

// Lower lower-cases the ASCII letters of s.
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
