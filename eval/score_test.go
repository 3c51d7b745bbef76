package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"policybot/rag"
)

// scoreSeedDir holds the real seed corpus the gold items point into.
const scoreSeedDir = "../seeds"

// scorePyScript is the reference implementation Score is ported from.
const scorePyScript = "/work/shared/eval/score.py"

const (
	seed000 = "000_268244c505393083.txt"
	seed001 = "001_44e69a047cd4008f.txt"
	seed002 = "002_6b19721ce7bbca47.txt"
	seed003 = "003_3f42d803b2d7e6db.txt"
	seed004 = "004_4fb8176c685af46a.txt"
)

// scoreTinyGold is a small gold set over the real seeds. The evidence byte
// ranges, found by hand, are: q1 000[8229,8298); q2 004[1601,1672);
// q3 001[4225,4284) and 000[34746,34816); q6 002[14020,14082).
func scoreTinyGold() []Item {
	return []Item{
		{ID: "q1", Kind: "fact", Question: "机构设置方案哪天批的？", Answers: [][]string{{"5月8日"}},
			Sources: []string{seed000}, Evidence: []string{"今年5月8日,中央编办正式批复了我们的机构设置方案"}},
		{ID: "q2", Kind: "number", Question: "洛阳2019年GDP多少，排第几？", Answers: [][]string{{"5035亿"}, {"第45", "45位"}},
			Sources: []string{seed004}, Evidence: []string{"2019年全市GDP达到5035亿元,排全国地级及以上城市第45位"}},
		{ID: "q3", Kind: "crossdoc", Question: "小浪底北岸灌区现在怎么样了？", Answers: [][]string{{"重新启动", "重新啟動"}, {"通水"}},
			Sources:  []string{seed001, seed000},
			Evidence: []string{"小浪底北岸灌區(qū)項(xiàng)目重新啟動(dòng)", "抓住小浪底北岸灌区通水的机遇,引水入城、打造水系"}},
		{ID: "q4", Kind: "unanswerable", Question: "济源的地铁几号线最长？"},
		{ID: "q5", Kind: "unanswerable", Question: "洛阳明年房价会涨吗？"},
		{ID: "q6", Kind: "fact", Question: "永久基本农田划了多少？", Answers: [][]string{{"58.11万亩", "58.11万"}},
			Sources: []string{seed002}, Evidence: []string{"加强对已划定58.11万亩永久基本农田的特殊保护"}},
	}
}

// scoreTinyResults answers scoreTinyGold out of order: q1..q5 are matched by
// ID, the last result has no ID and is matched to q6 by position.
func scoreTinyResults() []rag.Result {
	p := func(src string, start, end int) rag.Passage { return rag.Passage{Source: src, Start: start, End: end} }
	c := func(src string, start, end int) rag.Citation {
		return rag.Citation{Source: src, Start: start, End: end}
	}
	r3 := rag.Result{ID: "q3", Answer: "北岸灌区重新启动，已通水", Answered: true,
		// The first overlapping passage spans 4600 bytes, too coarse to count;
		// the first that counts is at rank 8, beyond k=5.
		Passages:  []rag.Passage{p(seed001, 4000, 8600)},
		Citations: []rag.Citation{c("seeds/"+seed001, 4280, 4300)}}
	for i := range 6 {
		r3.Passages = append(r3.Passages, p(seed003, i*300, i*300+300))
	}
	r3.Passages = append(r3.Passages, p(seed000, 34800, 34900))
	return []rag.Result{
		{ID: "q2", Answer: "5035亿元，排名第46位", Answered: true, Passages: []rag.Passage{p(seed004, 1600, 1700)}},
		{ID: "q1", Answer: "中央编办于\u30005月\n8日\t批复", Answered: true,
			Passages:  []rag.Passage{p(seed000, 0, 100), p("/srv/seeds/"+seed000, 8200, 8250)},
			Citations: []rag.Citation{c(seed000, 8229, 8298), c(seed002, 8229, 8298)}},
		r3,
		{ID: "q4", Answer: "资料中没有相关内容", Answered: false},
		{ID: "q5", Error: "line 5: context deadline exceeded"},
		{Answer: "抱歉，资料中没有找到相关内容。", Answered: false, Passages: []rag.Passage{p(seed002, 14000, 14100)}},
	}
}

