// Command gendict writes lexical's prebuilt dictionary (zh_s.dict) from
// gse's simplified-Chinese word list (data/dict/zh/s_1.txt in the gse module
// of go.mod), applying gse's own loading rules, so the segmenter gets gse's
// exact dictionary without building gse's trie at start-up:
//
//   - a line is "word freq pos"; words with a frequency below 2 are dropped
//     (gse's MinTokenFreq), one-character words get frequency 2;
//   - the key is the word split into gse's units (an ASCII or other one- or
//     two-byte letter/digit run is one unit, lower-cased; everything else one
//     character per unit), concatenated; the first line of a key wins;
//   - the total frequency is summed in file order, as gse does.
//
// Run it with go generate ./lexical.
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"policybot/lexical/internal/units"
)

func main() {
	out := flag.String("o", "zh_s.dict", "output file")
	src := flag.String("src", "", "gse's s_1.txt (default: from the gse module in the module cache)")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gendict:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	if src == "" {
		dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
		if err != nil {
			return fmt.Errorf("locate gse module (go mod download github.com/go-ego/gse): %w", err)
		}
		src = filepath.Join(strings.TrimSpace(string(dir)), "data", "dict", "zh", "s_1.txt")
	}
	raw, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	b, err := Build(string(raw))
	if err != nil {
		return err
	}
	return os.WriteFile(out, b, 0o644)
}

type entry struct {
	key  string
	freq uint64
	pos  string
}

// Build turns gse's dictionary text into the encoded dictionary.
func Build(text string) ([]byte, error) {
	seen := map[string]bool{}
	var ents []entry
	var total float64
	maxUnits := 0
	for _, line := range strings.Split(text, "\n") {
		f := strings.Split(line, " ")
		if len(f) < 2 {
			continue
		}
		word := strings.TrimSpace(f[0])
		freq, err := strconv.ParseFloat(strings.TrimSpace(f[1]), 64)
		if err != nil || freq < 2 {
			continue
		}
		if len([]rune(word)) < 2 {
			freq = 2
		}
		if freq != math.Trunc(freq) || freq > math.MaxUint32 {
			return nil, fmt.Errorf("word %q: frequency %v is not a whole number", word, freq)
		}
		pos := ""
		if len(f) > 2 {
			pos = strings.TrimSpace(strings.Trim(f[2], "\n"))
		}
		us := units.Split(word)
		key := strings.Join(us, "")
		if seen[key] {
			continue
		}
		if strings.ContainsRune(key, '\n') {
			return nil, fmt.Errorf("word %q holds a newline", word)
		}
		seen[key] = true
		ents = append(ents, entry{key, uint64(freq), pos})
		total += freq
		maxUnits = max(maxUnits, len(us))
	}
	slices.SortFunc(ents, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	posNo := map[string]int{}
	var posNames []string
	for _, e := range ents {
		if _, ok := posNo[e.pos]; !ok {
			posNo[e.pos] = len(posNames)
			posNames = append(posNames, e.pos)
		}
	}
	if len(posNames) > 255 {
		return nil, fmt.Errorf("%d part-of-speech tags, at most 255 fit", len(posNames))
	}
	var buf bytes.Buffer
	put := func(v uint64) { buf.Write(binary.AppendUvarint(nil, v)) }
	buf.WriteString("PBDICT1\n")
	put(uint64(len(ents)))
	buf.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(total)))
	put(uint64(maxUnits))
	put(uint64(len(posNames)))
	for _, p := range posNames {
		put(uint64(len(p)))
		buf.WriteString(p)
	}
	n := 0
	for _, e := range ents {
		n += len(e.key) + 1
	}
	put(uint64(n))
	for _, e := range ents {
		buf.WriteString(e.key)
		buf.WriteByte('\n')
	}
	for _, e := range ents {
		put(e.freq)
	}
	for _, e := range ents {
		buf.WriteByte(byte(posNo[e.pos]))
	}
	return buf.Bytes(), nil
}
