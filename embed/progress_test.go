package embed

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestDrawBar(t *testing.T) {
	tests := []struct {
		name        string
		done, total int
		want        string
	}{
		{"nothing done draws an empty bar", 0, 4, "\rembed [..............................]   0% 0/4"},
		{"half done fills half the bar", 2, 4, "\rembed [###############...............]  50% 2/4"},
		{"all done ends the line", 4, 4, "\rembed [##############################] 100% 4/4\n"},
		{"a zero total draws nothing", 0, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			drawBar(&buf, "embed", tt.done, tt.total)
			if got := buf.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewProgressBarIsSilentOffTerminal(t *testing.T) {
	t.Run("a buffer gets nothing", func(t *testing.T) {
		var buf bytes.Buffer
		NewProgressBar(&buf, "embed")(1, 2)
		if buf.Len() != 0 {
			t.Errorf("wrote %q, want nothing", buf.String())
		}
	})
	t.Run("a regular file gets nothing", func(t *testing.T) {
		f, err := os.Create(filepath.Join(t.TempDir(), "log"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		NewProgressBar(f, "embed")(2, 2)
		if fi, _ := f.Stat(); fi.Size() != 0 {
			t.Errorf("wrote %d bytes, want none", fi.Size())
		}
	})
}
