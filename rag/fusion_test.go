package rag_test

import (
	"context"
	"strings"
	"testing"

	"policybot/internal/testengine"
	"policybot/rag"
)

// modeEngine returns an engine over the seeds index with the given
// retrieval mode and fusion.
func modeEngine(t *testing.T, mode, fusion string) *rag.Engine {
	t.Helper()
	p, err := sharedParts()
	if err != nil {
		t.Fatal(err)
	}
	eng, err := rag.New(testengine.Seeds(t).Index(), p.emb, p.tok, p.tt, rag.Options{Mode: mode, Fusion: fusion})
	if err != nil {
		t.Fatal(err)
	}
	return eng
}

func TestEveryRetrievalModeFindsAPlainlyWordedFact(t *testing.T) {
	tests := []struct{ mode, fusion string }{
		{rag.RetrieveLexical, rag.FusionScore},
		{rag.RetrieveVector, rag.FusionScore},
		{rag.RetrieveHybrid, rag.FusionScore},
		{rag.RetrieveHybrid, rag.FusionRRF},
	}
	for _, tt := range tests {
		t.Run(tt.mode+" retrieval with "+tt.fusion+" fusion finds the passage", func(t *testing.T) {
			ps, err := modeEngine(t, tt.mode, tt.fusion).Retrieve(context.Background(), "济源市域总面积多少平方公里，总人口多少？", 5)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range ps {
				if strings.Contains(p.Text, "1931平方公里") {
					found = true
				}
			}
			if !found {
				t.Errorf("got %d passages, none holding 1931平方公里", len(ps))
			}
			for i := 1; i < len(ps); i++ {
				if ps[i].Rank != i+1 {
					t.Errorf("passage %d has rank %d", i+1, ps[i].Rank)
				}
			}
		})
	}
}

func TestAnUnknownModeOrFusionIsAnError(t *testing.T) {
	p, err := sharedParts()
	if err != nil {
		t.Fatal(err)
	}
	ix := testengine.Seeds(t).Index()
	for _, opt := range []rag.Options{{Mode: "semantic"}, {Fusion: "max"}} {
		if _, err := rag.New(ix, p.emb, p.tok, p.tt, opt); err == nil {
			t.Errorf("rag.New(%+v) succeeded, want an error", opt)
		}
	}
}

func TestHybridRanksTheAnswerAtLeastAsHighAsLexicalOnly(t *testing.T) {
	q := "济源18年GDP多少？"
	rank := func(mode string) int {
		ps, err := modeEngine(t, mode, rag.FusionScore).Retrieve(context.Background(), q, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if strings.Contains(p.Text, "641.8") {
				return p.Rank
			}
		}
		return 99
	}
	if h, l := rank(rag.RetrieveHybrid), rank(rag.RetrieveLexical); h > l || h > 5 {
		t.Errorf("got the 641.8 passage at rank %d with hybrid and %d lexical-only, want hybrid within 5 and no lower", h, l)
	}
}
