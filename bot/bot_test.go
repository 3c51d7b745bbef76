package bot

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/internal/fakeopenai"
	"policybot/internal/faketg"
	"policybot/internal/testengine"
	"policybot/rag"
)

func TestPrivateQuestionStreamsIntoPlaceholderThenFinalHTMLWithSources(t *testing.T) {
	env := newTestBot(t, nil, seedsLLM(t))
	env.ai.SetStreamDelay(15 * time.Millisecond) // ~20 chunks over ~300 ms
	q := env.tg.SendText(faketg.PrivateChat(alice), &alice, "济源示范区的发展目标是什么？", nil)
	msgs := env.waitFinal(alice.ID, 1)

	if got := len(env.tg.Calls("sendChatAction")); got < 1 {
		t.Errorf("got %d sendChatAction calls, want at least 1 (typing)", got)
	}
	if len(msgs) != 1 {
		t.Fatalf("got %d bot messages, want 1 (the placeholder, edited): %q", len(msgs), texts(msgs))
	}
	m := msgs[0]
	if m.Versions[0] != "🔎 正在查阅文件…" {
		t.Errorf("got first version %q, want the placeholder", m.Versions[0])
	}
	if m.ReplyToMessage == nil || m.ReplyToMessage.MessageID != q.MessageID {
		t.Errorf("placeholder does not reply to the question")
	}
	streamed := 0
	for _, v := range m.Versions[1 : len(m.Versions)-1] {
		if strings.HasSuffix(v, "▌") {
			streamed++
		}
	}
	if streamed < 2 {
		t.Errorf("got %d streamed edits, want at least 2; versions: %q", streamed, m.Versions)
	}
	// Stream edits keep the private interval (50 ms in tests); the final edit may follow at once.
	for i := 1; i < len(m.EditTimes)-1; i++ {
		if gap := m.EditTimes[i].Sub(m.EditTimes[i-1]); gap < 45*time.Millisecond {
			t.Errorf("edits %d and %d are %v apart, want at least the 50 ms interval", i-1, i, gap)
		}
	}
	final := m.Raw
	for _, want := range []string{
		"示范区的目标是产城融合 &lt;b&gt;格局&lt;/b&gt; 基本形成 &amp; 一体化水平提高[1]",
		"<b>出处</b>",
	} {
		if !strings.Contains(final, want) {
			t.Errorf("final answer lacks %q:\n%s", want, final)
		}
	}
	if m.ParseMode != "HTML" {
		t.Errorf("got parse mode %q, want HTML", m.ParseMode)
	}
	var data []string
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			data = append(data, b.CallbackData)
		}
	}
	if len(data) != 3 || !strings.HasPrefix(data[0], "s:") || !strings.HasPrefix(data[1], "f:u:") || !strings.HasPrefix(data[2], "f:d:") {
		t.Fatalf("got buttons %q, want one source button (the model cites only [1]) and 👍/👎", data)
	}
	// The cited source is a real seed passage: the one the engine sent the model as [1].
	p, ok := env.answerer.Passage(strings.TrimPrefix(data[0], "s:"))
	if !ok {
		t.Fatalf("the source button names chunk %q, which is not in the seeds index", data[0])
	}
	if !seedTitles(env.answerer)[p.Title] || !strings.Contains(p.Title, "济源") {
		t.Errorf("got source title %q, want a seed document about 济源", p.Title)
	}
	line := "[1] 《" + p.Title + "》"
	if p.Section != "" {
		line += " " + p.Section
	}
	if !strings.Contains(final, esc(line)) {
		t.Errorf("final answer lacks the source line %q:\n%s", line, final)
	}
	reqs := env.ai.Requests()
	if len(reqs) != 1 {
		t.Fatalf("got %d model requests, want 1", len(reqs))
	}
	var chat fakeopenai.ChatRequest
	if err := reqs[0].DecodeJSON(&chat); err != nil {
		t.Fatal(err)
	}
	if prompt := chat.LastUserMessage(); !strings.Contains(prompt, "[1] 《"+p.Title+"》") || !strings.Contains(prompt, p.Text) {
		t.Errorf("the model was not given the cited passage as [1]:\n%s", prompt)
	}
	// The log line is written just after the final edit is delivered.
	logged := func() bool {
		l := env.logs.String()
		return strings.Contains(l, `"msg":"question"`) && strings.Contains(l, `"mode":"llm"`)
	}
	if !faketg.Wait(5*time.Second, logged) {
		t.Errorf("no per-question log line with the mode:\n%s", env.logs.String())
	}
}

