package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"policybot/internal/testengine"
	"policybot/rag"
)

// askRun runs policybot with args and stdin and returns stdout, stderr and
// the error.
func askRun(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, envFunc(nil))
	return out.String(), errOut.String(), err
}

func seedsDir(t *testing.T) string {
	t.Helper()
	root, err := testengine.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, "seeds")
}

// wantKeys fails unless obj has every key of want.
func wantKeys(t *testing.T, what string, obj map[string]any, want ...string) {
	t.Helper()
	for _, k := range want {
		if _, ok := obj[k]; !ok {
			t.Errorf("%s lacks the field %q: %v", what, k, obj)
		}
	}
}

var (
	resultKeys   = []string{"question", "answer", "answered", "mode", "unsupported", "citations", "passages"}
	citationKeys = []string{"n", "source", "title", "section", "start", "end", "line_start", "line_end", "quote"}
	passageKeys  = []string{"rank", "score", "source", "title", "section", "start", "end", "line_start", "line_end", "text"}
)

// checkResult checks the field names of one `ask --json` result object and
// that its citations and passages point at real bytes of the seed files.
func checkResult(t *testing.T, obj map[string]any, corpus string) {
	t.Helper()
	wantKeys(t, "the result", obj, resultKeys...)
	if _, ok := obj["unsupported"].([]any); !ok {
		t.Errorf("got unsupported %v, want a JSON array (never null)", obj["unsupported"])
	}
	for _, list := range []struct {
		field string
		keys  []string
		text  string
	}{{"citations", citationKeys, "quote"}, {"passages", passageKeys, "text"}} {
		items, ok := obj[list.field].([]any)
		if !ok {
			t.Errorf("got %s %v, want a JSON array", list.field, obj[list.field])
			continue
		}
		for i, it := range items {
			m, ok := it.(map[string]any)
			if !ok {
				t.Fatalf("%s[%d] is %T, want an object", list.field, i, it)
			}
			wantKeys(t, list.field, m, list.keys...)
			src, _ := m["source"].(string)
			start, _ := m["start"].(float64)
			end, _ := m["end"].(float64)
			raw, err := os.ReadFile(filepath.Join(corpus, filepath.FromSlash(src)))
			if err != nil {
				t.Errorf("%s[%d]: source %q is not a corpus file: %v", list.field, i, src, err)
				continue
			}
			if start < 0 || end <= start || int(end) > len(raw) {
				t.Errorf("%s[%d]: got range [%v,%v) in a %d-byte file", list.field, i, start, end, len(raw))
			}
		}
	}
}

