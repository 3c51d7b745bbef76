package fold

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// mixedText returns about 10 KB of realistic input: traditional text with
// pinyin annotations, simplified text, and a line of ASCII and full-width
// forms, as the corpus mixes them.
func mixedText(tb testing.TB) string {
	tb.Helper()
	var sb strings.Builder
	for _, name := range []string{"../seeds/001_44e69a047cd4008f.txt", "../seeds/000_268244c505393083.txt"} {
		b, err := os.ReadFile(name)
		if err != nil {
			tb.Fatalf("read seed: %v", err)
		}
		sb.WriteString(runePrefix(string(b), 4800))
		sb.WriteString("\n")
	}
	sb.WriteString("GDP增长８．３％，ＣＰＩ上涨2.1%　Total Investment (2019): 641.8 亿元\n")
	return sb.String()
}

// runePrefix returns the longest prefix of s within n bytes that does not
// cut a rune.
func runePrefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func BenchmarkString(b *testing.B) {
	s := mixedText(b)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		String(s)
	}
}

func BenchmarkStringAlreadyFolded(b *testing.B) {
	s := String(mixedText(b))
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		String(s)
	}
}
