package index

import (
	"context"
	"errors"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/ingest"
	"policybot/lexical"
)

// sharedTokenizer loads the real tokenizer once per test binary (~1.5 s).
// It is set once at package init and never reassigned.
var sharedTokenizer = sync.OnceValues(lexical.NewTokenizer)

func testTokenizer(tb testing.TB) *lexical.Tokenizer {
	tb.Helper()
	tk, err := sharedTokenizer()
	if err != nil {
		tb.Fatalf("lexical.NewTokenizer: %v", err)
	}
	return tk
}

// testEmbedder is a deterministic bag-of-character-bigrams embedder: texts
// sharing many bigrams get close vectors. It counts what it is asked to
// embed and can be told to fail from a given call on.
type testEmbedder struct {
	name      string
	dim       int
	failAfter int // calls that succeed before every later call fails; 0 never fails

	mu    sync.Mutex
	calls int
	texts []string
}

func newEmbedder(name string, dim int) *testEmbedder { return &testEmbedder{name: name, dim: dim} }

var errEmbedderDown = errors.New("test embedder is down")

func (e *testEmbedder) Name() string { return e.name }

func (e *testEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	e.mu.Lock()
	e.calls++
	fail := e.failAfter > 0 && e.calls > e.failAfter
	if !fail {
		e.texts = append(e.texts, texts...)
	}
	e.mu.Unlock()
	if fail {
		return nil, errEmbedderDown
	}
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = e.vector(t)
	}
	return out, nil
}

func (e *testEmbedder) vector(text string) []float32 {
	v := make([]float32, e.dim)
	rs := []rune(text)
	for i := range rs {
		h := fnv.New32a()
		h.Write([]byte(string(rs[i:min(i+2, len(rs))])))
		v[h.Sum32()%uint32(e.dim)]++
	}
	var n float64
	for _, x := range v {
		n += float64(x) * float64(x)
	}
	if n == 0 {
		v[0] = 1
		return v
	}
	for i := range v {
		v[i] /= float32(math.Sqrt(n))
	}
	return v
}

// seen returns the texts embedded so far and forgets them.
func (e *testEmbedder) seen() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.texts
	e.texts, e.calls = nil, 0
	return t
}

func (e *testEmbedder) callCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.calls
}

// Synthetic documents; every one is about a topic no other file shares.
const (
	teaDoc = `关于做好茶叶种植补贴发放工作的通知

各乡镇人民政府：
为扶持山区茶农发展生产，县财政安排茶叶种植补贴专项资金。凡新建标准化茶园面积达到五亩以上的农户，每亩补贴八百元。
申请补贴的茶农应当在每年三月底前向所在乡镇农业服务中心提交申请表、土地承包合同和茶园照片。
乡镇审核后报县农业农村局复核，补贴资金通过一卡通直接发放到户，严禁截留挪用。

县农业农村局
2023年2月10日
`
	bridgeDoc = `# 乡村桥梁安全检查办法

第一条 为保障群众出行安全，对全县乡村公路桥梁每年开展两次安全检查。
第二条 检查重点包括桥墩冲刷、栏杆损坏、桥面裂缝和限载标志缺失等情况。
第三条 发现危桥的，交通运输部门应当立即设置警示标志并封闭交通，七日内制定加固方案。
`
	gbkDoc = `关于开展古树名木普查登记的通知

各街道办事处：
为加强古树名木保护，决定在全区开展古树名木普查登记。树龄一百年以上的树木均应登记建档，挂牌保护。
普查内容包括树种、树龄、胸径、冠幅、生长状况和权属单位，由园林绿化部门统一汇总。
严禁擅自砍伐、移植古树名木，违者依法从严查处。
`
	utf16Doc = `关于规范农村集市摊位管理的意见

一、集市摊位实行统一编号，摊主应当亮照经营，明码标价。
二、市场监管所每周对集市计量器具进行抽查，发现缺斤短两的依法处罚。
三、集市结束后摊主负责清扫摊位，保持环境整洁。
`
	bomDoc = `关于加强冬季供暖保障工作的通知

供热企业应当在十一月十五日前完成管网检修，确保按时供暖。
室内温度不得低于十八摄氏度，群众投诉应当在二十四小时内处理完毕。
对困难家庭的取暖费给予适当减免。
`
)

// writeCorpus creates a corpus folder with one seed file, in a sub-folder,
// and the synthetic UTF-8 documents, and returns its path.
func writeCorpus(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "corpus")
	copySeed(t, "003_3f42d803b2d7e6db.txt", filepath.Join(dir, "seeds", "003.txt"))
	putFile(t, dir, "tea.txt", []byte(teaDoc))
	putFile(t, dir, "bridge.md", []byte(bridgeDoc))
	// Ignored: hidden files and other extensions.
	putFile(t, dir, ".hidden.txt", []byte(teaDoc))
	putFile(t, dir, "notes.xyz", []byte("%PDF-1.4")) // .pdf is read now (a damaged one is skipped)
	return dir
}

func copySeed(t testing.TB, name, dst string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "seeds", name))
	if err != nil {
		t.Fatalf("read seed: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	backdate(t, dst)
}

func putFile(t *testing.T, dir, name string, b []byte) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	backdate(t, p)
}

// backdate sets a file's times an hour back, each call to a time of its
// own, as if it were written well before the build that reads it: a build
// trusts an unchanged size and time only for a file changed clearly before
// it started (Manifest.settled), and the tests run within milliseconds.
func backdate(t testing.TB, path string) {
	t.Helper()
	when := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, when, when); err != nil {
		t.Fatal(err)
	}
}

func buildOpts(corpus, dir string, emb Embedder, tk Tokenizer) BuildOptions {
	return BuildOptions{Corpus: corpus, Dir: dir, Chunk: ingest.DefaultChunkOptions, Embedder: emb, Tokenizer: tk}
}

func mustBuild(t *testing.T, opt BuildOptions) *Stats {
	t.Helper()
	st, err := Build(context.Background(), opt)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return st
}

func mustOpen(t *testing.T, dir string) *Index {
	t.Helper()
	ix, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return ix
}

// chunksBySource groups chunk ids by source file.
func chunksBySource(ix *Index) map[string][]string {
	out := map[string][]string{}
	for _, c := range ix.Chunks {
		out[c.Source] = append(out[c.Source], c.ID)
	}
	return out
}

// dirEntries lists the names in dir, sorted.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// noSpace drops all white space.
func noSpace(s string) string {
	return strings.Join(strings.Fields(s), "")
}
