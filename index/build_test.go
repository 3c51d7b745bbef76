package index

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"policybot/fold"
	"policybot/ingest"
)

func TestFirstBuild(t *testing.T) {
	tk := testTokenizer(t)
	corpus := writeCorpus(t)
	dir := filepath.Join(t.TempDir(), "index")
	emb := newEmbedder("test-a", 512)
	var progress [][2]int
	opt := buildOpts(corpus, dir, emb, tk)
	opt.Progress = func(done, total int) { progress = append(progress, [2]int{done, total}) }
	st := mustBuild(t, opt)
	ix := mustOpen(t, dir)

	t.Run("stats count the three files, their documents and chunks, all embedded", func(t *testing.T) {
		if st.Files != 3 || st.Added != 3 || st.Skipped != 0 || st.Unchanged != 0 || st.UpToDate {
			t.Errorf("got %+v, want 3 files all added, none skipped", st)
		}
		if st.Chunks != len(ix.Chunks) || st.Documents != len(ix.Docs) || st.Embedded != st.Chunks {
			t.Errorf("got chunks=%d docs=%d embedded=%d, want %d chunks, %d docs, all embedded",
				st.Chunks, st.Documents, st.Embedded, len(ix.Chunks), len(ix.Docs))
		}
		if st.Chunks < 5 || st.Documents < 3 {
			t.Errorf("got %d chunks in %d documents, want at least 5 in 3", st.Chunks, st.Documents)
		}
		if st.Generation != ix.Generation() || !strings.HasPrefix(st.Generation, "gen-") {
			t.Errorf("got generation %q, Open loaded %q", st.Generation, ix.Generation())
		}
	})

	t.Run("progress goes from none to all of the files", func(t *testing.T) {
		n := st.Files
		if len(progress) != n+1 || progress[0] != [2]int{0, n} || progress[len(progress)-1] != [2]int{n, n} {
			t.Errorf("got progress %v, want from 0/%d to %d/%d", progress, n, n, n)
		}
	})

	t.Run("manifest records embedder, dimension, chunking and a hash per file", func(t *testing.T) {
		m := ix.Manifest
		if m.Format != FormatVersion || m.Embedder != "test-a" || m.Dim != 512 || m.Chunk != ingest.DefaultChunkOptions {
			t.Errorf("got manifest %+v", m)
		}
		abs, _ := filepath.Abs(corpus)
		if m.Corpus != abs {
			t.Errorf("got corpus %q, want %q", m.Corpus, abs)
		}
		var names []string
		for src := range m.Files {
			names = append(names, src)
		}
		slices.Sort(names)
		if want := []string{"bridge.md", "seeds/003.txt", "tea.txt"}; !slices.Equal(names, want) {
			t.Errorf("got files %v, want %v (hidden and unknown extensions ignored)", names, want)
		}
		fe := m.Files["tea.txt"]
		if len(fe.SHA256) != 64 || fe.Size != int64(len(teaDoc)) || fe.Encoding != ingest.EncUTF8 {
			t.Errorf("got tea.txt entry %+v", fe)
		}
		for src, fe := range m.Files {
			if got := len(chunksBySource(ix)[src]); got != fe.Chunks {
				t.Errorf("%s: manifest says %d chunks, index has %d", src, fe.Chunks, got)
			}
		}
	})

	t.Run("chunks and documents round-trip through the files", func(t *testing.T) {
		raw, err := os.ReadFile(filepath.Join(corpus, "tea.txt"))
		if err != nil {
			t.Fatal(err)
		}
		f, err := ingest.Parse("tea.txt", raw, ingest.DefaultChunkOptions)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range f.Chunks {
			got, ok := ix.Chunk(want.ID)
			if !ok {
				t.Fatalf("chunk %s of tea.txt not found", want.ID)
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got chunk %+v, want %+v", *got, want)
			}
		}
		for _, want := range f.Documents {
			got, ok := ix.Doc(want.ID)
			if !ok || !reflect.DeepEqual(*got, want) {
				t.Errorf("got document %+v (found %v), want %+v", got, ok, want)
			}
		}
		if _, ok := ix.Chunk("no-such-id"); ok {
			t.Error("Chunk found an unknown id")
		}
	})

	cases := []struct {
		name, query, source, contains string
	}{
		{"a question about tea subsidies finds the tea notice", "茶叶种植补贴每亩补贴多少钱", "tea.txt", "每亩补贴八百元"},
		{"a question about dangerous bridges finds the bridge rules", "发现危桥以后怎么办，要封闭交通吗", "bridge.md", "危桥"},
	}
	for _, c := range cases {
		t.Run("vector search: "+c.name, func(t *testing.T) {
			vs, _ := emb.Embed(context.Background(), []string{fold.String(c.query)})
			hits, err := ix.SearchVector(context.Background(), vs[0], 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != 3 {
				t.Fatalf("got %d hits, want 3", len(hits))
			}
			top, _ := ix.Chunk(hits[0].ID)
			if top.Source != c.source || !strings.Contains(top.Text, c.contains) {
				t.Errorf("got top hit %s %q, want the chunk of %s holding %q", top.Source, top.Text, c.source, c.contains)
			}
			if hits[0].Score < hits[1].Score || hits[1].Score < hits[2].Score {
				t.Errorf("got scores %v, want best first", hits)
			}
			seen := map[string]bool{}
			for _, h := range hits {
				if seen[h.ID] {
					t.Errorf("chunk %s returned twice", h.ID)
				}
				seen[h.ID] = true
			}
		})
		t.Run("lexical search: "+c.name, func(t *testing.T) {
			hits := ix.Lexical.Search(tk.Terms(fold.String(c.query)), 3)
			if len(hits) == 0 {
				t.Fatal("got no hits")
			}
			top, ok := ix.Chunk(hits[0].ID)
			if !ok || top.Source != c.source {
				t.Errorf("got top hit %+v, want a chunk of %s", top, c.source)
			}
		})
	}

	t.Run("a query vector of another dimension is an error naming the rebuild command", func(t *testing.T) {
		_, err := ix.SearchVector(context.Background(), make([]float32, 32), 3)
		if err == nil || !strings.Contains(err.Error(), "policybot ingest --rebuild") {
			t.Errorf("got %v, want an error naming the rebuild command", err)
		}
	})
	t.Run("asking for more hits than chunks returns every chunk once", func(t *testing.T) {
		vs, _ := emb.Embed(context.Background(), []string{"茶叶"})
		hits, err := ix.SearchVector(context.Background(), vs[0], len(ix.Chunks)+10)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != len(ix.Chunks) {
			t.Errorf("got %d hits, want %d", len(hits), len(ix.Chunks))
		}
	})
}

func TestEncodingsKeepExactByteOffsets(t *testing.T) {
	tk := testTokenizer(t)
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(gbkDoc))
	if err != nil {
		t.Fatal(err)
	}
	u16 := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	le, err := u16.NewEncoder().Bytes([]byte(utf16Doc))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(le, []byte{0xFF, 0xFE}) {
		t.Fatalf("UTF-16 encoder wrote no BOM: % x", le[:4])
	}
	bom := append([]byte{0xEF, 0xBB, 0xBF}, bomDoc...)

	corpus := filepath.Join(t.TempDir(), "corpus")
	cases := []struct {
		name, source, enc string
		raw               []byte
		decode            func([]byte) (string, error)
	}{
		{"a GBK file", "gbk.txt", ingest.EncGB18030, gbk, func(b []byte) (string, error) {
			s, err := simplifiedchinese.GBK.NewDecoder().Bytes(b)
			return string(s), err
		}},
		{"a UTF-16LE file with a byte-order mark", "utf16.txt", ingest.EncUTF16LE, le, func(b []byte) (string, error) {
			s, err := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder().Bytes(b)
			return string(s), err
		}},
		{"a UTF-8 file with a byte-order mark", "bom.md", ingest.EncUTF8BOM, bom, func(b []byte) (string, error) {
			s, err := encoding.Nop.NewDecoder().Bytes(b)
			return string(s), err
		}},
	}
	for _, c := range cases {
		putFile(t, corpus, c.source, c.raw)
	}
	dir := filepath.Join(t.TempDir(), "index")
	st := mustBuild(t, buildOpts(corpus, dir, newEmbedder("test-a", 512), tk))
	ix := mustOpen(t, dir)
	if st.Files != 3 || st.Skipped != 0 {
		t.Fatalf("got %+v, want 3 files, none skipped", st)
	}
	bySrc := chunksBySource(ix)
	for _, c := range cases {
		t.Run(c.name+" is ingested as "+c.enc, func(t *testing.T) {
			if got := ix.Manifest.Files[c.source].Encoding; got != c.enc {
				t.Errorf("got encoding %q, want %q", got, c.enc)
			}
			if len(bySrc[c.source]) == 0 {
				t.Fatalf("got no chunks for %s", c.source)
			}
		})
		t.Run(c.name+" has chunk offsets pointing at the exact original bytes", func(t *testing.T) {
			for _, id := range bySrc[c.source] {
				ch, _ := ix.Chunk(id)
				if ch.Start < 0 || ch.End > len(c.raw) || ch.Start >= ch.End {
					t.Fatalf("chunk %s: bad range [%d,%d) in %d bytes", id, ch.Start, ch.End, len(c.raw))
				}
				orig, err := c.decode(c.raw[ch.Start:ch.End])
				if err != nil {
					t.Fatalf("chunk %s: decode bytes [%d,%d): %v", id, ch.Start, ch.End, err)
				}
				if noSpace(orig) != noSpace(ch.Text) {
					t.Errorf("chunk %s: bytes [%d,%d) decode to %q, want the chunk text %q", id, ch.Start, ch.End, orig, ch.Text)
				}
			}
		})
	}
	t.Run("the GBK document's text is found by its words", func(t *testing.T) {
		hits := ix.Lexical.Search(tk.Terms(fold.String("古树名木普查")), 1)
		if len(hits) != 1 {
			t.Fatal("got no hits")
		}
		if c, _ := ix.Chunk(hits[0].ID); c.Source != "gbk.txt" {
			t.Errorf("got %s, want gbk.txt", c.Source)
		}
	})
}