func TestGroupAnswersOnlyWhenAddressed(t *testing.T) {
	env := newTestBot(t, func(o *Options) { o.AllowedChats = []int64{group.ID} }, nil)
	// One answer to reply to, for the reply-to-bot case.
	env.tg.SendText(group, &alice, "/ask 济源的目标？", nil)
	first := env.waitFinal(group.ID, 1)
	botMsg := first[len(first)-1].Message

	tests := []struct {
		name     string
		text     string
		replyTo  *faketg.Message
		answered bool
	}{
		{"a message without mention is ignored", "济源的目标是什么？", nil, false},
		{"a message mentioning the bot is answered", "@policy_test_bot 济源的目标是什么？", nil, true},
		{"a mention in any letter case is answered", "请问 @Policy_Test_Bot 源城区的工作重点？", nil, true},
		{"/ask with a question is answered", "/ask 源城区的工作重点？", nil, true},
		{"/ask naming this bot is answered", "/ask@policy_test_bot 源城区的工作重点？", nil, true},
		{"/ask naming another bot is ignored", "/ask@other_bot 源城区的工作重点？", nil, false},
		{"a reply to the bot is answered", "那源城区呢？", &botMsg, true},
		{"a mention of someone else is ignored", "@someone 济源的目标？", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(env.tg.BotMessages(group.ID))
			env.tg.SendText(group, &bob, tc.text, tc.replyTo)
			if tc.answered {
				env.waitFinal(group.ID, before+1)
				return
			}
			env.settle()
			if got := len(env.tg.BotMessages(group.ID)); got != before {
				t.Errorf("got %d new bot messages, want none", got-before)
			}
		})
	}
	t.Run("the mention is removed from the question", func(t *testing.T) {
		for _, q := range env.engine.Queries() {
			if strings.Contains(q.Question, "@") {
				t.Errorf("got question %q, want it without the mention", q.Question)
			}
		}
	})
}

func TestAllowlist(t *testing.T) {
	env := newTestBot(t, nil, nil)
	privMallory := faketg.PrivateChat(mallory)

	t.Run("a denied user gets one reply with their id, once an hour", func(t *testing.T) {
		env.tg.SendText(privMallory, &mallory, "济源的目标？", nil)
		env.tg.SendText(privMallory, &mallory, "/help", nil)
		env.tg.SendDocument(privMallory, &mallory, "secret.pdf")
		env.settle()
		msgs := env.tg.BotMessages(mallory.ID)
		if len(msgs) != 1 {
			t.Fatalf("got %d replies %q, want exactly 1", len(msgs), texts(msgs))
		}
		if !strings.Contains(msgs[0].Text, "6666") || !strings.Contains(msgs[0].Text, "管理员") {
			t.Errorf("got %q, want the user's id and a pointer to the admin", msgs[0].Text)
		}
		if n := len(env.engine.Queries()); n != 0 {
			t.Errorf("the engine got %d questions from a denied user, want 0", n)
		}
	})
	t.Run("a denied callback is answered with the refusal, then silently", func(t *testing.T) {
		eve := faketg.User{ID: 7777, FirstName: "Eve"}
		env.tg.SendText(faketg.PrivateChat(eve), &eve, "hi", nil) // the chat now exists; refused once
		env.settle()
		id1 := env.tg.Press(eve, eve.ID, 1, "s:0123456789abcdef")
		id2 := env.tg.Press(eve, eve.ID, 1, "s:0123456789abcdef")
		env.settle()
		a1, ok1 := env.tg.CallbackAnswer(id1)
		a2, ok2 := env.tg.CallbackAnswer(id2)
		if !ok1 || !ok2 {
			t.Fatalf("callbacks answered: %v %v, want both", ok1, ok2)
		}
		// The hi message already used this hour's refusal.
		if a1.Text != "" || a2.Text != "" {
			t.Errorf("got callback texts %q, %q; want none within the hour", a1.Text, a2.Text)
		}
		carol := faketg.User{ID: 7778, FirstName: "Carol"}
		id3 := env.tg.Press(carol, alice.ID, 1, "f:u:abc")
		env.settle()
		if a3, _ := env.tg.CallbackAnswer(id3); !strings.Contains(a3.Text, "7778") || !a3.ShowAlert {
			t.Errorf("got %+v, want an alert with the user's id", a3)
		}
		if got := len(env.tg.BotMessages(alice.ID)); got != 0 {
			t.Errorf("a denied callback made the bot send %d messages", got)
		}
	})
	t.Run("a channel post and a sender-less group message do not crash the bot", func(t *testing.T) {
		channel := faketg.Chat{ID: -100999, Type: "channel", Title: "频道"}
		env.tg.ChannelPost(channel, "@policy_test_bot 济源的目标？")
		env.tg.SendText(group, nil, "@policy_test_bot 济源的目标？", nil)
		env.settle()
		if n := len(env.tg.BotMessages(channel.ID)) + len(env.tg.BotMessages(group.ID)); n != 0 {
			t.Errorf("got %d messages, want none", n)
		}
		// Still alive: an allowed user is answered.
		env.tg.SendText(faketg.PrivateChat(alice), &alice, "济源的目标？", nil)
		env.waitFinal(alice.ID, 1)
	})
	t.Run("a denied user in an unlisted group gets their id and the group's", func(t *testing.T) {
		dave := faketg.User{ID: 8888, FirstName: "Dave"}
		env.tg.SendText(group, &dave, "济源的目标？", nil) // not addressed: no reply at all
		env.tg.SendText(group, &dave, "@policy_test_bot 济源的目标？", nil)
		env.settle()
		msgs := env.tg.BotMessages(group.ID)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "8888") || !strings.Contains(msgs[0].Text, "-100200300") {
			t.Errorf("got %q, want one refusal with the user and group ids", texts(msgs))
		}
	})
	t.Run("admins are allowed without being listed as users", func(t *testing.T) {
		env.tg.SendText(faketg.PrivateChat(admin), &admin, "济源的目标？", nil)
		env.waitFinal(admin.ID, 1)
	})
	t.Run("an allowed user's document gets a text-only hint", func(t *testing.T) {
		env.tg.SendDocument(faketg.PrivateChat(bob), &bob, "a.pdf")
		env.settle()
		msgs := env.tg.BotMessages(bob.ID)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "文字") {
			t.Errorf("got %q, want one hint about text questions", texts(msgs))
		}
	})
}

