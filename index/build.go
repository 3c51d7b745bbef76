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
	"strconv"
	"strings"
	"syscall"
	"time"

	"policybot/ingest"
	"policybot/lexical"
)

// File names inside an index directory and a generation.
const (
	currentFile  = "CURRENT"
	lockFile     = "LOCK"
	manifestFile = "manifest.json"
	chunksFile   = "chunks.bin" // see store.go
	docsFile     = "docs.json"
	vectorsFile  = "vectors.f32" // see store.go
	lexicalFile  = "lexical.bin"
	collection   = "chunks"
)

// BuildOptions configures Build.
type BuildOptions struct {
	Corpus    string // folder of documents
	Dir       string // index directory
	Chunk     ingest.ChunkOptions
	Embedder  Embedder
	Tokenizer Tokenizer
	// Rebuild ignores the previous generation: every file is parsed and
	// embedded again, and a different embedder is allowed.
	Rebuild bool
	// Warn is told about each file that is skipped (not text, unreadable).
	Warn func(source string, err error)
	// Progress is told how many chunks of the total to embed are done.
	Progress func(done, total int)
}

// Stats summarizes a build.
type Stats struct {
	Files, Added, Changed, Removed, Unchanged, Skipped int
	Documents, Chunks, Embedded                        int
	Generation                                         string
	UpToDate                                           bool // nothing changed; no new generation was written
}

