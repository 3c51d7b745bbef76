package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sample = `# Unihan_Variants.txt
# Unicode version: 15.0.0
#
U+4E7E	kSimplifiedVariant	U+4E7E U+5E72
U+5FA9	kSimplifiedVariant	U+590D U+5FA9
U+6FDF	kSimplifiedVariant	U+6D4E
U+6FDF	kSemanticVariant	U+6E08<kMatthews
U+85B4	kSimplifiedVariant	U+82E7
U+82E7	kSimplifiedVariant	U+82CE
U+7B51	kSimplifiedVariant	U+7B51
`

func TestParseAndResolve(t *testing.T) {
	version, pairs, err := parse([]byte(sample))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if version != "15.0.0" {
		t.Errorf("got version %q, want %q", version, "15.0.0")
	}
	m := resolve(pairs)
	tests := []struct {
		name   string
		from   rune
		want   rune
		mapped bool
	}{
		{"a single variant is kept", '濟', '济', true},
		{"the first of several variants is taken", '復', '复', true},
		{"a character listing itself first is dropped", '乾', 0, false},
		{"an identity entry is dropped", '筑', 0, false},
		{"a chain is resolved to its end", '薴', '苎', true},
		{"other variant fields are ignored", '済', 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := m[tt.from]
			if ok != tt.mapped || got != tt.want {
				t.Errorf("m[%c] = %q, %v; want %q, %v", tt.from, got, ok, tt.want, tt.mapped)
			}
		})
	}
}

func TestParseRejectsMalformedCodePoint(t *testing.T) {
	_, _, err := parse([]byte("U+ZZZZ\tkSimplifiedVariant\tU+4E00\n"))
	if err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("got error %v, want one naming line 1", err)
	}
}

func TestRunWritesGoFileFromZip(t *testing.T) {
	dir := t.TempDir()
	zpath := filepath.Join(dir, "Unihan.zip")
	f, err := os.Create(zpath)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, err := zw.Create("Unihan_Variants.txt")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(sample)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "table.go")
	var stderr strings.Builder
	if err := run([]string{"-unihan", zpath, "-o", out}, &stderr); err != nil {
		t.Fatalf("run: %v (stderr %q)", err, stderr.String())
	}
	src, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"// Code generated", "DO NOT EDIT.", "Unicode 15.0.0", "package fold",
		"{0x5FA9, 0x590D}", "{0x6FDF, 0x6D4E}", "{0x85B4, 0x82CE}", "{0x7523, 0x4EA7}", // 産 from the supplement
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("generated file lacks %q", want)
		}
	}
	if strings.Contains(string(src), "0x4E7E") {
		t.Errorf("generated file maps 乾, whose first variant is itself")
	}
}
