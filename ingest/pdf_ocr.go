package ingest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// OCR of scanned pages: when tesseract with its simplified Chinese data and
// poppler's pdftoppm are installed, a page with no text layer, or whose text
// could not be recovered, is rasterized and recognized.

const ocrHelp = "OCR needed: install tesseract-ocr and tesseract-ocr-chi-sim (and poppler-utils for pdftoppm)"

// ocrOffHelp says why a scanned page was not recognized when OCR is off.
const ocrOffHelp = "OCR needed: it is turned off (ingest.disable_ocr)"

// ocrPageTimeout bounds the recognition of one page.
const ocrPageTimeout = 2 * time.Minute

// ocrAvailable reports whether pdftoppm and tesseract with chi_sim are on
// PATH; it looks once per process.
var ocrAvailable = sync.OnceValue(func() bool {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		return false
	}
	if _, err := exec.LookPath("tesseract"); err != nil {
		return false
	}
	out, err := exec.Command("tesseract", "--list-langs").CombinedOutput()
	if err != nil {
		return false
	}
	return slices.Contains(strings.Fields(string(out)), "chi_sim")
})

// ocrPages fills lines for the 0-based pages with no text (empty) or with
// unreadable text (failed), by OCR when it is available; otherwise it warns
// about each empty page, or returns ErrNoTextLayer when no page at all has
// text.
func ocrPages(raw []byte, lines [][]textLine, empty, failed []int, x *Extracted, lim Limits) error {
	none := len(empty)+len(failed) == len(lines)
	if lim.NoOCR || !ocrAvailable() {
		ocrHelp := ocrHelp
		if lim.NoOCR {
			ocrHelp = ocrOffHelp
		}
		if none {
			if len(failed) == 0 {
				return fmt.Errorf("%w: a scanned PDF (no page has text); %s", ErrNoTextLayer, ocrHelp)
			}
			return fmt.Errorf("%w: no page has recoverable text (%s); %s", ErrNoTextLayer, strings.Join(x.Warnings, "; "), ocrHelp)
		}
		for _, p := range empty {
			x.Warnings = append(x.Warnings, fmt.Sprintf("page %d: no text layer (a scanned page?); %s", p+1, ocrHelp))
		}
		return nil
	}
	dir, err := os.MkdirTemp("", "policybot-ocr-")
	if err != nil {
		return fmt.Errorf("ocr: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, raw, 0o600); err != nil {
		return fmt.Errorf("ocr: %w", err)
	}
	todo := slices.Concat(empty, failed)
	slices.Sort(todo)
	got := 0
	for _, p := range todo {
		text, err := ocrPage(in, dir, p+1)
		if err == nil && strings.TrimSpace(text) == "" {
			err = fmt.Errorf("no text recognized")
		}
		if err == nil {
			if why := unreadable(text); why != "" {
				err = fmt.Errorf("recognized text unreadable: %s", why)
			}
		}
		if err != nil {
			x.Warnings = append(x.Warnings, fmt.Sprintf("page %d: OCR failed (%v)", p+1, err))
			continue
		}
		var ls []textLine
		for _, l := range strings.Split(text, "\n") {
			if l = strings.TrimSpace(sanitize(l)); l != "" {
				ls = append(ls, textLine{y: float64(len(ls)), text: l})
			}
		}
		lines[p] = ls
		got++
		x.OCR = true
		x.Warnings = append(x.Warnings, fmt.Sprintf("page %d: text recognized by OCR", p+1))
	}
	if none && got == 0 {
		return fmt.Errorf("%w: no page has text and OCR recognized none (%s)", ErrNoTextLayer, strings.Join(x.Warnings, "; "))
	}
	return nil
}

// ocrPage rasterizes page n (1-based) of the PDF at in and recognizes it.
func ocrPage(in, dir string, n int) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), ocrPageTimeout)
	defer cancel()
	prefix := filepath.Join(dir, fmt.Sprintf("p%d", n))
	page := fmt.Sprint(n)
	cmd := exec.CommandContext(ctx, "pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", "-f", page, "-l", page, in, prefix)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("pdftoppm: %v: %s", err, strings.TrimSpace(string(out)))
	}
	defer os.Remove(prefix + ".png")
	cmd = exec.CommandContext(ctx, "tesseract", prefix+".png", "stdout", "-l", "chi_sim", "--psm", "6")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("tesseract: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return joinCJKSpaces(string(out)), nil
}

// joinCJKSpaces removes the spaces tesseract puts between Chinese
// characters, keeping those between Latin words and numbers.
func joinCJKSpaces(s string) string {
	rs := []rune(s)
	var sb strings.Builder
	for i, r := range rs {
		if r == ' ' {
			j := i + 1
			for j < len(rs) && rs[j] == ' ' {
				j++
			}
			if i > 0 && j < len(rs) && (rs[i-1] >= 0x2E80 || rs[j] >= 0x2E80) {
				continue
			}
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// qpdfDecrypt returns an encrypted PDF decrypted by qpdf with the empty
// password, ErrEncrypted when it needs a real one, or another error when
// qpdf is not installed or fails.
func qpdfDecrypt(raw []byte) ([]byte, error) {
	if _, err := exec.LookPath("qpdf"); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "policybot-qpdf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(in, raw, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), ocrPageTimeout)
	defer cancel()
	msg, err := exec.CommandContext(ctx, "qpdf", "--password=", "--decrypt", in, out).CombinedOutput()
	if strings.Contains(string(msg), "invalid password") {
		return nil, fmt.Errorf("%w: the PDF needs a password to open; save an unprotected copy", ErrEncrypted)
	}
	// Exit status 3 means warnings only: the file was written.
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 3) {
		return nil, fmt.Errorf("qpdf: %v: %s", err, strings.TrimSpace(string(msg)))
	}
	return os.ReadFile(out)
}
