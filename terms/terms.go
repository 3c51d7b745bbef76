// Package terms bridges the words officials type and the words documents
// use: "GDP" for 生产总值, "增速" for 增长, "18年" for 2018年. A built-in table
// covers common government and statistics terms; users extend it with a
// file in the same format.
package terms

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"policybot/fold"
)

//go:embed builtin.txt
var builtin string

// Table maps each known term to its group of equivalent terms.
type Table struct {
	groups [][]string
	byTerm map[string][]int // folded term → groups holding it
	terms  []string         // all terms, longest first, for scanning
	// byRune and byFirst hold the terms by their first character (valid
	// UTF-8) or byte (otherwise), in the order of terms, so a scan tries
	// only those that can match.
	byRune  map[rune][]string
	byFirst [256][]string
}

// Builtin returns the built-in table.
func Builtin() *Table {
	t, err := Parse(builtin)
	if err != nil {
		// The embedded table is part of the program and covered by tests.
		panic(fmt.Sprintf("terms: built-in table: %v", err))
	}
	return t
}

// Load returns the built-in table extended with the groups in the file at
// path. An empty path gives the built-in table.
func Load(path string) (*Table, error) {
	if path == "" {
		return Builtin(), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read terms file: %w", err)
	}
	t, err := Parse(builtin + "\n" + string(b))
	if err != nil {
		return nil, fmt.Errorf("terms file %s: %w", path, err)
	}
	return t, nil
}

// Parse reads groups, one per line, terms separated by "|"; lines starting
// with # are comments.
func Parse(text string) (*Table, error) {
	t := &Table{byTerm: map[string][]int{}}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var g []string
		for _, f := range strings.Split(line, "|") {
			if f = strings.TrimSpace(fold.String(f)); f != "" {
				g = append(g, f)
			}
		}
		if len(g) < 2 {
			return nil, fmt.Errorf("line %d: a group needs at least two terms separated by |", n+1)
		}
		gi := len(t.groups)
		t.groups = append(t.groups, g)
		for _, f := range g {
			if len(t.byTerm[f]) == 0 {
				t.terms = append(t.terms, f)
			}
			t.byTerm[f] = append(t.byTerm[f], gi)
		}
	}
	sort.Slice(t.terms, func(i, j int) bool {
		if len(t.terms[i]) != len(t.terms[j]) {
			return len(t.terms[i]) > len(t.terms[j])
		}
		return t.terms[i] < t.terms[j]
	})
	t.byRune = map[rune][]string{}
	for _, f := range t.terms {
		if r, n := utf8.DecodeRuneInString(f); r != utf8.RuneError || n > 1 {
			t.byRune[r] = append(t.byRune[r], f)
		}
		t.byFirst[f[0]] = append(t.byFirst[f[0]], f)
	}
	return t, nil
}

// Match is one table term found in a text.
type Match struct {
	Term  string
	Group int
}

// Find returns the table terms in the folded text s, longest match first
// at each position, without overlaps.
func (t *Table) Find(s string) []Match {
	var out []Match
	for i := 0; i < len(s); {
		found := ""
		cands := t.byFirst[s[i]]
		if r, n := utf8.DecodeRuneInString(s[i:]); r != utf8.RuneError || n > 1 {
			cands = t.byRune[r]
		}
		for _, term := range cands {
			if strings.HasPrefix(s[i:], term) {
				found = term
				break
			}
		}
		if found == "" {
			_, n := firstRune(s[i:])
			i += n
			continue
		}
		for _, g := range t.byTerm[found] {
			out = append(out, Match{Term: found, Group: g})
		}
		i += len(found)
	}
	return out
}

// Expand returns the other terms of every group a term of the folded text s
// belongs to, without the terms already in s.
func (t *Table) Expand(s string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range t.Find(s) {
		for _, alt := range t.groups[m.Group] {
			if !seen[alt] && !strings.Contains(s, alt) {
				seen[alt] = true
				out = append(out, alt)
			}
		}
	}
	return out
}

