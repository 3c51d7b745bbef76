package index

import "context"

// Yielding returns opt with its embedder and tokenizer calling yield between
// small steps of work (every few texts embedded, every chunk tokenized), so
// a build running beside latency-sensitive work (the bot answering) can let
// it go first; unless opt says otherwise, the build then prepares one file
// at a time. yield should return quickly when there is nothing to wait for.
func Yielding(opt BuildOptions, yield func()) BuildOptions {
	if yield == nil {
		return opt
	}
	if opt.Workers == 0 {
		opt.Workers = 1 // leave the other cores to the work that goes first
	}
	opt.Embedder = yieldingEmbedder{opt.Embedder, yield}
	opt.Tokenizer = yieldingTokenizer{opt.Tokenizer, yield}
	return opt
}

// yieldStep is how many texts are embedded between two yields.
const yieldStep = 64

type yieldingEmbedder struct {
	Embedder
	yield func()
}

func (e yieldingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	for i := 0; i < len(texts); i += yieldStep {
		e.yield()
		vs, err := e.Embedder.Embed(ctx, texts[i:min(i+yieldStep, len(texts))])
		if err != nil {
			return nil, err
		}
		out = append(out, vs...)
	}
	return out, nil
}

type yieldingTokenizer struct {
	Tokenizer
	yield func()
}

func (t yieldingTokenizer) Terms(text string) []string {
	t.yield()
	return t.Tokenizer.Terms(text)
}