func TestAllowedChatLetsEveryMemberAsk(t *testing.T) {
	env := newTestBot(t, func(o *Options) { o.AllowedUsers = nil; o.AllowedChats = []int64{group.ID} }, nil)
	env.tg.SendText(group, &mallory, "@policy_test_bot 济源的目标？", nil)
	env.waitFinal(group.ID, 1)
}

func TestNewRefusesAnOpenBotUnlessPublic(t *testing.T) {
	tg := faketg.New(testToken)
	defer tg.Close()
	e := &testEngine{passages: testPassages()}
	_, err := New(Options{Token: testToken, APIURL: tg.URL}, e)
	if !errors.Is(err, ErrNoAllowlist) {
		t.Errorf("got %v, want ErrNoAllowlist", err)
	}
	if _, err := New(Options{Token: testToken, APIURL: tg.URL, Public: true}, e); err != nil {
		t.Errorf("public bot: got %v, want no error", err)
	}
}

func TestErrorsNeverShowTheToken(t *testing.T) {
	tg := faketg.New(testToken)
	url := tg.URL
	tg.Close() // connection refused: telebot's error holds the request URL
	_, err := New(Options{Token: testToken, APIURL: url, Public: true}, &testEngine{passages: testPassages()})
	if err == nil {
		t.Fatal("got no error from an unreachable Bot API")
	}
	if strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), "AAtestSECRET") {
		t.Errorf("error shows the token: %v", err)
	}
}

func TestSourceButtonRepliesWithTheExactPassage(t *testing.T) {
	env := newTestBot(t, nil, seedsLLM(t))
	env.tg.SendText(faketg.PrivateChat(alice), &alice, "济源示范区的发展目标是什么？", nil)
	final := env.waitFinal(alice.ID, 1)[0]
	ids := sourceButtons(final)
	if len(ids) != 1 {
		t.Fatalf("got source buttons %q, want one", ids)
	}
	want, ok := env.answerer.Passage(ids[0])
	if !ok {
		t.Fatalf("chunk %s of the button is not in the index", ids[0])
	}

	id := env.tg.Press(alice, alice.ID, final.MessageID, "s:"+ids[0])
	var msgs []faketg.Sent
	faketg.Wait(5*time.Second, func() bool { msgs = env.tg.BotMessages(alice.ID); return len(msgs) == 2 })
	if len(msgs) != 2 {
		t.Fatalf("got %d messages, want the answer and the passage", len(msgs))
	}
	if _, ok := env.tg.CallbackAnswer(id); !ok {
		t.Errorf("the callback was not answered")
	}
	p := msgs[1]
	if !seedTitles(env.answerer)[want.Title] || !strings.HasPrefix(want.Source, "00") || want.LineStart == 0 {
		t.Fatalf("got passage %+v, want a chunk of a seed file with its lines", want)
	}
	lines := fmt.Sprintf("%s 第%d–%d行", want.Source, want.LineStart, want.LineEnd)
	if want.LineEnd <= want.LineStart {
		lines = fmt.Sprintf("%s 第%d行", want.Source, want.LineStart)
	}
	for _, w := range []string{
		"<blockquote>" + esc(strings.TrimSpace(want.Text)) + "</blockquote>",
		esc("《" + want.Title + "》"),
		esc(want.Section),
		lines,
	} {
		if !strings.Contains(p.Raw, w) {
			t.Errorf("passage reply lacks %q:\n%s", w, p.Raw)
		}
	}
	if !strings.Contains(p.Text, strings.TrimSpace(want.Text)) {
		t.Errorf("the reply as the user sees it lacks the exact passage text %q:\n%s", want.Text, p.Text)
	}
	if p.ReplyToMessage == nil || p.ReplyToMessage.MessageID != final.MessageID {
		t.Errorf("the passage does not reply to the answer")
	}

	t.Run("a button for a passage no longer indexed says so", func(t *testing.T) {
		id := env.tg.Press(alice, alice.ID, final.MessageID, "s:aaaaaaaaaaaaaaaa")
		env.settle()
		if a, _ := env.tg.CallbackAnswer(id); !strings.Contains(a.Text, "已不在") {
			t.Errorf("got %q, want a note that the passage is gone", a.Text)
		}
	})
	t.Run("the button works on a restarted bot (the data is the chunk id)", func(t *testing.T) {
		env2 := newTestBot(t, nil, seedsLLM(t))
		env2.tg.SendText(faketg.PrivateChat(alice), &alice, "/help", nil)
		env2.settle()
		env2.tg.Press(alice, alice.ID, 1, "s:"+ids[0])
		if !faketg.Wait(5*time.Second, func() bool {
			m := env2.tg.BotMessages(alice.ID)
			return len(m) == 2 && strings.Contains(m[1].Raw, "<blockquote>"+esc(strings.TrimSpace(want.Text)))
		}) {
			t.Errorf("no passage from a fresh bot: %q", texts(env2.tg.BotMessages(alice.ID)))
		}
	})
}