func TestNonTextFilesAreSkippedWithAWarning(t *testing.T) {
	tk := testTokenizer(t)
	corpus := writeCorpus(t)
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	putFile(t, corpus, "image.txt", png)
	putFile(t, corpus, "empty.md", nil)
	warned := map[string]error{}
	opt := buildOpts(corpus, filepath.Join(t.TempDir(), "index"), newEmbedder("test-a", 512), tk)
	opt.Warn = func(src string, err error) { warned[src] = err }
	st := mustBuild(t, opt)
	ix := mustOpen(t, opt.Dir)

	t.Run("each skipped file is named in a warning", func(t *testing.T) {
		if len(warned) != 2 || warned["image.txt"] == nil || warned["empty.md"] == nil {
			t.Errorf("got warnings %v, want image.txt and empty.md", warned)
		}
		if !errors.Is(warned["image.txt"], ingest.ErrNotText) {
			t.Errorf("got %v for the PNG, want ErrNotText", warned["image.txt"])
		}
	})
	t.Run("the other files are indexed", func(t *testing.T) {
		if st.Files != 5 || st.Skipped != 2 || st.Added != 3 {
			t.Errorf("got %+v, want 5 files, 2 skipped, 3 added", st)
		}
		if len(ix.Manifest.Files) != 3 || len(ix.Manifest.Skipped) != 2 {
			t.Errorf("got files %v skipped %v", ix.Manifest.Files, ix.Manifest.Skipped)
		}
		for _, c := range ix.Chunks {
			if c.Source == "image.txt" || c.Source == "empty.md" {
				t.Errorf("got a chunk of skipped %s", c.Source)
			}
		}
	})
	t.Run("rebuilding with the same skipped files is up to date", func(t *testing.T) {
		clear(warned)
		st := mustBuild(t, opt)
		if !st.UpToDate {
			t.Errorf("got %+v, want up to date", st)
		}
	})
	t.Run("a skipped file that becomes text is reported stale and then added", func(t *testing.T) {
		putFile(t, corpus, "empty.md", []byte(bomDoc))
		changes, err := ix.Stale(corpus)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(changes, []string{"added empty.md"}) {
			t.Errorf("got stale %q, want [added empty.md]", changes)
		}
		st := mustBuild(t, opt)
		if st.Added != 1 || st.Skipped != 1 || st.UpToDate {
			t.Errorf("got %+v, want 1 added, 1 skipped", st)
		}
	})
}