// Build brings the index in opt.Dir up to date with the corpus folder.
func Build(ctx context.Context, opt BuildOptions) (*Stats, error) {
	if opt.Embedder == nil || opt.Tokenizer == nil {
		return nil, errors.New("index build: embedder and tokenizer are required")
	}
	if opt.Chunk.Target <= 0 || opt.Chunk.Max < opt.Chunk.Target {
		return nil, fmt.Errorf("index build: bad chunk sizes target=%d max=%d", opt.Chunk.Target, opt.Chunk.Max)
	}
	corpus, err := filepath.Abs(opt.Corpus)
	if err != nil {
		return nil, fmt.Errorf("corpus %s: %w", opt.Corpus, err)
	}
	if st, err := os.Stat(corpus); err != nil || !st.IsDir() {
		if err == nil {
			err = errors.New("not a directory")
		}
		return nil, fmt.Errorf("corpus %s: %w", opt.Corpus, err)
	}
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("index %s: %w", opt.Dir, err)
	}
	unlock, err := lock(opt.Dir)
	if err != nil {
		return nil, err
	}
	defer unlock()

	var prev *Index
	if !opt.Rebuild {
		prev, err = Open(opt.Dir)
		switch {
		case errors.Is(err, ErrNoIndex):
			prev = nil
		case err != nil:
			return nil, fmt.Errorf("open previous index (use --rebuild to start afresh): %w", err)
		case prev.Manifest.Embedder != opt.Embedder.Name():
			return nil, &MismatchError{Dir: opt.Dir, Built: prev.Manifest.Embedder, Requested: opt.Embedder.Name()}
		case prev.Manifest.Chunk != opt.Chunk || prev.Manifest.Format != FormatVersion || prev.Manifest.Parser != ingest.ParserVersion:
			prev = nil // chunking changed: everything is redone
		}
	}

	sources, err := listSources(corpus)
	if err != nil {
		return nil, err
	}
	st := &Stats{Files: len(sources)}
	man := &Manifest{
		Format: FormatVersion, Embedder: opt.Embedder.Name(), Chunk: opt.Chunk, Parser: ingest.ParserVersion, Corpus: corpus,
		Files: map[string]FileEntry{}, Skipped: map[string]string{}, BuiltAt: time.Now().UTC().Format(time.RFC3339),
	}
	var chunks []ingest.Chunk
	var docs []ingest.Document
	var toEmbed []int                   // indexes into chunks that need vectors
	vectors := map[string][][]float32{} // chunk id → one vector per unit
	var prevChunks map[string][]ingest.Chunk
	var prevDocs map[string][]ingest.Document
	if prev != nil {
		prevChunks, prevDocs = prev.bySource()
	}
	for _, src := range sources {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var mtime int64
		if fi, err := os.Stat(filepath.Join(corpus, filepath.FromSlash(src))); err == nil {
			mtime = fi.ModTime().UnixNano()
		}
		raw, err := os.ReadFile(filepath.Join(corpus, filepath.FromSlash(src)))
		if err != nil {
			st.Skipped++
			man.Skipped[src] = err.Error()
			warn(opt, src, err)
			continue
		}
		sum := sha256.Sum256(raw)
		hash := hex.EncodeToString(sum[:])
		if prev != nil {
			if fe, ok := prev.Manifest.Files[src]; ok && fe.SHA256 == hash {
				fcs, fds := prevChunks[src], prevDocs[src]
				ok := true
				for _, c := range fcs {
					var d *ingest.Document
					if i, found := prev.docByID[c.DocID]; found {
						d = &prev.Docs[i]
					}
					vs, err := prev.unitVectors(ctx, c.ID)
					if err != nil || len(vs) != len(VectorUnits(&c, d)) {
						ok = false // a damaged store: embed the file again
						break
					}
					vectors[c.ID] = vs
				}
				if !ok { // re-embed the whole file; drop what was reused
					for _, c := range fcs {
						delete(vectors, c.ID)
					}
				}
				if ok {
					chunks = append(chunks, fcs...)
					docs = append(docs, fds...)
					man.Files[src] = fe
					st.Unchanged++
					continue
				}
			}
		}
		f, err := ingest.Parse(src, raw, opt.Chunk)
		if err != nil {
			st.Skipped++
			man.Skipped[src] = err.Error()
			warn(opt, src, err)
			continue
		}
		if len(f.Chunks) == 0 {
			st.Skipped++
			man.Skipped[src] = "no text"
			warn(opt, src, errors.New("no text after cleaning"))
			continue
		}
		// Counted only once parsed, so Files = Added+Changed+Unchanged+Skipped.
		if _, ok := prevFiles(prev)[src]; ok {
			st.Changed++
		} else {
			st.Added++
		}
		for i := range f.Chunks {
			toEmbed = append(toEmbed, len(chunks)+i)
		}
		chunks = append(chunks, f.Chunks...)
		docs = append(docs, f.Documents...)
		man.Files[src] = FileEntry{SHA256: hash, Size: int64(len(raw)), ModTime: mtime, Encoding: f.Encoding, Docs: len(f.Documents), Chunks: len(f.Chunks)}
	}
	if prev != nil {
		for src := range prev.Manifest.Files {
			if _, ok := man.Files[src]; !ok {
				if _, skipped := man.Skipped[src]; !skipped {
					st.Removed++
				}
			}
		}
	}
	st.Documents, st.Chunks = len(docs), len(chunks)
	if prev != nil && st.Added == 0 && st.Changed == 0 && st.Removed == 0 && sameSkipped(prev.Manifest.Skipped, man.Skipped) {
		st.UpToDate = true
		st.Generation = prev.generation
		removeOldGenerations(opt.Dir, prev.generation) // leftovers of crashed builds
		return st, nil
	}
	if len(chunks) == 0 {
		return nil, fmt.Errorf("corpus %s: no readable .txt or .md documents", opt.Corpus)
	}

	docByID := map[string]*ingest.Document{}
	for i := range docs {
		docByID[docs[i].ID] = &docs[i]
	}
	var texts []string
	var owner []int // chunk index of each text
	for _, ci := range toEmbed {
		for _, u := range VectorUnits(&chunks[ci], docByID[chunks[ci].DocID]) {
			texts = append(texts, u)
			owner = append(owner, ci)
		}
	}
	if len(texts) > 0 {
		if opt.Progress != nil {
			opt.Progress(0, len(texts))
		}
		vs, err := embedAll(ctx, opt, texts)
		if err != nil {
			return nil, fmt.Errorf("embed chunks: %w", err)
		}
		// Reused vectors of unchanged files must have the new dimension;
		// checked before mixing them, so the error names the rebuild.
		if pd := prev.dim(); pd != 0 && len(vs[0]) != pd && st.Unchanged > 0 {
			return nil, &MismatchError{Dir: opt.Dir, Built: fmt.Sprintf("%s (%d dimensions)", prev.Manifest.Embedder, pd),
				Requested: fmt.Sprintf("%s (%d dimensions)", opt.Embedder.Name(), len(vs[0]))}
		}
		for i, ci := range owner {
			id := chunks[ci].ID
			vectors[id] = append(vectors[id], vs[i])
		}
		st.Embedded = len(toEmbed)
	}
	for _, v := range vectors {
		man.Dim = len(v[0])
		break
	}
	for id, vs := range vectors {
		for _, v := range vs {
			if len(v) != man.Dim {
				return nil, fmt.Errorf("embedder %s returned vectors of %d and %d dimensions (chunk %s)", opt.Embedder.Name(), man.Dim, len(v), id)
			}
		}
	}

	gen, err := writeGeneration(ctx, opt, man, docs, chunks, docByID, vectors)
	if err != nil {
		return nil, err
	}
	st.Generation = gen
	if switched, err := switchCurrent(opt.Dir, gen); err != nil {
		if !switched {
			// The pointer still names the previous generation.
			os.RemoveAll(filepath.Join(opt.Dir, gen))
		}
		return nil, err
	}
	removeOldGenerations(opt.Dir, gen)
	return st, nil
}

// prevFiles returns the files of the previous generation, none without one.
func prevFiles(prev *Index) map[string]FileEntry {
	if prev == nil {
		return nil
	}
	return prev.Manifest.Files
}