func TestFeedbackIsRecordedOnce(t *testing.T) {
	env := newTestBot(t, nil, nil)
	env.tg.SendText(faketg.PrivateChat(alice), &alice, "济源的目标？", nil)
	final := env.waitFinal(alice.ID, 1)[0]
	up := final.ReplyMarkup.InlineKeyboard[len(final.ReplyMarkup.InlineKeyboard)-1][0].CallbackData

	id1 := env.tg.Press(alice, alice.ID, final.MessageID, up)
	id2 := env.tg.Press(alice, alice.ID, final.MessageID, up)
	env.settle()
	a1, _ := env.tg.CallbackAnswer(id1)
	a2, _ := env.tg.CallbackAnswer(id2)
	if a1.Text != textThanks && a2.Text != textThanks {
		t.Errorf("got answers %q / %q, want one thanks", a1.Text, a2.Text)
	}
	if a1.Text != textVotedTwice && a2.Text != textVotedTwice {
		t.Errorf("got answers %q / %q, want one 'already rated'", a1.Text, a2.Text)
	}

	f, err := os.Open(env.bot.opts.FeedbackPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []FeedbackRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r FeedbackRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("bad line %q: %v", sc.Text(), err)
		}
		recs = append(recs, r)
	}
	if len(recs) != 1 {
		t.Fatalf("got %d records, want 1", len(recs))
	}
	r := recs[0]
	if r.Vote != "up" || r.User != alice.ID || r.Question != "济源的目标？" || !strings.Contains(r.Answer, "产城融合") ||
		len(r.Sources) != 1 || r.Sources[0].ChunkID != "0123456789abcdef" {
		t.Errorf("got record %+v, want vote, user, question, answer and source", r)
	}
	if st, _ := os.Stat(env.bot.opts.FeedbackPath); st.Mode().Perm() != 0o600 {
		t.Errorf("got file mode %v, want 0600", st.Mode().Perm())
	}
}

func TestFeedbackRetentionPrunesOldRecords(t *testing.T) {
	path := t.TempDir() + "/fb.jsonl"
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	old := FeedbackRecord{Time: now.Add(-40 * 24 * time.Hour), Vote: "down", Question: "旧问题"}
	recent := FeedbackRecord{Time: now.Add(-time.Hour), Vote: "up", Question: "新问题"}
	var lines []string
	for _, r := range []FeedbackRecord{old, recent} {
		b, _ := json.Marshal(r)
		lines = append(lines, string(b))
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fb, err := openFeedback(path, 30*24*time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "旧问题") || !strings.Contains(string(data), "新问题") {
		t.Errorf("got file %q, want only the recent record", data)
	}
	if up, down := fb.counts(); up != 1 || down != 0 {
		t.Errorf("got counts %d/%d, want 1/0", up, down)
	}
}

func TestLongAnswerIsSplitAtParagraphs(t *testing.T) {
	env := newTestBot(t, nil, nil)
	var paras []string
	for i := range 30 {
		paras = append(paras, fmt.Sprintf("第%d段：%s", i+1, strings.Repeat("产城融合发展<示范>&区建设。", 20)))
	}
	long := strings.Join(paras, "\n\n") + "[1]"
	env.ai.SetChat(func(fakeopenai.ChatRequest) string { return long })
	env.ai.SetStreamChunkSize(400)
	env.tg.SendText(faketg.PrivateChat(alice), &alice, "济源的目标？", nil)
	msgs := env.waitFinal(alice.ID, 1)
	if len(msgs) < 3 {
		t.Fatalf("got %d messages, want the answer split in at least 3", len(msgs))
	}
	var all strings.Builder
	for i, m := range msgs {
		if n := faketg.UTF16Len(m.Text); n > 4096 {
			t.Errorf("part %d has %d characters, want at most 4096", i, n)
		}
		if i < len(msgs)-1 && m.ReplyMarkup != nil {
			t.Errorf("part %d has a keyboard, want it only under the last part", i)
		}
		if i > 0 && !strings.HasPrefix(m.Text, "第") {
			t.Errorf("part %d starts mid-paragraph: %q", i, m.Text[:30])
		}
		all.WriteString(m.Text + "\n\n")
	}
	for i := range paras {
		if !strings.Contains(all.String(), fmt.Sprintf("第%d段：", i+1)) {
			t.Errorf("paragraph %d is missing", i+1)
		}
	}
	if !hasFeedback(msgs[len(msgs)-1]) {
		t.Errorf("the last part has no buttons")
	}
}

func TestFloodControlIsHonoured(t *testing.T) {
	env := newTestBot(t, nil, nil)
	env.tg.FailNext("sendMessage", faketg.TooManyRequests(1), 1)
	env.tg.FailNext("editMessageText", faketg.TooManyRequests(1), 1)
	start := time.Now()
	env.tg.SendText(faketg.PrivateChat(alice), &alice, "济源的目标？", nil)
	msgs := env.waitFinal(alice.ID, 1)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Raw, "<b>出处</b>") {
		t.Fatalf("got %q, want the full answer after the 429s", texts(msgs))
	}
	if msgs[0].SentAt.Sub(start) < 900*time.Millisecond {
		t.Errorf("placeholder sent %v after the update, want after the 1 s retry_after", msgs[0].SentAt.Sub(start))
	}
	var failedAt time.Time
	for _, c := range env.tg.Calls("editMessageText") {
		failedAt = c.At
		break
	}
	last := msgs[0].EditTimes[len(msgs[0].EditTimes)-1]
	if last.Sub(failedAt) < 900*time.Millisecond {
		t.Errorf("final edit %v after the 429, want at least retry_after (1 s)", last.Sub(failedAt))
	}
}