func TestIncrementalBuild(t *testing.T) {
	tk := testTokenizer(t)
	corpus := writeCorpus(t)
	dir := filepath.Join(t.TempDir(), "index")
	emb := newEmbedder("test-a", 512)
	opt := buildOpts(corpus, dir, emb, tk)
	mustBuild(t, opt)
	first := mustOpen(t, dir)
	emb.seen()

	t.Run("nothing changed is up to date and embeds nothing", func(t *testing.T) {
		st := mustBuild(t, opt)
		if !st.UpToDate || st.Embedded != 0 || st.Unchanged != 3 || st.Generation != first.Generation() {
			t.Errorf("got %+v, want up to date on %s", st, first.Generation())
		}
		if n := emb.callCount(); n != 0 {
			t.Errorf("embedder called %d times, want 0", n)
		}
	})

	t.Run("a changed file is the only one re-embedded", func(t *testing.T) {
		putFile(t, corpus, "tea.txt", []byte(teaDoc+"\n补贴标准每三年调整一次，具体由县财政局会同农业农村局另行公布。\n"))
		st := mustBuild(t, opt)
		ix := mustOpen(t, dir)
		if st.Changed != 1 || st.Unchanged != 2 || st.Added != 0 || st.Removed != 0 || st.UpToDate {
			t.Errorf("got %+v, want 1 changed, 2 unchanged", st)
		}
		tea := chunksBySource(ix)["tea.txt"]
		if st.Embedded != len(tea) {
			t.Errorf("got %d chunks embedded, want the %d of tea.txt", st.Embedded, len(tea))
		}
		var want []string
		for _, id := range tea {
			c, _ := ix.Chunk(id)
			d, _ := ix.Doc(c.DocID)
			want = append(want, VectorUnits(c, d)...)
		}
		if got := emb.seen(); !slices.Equal(got, want) {
			t.Errorf("embedded %d texts %q, want the %d units of tea.txt", len(got), got, len(want))
		}
		if ix.Generation() == first.Generation() {
			t.Error("no new generation was written")
		}
		before, after := chunksBySource(first), chunksBySource(ix)
		for _, src := range []string{"bridge.md", "seeds/003.txt"} {
			if !slices.Equal(before[src], after[src]) {
				t.Errorf("%s: chunk ids changed from %v to %v", src, before[src], after[src])
			}
			for _, id := range after[src] {
				v0, err0 := first.unitVectors(context.Background(), id)
				v1, err1 := ix.unitVectors(context.Background(), id)
				if err0 != nil || err1 != nil || !reflect.DeepEqual(v0, v1) {
					t.Errorf("%s chunk %s: vectors changed (errors %v, %v)", src, id, err0, err1)
				}
			}
		}
		if slices.Equal(before["tea.txt"], after["tea.txt"]) {
			t.Error("tea.txt chunks did not change")
		}
	})

	t.Run("a removed file's chunks are gone", func(t *testing.T) {
		if err := os.Remove(filepath.Join(corpus, "bridge.md")); err != nil {
			t.Fatal(err)
		}
		st := mustBuild(t, opt)
		ix := mustOpen(t, dir)
		if st.Removed != 1 || st.Unchanged != 2 || st.Embedded != 0 || st.Files != 2 {
			t.Errorf("got %+v, want 1 removed, 2 unchanged, nothing embedded", st)
		}
		if n := len(chunksBySource(ix)["bridge.md"]); n != 0 {
			t.Errorf("got %d chunks of bridge.md, want 0", n)
		}
		if _, ok := ix.Manifest.Files["bridge.md"]; ok {
			t.Error("manifest still lists bridge.md")
		}
		if st.Chunks != len(ix.Chunks) {
			t.Errorf("got %d chunks in stats, %d in the index", st.Chunks, len(ix.Chunks))
		}
	})

	t.Run("an added file is embedded alone", func(t *testing.T) {
		emb.seen()
		putFile(t, corpus, "new/heat.md", []byte(bomDoc))
		st := mustBuild(t, opt)
		ix := mustOpen(t, dir)
		heat := chunksBySource(ix)["new/heat.md"]
		if st.Added != 1 || st.Unchanged != 2 || st.Embedded != len(heat) || len(heat) == 0 {
			t.Errorf("got %+v, want 1 added with its %d chunks embedded", st, len(heat))
		}
		if ix.Lexical.Len() != len(ix.Chunks) {
			t.Errorf("lexical index has %d entries, want %d", ix.Lexical.Len(), len(ix.Chunks))
		}
	})

	t.Run("changed chunk sizes redo every file", func(t *testing.T) {
		o := opt
		o.Chunk = ingest.ChunkOptions{Target: 200, Max: 400}
		st := mustBuild(t, o)
		if st.Added != 3 || st.Unchanged != 0 || st.Embedded != st.Chunks {
			t.Errorf("got %+v, want every file redone", st)
		}
	})
}

