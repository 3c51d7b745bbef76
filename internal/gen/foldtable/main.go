// Command foldtable generates package fold's traditional → simplified
// Chinese table from the Unicode Han database (Unihan).
//
// It reads the kSimplifiedVariant field of Unihan_Variants.txt, given as
// plain text, bzip2-compressed text (as Debian's unicode-data package ships
// it) or the Unihan.zip archive published by Unicode, and writes a gofmt'ed
// Go file holding a sorted array of (traditional, simplified) pairs.
//
// Usage, from package fold (see its go:generate line):
//
//	go run ../internal/gen/foldtable -o table.go [-unihan /path/to/Unihan_Variants.txt.bz2]
//
// Rules applied to each kSimplifiedVariant entry:
//
//   - When several simplified variants are listed (乾 → 乾 干, 復 → 复 復),
//     only the first is used; Unihan lists the most common one first.
//   - Entries whose (first) simplified variant is the character itself are
//     dropped: such characters are already valid simplified text.
//   - Chains are resolved to their end, so that folding is idempotent
//     (薴 → 苧 → 苎 becomes 薴 → 苎).
//
// Then the hand-written supplement below adds mappings that Unihan lacks
// but that occur in real documents.
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// defaultUnihan is where Debian's unicode-data package installs the file.
const defaultUnihan = "/usr/share/unicode/Unihan_Variants.txt.bz2"

// supplement lists traditional → simplified mappings that Unihan's
// kSimplifiedVariant does not give but that occur in real traditional-script
// text: print and regional variant forms of characters that Unihan does map.
// Unihan entries win over these; a supplement entry for a code point that
// Unihan already maps is reported on stderr so it can be removed. Targets
// must be final simplified forms (not themselves mapped); run checks this.
var supplement = []struct {
	from, to rune
	why      string
}{
	// Variant forms current in Taiwan, Hong Kong or older printed
	// traditional text whose standard form Unihan does map.
	{'産', '产', "Taiwan/Japanese print form of 產 (生産, 産業)"},
	{'墻', '墙', "variant of 牆; seen in seeds/ (围墻外的事)"},
	{'綫', '线', "Hong Kong standard form of 線 (路綫, 熱綫)"},
	{'衆', '众', "variant of 眾 (群衆, 公衆)"},
	{'爲', '为', "variant of 為 in Hong Kong and older text"},
	{'説', '说', "Hong Kong standard form of 說"},
	{'啓', '启', "Hong Kong form of 啟 (啓動)"},
	{'淨', '净', "Taiwan standard form; Unihan maps only 凈"},
	{'裏', '里', "Taiwan standard form (這裏); Unihan lists 裡 as its own first variant"},
	{'羣', '群', "variant of 群 (羣衆)"},
	{'峯', '峰', "variant of 峰 (高峯)"},
	{'鷄', '鸡', "variant of 雞"},
	{'敎', '教', "Kangxi form of 教"},
	{'卽', '即', "Kangxi form of 即"},
	{'旣', '既', "Kangxi form of 既"},
	{'麪', '面', "variant of 麵"},
	{'汙', '污', "variant of 污 (汙染)"},
	{'牀', '床', "variant of 床"},
	{'粧', '妆', "variant of 妝 (化粧)"},
	{'駡', '骂', "variant of 罵"},
	{'敍', '叙', "variant of 敘"},
	{'歎', '叹', "variant of 嘆 (感歎)"},
	{'鬪', '斗', "variant of 鬥"},
	{'鬭', '斗', "variant of 鬥"},
	{'僱', '雇', "Taiwan form (僱用, 僱員); merged into 雇 in simplified"},
	{'綑', '捆', "variant of 捆 (綑綁)"},
	{'盃', '杯', "variant of 杯 (獎盃)"},
	{'菸', '烟', "Taiwan form for tobacco (菸草); merged into 烟 in simplified"},
}

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "foldtable:", err)
		os.Exit(1)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("foldtable", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("unihan", defaultUnihan, "Unihan_Variants.txt, .txt.bz2, or Unihan.zip")
	out := fs.String("o", "table.go", "output Go file")
	pkg := fs.String("pkg", "fold", "package name of the output file")
	if err := fs.Parse(args); err != nil {
		return err
	}

	text, err := readUnihan(*in)
	if err != nil {
		return err
	}
	version, pairs, err := parse(text)
	if err != nil {
		return fmt.Errorf("parse %s: %w", *in, err)
	}
	m := resolve(pairs)
	for _, s := range supplement {
		if to, ok := m[s.from]; ok {
			fmt.Fprintf(stderr, "foldtable: supplement %U→%U (%s) already in Unihan as →%U; remove it\n", s.from, s.to, s.why, to)
			continue
		}
		m[s.from] = s.to
	}
	for from, to := range m {
		if next, ok := m[to]; ok {
			return fmt.Errorf("%U→%U maps on to %U: table would not be idempotent", from, to, next)
		}
	}

	src, err := render(*pkg, filepath.Base(*in), version, m)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	return nil
}