func TestAskJSONPrintsOneResultObject(t *testing.T) {
	seeds := seedsDir(t)
	index := filepath.Join(t.TempDir(), "index")
	out, errOut, err := askRun(t, "", "ask", "--json", "--corpus", seeds, "--index", index, "济源是哪一年撤县建市的？")
	if err != nil {
		t.Fatalf("ask --json: %v\n%s", err, errOut)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		t.Fatalf("stdout is not a JSON object: %v\n%s", err, out)
	}
	t.Run("stdout holds exactly one JSON object", func(t *testing.T) {
		if dec.More() {
			t.Errorf("got more than one value on stdout:\n%s", out)
		}
		if strings.Count(strings.TrimSpace(out), "\n") != 0 {
			t.Errorf("got %d lines on stdout, want 1", strings.Count(strings.TrimSpace(out), "\n")+1)
		}
	})
	t.Run("the object has the documented field names", func(t *testing.T) {
		checkResult(t, obj, seeds)
	})
	t.Run("the answer is given and cited", func(t *testing.T) {
		if obj["question"] != "济源是哪一年撤县建市的？" || obj["answered"] != true || obj["mode"] != "extractive" {
			t.Errorf("got question %v answered %v mode %v, want the question, true, extractive", obj["question"], obj["answered"], obj["mode"])
		}
		if a, _ := obj["answer"].(string); !strings.Contains(a, "1988") {
			t.Errorf("got answer %q, want one with 1988", a)
		}
		if cs, _ := obj["citations"].([]any); len(cs) == 0 {
			t.Errorf("got no citations")
		}
	})
	t.Run("logs go to stderr, not stdout", func(t *testing.T) {
		if !strings.Contains(errOut, "building") {
			t.Errorf("got stderr %q, want the index build logged there", errOut)
		}
		if strings.Contains(out, "building") || strings.Contains(out, "level=") {
			t.Errorf("got log text on stdout:\n%s", out)
		}
	})
	t.Run("--k 7 gives seven passages", func(t *testing.T) {
		out, errOut, err := askRun(t, "", "ask", "--json", "--k", "7", "--corpus", seeds, "--index", index, "源城区今后五年的工作重点是什么？")
		if err != nil {
			t.Fatalf("ask --k 7: %v\n%s", err, errOut)
		}
		var res struct {
			Passages []struct {
				Rank int `json:"rank"`
			} `json:"passages"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, out)
		}
		if len(res.Passages) != 7 {
			t.Fatalf("got %d passages, want 7", len(res.Passages))
		}
		for i, p := range res.Passages {
			if p.Rank != i+1 {
				t.Errorf("passage %d: got rank %d, want %d", i, p.Rank, i+1)
			}
		}
	})
}

func TestAskJSONLinesAnswersEveryLineInOrder(t *testing.T) {
	seeds := seedsDir(t)
	index := filepath.Join(t.TempDir(), "index")
	in := `{"id":"q1","question":"济源是哪一年撤县建市的？"}` + "\n" +
		`{"id":"q2","question":"源城区` + "\n" +
		`{"id":"q3","question":"   "}` + "\n"
	out, errOut, err := askRun(t, in, "ask", "--jsonl", "--corpus", seeds, "--index", index)
	if err != nil {
		t.Fatalf("ask --jsonl: %v\n%s", err, errOut)
	}
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("stdout line %d is not a JSON object (stdout must be pure JSON): %v\n%s", len(lines)+1, err, sc.Text())
		}
		lines = append(lines, m)
	}
	if len(lines) != 3 {
		t.Fatalf("got %d lines, want 3:\n%s", len(lines), out)
	}
	tests := []struct {
		name      string
		line      map[string]any
		wantID    any
		wantError string // "" for an answer
	}{
		{"the good line is answered with its id", lines[0], "q1", ""},
		{"the malformed line becomes an error naming its line", lines[1], nil, "line 2"},
		{"the line with an empty question becomes an error keeping its id", lines[2], "q3", "line 3: no question"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if id, ok := tc.line["id"]; !ok || id != tc.wantID {
				t.Errorf("got id %v (present %v), want %v", id, ok, tc.wantID)
			}
			if tc.wantError == "" {
				checkResult(t, tc.line, seeds)
				if _, ok := tc.line["error"]; ok {
					t.Errorf("got error %v on a good line", tc.line["error"])
				}
				return
			}
			msg, _ := tc.line["error"].(string)
			if !strings.Contains(msg, tc.wantError) {
				t.Errorf("got error %q, want one with %q", msg, tc.wantError)
			}
			if len(tc.line) != 2 {
				t.Errorf("got fields %v, want only id and error", tc.line)
			}
		})
	}
	t.Run("logs are on stderr only", func(t *testing.T) {
		if errOut == "" {
			t.Errorf("got nothing on stderr, want the index build logged")
		}
	})
}

func TestAskWithoutAQuestionIsAnError(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"no arguments at all", nil},
		{"only flags", []string{"--json", "--k", "3"}},
		{"a blank question", []string{"  "}},
		{"a blank question in JSON mode", []string{"--json", " ", "\t"}},
	}
	for _, tc := range tests {
		t.Run(tc.name+" is an error that shows an example", func(t *testing.T) {
			index := filepath.Join(t.TempDir(), "index")
			out, _, err := askRun(t, "", append([]string{"ask", "--index", index}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), "give a question") {
				t.Fatalf("got error %v, want one asking for a question", err)
			}
			if out != "" {
				t.Errorf("got stdout %q, want nothing", out)
			}
			if _, statErr := os.Stat(index); statErr == nil {
				t.Errorf("an index was built at %s for no question", index)
			}
		})
	}
}

