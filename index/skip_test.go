package index

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/ingest"
)

// countReads makes opt's build count the corpus files it reads, by name.
func countReads(opt *BuildOptions) func(name string) int {
	var mu sync.Mutex
	reads := map[string]int{}
	opt.ReadFile = func(path string) ([]byte, error) {
		mu.Lock()
		reads[filepath.Base(path)]++
		mu.Unlock()
		return os.ReadFile(path)
	}
	return func(name string) int {
		mu.Lock()
		defer mu.Unlock()
		return reads[name]
	}
}

func TestBadFilesAreSkippedAndGoodFilesIndexed(t *testing.T) {
	tk := testTokenizer(t)
	corpus := writeCorpus(t)
	rng := rand.New(rand.NewPCG(7, 8))
	junk := make([]byte, 2048)
	for i := range junk {
		junk[i] = byte(rng.IntN(256))
	}
	damaged := []byte(strings.Replace(teaDoc, "。", "。\xff\xfe", 1))
	damaged = []byte(strings.Replace(string(damaged), "，", "\xe6\x94，", 1)) // a truncated character
	putFile(t, corpus, "junk.txt", junk)
	putFile(t, corpus, "empty.txt", nil)
	putFile(t, corpus, "damaged.txt", damaged)
	putFile(t, corpus, "old.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 a Word 97 file"))
	// Random bytes named .docx: skipped as damaged by the .docx extractor,
	// or not looked at while none is registered; never indexed.
	putFile(t, corpus, "junk.docx", junk)
	docx := 0
	if ingest.Known("junk.docx") {
		docx = 1
	}
	// The size limit is above every other file; one file is exactly at it
	// (read) and one a byte over it (not read).
	const limit = 20000
	long := bridgeDoc + strings.Repeat("桥梁养护资金按季度拨付，专款专用。\n", 400)
	long = long[:strings.LastIndexByte(long[:limit], '\n')+1]
	long += strings.Repeat(" ", limit-len(long))
	putFile(t, corpus, "at-limit.md", []byte(long))
	putFile(t, corpus, "over-limit.md", []byte(long+" "))

	warned := map[string]error{}
	notices := map[string][]string{}
	opt := buildOpts(corpus, filepath.Join(t.TempDir(), "index"), newEmbedder("test-a", 512), tk)
	reads := countReads(&opt)
	opt.MaxFileBytes = limit
	opt.Warn = func(src string, err error) { warned[src] = err }
	opt.Notice = func(src, w string) { notices[src] = append(notices[src], w) }
	st := mustBuild(t, opt)
	ix := mustOpen(t, opt.Dir)

	skips := []struct {
		name, file string
		is         error
		says       string
	}{
		{"a .txt of binary junk is not text", "junk.txt", ingest.ErrNotText, "junk.txt"},
		{"an empty file has no text", "empty.txt", nil, "no text"},
		{"a .doc is unsupported and the warning says how to convert it", "old.doc", ingest.ErrUnsupported, "libreoffice --headless --convert-to docx"},
		{"a file over the size limit is too large", "over-limit.md", ingest.ErrTooLarge, "over the file size limit"},
	}
	for _, tc := range skips {
		t.Run(tc.name, func(t *testing.T) {
			err := warned[tc.file]
			if err == nil {
				t.Fatalf("no warning for %s; got warnings %v", tc.file, warned)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("got %v, want an error wrapping %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("got %q, want it to say %q", err, tc.says)
			}
			e, ok := ix.Manifest.Skipped[tc.file]
			fi, _ := os.Stat(filepath.Join(corpus, tc.file))
			if !ok || e.Reason != err.Error() || e.Size != fi.Size() || e.ModTime != fi.ModTime().UnixNano() {
				t.Errorf("got manifest record %+v (%v), want size %d, its mtime and reason %q", e, ok, fi.Size(), err)
			}
		})
	}
	t.Run("a file over the size limit is never read", func(t *testing.T) {
		if n := reads("over-limit.md"); n != 0 {
			t.Errorf("read %d times, want 0", n)
		}
	})
	t.Run("random bytes named .docx are not indexed, and skipped as damaged when .docx is read", func(t *testing.T) {
		if _, ok := ix.Manifest.Files["junk.docx"]; ok {
			t.Error("junk.docx is indexed")
		}
		if err := warned["junk.docx"]; (docx == 1) != errors.Is(err, ingest.ErrDamaged) {
			t.Errorf("got warning %v with .docx known=%v, want ErrDamaged exactly when it is", err, docx == 1)
		}
	})
	t.Run("only the bad files are warned about", func(t *testing.T) {
		if len(warned) != len(skips)+docx {
			t.Errorf("got %d warnings, want %d: %v", len(warned), len(skips)+docx, warned)
		}
	})
	t.Run("every good file is indexed, the one at the size limit too", func(t *testing.T) {
		for _, src := range []string{"tea.txt", "bridge.md", "seeds/003.txt", "at-limit.md", "damaged.txt"} {
			if _, ok := ix.Manifest.Files[src]; !ok {
				t.Errorf("%s is not indexed", src)
			}
		}
		if st.Skipped != len(skips)+docx || st.Added != 5 || st.Warned != 1 {
			t.Errorf("got %+v, want %d skipped, 5 added, 1 warned", st, len(skips)+docx)
		}
	})
	t.Run("invalid byte sequences are replaced, counted and the good text kept with exact offsets", func(t *testing.T) {
		if got, want := notices["damaged.txt"], []string{"2 invalid byte sequences replaced with U+FFFD"}; !slices.Equal(got, want) {
			t.Errorf("got notices %q, want %q", got, want)
		}
		if got := ix.Manifest.Files["damaged.txt"].Warnings; len(got) != 1 {
			t.Errorf("got manifest warnings %q, want the one notice", got)
		}
		var text string
		for _, c := range ix.Chunks {
			if c.Source != "damaged.txt" {
				continue
			}
			text += c.Text
			orig := string(damaged[c.Start:c.End])
			if noSpace(strings.ToValidUTF8(orig, "\uFFFD")) != noSpace(c.Text) {
				t.Errorf("chunk bytes [%d,%d) are %q, want the chunk text %q", c.Start, c.End, orig, c.Text)
			}
		}
		if !strings.Contains(noSpace(text), noSpace(strings.SplitN(teaDoc, "\n", 3)[1])) {
			t.Errorf("the good text of damaged.txt is lost: %q", text)
		}
	})

	t.Run("a second build reads no skipped file again and warns about each from its record", func(t *testing.T) {
		before := map[string]int{}
		for _, tc := range skips {
			before[tc.file] = reads(tc.file)
		}
		clear(warned)
		st := mustBuild(t, opt)
		if !st.UpToDate || st.Skipped != len(skips)+docx {
			t.Errorf("got %+v, want up to date with %d skipped", st, len(skips)+docx)
		}
		for _, tc := range skips {
			if n := reads(tc.file); n != before[tc.file] {
				t.Errorf("%s was read again (%d reads, were %d)", tc.file, n, before[tc.file])
			}
			if err := warned[tc.file]; !errors.Is(err, ErrSkippedBefore) {
				t.Errorf("got warning %v for %s, want one wrapping ErrSkippedBefore", err, tc.file)
			}
		}
	})
	t.Run("unchanged skipped files are not stale and are not read", func(t *testing.T) {
		n := reads("junk.txt")
		changes, err := ix.stale(corpus, opt.ReadFile)
		if err != nil {
			t.Fatal(err)
		}
		if len(changes) != 0 {
			t.Errorf("got stale %q, want nothing", changes)
		}
		if reads("junk.txt") != n {
			t.Errorf("Stale read the unchanged skipped file")
		}
	})
	t.Run("a skipped file that changes is retried", func(t *testing.T) {
		n := reads("junk.txt")
		putFile(t, corpus, "junk.txt", append(junk, 'x'))
		changes, _ := mustOpen(t, opt.Dir).Stale(corpus)
		if !slices.Equal(changes, []string{"changed junk.txt (still skipped)"}) {
			t.Errorf("got stale %q, want junk.txt changed", changes)
		}
		clear(warned)
		st := mustBuild(t, opt)
		if reads("junk.txt") <= n || errors.Is(warned["junk.txt"], ErrSkippedBefore) || !errors.Is(warned["junk.txt"], ingest.ErrNotText) {
			t.Errorf("junk.txt was not read again: warning %v", warned["junk.txt"])
		}
		if st.UpToDate {
			t.Errorf("got %+v, want a new generation recording the new size", st)
		}
		if changes, _ := mustOpen(t, opt.Dir).Stale(corpus); len(changes) != 0 {
			t.Errorf("after the build, got stale %q, want nothing", changes)
		}
	})
	t.Run("a file skipped as too large is read once the limit allows it", func(t *testing.T) {
		opt := opt
		opt.MaxFileBytes = 0
		clear(warned)
		st := mustBuild(t, opt)
		if reads("over-limit.md") != 1 || warned["over-limit.md"] != nil || st.Added != 1 {
			t.Errorf("got %+v and warning %v, want over-limit.md read once and added", st, warned["over-limit.md"])
		}
	})
	t.Run("a skipped file that becomes text is added", func(t *testing.T) {
		putFile(t, corpus, "empty.txt", []byte(bomDoc))
		later := time.Now().Add(time.Minute)
		os.Chtimes(filepath.Join(corpus, "empty.txt"), later, later)
		opt := opt
		opt.MaxFileBytes = 0
		st := mustBuild(t, opt)
		if _, ok := mustOpen(t, opt.Dir).Manifest.Files["empty.txt"]; !ok || st.Added != 1 {
			t.Errorf("got %+v, want empty.txt added", st)
		}
	})
}

