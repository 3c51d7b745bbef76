package terms

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestExpandBridgesOfficialsWordsToDocumentWords(t *testing.T) {
	tab := Builtin()
	tests := []struct {
		name, query, want string
	}{
		{"GDP finds 生产总值", "18年gdp是多少", "生产总值"},
		{"增速 finds 增长", "工业增速多少", "增长"},
		{"财政收入 finds the budget term", "财政收入完成多少", "一般公共预算收入"},
		{"文号 finds 发文字号", "这个文件的文号", "发文字号"},
		{"被称作 finds the epithet's 之称", "济源向来被称作什么", "之称"},
		{"向来 finds the epithet's 素有", "济源向来被称作什么", "素有"},
		{"号称 finds 之称", "洛阳号称什么", "之称"},
		{"批下来 finds 批复", "管委会是哪天批下来的", "批复"},
		{"抽烟 finds 吸烟", "在禁烟场所抽烟怎么罚", "吸烟"},
		{"闭馆 finds 停止开放", "临时闭馆要提前几天公告", "停止开放"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tab.Expand(tt.query)
			if !slices.Contains(got, tt.want) {
				t.Errorf("Expand(%q) = %v, want it to hold %q", tt.query, got, tt.want)
			}
		})
	}
}

func TestEquivalentsAreOnlyForTheWordItself(t *testing.T) {
	tab := Builtin()
	if got := tab.Equivalents("增速"); !slices.Contains(got, "增长") {
		t.Errorf("Equivalents(增速) = %v, want it to hold 增长", got)
	}
	if got := tab.Equivalents("增加值"); len(got) != 0 {
		t.Errorf("Equivalents(增加值) = %v, want none: a word holding a term is not that term", got)
	}
}

func TestExpandLeavesTextWithoutKnownTermsAlone(t *testing.T) {
	if got := Builtin().Expand("济源位于哪里"); len(got) != 0 {
		t.Errorf("got %v, want no expansion", got)
	}
}

func TestConceptsAreSharedByEquivalentWordings(t *testing.T) {
	tab := Builtin()
	a, b := tab.Concepts("gdp"), tab.Concepts("地区生产总值")
	if len(a) == 0 || len(b) == 0 || a[0] != b[0] {
		t.Errorf("got concepts %v and %v, want the same group", a, b)
	}
}

func TestNormalizeYearsWritesTwoDigitYearsInFull(t *testing.T) {
	tests := []struct{ in, want string }{
		{"18年gdp", "2018年gdp"},
		{"那25年呢", "那2025年呢"},
		{"2019年", "2019年"},
		{"98年", "1998年"},
		{"第3年", "第3年"},
		{"18年和19年", "2018年和2019年"},
		{"民国26年发生的事件", "民国26年发生的事件"},
		{"公元前12年至10年", "公元前12年至10年"},
		{"昭和40年", "昭和40年"},
		{"连续14年超过3万人", "连续14年超过3万人"},
		{"停滞了10年", "停滞了10年"},
		{"活跃于30年代初", "活跃于30年代初"},
		{"已有20多年", "已有20多年"},
		{"22年里收入涨了几倍", "22年里收入涨了几倍"},
		{"这40年间", "这40年间"},
		{"改革开放40年来", "改革开放40年来"},
		{"19年的目标", "2019年的目标"},
	}
	for _, tt := range tests {
		if got := NormalizeYears(tt.in); got != tt.want {
			t.Errorf("NormalizeYears(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLoadExtendsTheBuiltinTableAndNamesABadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "terms.txt")
	os.WriteFile(good, []byte("# mine\n河长制|河长\n"), 0o644)
	tab, err := Load(good)
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.Expand("河长"); !slices.Contains(got, "河长制") {
		t.Errorf("got %v, want the user's group", got)
	}
	if got := tab.Expand("gdp"); !slices.Contains(got, "生产总值") {
		t.Errorf("got %v, want the built-in groups kept", got)
	}
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("only-one-term\n"), 0o644)
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "bad.txt") || !strings.Contains(err.Error(), "line") {
		t.Errorf("got error %v, want one naming the file and line", err)
	}
}

func TestPlacesFindsCitiesAndProvincesInQuestions(t *testing.T) {
	p := BuiltinPlaces()
	tests := []struct {
		name, text string
		want       []string
	}{
		{"a city", "焦作的示范区方案", []string{"焦作"}},
		{"two cities", "济源和洛阳各自是什么定位", []string{"济源", "洛阳"}},
		{"the longest name wins", "黑龙江的粮食产量", []string{"黑龙江"}},
		{"no place", "示范区管委会是什么级别", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Find(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("Find(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestLoadPlacesAddsTheUsersNames(t *testing.T) {
	path := filepath.Join(t.TempDir(), "places.txt")
	os.WriteFile(path, []byte("源城区 伊滨区\n"), 0o644)
	p, err := LoadPlaces(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Find("伊滨区2019年gdp"); !slices.Equal(got, []string{"伊滨区"}) {
		t.Errorf("got %v, want the user's place", got)
	}
	if _, err := LoadPlaces(filepath.Join(t.TempDir(), "missing.txt")); err == nil {
		t.Error("got no error for a missing file")
	}
}
