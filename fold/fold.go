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
// database (field kSimplifiedVariant) by internal/gen/foldtable; where
// Unihan lists several simplified forms, the first is used, and characters
// whose first listed form is themselves (乾, 復's siblings and the like) are
// left unchanged. Conversion is per character, not per word, so it cannot
// undo many-to-one merges (髮 and 發 both become 发); that is intended for
// matching.
package fold

//go:generate go run ../internal/gen/foldtable -o table.go

import (
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

	b := make([]byte, i, len(s)+len(s)/8)
	copy(b, s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		b = utf8.AppendRune(b, Rune(r))
		i += size
	}
	return string(b)
}

// lookup returns the simplified form of r from the generated table.
func lookup(r rune) (rune, bool) {
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
