package ingest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func seedFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../seeds/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed files found: %v", err)
	}
	return files
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test ./ingest -update to create it): %v", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs in length: got %d lines, want %d", path, len(gl), len(wl))
	}
}

func dumpFile(f *File) string {
	var sb strings.Builder
	for _, d := range f.Documents {
		fmt.Fprintf(&sb, "DOC %s title=%q issuer=%q date=%s pub=%s number=%q validity=%q bytes=[%d,%d) chunks=%d\n",
			d.ID, d.Title, d.Issuer, d.Date, d.PubDate, d.DocNumber, d.Validity, d.Start, d.End, d.Chunks)
	}
	for _, c := range f.Chunks {
		fmt.Fprintf(&sb, "\nCHUNK %s %s %s bytes=[%d,%d) lines=%d-%d runes=%d\nSECTION %s\n%s\n",
			c.ID, c.DocID, c.Kind, c.Start, c.End, c.LineStart, c.LineEnd, len([]rune(c.Text)), c.Section, c.Text)
	}
	return sb.String()
}

func TestSeedFilesMatchGoldenCleaningAndChunks(t *testing.T) {
	for _, path := range seedFiles(t) {
		name := filepath.Base(path)
		t.Run(name+" cleans and chunks as recorded", func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			dec, err := Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, strings.TrimSuffix(name, ".txt")+".clean.golden", CleanText(dec.Text)+"\n")
			f, err := Parse(name, raw, DefaultChunkOptions)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, strings.TrimSuffix(name, ".txt")+".chunks.golden", dumpFile(f))
		})
	}
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func TestEveryChunkIsItsOwnOriginalBytesCleaned(t *testing.T) {
	for _, path := range seedFiles(t) {
		name := filepath.Base(path)
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(name, raw, DefaultChunkOptions)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name+" chunks point at their exact bytes", func(t *testing.T) {
			lineOf := newLineIndex(string(raw))
			for _, c := range f.Chunks {
				if c.Start < 0 || c.End > len(raw) || c.Start >= c.End {
					t.Fatalf("chunk %s has bad range [%d,%d)", c.ID, c.Start, c.End)
				}
				got := CleanText(string(raw[c.Start:c.End]))
				// Line joins may differ when a span starts mid-paragraph; the
				// characters may not.
				if squash(got) != squash(c.Text) {
					t.Errorf("chunk %s [%d,%d): cleaned bytes\n%q\nwant chunk text\n%q", c.ID, c.Start, c.End, got, c.Text)
				}
				if l := lineOf.line(c.Start); l != c.LineStart {
					t.Errorf("chunk %s: got line_start %d, want %d", c.ID, c.LineStart, l)
				}
				if l := lineOf.line(c.End - 1); l != c.LineEnd {
					t.Errorf("chunk %s: got line_end %d, want %d", c.ID, c.LineEnd, l)
				}
				if len([]rune(c.Folded)) != len([]rune(c.Text)) {
					t.Errorf("chunk %s: folded text has %d runes, text %d", c.ID, len([]rune(c.Folded)), len([]rune(c.Text)))
				}
				if n := len([]rune(c.Text)); n > DefaultChunkOptions.Max {
					t.Errorf("chunk %s has %d runes, over the maximum %d", c.ID, n, DefaultChunkOptions.Max)
				}
			}
		})
	}
}
