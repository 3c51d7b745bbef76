package index

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"policybot/ingest"
	"policybot/lexical"
)

// File names inside an index directory and a generation.
const (
	currentFile  = "CURRENT"
	lockFile     = "LOCK"
	manifestFile = "manifest.json"
	chunksFile   = "chunks.bin"  // see store.go
	vectorsFile  = "vectors.f32" // see store.go
	collection   = "chunks"
	docsFile     = "docs.json"
	lexicalFile  = "lexical.bin"
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
	// MaxFileBytes is the largest source file read (0 = no limit); a larger
	// file is skipped without being read.
	MaxFileBytes int64
	// Limits bound what one file may give when extracted; zero means
	// ingest.DefaultLimits.
	Limits ingest.Limits
	// Warn is told about each file that is skipped (not text, damaged, too
	// large, unreadable), at every build: a file skipped before and
	// unchanged since is not read again, and its error wraps
	// ErrSkippedBefore.
	Warn func(source string, err error)
	// Notice is told each warning of a file that was indexed nonetheless
	// ("3 invalid byte sequences replaced with U+FFFD", an unreadable page).
	Notice func(source, warning string)
	// Workers is how many files are parsed, tokenized and embedded at once;
	// 0 means GOMAXPROCS. The generation is the same for any number.
	Workers int
	// Progress is told how many of the corpus files are done.
	Progress func(done, total int)
	// ReadFile reads a corpus file by path; nil means os.ReadFile. It is
	// where a build meets the file system, so a caller can count or fail
	// the reads.
	ReadFile func(path string) ([]byte, error)
}

// Stats summarizes a build.
type Stats struct {
	Files, Added, Changed, Removed, Unchanged, Skipped int
	Warned                                             int // files indexed with warnings
	Documents, Chunks, Embedded                        int
	Generation                                         string
	UpToDate                                           bool // nothing changed; no new generation was written
}

// Build brings the index in opt.Dir up to date with the corpus folder.
//
// Files are read, parsed, tokenized and embedded by GOMAXPROCS workers and
// streamed in source order into the new generation: chunks and vectors go
// to disk file by file and the lexical index grows as compact postings, so
// memory holds the documents' metadata and the postings, not the corpus.
// When nothing changed (sizes and times as recorded, else equal hashes),
// Build returns after reading the manifest alone.
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

	var prev *previous
	if !opt.Rebuild {
		prev, err = openPrevious(opt.Dir)
		switch {
		case errors.Is(err, ErrNoIndex):
			prev = nil
		case err != nil:
			return nil, fmt.Errorf("open previous index (use --rebuild to start afresh): %w", err)
		case prev.man.Embedder != opt.Embedder.Name():
			return nil, &MismatchError{Dir: opt.Dir, Built: prev.man.Embedder, Requested: opt.Embedder.Name()}
		case prev.man.Chunk != opt.Chunk || prev.man.Format != FormatVersion || prev.man.Parser != ingest.ParserVersion:
			prev = nil // chunking or format changed: everything is redone
		}
	}

	sources, err := listSources(corpus)
	if err != nil {
		return nil, err
	}
	if prev != nil {
		if err := prev.check(); err != nil {
			return nil, fmt.Errorf("open previous index (use --rebuild to start afresh): %w", err)
		}
		if st, ok := prev.upToDate(ctx, opt, corpus, sources); ok {
			removeOldGenerations(opt.Dir, prev.gen) // leftovers of crashed builds
			return st, nil
		}
		if err := prev.load(); err != nil {
			return nil, fmt.Errorf("open previous index (use --rebuild to start afresh): %w", err)
		}
		defer prev.close()
	}
	return buildGeneration(ctx, opt, corpus, sources, prev)
}

// previous is the generation a build starts from: its manifest, and once
// something changed, its documents and open chunk and vector files.
type previous struct {
	dir, gen string
	man      Manifest
	docs     map[string][]ingest.Document // by source
	chunks   *os.File
	vectors  *os.File
	dim      int
	recStart int64            // offset of the first chunk record in chunks.bin
	counts   []uint16         // units per chunk in vectors.f32
	first    []int64          // offset of each chunk's second unit (its first sentence) in vectors.f32
	lexical  *lexical.Forward // each chunk's terms, nil if unreadable
}

