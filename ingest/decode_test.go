package ingest

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func utf16Bytes(s string, bigEndian bool) []byte {
	out := []byte{0xFF, 0xFE}
	if bigEndian {
		out = []byte{0xFE, 0xFF}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func gbEncode(t testing.TB, s string, gb18030 bool) []byte {
	t.Helper()
	enc := simplifiedchinese.GBK.NewEncoder()
	if gb18030 {
		enc = simplifiedchinese.GB18030.NewEncoder()
	}
	b, err := enc.Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name     string
		raw      []byte
		text     string
		encoding string
		// orig maps text byte offsets to the original offsets they must give.
		orig map[int]int
	}{
		{"UTF-8 without a byte-order mark maps offsets to themselves",
			[]byte("ab政策"), "ab政策", EncUTF8, map[int]int{0: 0, 2: 2, 5: 5, 8: 8}},
		{"UTF-8 with a byte-order mark drops it and shifts offsets by three",
			append([]byte{0xEF, 0xBB, 0xBF}, "ab政策"...), "ab政策", EncUTF8BOM, map[int]int{0: 3, 2: 5, 5: 8, 8: 11}},
		{"UTF-16LE with a byte-order mark maps every byte of a character to its code unit",
			utf16Bytes("ab政", false), "ab政", EncUTF16LE, map[int]int{0: 2, 1: 4, 2: 6, 3: 6, 4: 6, 5: 8}},
		{"UTF-16BE with a byte-order mark maps every byte of a character to its code unit",
			utf16Bytes("ab政", true), "ab政", EncUTF16BE, map[int]int{0: 2, 1: 4, 2: 6, 4: 6, 5: 8}},
		{"UTF-16LE surrogate pairs map to their first code unit",
			utf16Bytes("𠀀政", false), "𠀀政", EncUTF16LE, map[int]int{0: 2, 3: 2, 4: 6, 7: 8}},
		{"GBK text decodes and maps two-byte characters back",
			gbEncode(t, "政策ab文件", false), "政策ab文件", EncGB18030, map[int]int{0: 0, 3: 2, 5: 2, 6: 4, 7: 5, 8: 6, 11: 8, 14: 10}},
		{"GB18030 four-byte characters decode and map back",
			gbEncode(t, "政𠀀策", true), "政𠀀策", EncGB18030, map[int]int{0: 0, 3: 2, 6: 2, 7: 6, 10: 8}},
		{"empty input is empty UTF-8 text",
			nil, "", EncUTF8, map[int]int{0: 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Decode(tc.raw)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if d.Text != tc.text || d.Encoding != tc.encoding {
				t.Fatalf("got %q as %s, want %q as %s", d.Text, d.Encoding, tc.text, tc.encoding)
			}
			for i, want := range tc.orig {
				if got := d.Orig(i); got != want {
					t.Errorf("Orig(%d): got %d, want %d", i, got, want)
				}
			}
			if got := d.Orig(len(d.Text)); got != len(tc.raw) {
				t.Errorf("Orig(len(Text)): got %d, want the input length %d", got, len(tc.raw))
			}
		})
	}
}

func TestDecodeMapsEveryCharacterBackToItsOriginalBytes(t *testing.T) {
	const text = "河南省人民政府关于印发济源国家产城融合示范区总体方案的通知\n豫政〔2017〕20号"
	tests := []struct {
		name   string
		raw    []byte
		decode func(b []byte) string // decodes one character's original bytes
	}{
		{"GBK", gbEncode(t, text, false), func(b []byte) string {
			s, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
			return string(s)
		}},
		{"UTF-16LE", utf16Bytes(text, false), func(b []byte) string {
			var us []uint16
			for i := 0; i+1 < len(b); i += 2 {
				us = append(us, uint16(b[i])|uint16(b[i+1])<<8)
			}
			return string(utf16.Decode(us))
		}},
		{"UTF-16BE", utf16Bytes(text, true), func(b []byte) string {
			var us []uint16
			for i := 0; i+1 < len(b); i += 2 {
				us = append(us, uint16(b[i])<<8|uint16(b[i+1]))
			}
			return string(utf16.Decode(us))
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name+" characters decode back from their mapped byte ranges", func(t *testing.T) {
			d, err := Decode(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if d.Text != text {
				t.Fatalf("got text %q, want %q", d.Text, text)
			}
			for i, r := range d.Text {
				a, b := d.Orig(i), d.Orig(i+len(string(r)))
				if got := tc.decode(tc.raw[a:b]); got != string(r) {
					t.Errorf("rune %q at text byte %d: original bytes [%d,%d) decode to %q", r, i, a, b, got)
				}
			}
		})
	}
}

func TestDecodeRejectsWhatIsNotText(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00")
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 4096)
	noNUL := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.IntN(256))
		noNUL[i] = byte(1 + rng.IntN(255))
	}
	tests := []struct {
		name string
		raw  []byte
	}{
		{"a PNG header with NUL bytes", png},
		{"random bytes", random},
		{"random bytes without NULs", noNUL},
		{"control characters that are valid UTF-8", []byte("\x01\x02\x03\x04\x05\x06\x07\x08abc")},
		{"UTF-16 of odd length", append(utf16Bytes("政策", false), 'x')},
		{"UTF-16 with a lone surrogate at the end", []byte{0xFF, 0xFE, 0x40, 0xD8}},
		{"UTF-16 holding a NUL character", utf16Bytes("政\x00策", false)},
		{"invalid UTF-8 after a UTF-8 byte-order mark", []byte{0xEF, 0xBB, 0xBF, 0xC3, 0x28}},
		{"Latin-1 text that is neither UTF-8 nor Chinese", []byte("caf\xe9 cr\xe8me br\xfbl\xe9e")},
	}
	for _, tc := range tests {
		t.Run(tc.name+" is not text", func(t *testing.T) {
			d, err := Decode(tc.raw)
			if !errors.Is(err, ErrNotText) {
				t.Errorf("got %v (decoded %+v), want ErrNotText", err, d)
			}
		})
	}
}