func TestAskAnswersFromTheFolderTheIndexWasBuiltFrom(t *testing.T) {
	dir := t.TempDir()
	corpus, index := filepath.Join(dir, "my corpus"), filepath.Join(dir, "index")
	if err := os.MkdirAll(corpus, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(corpus, "mascot.txt"),
		"关于发布示范区吉祥物的通知\n\n经广泛征集和专家评审，示范区吉祥物确定为“愚公娃娃”，于2021年3月18日正式对外发布，并在各类宣传活动中统一使用。\n")
	out, errOut, err := askRun(t, "", "ingest", "--corpus", corpus, "--index", index)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "1 files") {
		t.Errorf("got ingest summary %q, want 1 file", out)
	}
	// No --corpus: the default (./seeds) does not exist here, so the
	// answer can only come from the folder recorded in the index.
	out, errOut, err = askRun(t, "", "ask", "--json", "--index", index, "示范区吉祥物是什么？")
	if err != nil {
		t.Fatalf("ask: %v\n%s", err, errOut)
	}
	var res struct {
		Answer   string `json:"answer"`
		Passages []struct {
			Source string `json:"source"`
		} `json:"passages"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out)
	}
	t.Run("the passages come from the indexed folder", func(t *testing.T) {
		if len(res.Passages) == 0 || res.Passages[0].Source != "mascot.txt" {
			t.Errorf("got passages %+v, want mascot.txt first", res.Passages)
		}
	})
	t.Run("the answer quotes the indexed document", func(t *testing.T) {
		if !strings.Contains(res.Answer, "愚公娃娃") {
			t.Errorf("got answer %q, want one naming 愚公娃娃", res.Answer)
		}
	})
	t.Run("the index is not rebuilt", func(t *testing.T) {
		if strings.Contains(errOut, "building") || strings.Contains(errOut, "stale") {
			t.Errorf("got stderr %q, want the index used as built", errOut)
		}
	})
}

func TestIngestReadsGBKAndWarnsAboutBinaryFiles(t *testing.T) {
	dir := t.TempDir()
	corpus, index := filepath.Join(dir, "corpus"), filepath.Join(dir, "index")
	if err := os.MkdirAll(corpus, 0o755); err != nil {
		t.Fatal(err)
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(
		"济源市关于加快发展新能源汽车产业的意见\n\n到2025年，全市新能源汽车产业产值力争突破三百亿元，建成豫西北新能源汽车零部件生产基地。\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corpus, "gbk.txt"), gbk, 0o600); err != nil {
		t.Fatal(err)
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa")
	if err := os.WriteFile(filepath.Join(corpus, "scan.txt"), png, 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := askRun(t, "", "ingest", "--corpus", corpus, "--index", index)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	t.Run("ingest succeeds and counts the binary file as skipped", func(t *testing.T) {
		if !strings.Contains(out, "2 files") || !strings.Contains(out, "1 skipped") {
			t.Errorf("got summary %q, want 2 files with 1 skipped", out)
		}
	})
	t.Run("the warning on stderr names the binary file", func(t *testing.T) {
		var warns []string
		for _, l := range strings.Split(errOut, "\n") {
			if strings.Contains(l, "level=WARN") {
				warns = append(warns, l)
			}
		}
		if len(warns) != 1 || !strings.Contains(warns[0], "file=scan.txt") || !strings.Contains(warns[0], "not a text file") {
			t.Errorf("got warnings %q, want one naming scan.txt as not a text file", warns)
		}
	})
	t.Run("the GBK file is answerable with its original line numbers", func(t *testing.T) {
		out, errOut, err := askRun(t, "", "ask", "--json", "--index", index, "新能源汽车产业产值目标是多少？")
		if err != nil {
			t.Fatalf("ask: %v\n%s", err, errOut)
		}
		var res struct {
			Passages []struct {
				Source    string `json:"source"`
				Start     int    `json:"start"`
				End       int    `json:"end"`
				LineStart int    `json:"line_start"`
				Text      string `json:"text"`
			} `json:"passages"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("stdout is not JSON: %v\n%s", err, out)
		}
		var found bool
		for _, p := range res.Passages {
			if p.Source != "gbk.txt" || !strings.Contains(p.Text, "三百亿元") {
				continue
			}
			found = true
			src, err := simplifiedchinese.GB18030.NewDecoder().Bytes(gbk[p.Start:p.End])
			if err != nil || !strings.Contains(string(src), "三百亿元") {
				t.Errorf("bytes [%d,%d) of the GBK file decode to %q (%v), want the passage", p.Start, p.End, src, err)
			}
			if want := 1 + bytes.Count(gbk[:p.Start], []byte("\n")); p.LineStart != want {
				t.Errorf("got line_start %d, want %d (the line of byte %d)", p.LineStart, want, p.Start)
			}
		}
		if !found {
			t.Errorf("got passages %+v, want the GBK body passage", res.Passages)
		}
	})
}

