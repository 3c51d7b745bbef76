package index

import (
	"bytes"
	"errors"
	"io"
	"math"
	"path/filepath"
	"slices"
	"testing"

	"policybot/ingest"
)

func TestChunkStoreRoundTrip(t *testing.T) {
	chunks := []ingest.Chunk{
		{ID: "a", DocID: "d", Source: "x.txt", Title: "標題", Section: "一、 › (一)", Date: "2019-02-16", Kind: ingest.KindBody,
			Start: 3, End: 90, LineStart: 1, LineEnd: 4, Page: 2, PageEnd: 3, Headings: []string{"一、", "一、 › (一)"}, Text: "進出口", Folded: "进出口"},
		{ID: "b", DocID: "d", Source: "x.txt", Kind: ingest.KindHeader, Text: "", Folded: ""},
		{ID: "c", DocID: "d", Source: "x.txt", Kind: ingest.KindBody, Text: "今年", Folded: "今年", OCR: true,
			Years: []int{2019}, TimeKind: ingest.TimePlan},
		{ID: "e", DocID: "d", Source: "x.txt", Kind: ingest.KindBody, Text: "过去五年", Folded: "过去五年",
			Years: []int{2014, 2015, 2016, 2017, 2018}, TimeKind: ingest.TimeReview},
	}
	var buf bytes.Buffer
	if err := writeChunkStore(&buf, chunks); err != nil {
		t.Fatal(err)
	}
	got, err := decodeChunkStore(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	for i := range chunks {
		if !chunkEqual(got[i], chunks[i]) {
			t.Errorf("chunk %d: got %+v, want %+v", i, got[i], chunks[i])
		}
	}
	t.Run("a flipped byte is corrupt", func(t *testing.T) {
		b := slices.Clone(buf.Bytes())
		b[len(b)-1] ^= 1
		if _, err := decodeChunkStore(b); !errors.Is(err, errCorrupt) {
			t.Errorf("got %v, want errCorrupt", err)
		}
	})
	t.Run("a truncated file is corrupt", func(t *testing.T) {
		if _, err := decodeChunkStore(buf.Bytes()[:buf.Len()-3]); !errors.Is(err, errCorrupt) {
			t.Errorf("got %v, want errCorrupt", err)
		}
	})
}

func chunkEqual(a, b ingest.Chunk) bool {
	return slices.Equal(a.Headings, b.Headings) && a.ID == b.ID && a.DocID == b.DocID && a.Source == b.Source &&
		a.Title == b.Title && a.Section == b.Section && a.Date == b.Date && a.Kind == b.Kind && a.Text == b.Text &&
		a.Folded == b.Folded && a.Start == b.Start && a.End == b.End && a.LineStart == b.LineStart &&
		a.LineEnd == b.LineEnd && a.Page == b.Page && a.PageEnd == b.PageEnd && a.OCR == b.OCR &&
		slices.Equal(a.Years, b.Years) && a.TimeKind == b.TimeKind
}

func TestVectorStoreKeepsEveryUnitAndFolds(t *testing.T) {
	const dim = 256
	chunks := []ingest.Chunk{{ID: "a"}, {ID: "b"}, {ID: "c"}}
	unit := func(seed int) []float32 {
		v := make([]float32, dim)
		for i := range v {
			v[i] = float32(math.Sin(float64(seed*dim + i)))
		}
		return v
	}
	vectors := map[string][][]float32{"a": {unit(1), unit(2)}, "b": {unit(3)}, "c": {unit(4), unit(5), unit(6)}}
	path := filepath.Join(t.TempDir(), vectorsFile)
	if err := writeFile(path, func(w io.Writer) error { return writeVectorStore(w, chunks, vectors, dim) }); err != nil {
		t.Fatal(err)
	}
	vs, err := readVectorStore(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range chunks {
		got := vs.units(i, int(vs.counts[i]))
		if len(got) != len(vectors[c.ID]) {
			t.Fatalf("chunk %s: got %d units, want %d", c.ID, len(got), len(vectors[c.ID]))
		}
		for k := range got {
			if !slices.Equal(got[k], vectors[c.ID][k]) {
				t.Errorf("chunk %s unit %d differs", c.ID, k)
			}
		}
	}
	col, err := vs.collection(t.Context(), chunks)
	if err != nil {
		t.Fatal(err)
	}
	if col.Count() != 6 || vs.scan != nil {
		t.Errorf("a small store gave %d vectors to chromem-go (folded: %v), want all 6 whole", col.Count(), vs.scan != nil)
	}
	got := make([]float32, poolDim)
	foldVector(vectors["b"][0], poolDim, got)
	// Folding sums coordinates i, i+poolDim, …: a vector's fold is its
	// hashing into poolDim buckets.
	want := make([]float32, poolDim)
	for i, x := range vectors["b"][0] {
		want[i%poolDim] += x
	}
	var n float64
	for _, x := range want {
		n += float64(x) * float64(x)
	}
	for j := range want {
		if d := math.Abs(float64(got[j]) - float64(want[j])/math.Sqrt(n)); d > 1e-5 {
			t.Fatalf("folded coordinate %d off by %g", j, d)
		}
	}
}
