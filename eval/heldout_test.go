package eval

// This file guards the held-out gold question sets under testdata/. Every
// *.jsonl there follows /work/shared/eval/FORMAT.md; a malformed line would
// silently skew the evaluation score (an evidence string that no longer
// matches its seed, a followup without history, an "unanswerable" item that
// still carries answers), so each line is checked against the seed corpus.
//
// Helpers carry a "heldout" prefix because other files of package eval are
// written by other people.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

const (
	// heldoutSeedDir holds the corpus files that sources name.
	heldoutSeedDir = "../seeds"
	// heldoutDataDir is searched recursively for *.jsonl gold files.
	heldoutDataDir = "testdata"
	// heldoutMinEvidence and heldoutMaxEvidence bound an evidence string, in characters.
	heldoutMinEvidence = 15
	heldoutMaxEvidence = 120
)

// heldoutKinds lists every kind FORMAT.md allows.
func heldoutKinds() []string {
	return []string{"fact", "number", "list", "summary", "crossdoc", "traditional", "followup", "unanswerable"}
}

// heldoutTurn is one earlier chat turn of a followup item.
type heldoutTurn struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// heldoutItem is one line of a gold file.
type heldoutItem struct {
	ID       string        `json:"id"`
	Kind     string        `json:"kind"`
	Question string        `json:"question"`
	History  []heldoutTurn `json:"history"`
	Answers  [][]string    `json:"answers"`
	Sources  []string      `json:"sources"`
	Evidence []string      `json:"evidence"`
	Note     string        `json:"note"`
}

// heldoutLine is an item together with where it was read from.
type heldoutLine struct {
	File string
	Line int
	Item heldoutItem
	Err  error // non-nil when the line is not a valid item object
}

// heldoutLoadSeeds reads every seed file in dir, keyed by base name.
func heldoutLoadSeeds(dir string) (map[string]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read seed dir %q: %w", dir, err)
	}
	seeds := make(map[string]string)
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read seed %q: %w", e.Name(), err)
		}
		seeds[e.Name()] = string(b)
	}
	if len(seeds) == 0 {
		return nil, fmt.Errorf("seed dir %q holds no files", dir)
	}
	return seeds, nil
}

// heldoutFindGoldFiles returns every *.jsonl file below dir, sorted.
func heldoutFindGoldFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".jsonl") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk gold dir %q: %w", dir, err)
	}
	slices.Sort(files)
	return files, nil
}

// heldoutParseLines decodes each non-blank line of a gold file. Unknown
// fields are rejected so that a misspelt key ("evidences") cannot hide data.
func heldoutParseLines(path string) ([]heldoutLine, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read gold file %q: %w", path, err)
	}
	var lines []heldoutLine
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	n := 0
	for sc.Scan() {
		n++
		raw := bytes.TrimSpace(sc.Bytes())
		if len(raw) == 0 {
			continue
		}
		l := heldoutLine{File: path, Line: n}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l.Item); err != nil {
			l.Err = fmt.Errorf("decode %s:%d: %w", path, n, err)
		} else if dec.More() {
			l.Err = fmt.Errorf("decode %s:%d: trailing data after the object", path, n)
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("scan gold file %q: %w", path, err)
	}
	return lines, nil
}

