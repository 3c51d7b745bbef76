package index

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"policybot/fold"
	"policybot/ingest"
)

func TestOpenErrors(t *testing.T) {
	tk := testTokenizer(t)
	corpus := writeCorpus(t)
	built := filepath.Join(t.TempDir(), "index")
	mustBuild(t, buildOpts(corpus, built, newEmbedder("test-a", 512), tk))
	gen := mustOpen(t, built).Generation()

	// copyIndex copies the built index to a fresh folder and lets edit break it.
	copyIndex := func(t *testing.T, edit func(dir string)) string {
		dir := filepath.Join(t.TempDir(), "index")
		if err := os.CopyFS(dir, os.DirFS(built)); err != nil {
			t.Fatal(err)
		}
		edit(dir)
		return dir
	}
	cases := []struct {
		name  string
		edit  func(dir string)
		noIdx bool   // want ErrNoIndex
		want  string // in the message besides the folder
	}{
		{"a folder that does not exist has no index", func(dir string) { os.RemoveAll(dir) }, true, ""},
		{"a folder without CURRENT has no index", func(dir string) { os.Remove(filepath.Join(dir, currentFile)) }, true, ""},
		{"a CURRENT naming no generation is corrupt", func(dir string) {
			os.WriteFile(filepath.Join(dir, currentFile), []byte("../../etc\n"), 0o644)
		}, false, currentFile},
		{"an empty CURRENT is corrupt", func(dir string) {
			os.WriteFile(filepath.Join(dir, currentFile), nil, 0o644)
		}, false, currentFile},
		{"a CURRENT naming a missing generation is an error", func(dir string) {
			os.WriteFile(filepath.Join(dir, currentFile), []byte("gen-gone\n"), 0o644)
		}, false, "gen-gone"},
		{"a missing manifest is an error", func(dir string) { os.Remove(filepath.Join(dir, gen, manifestFile)) }, false, manifestFile},
		{"a corrupt manifest is an error", func(dir string) {
			os.WriteFile(filepath.Join(dir, gen, manifestFile), []byte("{"), 0o644)
		}, false, manifestFile},
		{"another format version asks for a rebuild", func(dir string) {
			os.WriteFile(filepath.Join(dir, gen, manifestFile), []byte(`{"format":99}`), 0o644)
		}, false, "policybot ingest --rebuild"},
		{"missing chunks are an error", func(dir string) { os.Remove(filepath.Join(dir, gen, chunksFile)) }, false, chunksFile},
		{"corrupt chunks are an error", func(dir string) {
			os.WriteFile(filepath.Join(dir, gen, chunksFile), []byte("{\"id\":\"a\"}\n{oops\n"), 0o644)
		}, false, chunksFile},
		{"missing documents are an error", func(dir string) { os.Remove(filepath.Join(dir, gen, docsFile)) }, false, docsFile},
		{"a missing lexical index is an error", func(dir string) { os.Remove(filepath.Join(dir, gen, lexicalFile)) }, false, lexicalFile},
		{"a truncated lexical index is an error", func(dir string) {
			os.WriteFile(filepath.Join(dir, gen, lexicalFile), []byte("x"), 0o644)
		}, false, "lexical"},
		{"missing vectors are an error", func(dir string) { os.Remove(filepath.Join(dir, gen, vectorsFile)) }, false, "vectors"},
		{"corrupt vectors are an error", func(dir string) {
			os.WriteFile(filepath.Join(dir, gen, vectorsFile), []byte("not gzip"), 0o644)
		}, false, "vectors"},
		{"chunks the vectors do not cover are an inconsistency", func(dir string) {
			p := filepath.Join(dir, gen, chunksFile)
			chunks, _ := readChunkStore(p) // mapped: written anew beside it, then renamed
			writeFile(p, func(w io.Writer) error { return writeChunkStore(w, append(chunks, chunks...)) })
		}, false, "inconsistent"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyIndex(t, c.edit)
			ix, err := Open(dir)
			if err == nil {
				t.Fatalf("got index %s, want an error", ix.Generation())
			}
			if got := errors.Is(err, ErrNoIndex); got != c.noIdx {
				t.Errorf("got errors.Is(ErrNoIndex)=%v for %q, want %v", got, err, c.noIdx)
			}
			if !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %q, want the folder %s and %q named", err, dir, c.want)
			}
		})
	}
	t.Run("a build over a corrupt index asks for a rebuild and a rebuild repairs it", func(t *testing.T) {
		dir := copyIndex(t, func(dir string) { os.Remove(filepath.Join(dir, gen, lexicalFile)) })
		opt := buildOpts(corpus, dir, newEmbedder("test-a", 512), tk)
		if _, err := Build(context.Background(), opt); err == nil || !strings.Contains(err.Error(), "--rebuild") {
			t.Errorf("got %v, want an error mentioning --rebuild", err)
		}
		opt.Rebuild = true
		mustBuild(t, opt)
		mustOpen(t, dir)
	})
}

// seedsIndex builds an index of all seeds once for a benchmark.
func seedsIndex(b *testing.B) (string, *testEmbedder) {
	b.Helper()
	tk, err := sharedTokenizer()
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(b.TempDir(), "index")
	emb := newEmbedder("test-a", 512) // as the built-in embedder
	_, err = Build(context.Background(), BuildOptions{Corpus: filepath.Join("..", "seeds"), Dir: dir,
		Chunk: ingest.DefaultChunkOptions, Embedder: emb, Tokenizer: tk})
	if err != nil {
		b.Fatal(err)
	}
	return dir, emb
}

// BenchmarkOpen measures a cold load of the seeds index.
func BenchmarkOpen(b *testing.B) {
	dir, _ := seedsIndex(b)
	for b.Loop() {
		if _, err := Open(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearchVector measures one vector query over the seeds index.
func BenchmarkSearchVector(b *testing.B) {
	dir, emb := seedsIndex(b)
	ix, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	vs, _ := emb.Embed(context.Background(), []string{fold.String("示范区成立以后机构改革怎么推进")})
	for b.Loop() {
		if _, err := ix.SearchVector(context.Background(), vs[0], 20); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(ix.vectors.Count()), "units")
}
