package fakeopenai

import (
	"encoding/json"
	"net/http"
	"sort"
	"unicode"
)

// OverlapScore is the default RerankFunc: the share of the query's distinct
// letters and digits (punctuation and spaces ignored) that occur in doc,
// in [0, 1]. It is deterministic and favours documents that repeat the
// query's characters, which suits Chinese text without a tokenizer.
func OverlapScore(query, doc string) float64 {
	inDoc := make(map[rune]bool)
	for _, r := range doc {
		inDoc[unicode.ToLower(r)] = true
	}
	seen := make(map[rune]bool)
	hit := 0
	for _, r := range query {
		r = unicode.ToLower(r)
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) || seen[r] {
			continue
		}
		seen[r] = true
		if inDoc[r] {
			hit++
		}
	}
	if len(seen) == 0 {
		return 0
	}
	return float64(hit) / float64(len(seen))
}

// rerankRequest holds both dialects: Jina/Cohere {documents, top_n} and
// TEI {texts}.
type rerankRequest struct {
	Model     string    `json:"model"`
	Query     *string   `json:"query"`
	Documents *[]string `json:"documents"`
	Texts     *[]string `json:"texts"`
	TopN      *int      `json:"top_n"`
}

type jinaResult struct {
	Index          int     `json:"index"`
	RelevanceScore float64 `json:"relevance_score"`
}

type teiResult struct {
	Index int     `json:"index"`
	Score float64 `json:"score"`
}

func (s *Server) handleRerank(w http.ResponseWriter, _ *http.Request, body []byte, st settings) {
	var req rerankRequest
	if err := json.Unmarshal(body, &req); err != nil {
		badRequest(w, "invalid rerank request: "+err.Error())
		return
	}
	tei := req.Texts != nil && req.Documents == nil
	switch {
	case st.rerankStyle == RerankTEI && !tei:
		// What TEI's axum JSON extractor answers for an unknown body shape.
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusUnprocessableEntity)
		w.Write([]byte("Failed to deserialize the JSON body into the target type: missing field `texts` at line 1 column 1"))
		return
	case st.rerankStyle == RerankJina && tei:
		badRequest(w, `"documents" must be provided`)
		return
	case req.Query == nil:
		badRequest(w, `"query" must be provided`)
		return
	case req.Documents == nil && req.Texts == nil:
		badRequest(w, `"documents" must be provided`)
		return
	}
	docs := req.Texts
	if !tei {
		docs = req.Documents
	}
	if s.takeMalformed() {
		writeMalformed(w)
		return
	}
	scores := make([]float64, len(*docs))
	order := make([]int, len(*docs))
	for i, d := range *docs {
		scores[i] = st.rerank(*req.Query, d)
		order[i] = i
	}
	// Real servers answer best first; the stable sort keeps ties in input order.
	sort.SliceStable(order, func(a, b int) bool { return scores[order[a]] > scores[order[b]] })

	if tei {
		out := make([]teiResult, len(order))
		for k, i := range order {
			out[k] = teiResult{Index: i, Score: scores[i]}
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	if req.TopN != nil && *req.TopN >= 0 && *req.TopN < len(order) {
		order = order[:*req.TopN]
	}
	results := make([]jinaResult, len(order))
	for k, i := range order {
		results[k] = jinaResult{Index: i, RelevanceScore: scores[i]}
	}
	writeJSON(w, http.StatusOK, struct {
		ID      string       `json:"id"`
		Object  string       `json:"object"`
		Model   string       `json:"model"`
		Results []jinaResult `json:"results"`
		Usage   struct {
			TotalTokens int `json:"total_tokens"`
		} `json:"usage"`
	}{ID: s.nextID("rerank-fake-"), Object: "list", Model: req.Model, Results: results})
}
