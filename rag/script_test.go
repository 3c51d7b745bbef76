package rag

import (
	"sync"
	"testing"
)

func TestSimplifierConvertsTraditionalWordByWord(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"髮 and 發 both become 发 by word", "理髮店發放補貼，頭髮和發展。", "理发店发放补贴，头发和发展。"},
		{"後 becomes 后", "今後幾年，後續工作。", "今后几年，后续工作。"},
		{"乾 becomes 干 in words of dryness but stays in 乾隆", "乾隆年間，乾燥的天氣，幹部。", "乾隆年间，干燥的天气，干部。"},
		{"著 becomes 着 as a particle and in 着力 but stays in words read zhù", "隨著經濟發展，著力推進，意味著顯著提高，著名的著作。", "随着经济发展，着力推进，意味着显著提高，著名的著作。"},
		{"裡 becomes 里", "在這裡，城裡和鄉裡。", "在这里，城里和乡里。"},
		{"製 becomes 制", "製造業，製定方案。", "制造业，制定方案。"},
		{"figures and citation markers are kept", "進出口總值完成135億元,居全省第5位。[2]", "进出口总值完成135亿元,居全省第5位。[2]"},
	}
	var s simplifier
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed, err := s.convert(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || !changed {
				t.Errorf("got %q (changed %v), want %q (changed true)", got, changed, tt.want)
			}
		})
	}
}

func TestSimplifierLeavesSimplifiedSentencesAlone(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"a simplified sentence is kept and loads no dictionary", "1988年撤县建市。[1]", "1988年撤县建市。[1]"},
		{"a simplified line is kept byte for byte beside a converted one", "1988年撤县建市。[1]\n進出口總值完成135億元。[2]", "1988年撤县建市。[1]\n进出口总值完成135亿元。[2]"},
		{"a simplified sentence holding 著 is kept as written", "他一直过著轻松的生活。[1]", "他一直过著轻松的生活。[1]"},
	}
	var s simplifier
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := s.convert(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if i == 0 && s.cc != nil {
				t.Errorf("got the dictionaries loaded for simplified text, want them loaded only for traditional text")
			}
		})
	}
}

func TestSimplifierReportsNoChangeWhenNothingDiffers(t *testing.T) {
	var s simplifier
	// 著名 holds a character the fold table calls traditional (著), but
	// the word is the same in both scripts.
	got, changed, err := s.convert("著名的作品。")
	if err != nil {
		t.Fatal(err)
	}
	if got != "著名的作品。" || changed {
		t.Errorf("got %q (changed %v), want the text unchanged and changed false", got, changed)
	}
}

func TestSimplifierLoadsOnceUnderConcurrentUse(t *testing.T) {
	var s simplifier
	const want = "进出口总值完成135亿元,居全省第5位。[2]\n农村居民人均可支配收入达18446元,居全省第2位,增长8.9%。[1]"
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Go(func() { got[i], _, _ = s.convert(answer001) })
	}
	wg.Wait()
	for i, g := range got {
		if g != want {
			t.Errorf("goroutine %d: got %q, want %q", i, g, want)
		}
	}
}

// answer001 is an extractive answer quoting the traditional-script seed.
const answer001 = "進出口總值完成135億元,居全省第5位。[2]\n農村居民人均可支配收入達18446元,居全省第2位,增長8.9%。[1]"

// BenchmarkSimplifierFirstUse is what a one-shot `policybot ask` pays for
// a traditional-script answer: loading the dictionaries and one conversion.
func BenchmarkSimplifierFirstUse(b *testing.B) {
	for b.Loop() {
		var s simplifier
		if _, _, err := s.convert(answer001); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSimplifierConvert(b *testing.B) {
	var s simplifier
	for b.Loop() {
		if _, _, err := s.convert(answer001); err != nil {
			b.Fatal(err)
		}
	}
}
