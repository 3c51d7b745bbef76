package rag_test

import (
	"strings"
	"testing"

	"policybot/internal/testengine"
	"policybot/rag"
)

// A refusal says, in simplified Chinese, what the documents lack and names
// the nearest documents by their titles in simplified script.
func TestRefusalSaysWhatIsMissingAndTheNearestDocuments(t *testing.T) {
	eng := testengine.Seeds(t)
	tests := []struct {
		name, question, says string
	}{
		{"a year the documents do not cover is named", "济源2017年生产总值是多少？", "2017年"},
		{"a city the documents do not speak of is named", "许昌2020年城镇化率目标是多少？", "许昌"},
		{"a rank in another scope is named", "2018年济源农村居民人均可支配收入在全国排第几？", "在全国的排名"},
		{"an indicator the reports do not give is named", "济源2018年人均GDP是多少？", "人均"},
		{"a post whose holder is not named is named", "源城区区委书记是谁？", "书记"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := answer(t, eng, rag.Query{Question: tt.question})
			if res.Answered {
				t.Fatalf("got answer %q, want a refusal", res.Answer)
			}
			if !strings.Contains(res.Answer, "没有找到") || !strings.Contains(res.Answer, tt.says) {
				t.Errorf("got %q, want it to say the documents lack %q", res.Answer, tt.says)
			}
			if len(res.Nearest) == 0 {
				t.Fatal("got no nearest documents, want the closest titles")
			}
			for _, n := range res.Nearest {
				if !strings.Contains(res.Answer, "《"+n+"》") {
					t.Errorf("got %q, want it to name 《%s》", res.Answer, n)
				}
				if strings.ContainsAny(n, "濟報") {
					t.Errorf("nearest title %q is in traditional script, want simplified", n)
				}
			}
		})
	}
}
