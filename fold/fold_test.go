package fold

import (
	"cmp"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRune(t *testing.T) {
	tests := []struct {
		name string
		in   rune
		want rune
	}{
		{"traditional 濟 becomes 济", '濟', '济'},
		{"traditional 報 becomes 报", '報', '报'},
		{"traditional 會 becomes 会", '會', '会'},
		{"traditional 發 becomes 发", '發', '发'},
		{"traditional 億 becomes 亿", '億', '亿'},
		{"traditional 產 becomes 产", '產', '产'},
		{"print variant 産 from the supplement becomes 产", '産', '产'},
		{"traditional 區 becomes 区", '區', '区'},
		{"traditional 經 becomes 经", '經', '经'},
		{"chained 薴 becomes the final form 苎", '薴', '苎'},
		{"乾 whose first listed variant is itself stays 乾", '乾', '乾'},
		{"著 listed as 着 first becomes 着", '著', '着'},
		{"Hong Kong form 綫 from the supplement becomes 线", '綫', '线'},
		{"simplified 济 stays", '济', '济'},
		{"simplified 发 stays", '发', '发'},
		{"simplified 亿 stays", '亿', '亿'},
		{"full-width digit １ becomes 1", '１', '1'},
		{"full-width letter Ａ becomes lower-case a", 'Ａ', 'a'},
		{"full-width letter ｚ becomes z", 'ｚ', 'z'},
		{"full-width comma becomes ,", '，', ','},
		{"full-width ！ (first of the block) becomes !", '！', '!'},
		{"full-width ～ (last of the block) becomes ~", '～', '~'},
		{"ideographic space becomes an ASCII space", '\u3000', ' '},
		{"ASCII Q becomes q", 'Q', 'q'},
		{"ASCII digit stays", '7', '7'},
		{"Latin À becomes à", 'À', 'à'},
		{"Latin Ǎ with caron becomes ǎ", 'Ǎ', 'ǎ'},
		{"pinyin ā stays", 'ā', 'ā'},
		{"Greek Σ is not Latin and stays", 'Σ', 'Σ'},
		{"Chinese punctuation 。 stays", '。', '。'},
		{"replacement character stays", utf8.RuneError, utf8.RuneError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Rune(tt.in); got != tt.want {
				t.Errorf("Rune(%q) = %q (%U), want %q (%U)", tt.in, got, got, tt.want, tt.want)
			}
		})
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"a traditional place name becomes simplified", "濟源", "济源"},
		{"a traditional sentence becomes simplified", "經濟發展報告", "经济发展报告"},
		{"simplified text is unchanged", "济源市人民政府工作报告", "济源市人民政府工作报告"},
		{"full-width digits, letters and punctuation become ASCII", "１２３ＡＢＣ，（）％", "123abc,()%"},
		{"ideographic spaces become ASCII spaces", "标\u3000\u3000题", "标  题"},
		{"ASCII upper case becomes lower case", "GDP Growth", "gdp growth"},
		{"mixed text folds every kind at once", "２０１８年ＧＤＰ增長8.3%", "2018年gdp增长8.3%"},
		{"pinyin annotations keep their tone marks", "報(Bào)告", "报(bào)告"},
		{"each invalid byte becomes one U+FFFD", "a\xff\xfeb", "a\uFFFD\uFFFDb"},
		{"a rune cut at the end becomes U+FFFD per byte", "报\xe5\x91", "报\uFFFD\uFFFD"},
		{"empty input stays empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := String(tt.in)
			if got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if g, w := utf8.RuneCountInString(got), utf8.RuneCountInString(tt.in); g != w {
				t.Errorf("String(%q) has %d runes, want %d", tt.in, g, w)
			}
		})
	}
}

func TestStringDoesNotAllocateWhenNothingFolds(t *testing.T) {
	s := strings.Repeat("济源市2019年政府工作报告, gdp 8.3%。", 20)
	var got string
	allocs := testing.AllocsPerRun(100, func() { got = String(s) })
	if got != s {
		t.Fatalf("String changed already-folded text: got %q, want %q", got, s)
	}
	if allocs != 0 {
		t.Errorf("String of already-folded text made %v allocations, want 0", allocs)
	}
}