func TestEmbedderMismatch(t *testing.T) {
	tk := testTokenizer(t)
	corpus := writeCorpus(t)
	dir := filepath.Join(t.TempDir(), "index")
	mustBuild(t, buildOpts(corpus, dir, newEmbedder("test-a", 512), tk))
	gen := mustOpen(t, dir).Generation()

	t.Run("another embedder name is a mismatch naming the rebuild command", func(t *testing.T) {
		_, err := Build(context.Background(), buildOpts(corpus, dir, newEmbedder("test-b", 512), tk))
		var me *MismatchError
		if !errors.As(err, &me) {
			t.Fatalf("got %v, want a *MismatchError", err)
		}
		if me.Built != "test-a" || me.Requested != "test-b" || !strings.Contains(err.Error(), "policybot ingest --rebuild") {
			t.Errorf("got %q", err)
		}
		if ix := mustOpen(t, dir); ix.Generation() != gen {
			t.Errorf("index changed to %s", ix.Generation())
		}
	})

	t.Run("another dimension with some files unchanged is a mismatch naming the rebuild command", func(t *testing.T) {
		putFile(t, corpus, "tea.txt", []byte(teaDoc+"\n本通知自发布之日起施行。\n"))
		_, err := Build(context.Background(), buildOpts(corpus, dir, newEmbedder("test-a", 32), tk))
		var me *MismatchError
		if !errors.As(err, &me) || !strings.Contains(err.Error(), "policybot ingest --rebuild") {
			t.Fatalf("got %v, want a *MismatchError naming the rebuild command", err)
		}
		if !strings.Contains(err.Error(), "512") || !strings.Contains(err.Error(), "32") {
			t.Errorf("got %q, want both dimensions named", err)
		}
		if ix := mustOpen(t, dir); ix.Generation() != gen {
			t.Errorf("index changed to %s", ix.Generation())
		}
	})

	t.Run("rebuild accepts another embedder and dimension", func(t *testing.T) {
		emb := newEmbedder("test-b", 32)
		o := buildOpts(corpus, dir, emb, tk)
		o.Rebuild = true
		st := mustBuild(t, o)
		ix := mustOpen(t, dir)
		if ix.Manifest.Embedder != "test-b" || ix.Manifest.Dim != 32 || st.Embedded != len(ix.Chunks) || st.Added != 3 {
			t.Errorf("got manifest %s/%d, stats %+v", ix.Manifest.Embedder, ix.Manifest.Dim, st)
		}
	})
}