func TestFiftyChatsAtOnceAreAllAnswered(t *testing.T) {
	users := make([]int64, 50)
	for i := range users {
		users[i] = int64(5000 + i)
	}
	env := newTestBot(t, func(o *Options) { o.AllowedUsers = users; o.MaxConcurrent = 4 }, seedsLLM(t))
	for _, id := range users {
		u := faketg.User{ID: id, FirstName: fmt.Sprint("U", id)}
		env.tg.SendText(faketg.PrivateChat(u), &u, "济源示范区的发展目标是什么？", nil)
	}
	queued := 0
	var firstSource string
	for _, id := range users {
		msgs := env.waitFinal(id, 1)
		last := msgs[len(msgs)-1]
		if !strings.Contains(last.Raw, "<b>出处</b>") || !strings.Contains(last.Raw, "一体化水平提高[1]") {
			t.Errorf("user %d: got %q, want the model's answer with sources", id, last.Raw)
		}
		// The same question gets the same real source in every chat.
		src := sourceButtons(last)
		if len(src) != 1 {
			t.Errorf("user %d: got source buttons %q, want one", id, src)
		} else if firstSource == "" {
			firstSource = src[0]
		} else if src[0] != firstSource {
			t.Errorf("user %d: got source %s, want %s as in the other chats", id, src[0], firstSource)
		}
		for _, v := range msgs[0].Versions {
			if v == textQueued {
				queued++
			}
		}
	}
	if queued == 0 {
		t.Errorf("no chat was told it is queued, want some with 50 questions and 4 slots")
	}
	// Stats are recorded just after delivery.
	faketg.Wait(2*time.Second, func() bool { q, _, _, _ := env.bot.stats.snapshot(); return q == 50 })
	if q, failed, _, _ := env.bot.stats.snapshot(); q != 50 || failed != 0 {
		t.Errorf("got %d questions, %d failed; want 50, 0", q, failed)
	}
}

func TestFailuresEndInAChineseApologyOrExcerpts(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(env *testEnv)
		timeout time.Duration
		want    string
	}{
		{"an engine error gives an apology", func(env *testEnv) { env.engine.setFail(errors.New("index broken")) }, 0, textApology},
		{"an engine panic gives an apology", func(env *testEnv) { env.engine.panics = true }, 0, textApology},
		{"a model server error gives excerpts, marked", func(env *testEnv) { env.ai.FailNext(3, http.StatusInternalServerError) }, 0, "模型暂时不可用，以下为文件"},
		{"a hung model gives the timeout apology", func(env *testEnv) { env.ai.HangNext(1) }, 300 * time.Millisecond, textTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestBot(t, func(o *Options) {
				if tc.timeout > 0 {
					o.AnswerTimeout = tc.timeout
				}
			}, nil)
			tc.setup(env)
			env.tg.SendText(faketg.PrivateChat(alice), &alice, "济源的目标？", nil)
			var msgs []faketg.Sent
			if !faketg.Wait(5*time.Second, func() bool {
				msgs = env.tg.BotMessages(alice.ID)
				return len(msgs) == 1 && strings.Contains(msgs[0].Raw, tc.want)
			}) {
				t.Errorf("got %q, want %q", texts(msgs), tc.want)
			}
			if strings.Contains(msgs[0].Raw, "goroutine") || strings.Contains(msgs[0].Raw, "index broken") {
				t.Errorf("internal details shown to the user: %q", msgs[0].Raw)
			}
		})
	}
}

func TestNotAnsweredNamesTheNearestDocuments(t *testing.T) {
	env := newTestBot(t, nil, nil)
	env.tg.SendText(faketg.PrivateChat(alice), &alice, "火星基地什么时候建成？", nil)
	msgs := env.waitFinal(alice.ID, 1)
	raw := msgs[0].Raw
	if !strings.Contains(raw, "没有") || !strings.Contains(raw, "最接近的文件") || !strings.Contains(raw, "《河南省人民政府关于印发") {
		t.Errorf("got %q, want a plain refusal naming the nearest document", raw)
	}
}

