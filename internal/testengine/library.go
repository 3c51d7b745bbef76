package testengine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"policybot/config"
	"policybot/index"
	"policybot/ingest"
	"policybot/rag"
)

// Library is the extractive engine over a private, writable copy of the
// seed corpus that can re-ingest it, as the bot's uploads and /remove need
// (it implements bot.Library and bot.Reloader). Ingest runs the same
// index.Build as `policybot ingest` and swaps the new index in.
type Library struct {
	*rag.Engine
	corpus, dir string
	p           *parts
	mu          sync.Mutex // one build at a time
	// Yield, when set, is called between small steps of a build
	// (index.Yielding), e.g. the bot's Gate.Yield.
	Yield func()
}

// NewLibrary copies the seeds into a temporary corpus, indexes it and
// returns an engine over it.
func NewLibrary(t testing.TB) *Library {
	t.Helper()
	p, err := seeds()
	if err != nil {
		t.Fatal(err)
	}
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	l := &Library{corpus: filepath.Join(tmp, "corpus"), dir: filepath.Join(tmp, "index"), p: p}
	if err := os.MkdirAll(l.corpus, 0o755); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(filepath.Join(root, "seeds"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(root, "seeds", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(l.corpus, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.build(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(l.dir)
	if err != nil {
		t.Fatal(err)
	}
	if l.Engine, err = rag.New(ix, p.emb, p.tok, p.terms, options(nil)); err != nil {
		t.Fatal(err)
	}
	return l
}

func (l *Library) build(ctx context.Context, warn func(string, error)) (*index.Stats, error) {
	def := config.Default()
	return index.Build(ctx, index.Yielding(index.BuildOptions{
		Corpus: l.corpus, Dir: l.dir, Embedder: l.p.emb, Tokenizer: l.p.tok,
		Chunk: ingest.ChunkOptions{Target: def.Chunk.TargetChars, Max: def.Chunk.MaxChars},
		Warn:  warn,
	}, l.Yield))
}

// Corpus is the folder of the copy.
func (l *Library) Corpus() string { return l.corpus }

// Ingest rebuilds the index incrementally and swaps it in.
func (l *Library) Ingest(ctx context.Context) (map[string]error, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	skipped := map[string]error{}
	st, err := l.build(ctx, func(src string, err error) { skipped[src] = err })
	if err != nil {
		return skipped, err
	}
	if st.UpToDate && st.Generation == l.Index().Generation() {
		return skipped, nil
	}
	ix, err := index.Open(l.dir)
	if err != nil {
		return skipped, err
	}
	return skipped, l.Swap(ix)
}

// Reload is Ingest with a summary, as /reload shows it.
func (l *Library) Reload(ctx context.Context) (string, error) {
	if _, err := l.Ingest(ctx); err != nil {
		return "", err
	}
	return fmt.Sprintf("现共 %d 份文件。", len(l.Documents())), nil
}

// Hashes maps the SHA-256 of every indexed file to its source.
func (l *Library) Hashes() map[string]string {
	m := map[string]string{}
	man, err := index.ReadManifest(l.Index().Dir())
	if err != nil {
		return m // no index yet: nothing to match
	}
	for src, f := range man.Files {
		m[f.SHA256] = src
	}
	return m
}