func TestBuildIsAtomic(t *testing.T) {
	tk := testTokenizer(t)
	corpus := writeCorpus(t)
	copySeed(t, "004_4fb8176c685af46a.txt", filepath.Join(corpus, "seeds", "004.txt"))
	dir := filepath.Join(t.TempDir(), "index")
	opt := buildOpts(corpus, dir, newEmbedder("test-a", 512), tk)
	mustBuild(t, opt)
	prev := mustOpen(t, dir)

	t.Run("an embedder failing mid-build leaves the previous generation loadable", func(t *testing.T) {
		emb := newEmbedder("test-a", 512)
		emb.failAfter = 1
		o := opt
		o.Embedder, o.Rebuild = emb, true
		_, err := Build(context.Background(), o)
		if !errors.Is(err, errEmbedderDown) {
			t.Fatalf("got %v, want the embedder's error", err)
		}
		// Files are embedded by several workers: those already embedding
		// when the second call fails finish their call.
		if n := emb.callCount(); n < 2 {
			t.Errorf("embedder called %d times, want at least 2 (failing on the second)", n)
		}
		ix := mustOpen(t, dir)
		if ix.Generation() != prev.Generation() || len(ix.Chunks) != len(prev.Chunks) {
			t.Errorf("got %s with %d chunks, want %s with %d", ix.Generation(), len(ix.Chunks), prev.Generation(), len(prev.Chunks))
		}
		if got, want := dirEntries(t, dir), []string{currentFile, lockFile, prev.Generation()}; !slices.Equal(got, want) {
			t.Errorf("got %v in the index folder, want %v", got, want)
		}
	})

	t.Run("a canceled build leaves the previous generation loadable", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		o := opt
		o.Rebuild = true
		if _, err := Build(ctx, o); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
		if ix := mustOpen(t, dir); ix.Generation() != prev.Generation() {
			t.Errorf("got %s, want %s", ix.Generation(), prev.Generation())
		}
	})

	for _, change := range []bool{false, true} {
		name := "a crashed build's leftover generation is removed by the next build that is up to date"
		if change {
			name = "a crashed build's leftover generation is removed by the next build that writes"
		}
		t.Run(name, func(t *testing.T) {
			putFile(t, dir, "gen-crashed/chunks.jsonl", []byte("{"))
			if change {
				putFile(t, corpus, "extra.txt", []byte(gbkDoc))
			}
			st := mustBuild(t, opt)
			if st.UpToDate == change {
				t.Fatalf("got %+v", st)
			}
			if got, want := dirEntries(t, dir), []string{currentFile, lockFile, st.Generation}; !slices.Equal(got, want) {
				t.Errorf("got %v in the index folder, want %v", got, want)
			}
			mustOpen(t, dir)
		})
	}
}

