package fakeopenai

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"net/http"
	"strings"
	"unicode/utf8"
)

// HashEmbedFunc returns the default EmbedFunc: HashEmbedding of each input.
func HashEmbedFunc(dim int) EmbedFunc {
	return func(_ string, inputs []string) [][]float32 {
		out := make([][]float32, len(inputs))
		for i, in := range inputs {
			out[i] = HashEmbedding(in, dim)
		}
		return out
	}
}

// HashEmbedding is a deterministic, L2-normalized bag of characters: each
// rune and each pair of adjacent runes is hashed (FNV-1a) into one of dim
// buckets with a hashed sign. Texts sharing characters get a higher cosine
// similarity, which is enough for retrieval tests. The empty text maps to
// the first unit vector so every result has norm 1. dim below 1 means 1.
func HashEmbedding(text string, dim int) []float32 {
	if dim < 1 {
		dim = 1
	}
	v := make([]float64, dim)
	add := func(feature string) {
		h := fnv.New64a()
		h.Write([]byte(feature))
		x := h.Sum64()
		sign := 1.0
		if x>>63 == 1 {
			sign = -1
		}
		v[x%uint64(dim)] += sign
	}
	prev := ""
	for _, r := range text {
		cur := string(r)
		add(cur)
		if prev != "" {
			add(prev + cur)
		}
		prev = cur
	}
	var norm float64
	for _, x := range v {
		norm += x * x
	}
	out := make([]float32, dim)
	if norm == 0 {
		out[0] = 1
		return out
	}
	norm = math.Sqrt(norm)
	for i, x := range v {
		out[i] = float32(x / norm)
	}
	return out
}

type embeddingRequest struct {
	Model          string          `json:"model"`
	Input          json.RawMessage `json:"input"`
	EncodingFormat string          `json:"encoding_format,omitempty"`
}

type embeddingData struct {
	Object    string `json:"object"`
	Index     int    `json:"index"`
	Embedding any    `json:"embedding"` // []float32, or a base64 string when asked
}

// parseInput accepts a string or an array of strings; token arrays are
// rejected because policybot never sends them.
func parseInput(raw json.RawMessage) ([]string, error) {
	t := strings.TrimSpace(string(raw))
	switch {
	case t == "" || t == "null":
		return nil, fmt.Errorf("'input' is required")
	case strings.HasPrefix(t, `"`):
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return []string{s}, nil
	default:
		var ss []string
		if err := json.Unmarshal(raw, &ss); err != nil {
			return nil, fmt.Errorf("'input' must be a string or an array of strings: %w", err)
		}
		if len(ss) == 0 {
			return nil, fmt.Errorf("'input' must not be empty")
		}
		return ss, nil
	}
}

func (s *Server) handleEmbeddings(w http.ResponseWriter, _ *http.Request, body []byte, st settings) {
	var req embeddingRequest
	if err := json.Unmarshal(body, &req); err != nil {
		badRequest(w, "invalid embeddings request: "+err.Error())
		return
	}
	if req.Model == "" {
		badRequest(w, "you must provide a model parameter")
		return
	}
	inputs, err := parseInput(req.Input)
	if err != nil {
		badRequest(w, err.Error())
		return
	}
	if req.EncodingFormat != "" && req.EncodingFormat != "float" && req.EncodingFormat != "base64" {
		badRequest(w, fmt.Sprintf("encoding_format: invalid value %q", req.EncodingFormat))
		return
	}
	if s.takeMalformed() {
		writeMalformed(w)
		return
	}
	vecs := st.embed(req.Model, inputs)
	data := make([]embeddingData, len(vecs))
	for i, v := range vecs {
		data[i] = embeddingData{Object: "embedding", Index: i, Embedding: v}
		if req.EncodingFormat == "base64" {
			buf := make([]byte, 4*len(v))
			for j, x := range v {
				binary.LittleEndian.PutUint32(buf[4*j:], math.Float32bits(x))
			}
			data[i].Embedding = base64.StdEncoding.EncodeToString(buf)
		}
	}
	tokens := 0
	for _, in := range inputs {
		tokens += utf8.RuneCountInString(in)
	}
	writeJSON(w, http.StatusOK, struct {
		Object string          `json:"object"`
		Data   []embeddingData `json:"data"`
		Model  string          `json:"model"`
		Usage  struct {
			PromptTokens int `json:"prompt_tokens"`
			TotalTokens  int `json:"total_tokens"`
		} `json:"usage"`
	}{Object: "list", Data: data, Model: req.Model, Usage: struct {
		PromptTokens int `json:"prompt_tokens"`
		TotalTokens  int `json:"total_tokens"`
	}{tokens, tokens}})
}
