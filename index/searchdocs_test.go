package index

import (
	"context"
	"path/filepath"
	"testing"

	"policybot/fold"
)

// teaQuery builds the test corpus's index and returns it with the query
// for 茶叶种植补贴 检查: its terms and its vector.
func teaQuery(t *testing.T) (*Index, []Term, []float32) {
	t.Helper()
	tk := testTokenizer(t)
	dir := filepath.Join(t.TempDir(), "index")
	emb := newEmbedder("test-a", 512)
	mustBuild(t, buildOpts(writeCorpus(t), dir, emb, tk))
	ix := mustOpen(t, dir)
	q := fold.String("茶叶种植补贴 检查")
	vs, err := emb.Embed(context.Background(), []string{q})
	if err != nil {
		t.Fatal(err)
	}
	var terms []Term
	for _, x := range tk.Terms(q) {
		terms = append(terms, Term{Text: x, Weight: 1})
	}
	return ix, terms, vs[0]
}

func TestSearchAlsoSearchesTheNamedDocumentsOnTheirOwn(t *testing.T) {
	ix, terms, vec := teaQuery(t)
	var bridge string
	for _, d := range ix.Docs {
		if d.Source == "bridge.md" {
			bridge = d.ID
		}
	}
	cands, err := ix.Search(context.Background(), Query{Terms: terms, Vector: vec, K: 1, Docs: []string{bridge}})
	if err != nil {
		t.Fatal(err)
	}
	var inDoc int
	for _, c := range cands {
		if c.DocRank > 0 {
			if c.Chunk.DocID != bridge {
				t.Errorf("chunk of %s ranked among the named document's", c.Chunk.Source)
			}
			inDoc++
			if c.Dense == 0 {
				t.Errorf("chunk %s of the named document has no cosine", c.Chunk.ID)
			}
		}
	}
	t.Run("a chunk of the named document is a candidate though the corpus-wide K best are the tea notice's", func(t *testing.T) {
		if inDoc == 0 {
			t.Fatalf("no candidate of bridge.md among %d", len(cands))
		}
		for _, c := range cands {
			if c.LexicalRank == 1 && c.Chunk.Source != "tea.txt" {
				t.Errorf("best BM25 chunk is of %s, want tea.txt", c.Chunk.Source)
			}
		}
	})
	t.Run("without named documents only the two searches' K best are candidates", func(t *testing.T) {
		plain, err := ix.Search(context.Background(), Query{Terms: terms, Vector: vec, K: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range plain {
			if c.DocRank != 0 || c.LexicalRank == 0 && c.DenseRank == 0 {
				t.Errorf("candidate %+v is among neither search's best", c)
			}
		}
		if len(plain) > 2 {
			t.Errorf("got %d candidates, want at most 2", len(plain))
		}
	})
}

func TestAChunkFoundByBM25AloneHasItsCosine(t *testing.T) {
	ix, terms, vec := teaQuery(t)
	// The BM25 list's chunks outside the vector list's K best are still
	// near the question: each has its cosine.
	cands, err := ix.Search(context.Background(), Query{Terms: terms, Vector: vec, K: 3})
	if err != nil {
		t.Fatal(err)
	}
	lexicalOnly := 0
	for _, c := range cands {
		if c.LexicalRank > 0 && c.DenseRank == 0 {
			lexicalOnly++
			if c.Dense == 0 {
				t.Errorf("chunk %s found by BM25 alone has no cosine", c.Chunk.ID)
			}
		}
	}
	if lexicalOnly == 0 {
		t.Fatal("every BM25 hit is also among the vector list's best: the fixture tests nothing")
	}
}
