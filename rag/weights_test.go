package rag

import (
	"strings"
	"testing"
)

func TestEveryDefaultWeightIsSet(t *testing.T) {
	d := DefaultWeights()
	for _, name := range WeightNames() {
		if v, ok := d.Get(name); !ok || v == 0 {
			t.Errorf("default %s = %v, want a value", name, v)
		}
	}
}

func TestReadWeightsOverridesOnlyWhatTheFileNames(t *testing.T) {
	tests := []struct{ name, file string }{
		{"YAML", "min_coverage: 0.25\nrerank_pool: 30\n"},
		{"JSON", `{"min_coverage": 0.25, "rerank_pool": 30}`},
	}
	for _, tt := range tests {
		t.Run("a "+tt.name+" file sets its keys and keeps the rest", func(t *testing.T) {
			got, err := ReadWeights(strings.NewReader(tt.file), DefaultWeights())
			if err != nil {
				t.Fatal(err)
			}
			want := DefaultWeights()
			want.MinCoverage, want.RerankPool = 0.25, 30
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
	t.Run("an unknown key is an error", func(t *testing.T) {
		if _, err := ReadWeights(strings.NewReader("min_cover: 0.2\n"), DefaultWeights()); err == nil {
			t.Error("got no error, want one naming the key")
		}
	})
	t.Run("an empty file keeps the base", func(t *testing.T) {
		got, err := ReadWeights(strings.NewReader(""), DefaultWeights())
		if err != nil || got != DefaultWeights() {
			t.Errorf("got %+v, %v; want the defaults", got, err)
		}
	})
}

func TestSetWeightByName(t *testing.T) {
	w := DefaultWeights()
	if err := w.Set("sentence_weight", 0.7); err != nil || w.SentenceWeight != 0.7 {
		t.Errorf("set sentence_weight: got %v, %v", w.SentenceWeight, err)
	}
	if err := w.Set("short_budget", 299.6); err != nil || w.ShortBudget != 300 {
		t.Errorf("set short_budget: got %v, %v, want 300", w.ShortBudget, err)
	}
	if err := w.Set("no_such_weight", 1); err == nil {
		t.Error("set no_such_weight: got no error")
	}
}