func TestConcurrentBuildsDoNotInterleave(t *testing.T) {
	tk := testTokenizer(t)
	corpus := writeCorpus(t)
	dir := filepath.Join(t.TempDir(), "index")
	embs := []*testEmbedder{newEmbedder("test-a", 512), newEmbedder("test-a", 512)}
	stats := make([]*Stats, len(embs))
	errs := make([]error, len(embs))
	var wg sync.WaitGroup
	for i, emb := range embs {
		wg.Go(func() {
			stats[i], errs[i] = Build(context.Background(), buildOpts(corpus, dir, emb, tk))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("build %d: %v", i, err)
		}
	}
	ix := mustOpen(t, dir)

	t.Run("one build writes and the other finds it up to date", func(t *testing.T) {
		if stats[0].UpToDate == stats[1].UpToDate {
			t.Errorf("got up to date %v and %v, want exactly one", stats[0].UpToDate, stats[1].UpToDate)
		}
		if got := stats[0].Embedded + stats[1].Embedded; got != len(ix.Chunks) {
			t.Errorf("got %d chunks embedded in all, want %d (once each)", got, len(ix.Chunks))
		}
		if stats[0].Generation != ix.Generation() || stats[1].Generation != ix.Generation() {
			t.Errorf("got generations %s and %s, current %s", stats[0].Generation, stats[1].Generation, ix.Generation())
		}
	})
	t.Run("the result holds every file", func(t *testing.T) {
		if len(ix.Manifest.Files) != 3 {
			t.Errorf("got %d files, want 3", len(ix.Manifest.Files))
		}
	})
}

func TestStale(t *testing.T) {
	tk := testTokenizer(t)
	corpus := writeCorpus(t)
	dir := filepath.Join(t.TempDir(), "index")
	mustBuild(t, buildOpts(corpus, dir, newEmbedder("test-a", 512), tk))
	ix := mustOpen(t, dir)

	steps := []struct {
		name   string
		change func()
		want   []string
	}{
		{"an untouched corpus is not stale", func() {}, nil},
		{"a touched but identical file is not stale", func() {
			putFile(t, corpus, "tea.txt", []byte(teaDoc))
		}, nil},
		{"an edited file is reported changed", func() {
			putFile(t, corpus, "tea.txt", []byte(teaDoc+"。"))
		}, []string{"changed tea.txt"}},
		{"an edit that keeps the size but not the time is reported changed", func() {
			putFile(t, corpus, "tea.txt", []byte(teaDoc+"！"))
			later := time.Now().Add(time.Hour)
			os.Chtimes(filepath.Join(corpus, "tea.txt"), later, later)
		}, []string{"changed tea.txt"}},
		{"added, changed and removed files are all reported", func() {
			putFile(t, corpus, "heat.md", []byte(bomDoc))
			os.Remove(filepath.Join(corpus, "bridge.md"))
			os.Remove(filepath.Join(corpus, "seeds", "003.txt"))
		}, []string{"added heat.md", "changed tea.txt", "removed bridge.md", "removed seeds/003.txt"}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.change()
			got, err := ix.Stale(corpus)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, s.want) {
				t.Errorf("got %q, want %q", got, s.want)
			}
		})
	}
	t.Run("a missing corpus is an error", func(t *testing.T) {
		if _, err := ix.Stale(filepath.Join(t.TempDir(), "nope")); err == nil {
			t.Error("got no error")
		}
	})
}

