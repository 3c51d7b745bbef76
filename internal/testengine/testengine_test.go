package testengine

import (
	"context"
	"strings"
	"testing"

	"policybot/internal/fakeopenai"
	"policybot/rag"
)

func TestSeedsAnswersFromTheSeedDocuments(t *testing.T) {
	eng := Seeds(t)
	files := map[string]bool{}
	for _, d := range eng.Documents() {
		files[d.Source] = true
	}
	if len(files) != 5 {
		t.Errorf("got documents from %d files, want the 5 seed files", len(files))
	}
	if Seeds(t) != eng {
		t.Errorf("got a second engine, want the one built for the process")
	}
	res, err := eng.Answer(context.Background(), rag.Query{Question: "济源是哪一年撤县建市的"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Answered || res.Mode != rag.ModeExtractive || len(res.Citations) == 0 {
		t.Fatalf("got answered=%v mode=%s citations=%d, want an extractive answer with citations", res.Answered, res.Mode, len(res.Citations))
	}
	if !strings.Contains(res.Answer, "1988") {
		t.Errorf("got answer %q, want the year 1988", res.Answer)
	}
	p, ok := eng.Passage(res.Citations[0].ChunkID)
	if !ok || !strings.HasPrefix(p.Source, "00") {
		t.Errorf("got passage %+v for the first citation, want a seed file's chunk", p)
	}
}

func TestSeedsLLMStreamsFromTheFakeModel(t *testing.T) {
	srv := fakeopenai.New(t, fakeopenai.WithChat(func(fakeopenai.ChatRequest) string { return "济源于1988年撤县建市[1]。" }))
	eng := SeedsLLM(t, srv)
	var partials int
	res, err := eng.Answer(context.Background(), rag.Query{Question: "济源是哪一年撤县建市的"}, func(string) { partials++ })
	if err != nil {
		t.Fatal(err)
	}
	if res.Mode != rag.ModeLLM || res.Answer != "济源于1988年撤县建市[1]。" || len(res.Citations) != 1 {
		t.Errorf("got mode %s answer %q citations %d, want the model's answer citing [1]", res.Mode, res.Answer, len(res.Citations))
	}
	if partials < 2 {
		t.Errorf("got %d partial texts, want the answer streamed", partials)
	}
	if n := srv.RequestCount(fakeopenai.PathChat); n != 1 {
		t.Errorf("got %d chat requests, want 1", n)
	}
}
