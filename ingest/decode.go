package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// ErrNotText reports a file that does not decode as text in any supported
// encoding (binary data, scanned images, unknown encodings).
var ErrNotText = errors.New("not a text file")

// Encodings reported by Decode.
const (
	EncUTF8    = "utf-8"
	EncUTF8BOM = "utf-8-bom"
	EncUTF16LE = "utf-16le"
	EncUTF16BE = "utf-16be"
	EncGB18030 = "gb18030"
)

// Decoded is a file's text as UTF-8 together with, for every byte of Text,
// the offset of the original file byte it came from, so positions found in
// the text map back to the exact bytes of the file.
type Decoded struct {
	Text     string
	Encoding string
	// Replaced counts the invalid byte sequences of otherwise good UTF-8
	// text that were replaced by U+FFFD (a run of bad bytes is one).
	Replaced int
	off      []int32 // off[i] = original offset of Text[i]; off[len(Text)] = len(raw)
	shift    int     // used instead of off when the text is the raw bytes shifted (UTF-8)
}

// Warnings describes what decoding had to repair, for the ingest summary.
func (d *Decoded) Warnings() []string {
	if d.Replaced == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%d invalid byte sequences replaced with U+FFFD", d.Replaced)}
}

// Orig returns the original byte offset of text byte i (0 ≤ i ≤ len(Text)).
func (d *Decoded) Orig(i int) int {
	if d.off == nil {
		return i + d.shift
	}
	return int(d.off[i])
}

// Decode detects the encoding of raw and decodes it: UTF-8 with or without a
// byte-order mark, UTF-16 with a byte-order mark, and GB18030 (a superset of
// GBK and GB2312). UTF-8 text with a few invalid byte sequences (a damaged
// copy, a truncated character) keeps its good text: each bad sequence
// becomes U+FFFD, counted in Replaced, and offsets still map to the exact
// original bytes. Data with NUL bytes or that is not valid in any of them
// gives ErrNotText.
func Decode(raw []byte) (*Decoded, error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		body := raw[3:]
		if bytes.IndexByte(body, 0) >= 0 {
			return nil, fmt.Errorf("%w: NUL bytes after a UTF-8 byte-order mark", ErrNotText)
		}
		if !utf8.Valid(body) {
			d := decodeUTF8Lossy(body, 3)
			if !mostlyPrintable(d.Text) {
				return nil, fmt.Errorf("%w: invalid UTF-8 after a UTF-8 byte-order mark", ErrNotText)
			}
			d.Encoding = EncUTF8BOM
			return d, nil
		}
		return &Decoded{Text: string(body), Encoding: EncUTF8BOM, shift: 3}, nil
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}):
		return decodeUTF16(raw[2:], false)
	case bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		return decodeUTF16(raw[2:], true)
	}
	if bytes.IndexByte(raw, 0) >= 0 {
		return nil, fmt.Errorf("%w: it holds NUL bytes", ErrNotText)
	}
	if utf8.Valid(raw) {
		if !mostlyPrintable(string(raw)) {
			return nil, fmt.Errorf("%w: mostly control characters", ErrNotText)
		}
		return &Decoded{Text: string(raw), Encoding: EncUTF8}, nil
	}
	// Not valid UTF-8: text that is almost all UTF-8 is UTF-8 with damage
	// (GBK text rarely forms valid UTF-8 sequences, and UTF-8 Chinese often
	// decodes as GB18030 nonsense, so this is asked first); otherwise
	// GB18030; otherwise UTF-8 with damage if little of it is damaged.
	if valid, bad := utf8Runs(raw); bad*10 < valid {
		d := decodeUTF8Lossy(raw, 0)
		if mostlyPrintable(d.Text) {
			return d, nil
		}
	}
	d, err := decodeGB18030(raw)
	if err == nil {
		return d, nil
	}
	if lossy := decodeUTF8Lossy(raw, 0); mostlyPrintable(lossy.Text) {
		return lossy, nil
	}
	return nil, err
}

// utf8Runs counts the valid multi-byte UTF-8 characters of b and its runs
// of invalid bytes.
func utf8Runs(b []byte) (valid, bad int) {
	inBad := false
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			if !inBad {
				bad++
			}
			inBad = true
		case n > 1:
			valid++
			inBad = false
		default:
			inBad = false
		}
		i += n
	}
	return valid, bad
}

// decodeUTF8Lossy decodes b as UTF-8, replacing each run of invalid bytes
// with one U+FFFD. base is the offset of b in the original file. Every text
// byte maps to the original byte it came from; the three bytes of a
// replacement map to the first bad byte of its run.
func decodeUTF8Lossy(b []byte, base int) *Decoded {
	sb := make([]byte, 0, len(b)+16)
	off := make([]int32, 0, len(b)+17)
	d := &Decoded{Encoding: EncUTF8}
	inBad := false
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			if !inBad {
				d.Replaced++
				sb = utf8.AppendRune(sb, utf8.RuneError)
				for range utf8.RuneLen(utf8.RuneError) {
					off = append(off, int32(base+i))
				}
			}
			inBad = true
			i++
			continue
		}
		inBad = false
		for k := range n {
			off = append(off, int32(base+i+k))
		}
		sb = append(sb, b[i:i+n]...)
		i += n
	}
	off = append(off, int32(base+len(b)))
	d.Text, d.off = string(sb), off
	return d
}

