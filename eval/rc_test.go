package eval

// This file guards the reading-comprehension stand-in under testdata/rc: a
// 12-article encyclopedic corpus (simplified and traditional script, in the
// style of CMRC 2018 and DRCD) and its gold questions. The questions file is
// named questions.rc, not *.jsonl, because TestHeldoutGoldFilesAreWellFormed
// walks testdata recursively and checks every *.jsonl against ../seeds. Each
// line is validated here with the same rules (heldoutParseLines,
// heldoutProblems), but against testdata/rc/corpus.
//
// Helpers carry an "rc" prefix because other files of package eval are
// written by other people.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

const (
	// rcCorpusDir holds the articles that the rc questions cite.
	rcCorpusDir = "testdata/rc/corpus"
	// rcQuestionsFile is the gold file for the rc corpus (JSONL content).
	rcQuestionsFile = "testdata/rc/questions.rc"
	// rcMinArticle and rcMaxArticle bound an article's length, in characters.
	rcMinArticle = 300
	rcMaxArticle = 900
)

// rcTraditionalOnly lists common characters that exist only in traditional
// script; a question holding one was not written in simplified script.
const rcTraditionalOnly = "臺灣們這個為說時國與會發來後對學經書長門車東見關開戰術誰裡麼貓華達際區紀歷"

// rcWantKinds is how many items of each kind the gold file must hold.
func rcWantKinds() map[string]int {
	return map[string]int{"traditional": 10, "unanswerable": 6}
}

func TestRCGoldFileIsWellFormed(t *testing.T) {
	corpus, err := heldoutLoadSeeds(rcCorpusDir)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := heldoutParseLines(rcQuestionsFile)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	seen := map[string]int{} // id -> line
	for _, l := range lines {
		t.Run(fmt.Sprintf("line %d (%s) is a valid gold item", l.Line, l.Item.ID), func(t *testing.T) {
			if l.Err != nil {
				t.Fatal(l.Err)
			}
			kinds[l.Item.Kind]++
			if prev, dup := seen[l.Item.ID]; dup {
				t.Errorf("id %q already used on line %d", l.Item.ID, prev)
			}
			seen[l.Item.ID] = l.Line
			for _, p := range heldoutProblems(l.Item, corpus) {
				t.Error(p)
			}
			if i := strings.IndexAny(l.Item.Question, rcTraditionalOnly); i >= 0 {
				r, _ := utf8.DecodeRuneInString(l.Item.Question[i:])
				t.Errorf("question %q holds traditional-only %q, want simplified script", l.Item.Question, r)
			}
			if l.Item.Kind == "traditional" {
				for _, src := range l.Item.Sources {
					if !strings.HasPrefix(src, "t") {
						t.Errorf("traditional item cites %q, want a traditional-script article (t*.txt)", src)
					}
				}
			}
		})
	}
	answerable := len(lines) - kinds["unanswerable"]
	if answerable != 40 {
		t.Errorf("got %d answerable items, want 40", answerable)
	}
	for kind, want := range rcWantKinds() {
		if got := kinds[kind]; got != want {
			t.Errorf("got %d %s items, want %d", got, kind, want)
		}
	}
}

func TestRCCorpusArticlesHaveTheIntendedShape(t *testing.T) {
	entries, err := os.ReadDir(rcCorpusDir)
	if err != nil {
		t.Fatal(err)
	}
	scripts := map[byte]int{}
	for _, e := range entries {
		name := e.Name()
		t.Run(name+" is one article of bounded length", func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(rcCorpusDir, name))
			if err != nil {
				t.Fatal(err)
			}
			if !utf8.Valid(b) {
				t.Fatalf("%s is not valid UTF-8", name)
			}
			if n := utf8.RuneCount(b); n < rcMinArticle || n > rcMaxArticle {
				t.Errorf("got %d characters, want %d-%d", n, rcMinArticle, rcMaxArticle)
			}
			hasTrad := strings.ContainsAny(string(b), rcTraditionalOnly)
			switch name[0] {
			case 's':
				if hasTrad {
					t.Errorf("simplified article %s holds traditional-only characters", name)
				}
			case 't':
				if !hasTrad {
					t.Errorf("traditional article %s holds no traditional-only characters", name)
				}
			default:
				t.Errorf("file name %q starts with neither s (simplified) nor t (traditional)", name)
			}
			scripts[name[0]]++
		})
	}
	if scripts['s'] != 7 || scripts['t'] != 5 {
		t.Errorf("got %d simplified and %d traditional articles, want 7 and 5", scripts['s'], scripts['t'])
	}
}