func TestDecodeKeepsGoodTextAroundInvalidUTF8(t *testing.T) {
	good := "河南省人民政府关于印发济源国家产城融合示范区总体方案的通知。"
	tests := []struct {
		name     string
		raw      []byte
		text     string
		encoding string
		replaced int
	}{
		{"a stray 0xFF between Chinese sentences becomes one replacement character",
			[]byte(good + "\xff" + good), good + "\uFFFD" + good, EncUTF8, 1},
		{"a truncated character and a run of bad bytes are two sequences",
			[]byte(good + "\xe6\x94" + good + "\x80\x81\xfe" + good), good + "\uFFFD" + good + "\uFFFD" + good, EncUTF8, 2},
		{"ASCII with one bad byte keeps its text",
			[]byte("Policy text, version 2\xff, page one of the plan.\n"), "Policy text, version 2\uFFFD, page one of the plan.\n", EncUTF8, 1},
		{"damaged text after a UTF-8 byte-order mark keeps the mark's encoding",
			append([]byte{0xEF, 0xBB, 0xBF}, good+"\xc3"+good...), good + "\uFFFD" + good, EncUTF8BOM, 1},
		{"a real U+FFFD in valid text is not counted as replaced",
			[]byte(good + "\uFFFD" + good), good + "\uFFFD" + good, EncUTF8, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Decode(tc.raw)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if d.Text != tc.text || d.Encoding != tc.encoding || d.Replaced != tc.replaced {
				t.Fatalf("got %q as %s with %d replaced, want %q as %s with %d", d.Text, d.Encoding, d.Replaced, tc.text, tc.encoding, tc.replaced)
			}
			if got := d.Orig(len(d.Text)); got != len(tc.raw) {
				t.Errorf("Orig(len(Text)): got %d, want the input length %d", got, len(tc.raw))
			}
			// Every good character maps back to exactly its original bytes.
			for i, r := range d.Text {
				a, b := d.Orig(i), d.Orig(i+len(string(r)))
				if r == utf8.RuneError {
					if utf8.Valid(tc.raw[a:b]) && tc.replaced > 0 {
						t.Errorf("replacement at text byte %d maps to valid bytes %q", i, tc.raw[a:b])
					}
					continue
				}
				if got := string(tc.raw[a:b]); got != string(r) {
					t.Errorf("rune %q at text byte %d: original bytes [%d,%d) are %q", r, i, a, b, got)
				}
			}
			if warned := len(d.Warnings()) > 0; warned != (tc.replaced > 0) {
				t.Errorf("got warnings %q with %d replaced", d.Warnings(), tc.replaced)
			}
		})
	}
}

func TestDecodeDoesNotTakeGBKForDamagedUTF8(t *testing.T) {
	seeds, err := filepath.Glob(filepath.Join("..", "seeds", "*.txt"))
	if err != nil || len(seeds) == 0 {
		t.Fatalf("no seed files: %v", err)
	}
	for _, path := range seeds {
		t.Run(filepath.Base(path)+" encoded as GB18030 decodes as GB18030 with nothing replaced", func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			d, err := Decode(gbEncode(t, string(raw), true))
			if err != nil {
				t.Fatal(err)
			}
			if d.Encoding != EncGB18030 || d.Replaced != 0 || d.Text != string(raw) {
				t.Errorf("got %s with %d replaced, want the text as GB18030", d.Encoding, d.Replaced)
			}
		})
	}
}