func TestRateLimitRepliesPolitelyOnce(t *testing.T) {
	env := newTestBot(t, func(o *Options) { o.RateLimitPerMinute = 2 }, nil)
	chat := faketg.PrivateChat(alice)
	for range 4 {
		env.tg.SendText(chat, &alice, "济源的目标？", nil)
	}
	env.waitFinal(alice.ID, 2)
	env.settle()
	msgs := env.tg.BotMessages(alice.ID)
	limited := 0
	for _, m := range msgs {
		if strings.Contains(m.Text, "每分钟最多 2 个问题") {
			limited++
		}
	}
	if len(env.engine.Queries()) != 2 || limited != 1 {
		t.Errorf("got %d questions answered and %d limit replies, want 2 and 1: %q", len(env.engine.Queries()), limited, texts(msgs))
	}
}

func TestConversationMemory(t *testing.T) {
	env := newTestBot(t, func(o *Options) { o.AllowedChats = []int64{group.ID} }, nil)
	priv := faketg.PrivateChat(alice)
	env.tg.SendText(priv, &alice, "济源的目标？", nil)
	env.waitFinal(alice.ID, 1)
	env.tg.SendText(priv, &alice, "济源还有什么？", nil)
	env.waitFinal(alice.ID, 2)
	env.tg.SendText(priv, &alice, "/new", nil)
	env.settle()
	env.tg.SendText(priv, &alice, "济源的目标？", nil)
	env.waitFinal(alice.ID, 3)
	// In a group each user has their own memory.
	env.tg.SendText(group, &bob, "/ask 源城区的重点？", nil)
	env.waitFinal(group.ID, 1)

	qs := env.engine.Queries()
	if len(qs) != 4 {
		t.Fatalf("got %d questions, want 4", len(qs))
	}
	tests := []struct {
		name string
		got  int
		want int
	}{
		{"the first question has no history", len(qs[0].History), 0},
		{"the follow-up carries the first exchange", len(qs[1].History), 2},
		{"after /new the history is empty", len(qs[2].History), 0},
		{"another user in a group starts fresh", len(qs[3].History), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %d turns, want %d", tc.got, tc.want)
			}
		})
	}
	if h := qs[1].History; len(h) == 2 && (h[0].Role != "user" || h[0].Content != "济源的目标？" || h[1].Role != "assistant") {
		t.Errorf("got history %+v, want the question then the answer", h)
	}
}

func TestCommands(t *testing.T) {
	var re *reloadingEngine
	env := newTestBot(t, nil, func(e *testEngine) Answerer { re = &reloadingEngine{testEngine: e}; return re })
	faketg.Wait(5*time.Second, func() bool { return len(env.tg.Commands()) > 0 })
	cmds := env.tg.Commands()
	if len(cmds) < 4 || cmds[0].Command != "ask" || !strings.Contains(cmds[0].Description, "提问") {
		t.Errorf("got commands %+v, want ask/new/docs/help with Chinese descriptions", cmds)
	}
	tests := []struct {
		name string
		from faketg.User
		text string
		want []string
	}{
		{"/help explains and gives two examples", alice, "/help", []string{"示例", "济源产城融合示范区的总体方案提出了哪些发展目标？", "源城区今后五年的工作重点是什么？", "@policy_test_bot"}},
		{"/start shows the same help", alice, "/start", []string{"政策文件问答助手"}},
		{"/docs lists title, issuer, date and chunks", alice, "/docs", []string{"已收录 2 份文件", "河南省人民政府 · 2017-06-07 · 42 段"}},
		{"/ask without a question shows usage", alice, "/ask", []string{"/ask 后面写上问题"}},
		{"/stats is for admins only", alice, "/stats", []string{textAdminOnly}},
		{"/stats shows counts and latency to admins", admin, "/stats", []string{"提问：", "p50", "p95", "👍 0 · 👎 0"}},
		{"/reload is for admins only", bob, "/reload", []string{textAdminOnly}},
		{"/reload reloads for admins", admin, "/reload", []string{"已重新加载文件库。新增 1 份文件"}},
		{"an unknown command points to /help", alice, "/foo", []string{"/help"}},
		{"/new confirms", alice, "/new", []string{"已开始新的对话"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(env.tg.BotMessages(tc.from.ID))
			env.tg.SendText(faketg.PrivateChat(tc.from), &tc.from, tc.text, nil)
			var msgs []faketg.Sent
			faketg.Wait(5*time.Second, func() bool { msgs = env.tg.BotMessages(tc.from.ID); return len(msgs) > before })
			if len(msgs) <= before {
				t.Fatalf("no reply")
			}
			got := msgs[len(msgs)-1].Raw
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("reply lacks %q:\n%s", w, got)
				}
			}
		})
	}
	if re.reloads != 1 {
		t.Errorf("got %d reloads, want 1", re.reloads)
	}
}