// dim is the vector dimension of the index, 0 without one.
func (ix *Index) dim() int {
	if ix == nil {
		return 0
	}
	return ix.Manifest.Dim
}

func warn(opt BuildOptions, src string, err error) {
	if opt.Warn != nil {
		opt.Warn(src, err)
	}
}

func sameSkipped(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

// embedAll embeds in slices so progress is reported as it goes.
func embedAll(ctx context.Context, opt BuildOptions, texts []string) ([][]float32, error) {
	const step = 256
	out := make([][]float32, 0, len(texts))
	for i := 0; i < len(texts); i += step {
		j := min(i+step, len(texts))
		vs, err := opt.Embedder.Embed(ctx, texts[i:j])
		if err != nil {
			return nil, err
		}
		if len(vs) != j-i {
			return nil, fmt.Errorf("embedder %s returned %d vectors for %d texts", opt.Embedder.Name(), len(vs), j-i)
		}
		out = append(out, vs...)
		if opt.Progress != nil {
			opt.Progress(j, len(texts))
		}
	}
	return out, nil
}

// listSources returns the corpus files ingest reads, as slash-separated
// paths relative to the corpus, sorted. Hidden files and folders are skipped.
func listSources(corpus string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(corpus, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("read corpus %s: %w", path, err)
		}
		name := d.Name()
		if path != corpus && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		if ingest.Known(name) {
			rel, err := filepath.Rel(corpus, path)
			if err != nil {
				return err
			}
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

func writeGeneration(ctx context.Context, opt BuildOptions, man *Manifest, docs []ingest.Document, chunks []ingest.Chunk,
	docByID map[string]*ingest.Document, vectors map[string][][]float32) (string, error) {
	gen := "gen-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	dir := filepath.Join(opt.Dir, gen)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("index %s: %w", opt.Dir, err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(dir)
		}
	}()
	if err := writeFile(filepath.Join(dir, chunksFile), func(w io.Writer) error { return writeChunkStore(w, chunks) }); err != nil {
		return "", err
	}
	if err := writeJSON(filepath.Join(dir, docsFile), docs); err != nil {
		return "", err
	}

	ldocs := make([]lexical.Doc, len(chunks))
	for i := range chunks {
		c := &chunks[i]
		ldocs[i] = lexical.Doc{ID: c.ID, Terms: opt.Tokenizer.Terms(SearchText(c, docByID[c.DocID]))}
	}
	if err := writeFile(filepath.Join(dir, vectorsFile), func(w io.Writer) error {
		return writeVectorStore(w, chunks, vectors, man.Dim)
	}); err != nil {
		return "", fmt.Errorf("write vectors: %w", err)
	}
	lx := lexical.Build(ldocs, lexical.Options{})
	if err := writeFile(filepath.Join(dir, lexicalFile), lx.Encode); err != nil {
		return "", err
	}
	// The manifest is written last: a generation without one is incomplete.
	if err := writeJSON(filepath.Join(dir, manifestFile), man); err != nil {
		return "", err
	}
	if err := syncDir(dir); err != nil {
		return "", err
	}
	ok = true
	return gen, nil
}

// noEmbedding is the collection's embedding function: vectors are always
// supplied, so chromem-go must never compute one itself.
func noEmbedding(context.Context, string) ([]float32, error) {
	return nil, errors.New("policybot supplies vectors; chromem-go must not embed")
}

func writeFile(path string, write func(w io.Writer) error) error {
	return writeAtomic(path, func(f *os.File) error {
		bw := bufio.NewWriter(f)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	})
}

func writeJSON(path string, v any) error {
	return writeAtomic(path, func(f *os.File) error {
		enc := json.NewEncoder(f)
		enc.SetIndent("", " ")
		return enc.Encode(v)
	})
}

// writeAtomic writes path through a temporary file, synced and renamed.
func writeAtomic(path string, write func(*os.File) error) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("close %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("rename %s: %w", path, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}

// switchCurrent points the index at generation gen with an atomic rename.
// It reports whether the pointer was switched: a failing directory sync
// after the rename leaves it switched, and gen must then be kept.
func switchCurrent(dir, gen string) (bool, error) {
	if err := writeAtomic(filepath.Join(dir, currentFile), func(f *os.File) error {
		_, err := f.WriteString(gen + "\n")
		return err
	}); err != nil {
		return false, err
	}
	return true, syncDir(dir)
}

// removeOldGenerations deletes every generation but keep, and leftovers of
// builds that crashed.
func removeOldGenerations(dir, keep string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if e.IsDir() && strings.HasPrefix(e.Name(), "gen-") && e.Name() != keep {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// lock takes an exclusive advisory lock on the index directory, waiting
// for another build to finish.
func lock(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock index %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock index %s: %w", dir, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