func decodeUTF16(b []byte, bigEndian bool) (*Decoded, error) {
	if len(b)%2 != 0 {
		return nil, fmt.Errorf("%w: odd length for UTF-16", ErrNotText)
	}
	enc := EncUTF16LE
	if bigEndian {
		enc = EncUTF16BE
	}
	var sb []byte
	var off []int32
	for i := 0; i < len(b); {
		u := func(j int) uint16 {
			if bigEndian {
				return uint16(b[j])<<8 | uint16(b[j+1])
			}
			return uint16(b[j+1])<<8 | uint16(b[j])
		}
		c := u(i)
		r, n := rune(c), 2
		if utf16.IsSurrogate(r) {
			if i+4 > len(b) {
				return nil, fmt.Errorf("%w: truncated UTF-16 surrogate pair at byte %d", ErrNotText, i+2)
			}
			r = utf16.DecodeRune(r, rune(u(i+2)))
			n = 4
			if r == utf8.RuneError {
				return nil, fmt.Errorf("%w: bad UTF-16 surrogate pair at byte %d", ErrNotText, i+2)
			}
		}
		if r == 0 {
			return nil, fmt.Errorf("%w: NUL character in UTF-16 text", ErrNotText)
		}
		before := len(sb)
		sb = utf8.AppendRune(sb, r)
		for k := before; k < len(sb); k++ {
			off = append(off, int32(i+2))
		}
		i += n
	}
	off = append(off, int32(len(b)+2))
	text := string(sb)
	if !mostlyPrintable(text) {
		return nil, fmt.Errorf("%w: mostly control characters", ErrNotText)
	}
	return &Decoded{Text: text, Encoding: enc, off: off}, nil
}

// decodeGB18030 decodes character by character so every output byte keeps
// the offset of the original character it came from.
func decodeGB18030(raw []byte) (*Decoded, error) {
	dec := simplifiedchinese.GB18030.NewDecoder()
	var sb []byte
	var off []int32
	buf := make([]byte, 8)
	for i := 0; i < len(raw); {
		n := gbCharLen(raw[i:])
		if n == 0 {
			return nil, fmt.Errorf("%w: not UTF-8, and byte %d is not valid GB18030", ErrNotText, i)
		}
		m, _, err := dec.Transform(buf, raw[i:i+n], true)
		dec.Reset()
		if err != nil || m == 0 {
			return nil, fmt.Errorf("%w: not UTF-8, and byte %d is not valid GB18030", ErrNotText, i)
		}
		if r, _ := utf8.DecodeRune(buf[:m]); r == utf8.RuneError {
			return nil, fmt.Errorf("%w: not UTF-8, and byte %d is not valid GB18030", ErrNotText, i)
		}
		sb = append(sb, buf[:m]...)
		for k := 0; k < m; k++ {
			off = append(off, int32(i))
		}
		i += n
	}
	off = append(off, int32(len(raw)))
	text := string(sb)
	if !mostlyPrintable(text) || !mostlyHan(text) {
		return nil, fmt.Errorf("%w: not UTF-8, and as GB18030 it is not Chinese text", ErrNotText)
	}
	return &Decoded{Text: text, Encoding: EncGB18030, off: off}, nil
}

// gbCharLen returns the byte length of the GB18030 character starting b, or
// 0 if b does not start a valid one.
func gbCharLen(b []byte) int {
	c := b[0]
	switch {
	case c < 0x80:
		return 1
	case c == 0x80 || c == 0xFF:
		return 0
	case len(b) < 2:
		return 0
	case b[1] >= 0x30 && b[1] <= 0x39:
		if len(b) < 4 || b[2] < 0x81 || b[2] > 0xFE || b[3] < 0x30 || b[3] > 0x39 {
			return 0
		}
		return 4
	case b[1] >= 0x40 && b[1] <= 0xFE && b[1] != 0x7F:
		return 2
	}
	return 0
}

func mostlyPrintable(s string) bool {
	var bad, total int
	for _, r := range s {
		total++
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' || r == utf8.RuneError {
			bad++
		}
	}
	return total == 0 || bad*20 < total
}

// mostlyHan guards against decoding arbitrary binary data as GB18030: real
// Chinese text has many Han characters.
func mostlyHan(s string) bool {
	var han, other int
	for _, r := range s {
		switch {
		case isHan(r):
			han++
		case r > 0x7F:
			other++
		}
	}
	return han > 0 && other*2 < han
}
