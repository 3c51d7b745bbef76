package rag_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"policybot/internal/testengine"
	"policybot/rag"
)

func TestExplore2(t *testing.T) {
	eng := testengine.Seeds(t)
	r, _ := eng.Answer(context.Background(), rag.Query{Question: "济源18年GDP增长了百分之几？全省排第几位"}, nil)
	for _, p := range r.Passages {
		fmt.Println(p.Rank, p.Source, p.Start, strings.Count(p.Text, "協調發展取得新成效"), len(p.Text))
	}
	fmt.Println(r.Passages[0].Text)
}
