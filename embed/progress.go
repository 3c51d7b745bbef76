package embed

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// barWidth is the number of cells in the progress bar.
const barWidth = 30

// NewProgressBar returns an OpenAIConfig.Progress function that redraws a
// one-line bar on w with a carriage return, ending the line when done
// reaches total. When w is not a terminal (a pipe, a log file, a buffer)
// it prints nothing, so logs stay free of control characters.
func NewProgressBar(w io.Writer, label string) func(done, total int) {
	if !isTerminal(w) {
		return func(int, int) {}
	}
	return func(done, total int) { drawBar(w, label, done, total) }
}

// isTerminal reports whether w is a character device such as a TTY. It
// uses the file mode rather than golang.org/x/term to avoid a dependency;
// the only false positive, /dev/null, discards the output anyway.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// drawBar writes "\r<label> [#####.....]  50% 16/32", plus a newline when
// the work is complete.
func drawBar(w io.Writer, label string, done, total int) {
	if total <= 0 {
		return
	}
	done = min(max(done, 0), total)
	filled := done * barWidth / total
	bar := strings.Repeat("#", filled) + strings.Repeat(".", barWidth-filled)
	end := ""
	if done == total {
		end = "\n"
	}
	fmt.Fprintf(w, "\r%s [%s] %3d%% %d/%d%s", label, bar, done*100/total, done, total, end)
}
