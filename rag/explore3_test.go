package rag_test

import (
	"fmt"
	"testing"

	"policybot/internal/testengine"
	"policybot/rag"
)

func TestExplore3(t *testing.T) {
	eng := testengine.Seeds(t)
	for _, q := range []string{"济源2018年一般公共预算收入在全省排第几位？", "2018年济源规模以上工业增加值在全省排第几？", "济源2018年城镇化率提高了多少个百分点？", "济源2019年要新建多少所学校？", "济源2019年计划改造多少个老旧小区？", "济源2018年全社会固定资产投资增长多少？"} {
		r := answer(t, eng, rag.Query{Question: q})
		fmt.Printf("Q %s\n  %v %s %s\n", q, r.Answered, r.RefusalReason, r.Answer)
	}
}
