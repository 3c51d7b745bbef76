package lexical

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

// sharedTokenizer loads the gse dictionary once for the whole test binary.
var sharedTokenizer = sync.OnceValues(NewTokenizer)

func tokenizer(tb testing.TB) *Tokenizer {
	tb.Helper()
	tk, err := sharedTokenizer()
	if err != nil {
		tb.Fatalf("NewTokenizer: %v", err)
	}
	return tk
}

func TestWords(t *testing.T) {
	tk := tokenizer(t)
	tests := []struct {
		name    string
		text    string
		want    []string // must all be present
		without []string // must all be absent
	}{
		{
			name: "a policy phrase splits into dictionary words and sub-words",
			text: "济源产城融合示范区机构改革",
			want: []string{"济源", "融合", "示范区", "示范", "机构", "改革"},
		},
		{
			name:    "single characters gse cannot place are joined into one word",
			text:    "设立虎岭高新技术产业开发区",
			want:    []string{"虎岭", "高新技术", "高新", "技术", "开发区"},
			without: []string{"虎", "岭"},
		},
		{
			name:    "question words and function words are dropped",
			text:    "示范区下面有哪些片区管理办公室？是什么时候设的呢，哪一年",
			want:    []string{"示范区", "片区", "办公室"},
			without: []string{"哪些", "什么", "有", "是", "的", "呢", "？", "哪一年", "一年"},
		},
		{
			name:    "numbers keep their decimal point and percent sign",
			text:    "2018年全市生产总值增长8.5%",
			want:    []string{"2018", "全市", "生产总值", "增长", "8.5%"},
			without: []string{"8", "5", "5%", "年", "2018年"},
		},
		{
			name:    "ascii words are lower-cased and thousands separators dropped",
			text:    "GDP达到1,000亿元，CPI上涨2.1%",
			want:    []string{"gdp", "1000", "亿元", "cpi", "2.1%"},
			without: []string{"GDP", "1", "000"},
		},
		{
			name:    "punctuation and spaces yield no words",
			text:    " ，。、；：“”（）《》—— \n\t",
			without: []string{"，", " ", "（"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tk.Words(tt.text)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Words(%q) = %q, want it to contain %q", tt.text, got, w)
				}
			}
			for _, w := range tt.without {
				if slices.Contains(got, w) {
					t.Errorf("Words(%q) = %q, want no %q", tt.text, got, w)
				}
			}
		})
	}
}

func TestWordsExactSegmentation(t *testing.T) {
	tk := tokenizer(t)
	got := tk.Words("济源产城融合示范区机构改革")
	want := []string{"济源", "产城", "融合", "示范", "示范区", "机构", "改革"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}

func TestTerms(t *testing.T) {
	tk := tokenizer(t)
	tests := []struct {
		name    string
		text    string
		want    []string
		without []string
	}{
		{
			name: "terms hold the words and every bigram of the CJK run",
			text: "济源产城融合示范区机构改革",
			want: []string{"济源", "示范区", "改革",
				"~济源", "~源产", "~产城", "~城融", "~融合", "~合示", "~示范", "~范区", "~区机", "~机构", "~构改", "~改革"},
		},
		{
			name:    "bigrams do not cross numbers or punctuation",
			text:    "2018年，全市，增长8.5%",
			want:    []string{"2018", "8.5%", "~全市", "~增长", "~年"},
			without: []string{"~年全", "~市增"},
		},
		{
			name:    "bigrams with a function character or equal to a stopword are skipped",
			text:    "设了几个片区分别管理",
			want:    []string{"~片区", "~管理"},
			without: []string{"~设了", "~了几", "~几个", "~个片", "~分别"},
		},
		{
			name: "a lone character is indexed so one-character queries match",
			text: "税",
			want: []string{"~税"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tk.Terms(tt.text)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("Terms(%q) = %q, want it to contain %q", tt.text, got, w)
				}
			}
			for _, w := range tt.without {
				if slices.Contains(got, w) {
					t.Errorf("Terms(%q) = %q, want no %q", tt.text, got, w)
				}
			}
		})
	}
}

func TestTermsStartWithWords(t *testing.T) {
	tk := tokenizer(t)
	text := "中国共产党济源产城融合示范区工作委员会2019年8月31日挂牌"
	words, terms := tk.Words(text), tk.Terms(text)
	if !slices.Equal(terms[:len(words)], words) {
		t.Errorf("Terms prefix = %q, want Words %q", terms[:len(words)], words)
	}
	for _, term := range terms[len(words):] {
		if !strings.HasPrefix(term, BigramPrefix) {
			t.Errorf("term %q after the words has no bigram prefix", term)
		}
	}
}

func TestAlnumToken(t *testing.T) {
	tests := []struct {
		in       string
		want     string
		consumed int
	}{
		{"2018年", "2018", 4},
		{"8.5%的", "8.5%", 4},
		{"8.5。", "8.5", 3},
		{"2019.", "2019", 4},
		{"1,000万", "1000", 5},
		{"1,00万", "1", 1},
		{"3,5", "3", 1},
		{"GDP", "gdp", 3},
		{"5G网络", "5g", 2},
		{"v1.2.3 ", "v1.2.3", 6},
		{"100%%", "100%", 4},
	}
	for _, tt := range tests {
		t.Run("token at the start of "+tt.in, func(t *testing.T) {
			got, n := alnumToken(tt.in)
			if got != tt.want || n != tt.consumed {
				t.Errorf("alnumToken(%q) = %q, %d, want %q, %d", tt.in, got, n, tt.want, tt.consumed)
			}
		})
	}
}

func TestTokenizerConcurrentUse(t *testing.T) {
	tk := tokenizer(t)
	paras := seedParagraphs(t)
	want := make([][]string, len(paras))
	for i, p := range paras {
		want[i] = tk.Terms(p.text)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, p := range paras {
				if got := tk.Terms(p.text); !slices.Equal(got, want[i]) {
					errs <- p.id
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for id := range errs {
		t.Errorf("concurrent Terms of paragraph %s differs from serial result", id)
	}
}