// openPrevious reads the current generation's manifest, nothing else.
func openPrevious(dir string) (*previous, error) {
	gen, err := currentGeneration(dir)
	if err != nil {
		return nil, err
	}
	p := &previous{dir: dir, gen: gen}
	if err := readJSON(filepath.Join(dir, gen, manifestFile), &p.man); err != nil {
		return nil, err
	}
	return p, nil
}

// check verifies, from file sizes alone, that the generation's files are
// all there and as long as the manifest says.
func (p *previous) check() error {
	gdir := filepath.Join(p.dir, p.gen)
	var recBytes, units int64
	n := 0
	for _, fe := range p.man.Files {
		recBytes += fe.ChunkBytes
		units += int64(fe.Units)
		n += fe.Chunks
	}
	want := map[string]int64{docsFile: -1, lexicalFile: -1,
		chunksFile: int64(chunkHeader+len(binary.AppendUvarint(nil, uint64(n)))) + recBytes}
	if p.man.Dim > 0 {
		want[vectorsFile] = vectorsAt(n) + units*int64(p.man.Dim)*4
	}
	for name, size := range want {
		fi, err := os.Stat(filepath.Join(gdir, name))
		if err != nil {
			return fmt.Errorf("index %s: %w", p.dir, err)
		}
		if size >= 0 && fi.Size() != size {
			return fmt.Errorf("index %s: %s has %d bytes, the manifest says %d", p.dir, name, fi.Size(), size)
		}
	}
	f, err := os.Open(filepath.Join(gdir, lexicalFile))
	if err != nil {
		return fmt.Errorf("index %s: %w", p.dir, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("index %s: %w", p.dir, err)
	}
	if n, err := lexical.EncodedLen(f); err != nil || n != fi.Size() {
		return fmt.Errorf("index %s: %s is damaged (%d bytes, header says %d: %v)", p.dir, lexicalFile, fi.Size(), n, err)
	}
	return nil
}

// load reads the documents and the vectors' unit counts, and opens the
// chunk and vector files. Vectors that cannot be read are not reused: the
// files are embedded again.
func (p *previous) load() error {
	gdir := filepath.Join(p.dir, p.gen)
	var docs []ingest.Document
	if err := readJSON(filepath.Join(gdir, docsFile), &docs); err != nil {
		return err
	}
	p.docs = map[string][]ingest.Document{}
	for _, d := range docs {
		p.docs[d.Source] = append(p.docs[d.Source], d)
	}
	var err error
	if p.chunks, err = os.Open(filepath.Join(gdir, chunksFile)); err != nil {
		return err
	}
	if f, err := os.Open(filepath.Join(gdir, lexicalFile)); err == nil {
		if lx, err := lexical.Decode(bufio.NewReaderSize(f, 1<<20)); err == nil {
			p.lexical = lx.Forward() // unchanged chunks keep their terms
		}
		f.Close()
	}
	hdr := make([]byte, chunkHeader+binary.MaxVarintLen64)
	if n, _ := p.chunks.ReadAt(hdr, 0); n > chunkHeader {
		if _, k := binary.Uvarint(hdr[chunkHeader:n]); k > 0 {
			p.recStart = int64(chunkHeader + k)
		}
	}
	if p.vectors, err = os.Open(filepath.Join(gdir, vectorsFile)); err != nil {
		p.vectors = nil
		return nil
	}
	vh := make([]byte, vectorHeader)
	if _, err := p.vectors.ReadAt(vh, 0); err != nil || string(vh[:len(vectorMagic)]) != vectorMagic {
		return nil
	}
	dim := int(binary.LittleEndian.Uint32(vh[len(vectorMagic)+2:]))
	nc := binary.LittleEndian.Uint64(vh[len(vectorMagic)+6:])
	if dim <= 0 || dim > 1<<16 || nc > 1<<31 {
		return nil
	}
	cb := make([]byte, 2*nc)
	if _, err := p.vectors.ReadAt(cb, int64(vectorHeader)); err != nil {
		return nil
	}
	// Format 2's layout (store.go): every chunk's first unit, in chunk
	// order, then the other units chunk by chunk.
	p.counts = make([]uint16, nc)
	p.first = make([]int64, nc)
	at := vectorsAt(int(nc)) + int64(nc)*int64(dim)*4
	for i := range p.counts {
		p.counts[i] = binary.LittleEndian.Uint16(cb[2*i:])
		if p.counts[i] == 0 {
			return nil // every chunk has a unit: damaged, embed again
		}
		p.first[i] = at
		at += int64(p.counts[i]-1) * int64(dim) * 4
	}
	p.dim = dim
	return nil
}

func (p *previous) close() {
	if p.chunks != nil {
		p.chunks.Close()
	}
	if p.vectors != nil {
		p.vectors.Close()
	}
}

// upToDate reports whether the corpus is what the previous generation
// indexed, and the stats of a build that finds so. A file counts as
// unchanged when its size and modification time are as recorded, else when
// its hash is; a skipped file counts as unchanged while its size and time
// are those recorded when it was skipped (under the same limits).
func (p *previous) upToDate(ctx context.Context, opt BuildOptions, corpus string, sources []string) (*Stats, bool) {
	st := &Stats{Files: len(sources), UpToDate: true, Generation: p.gen}
	skipped := 0
	for _, src := range sources {
		if ctx.Err() != nil {
			return nil, false
		}
		path := filepath.Join(corpus, filepath.FromSlash(src))
		if fe, ok := p.man.Files[src]; ok {
			fi, err := os.Stat(path)
			if err != nil {
				return nil, false
			}
			if !p.man.settled(fe.ModTime) || fi.Size() != fe.Size || fi.ModTime().UnixNano() != fe.ModTime {
				raw, err := os.ReadFile(path)
				if err != nil {
					return nil, false
				}
				if sum := sha256.Sum256(raw); hex.EncodeToString(sum[:]) != fe.SHA256 {
					return nil, false
				}
			}
			st.Unchanged++
			st.Documents += fe.Docs
			st.Chunks += fe.Chunks
			continue
		}
		e, ok := p.man.Skipped[src]
		if !ok {
			return nil, false // added
		}
		fi, err := os.Stat(path)
		if err != nil || !e.matches(fi) || !p.man.settled(e.ModTime) || p.man.MaxFileBytes != opt.MaxFileBytes || p.man.MaxExtracted != opt.limits().MaxExtracted {
			return nil, false // changed since it was skipped, or judged by other limits: try it again
		}
		st.Skipped++
		warn(opt, src, fmt.Errorf("%s (%w)", e.Reason, ErrSkippedBefore))
		skipped++
	}
	if len(p.man.Files) != st.Unchanged || len(p.man.Skipped) != skipped {
		return nil, false // removed files
	}
	for src, fe := range p.man.Files {
		if len(fe.Warnings) > 0 {
			st.Warned++
			notice(opt, src, fe.Warnings)
		}
	}
	return st, true
}

// fileResult is one source file made ready for the new generation.
type fileResult struct {
	src     string
	fi      fs.FileInfo // the file as examined; nil if it could not be
	before  *SkipEntry  // skipped by the previous build and unchanged since
	skipErr error       // the file is skipped, for this reason
	entry   FileEntry
	status  int // fileAdded, fileChanged or fileUnchanged
	docs    []ingest.Document
	ids     []string   // chunk ids
	terms   [][]string // lexical terms per chunk
	carried []carried  // or: the lexical entries of the previous generation
	recs    []byte     // the chunks, encoded for chunks.bin
	units   []int      // vector units per chunk
	vecs    [][]float32
	// A parsed file's chunks come in parts of at most partChunks, each
	// tokenized and embedded in turn (produce), so a large file is never
	// held embedded whole; parts is closed after the last, err set before.
	parts   chan *part
	err     error
	pending *ingest.File
	raw     []byte   // or: vectors copied from the previous generation,
	counts  []uint16 // with their units per chunk
	rawRest []byte   // (the units after each chunk's first)
	rawDim  int
}

// part is a run of a parsed file's chunks, tokenized and embedded.
type part struct {
	ids   []string
	terms [][]string
	recs  []byte
	units []int
	vecs  [][]float32
}

// partChunks is how many chunks are embedded at once: enough to keep a
// worker busy, few enough that a file of 60 MB never holds all its vectors.
const partChunks = 512

// carried is a chunk's entry in the previous lexical index.
type carried struct {
	length uint32
	terms  []string
	tfs    []uint16
}

const (
	fileAdded = iota
	fileChanged
	fileUnchanged
)

// buildGeneration writes a new generation from the corpus and switches to it.
func buildGeneration(ctx context.Context, opt BuildOptions, corpus string, sources []string, prev *previous) (*Stats, error) {
	st := &Stats{Files: len(sources)}
	man := &Manifest{
		Format: FormatVersion, Embedder: opt.Embedder.Name(), Chunk: opt.Chunk, Parser: ingest.ParserVersion, Corpus: corpus,
		Files: map[string]FileEntry{}, Skipped: map[string]SkipEntry{}, BuiltAt: time.Now().UTC().Format(time.RFC3339), Started: time.Now().UnixNano(),
		MaxFileBytes: opt.MaxFileBytes, MaxExtracted: opt.limits().MaxExtracted,
	}
	gen := "gen-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	gdir := filepath.Join(opt.Dir, gen)
	if err := os.MkdirAll(gdir, 0o755); err != nil {
		return nil, fmt.Errorf("index %s: %w", opt.Dir, err)
	}
	keep := false
	defer func() {
		if !keep {
			os.RemoveAll(gdir)
		}
	}()
	sw, err := newStreamWriter(gdir)
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", opt.Dir, err)
	}
	defer sw.abort()
	lb := lexical.NewBuilder(lexical.Options{})
	var docs []ingest.Document

	// One producer hands out the files in order, each to a worker (at most
	// GOMAXPROCS at once), with a slot per file; the writer takes the slots
	// in order, so the generation does not depend on the number of workers.
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	slots := make(chan chan *fileResult, 2*workers)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(slots)
		wg, wctx := errgroup.WithContext(gctx)
		wg.SetLimit(workers)
		for _, src := range sources {
			slot := make(chan *fileResult, 1)
			select {
			case slots <- slot:
			case <-wctx.Done():
				if err := wg.Wait(); err != nil {
					return err
				}
				return wctx.Err()
			}
			wg.Go(func() error {
				r, err := prepareFile(wctx, opt, corpus, src, prev)
				if err != nil {
					return err
				}
				slot <- r
				if r.parts != nil {
					return r.produce(wctx, opt)
				}
				return nil
			})
		}
		return wg.Wait()
	})
	g.Go(func() error {
		done := 0
		if opt.Progress != nil {
			opt.Progress(0, len(sources))
		}
		for slot := range slots {
			var r *fileResult
			select {
			case r = <-slot:
			case <-gctx.Done():
				return gctx.Err()
			}
			done++
			if opt.Progress != nil {
				opt.Progress(done, len(sources))
			}
			if r.before != nil {
				st.Skipped++
				man.Skipped[r.src] = *r.before
				warn(opt, r.src, fmt.Errorf("%s (%w)", r.before.Reason, ErrSkippedBefore))
				continue
			}
			if r.skipErr != nil {
				st.skip(opt, man, r.src, r.fi, r.skipErr)
				continue
			}
			if len(r.entry.Warnings) > 0 {
				st.Warned++
				notice(opt, r.src, r.entry.Warnings)
			}
			switch r.status {
			case fileAdded:
				st.Added++
			case fileChanged:
				st.Changed++
			default:
				st.Unchanged++
			}
			fe := r.entry
			fe.ChunkStart, fe.ChunkOffset = lb.Len(), sw.recBytes
			units := sw.units
			if r.parts != nil {
				if err := writeParts(gctx, opt, prev, sw, lb, r); err != nil {
					if errors.Is(err, context.Canceled) && ctx.Err() == nil {
						// A worker failed and cancelled the others: its
						// error, which the producer returns, is the cause.
						return nil
					}
					return err
				}
				st.Embedded += r.entry.Chunks
				fe.ChunkBytes, fe.Units = sw.recBytes-fe.ChunkOffset, sw.units-units
				docs = append(docs, r.docs...)
				man.Files[r.src] = fe
				continue
			}
			fe.ChunkBytes = int64(len(r.recs))
			if err := sw.addChunks(r.recs, len(r.ids)); err != nil {
				return fmt.Errorf("write chunks: %w", err)
			}
			if r.raw != nil {
				if err := sw.addRawUnits(r.rawDim, r.counts, r.raw, r.rawRest); err != nil {
					return dimError(opt, prev, r.rawDim, sw.dim, err)
				}
			} else {
				v := 0
				for _, n := range r.units {
					if err := sw.addUnits(r.vecs[v : v+n]); err != nil {
						return dimError(opt, prev, len(r.vecs[v]), sw.dim, err)
					}
					v += n
				}
			}
			fe.Units = sw.units - units
			for i, id := range r.ids {
				if r.carried != nil {
					c := &r.carried[i]
					lb.AddCounts(id, c.length, c.terms, c.tfs)
				} else {
					lb.Add(id, r.terms[i])
				}
			}
			docs = append(docs, r.docs...)
			man.Files[r.src] = fe
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if prev != nil {
		for src := range prev.man.Files {
			if _, ok := man.Files[src]; !ok {
				if _, skipped := man.Skipped[src]; !skipped {
					st.Removed++
				}
			}
		}
	}
	st.Documents, st.Chunks = len(docs), lb.Len()
	if prev != nil && st.Added == 0 && st.Changed == 0 && st.Removed == 0 && sameSkipped(prev.man.Skipped, man.Skipped) {
		st.UpToDate = true
		st.Generation = prev.gen
		removeOldGenerations(opt.Dir, prev.gen)
		return st, nil
	}
	if lb.Len() == 0 {
		return nil, fmt.Errorf("corpus %s: no readable .txt or .md documents", opt.Corpus)
	}
	man.Dim = sw.dim
	if err := sw.close(); err != nil {
		return nil, fmt.Errorf("index %s: %w", opt.Dir, err)
	}
	lx := lb.Index()
	if err := writeFile(filepath.Join(gdir, lexicalFile), lx.Encode); err != nil {
		return nil, err
	}
	if err := writeJSON(filepath.Join(gdir, docsFile), docs); err != nil {
		return nil, err
	}
	// The manifest is written last: a generation without one is incomplete.
	if err := writeJSON(filepath.Join(gdir, manifestFile), man); err != nil {
		return nil, err
	}
	if err := syncDir(gdir); err != nil {
		return nil, err
	}
	st.Generation = gen
	if switched, err := switchCurrent(opt.Dir, gen); err != nil {
		keep = switched // once the pointer names it, it must stay
		return nil, err
	}
	keep = true
	removeOldGenerations(opt.Dir, gen)
	return st, nil
}

// dimError explains vectors of two dimensions: reused ones of the previous
// generation and new ones need a rebuild, else the embedder is at fault.
func dimError(opt BuildOptions, prev *previous, got, want int, err error) error {
	if prev != nil && prev.dim != 0 && (got == prev.dim || want == prev.dim) {
		a, b := want, got
		if got == prev.dim {
			a, b = got, want
		}
		return &MismatchError{Dir: opt.Dir, Built: fmt.Sprintf("%s (%d dimensions)", prev.man.Embedder, a),
			Requested: fmt.Sprintf("%s (%d dimensions)", opt.Embedder.Name(), b)}
	}
	return fmt.Errorf("embedder %s returned %w", opt.Embedder.Name(), err)
}

// prepareFile reads one source file and makes its part of the new
// generation: the previous generation's chunks and vectors when the file is
// unchanged and they are intact, else parsed, tokenized and embedded.
func prepareFile(ctx context.Context, opt BuildOptions, corpus, src string, prev *previous) (*fileResult, error) {
	r := &fileResult{src: src}
	path := filepath.Join(corpus, filepath.FromSlash(src))
	fi, err := os.Stat(path)
	if err != nil {
		r.skipErr = err
		return r, nil
	}
	if e, ok := skippedBefore(prev, opt, src, fi); ok {
		r.before = &e
		return r, nil
	}
	r.fi = fi
	if err := checkSize(opt, fi); err != nil {
		r.skipErr = err
		return r, nil
	}
	mtime := fi.ModTime().UnixNano()
	raw, err := opt.readFile(path)
	if err != nil {
		r.fi, r.skipErr = nil, err // unreadable: tried again next time
		return r, nil
	}
	sum := sha256.Sum256(raw)
	hash := hex.EncodeToString(sum[:])
	if prev != nil {
		if fe, ok := prev.man.Files[src]; ok && fe.SHA256 == hash && reuse(opt, prev, fe, r) {
			r.status = fileUnchanged
			r.entry = fe
			return r, nil
		}
		*r = fileResult{src: src, fi: fi} // drop what a failed reuse left
	}
	f, err := ingest.ParseLimited(src, raw, opt.Chunk, opt.limits())
	if err != nil {
		r.skipErr = err
		return r, nil
	}
	if len(f.Chunks) == 0 {
		r.skipErr = errors.New("no text after cleaning")
		return r, nil
	}
	// Counted only once parsed, so Files = Added+Changed+Unchanged+Skipped.
	r.status = fileAdded
	if prev != nil {
		if _, ok := prev.man.Files[src]; ok {
			r.status = fileChanged
		}
	}
	r.pending = f
	r.parts = make(chan *part, 1)
	r.docs = f.Documents
	r.entry = FileEntry{SHA256: hash, Size: int64(len(raw)), ModTime: mtime, Encoding: f.Encoding, Docs: len(f.Documents), Chunks: len(f.Chunks),
		Warnings: f.Warnings}
	return r, nil
}

// produce tokenizes and embeds a parsed file's chunks part by part and
// hands each part to the writer, closing r.parts after the last. An error
// is also left in r.err for the writer.
func (r *fileResult) produce(ctx context.Context, opt BuildOptions) (err error) {
	defer func() {
		r.err = err
		close(r.parts)
	}()
	f := r.pending
	r.pending = nil
	docByID := map[string]*ingest.Document{}
	for i := range f.Documents {
		docByID[f.Documents[i].ID] = &f.Documents[i]
	}
	for from := 0; from < len(f.Chunks); from += partChunks {
		p := &part{}
		var texts []string
		for i := from; i < min(from+partChunks, len(f.Chunks)); i++ {
			c := &f.Chunks[i]
			d := docByID[c.DocID]
			p.ids = append(p.ids, c.ID)
			p.terms = append(p.terms, opt.Tokenizer.Terms(SearchText(c, d)))
			us := VectorUnits(c, d)
			p.units = append(p.units, len(us))
			texts = append(texts, us...)
			p.recs = appendChunkRecord(p.recs, c)
			f.Chunks[i] = ingest.Chunk{} // its text is in the record now: let it go
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		vs, err := opt.Embedder.Embed(ctx, texts)
		if err != nil {
			return fmt.Errorf("embed chunks of %s: %w", r.src, err)
		}
		if len(vs) != len(texts) {
			return fmt.Errorf("embedder %s returned %d vectors for %d texts", opt.Embedder.Name(), len(vs), len(texts))
		}
		p.vecs = vs
		select {
		case r.parts <- p:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// writeParts writes a parsed file's parts as they come.
func writeParts(ctx context.Context, opt BuildOptions, prev *previous, sw *streamWriter, lb *lexical.Builder, r *fileResult) error {
	for {
		var p *part
		var ok bool
		select {
		case p, ok = <-r.parts:
		case <-ctx.Done():
			return ctx.Err()
		}
		if !ok {
			return r.err
		}
		if err := sw.addChunks(p.recs, len(p.ids)); err != nil {
			return fmt.Errorf("write chunks: %w", err)
		}
		v := 0
		for _, n := range p.units {
			if err := sw.addUnits(p.vecs[v : v+n]); err != nil {
				return dimError(opt, prev, len(p.vecs[v]), sw.dim, err)
			}
			v += n
		}
		for i, id := range p.ids {
			lb.Add(id, p.terms[i])
		}
	}
}

// reuse fills r with an unchanged file's chunks and vectors from the
// previous generation. It reports false when they are not intact (a damaged
// store): the file is then embedded again.
func reuse(opt BuildOptions, prev *previous, fe FileEntry, r *fileResult) bool {
	if prev.dim == 0 || prev.recStart == 0 || fe.Chunks == 0 || fe.ChunkBytes <= 0 ||
		fe.ChunkStart < 0 || fe.ChunkStart+fe.Chunks > len(prev.counts) {
		return false
	}
	recs := make([]byte, fe.ChunkBytes)
	if _, err := prev.chunks.ReadAt(recs, prev.recStart+fe.ChunkOffset); err != nil {
		return false
	}
	chunks, err := decodeChunkRecords(recs, fe.Chunks)
	if err != nil {
		return false
	}
	docs := prev.docs[r.src]
	docByID := map[string]*ingest.Document{}
	for i := range docs {
		docByID[docs[i].ID] = &docs[i]
	}
	counts := prev.counts[fe.ChunkStart : fe.ChunkStart+fe.Chunks]
	units := 0
	for i := range chunks {
		c := &chunks[i]
		d := docByID[c.DocID]
		if c.Source != r.src || int(counts[i]) != len(VectorUnits(c, d)) {
			return false
		}
		units += int(counts[i])
		r.ids = append(r.ids, c.ID)
	}
	// The lexical entries are carried over when the previous index has
	// them, else the chunks are tokenized again.
	if fw := prev.lexical; fw != nil && fe.ChunkStart+len(chunks) <= fw.Len() {
		for i := range chunks {
			id, n, terms, tfs := fw.Doc(fe.ChunkStart + i)
			if id != chunks[i].ID {
				r.carried = nil
				break
			}
			r.carried = append(r.carried, carried{n, terms, tfs})
		}
	}
	if r.carried == nil {
		for i := range chunks {
			c := &chunks[i]
			r.terms = append(r.terms, opt.Tokenizer.Terms(SearchText(c, docByID[c.DocID])))
		}
	}
	// The file's chunks' first units are contiguous at the head, their
	// other units contiguous in the tail.
	row := int64(prev.dim) * 4
	head := make([]byte, int64(len(chunks))*row)
	if _, err := prev.vectors.ReadAt(head, vectorsAt(len(prev.counts))+int64(fe.ChunkStart)*row); err != nil {
		return false
	}
	rest := make([]byte, int64(units-len(chunks))*row)
	if len(rest) > 0 {
		if _, err := prev.vectors.ReadAt(rest, prev.first[fe.ChunkStart]); err != nil {
			return false
		}
	}
	r.recs, r.raw, r.rawRest, r.counts, r.rawDim = recs, head, rest, counts, prev.dim
	r.docs = docs
	return true
}

func warn(opt BuildOptions, src string, err error) {
	if opt.Warn != nil {
		opt.Warn(src, err)
	}
}

// sameSkipped reports whether two builds skipped the same files as they
// were: a skipped file that changed is recorded anew.
func sameSkipped(a, b map[string]SkipEntry) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		if y, ok := b[k]; !ok || x != y {
			return false
		}
	}
	return true
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
