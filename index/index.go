// Package index builds and opens policybot's persistent index: the chunks of
// every document in a corpus folder, their vectors in a chromem-go store and
// a BM25 lexical index, together with a manifest recording which embedder
// built it and a hash of every source file.
//
// An index directory holds generations. Build writes a complete new
// generation beside the current one and then switches a pointer file with
// an atomic rename, so a crash or error mid-way leaves the previous index
// loadable; a lock file keeps two builds from interleaving. Unchanged files
// keep their chunks and vectors from the previous generation.
package index

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"policybot/fold"
	"policybot/ingest"
)

// FormatVersion is the on-disk layout version written in the manifest.
// Format 2 and later store chunks and vectors as flat binary files (store.go;
// 3 adds a chunk flags number, 4 a chunk's time kind and years),
// written as a stream (stream.go) with each file's range in its FileEntry;
// format 1 (chunks.jsonl, chromem-go's gob export) is still read, and is
// rebuilt by the next ingest.
const FormatVersion = 4

// legacyFormat and its files are read by Open so an old index opens.
const (
	legacyFormat      = 1
	legacyChunksFile  = "chunks.jsonl"
	legacyVectorsFile = "vectors.gob.gz"
)

// Embedder turns texts into vectors. Name identifies the model and is
// recorded in the index, so a query is never embedded by another model than
// the one that built it.
type Embedder interface {
	Name() string
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// Tokenizer produces the lexical index terms of folded text.
type Tokenizer interface {
	Terms(text string) []string
}

// ErrNoIndex reports an index directory with no complete generation.
var ErrNoIndex = errors.New("no index built yet")

// MismatchError reports an index built by another embedder or dimension
// than the one configured.
type MismatchError struct {
	Dir              string
	Built, Requested string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("index %s was built with embedder %s, but %s is configured: rebuild it with `policybot ingest --rebuild --index %s`",
		e.Dir, e.Built, e.Requested, e.Dir)
}

// Manifest describes one generation of an index.
type Manifest struct {
	Format   int                  `json:"format"`
	Embedder string               `json:"embedder"`
	Dim      int                  `json:"dim"`
	Chunk    ingest.ChunkOptions  `json:"chunk"`
	Parser   int                  `json:"parser"` // ingest.ParserVersion that cut the chunks
	Corpus   string               `json:"corpus"` // absolute path of the corpus folder it was built from
	Files    map[string]FileEntry `json:"files"`  // by source path relative to the corpus
	Skipped  map[string]SkipEntry `json:"skipped,omitempty"`
	BuiltAt  string               `json:"built_at"`
	// Started is when the build began, in Unix nanoseconds: a file whose
	// modification time is not clearly before it may have changed again
	// within the file system's timestamp granularity (git's "racily clean"
	// entries), so its size and time alone do not show it unchanged.
	Started int64 `json:"started,omitempty"`
	// The limits files were read with (BuildOptions.MaxFileBytes and
	// Limits.MaxExtracted): files skipped under other limits are retried.
	MaxFileBytes int64 `json:"max_file_bytes,omitempty"`
	MaxExtracted int64 `json:"max_extracted,omitempty"`
}

// FileEntry records one indexed source file.
type FileEntry struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	// ModTime is the file's modification time (Unix nanoseconds) when it
	// was indexed: Stale skips hashing a file whose size and time match.
	ModTime  int64  `json:"mtime,omitempty"`
	Encoding string `json:"encoding"`
	Docs     int    `json:"docs"`
	Chunks   int    `json:"chunks"`
	// Warnings are the problems that did not stop the file being indexed.
	Warnings []string `json:"warnings,omitempty"`
	// Where the file's chunks are in the generation: chunk numbers
	// [ChunkStart, +Chunks), whose records in chunks.bin are the bytes
	// [ChunkOffset, +ChunkBytes) counted from the first record; Units is
	// how many vectors they have in vectors.f32. A build copies an
	// unchanged file's chunks and vectors from there.
	ChunkStart  int   `json:"chunk_start"`
	ChunkOffset int64 `json:"chunk_offset"`
	ChunkBytes  int64 `json:"chunk_bytes"`
	Units       int   `json:"units"`
}

// SearchText is the text a chunk is matched by, lexically and by vector:
// its heading path and folded text, and for header chunks the parsed
// metadata spelled out, so "who wrote it" and "which number" find them.
func SearchText(c *ingest.Chunk, d *ingest.Document) string {
	s := c.Folded
	if c.Section != "" {
		s = fold.String(c.Section) + "\n" + s
	}
	if c.Kind == ingest.KindHeader && d != nil {
		meta := "标题 " + d.Title
		if d.Issuer != "" {
			meta += " 作者 发文机关 " + d.Issuer
		}
		if d.Date != "" {
			meta += " 日期 " + d.Date
		}
		if d.DocNumber != "" {
			meta += " 发文字号 文号 " + d.DocNumber
		}
		s = fold.String(meta) + "\n" + s
	}
	return s
}

// VectorUnits are the texts embedded for a chunk: the chunk's search text
// as a whole and, for body chunks of several sentences, each sentence
// (short ones merged with the next). A question usually matches one
// sentence, and a sentence's vector is not diluted by the rest of the chunk.
func VectorUnits(c *ingest.Chunk, d *ingest.Document) []string {
	units := []string{SearchText(c, d)}
	if c.Kind == ingest.KindHeader {
		return units
	}
	var sents []string
	var cur strings.Builder
	for _, r := range c.Folded {
		cur.WriteRune(r)
		if strings.ContainsRune("。！？!?；;\n", r) && utf8.RuneCountInString(cur.String()) >= minUnitRunes {
			if s := strings.TrimSpace(cur.String()); s != "" {
				sents = append(sents, s)
			}
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		sents = append(sents, s)
	}
	if len(sents) > 1 {
		units = append(units, sents...)
	}
	return units
}

// minUnitRunes is the shortest sentence embedded on its own.
const minUnitRunes = 15

func unitID(chunkID string, k int) string { return chunkID + "/" + strconv.Itoa(k) }

func chunkOfUnit(id string) string {
	if i := strings.IndexByte(id, '/'); i >= 0 {
		return id[:i]
	}
	return id
}

// racyWindow is how close before a build's start a file's modification time
// must not be for its size and time to vouch for it.
const racyWindow = 2 * int64(time.Second)

// settled reports whether a file with modification time mtime (Unix
// nanoseconds) was last changed clearly before the build of m began, so that
// an equal size and time show it unchanged. Older manifests without a start
// time trust every time.
func (m *Manifest) settled(mtime int64) bool {
	return mtime != 0 && (m.Started == 0 || mtime < m.Started-racyWindow)
}
