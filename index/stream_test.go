package index

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"policybot/embed"
	"policybot/ingest"
	"policybot/lexical"
)

// TestStreamedBuildEqualsInMemoryBuild checks the streamed build against
// what the build held in memory before: every file parsed in source order,
// its chunks in that order, one lexical index over all of them, and the
// vectors of each chunk's units.
func TestStreamedBuildEqualsInMemoryBuild(t *testing.T) {
	tk := testTokenizer(t)
	corpus := writeCorpus(t)
	copySeed(t, "004_4fb8176c685af46a.txt", filepath.Join(corpus, "seeds", "004.txt"))
	dir := filepath.Join(t.TempDir(), "index")
	emb := newEmbedder("test-a", 512)
	mustBuild(t, buildOpts(corpus, dir, emb, tk))
	ix := mustOpen(t, dir)

	sources, err := listSources(corpus)
	if err != nil {
		t.Fatal(err)
	}
	var chunks []ingest.Chunk
	var docs []ingest.Document
	for _, src := range sources {
		raw, err := os.ReadFile(filepath.Join(corpus, filepath.FromSlash(src)))
		if err != nil {
			t.Fatal(err)
		}
		f, err := ingest.Parse(src, raw, ingest.DefaultChunkOptions)
		if err != nil || len(f.Chunks) == 0 {
			continue
		}
		chunks = append(chunks, f.Chunks...)
		docs = append(docs, f.Documents...)
	}
	gotJSON, _ := json.Marshal(ix.Chunks)
	wantJSON, _ := json.Marshal(chunks)
	if !bytes.Equal(gotJSON, wantJSON) {
		t.Fatalf("got %d chunks, want the %d of parsing each file in order", len(ix.Chunks), len(chunks))
	}
	docByID := map[string]*ingest.Document{}
	for i := range docs {
		docByID[docs[i].ID] = &docs[i]
	}
	ldocs := make([]lexical.Doc, len(chunks))
	for i := range chunks {
		c := &chunks[i]
		ldocs[i] = lexical.Doc{ID: c.ID, Terms: tk.Terms(SearchText(c, docByID[c.DocID]))}
		vs, err := ix.unitVectors(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		units := VectorUnits(c, docByID[c.DocID])
		want, _ := emb.Embed(context.Background(), units)
		if len(vs) != len(want) {
			t.Fatalf("chunk %s: got %d vectors, want %d", c.ID, len(vs), len(want))
		}
		for k := range vs {
			for j := range vs[k] {
				if d := vs[k][j] - want[k][j]; d > 1e-6 || d < -1e-6 {
					t.Fatalf("chunk %s unit %d differs at %d: %v, want %v", c.ID, k, j, vs[k][j], want[k][j])
				}
			}
		}
	}
	var got, want bytes.Buffer
	if err := ix.Lexical.Encode(&got); err != nil {
		t.Fatal(err)
	}
	if err := lexical.Build(ldocs, lexical.Options{}).Encode(&want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatal("the lexical index differs from one built over all chunks at once")
	}
}

// TestBuildIsDeterministicForAnyNumberOfWorkers builds the same corpus with
// one, two and four workers, afresh and incrementally, and compares the
// generations' files byte for byte.
func TestBuildIsDeterministicForAnyNumberOfWorkers(t *testing.T) {
	tk := testTokenizer(t)
	corpus := writeCorpus(t)
	copySeed(t, "004_4fb8176c685af46a.txt", filepath.Join(corpus, "seeds", "004.txt"))
	copySeed(t, "000_268244c505393083.txt", filepath.Join(corpus, "seeds", "000.txt"))
	base := t.TempDir()
	build := func(procs int, name string) map[string][]byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		dir := filepath.Join(base, name)
		st := mustBuild(t, buildOpts(corpus, dir, newEmbedder("test-a", 512), tk))
		files := map[string][]byte{}
		for _, f := range []string{chunksFile, docsFile, vectorsFile, lexicalFile, manifestFile} {
			b, err := os.ReadFile(filepath.Join(dir, st.Generation, f))
			if err != nil {
				t.Fatal(err)
			}
			if f == manifestFile { // the build time differs
				var m Manifest
				if err := json.Unmarshal(b, &m); err != nil {
					t.Fatal(err)
				}
				m.BuiltAt, m.Started = "", 0
				b, _ = json.Marshal(m)
			}
			files[f] = b
		}
		return files
	}
	compare := func(t *testing.T, got, want map[string][]byte) {
		for f := range want {
			if !bytes.Equal(got[f], want[f]) {
				t.Errorf("%s differs (%d bytes, want %d)", f, len(got[f]), len(want[f]))
			}
		}
	}
	one := build(1, "one")
	t.Run("a fresh build", func(t *testing.T) {
		compare(t, build(2, "two"), one)
		compare(t, build(4, "four"), one)
	})
	t.Run("an incremental build", func(t *testing.T) {
		putFile(t, corpus, "tea.txt", []byte(strings.Replace(teaDoc, "茶", "茗", 1)))
		a := build(1, "one")
		b := build(3, "two")
		compare(t, b, a)
	})
}

// BenchmarkBuild ingests a corpus afresh with the built-in embedder:
// $POLICYBOT_BENCH_CORPUS, else the seeds.
func BenchmarkBuild(b *testing.B) {
	corpus := os.Getenv("POLICYBOT_BENCH_CORPUS")
	if corpus == "" {
		corpus = "../seeds"
	}
	tk := testTokenizer(b)
	emb := embed.NewBuiltin(nil, tk)
	var size int64
	filepath.Walk(corpus, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			size += fi.Size()
		}
		return nil
	})
	b.SetBytes(size)
	dir := b.TempDir()
	for b.Loop() {
		opt := BuildOptions{Corpus: corpus, Dir: dir, Chunk: ingest.DefaultChunkOptions, Embedder: emb, Tokenizer: tk, Rebuild: true}
		if _, err := Build(context.Background(), opt); err != nil {
			b.Fatal(err)
		}
	}
}

// TestIncrementalBuildEqualsFreshBuild changes, adds and removes files and
// checks that the incremental generation (reused chunks, vectors and
// lexical entries) is byte for byte what a rebuild writes.
func TestIncrementalBuildEqualsFreshBuild(t *testing.T) {
	tk := testTokenizer(t)
	corpus := writeCorpus(t)
	copySeed(t, "004_4fb8176c685af46a.txt", filepath.Join(corpus, "seeds", "004.txt"))
	dir := filepath.Join(t.TempDir(), "index")
	opt := buildOpts(corpus, dir, newEmbedder("test-a", 512), tk)
	mustBuild(t, opt)
	putFile(t, corpus, "tea.txt", []byte(strings.Replace(teaDoc, "茶", "茗", 1)))
	putFile(t, corpus, "a-new.txt", []byte(gbkDoc))
	if err := os.Remove(filepath.Join(corpus, "bridge.md")); err != nil {
		t.Fatal(err)
	}
	inc := mustBuild(t, opt)
	if inc.Unchanged == 0 || inc.Changed != 1 || inc.Added != 1 || inc.Removed != 1 {
		t.Fatalf("got %+v, want files reused, one changed, added and removed", inc)
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	o := opt
	o.Dir, o.Rebuild = fresh, true
	st := mustBuild(t, o)
	for _, f := range []string{chunksFile, vectorsFile, lexicalFile, docsFile} {
		a, err := os.ReadFile(filepath.Join(dir, inc.Generation, f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(fresh, st.Generation, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s of the incremental build differs from a rebuild's (%d bytes, want %d)", f, len(a), len(b))
		}
	}
}