func TestBuildRejectsBadOptions(t *testing.T) {
	tk := testTokenizer(t)
	corpus := writeCorpus(t)
	emptyCorpus := t.TempDir()
	putFile(t, emptyCorpus, "empty.txt", nil)
	cases := []struct {
		name string
		edit func(*BuildOptions)
		want string
	}{
		{"a missing embedder is an error", func(o *BuildOptions) { o.Embedder = nil }, "embedder"},
		{"a missing corpus is an error naming it", func(o *BuildOptions) { o.Corpus = filepath.Join(corpus, "nope") }, "nope"},
		{"a corpus that is a file is an error naming it", func(o *BuildOptions) { o.Corpus = filepath.Join(corpus, "tea.txt") }, "tea.txt"},
		{"a corpus with no text is an error naming it", func(o *BuildOptions) { o.Corpus = emptyCorpus }, emptyCorpus},
		{"bad chunk sizes are an error", func(o *BuildOptions) { o.Chunk = ingest.ChunkOptions{Target: 10, Max: 5} }, "chunk sizes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			o := buildOpts(corpus, dir, newEmbedder("test-a", 512), tk)
			c.edit(&o)
			_, err := Build(context.Background(), o)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an error containing %q", err, c.want)
			}
			if _, err := Open(dir); !errors.Is(err, ErrNoIndex) {
				t.Errorf("Open after a failed first build: got %v, want ErrNoIndex", err)
			}
		})
	}
}