func TestManifestReadsTheOlderSkippedForm(t *testing.T) {
	tests := []struct {
		name string
		json string
		want SkipEntry
	}{
		{"a bare reason has no size or time, so it is retried", `"no text"`, SkipEntry{Reason: "no text"}},
		{"a record keeps size, time and reason", `{"size":3,"mtime":9,"reason":"too large"}`, SkipEntry{Size: 3, ModTime: 9, Reason: "too large"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var m Manifest
			if err := json.Unmarshal([]byte(`{"skipped":{"a.txt":`+tc.json+`}}`), &m); err != nil {
				t.Fatal(err)
			}
			if got := m.Skipped["a.txt"]; got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
			if m.Skipped["a.txt"].matches(nil) {
				t.Error("an entry matches a file that could not be examined")
			}
		})
	}
}

func TestExtractionLimitsReachTheParser(t *testing.T) {
	tk := testTokenizer(t)
	corpus := t.TempDir()
	putFile(t, corpus, "short.txt", []byte(bridgeDoc))
	putFile(t, corpus, "long.txt", []byte(bridgeDoc+strings.Repeat("桥梁养护资金按季度拨付，专款专用。\n", 20)))
	warned := map[string]error{}
	opt := buildOpts(corpus, filepath.Join(t.TempDir(), "index"), newEmbedder("test-a", 512), tk)
	opt.Limits = ingest.Limits{MaxExtracted: int64(len(bridgeDoc))}
	opt.Warn = func(src string, err error) { warned[src] = err }
	mustBuild(t, opt)
	ix := mustOpen(t, opt.Dir)
	t.Run("text over the extraction limit is skipped as too large", func(t *testing.T) {
		if !errors.Is(warned["long.txt"], ingest.ErrTooLarge) || len(warned) != 1 {
			t.Errorf("got warnings %v, want long.txt too large", warned)
		}
	})
	t.Run("text at the limit is indexed", func(t *testing.T) {
		if _, ok := ix.Manifest.Files["short.txt"]; !ok {
			t.Error("short.txt is not indexed")
		}
	})
	t.Run("the manifest records the limit the files were judged by", func(t *testing.T) {
		if ix.Manifest.MaxExtracted != int64(len(bridgeDoc)) {
			t.Errorf("got %d, want %d", ix.Manifest.MaxExtracted, len(bridgeDoc))
		}
	})
	t.Run("zero limits mean the defaults", func(t *testing.T) {
		opt := opt
		opt.Limits = ingest.Limits{}
		clear(warned)
		mustBuild(t, opt)
		if len(warned) != 0 || mustOpen(t, opt.Dir).Manifest.MaxExtracted != ingest.DefaultLimits.MaxExtracted {
			t.Errorf("got warnings %v, want long.txt retried and indexed under the default limit", warned)
		}
	})
}

