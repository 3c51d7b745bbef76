package doctor

import (
	"strings"
	"testing"
)

func TestWriteNeverPrintsASecretAndGivesEachFailureItsFix(t *testing.T) {
	r := &Report{}
	r.redact("sk-SECRET", "")
	r.pass("config", "fine")
	r.fail(NeedAsk, "embedding server", "server said: Incorrect API key provided: sk-SECRET", "replace sk-SECRET")
	r.fail(Advice, "index", "line one\nline two", "run ingest")
	var b strings.Builder
	if err := r.Write(&b, true); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	want := "✓ config: fine\n" +
		"✗ embedding server: server said: Incorrect API key provided: ***\n    fix: replace ***\n" +
		"✗ index: line one; line two\n    fix: run ingest\n" +
		"\n✗ ask cannot run: 1 problem(s) above\n✗ bot cannot run: 1 problem(s) above\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestNeedDecidesWhatCanRun(t *testing.T) {
	tests := []struct {
		name         string
		need         Need
		askOK, botOK bool
	}{
		{"advice stops nothing", Advice, true, true},
		{"a bot problem stops only the bot", NeedBot, true, false},
		{"an ask problem stops ask and the bot", NeedAsk, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{}
			r.fail(tt.need, "x", "y", "z")
			if r.AskOK() != tt.askOK || r.BotOK() != tt.botOK {
				t.Errorf("got ask %v bot %v, want ask %v bot %v", r.AskOK(), r.BotOK(), tt.askOK, tt.botOK)
			}
		})
	}
}
