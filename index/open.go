package index

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/philippgille/chromem-go"
	"golang.org/x/sync/errgroup"

	"policybot/ingest"
	"policybot/lexical"
)

// Index is one loaded generation of an index. It is read-only and safe for
// concurrent use.
type Index struct {
	Manifest   Manifest
	Chunks     []ingest.Chunk
	Docs       []ingest.Document
	Lexical    *lexical.Index
	dir        string
	generation string
	byID       map[string]int
	docByID    map[string]int
	docChunks  map[string][]int // document id → its chunks, in file order
	vectors    *chromem.Collection
	store      *vectorStore // the vectors as loaded (nil for a legacy index)
}

// Open loads the current generation of the index in dir. It returns an
// error wrapping ErrNoIndex when there is none.
func Open(dir string) (*Index, error) {
	gen, err := currentGeneration(dir)
	if err != nil {
		return nil, err
	}
	gdir := filepath.Join(dir, gen)
	ix := &Index{dir: dir, generation: gen, byID: map[string]int{}, docByID: map[string]int{}}
	if err := readJSON(filepath.Join(gdir, manifestFile), &ix.Manifest); err != nil {
		return nil, err
	}
	if ix.Manifest.Format != FormatVersion && ix.Manifest.Format != legacyFormat {
		return nil, fmt.Errorf("index %s has format %d, this program reads %d: rebuild it with `policybot ingest --rebuild --index %s`",
			dir, ix.Manifest.Format, FormatVersion, dir)
	}
	if err := readJSON(filepath.Join(gdir, docsFile), &ix.Docs); err != nil {
		return nil, err
	}
	// The three stores are independent files: read them at once.
	var g errgroup.Group
	var vs *vectorStore
	g.Go(func() error {
		f, err := os.Open(filepath.Join(gdir, lexicalFile))
		if err != nil {
			return fmt.Errorf("index %s: %w", dir, err)
		}
		defer f.Close()
		ix.Lexical, err = lexical.Decode(bufio.NewReaderSize(f, 1<<20))
		if err != nil {
			return fmt.Errorf("index %s: lexical index: %w", dir, err)
		}
		return nil
	})
	if ix.Manifest.Format == legacyFormat {
		g.Go(func() error { return readChunks(filepath.Join(gdir, legacyChunksFile), &ix.Chunks) })
		g.Go(func() error {
			db := chromem.NewDB()
			if err := db.ImportFromFile(filepath.Join(gdir, legacyVectorsFile), ""); err != nil {
				return fmt.Errorf("index %s: vectors: %w", dir, err)
			}
			ix.vectors = db.GetCollection(collection, noEmbedding)
			if ix.vectors == nil {
				return fmt.Errorf("index %s: vectors: no %q collection", dir, collection)
			}
			return nil
		})
	} else {
		chunksDone := make(chan struct{})
		var chunksErr error
		g.Go(func() error {
			defer close(chunksDone)
			ix.Chunks, chunksErr = readChunkStore(filepath.Join(gdir, chunksFile))
			return chunksErr
		})
		g.Go(func() error {
			<-chunksDone
			if chunksErr != nil {
				return nil // reported by the reader
			}
			var err error
			if vs, err = readVectorStore(filepath.Join(gdir, vectorsFile)); err != nil {
				return fmt.Errorf("index %s: vectors: %w", dir, err)
			}
			if len(vs.counts) != len(ix.Chunks) {
				return fmt.Errorf("index %s is inconsistent: %d chunks, vectors of %d: rebuild it with `policybot ingest --rebuild --index %s`",
					dir, len(ix.Chunks), len(vs.counts), dir)
			}
			if ix.vectors, err = vs.collection(context.Background(), ix.Chunks); err != nil {
				return fmt.Errorf("index %s: vectors: %w", dir, err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	ix.store = vs
	ix.byID = make(map[string]int, len(ix.Chunks))
	for i := range ix.Chunks {
		ix.byID[ix.Chunks[i].ID] = i
	}
	ix.docChunks = make(map[string][]int, len(ix.Docs))
	for i := range ix.Chunks {
		ix.docChunks[ix.Chunks[i].DocID] = append(ix.docChunks[ix.Chunks[i].DocID], i)
	}
	for i := range ix.Docs {
		ix.docByID[ix.Docs[i].ID] = i
	}
	if n := ix.vectors.Count(); n < len(ix.Chunks) || ix.Lexical.Len() != len(ix.Chunks) || !ix.lexicalInOrder() {
		return nil, fmt.Errorf("index %s is inconsistent: %d chunks, %d vectors, %d lexical entries: rebuild it with `policybot ingest --rebuild --index %s`",
			dir, len(ix.Chunks), n, ix.Lexical.Len(), dir)
	}
	return ix, nil
}

// lexicalInOrder reports whether the lexical index numbers its documents
// as the chunks are numbered, which Search relies on.
func (ix *Index) lexicalInOrder() bool {
	for i := range ix.Chunks {
		if ix.Lexical.ID(int32(i)) != ix.Chunks[i].ID {
			return false
		}
	}
	return true
}

// Dir is the index directory.
func (ix *Index) Dir() string { return ix.dir }

// Generation names the loaded generation.
func (ix *Index) Generation() string { return ix.generation }

// Chunk returns the chunk with the given id.
func (ix *Index) Chunk(id string) (*ingest.Chunk, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return nil, false
	}
	return &ix.Chunks[i], true
}

// Doc returns the document with the given id.
func (ix *Index) Doc(id string) (*ingest.Document, bool) {
	i, ok := ix.docByID[id]
	if !ok {
		return nil, false
	}
	return &ix.Docs[i], true
}

// DocChunks returns the chunks of a document in file order.
func (ix *Index) DocChunks(docID string) []*ingest.Chunk {
	idx := ix.docChunks[docID]
	out := make([]*ingest.Chunk, len(idx))
	for i, j := range idx {
		out[i] = &ix.Chunks[j]
	}
	return out
}

// Hit is a search result: a chunk id and its score.
type Hit struct {
	ID    string
	Score float64
}

// SearchVector returns the k chunks most similar (cosine) to v, best
// first. A chunk scores by its best vector unit (the chunk or one of its
// sentences).
func (ix *Index) SearchVector(ctx context.Context, v []float32, k int) ([]Hit, error) {
	hits, err := ix.searchVector(ctx, v, k)
	if err != nil {
		return nil, err
	}
	out := make([]Hit, len(hits))
	for i, h := range hits {
		out[i] = Hit{ID: ix.Chunks[h.chunk].ID, Score: h.score}
	}
	return out, nil
}

// Current reports whether the index was cut by this program's parser with
// the given chunk sizes: if not, every file must be parsed again.
func (ix *Index) Current(chunk ingest.ChunkOptions) bool {
	return ix.Manifest.Chunk == chunk && ix.Manifest.Parser == ingest.ParserVersion && ix.Manifest.Format == FormatVersion
}

// Stale lists the changes between the indexed files and the corpus folder:
// "added x" and "changed x" in source order, then "removed x" sorted. It
// hashes every file whose size or modification time differ from the
// manifest's. A file the build skipped (not text, empty, too large) is not
// read while its size and time stay as recorded; once changed it is parsed
// again and reported added if it now holds text, else "changed x (still
// skipped)" so the next build records it anew.
func (ix *Index) Stale(corpus string) ([]string, error) {
	return ix.stale(corpus, os.ReadFile)
}

// stale is Stale reading files through readFile.
func (ix *Index) stale(corpus string, readFile func(string) ([]byte, error)) ([]string, error) {
	abs, err := filepath.Abs(corpus)
	if err != nil {
		return nil, err
	}
	sources, err := listSources(abs)
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, src := range sources {
		seen[src] = true
		path := filepath.Join(abs, filepath.FromSlash(src))
		// A file with the size and modification time it was indexed with
		// is taken as unchanged without reading it (as git does).
		if fe, ok := ix.Manifest.Files[src]; ok && ix.Manifest.settled(fe.ModTime) {
			if fi, err := os.Stat(path); err == nil && fi.Size() == fe.Size && fi.ModTime().UnixNano() == fe.ModTime {
				continue
			}
		}
		fe, ok := ix.Manifest.Files[src]
		se, skipped := ix.Manifest.Skipped[src]
		if !ok && !skipped {
			out = append(out, "added "+src) // no need to read it
			continue
		}
		fi, statErr := os.Stat(path)
		if !ok && statErr == nil && se.matches(fi) && ix.Manifest.settled(se.ModTime) {
			continue
		}
		if !ok && statErr == nil && ix.Manifest.MaxFileBytes > 0 && fi.Size() > ix.Manifest.MaxFileBytes {
			out = append(out, "changed "+src+" (still skipped)")
			continue
		}
		raw, err := readFile(path)
		if err != nil {
			out = append(out, "unreadable "+src)
			continue
		}
		sum := sha256.Sum256(raw)
		switch {
		case !ok:
			lim := ingest.DefaultLimits
			if ix.Manifest.MaxExtracted > 0 {
				lim.MaxExtracted = ix.Manifest.MaxExtracted
			}
			if f, err := ingest.ParseLimited(src, raw, ix.Manifest.Chunk, lim); err == nil && len(f.Chunks) > 0 {
				out = append(out, "added "+src)
			} else {
				out = append(out, "changed "+src+" (still skipped)")
			}
		case fe.SHA256 != hex.EncodeToString(sum[:]):
			out = append(out, "changed "+src)
		}
	}
	var removed []string
	for src := range ix.Manifest.Files {
		if !seen[src] {
			removed = append(removed, "removed "+src)
		}
	}
	sort.Strings(removed)
	return append(out, removed...), nil
}

// unitVectors returns the vectors of a chunk's units, in order.
func (ix *Index) unitVectors(ctx context.Context, id string) ([][]float32, error) {
	if ix.store != nil {
		i, ok := ix.byID[id]
		if !ok || ix.store.counts[i] == 0 {
			return nil, fmt.Errorf("no vectors for chunk %s", id)
		}
		return ix.store.units(i, int(ix.store.counts[i])), nil
	}
	var out [][]float32
	for k := 0; ; k++ {
		d, err := ix.vectors.GetByID(ctx, unitID(id, k))
		if err != nil {
			if k == 0 {
				return nil, err
			}
			return out, nil
		}
		out = append(out, d.Embedding)
	}
}

// bySource groups the index's chunks and documents by source file, once,
// so a build reusing unchanged files does not scan every chunk per file.
func (ix *Index) bySource() (map[string][]ingest.Chunk, map[string][]ingest.Document) {
	chunks := map[string][]ingest.Chunk{}
	for _, c := range ix.Chunks {
		chunks[c.Source] = append(chunks[c.Source], c)
	}
	docs := map[string][]ingest.Document{}
	for _, d := range ix.Docs {
		docs[d.Source] = append(docs[d.Source], d)
	}
	return chunks, docs
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

func readChunks(path string, out *[]ingest.Chunk) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReader(f))
	for n := 1; ; n++ {
		var c ingest.Chunk
		if err := dec.Decode(&c); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("read %s: chunk %d: %w", path, n, err)
		}
		*out = append(*out, c)
	}
}

// ReadManifest reads the manifest of the current generation in dir alone:
// which files are indexed (with their hashes) and which were skipped,
// without loading the index.
func ReadManifest(dir string) (*Manifest, error) {
	p, err := openPrevious(dir)
	if err != nil {
		return nil, err
	}
	return &p.man, nil
}

// currentGeneration returns the name of the generation CURRENT points at,
// or an error wrapping ErrNoIndex when there is none.
func currentGeneration(dir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("index %s: %w", dir, ErrNoIndex)
	}
	if err != nil {
		return "", fmt.Errorf("index %s: %w", dir, err)
	}
	gen := strings.TrimSpace(string(b))
	if !strings.HasPrefix(gen, "gen-") || strings.ContainsAny(gen, `/\`) {
		return "", fmt.Errorf("index %s: %s names no generation (%q)", dir, currentFile, gen)
	}
	return gen, nil
}
