// Package testengine gives tests the real answer engine over the seed
// corpus (the five documents in seeds/), built once per test process with
// the built-in embedder, so tests of the bot and the commands exercise real
// retrieval and real passages instead of a stand-in.
package testengine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	openai "github.com/sashabaranov/go-openai"

	"policybot/config"
	"policybot/embed"
	"policybot/index"
	"policybot/ingest"
	"policybot/internal/fakeopenai"
	"policybot/lexical"
	"policybot/rag"
	"policybot/terms"
)

// Model is the model name the LLM engine asks the fake server for.
const Model = "fake-chat"

// parts is what an engine over the seeds is made of; they are shared by
// every engine the package hands out (all are safe for concurrent use).
type parts struct {
	ix    *index.Index
	emb   *embed.Builtin
	tok   *lexical.Tokenizer
	terms *terms.Table
	eng   *rag.Engine // extractive
}

// seeds builds the index once per process. The index is built in a
// temporary directory that is removed as soon as it is loaded: Open reads
// everything into memory, so the engine never touches the files again.
var seeds = sync.OnceValues(func() (*parts, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "policybot-testengine-")
	if err != nil {
		return nil, fmt.Errorf("testengine: index dir: %w", err)
	}
	defer os.RemoveAll(dir)
	tok, err := lexical.NewTokenizer()
	if err != nil {
		return nil, fmt.Errorf("testengine: tokenizer: %w", err)
	}
	tt := terms.Builtin()
	emb := embed.NewBuiltin(tt, tok)
	def := config.Default()
	var warns []error
	_, err = index.Build(context.Background(), index.BuildOptions{
		Corpus: filepath.Join(root, "seeds"), Dir: dir, Embedder: emb, Tokenizer: tok,
		Chunk: ingest.ChunkOptions{Target: def.Chunk.TargetChars, Max: def.Chunk.MaxChars},
		Warn:  func(src string, err error) { warns = append(warns, fmt.Errorf("%s: %w", src, err)) },
	})
	if err != nil {
		return nil, fmt.Errorf("testengine: build the seeds index: %w", err)
	}
	if len(warns) > 0 {
		return nil, fmt.Errorf("testengine: seed files skipped: %w", errors.Join(warns...))
	}
	ix, err := index.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("testengine: open the seeds index: %w", err)
	}
	p := &parts{ix: ix, emb: emb, tok: tok, terms: tt}
	if p.eng, err = p.engine(nil); err != nil {
		return nil, err
	}
	return p, nil
})

// options are the engine options app.go derives from the default config.
func options(g *rag.Generator) rag.Options {
	def := config.Default()
	return rag.Options{
		K: def.Retrieval.K, Candidates: def.Retrieval.Candidates, Mode: def.Retrieval.Mode,
		VectorWeight: def.Retrieval.VectorWeight, MaxAnswerChars: def.Answer.MaxChars,
		RerankTopN: def.Rerank.TopN, Generator: g,
	}
}

func (p *parts) engine(g *rag.Generator) (*rag.Engine, error) {
	eng, err := rag.New(p.ix, p.emb, p.tok, p.terms, options(g))
	if err != nil {
		return nil, fmt.Errorf("testengine: engine: %w", err)
	}
	return eng, nil
}

// Seeds returns the extractive engine over the seed corpus, the same one
// for every caller in the process. Building it takes about two seconds
// (the segmentation dictionary dominates); later calls are free.
func Seeds(t testing.TB) *rag.Engine {
	t.Helper()
	p, err := seeds()
	if err != nil {
		t.Fatal(err)
	}
	return p.eng
}

// SeedsScript returns a new extractive engine over the seed corpus whose
// answers are in the given script (rag.ScriptSimplified or
// rag.ScriptOriginal). It shares the index with Seeds.
func SeedsScript(t testing.TB, script string) *rag.Engine {
	t.Helper()
	p, err := seeds()
	if err != nil {
		t.Fatal(err)
	}
	opt := options(nil)
	opt.Script = script
	eng, err := rag.New(p.ix, p.emb, p.tok, p.terms, opt)
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

// SeedsLLM returns a new engine over the seed corpus that writes its
// answers with the model of srv (the fake OpenAI server), streaming them.
// It shares the index with Seeds. Follow-up rewriting is off, so srv sees
// only answer requests.
func SeedsLLM(t testing.TB, srv *fakeopenai.Server) *rag.Engine {
	t.Helper()
	p, err := seeds()
	if err != nil {
		t.Fatal(err)
	}
	cc := openai.DefaultConfig("test-key")
	cc.BaseURL = srv.URL
	g, err := rag.NewGenerator(openai.NewClientWithConfig(cc), Model)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := p.engine(g)
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

// RepoRoot finds the module root (the directory holding go.mod) by walking
// up from the working directory, which for a test is its package folder.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("testengine: working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testengine: no go.mod above the working directory")
		}
		dir = parent
	}
}
