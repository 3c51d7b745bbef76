package lexical

import (
	"bytes"
	"slices"
	"testing"
)

func TestBuilderEqualsBuild(t *testing.T) {
	tk := newTestTokenizer(t)
	var docs []Doc
	for i, p := range seedParagraphs(t) {
		docs = append(docs, Doc{ID: p.id, Terms: tk.Terms(p.text)})
		if i%7 == 3 { // a document repeating a term beyond uint16 and an empty one
			docs = append(docs, Doc{ID: p.id + "/empty"})
		}
	}
	many := make([]string, 70000)
	for i := range many {
		many[i] = "同一"
	}
	docs = append(docs, Doc{ID: "many", Terms: many})
	want := Build(docs, Options{})
	b := NewBuilder(Options{})
	for _, d := range docs {
		b.Add(d.ID, d.Terms)
	}
	got := b.Index()
	var gw, ww bytes.Buffer
	if err := got.Encode(&gw); err != nil {
		t.Fatal(err)
	}
	if err := want.Encode(&ww); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gw.Bytes(), ww.Bytes()) {
		t.Fatalf("Builder's index encodes to %d bytes, Build's to %d: they differ", gw.Len(), ww.Len())
	}
	if !slices.Equal(got.terms, want.terms) {
		t.Fatalf("got %d terms, want %d, or in another order", len(got.terms), len(want.terms))
	}
}

func TestForwardCarriesDocumentsOver(t *testing.T) {
	tk := newTestTokenizer(t)
	var docs []Doc
	for _, p := range seedParagraphs(t) {
		docs = append(docs, Doc{ID: p.id, Terms: tk.Terms(p.text)})
	}
	want := Build(docs, Options{})
	fwd := want.Forward()
	// Half the documents carried over from the index, half added again.
	b := NewBuilder(Options{})
	for d, doc := range docs {
		if d%2 == 0 {
			id, n, terms, tfs := fwd.Doc(d)
			b.AddCounts(id, n, terms, tfs)
		} else {
			b.Add(doc.ID, doc.Terms)
		}
	}
	var gw, ww bytes.Buffer
	b.Index().Encode(&gw)
	want.Encode(&ww)
	if !bytes.Equal(gw.Bytes(), ww.Bytes()) {
		t.Fatal("an index of carried-over documents differs from one built from their terms")
	}
}