func TestWebhook(t *testing.T) {
	env := newTestBot(t, func(o *Options) {
		o.WebhookListen = "127.0.0.1:0"
		o.WebhookURL = "https://bot.example.gov.cn/tg"
		o.WebhookSecret = "s3cret-Token_1"
	}, nil)
	if !faketg.Wait(5*time.Second, func() bool { u, _ := env.tg.Webhook(); return u != "" }) {
		t.Fatal("setWebhook was not called")
	}
	if u, s := env.tg.Webhook(); u != "https://bot.example.gov.cn/tg" || s != "s3cret-Token_1" {
		t.Errorf("got webhook %q with secret %q", u, s)
	}
	h := env.bot.webhookHandler()
	// The chat must exist on the fake server for the bot to answer in it.
	msg := env.tg.SendText(faketg.PrivateChat(alice), &alice, "济源的目标？", nil)
	body, _ := json.Marshal(faketg.Update{UpdateID: 1, Message: &msg})
	tests := []struct {
		name   string
		secret string
		want   int
	}{
		{"a request without the secret is refused", "", http.StatusForbidden},
		{"a request with a wrong secret is refused", "wrong", http.StatusForbidden},
		{"a request with the secret is accepted", "s3cret-Token_1", http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/tg", strings.NewReader(string(body)))
			if tc.secret != "" {
				r.Header.Set("X-Telegram-Bot-Api-Secret-Token", tc.secret)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.want {
				t.Errorf("got status %d, want %d", w.Code, tc.want)
			}
		})
	}
	env.waitFinal(alice.ID, 1)
	if n := len(env.engine.Queries()); n != 1 {
		t.Errorf("got %d questions, want 1 (only the request with the secret)", n)
	}
}

func TestStopFinishesAnswersInFlight(t *testing.T) {
	env := newTestBot(t, nil, nil)
	env.ai.SetStreamDelay(40 * time.Millisecond) // ~20 chunks: under a second
	env.tg.SendText(faketg.PrivateChat(alice), &alice, "济源的目标？", nil)
	faketg.Wait(5*time.Second, func() bool { return len(env.tg.BotMessages(alice.ID)) == 1 })
	env.stop() // returns only after in-flight answers are delivered
	msgs := env.tg.BotMessages(alice.ID)
	if len(msgs) != 1 || !hasFeedback(msgs[0]) {
		t.Errorf("after stop got %q, want the final answer", texts(msgs))
	}
}

func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		env := newTestBot(t, nil, nil)
		var wg sync.WaitGroup
		for _, u := range []faketg.User{alice, bob} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				env.tg.SendText(faketg.PrivateChat(u), &u, "济源的目标？", nil)
			}()
		}
		wg.Wait()
		env.waitFinal(alice.ID, 1)
		env.waitFinal(bob.ID, 1)
		env.stop()
		env.ai.Close()
	}()
	var after int
	if !faketg.Wait(3*time.Second, func() bool { after = runtime.NumGoroutine(); return after <= before }) {
		buf := make([]byte, 1<<16)
		n := runtime.Stack(buf, true)
		t.Errorf("got %d goroutines after stop, want at most %d:\n%s", after, before, buf[:n])
	}
}

func TestRunStopsPollingPromptly(t *testing.T) {
	env := newTestBot(t, func(o *Options) { o.PollTimeout = 30 * time.Second }, nil)
	faketg.Wait(5*time.Second, func() bool { return len(env.tg.Calls("getUpdates")) > 0 })
	start := time.Now()
	env.stop()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Run took %v to return while a 30 s long poll was pending, want under 2 s", d)
	}
	_ = context.Background
}

func TestRejectedHTMLIsResentAsPlainText(t *testing.T) {
	env := newTestBot(t, nil, func(e *testEngine) Answerer { e.llm = false; return e })
	env.tg.FailNext("editMessageText", faketg.Failure{Code: 400, Description: "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0"}, 1)
	env.tg.SendText(faketg.PrivateChat(alice), &alice, "济源的目标？", nil)
	msgs := env.waitFinal(alice.ID, 1)
	m := msgs[0]
	if m.ParseMode != "" || strings.Contains(m.Raw, "<b>") || !strings.Contains(m.Raw, "出处\n[1] 《") || !strings.Contains(m.Raw, "<城乡>") {
		t.Errorf("got mode %q text %q, want the plain text with unescaped characters", m.ParseMode, m.Raw)
	}
}

func TestMessageNotModifiedIsNotAnError(t *testing.T) {
	env := newTestBot(t, nil, func(e *testEngine) Answerer { e.llm = false; return e })
	env.tg.FailNext("editMessageText", faketg.Failure{Code: 400, Description: "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"}, 1)
	env.tg.SendText(faketg.PrivateChat(alice), &alice, "济源的目标？", nil)
	faketg.Wait(5*time.Second, func() bool { return strings.Contains(env.logs.String(), `"msg":"question"`) })
	env.settle()
	if got := len(env.tg.BotMessages(alice.ID)); got != 1 {
		t.Errorf("got %d messages, want 1 (no resend after 'not modified')", got)
	}
	if strings.Contains(env.logs.String(), "sending it instead") {
		t.Errorf("'message is not modified' was treated as a failure")
	}
}

