package lexical

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// simplifiedSeeds are the seed files already in simplified script.
var simplifiedSeeds = []string{
	"000_268244c505393083.txt",
	"002_6b19721ce7bbca47.txt",
	"003_3f42d803b2d7e6db.txt",
	"004_4fb8176c685af46a.txt",
}

// paragraph is a blank-line separated paragraph of a seed file, or a piece
// of one that is longer than a chunk.
type paragraph struct {
	id   string // file:index
	file string
	text string
}

var blankLine = regexp.MustCompile(`\n[ \t\r]*\n`)

// Piece sizes in runes, as ingest's default chunking uses.
const (
	pieceTarget = 400
	pieceMax    = 700
)

// splitLong cuts a paragraph longer than pieceMax runes after sentence ends
// into pieces of about pieceTarget runes, so that test documents have the
// size of real chunks rather than of whole multi-page sections.
func splitLong(p string) []string {
	if utf8.RuneCountInString(p) <= pieceMax {
		return []string{p}
	}
	var out []string
	start, runes := 0, 0
	for i, r := range p {
		runes++
		if runes >= pieceTarget && strings.ContainsRune("。！？；!?;\n", r) {
			end := i + utf8.RuneLen(r)
			out = append(out, p[start:end])
			start, runes = end, 0
		}
	}
	if start < len(p) {
		out = append(out, p[start:])
	}
	return out
}

// seedParagraphs returns the paragraphs of the simplified seed files, long
// ones cut to chunk size.
func seedParagraphs(tb testing.TB) []paragraph { return seedText(tb, true) }

// seedText returns the blank-line separated paragraphs of the simplified seed
// files, cut to chunk size when split is set.
func seedText(tb testing.TB, split bool) []paragraph {
	tb.Helper()
	var out []paragraph
	for _, name := range simplifiedSeeds {
		raw, err := os.ReadFile(filepath.Join("..", "seeds", name))
		if err != nil {
			tb.Fatalf("read seed: %v", err)
		}
		s := string(raw)
		prev := 0
		cut := func(end int) {
			pieces := []string{s[prev:end]}
			if split {
				pieces = splitLong(s[prev:end])
			}
			for _, piece := range pieces {
				if text := strings.TrimSpace(piece); text != "" {
					out = append(out, paragraph{id: fmt.Sprintf("%s:%03d", name[:3], len(out)), file: name, text: text})
				}
			}
		}
		for _, loc := range blankLine.FindAllStringIndex(s, -1) {
			cut(loc[0])
			prev = loc[1]
		}
		cut(len(s))
	}
	return out
}

func seedIndex(tb testing.TB, opt Options) (*Index, []paragraph) {
	tb.Helper()
	tk := tokenizer(tb)
	paras := seedParagraphs(tb)
	docs := make([]Doc, len(paras))
	for i, p := range paras {
		docs[i] = Doc{ID: p.id, Terms: tk.Terms(strings.ToLower(p.text))}
	}
	return Build(docs, opt), paras
}

func TestSeedQueries(t *testing.T) {
	tk := tokenizer(t)
	ix, paras := seedIndex(t, Options{})
	byID := make(map[string]paragraph, len(paras))
	for _, p := range paras {
		byID[p.id] = p
	}
	tests := []struct {
		name  string
		query string
		file  string
		holds string
	}{
		{"the district-office query finds the 虎岭 paragraph", "示范区 片区 管理办公室", "000_268244c505393083.txt", "虎岭"},
		{"a question about the county-to-city change finds 1988", "济源是哪一年撤县建市的", "000_268244c505393083.txt", "1988年"},
		{"a question about extending industrial chains finds 延链补链", "有色钢铁化工产业往哪个方向延链补链", "000_268244c505393083.txt", "精细化工"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits := ix.Search(tk.Terms(tt.query), 3)
			if len(hits) == 0 {
				t.Fatalf("Search(%q) found nothing", tt.query)
			}
			got := byID[hits[0].ID]
			if got.file != tt.file || !strings.Contains(got.text, tt.holds) {
				t.Errorf("Search(%q) top hit = %s %.40q, want a paragraph of %s holding %q", tt.query, got.id, got.text, tt.file, tt.holds)
			}
		})
	}
}

// devQuestion is the part of a /work/shared/eval gold line this test needs.
type devQuestion struct {
	ID       string   `json:"id"`
	Kind     string   `json:"kind"`
	Question string   `json:"question"`
	Sources  []string `json:"sources"`
	Evidence []string `json:"evidence"`
}

// devPath is the shared gold question set; the test skips when it is absent
// (it lives outside the module).
const devPath = "/work/shared/eval/dev.jsonl"

type retrievalScore struct {
	n, hit1, hit5 int
	mrr           float64
}