func TestScoreComputesEveryFigureOfATinyGoldSet(t *testing.T) {
	got, err := Score(scoreTinyGold(), scoreTinyResults(), scoreSeedDir, 5)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	want := Summary{
		Items: 6, K: 5,
		Hit1: 0.5, HitK: 0.75,
		MRR:         0.656, // (1/2 + 1 + 1/8 + 1) / 4 = 0.65625, a binary tie rounded to even
		AnswerFacts: 0.5, CitedAnswers: 0.5, CitationPrecision: 0.667,
		FalseRefusals: 0.25, RefusalOnUnanswerable: 0.5,
		MedianPassageBytes: 300, MedianAnswerChars: 12,
		ByKind:     map[string][2]int{"fact": {1, 2}, "number": {0, 1}, "crossdoc": {1, 1}, "unanswerable": {1, 2}},
		Answerable: 4, Unanswerable: 2, Hit1Count: 2, HitKCount: 3, AnswerOK: 2,
		Refused: 1, FalseRefusalCount: 1, CitedCount: 2, CitationsOK: 2, Citations: 3,
		Misses: []Miss{
			{"q2", "rank=1 answer_ok=False"},
			{"q3", "rank=8 answer_ok=True"},
			{"q5", "answered an unanswerable question"},
			{"q6", "rank=1 answer_ok=False"},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Score:\ngot  %+v\nwant %+v", got, want)
	}

	var b bytes.Buffer
	if err := got.WriteText(&b); err != nil {
		t.Fatalf("WriteText: %v", err)
	}
	wantText := `items                    6
hit@1                    0.5 (2/4)
hit@5                    0.75 (3/4)
mrr                      0.656
answer_facts             0.5 (2/4)
cited_answers            0.5 (2/4)
citation_precision       0.667 (2/3)
false_refusals           0.25 (1/4)
refusal_on_unanswerable  0.5 (1/2)
median_passage_bytes     300
median_answer_chars      12
by_kind                  {'crossdoc': '1/1', 'fact': '1/2', 'number': '0/1', 'unanswerable': '1/2'}
misses: q2(rank=1 answer_ok=False), q3(rank=8 answer_ok=True), q5(answered an unanswerable question), q6(rank=1 answer_ok=False)
`
	if b.String() != wantText {
		t.Errorf("WriteText:\ngot\n%s\nwant\n%s", b.String(), wantText)
	}

	wantJSON := map[string]any{
		"items": 6, "hit@1": 0.5, "hit@5": 0.75, "mrr": 0.656, "answer_facts": 0.5, "cited_answers": 0.5,
		"citation_precision": 0.667, "false_refusals": 0.25, "refusal_on_unanswerable": 0.5,
		"median_passage_bytes": 300, "median_answer_chars": 12,
		"by_kind": map[string]any{"crossdoc": "1/1", "fact": "1/2", "number": "0/1", "unanswerable": "1/2"},
	}
	if j := got.JSON(); !reflect.DeepEqual(j, wantJSON) {
		t.Errorf("JSON:\ngot  %v\nwant %v", j, wantJSON)
	}
}

func TestScoreEdgeCases(t *testing.T) {
	gold := scoreTinyGold()[:1] // q1: evidence at 000[8229,8298), answer 5月8日
	tests := []struct {
		name    string
		results []rag.Result
		k       int
		check   func(t *testing.T, s Summary)
	}{
		{
			name:    "a passage of exactly MaxSpan bytes counts and one byte more does not",
			results: []rag.Result{{Passages: []rag.Passage{{Source: seed000, Start: 8000, End: 8000 + MaxSpan + 1}, {Source: seed000, Start: 8000, End: 8000 + MaxSpan}}}},
			k:       5,
			check: func(t *testing.T, s Summary) {
				if s.Hit1Count != 0 || s.HitKCount != 1 || s.MRR != 0.5 {
					t.Errorf("got hit1 %d hitk %d mrr %v, want 0 1 0.5", s.Hit1Count, s.HitKCount, s.MRR)
				}
			},
		},
		{
			name:    "a passage that only touches the evidence range does not overlap it",
			results: []rag.Result{{Passages: []rag.Passage{{Source: seed000, Start: 8298, End: 8400}, {Source: seed000, Start: 8100, End: 8229}}}},
			k:       5,
			check: func(t *testing.T, s Summary) {
				if s.HitKCount != 0 {
					t.Errorf("got hitk %d, want 0", s.HitKCount)
				}
			},
		},
		{
			name:    "a passage in the wrong file or under a directory-like source does not count",
			results: []rag.Result{{Passages: []rag.Passage{{Source: seed002, Start: 8229, End: 8298}, {Source: seed000 + "/", Start: 8229, End: 8298}}}},
			k:       5,
			check: func(t *testing.T, s Summary) {
				if s.HitKCount != 0 {
					t.Errorf("got hitk %d, want 0", s.HitKCount)
				}
			},
		},
		{
			name:    "a hit beyond k counts for mrr but not for hit@k",
			results: []rag.Result{{Passages: []rag.Passage{{Source: seed003}, {Source: seed003}, {Source: seed000, Start: 8229, End: 8230}}}},
			k:       2,
			check: func(t *testing.T, s Summary) {
				if s.HitKCount != 0 || s.MRR != 0.333 || s.Misses[0].Why != "rank=3 answer_ok=False" {
					t.Errorf("got hitk %d mrr %v miss %q, want 0 0.333 rank=3", s.HitKCount, s.MRR, s.Misses[0].Why)
				}
			},
		},
		{
			name:    "an answer of MaxAnswer characters after whitespace is removed keeps its facts",
			results: []rag.Result{{Answer: "5月8日" + strings.Repeat("批 \u3000\x1c", MaxAnswer-4), Answered: true}},
			k:       5,
			check: func(t *testing.T, s Summary) {
				if s.AnswerOK != 1 || s.MedianAnswerChars != MaxAnswer {
					t.Errorf("got answer ok %d, %d chars, want 1, %d", s.AnswerOK, s.MedianAnswerChars, MaxAnswer)
				}
			},
		},
		{
			name:    "an answer one character over MaxAnswer loses its facts",
			results: []rag.Result{{Answer: "5月8日" + strings.Repeat("批", MaxAnswer-3), Answered: true}},
			k:       5,
			check: func(t *testing.T, s Summary) {
				if s.AnswerOK != 0 {
					t.Errorf("got answer ok %d, want 0", s.AnswerOK)
				}
			},
		},
		{
			name:    "a failed line is neither a refusal nor a false refusal",
			results: []rag.Result{{ID: "q1", Error: "boom"}},
			k:       5,
			check: func(t *testing.T, s Summary) {
				if s.FalseRefusalCount != 0 {
					t.Errorf("got false refusals %d, want 0", s.FalseRefusalCount)
				}
			},
		},
		{
			name:    "an answered=false result is a false refusal of an answerable item",
			results: []rag.Result{{ID: "q1"}},
			k:       5,
			check: func(t *testing.T, s Summary) {
				if s.FalseRefusalCount != 1 {
					t.Errorf("got false refusals %d, want 1", s.FalseRefusalCount)
				}
			},
		},
		{
			name:    "no results at all give zero figures and no refusals",
			results: nil,
			k:       5,
			check: func(t *testing.T, s Summary) {
				if s.FalseRefusalCount != 0 || s.MedianAnswerChars != 0 || s.MedianPassageBytes != 0 || len(s.Misses) != 1 {
					t.Errorf("got %+v, want zero figures and one miss", s)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Score(gold, tt.results, scoreSeedDir, tt.k)
			if err != nil {
				t.Fatalf("Score: %v", err)
			}
			tt.check(t, s)
		})
	}
}

func TestScoreFailsOnAMissingSeedFile(t *testing.T) {
	gold := []Item{{ID: "x", Kind: "fact", Sources: []string{"nope.txt"}, Evidence: []string{"abc"}}}
	_, err := Score(gold, nil, scoreSeedDir, 5)
	if err == nil || !strings.Contains(err.Error(), `"x"`) || !strings.Contains(err.Error(), "nope.txt") {
		t.Errorf("got error %v, want one naming item x and nope.txt", err)
	}
}

func TestSquashRemovesWhatPythonCountsAsWhitespace(t *testing.T) {
	// Every code point for which Python 3.11's str.isspace (and so re's \s) is true.
	py := map[rune]bool{}
	for _, r := range []rune{0x9, 0xa, 0xb, 0xc, 0xd, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680,
		0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
		0x2028, 0x2029, 0x202f, 0x205f, 0x3000} {
		py[r] = true
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got := isPySpace(r); got != py[r] {
			t.Errorf("isPySpace(%U) = %v, want %v", r, got, py[r])
		}
	}
	if got, want := squash("a\u3000b\n c\td\u200be\x1ff\u00a0g"), "abcd\u200befg"; got != want {
		t.Errorf("squash: got %q, want %q", got, want)
	}
}

func TestRound3RoundsLikePython(t *testing.T) {
	tests := []struct {
		in, want float64
	}{
		{0.0625, 0.062},  // exact tie goes to the even digit
		{0.65625, 0.656}, // exact tie goes to the even digit
		{0.6875, 0.688},  // exact tie goes to the even digit
		{2.0 / 3, 0.667},
		{1, 1},
		{0.0004, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.in), func(t *testing.T) {
			if got := round3(tt.in); got != tt.want {
				t.Errorf("round3(%v): got %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestLoadItems(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Run("reads every non-blank line with its history and answers", func(t *testing.T) {
		p := write("ok.jsonl", `{"id":"a","kind":"fact","question":"q","answers":[["x","y"],["z"]],"sources":["s"],"evidence":["e"],"note":"n"}`+"\n\n"+
			`{"id":"b","kind":"followup","question":"那呢？","history":[{"role":"user","content":"u"},{"role":"assistant","content":"v"}],"answers":[]}`)
		got, err := LoadItems(p)
		if err != nil {
			t.Fatalf("LoadItems: %v", err)
		}
		want := []Item{
			{ID: "a", Kind: "fact", Question: "q", Answers: [][]string{{"x", "y"}, {"z"}}, Sources: []string{"s"}, Evidence: []string{"e"}, Note: "n"},
			{ID: "b", Kind: "followup", Question: "那呢？", History: []rag.Turn{{Role: "user", Content: "u"}, {Role: "assistant", Content: "v"}}, Answers: [][]string{}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
	})
	t.Run("names the file and line of a malformed item", func(t *testing.T) {
		p := write("bad.jsonl", `{"id":"a","kind":"fact"}`+"\n"+`{"id":"b",`+"\n")
		_, err := LoadItems(p)
		if err == nil || !strings.Contains(err.Error(), p+" line 2") {
			t.Errorf("got error %v, want one naming %s line 2", err, p)
		}
	})
	t.Run("rejects an item without a kind", func(t *testing.T) {
		p := write("nokind.jsonl", `{"id":"a"}`)
		_, err := LoadItems(p)
		if err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("got error %v, want one naming line 1", err)
		}
	})
	t.Run("fails on a missing file", func(t *testing.T) {
		if _, err := LoadItems(filepath.Join(dir, "missing.jsonl")); err == nil {
			t.Error("got no error, want one")
		}
	})
}

// scoreCase is one synthetic gold set and result set for the cross-check.
type scoreCase struct {
	name    string
	gold    []Item
	results []rag.Result
	k       int
}

// scoreWriteResults writes results as `ask --jsonl` does: a failed line as
// {"id", "error"} without "answered", any other as the full Result.
func scoreWriteResults(t *testing.T, path string, results []rag.Result) {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, r := range results {
		var err error
		if r.Error != "" {
			err = enc.Encode(map[string]any{"id": r.ID, "error": r.Error})
		} else {
			err = enc.Encode(r)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func scoreWriteGold(t *testing.T, path string, gold []Item) {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, g := range gold {
		if err := enc.Encode(g); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// scoreCounts matches the counts WriteText adds beside ratios.
var scoreCounts = regexp.MustCompile(` \(\d+/\d+\)`)

func TestScoreMatchesScorePy(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not found")
	}
	// Resolve the interpreter once: a pyenv shim costs a shell start per run.
	exe, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	py := strings.TrimSpace(string(exe))
	if _, err := os.Stat(scorePyScript); err != nil {
		t.Skipf("reference script missing: %v", err)
	}
	seeds, err := filepath.Abs(scoreSeedDir)
	if err != nil {
		t.Fatal(err)
	}
	cases := scoreCrossCases()
	seedData := map[string][]byte{}
	for _, name := range []string{seed000, seed001, seed002, seed003, seed004} {
		b, err := os.ReadFile(filepath.Join(seeds, name))
		if err != nil {
			t.Fatal(err)
		}
		seedData[name] = b
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 40 {
		cases = append(cases, scoreRandomCase(rng, fmt.Sprintf("random set %d", i), seedData))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			goldPath, resPath := filepath.Join(dir, "gold.jsonl"), filepath.Join(dir, "results.jsonl")
			scoreWriteGold(t, goldPath, tc.gold)
			scoreWriteResults(t, resPath, tc.results)
			items, err := LoadItems(goldPath)
			if err != nil {
				t.Fatalf("LoadItems: %v", err)
			}
			s, err := Score(items, tc.results, seeds, tc.k)
			if err != nil {
				t.Fatalf("Score: %v", err)
			}

			out, err := exec.Command(py, scorePyScript, goldPath, resPath, seeds, "--k", fmt.Sprint(tc.k), "--json").Output()
			if err != nil {
				t.Fatalf("score.py --json: %v", err)
			}
			var want, got map[string]any
			if err := json.Unmarshal(out, &want); err != nil {
				t.Fatalf("parse score.py output %q: %v", out, err)
			}
			js, err := json.Marshal(s.JSON())
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(js, &got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("JSON:\ngot  %v\nwant %v", got, want)
			}

			text, err := exec.Command(py, scorePyScript, goldPath, resPath, seeds, "--k", fmt.Sprint(tc.k)).Output()
			if err != nil {
				t.Fatalf("score.py: %v", err)
			}
			var b bytes.Buffer
			if err := s.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			if g := scoreCounts.ReplaceAllString(b.String(), ""); g != string(text) {
				t.Errorf("text without counts:\ngot\n%s\nwant\n%s", g, text)
			}
		})
	}
}

// scoreCrossCases are hand-made sets aimed at score.py's edge cases.
func scoreCrossCases() []scoreCase {
	q1 := scoreTinyGold()[0] // 000[8229,8298), answer 5月8日
	spaced := q1
	spaced.ID, spaced.Answers = "spaced", [][]string{{"5月 8日"}, {"中央\u3000编办"}}
	answers := []string{
		"5月8日", "5月\u30008日", "5月\n8日，中央编办", "5月\t8日 中央\u00a0编办", "5\x1c月8\u2028日中央\u2029编办",
		"5月\u200b8日", "5月\u180e8日", "", "5月8日" + strings.Repeat("字", MaxAnswer-4),
		"5月8日" + strings.Repeat("字", MaxAnswer-3), "5月8日" + strings.Repeat("字\u3000", MaxAnswer-4),
	}
	var ws scoreCase
	ws.name, ws.k = "whitespace and length edge cases in answers", 5
	for i, a := range answers {
		g := q1
		if i%2 == 1 {
			g = spaced
		}
		g.ID = fmt.Sprintf("w%02d", i)
		ws.gold = append(ws.gold, g)
		ws.results = append(ws.results, rag.Result{ID: g.ID, Answer: a, Answered: true})
	}

	var spans scoreCase
	spans.name, spans.k = "span limits, wrong files and source paths", 3
	for i, p := range []rag.Passage{
		{Source: seed000, Start: 8000, End: 8000 + MaxSpan},
		{Source: seed000, Start: 8000, End: 8001 + MaxSpan},
		{Source: seed002, Start: 8229, End: 8298},
		{Source: "seeds/" + seed000, Start: 8297, End: 8298},
		{Source: "/abs/seeds/" + seed000, Start: 8298, End: 8300},
		{Source: seed000 + "/", Start: 8229, End: 8298},
		{Source: `seeds\` + seed000, Start: 8229, End: 8298},
		{Source: "", Start: 8229, End: 8298},
		{Source: seed000, Start: 9000, End: 100}, // backwards range
	} {
		g := q1
		g.ID = fmt.Sprintf("s%d", i)
		spans.gold = append(spans.gold, g)
		filler := rag.Passage{Source: seed003, Start: 0, End: 10 * i}
		spans.results = append(spans.results, rag.Result{ID: g.ID, Answered: true,
			Passages: []rag.Passage{filler, filler, p}, Citations: []rag.Citation{{Source: p.Source, Start: p.Start, End: p.End}}})
	}

	var tie scoreCase
	tie.name, tie.k = "one hit in sixteen rounds half to even", 5
	for i := range 16 {
		g := q1
		g.ID = fmt.Sprintf("t%02d", i)
		tie.gold = append(tie.gold, g)
		r := rag.Result{ID: g.ID, Answered: true, Passages: []rag.Passage{{Source: seed003}}}
		if i == 0 {
			r.Passages = []rag.Passage{{Source: seed000, Start: 8229, End: 8298}}
		}
		tie.results = append(tie.results, r)
	}

	tiny := scoreCase{name: "the tiny gold set", gold: scoreTinyGold(), results: scoreTinyResults(), k: 5}
	short := scoreCase{name: "fewer results than items, one failed", gold: scoreTinyGold(),
		results: []rag.Result{{Answer: "5月8日"}, {ID: "q4", Error: "line 2: no question"}}, k: 5}
	none := scoreCase{name: "no results at all", gold: scoreTinyGold(), k: 5}
	dup := scoreCase{name: "duplicate ids take the last result", gold: scoreTinyGold(), k: 1,
		results: []rag.Result{{ID: "q1", Answer: "不知道", Answered: true}, {ID: "q4", Answered: true}, {ID: "q1", Answer: "5月8日", Answered: true}}}
	onlyUnans := scoreCase{name: "only unanswerable items", gold: scoreTinyGold()[3:5], k: 5,
		results: []rag.Result{{ID: "q5", Answered: false}, {ID: "q4", Answered: true, Answer: "大概三条线"}}}
	return []scoreCase{tiny, ws, spans, tie, short, none, dup, onlyUnans}
}

// scoreEvidencePool is real evidence with the answers it holds.
var scoreEvidencePool = []struct {
	source, evidence string
	answers          [][]string
}{
	{seed000, "今年5月8日,中央编办正式批复了我们的机构设置方案", [][]string{{"5月8日"}}},
	{seed000, "对于新组建和整合调整幅度比较大的部门,给予3至5年的过渡期", [][]string{{"3至5年", "三至五年"}}},
	{seed001, "小浪底北岸灌區(qū)項(xiàng)目重新啟動(dòng)", [][]string{{"重新启动", "重新啟動"}}},
	{seed002, "加强对已划定58.11万亩永久基本农田的特殊保护", [][]string{{"58.11万亩", "58.11万"}}},
	{seed003, "全力打造珠三角平均水平的营商环境", [][]string{{"珠三角"}}},
	{seed004, "2019年全市GDP达到5035亿元,排全国地级及以上城市第45位", [][]string{{"5035亿"}, {"第45", "45位"}}},
	{seed004, "这段话不在任何种子文件里", [][]string{{"无"}}},
}

// scoreRandomCase builds a random gold set and results that stress matching,
// ranking, spans, citations, answers and refusals.
func scoreRandomCase(rng *rand.Rand, name string, seedData map[string][]byte) scoreCase {
	kinds := []string{"fact", "number", "list", "crossdoc", "followup", "unanswerable"}
	spaces := []string{" ", "\u3000", "\n", "\t", "\u00a0", "\x1c", "\x1f", "\u2028", "\u200b", "\r\n"}
	tc := scoreCase{name: name, k: 1 + rng.IntN(6)}
	n := 1 + rng.IntN(20)
	for i := range n {
		g := Item{ID: fmt.Sprintf("r%02d", i), Kind: kinds[rng.IntN(len(kinds))], Question: "问题"}
		type span struct {
			src        string
			start, end int
		}
		var evs []span
		if g.Kind != "unanswerable" {
			for range 1 + rng.IntN(2) {
				e := scoreEvidencePool[rng.IntN(len(scoreEvidencePool))]
				g.Evidence = append(g.Evidence, e.evidence)
				g.Sources = append(g.Sources, e.source)
				g.Answers = append(g.Answers, e.answers...)
				if j := bytes.Index(seedData[e.source], []byte(e.evidence)); j >= 0 {
					evs = append(evs, span{e.source, j, j + len(e.evidence)})
				}
			}
			if rng.IntN(4) == 0 { // sources in another order: the first holding the evidence wins
				g.Sources = append([]string{seed003}, g.Sources...)
			}
		}
		tc.gold = append(tc.gold, g)

		r := rag.Result{Answered: rng.IntN(4) != 0}
		if rng.IntN(3) != 0 {
			r.ID = g.ID
		}
		if rng.IntN(8) == 0 {
			r = rag.Result{ID: g.ID, Error: "line 1: failed"}
		}
		pathForm := func(src string) string {
			switch rng.IntN(5) {
			case 0:
				return "seeds/" + src
			case 1:
				return "/srv/policybot/seeds/" + src
			case 2:
				return src + "/"
			default:
				return src
			}
		}
		for range rng.IntN(9) {
			var p rag.Passage
			if len(evs) > 0 && rng.IntN(3) == 0 {
				e := evs[rng.IntN(len(evs))]
				p.Source = pathForm(e.src)
				p.Start = e.start - rng.IntN(MaxSpan/2+200)
				p.End = e.end + rng.IntN(MaxSpan/2+200)
				if rng.IntN(3) == 0 {
					p.Start, p.End = e.end-1+rng.IntN(3), e.end+50 // around the end boundary
				}
			} else {
				p.Source = pathForm([]string{seed000, seed001, seed002, seed003, seed004}[rng.IntN(5)])
				p.Start = rng.IntN(40000)
				p.End = p.Start + rng.IntN(5000)
			}
			if r.Error == "" {
				r.Passages = append(r.Passages, p)
				if rng.IntN(3) == 0 {
					r.Citations = append(r.Citations, rag.Citation{Source: p.Source, Start: p.Start, End: p.End})
				}
			}
		}
		if r.Error == "" {
			var a strings.Builder
			for _, grp := range g.Answers {
				if rng.IntN(4) != 0 {
					alt := []rune(grp[rng.IntN(len(grp))])
					cut := rng.IntN(len(alt) + 1)
					a.WriteString(string(alt[:cut]) + spaces[rng.IntN(len(spaces))] + string(alt[cut:]))
				}
				a.WriteString("，")
			}
			if rng.IntN(4) == 0 {
				pad := MaxAnswer - 40 + rng.IntN(80)
				for range pad / 2 {
					a.WriteString("字" + spaces[rng.IntN(len(spaces))])
				}
			}
			r.Answer = a.String()
		}
		tc.results = append(tc.results, r)
	}
	// Shuffle the results carrying IDs among themselves, and sometimes drop the tail.
	rng.Shuffle(len(tc.results), func(i, j int) {
		if tc.results[i].ID != "" && tc.results[j].ID != "" {
			tc.results[i], tc.results[j] = tc.results[j], tc.results[i]
		}
	})
	if rng.IntN(4) == 0 {
		tc.results = tc.results[:rng.IntN(len(tc.results)+1)]
	}
	return tc
}