func TestAskReportsAllConfigErrorsTogether(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "policybot.yaml")
	writeFile(t, cfg, "chunk:\n  target_chars: 800\n  max_chars: 700\nllm:\n  temperature: 5\n")
	_, _, err := askRun(t, "", "ask", "--config", cfg, "--index", filepath.Join(dir, "index"),
		"--retrieval", "fuzzy", "--k", "-2", "济源是哪一年撤县建市的？")
	if err == nil {
		t.Fatal("got no error, want the invalid settings reported")
	}
	for _, field := range []string{"chunk.target_chars", "llm.temperature", "retrieval.mode", "retrieval.k"} {
		t.Run("the error names "+field, func(t *testing.T) {
			if !strings.Contains(err.Error(), field) {
				t.Errorf("got error %q, want it to name %s", err, field)
			}
		})
	}
	t.Run("a config file given by POLICYBOT_CONFIG is validated the same way", func(t *testing.T) {
		var out, errOut bytes.Buffer
		err := run(context.Background(), []string{"ask", "--index", filepath.Join(dir, "index"), "问题"},
			strings.NewReader(""), &out, &errOut, envFunc(map[string]string{"POLICYBOT_CONFIG": cfg}))
		if err == nil || !strings.Contains(err.Error(), "chunk.target_chars") || !strings.Contains(err.Error(), "llm.temperature") {
			t.Errorf("got error %v, want both invalid settings named", err)
		}
	})
}

func TestAskShowsTraditionalScriptAnswersInSimplified(t *testing.T) {
	const question = "济源2018年农村居民人均可支配收入是多少元？" // answered from 001, in traditional script
	seeds := seedsDir(t)
	dir := t.TempDir()
	index := filepath.Join(dir, "index")
	original := filepath.Join(dir, "original.yaml")
	writeFile(t, original, "answer:\n  script: original\n")
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		label string
		shown string // the answer's text
	}{
		{"by default the answer is converted and says so", nil, nil, rag.ConvertedLabel, "农村居民人均可支配收入达18446元"},
		{"--script original keeps the document's script and the 原文 label", []string{"--script", "original"}, nil, rag.ExcerptLabel, "農村居民人均可支配收入達18446元"},
		{"answer.script: original in the config file does the same", []string{"--config", original}, nil, rag.ExcerptLabel, "農村居民人均可支配收入達18446元"},
		{"POLICYBOT_ANSWER_SCRIPT=original does the same", nil, map[string]string{"POLICYBOT_ANSWER_SCRIPT": "original"}, rag.ExcerptLabel, "農村居民人均可支配收入達18446元"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"ask", "--json", "--corpus", seeds, "--index", index}, tt.args...), question)
			var out, errOut bytes.Buffer
			if err := run(context.Background(), args, strings.NewReader(""), &out, &errOut, envFunc(tt.env)); err != nil {
				t.Fatalf("ask: %v\n%s", err, errOut.String())
			}
			var res rag.Result
			if err := json.Unmarshal(out.Bytes(), &res); err != nil {
				t.Fatalf("stdout is not a result: %v\n%s", err, out.String())
			}
			if label, _, _ := strings.Cut(res.Answer, "\n"); label != tt.label {
				t.Errorf("got label %q, want %q", label, tt.label)
			}
			if !strings.Contains(res.Answer, tt.shown) {
				t.Errorf("got answer %q, want it to show %q", res.Answer, tt.shown)
			}
			// Citations and passages keep the original text and its exact
			// byte range, whatever the answer shows.
			var quoted bool
			for _, c := range res.Citations {
				raw, err := os.ReadFile(filepath.Join(seeds, c.Source))
				if err != nil || c.Start < 0 || c.End > len(raw) || c.Start >= c.End {
					t.Fatalf("citation [%d]: range [%d,%d) of %s is not in the file (%v)", c.N, c.Start, c.End, c.Source, err)
				}
				span := rePinyinNote.ReplaceAllString(string(raw[c.Start:c.End]), "")
				if strings.Contains(c.Quote, "農村居民人均可支配收入達18446元") && strings.Contains(span, c.Quote) {
					quoted = true
				}
			}
			if !quoted {
				t.Errorf("got citations %+v, want one quoting the traditional sentence found in its file range", res.Citations)
			}
			if !slices.ContainsFunc(res.Passages, func(p rag.Passage) bool { return strings.Contains(p.Text, "農村居民") }) {
				t.Errorf("got passages %+v, want their text in the original script", res.Passages)
			}
		})
	}
	t.Run("the terminal shows the converted label", func(t *testing.T) {
		out, errOut, err := askRun(t, "", "ask", "--corpus", seeds, "--index", index, question)
		if err != nil {
			t.Fatalf("ask: %v\n%s", err, errOut)
		}
		if !strings.HasPrefix(out, rag.ConvertedLabel+"\n") || !strings.Contains(out, "农村居民") {
			t.Errorf("got %q, want the simplified answer under %q", out, rag.ConvertedLabel)
		}
	})
}