func (s retrievalScore) String() string {
	return fmt.Sprintf("n=%d hit@1=%.2f hit@5=%.2f mrr=%.3f", s.n, float64(s.hit1)/float64(s.n), float64(s.hit5)/float64(s.n), s.mrr/float64(s.n))
}

// scoreDev ranks seed paragraphs for each dev question whose evidence is in a
// simplified seed file and counts how often an evidence paragraph is found.
func scoreDev(t *testing.T, qs []devQuestion, paras []paragraph, ix *Index, terms func(string) []string) retrievalScore {
	t.Helper()
	var s retrievalScore
	for _, q := range qs {
		want := map[string]bool{}
		for _, ev := range q.Evidence {
			for _, p := range paras {
				if strings.Contains(p.text, ev) || strings.Contains(p.text, strings.SplitN(ev, "\n", 2)[0]) {
					want[p.id] = true
				}
			}
		}
		if len(want) == 0 {
			continue
		}
		s.n++
		for rank, h := range ix.Search(terms(q.Question), 10) {
			if want[h.ID] {
				if rank == 0 {
					s.hit1++
				}
				if rank < 5 {
					s.hit5++
				}
				s.mrr += 1 / float64(rank+1)
				break
			}
		}
	}
	return s
}

func loadDev(t *testing.T) []devQuestion {
	t.Helper()
	f, err := os.Open(devPath)
	if err != nil {
		t.Skipf("dev questions not available: %v", err)
	}
	defer f.Close()
	var qs []devQuestion
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var q devQuestion
		if err := json.Unmarshal(sc.Bytes(), &q); err != nil {
			t.Fatalf("parse %s: %v", devPath, err)
		}
		qs = append(qs, q)
	}
	return qs
}

// TestDevQuestionsRetrieval measures paragraph retrieval on the dev questions
// for several term mixes and bigram weights (run with -v to see the table),
// and guards the default configuration against regressions.
func TestDevQuestionsRetrieval(t *testing.T) {
	qs := loadDev(t)
	tk := tokenizer(t)
	for _, split := range []bool{true, false} {
		name := "chunk-sized pieces"
		if !split {
			name = "whole paragraphs"
		}
		t.Run(name, func(t *testing.T) { devRetrieval(t, qs, tk, seedText(t, split)) })
	}
}

func devRetrieval(t *testing.T, qs []devQuestion, tk *Tokenizer, paras []paragraph) {
	all := make([][]string, len(paras))
	for i, p := range paras {
		all[i] = tk.Terms(strings.ToLower(p.text))
	}
	keep := func(terms []string, words, grams bool) []string {
		var out []string
		for _, term := range terms {
			if strings.HasPrefix(term, BigramPrefix) && grams || !strings.HasPrefix(term, BigramPrefix) && words {
				out = append(out, term)
			}
		}
		return out
	}
	build := func(words, grams bool, opt Options) *Index {
		docs := make([]Doc, len(paras))
		for i, p := range paras {
			docs[i] = Doc{ID: p.id, Terms: keep(all[i], words, grams)}
		}
		return Build(docs, opt)
	}
	configs := []struct {
		name         string
		words, grams bool
		opt          Options
	}{
		{"words only", true, false, Options{}},
		{"bigrams only", false, true, Options{}},
		{"both, bigram weight 0.25", true, true, Options{BigramWeight: 0.25}},
		{"both, bigram weight 0.5", true, true, Options{BigramWeight: 0.5}},
		{"both, bigram weight 1 (default)", true, true, Options{}},
		{"both, bigram weight 2", true, true, Options{BigramWeight: 2}},
		{"both, b=0.3", true, true, Options{B: 0.3}},
		{"both, bigram weight 0.5, b=0.3", true, true, Options{B: 0.3, BigramWeight: 0.5}},
		{"both, k1=0.8", true, true, Options{K1: 0.8}},
		{"both, k1=2", true, true, Options{K1: 2}},
	}
	t.Logf("%d documents", len(paras))
	var def retrievalScore
	for _, c := range configs {
		ix := build(c.words, c.grams, c.opt)
		s := scoreDev(t, qs, paras, ix, func(q string) []string { return keep(tk.Terms(strings.ToLower(q)), c.words, c.grams) })
		t.Logf("%-36s %v", c.name, s)
		if c.name == "both, bigram weight 1 (default)" {
			def = s
		}
	}
	if def.n < 10 {
		t.Fatalf("only %d dev questions have evidence in simplified seeds, want at least 10", def.n)
	}
	if got := float64(def.hit5) / float64(def.n); got < 0.7 {
		t.Errorf("default configuration hit@5 = %.2f, want >= 0.70 (%v)", got, def)
	}
}
