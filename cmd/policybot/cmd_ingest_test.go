package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"policybot/ingest"
)

// runEnv runs policybot with args and the given environment.
func runEnv(t *testing.T, vars map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(""), &out, &errOut, envFunc(vars))
	return out.String(), errOut.String(), err
}

const mascotDoc = "关于发布示范区吉祥物的通知\n\n经广泛征集和专家评审，示范区吉祥物确定为“愚公娃娃”，于2021年3月18日正式对外发布，并在各类宣传活动中统一使用。\n"

// badCorpus writes a folder of one good file and one of each kind of bad
// file, and returns it.
func badCorpus(t *testing.T) string {
	t.Helper()
	corpus := filepath.Join(t.TempDir(), "corpus")
	if err := os.MkdirAll(corpus, 0o755); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(rng.IntN(256))
	}
	files := map[string]string{
		"mascot.txt":  mascotDoc,
		"junk.txt":    string(junk),
		"empty.md":    "",
		"damaged.txt": strings.Replace(mascotDoc, "，", "\xff，", 1),
		"old.doc":     "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
		// Over ingest.max_file_mb = 1 (set by the tests' environment).
		"huge.txt": strings.Repeat("示范区的文件。\n", (1<<20)/22+1),
	}
	for name, text := range files {
		writeFile(t, filepath.Join(corpus, name), text)
	}
	return corpus
}

var smallFiles = map[string]string{"POLICYBOT_INGEST_MAX_FILE_MB": "1"}

func TestIngestWarnsAboutBadFilesAndIndexesTheGoodOnes(t *testing.T) {
	corpus := badCorpus(t)
	index := filepath.Join(t.TempDir(), "index")
	out, errOut, err := runEnv(t, smallFiles, "ingest", "--corpus", corpus, "--index", index)
	if err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	summary := errOut[strings.Index(errOut, "skipped 4 files"):]
	tests := []struct {
		name, file, reason string
	}{
		{"binary junk named .txt is not text", "junk.txt", "not a text file"},
		{"an empty file has no text", "empty.md", "no text"},
		{"a .doc says how to convert it", "old.doc", "libreoffice --headless --convert-to docx"},
		{"a file over ingest.max_file_mb is too large", "huge.txt", "over the file size limit"},
		{"invalid UTF-8 inside good text is indexed with a count of replacements", "damaged.txt", "1 invalid byte sequences replaced"},
	}
	for _, tc := range tests {
		t.Run("the summary on stderr says "+tc.name, func(t *testing.T) {
			var line string
			for _, l := range strings.Split(summary, "\n") {
				if strings.HasPrefix(l, "  "+tc.file+": ") {
					line = l
				}
			}
			if !strings.Contains(line, tc.reason) {
				t.Errorf("got summary line %q, want %s with %q; summary:\n%s", line, tc.file, tc.reason, summary)
			}
		})
	}
	t.Run("stdout counts the skipped files and holds no warning", func(t *testing.T) {
		if !strings.Contains(out, "6 files") || !strings.Contains(out, "2 added") || !strings.Contains(out, "4 skipped") || strings.Contains(out, "junk.txt") {
			t.Errorf("got %q, want 6 files, 2 added, 4 skipped", out)
		}
	})
	t.Run("the good files are answerable", func(t *testing.T) {
		out, errOut, err := runEnv(t, smallFiles, "ask", "--json", "--corpus", corpus, "--index", index, "示范区吉祥物是什么？")
		if err != nil {
			t.Fatalf("ask: %v\n%s", err, errOut)
		}
		if !strings.Contains(out, "愚公娃娃") || strings.Contains(errOut, "stale") {
			t.Errorf("got %s (stderr %q), want an answer from the index as built, naming 愚公娃娃", out, errOut)
		}
	})
	t.Run("with --strict the good files are indexed and the exit is an error naming the bad ones", func(t *testing.T) {
		writeFile(t, filepath.Join(corpus, "more.txt"), strings.Replace(mascotDoc, "吉祥物", "宣传口号", -1))
		out, errOut, err := runEnv(t, smallFiles, "ingest", "--strict", "--corpus", corpus, "--index", index)
		if err == nil {
			t.Fatalf("got no error; stderr:\n%s", errOut)
		}
		for _, f := range []string{"junk.txt", "empty.md", "old.doc", "huge.txt", "damaged.txt"} {
			if !strings.Contains(err.Error(), f) {
				t.Errorf("error %q does not name %s", err, f)
			}
		}
		if !strings.Contains(out, "1 added") {
			t.Errorf("got %q, want more.txt added before the error", out)
		}
	})
	t.Run("without bad files --strict succeeds", func(t *testing.T) {
		good := t.TempDir()
		writeFile(t, filepath.Join(good, "mascot.txt"), mascotDoc)
		if _, errOut, err := runEnv(t, nil, "ingest", "--strict", "--corpus", good, "--index", filepath.Join(t.TempDir(), "index")); err != nil {
			t.Errorf("got %v, want success; stderr:\n%s", err, errOut)
		}
	})
}

