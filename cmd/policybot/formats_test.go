package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// formatsCorpus lays out the five seeds beside one file of every format
// ingest reads and a few files that are not what they claim, as an office's
// folder would hold them.
func formatsCorpus(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	seeds := seedsDir(t)
	entries, err := os.ReadDir(seeds)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		copyFile(t, filepath.Join(seeds, e.Name()), filepath.Join(dir, e.Name()))
	}
	fx := filepath.Join(seedsDir(t), "..", "ingest", "testdata", "formats")
	for src, dst := range map[string]string{
		"notice.docx":           "粮食生产工作方案.docx",
		"page.html":             "春季农业生产工作要点.html",
		"ofd/notice.ofd":        "辞职批复.ofd",
		"pdf/gov.pdf":           "稳就业若干措施.pdf",       // printed by Chromium
		"pdf/cid.pdf":           "稳就业工作通知.pdf",       // CID font, made by pango
		"pdf/binary.pdf":        "bad/binary.pdf",    // not a PDF at all
		"pdf/truncated.pdf":     "bad/truncated.pdf", // cut short
		"pdf/encrypted.pdf":     "bad/encrypted.pdf", // needs a password
		"notice-lo.docx":        "bad/../notice-lo.docx",
		"src/notice-lo.fodt":    "bad/ignored.fodt", // not a format ingest looks at
		"ofd/keyword2.ofd":      "keyword2.ofd",
		"ofd/helloworld.ofd":    "helloworld.ofd",
		"notice.docx.golden":    "bad/notice.docx.golden",
		"page.html.golden":      "bad/page.html.golden",
		"notice-lo.docx.golden": "bad/notice-lo.docx.golden",
	} {
		copyFile(t, filepath.Join(fx, src), filepath.Join(dir, dst))
	}
	writeFile(t, filepath.Join(dir, "bad", "old.doc"), "\xd0\xcf\x11\xe0 an old Word file")
	writeFile(t, filepath.Join(dir, "bad", "junk.docx"), strings.Repeat("\x00\x01 not a zip ", 100))
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	raw, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestEveryFormatIsIngestedAndCited ingests a folder holding every format
// in one command and asks about a figure found only in each new file.
func TestEveryFormatIsIngestedAndCited(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an index over the seeds and every format")
	}
	corpus := formatsCorpus(t)
	idx := filepath.Join(t.TempDir(), "index")
	_, stderr, err := askRun(t, "", "ingest", "--corpus", corpus, "--index", idx)
	if err != nil {
		t.Fatalf("ingest of a folder with bad files failed (want warnings and exit 0): %v\n%s", err, stderr)
	}
	for _, bad := range []string{"bad/binary.pdf", "bad/truncated.pdf", "bad/encrypted.pdf", "bad/old.doc", "bad/junk.docx"} {
		if !strings.Contains(stderr, bad) {
			t.Errorf("ingest gave no warning naming %s:\n%s", bad, stderr)
		}
	}
	if strings.Contains(stderr, "ignored.fodt") {
		t.Errorf("ingest warned about a file type it does not look at:\n%s", stderr)
	}

	tests := []struct {
		name     string
		question string
		source   string
		figure   string
		page     int // 0: no page (Word, HTML)
	}{
		{"a figure in a Word table is answered from the .docx", "青川县高标准农田2023年有多少万亩？", "粮食生产工作方案.docx", "29.7万亩", 0},
		{"a figure in a saved web page is answered from the .html", "青川春耕要储备多少化肥？", "春季农业生产工作要点.html", "1.8万吨", 0},
		{"a fact in an OFD file is answered with its page", "张阿三是哪一年出生的？", "辞职批复.ofd", "1978年", 1},
		{"a figure on page 2 of a printed PDF is cited with page 2", "示例市2023年新增就业岗位多少个？", "稳就业若干措施.pdf", "3.2万个", 2},
		{"a figure in a CID-font PDF is answered with its page", "2023年全省城镇新增就业多少人？", "稳就业工作通知.pdf", "68.5万人", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, err := askRun(t, "", "ask", "--json", "--corpus", corpus, "--index", idx, tc.question)
			if err != nil {
				t.Fatalf("ask: %v\n%s", err, stderr)
			}
			var res struct {
				Answer    string           `json:"answer"`
				Answered  bool             `json:"answered"`
				Citations []map[string]any `json:"citations"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("ask --json printed %q: %v", out, err)
			}
			if !res.Answered || !strings.Contains(strings.ReplaceAll(res.Answer, " ", ""), tc.figure) {
				t.Fatalf("got answer %q (answered %v), want it to hold %s", res.Answer, res.Answered, tc.figure)
			}
			var cited map[string]any
			for _, c := range res.Citations {
				if c["source"] == tc.source {
					cited = c
					break
				}
			}
			if cited == nil {
				t.Fatalf("the answer cites %v, not %s", res.Citations, tc.source)
			}
			if _, ok := cited["line_start"]; ok {
				t.Errorf("a %s citation has line_start %v; lines are for text files only", filepath.Ext(tc.source), cited["line_start"])
			}
			page, _ := cited["page"].(float64)
			if int(page) != tc.page {
				t.Errorf("got page %v, want %d", cited["page"], tc.page)
			}
			// start/end are offsets into the extracted text `policybot extract` prints.
			text, _, err := askRun(t, "", "extract", filepath.Join(corpus, tc.source))
			if err != nil {
				t.Fatalf("extract: %v", err)
			}
			start, end := int(cited["start"].(float64)), int(cited["end"].(float64))
			if start < 0 || end > len(text) || start >= end {
				t.Fatalf("citation range [%d,%d) is outside the extracted text (%d bytes)", start, end, len(text))
			}
			if !strings.Contains(strings.ReplaceAll(text[start:end], "\n", ""), tc.figure) {
				t.Errorf("extracted text [%d,%d) = %q does not hold %s", start, end, text[start:end], tc.figure)
			}
		})
	}

	t.Run("the script text of a web page is never indexed", func(t *testing.T) {
		out, _, err := askRun(t, "", "ask", "--json", "--corpus", corpus, "--index", idx, "分享脚本文字不应出现")
		if err != nil {
			t.Fatal(err)
		}
		var res struct {
			Passages []struct{ Source, Text string } `json:"passages"`
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		for _, p := range res.Passages {
			if strings.Contains(p.Text, "分享脚本文字") || strings.Contains(p.Text, "Math.random") {
				t.Errorf("a passage of %s holds the page's script text: %q", p.Source, p.Text)
			}
		}
	})
}