func TestAskRejectsAnUnknownScript(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "policybot.yaml")
	writeFile(t, cfg, "answer:\n  script: traditional\n")
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"in the config file", []string{"--config", cfg}, nil, `answer.script: "traditional" is not one of simplified, original`},
		{"by the flag", []string{"--script", "trad"}, nil, `answer.script: "trad" is not one of simplified, original`},
		{"by the environment", nil, map[string]string{"POLICYBOT_ANSWER_SCRIPT": "繁体"}, `POLICYBOT_ANSWER_SCRIPT: "繁体" is not one of simplified, original`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(append([]string{"ask", "--index", filepath.Join(dir, "index")}, tt.args...), "问题")
			var out, errOut bytes.Buffer
			err := run(context.Background(), args, strings.NewReader(""), &out, &errOut, envFunc(tt.env))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// rePinyinNote matches a pinyin annotation of the raw seed text, 報(bào).
var rePinyinNote = regexp.MustCompile(`\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)`)

func TestAskExplainSaysHowTheAnswerCameAbout(t *testing.T) {
	seeds := seedsDir(t)
	index := filepath.Join(t.TempDir(), "index")
	q := "济源是哪一年撤县建市的？"
	t.Run("--explain writes the analysis, candidates, checks and decision after the answer", func(t *testing.T) {
		out, errOut, err := askRun(t, "", "ask", "--explain", "--corpus", seeds, "--index", index, q)
		if err != nil {
			t.Fatalf("ask --explain: %v\n%s", err, errOut)
		}
		for _, want := range []string{"1988", "analysis", "asks-date", "candidates", "refusal checks", "decision"} {
			if !strings.Contains(out, want) {
				t.Errorf("stdout lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("--json --explain adds an explain object, --json alone does not", func(t *testing.T) {
		for _, explain := range []bool{true, false} {
			args := []string{"ask", "--json", "--corpus", seeds, "--index", index, q}
			if explain {
				args = append(args[:1], append([]string{"--explain"}, args[1:]...)...)
			}
			out, errOut, err := askRun(t, "", args...)
			if err != nil {
				t.Fatalf("ask %v: %v\n%s", args, err, errOut)
			}
			var obj map[string]any
			if err := json.Unmarshal([]byte(out), &obj); err != nil {
				t.Fatal(err)
			}
			x, has := obj["explain"].(map[string]any)
			if has != explain {
				t.Fatalf("explain asked %v, got an explain object %v", explain, has)
			}
			if explain {
				wantKeys(t, "explain", x, "analysis", "candidates", "checks", "decision")
			}
		}
	})
}

func TestAskJSONLinesResolvesFollowUpsFromTextHistory(t *testing.T) {
	// The eval format sends follow-ups with the history as text only: the
	// previous answer is someone else's, and the previous result is recovered.
	seeds := seedsDir(t)
	index := filepath.Join(t.TempDir(), "index")
	lines := []map[string]any{
		{"id": "ordinal", "question": "第三条具体怎么说的？", "history": []rag.Turn{
			{Role: "user", Content: "总体方案里的基本原则有哪些？"},
			{Role: "assistant", Content: "总体方案提出四条基本原则：规划引领、优化布局；以产兴城、依城促产；改革创新、先行先试；绿色低碳、生态环保[1]。"},
		}},
		{"id": "document", "question": "它的文号是多少？", "history": []rag.Turn{
			{Role: "user", Content: "济源示范区到2020年人均生产总值要突破多少？"},
			{Role: "assistant", Content: "总体方案提出，到2020年人均生产总值突破10万元[1]。"},
		}},
	}
	var in strings.Builder
	for _, l := range lines {
		b, _ := json.Marshal(l)
		in.Write(append(b, '\n'))
	}
	out, errOut, err := askRun(t, in.String(), "ask", "--jsonl", "--corpus", seeds, "--index", index)
	if err != nil {
		t.Fatalf("ask --jsonl: %v\n%s", err, errOut)
	}
	want := map[string]string{"ordinal": "省直管体制优势", "document": "豫政〔2017〕20号"}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<24)
	n := 0
	for sc.Scan() {
		var res rag.Result
		if err := json.Unmarshal(sc.Bytes(), &res); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		n++
		t.Run("the "+res.ID+" follow-up is answered from what it points at", func(t *testing.T) {
			if !res.Answered || !strings.Contains(res.Answer, want[res.ID]) {
				t.Errorf("got %q (standalone %q), want it to hold %q", res.Answer, res.Standalone, want[res.ID])
			}
		})
	}
	if n != len(lines) {
		t.Fatalf("got %d results, want %d", n, len(lines))
	}
}
