// Package fold folds text for matching: traditional Chinese characters
// become simplified, full-width ASCII forms (U+FF01–U+FF5E) become their
// ASCII counterparts, the ideographic space U+3000 becomes ' ', and ASCII
// and other Latin letters become lower case.
//
// Folding always maps exactly one rune to one rune, so a folded string has
// as many runes as its input and a rune index in one is a rune index in the
// other; callers rely on this to map match positions in folded text back to
// the display text. Byte lengths may differ.
//
// The traditional → simplified table is generated from the Unicode Han
// database (field kSimplifiedVariant) by internal/gen/foldtable, plus a small
// hand-written supplement of variant forms Unihan lacks (産, 綫, 衆, ...).
// Where Unihan lists several simplified forms, the first is used: 著 (listed
// as 着 著) becomes 着 and 覆 becomes 复 even though they are also valid
// simplified characters, which is harmless when both sides of a match are
// folded; a character whose first listed form is itself, such as 乾 (乾 干),
// is left unchanged. Conversion is per character, not per word, so distinct
// words can fold together (髮 and 發 both become 发); that is intended for
// matching, not for display.
package fold

//go:generate go run ../internal/gen/foldtable -o table.go

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Rune returns the folded form of r.
func Rune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}
	switch {
	case r == '\u3000':
		return ' '
	case '\uFF01' <= r && r <= '\uFF5E':
		r -= 0xFF01 - '!'
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	if s, ok := lookup(r); ok {
		return s
	}
	if '\u4E00' <= r && r <= '\u9FFF' {
		return r // common CJK ideograph that is already simplified
	}
	if unicode.Is(unicode.Latin, r) {
		return unicode.ToLower(r)
	}
	return r
}

// IsTraditional reports whether r has a simplified form different from r
// in the built-in table.
func IsTraditional(r rune) bool {
	_, ok := lookup(r)
	return ok
}

// String returns s with every rune folded by Rune. Invalid UTF-8 bytes each
// become U+FFFD, one rune per byte, matching how range and
// utf8.RuneCountInString count them, so the rune count is preserved.
// If nothing changes, s itself is returned without allocating.
func String(s string) string {
	// Find the first byte that may fold to something else.
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || Rune(r) != r {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}

	var b strings.Builder
	b.Grow(len(s) + len(s)/8) // simplified forms outside the BMP take 4 bytes
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(Rune(r))
		i += size
	}
	return b.String()
}

// denseLo and denseHi bound the CJK blocks (Extension A and Unified
// Ideographs) that hold nearly all traditional characters in real text.
const denseLo, denseHi = 0x3400, 0x9FFF

// denseIndex maps r-denseLo, for r in [denseLo, denseHi], to 1 + the index
// of r in simplified, or 0 if r has no entry. It turns the common lookup
// into one load; built once on first use (55 KB) and never modified.
var denseIndex = sync.OnceValue(func() []uint16 {
	idx := make([]uint16, denseHi-denseLo+1)
	for i, p := range simplified {
		if denseLo <= p[0] && p[0] <= denseHi {
			idx[p[0]-denseLo] = uint16(i + 1)
		}
	}
	return idx
})

// lookup returns the simplified form of r from the generated table.
func lookup(r rune) (rune, bool) {
	if denseLo <= r && r <= denseHi {
		if i := denseIndex()[r-denseLo]; i != 0 {
			return rune(simplified[i-1][1]), true
		}
		return 0, false
	}
	const n = len(simplified)
	if r < rune(simplified[0][0]) || r > rune(simplified[n-1][0]) {
		return 0, false
	}
	u := uint32(r)
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if simplified[m][0] < u {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < n && simplified[lo][0] == u {
		return rune(simplified[lo][1]), true
	}
	return 0, false
}