// readUnihan returns the text of Unihan_Variants.txt from path, which may be
// the plain file, a .bz2 of it, or a .zip archive containing it.
func readUnihan(path string) ([]byte, error) {
	switch {
	case strings.HasSuffix(path, ".zip"):
		zr, err := zip.OpenReader(path)
		if err != nil {
			return nil, fmt.Errorf("open unihan zip: %w", err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if filepath.Base(f.Name) != "Unihan_Variants.txt" {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return nil, fmt.Errorf("open %s in %s: %w", f.Name, path, err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				return nil, fmt.Errorf("read %s in %s: %w", f.Name, path, err)
			}
			return b, nil
		}
		return nil, fmt.Errorf("%s: no Unihan_Variants.txt in archive", path)
	case strings.HasSuffix(path, ".bz2"):
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("open unihan: %w", err)
		}
		defer f.Close()
		b, err := io.ReadAll(bzip2.NewReader(f))
		if err != nil {
			return nil, fmt.Errorf("decompress %s: %w", path, err)
		}
		return b, nil
	default:
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read unihan: %w", err)
		}
		return b, nil
	}
}

// parse returns the "Unicode version" from the file header and, for each
// kSimplifiedVariant line, the source code point and its first variant.
func parse(text []byte) (version string, pairs map[rune]rune, err error) {
	pairs = make(map[rune]rune)
	sc := bufio.NewScanner(bytes.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "# Unicode version:"); ok {
			version = strings.TrimSpace(v)
			continue
		}
		if line == "" || line[0] == '#' {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 3 || fields[1] != "kSimplifiedVariant" {
			continue
		}
		from, err := codePoint(fields[0])
		if err != nil {
			return "", nil, fmt.Errorf("line %d: %w", n, err)
		}
		first, _, _ := strings.Cut(fields[2], " ")
		first, _, _ = strings.Cut(first, "<") // drop any source annotation
		to, err := codePoint(first)
		if err != nil {
			return "", nil, fmt.Errorf("line %d: %w", n, err)
		}
		if _, dup := pairs[from]; dup {
			return "", nil, fmt.Errorf("line %d: second kSimplifiedVariant for %U", n, from)
		}
		pairs[from] = to
	}
	if err := sc.Err(); err != nil {
		return "", nil, err
	}
	if len(pairs) == 0 {
		return "", nil, errors.New("no kSimplifiedVariant entries")
	}
	if version == "" {
		version = "unknown"
	}
	return version, pairs, nil
}

// codePoint parses "U+8B49".
func codePoint(s string) (rune, error) {
	hex, ok := strings.CutPrefix(s, "U+")
	if !ok {
		return 0, fmt.Errorf("code point %q: missing U+", s)
	}
	v, err := strconv.ParseUint(hex, 16, 32)
	if err != nil || v > 0x10FFFF {
		return 0, fmt.Errorf("code point %q: invalid", s)
	}
	return rune(v), nil
}

// resolve drops identity entries and follows chains (a → b → c gives a → c)
// so that applying the table twice equals applying it once.
func resolve(pairs map[rune]rune) map[rune]rune {
	m := make(map[rune]rune, len(pairs))
	for from, to := range pairs {
		seen := map[rune]bool{from: true}
		for {
			next, ok := pairs[to]
			if !ok || next == to || seen[next] {
				break
			}
			seen[to] = true
			to = next
		}
		if to != from {
			m[from] = to
		}
	}
	return m
}

// render writes the Go source of the table, sorted by source code point.
func render(pkg, source, version string, m map[rune]rune) ([]byte, error) {
	keys := make([]rune, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)

	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by \"go run ../internal/gen/foldtable\"; DO NOT EDIT.\n")
	fmt.Fprintf(&b, "// Source: Unicode %s Unihan database, field kSimplifiedVariant (%s),\n", version, source)
	fmt.Fprintf(&b, "// plus %d hand-written supplement entries; see internal/gen/foldtable.\n\n", len(supplement))
	fmt.Fprintf(&b, "package %s\n\n", pkg)
	fmt.Fprintf(&b, "// unihanVersion is the Unicode version the table was generated from.\n")
	fmt.Fprintf(&b, "const unihanVersion = %q\n\n", version)
	fmt.Fprintf(&b, "// simplified holds %d {traditional, simplified} code point pairs sorted by\n", len(keys))
	fmt.Fprintf(&b, "// traditional code point, for binary search. It is never modified.\n")
	fmt.Fprintf(&b, "var simplified = [...][2]uint32{\n")
	for i, k := range keys {
		if i%5 == 0 {
			b.WriteString("\t")
		}
		fmt.Fprintf(&b, "{0x%X, 0x%X},", k, m[k])
		if i%5 == 4 || i == len(keys)-1 {
			b.WriteString("\n")
		} else {
			b.WriteString(" ")
		}
	}
	b.WriteString("}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("gofmt generated table: %w", err)
	}
	return src, nil
}
