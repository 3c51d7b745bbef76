package lexical

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"testing"
)

func encode(t *testing.T, ix *Index) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := ix.Encode(&buf); err != nil {
		t.Fatalf("Encode: %v", err)
	}
	return buf.Bytes()
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	docs := randomDocs(r, 800, 70)
	docs = append(docs, Doc{ID: "empty"}, Doc{ID: "", Terms: []string{"", "t1"}})
	ix := Build(docs, Options{K1: 1.5, B: 0.6, BigramWeight: 0.8})
	got, err := Decode(bytes.NewReader(encode(t, ix)))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got.Len() != ix.Len() || got.Options() != ix.Options() {
		t.Fatalf("decoded Len %d, Options %+v, want %d, %+v", got.Len(), got.Options(), ix.Len(), ix.Options())
	}
	for i := range 200 {
		d := docs[r.IntN(len(docs))]
		q := d.Terms[:min(len(d.Terms), 1+i%5)]
		if want, gotHits := ix.Search(q, 10), got.Search(q, 10); !slices.Equal(gotHits, want) {
			t.Fatalf("Search(%q) after decode = %v, want %v", q, gotHits, want)
		}
		for _, term := range q {
			if got.DF(term) != ix.DF(term) || got.IDF(term) != ix.IDF(term) {
				t.Fatalf("DF/IDF(%q) after decode = %d/%v, want %d/%v", term, got.DF(term), got.IDF(term), ix.DF(term), ix.IDF(term))
			}
		}
	}
	if again := encode(t, got); !bytes.Equal(again, encode(t, ix)) {
		t.Errorf("re-encoding the decoded index gives different bytes")
	}
}

func TestEncodeDecodeEmptyIndex(t *testing.T) {
	got, err := Decode(bytes.NewReader(encode(t, Build(nil, Options{}))))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got.Len() != 0 || got.Search([]string{"a"}, 3) != nil {
		t.Errorf("decoded empty index has Len %d and finds something", got.Len())
	}
}

func TestDecodeRejectsCorruptInput(t *testing.T) {
	docs := randomDocs(rand.New(rand.NewPCG(1, 1)), 30, 10)
	good := encode(t, Build(docs, Options{}))
	mutate := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty input is rejected", nil},
		{"a short header is rejected", good[:7]},
		{"a wrong magic is rejected", mutate(func(b []byte) []byte { b[0] = 'X'; return b })},
		{"an unknown version is rejected", mutate(func(b []byte) []byte { b[5] = 9; return b })},
		{"a payload cut short is rejected", good[:len(good)-1]},
		{"a flipped payload byte is rejected", mutate(func(b []byte) []byte { b[len(b)/2] ^= 0x40; return b })},
		{"a wrong checksum is rejected", mutate(func(b []byte) []byte { b[headerLen-1] ^= 1; return b })},
		{"a payload length larger than the input is rejected", mutate(func(b []byte) []byte { b[7] ^= 0x10; return b })},
		{"gob or json input is rejected", []byte(`{"docs":[]}` + string(good))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix, err := Decode(bytes.NewReader(tt.in))
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("Decode = %v, %v, want an error wrapping ErrCorrupt", ix, err)
			}
		})
	}
	t.Run("every truncation is rejected", func(t *testing.T) {
		for n := 0; n < len(good); n++ {
			if _, err := Decode(bytes.NewReader(good[:n])); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Decode of first %d of %d bytes: err = %v, want ErrCorrupt", n, len(good), err)
			}
		}
	})
	t.Run("every single-byte change is rejected", func(t *testing.T) {
		for i := range good {
			b := bytes.Clone(good)
			b[i] ^= 0xA5
			if _, err := Decode(bytes.NewReader(b)); err == nil {
				t.Fatalf("Decode with byte %d changed succeeded, want an error", i)
			}
		}
	})
}

// FuzzDecode checks that arbitrary input never panics and that input whose
// checksum happens to fit still decodes to a usable index.
func FuzzDecode(f *testing.F) {
	f.Add(encodeFuzzSeed())
	f.Add([]byte("PBLEX"))
	f.Fuzz(func(t *testing.T, in []byte) {
		ix, err := Decode(bytes.NewReader(in))
		if err != nil {
			return
		}
		ix.Search([]string{"t1", "~t2"}, 5)
	})
}

func encodeFuzzSeed() []byte {
	var buf bytes.Buffer
	_ = Build(randomDocs(rand.New(rand.NewPCG(2, 2)), 10, 5), Options{}).Encode(&buf)
	return buf.Bytes()
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestEncodeReportsWriteErrors(t *testing.T) {
	err := Build(randomDocs(rand.New(rand.NewPCG(1, 1)), 5, 5), Options{}).Encode(failWriter{})
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("disk full")) {
		t.Errorf("Encode to a failing writer = %v, want the write error", err)
	}
}

// TestDecodeValidatesStructure changes payload bytes and then repairs the
// checksum, so that only the structural checks stand between the damage and
// the index: decoding must fail cleanly or give an index that searches
// without panicking.
func TestDecodeValidatesStructure(t *testing.T) {
	good := encode(t, Build(randomDocs(rand.New(rand.NewPCG(4, 4)), 40, 12), Options{}))
	rejected := 0
	for i := headerLen; i < len(good); i++ {
		for _, x := range []byte{0x01, 0x80, 0xFF} {
			b := bytes.Clone(good)
			b[i] ^= x
			binary.LittleEndian.PutUint32(b[headerLen-4:], crc32.Checksum(b[headerLen:], castagnoli))
			ix, err := Decode(bytes.NewReader(b))
			if err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("byte %d ^ %#x: err = %v, want ErrCorrupt", i, x, err)
				}
				rejected++
				continue
			}
			ix.Search([]string{"t1", "t2", "~t3"}, 5)
			ix.IDF("t1")
		}
	}
	if rejected == 0 {
		t.Errorf("no structural change was rejected, want the checks to catch some")
	}
}
