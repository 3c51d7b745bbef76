package main

import (
	"reflect"
	"testing"
)

func TestParseSweep(t *testing.T) {
	s, err := parseSweep("min_coverage=0.2:0.4:0.05")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.values(), []float64{0.2, 0.25, 0.3, 0.35, 0.4}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, bad := range []string{"min_coverage", "min_coverage=0.2:0.4", "min_coverage=0.4:0.2:0.1", "min_coverage=0.2:0.4:0", "nope=0:1:1"} {
		if _, err := parseSweep(bad); err == nil {
			t.Errorf("parseSweep(%q): got no error", bad)
		}
	}
}
