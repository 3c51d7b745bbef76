package index

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestStreamedVectorsHaveTheStoreLayout checks that the vectors a build
// streams to disk, and those an incremental build copies over from the
// previous generation, are byte for byte what writeVectorStore writes for
// the same chunks: every chunk's first unit at the head, the rest after.
func TestStreamedVectorsHaveTheStoreLayout(t *testing.T) {
	corpus := writeCorpus(t)
	dir := filepath.Join(t.TempDir(), "index")
	emb := newEmbedder("test-a", 64)
	opt := buildOpts(corpus, dir, emb, testTokenizer(t))
	check := func(t *testing.T) {
		ix := mustOpen(t, dir)
		vectors := map[string][][]float32{}
		for i := range ix.Chunks {
			c := &ix.Chunks[i]
			d, _ := ix.Doc(c.DocID)
			// The vectors as the embedder gives them, not as read back.
			vs, err := emb.Embed(context.Background(), VectorUnits(c, d))
			if err != nil {
				t.Fatal(err)
			}
			vectors[c.ID] = vs
		}
		var want bytes.Buffer
		if err := writeVectorStore(&want, ix.Chunks, vectors, ix.Manifest.Dim); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, ix.Generation(), vectorsFile))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("vectors.f32 has %d bytes that differ from writeVectorStore's %d", len(got), want.Len())
		}
	}
	mustBuild(t, opt)
	t.Run("a first build writes the store layout", check)
	putFile(t, corpus, "new.txt", []byte(teaDoc))
	mustBuild(t, opt)
	t.Run("an incremental build copying unchanged files writes it too", check)
}