// Found against telegram-test-api, which has no setMyCommands and no
// sendChatAction: a server lacking a method costs that feature, not the bot.
func TestMissingMethodsDoNotStopTheBot(t *testing.T) {
	tg := faketg.New(testToken)
	defer tg.Close()
	tg.FailNext("setMyCommands", faketg.Failure{Code: 404, Description: "Not Found"}, 1)
	tg.FailNext("sendChatAction", faketg.Failure{Code: 404, Description: "Not Found"}, 100)
	env := newTestBot(t, func(o *Options) { o.APIURL = tg.URL }, nil)
	tg.SendText(faketg.PrivateChat(alice), &alice, "济源的发展目标是什么？", nil)
	var msgs []faketg.Sent
	ok := faketg.Wait(10*time.Second, func() bool {
		msgs = tg.BotMessages(alice.ID)
		return len(msgs) > 0 && hasFeedback(msgs[len(msgs)-1])
	})
	if !ok {
		t.Fatalf("got bot messages %q, want a final answer with buttons", texts(msgs))
	}
	if logs := env.logs.String(); !strings.Contains(logs, "register commands") || !strings.Contains(logs, "Not Found") {
		t.Errorf("got logs %s, want a warning naming the failed setMyCommands", logs)
	}
}

// Found against telegram-test-api, which answers getUpdates at once even
// with a timeout: an empty answer that comes back early must not make the
// poll loop spin. timeout 0 (short polling) makes faketg do the same.
func TestShortPollingDoesNotSpin(t *testing.T) {
	env := newTestBot(t, func(o *Options) { o.PollTimeout = time.Millisecond }, nil)
	time.Sleep(1200 * time.Millisecond)
	if n := len(env.tg.Calls("getUpdates")); n > 5 {
		t.Errorf("got %d getUpdates calls in 1.2 s of empty short polls, want at most 5", n)
	}
	env.tg.SendText(faketg.PrivateChat(alice), &alice, "/help", nil)
	if !faketg.Wait(5*time.Second, func() bool { return len(env.tg.BotMessages(alice.ID)) > 0 }) {
		t.Errorf("got no reply to /help while short polling")
	}
}

func TestAnswersThatAreNotBotAPIResponsesAreErrors(t *testing.T) {
	tests := []struct {
		name, body string
		wantErr    string
	}{
		{"a success is accepted", `{"ok":true,"result":true}`, ""},
		{"an HTML page from a proxy is an error", `<html>502 Bad Gateway</html>`, "not a Bot API response"},
		{"an object without ok is an error", `{"message":"API method 'setMyCommands' is not supported"}`, "not supported"},
		{"ok false without a description quotes the body", `{"ok":false,"error_code":500}`, "error_code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkOK([]byte(tc.body))
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("got %v, want no error", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("got %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestTraditionalScriptAnswersAreShownInSimplifiedWithOriginalSources(t *testing.T) {
	const question = "济源2018年农村居民人均可支配收入是多少元？" // answered from the traditional-script 001
	tests := []struct {
		name    string
		engine  func(t testing.TB) Answerer
		label   string
		shown   string
		notShow string
	}{
		{"by default the answer is in simplified script under the converted label",
			func(t testing.TB) Answerer { return testengine.Seeds(t) },
			"以下为文件内容摘录（已转为简体）：", "农村居民人均可支配收入达18446元", "農村"},
		{"with script original the answer keeps the traditional script under the 原文 label",
			func(t testing.TB) Answerer { return testengine.SeedsScript(t, rag.ScriptOriginal) },
			"以下为文件原文摘录：", "農村居民人均可支配收入達18446元", "农村"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestBot(t, nil, func(*testEngine) Answerer { return tc.engine(t) })
			env.tg.SendText(faketg.PrivateChat(alice), &alice, question, nil)
			final := env.waitFinal(alice.ID, 1)[0]
			for _, w := range []string{tc.label, tc.shown} {
				if !strings.Contains(final.Raw, w) {
					t.Errorf("got answer %q, want %q", final.Raw, w)
				}
			}
			if body, _, _ := strings.Cut(final.Raw, "出处"); strings.Contains(body, tc.notShow) {
				t.Errorf("got answer %q, want no %q before the sources", final.Raw, tc.notShow)
			}
			// The source button shows the stored passage: original script, exact text.
			var src string
			for _, id := range sourceButtons(final) {
				if p, ok := env.answerer.Passage(id); ok && strings.Contains(p.Text, "農村居民人均可支配收入達18446元") {
					src = id
				}
			}
			if src == "" {
				t.Fatalf("got source buttons %q, want one for the traditional passage", sourceButtons(final))
			}
			want, _ := env.answerer.Passage(src)
			env.tg.Press(alice, alice.ID, final.MessageID, "s:"+src)
			var msgs []faketg.Sent
			faketg.Wait(5*time.Second, func() bool { msgs = env.tg.BotMessages(alice.ID); return len(msgs) == 2 })
			if len(msgs) != 2 || !strings.Contains(msgs[1].Raw, "<blockquote>"+esc(strings.TrimSpace(want.Text))+"</blockquote>") {
				t.Errorf("got %q, want the passage in its original script", texts(msgs))
			}
		})
	}
}