// heldoutStripSpace removes all white space, as the scorer does before
// matching answers.
func heldoutStripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// heldoutProblems lists everything wrong with one item, judged against the
// seed texts (keyed by file name). An empty result means the item is valid.
func heldoutProblems(it heldoutItem, seeds map[string]string) []string {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }

	if strings.TrimSpace(it.ID) == "" {
		add("id is empty")
	}
	if !slices.Contains(heldoutKinds(), it.Kind) {
		add("kind %q is not one of %v", it.Kind, heldoutKinds())
	}
	if strings.TrimSpace(it.Question) == "" {
		add("question is empty")
	}

	// History belongs to followup items only, and must read as a real chat.
	if it.Kind == "followup" {
		if len(it.History) == 0 {
			add("followup has no history")
		}
		for i, turn := range it.History {
			if turn.Role != "user" && turn.Role != "assistant" {
				add("history[%d] role %q is neither user nor assistant", i, turn.Role)
			}
			if strings.TrimSpace(turn.Content) == "" {
				add("history[%d] content is empty", i)
			}
		}
		if n := len(it.History); n > 0 && it.History[n-1].Role != "assistant" {
			add("history ends with role %q, want assistant before the followup question", it.History[n-1].Role)
		}
	} else if len(it.History) > 0 {
		add("kind %q carries history; only followup items may", it.Kind)
	}

	if it.Kind == "unanswerable" {
		if len(it.Answers) > 0 || len(it.Sources) > 0 || len(it.Evidence) > 0 {
			add("unanswerable item has answers/sources/evidence (%d/%d/%d), want none",
				len(it.Answers), len(it.Sources), len(it.Evidence))
		}
		return probs
	}

	// Answerable items.
	if len(it.Answers) == 0 {
		add("no answer groups")
	}
	for i, group := range it.Answers {
		if len(group) == 0 {
			add("answer group %d is empty", i)
		}
		for j, alt := range group {
			if heldoutStripSpace(alt) == "" {
				add("answer group %d alternative %d is blank", i, j)
			}
		}
	}
	if len(it.Sources) == 0 {
		add("no sources")
	}
	for _, src := range it.Sources {
		if _, ok := seeds[src]; !ok {
			add("source %q is not a seed file", src)
		}
	}
	if len(it.Evidence) == 0 {
		add("no evidence")
	}
	distinct := map[string]bool{}
	for _, src := range it.Sources {
		distinct[src] = true
	}
	if len(distinct) != len(it.Sources) {
		add("sources %v repeat a file", it.Sources)
	}
	if it.Kind == "crossdoc" && len(distinct) < 2 {
		add("crossdoc cites %d distinct source(s), want at least 2", len(distinct))
	}

	backed := map[string]bool{}
	for i, ev := range it.Evidence {
		if n := utf8.RuneCountInString(ev); n < heldoutMinEvidence || n > heldoutMaxEvidence {
			add("evidence[%d] is %d characters, want %d-%d", i, n, heldoutMinEvidence, heldoutMaxEvidence)
		}
		found := false
		for _, src := range it.Sources {
			if text, ok := seeds[src]; ok && ev != "" && strings.Contains(text, ev) {
				backed[src] = true
				found = true
			}
		}
		if !found {
			add("evidence[%d] %q is not an exact substring of any of its sources", i, ev)
		}
	}
	for _, src := range it.Sources {
		if _, ok := seeds[src]; ok && len(it.Evidence) > 0 && !backed[src] {
			add("source %q is backed by no evidence string", src)
		}
	}

	// Evidence must contain the answer: every group needs an alternative
	// that occurs in the evidence (white space ignored, as in scoring).
	allEvidence := heldoutStripSpace(strings.Join(it.Evidence, "\n"))
	for i, group := range it.Answers {
		if len(group) == 0 || len(it.Evidence) == 0 {
			continue
		}
		if !slices.ContainsFunc(group, func(alt string) bool {
			a := heldoutStripSpace(alt)
			return a != "" && strings.Contains(allEvidence, a)
		}) {
			add("no alternative of answer group %d %q occurs in the evidence", i, group)
		}
	}
	return probs
}

func TestHeldoutGoldFilesAreWellFormed(t *testing.T) {
	seeds, err := heldoutLoadSeeds(heldoutSeedDir)
	if err != nil {
		t.Fatal(err)
	}
	files, err := heldoutFindGoldFiles(heldoutDataDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("found no *.jsonl under %s, want at least one gold file", heldoutDataDir)
	}

	firstSeen := map[string]string{} // id -> file:line
	for _, file := range files {
		lines, err := heldoutParseLines(file)
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) == 0 {
			t.Errorf("%s holds no items", file)
		}
		for _, l := range lines {
			where := fmt.Sprintf("%s:%d", l.File, l.Line)
			t.Run(fmt.Sprintf("%s line %d (%s) is a valid gold item", filepath.Base(l.File), l.Line, l.Item.ID), func(t *testing.T) {
				if l.Err != nil {
					t.Fatal(l.Err)
				}
				if prev, dup := firstSeen[l.Item.ID]; dup && l.Item.ID != "" {
					t.Errorf("id %q already used at %s", l.Item.ID, prev)
				} else {
					firstSeen[l.Item.ID] = where
				}
				for _, p := range heldoutProblems(l.Item, seeds) {
					t.Error(p)
				}
			})
		}
	}
}