func TestExtractPrintsTheTextIngestReads(t *testing.T) {
	dir := t.TempDir()
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(mascotDoc))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"plain.md":    mascotDoc,
		"bom.txt":     "\xef\xbb\xbf" + mascotDoc,
		"gbk.txt":     string(gbk),
		"damaged.txt": strings.Replace(mascotDoc, "，", "\xff，", 1),
		"old.doc":     "\xd0\xcf\x11\xe0",
		"huge.txt":    strings.Repeat("示范区的文件。\n", (1<<20)/22+1),
	}
	for name, text := range files {
		writeFile(t, filepath.Join(dir, name), text)
	}
	tests := []struct {
		name, file string
		stdout     string
		stderr     string
		err        error
	}{
		{"a UTF-8 file is printed unchanged", "plain.md", mascotDoc, "", nil},
		{"a byte-order mark is dropped", "bom.txt", mascotDoc, "", nil},
		{"GBK is printed as UTF-8", "gbk.txt", mascotDoc, "", nil},
		{"invalid bytes are printed as U+FFFD and counted on stderr", "damaged.txt",
			strings.Replace(mascotDoc, "，", "\uFFFD，", 1), "damaged.txt: 1 invalid byte sequences replaced", nil},
		{"a .doc is refused with the conversion hint", "old.doc", "", "", ingest.ErrUnsupported},
		{"a file over ingest.max_file_mb is refused unread", "huge.txt", "", "", ingest.ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, err := runEnv(t, smallFiles, "extract", filepath.Join(dir, tc.file))
			if !errors.Is(err, tc.err) {
				t.Fatalf("got error %v, want %v", err, tc.err)
			}
			if out != tc.stdout {
				t.Errorf("got stdout %q, want %q", out, tc.stdout)
			}
			if !strings.Contains(errOut, tc.stderr) {
				t.Errorf("got stderr %q, want it to hold %q", errOut, tc.stderr)
			}
		})
	}
	t.Run("a .doc error says how to convert it", func(t *testing.T) {
		_, _, err := runEnv(t, nil, "extract", filepath.Join(dir, "old.doc"))
		if err == nil || !strings.Contains(err.Error(), "--convert-to docx") {
			t.Errorf("got %v, want the conversion hint", err)
		}
	})
	t.Run("no file is a usage error", func(t *testing.T) {
		if _, _, err := runEnv(t, nil, "extract"); err == nil {
			t.Error("got no error")
		}
	})
}

func TestExtractedTextHoldsEveryCitedPassageAtItsOffsets(t *testing.T) {
	corpus := filepath.Join(t.TempDir(), "corpus")
	index := filepath.Join(t.TempDir(), "index")
	if err := os.MkdirAll(corpus, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(corpus, "mascot.md"), mascotDoc)
	if _, errOut, err := runEnv(t, nil, "ingest", "--corpus", corpus, "--index", index); err != nil {
		t.Fatalf("ingest: %v\n%s", err, errOut)
	}
	out, errOut, err := runEnv(t, nil, "ask", "--json", "--corpus", corpus, "--index", index, "示范区吉祥物是什么？")
	if err != nil {
		t.Fatalf("ask: %v\n%s", err, errOut)
	}
	var res struct {
		Passages []struct {
			Source     string
			Start, End int
			Text       string
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || len(res.Passages) == 0 {
		t.Fatalf("got %s (%v), want passages", out, err)
	}
	for _, p := range res.Passages {
		t.Run("passage "+p.Source+" is text[start:end] of the extracted text", func(t *testing.T) {
			text, errOut, err := runEnv(t, nil, "extract", filepath.Join(corpus, p.Source))
			if err != nil {
				t.Fatalf("extract: %v\n%s", err, errOut)
			}
			if p.End > len(text) || noSpaces(text[p.Start:p.End]) != noSpaces(p.Text) {
				t.Errorf("text[%d:%d] of %d bytes is not the passage %q", p.Start, p.End, len(text), p.Text)
			}
		})
	}
}

func noSpaces(s string) string { return strings.Join(strings.Fields(s), "") }

func TestDisableOCRSkipsScannedPDFsWithAWarning(t *testing.T) {
	corpus := t.TempDir()
	writeFile(t, filepath.Join(corpus, "mascot.txt"), mascotDoc)
	copyFile(t, filepath.Join(seedsDir(t), "..", "ingest", "testdata", "formats", "pdf", "scanned.pdf"), filepath.Join(corpus, "scan.pdf"))
	cfg := filepath.Join(t.TempDir(), "policybot.yaml")
	writeFile(t, cfg, "ingest:\n  disable_ocr: true\n")
	_, stderr, err := runEnv(t, nil, "ingest", "--config", cfg, "--corpus", corpus, "--index", filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatalf("ingest failed: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "scan.pdf") || !strings.Contains(stderr, "turned off (ingest.disable_ocr)") {
		t.Errorf("got stderr %q, want scan.pdf skipped because OCR is turned off", stderr)
	}
}
