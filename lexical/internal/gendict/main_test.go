package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestEmbeddedDictionaryIsCurrent fails when lexical/zh_s.dict is not what
// this program makes from the gse module in go.mod: run go generate ./lexical.
func TestEmbeddedDictionaryIsCurrent(t *testing.T) {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
	if err != nil {
		t.Skipf("gse module not available: %v", err)
	}
	raw, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "data", "dict", "zh", "s_1.txt"))
	if err != nil {
		t.Skipf("gse dictionary not available: %v", err)
	}
	want, err := Build(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../zh_s.dict")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("lexical/zh_s.dict (%d bytes) differs from the generated dictionary (%d bytes): run go generate ./lexical", len(got), len(want))
	}
}