// Fingerprint identifies the table's content: 8 hex characters of a hash
// of its groups. Vectors that use the table change when it does.
func (t *Table) Fingerprint() string {
	h := sha256.New()
	for _, g := range t.groups {
		h.Write([]byte(strings.Join(g, "|") + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil)[:4])
}

// Equivalents returns the other terms of the groups word itself belongs
// to (not the groups of terms inside it: 增加值 is not 增加).
func (t *Table) Equivalents(word string) []string {
	var out []string
	for _, g := range t.byTerm[word] {
		for _, alt := range t.groups[g] {
			if alt != word && !slices.Contains(out, alt) {
				out = append(out, alt)
			}
		}
	}
	return out
}

// Concepts returns the group numbers of the terms in the folded text s,
// one per occurrence: a concept feature that equivalent wordings share.
func (t *Table) Concepts(s string) []int {
	var out []int
	for _, m := range t.Find(s) {
		out = append(out, m.Group)
	}
	return out
}

var reShortYear = regexp.MustCompile(`(^|[^0-9])([0-9]{2})年`)

// notShortYear holds what, before or after a two-digit number and 年, makes
// it no year of this century or the last: a year of an era (民国26年, 昭和40年,
// 公元前12年), a span of years (连续14年, 停滞了10年, 近20年, 14年之久) or a
// decade (30年代).
var (
	notShortYearBefore = regexp.MustCompile(`(?:民国|公元前|前|昭和|平成|大正|明治|令和|光绪|宣统|同治|咸丰|道光|嘉庆|乾隆|雍正|康熙|顺治|万历|崇祯|嘉靖|永乐|洪武|至元|开元|贞观|建安|永历|连续|长达|历时|了|近|约|达|共|逾|超过|满|将近|整整|过去|每)$`)
	notShortYearAfter  = regexp.MustCompile(`^(?:代|之久|多|余|以上|左右|间|来|里)`)
	reRangeTo          = regexp.MustCompile(`^\s*(?:至|到|-|~|—|－)\s*$`)
)

// NormalizeYears writes two-digit years in full: "18年" → "2018年" (years 00–
// 49 are taken as 20xx, 50–99 as 19xx). A year of an era, a span of years
// and a decade are left as written.
func NormalizeYears(s string) string {
	ms := reShortYear.FindAllStringSubmatchIndex(s, -1)
	if ms == nil {
		return s
	}
	var b strings.Builder
	last, kept := 0, -1 // kept: the end of the last number left as written
	for _, m := range ms {
		digits := s[m[4]:m[5]]
		// The end of a range goes with its start (公元前12年至10年).
		rangeEnd := kept >= 0 && reRangeTo.MatchString(s[kept:m[4]])
		if rangeEnd || notShortYearBefore.MatchString(s[:m[4]]) || notShortYearAfter.MatchString(s[m[1]:]) {
			kept = m[1]
			continue
		}
		century := "20"
		if digits >= "50" {
			century = "19"
		}
		b.WriteString(s[last:m[4]])
		b.WriteString(century)
		last = m[4]
	}
	b.WriteString(s[last:])
	return b.String()
}

func firstRune(s string) (rune, int) {
	for i, r := range s {
		if i > 0 {
			return r, i
		}
		_ = r
	}
	return 0, len(s)
}

//go:embed places.txt
var builtinPlaces string

// Places is a gazetteer: provinces and prefecture-level cities, and any
// places a user adds. A question naming one is about that place.
type Places struct {
	names  []string          // longest first
	byRune map[rune][]string // names by their first character, longest first
}

// BuiltinPlaces returns the built-in gazetteer.
func BuiltinPlaces() *Places {
	return parsePlaces(builtinPlaces)
}

// LoadPlaces returns the built-in gazetteer extended with the names in the
// file at path (one or more per line, separated by spaces); "" gives the
// built-in one.
func LoadPlaces(path string) (*Places, error) {
	if path == "" {
		return BuiltinPlaces(), nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read places file: %w", err)
	}
	return parsePlaces(builtinPlaces + "\n" + string(b)), nil
}

// NewPlaces returns a gazetteer of the given names.
func NewPlaces(names []string) *Places {
	return parsePlaces(strings.Join(names, " "))
}

func parsePlaces(text string) *Places {
	seen := map[string]bool{}
	p := &Places{}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, f := range strings.Fields(line) {
			if f = fold.String(f); !seen[f] {
				seen[f] = true
				p.names = append(p.names, f)
			}
		}
	}
	sort.Slice(p.names, func(i, j int) bool {
		if len(p.names[i]) != len(p.names[j]) {
			return len(p.names[i]) > len(p.names[j])
		}
		return p.names[i] < p.names[j]
	})
	p.byRune = map[rune][]string{}
	for _, n := range p.names {
		r, _ := utf8.DecodeRuneInString(n)
		p.byRune[r] = append(p.byRune[r], n)
	}
	return p
}

// Find returns the places named in the folded text s, longest first at each
// position, without overlaps.
func (p *Places) Find(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		found := ""
		r, _ := utf8.DecodeRuneInString(s[i:])
		for _, n := range p.byRune[r] {
			if strings.HasPrefix(s[i:], n) {
				found = n
				break
			}
		}
		if found == "" {
			_, n := firstRune(s[i:])
			i += n
			continue
		}
		out = append(out, found)
		i += len(found)
	}
	return out
}