func TestIsTraditional(t *testing.T) {
	tests := []struct {
		name string
		in   rune
		want bool
	}{
		{"濟 is traditional", '濟', true},
		{"産 from the supplement is traditional", '産', true},
		{"济 is not", '济', false},
		{"乾 whose first variant is itself is not", '乾', false},
		{"a full-width letter is not", 'Ａ', false},
		{"ASCII is not", 'A', false},
		{"a rune past the table is not", 0x10FFFF, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsTraditional(tt.in); got != tt.want {
				t.Errorf("IsTraditional(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestTableIsSortedAndIdempotent(t *testing.T) {
	if len(simplified) < 5000 {
		t.Fatalf("table has %d mappings, want the full Unihan set (over 5000)", len(simplified))
	}
	for i, p := range simplified {
		if i > 0 && simplified[i-1][0] >= p[0] {
			t.Fatalf("table not strictly sorted at %d: %U then %U", i, simplified[i-1][0], p[0])
		}
		from, to := rune(p[0]), rune(p[1])
		if from == to {
			t.Errorf("identity mapping for %U", from)
		}
		if got := Rune(from); got != to {
			t.Errorf("Rune(%U) = %U, want table value %U", from, got, to)
		}
		if IsTraditional(to) {
			t.Errorf("%U → %U, but %U maps on again; folding would not be idempotent", from, to, to)
		}
	}
}

func TestStringFoldsTraditionalSeedToSimplified(t *testing.T) {
	b, err := os.ReadFile("../seeds/001_44e69a047cd4008f.txt")
	if err != nil {
		t.Fatalf("read seed: %v", err)
	}
	tests := []struct {
		name  string
		in    string
		words []string
	}{
		// 3000 bytes may cut a rune in half; String must cope.
		{"the first 3000 bytes read as simplified text", string(b[:3000]),
			[]string{"报告", "济源", "会议", "发展", "经济", "增长", "亿元", "项目", "工业", "落实"}},
		{"the whole file reads as simplified text", string(b),
			[]string{"报告", "济源", "会议", "发展", "经济", "增长", "亿元", "项目", "工业", "实现"}},
	}
	// The seed annotates some characters with pinyin, 報(bào)告; drop those
	// to read the text as a simplified reader would.
	pinyin := regexp.MustCompile(`\(\p{Latin}+\)`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := String(tt.in)
			if g, w := utf8.RuneCountInString(got), utf8.RuneCountInString(tt.in); g != w {
				t.Fatalf("folded seed has %d runes, want %d", g, w)
			}
			plain := pinyin.ReplaceAllString(got, "")
			for _, word := range tt.words {
				if !strings.Contains(plain, word) {
					t.Errorf("folded seed lacks %q", word)
				}
			}
			for i, r := range []rune(got) {
				if IsTraditional(r) {
					t.Errorf("folded seed rune %d is still traditional: %q", i, r)
				}
			}
		})
	}
}

func FuzzStringPreservesRuneCount(f *testing.F) {
	for _, s := range []string{
		"", "濟源", "１２３ＡＢＣ，（）％", "\u3000", "GDP", "a\xffb", "报\xe5\x91", "報(bào)告", "產産乾",
		"\xed\xa0\x80", // an encoded surrogate, invalid UTF-8
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got := String(in)
		if g, w := utf8.RuneCountInString(got), utf8.RuneCountInString(in); g != w {
			t.Fatalf("String(%q) = %q has %d runes, want %d", in, got, g, w)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("String(%q) = %q is not valid UTF-8", in, got)
		}
		gotRunes := []rune(got)
		i := 0
		for _, r := range in {
			if want := Rune(r); gotRunes[i] != want {
				t.Fatalf("String(%q) rune %d = %q, want Rune(%q) = %q", in, i, gotRunes[i], r, want)
			}
			i++
		}
		if again := String(got); again != got {
			t.Fatalf("String is not idempotent: String(%q) = %q", got, again)
		}
	})
}

func TestLookupAgreesWithBinarySearchInDenseRange(t *testing.T) {
	for r := rune(denseLo); r <= denseHi; r++ {
		i, found := slices.BinarySearchFunc(simplified[:], uint32(r), func(p [2]uint32, k uint32) int { return cmp.Compare(p[0], k) })
		got, ok := lookup(r)
		if ok != found || found && got != rune(simplified[i][1]) {
			t.Fatalf("lookup(%U) = %U, %v; want table entry found=%v", r, got, ok, found)
		}
	}
}