func TestHeldoutProblemsRejectsBadItems(t *testing.T) {
	seeds := map[string]string{
		"a.txt": "济源市2018年生产总值完成641.8亿元,增长8.3%。",
		"b.txt": "洛阳2019年全市GDP达到5035亿元,排全国第45位。",
	}
	valid := func() heldoutItem {
		return heldoutItem{
			ID: "t-1", Kind: "number", Question: "济源18年GDP多少？",
			Answers:  [][]string{{"641.8亿"}},
			Sources:  []string{"a.txt"},
			Evidence: []string{"2018年生产总值完成641.8亿元"},
		}
	}
	tests := []struct {
		name   string
		mutate func(*heldoutItem)
		want   string // substring of one reported problem; "" means no problem
	}{
		{"a well-formed item has no problems", func(*heldoutItem) {}, ""},
		{"an unknown kind is reported", func(it *heldoutItem) { it.Kind = "trivia" }, "kind"},
		{"an empty id is reported", func(it *heldoutItem) { it.ID = "" }, "id is empty"},
		{"a blank question is reported", func(it *heldoutItem) { it.Question = "  " }, "question is empty"},
		{"an answerable item without sources is reported", func(it *heldoutItem) { it.Sources = nil }, "no sources"},
		{"an answerable item without evidence is reported", func(it *heldoutItem) { it.Evidence = nil }, "no evidence"},
		{"a source that is not a seed file is reported", func(it *heldoutItem) { it.Sources = []string{"c.txt"} }, "not a seed file"},
		{"evidence that paraphrases the seed is reported", func(it *heldoutItem) {
			it.Evidence = []string{"2018年地区生产总值为641.8亿元"}
		}, "not an exact substring"},
		{"evidence shorter than 15 characters is reported", func(it *heldoutItem) {
			it.Evidence = []string{"641.8亿元"}
		}, "characters, want 15-120"},
		{"evidence longer than 120 characters is reported", func(it *heldoutItem) {
			it.Evidence = []string{strings.Repeat("济", 121)}
		}, "characters, want 15-120"},
		{"an empty answer group is reported", func(it *heldoutItem) { it.Answers = [][]string{{"641.8亿"}, {}} }, "group 1 is empty"},
		{"an item with no answer groups is reported", func(it *heldoutItem) { it.Answers = nil }, "no answer groups"},
		{"an answer missing from the evidence is reported", func(it *heldoutItem) { it.Answers = [][]string{{"700亿"}} }, "occurs in the evidence"},
		{"history on a non-followup item is reported", func(it *heldoutItem) {
			it.History = []heldoutTurn{{Role: "user", Content: "问"}, {Role: "assistant", Content: "答"}}
		}, "only followup"},
		{"a followup without history is reported", func(it *heldoutItem) { it.Kind = "followup" }, "no history"},
		{"a followup turn with an odd role is reported", func(it *heldoutItem) {
			it.Kind = "followup"
			it.History = []heldoutTurn{{Role: "system", Content: "x"}, {Role: "assistant", Content: "答"}}
		}, "neither user nor assistant"},
		{"a followup turn with empty content is reported", func(it *heldoutItem) {
			it.Kind = "followup"
			it.History = []heldoutTurn{{Role: "user", Content: ""}, {Role: "assistant", Content: "答"}}
		}, "content is empty"},
		{"a valid followup has no problems", func(it *heldoutItem) {
			it.Kind = "followup"
			it.History = []heldoutTurn{{Role: "user", Content: "济源GDP增速？"}, {Role: "assistant", Content: "增长8.3%。"}}
		}, ""},
		{"an unanswerable item with answers is reported", func(it *heldoutItem) { it.Kind = "unanswerable" }, "want none"},
		{"an empty unanswerable item has no problems", func(it *heldoutItem) {
			*it = heldoutItem{ID: "t-u", Kind: "unanswerable", Question: "许昌呢？"}
		}, ""},
		{"a crossdoc item citing one file is reported", func(it *heldoutItem) { it.Kind = "crossdoc" }, "at least 2"},
		{"a crossdoc source without evidence is reported", func(it *heldoutItem) {
			it.Kind = "crossdoc"
			it.Sources = []string{"a.txt", "b.txt"}
		}, "backed by no evidence"},
		{"a crossdoc item with evidence from both files has no problems", func(it *heldoutItem) {
			it.Kind = "crossdoc"
			it.Sources = []string{"a.txt", "b.txt"}
			it.Answers = [][]string{{"641.8亿"}, {"5035亿"}}
			it.Evidence = []string{"2018年生产总值完成641.8亿元", "2019年全市GDP达到5035亿元"}
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			it := valid()
			tc.mutate(&it)
			got := heldoutProblems(it, seeds)
			if tc.want == "" {
				if len(got) != 0 {
					t.Errorf("got problems %q, want none", got)
				}
				return
			}
			if !slices.ContainsFunc(got, func(p string) bool { return strings.Contains(p, tc.want) }) {
				t.Errorf("got problems %q, want one mentioning %q", got, tc.want)
			}
		})
	}
}

func TestHeldoutParseLinesRejectsUnknownFields(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.jsonl")
	data := `{"id":"x","kind":"fact","question":"q","evidences":["typo"]}` + "\n\n" +
		`{"id":"y","kind":"fact","question":"q"}` + "\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	lines, err := heldoutParseLines(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(lines), 2; got != want {
		t.Fatalf("got %d lines, want %d (blank lines skipped)", got, want)
	}
	if lines[0].Err == nil {
		t.Errorf("line %d with misspelt key: got no error, want one", lines[0].Line)
	}
	if lines[1].Err != nil || lines[1].Line != 3 {
		t.Errorf("second item: got line %d err %v, want line 3 and no error", lines[1].Line, lines[1].Err)
	}
}