// TestAFileChangedWithinTheTimestampGranularityIsSeenChanged: a file
// rewritten with the same size so soon after a build started that its
// modification time did not move (coarse file-system clocks) is hashed,
// not trusted by size and time ("racily clean", as git calls it).
func TestAFileChangedWithinTheTimestampGranularityIsSeenChanged(t *testing.T) {
	corpus := writeCorpus(t)
	dir := filepath.Join(t.TempDir(), "index")
	opt := buildOpts(corpus, dir, newEmbedder("test-a", 64), testTokenizer(t))
	p := filepath.Join(corpus, "racy.txt")
	if err := os.WriteFile(p, []byte(teaDoc), 0o644); err != nil { // written just now
		t.Fatal(err)
	}
	mustBuild(t, opt)
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(teaDoc, "茶", "菜", 1) // same length in bytes
	if len(changed) != len(teaDoc) || changed == teaDoc {
		t.Fatal("the test needs a same-size change")
	}
	if err := os.WriteFile(p, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, fi.ModTime(), fi.ModTime()); err != nil { // the clock did not tick
		t.Fatal(err)
	}
	ix := mustOpen(t, dir)
	if got, err := ix.Stale(corpus); err != nil || !slices.Equal(got, []string{"changed racy.txt"}) {
		t.Errorf("got stale %q (%v), want [changed racy.txt]", got, err)
	}
	if st := mustBuild(t, opt); st.Changed != 1 || st.UpToDate {
		t.Errorf("got %+v, want racy.txt changed", st)
	}
}
