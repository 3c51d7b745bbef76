package rag_test

import (
	"context"
	"fmt"
	"testing"

	"policybot/internal/testengine"
	"policybot/rag"
)

func TestExplore(t *testing.T) {
	eng := testengine.Seeds(t)
	qs := []rag.Query{
		{Question: "济源18年GDP增长了百分之几？全省排第几位"},
		{Question: "18年济源的GDP是多少亿元"},
		{Question: "济源2018年的GDP在全省排第几？"},
		{Question: "济源2018年农村居民人均可支配收入是多少元？"},
		{Question: "济源去年规模以上工业增加值增长多少"},
		{Question: "2018年济源规上工业增加值增长了多少"},
		{Question: "开封市2018年生产总值是多少？"},
		{Question: "郑州2018年生产总值是多少？"},
		{Question: "开封2018年一般公共预算收入是多少？"},
		{Question: "济源有多少个5G基站？"},
		{Question: "济源地铁一号线什么时候通车？"},
		{Question: "济源2018年城镇居民人均可支配收入多少？"},
		{Question: "那2019年呢？", History: []rag.Turn{{Role: "user", Content: "济源2018年生产总值增长了多少？"}, {Role: "assistant", Content: "增长8.3%。"}}},
		{Question: "那2019年呢？", History: []rag.Turn{{Role: "user", Content: "济源2018年一般公共预算收入增长了多少？"}, {Role: "assistant", Content: "增长24.1%。"}}},
	}
	for _, q := range qs {
		r, err := eng.Answer(context.Background(), q, nil)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("Q %s | standalone %q\n  answered=%v reason=%q nearest=%v\n  A %s\n", q.Question, r.Standalone, r.Answered, r.RefusalReason, r.Nearest, r.Answer)
		for _, c := range r.Citations {
			fmt.Printf("  cite %d %s [%d,%d)\n", c.N, c.Source, c.Start, c.End)
		}
	}
}