func TestMissingVectorsAreEmbeddedAgainOnce(t *testing.T) {
	tk := testTokenizer(t)
	for _, unit := range []int{0, 1} {
		t.Run(fmt.Sprintf("with vector unit %d of a chunk lost", unit), func(t *testing.T) {
			testMissingVector(t, tk, unit)
		})
	}
}

func testMissingVector(t *testing.T, tk Tokenizer, unit int) {
	corpus := writeCorpus(t)
	dir := filepath.Join(t.TempDir(), "index")
	emb := newEmbedder("test-a", 512)
	opt := buildOpts(corpus, dir, emb, tk)
	mustBuild(t, opt)
	ix := mustOpen(t, dir)
	seed := chunksBySource(ix)["seeds/003.txt"]
	if len(seed) < 3 {
		t.Fatalf("got %d chunks of the seed, want at least 3", len(seed))
	}
	// Drop a vector unit of the seed's third chunk (it has several), as a
	// damaged store would: the chunks before it are reused when it is found.
	p := filepath.Join(dir, ix.Generation(), vectorsFile)
	vectors := map[string][][]float32{}
	for i := range ix.Chunks {
		id := ix.Chunks[i].ID
		vs, err := ix.unitVectors(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if id == seed[2] {
			vs = slices.Delete(slices.Clone(vs), unit, unit+1)
		}
		vectors[id] = vs
	}
	// Written beside and renamed, as a build does: the open index maps
	// the file, which must not change under it.
	if err := writeFile(p, func(w io.Writer) error { return writeVectorStore(w, ix.Chunks, vectors, ix.Manifest.Dim) }); err != nil {
		t.Fatal(err)
	}
	// The file is shorter than the manifest says: the next build sees it.
	if _, err := Build(context.Background(), opt); err == nil || !strings.Contains(err.Error(), "--rebuild") {
		t.Fatalf("got %v, want an error asking for a rebuild", err)
	}
	// A store damaged in place keeps its size: the next build that writes
	// repairs it. Pad the file to its recorded size.
	fi, _ := os.Stat(p)
	if err := os.Truncate(p, fi.Size()+int64(4*ix.Manifest.Dim)); err != nil {
		t.Fatal(err)
	}
	emb.seen()
	// A build that finds nothing changed reads only the manifest and file
	// sizes; the damage is repaired by the next build that writes.
	if st := mustBuild(t, opt); !st.UpToDate {
		t.Fatalf("got %+v, want up to date", st)
	}
	putFile(t, corpus, "new.txt", []byte(teaDoc))

	st := mustBuild(t, opt)
	after := mustOpen(t, dir)
	t.Run("the damaged file is re-embedded and the others reused", func(t *testing.T) {
		added := after.Manifest.Files["new.txt"].Chunks
		if st.Added != 1 || st.Changed != 1 || st.Unchanged != 2 || st.Embedded != len(seed)+added {
			t.Errorf("got %+v, want the seed's %d chunks and new.txt's %d re-embedded", st, len(seed), added)
		}
	})
	t.Run("every chunk has exactly one vector per unit", func(t *testing.T) {
		for i := range after.Chunks {
			c := &after.Chunks[i]
			d, _ := after.Doc(c.DocID)
			vs, err := after.unitVectors(context.Background(), c.ID)
			if err != nil || len(vs) != len(VectorUnits(c, d)) {
				t.Errorf("chunk %s of %s: got %d vectors (%v), want %d", c.ID, c.Source, len(vs), err, len(VectorUnits(c, d)))
			}
		}
	})
}
