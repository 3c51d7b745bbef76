package bot

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"policybot/internal/faketg"
	"policybot/internal/testengine"
)

// library is an engineChange for newTestBot: the bot answers with the real
// extractive engine over a writable copy of the seeds, which uploads and
// /remove change.
func library(t testing.TB) func(*testEngine) Answerer {
	return func(*testEngine) Answerer { return testengine.NewLibrary(t) }
}

func (e *testEnv) lib() *testengine.Library { return e.answerer.(*testengine.Library) }

// policyDoc is a small policy document whose facts the seeds do not hold.
func policyDoc(topic string, n int) []byte {
	return []byte(fmt.Sprintf(`关于推进%[1]s建设的通知
济源市人民政府办公室
2026年3月%[2]d日

各镇人民政府、街道办事处，市直各单位：
为加快%[1]s建设，现将有关事项通知如下。

一、建设目标
到2027年，全市建成%[1]s%[3]d座，覆盖所有镇（街道），服务人口达到%[3]d万人。

二、保障措施
市财政每年安排%[1]s专项资金%[2]d千万元，用于%[1]s的建设和运营。
`, topic, n%28+1, 10+n))
}

// final reports whether a bot message is an upload's or removal's outcome
// rather than a progress note.
func final(m faketg.Sent) bool {
	return !strings.HasPrefix(m.Text, "📥") && !strings.HasPrefix(m.Text, "⏳")
}

// waitReply waits for the bot's n-th message (1-based) in chat to reach a
// final text and returns it.
func (e *testEnv) waitReply(chat int64, n int) faketg.Sent {
	e.t.Helper()
	var msgs []faketg.Sent
	if !faketg.Wait(30*time.Second, func() bool {
		msgs = e.tg.BotMessages(chat)
		return len(msgs) >= n && final(msgs[n-1])
	}) {
		e.t.Fatalf("chat %d: no final reply #%d after 30 s; bot messages: %q", chat, n, texts(msgs))
	}
	return msgs[n-1]
}

// upload sends a file from `from` in their private chat and returns the
// bot's final reply to it.
func (e *testEnv) upload(from faketg.User, name string, data []byte) faketg.Sent {
	e.t.Helper()
	n := len(e.tg.BotMessages(from.ID))
	e.tg.SendFile(faketg.PrivateChat(from), &from, name, data)
	return e.waitReply(from.ID, n+1)
}

// uploads lists the names stored under <corpus>/uploads.
func (e *testEnv) uploads() []string {
	ents, _ := os.ReadDir(filepath.Join(e.lib().Corpus(), uploadsDir))
	var out []string
	for _, d := range ents {
		out = append(out, d.Name())
	}
	return out
}

func TestAdminUploadIsIngestedAndAnswersQuestionsAboutIt(t *testing.T) {
	env := newTestBot(t, nil, library(t))
	tests := []struct {
		name, file, topic, question string
	}{
		{"a .txt file", "智慧图书馆通知.txt", "智慧图书馆", "智慧图书馆到2027年建成多少座？"},
		{"a .md file with an upper-case extension", "Notice 口袋公园.MD", "口袋公园", "口袋公园到2027年建成多少座？"},
	}
	for i, tt := range tests {
		t.Run(tt.name+" is stored, indexed and named with its title, date and chunks", func(t *testing.T) {
			r := env.upload(admin, tt.file, policyDoc(tt.topic, i))
			for _, want := range []string{"已收录", "《关于推进" + tt.topic + "建设的通知》", "2026-03-0", " 段", "uploads/"} {
				if !strings.Contains(r.Text, want) {
					t.Errorf("reply %q lacks %q", r.Text, want)
				}
			}
			var src string
			for _, d := range env.answerer.Documents() {
				if strings.Contains(d.Title, tt.topic) {
					src = d.Source
				}
			}
			if !strings.HasPrefix(src, "uploads/") || strings.ToLower(filepath.Ext(src)) != filepath.Ext(src) {
				t.Fatalf("got source %q, want a lower-case file under uploads/", src)
			}
			if _, err := os.Stat(filepath.Join(env.lib().Corpus(), src)); err != nil {
				t.Errorf("stored file: %v", err)
			}
		})
		t.Run(tt.name+" answers a question about its content", func(t *testing.T) {
			env.tg.SendText(faketg.PrivateChat(alice), &alice, tt.question, nil)
			msgs := env.waitFinal(alice.ID, i+1)
			m := msgs[len(msgs)-1]
			if !strings.Contains(m.Text, fmt.Sprint(10+i)) || !strings.Contains(m.Text, tt.topic) {
				t.Errorf("answer %q lacks the uploaded figure %d", m.Text, 10+i)
			}
			ids := sourceButtons(m)
			if len(ids) == 0 {
				t.Fatalf("answer has no source button: %q", m.Text)
			}
			if p, ok := env.answerer.Passage(ids[0]); !ok || !strings.HasPrefix(p.Source, "uploads/") {
				t.Errorf("first source is %q, want the uploaded file", p.Source)
			}
		})
	}
	t.Run("an identical re-upload under another name is recognized by its bytes", func(t *testing.T) {
		before := env.uploads()
		r := env.upload(admin, "副本.txt", policyDoc("智慧图书馆", 0))
		if !strings.Contains(r.Text, "已在文件库中") || !strings.Contains(r.Text, "智慧图书馆") || !strings.Contains(r.Text, "uploads/") {
			t.Errorf("got %q, want the document already there, named", r.Text)
		}
		if after := env.uploads(); len(after) != len(before) {
			t.Errorf("got uploads %q, want still %q", after, before)
		}
	})
	t.Run("a file ingest skips is reported and removed from uploads", func(t *testing.T) {
		before := env.uploads()
		r := env.upload(admin, "空白.txt", []byte("\n\n   \n"))
		if !strings.Contains(r.Text, "未能收录") || !strings.Contains(r.Text, "没有可识别的文字") {
			t.Errorf("got %q, want the skip warning", r.Text)
		}
		if after := env.uploads(); len(after) != len(before) {
			t.Errorf("got uploads %q, want the skipped file gone: %q", after, before)
		}
	})
}

func TestALocalBotAPIServersFilePathIsReadFromDisk(t *testing.T) {
	env := newTestBot(t, func(o *Options) { o.MaxUploadMB = 50 }, library(t))
	env.tg.SetFileLimit(0)
	env.tg.SetLocalDir(t.TempDir())
	r := env.upload(admin, "本地服务器.txt", policyDoc("社区食堂", 5))
	if !strings.Contains(r.Text, "已收录") || !strings.Contains(r.Text, "社区食堂") {
		t.Errorf("got %q, want the file ingested", r.Text)
	}
	if got := env.tg.Downloads(); len(got) != 0 {
		t.Errorf("got downloads %q, want the file read from disk instead", got)
	}
}

func TestUploadsAreRefusedBeforeDownloading(t *testing.T) {
	env := newTestBot(t, nil, library(t))
	tests := []struct {
		name string
		from faketg.User
		file string
		size int64
		want []string
	}{
		{"a file over 20 MB says the Bot API's limit", admin, "大文件.txt", 25 << 20, []string{"文件太大", "20 MB", "Bot API"}},
		{"an allowed user who is not an admin is refused politely", alice, "通知.txt", 100, []string{"只有管理员"}},
		{"a format ingest does not read lists the accepted ones", admin, "旧文件.doc", 100, []string{"不支持", ".txt .md"}},
		{"a file with no extension lists the accepted ones", admin, "README", 100, []string{"不支持", ".txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := len(env.tg.BotMessages(tt.from.ID))
			env.tg.SendFileSized(faketg.PrivateChat(tt.from), &tt.from, tt.file, []byte("x"), tt.size)
			r := env.waitReply(tt.from.ID, n+1)
			for _, w := range tt.want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("got %q, want it to say %q", r.Text, w)
				}
			}
			if got := len(env.tg.Calls("getFile")); got != 0 {
				t.Errorf("got %d getFile calls, want none", got)
			}
			if got := env.tg.Downloads(); len(got) != 0 {
				t.Errorf("got downloads %q, want none", got)
			}
		})
	}
	t.Run("/help tells admins how to upload and remove", func(t *testing.T) {
		n := len(env.tg.BotMessages(admin.ID))
		env.tg.SendText(faketg.PrivateChat(admin), &admin, "/help", nil)
		if r := env.waitReply(admin.ID, n+1); !strings.Contains(r.Text, "/remove") || !strings.Contains(r.Text, ".txt") {
			t.Errorf("got %q, want the admin part", r.Text)
		}
	})
	t.Run("a file whose size the message understates is stopped by getFile", func(t *testing.T) {
		n := len(env.tg.BotMessages(admin.ID))
		// The message says 1 KB; the server knows better and refuses.
		env.tg.SetFileLimit(10)
		defer env.tg.SetFileLimit(faketg.CloudFileLimit)
		env.tg.SendFileSized(faketg.PrivateChat(admin), &admin, "报告.txt", policyDoc("图书馆", 1), 1000)
		r := env.waitReply(admin.ID, n+1)
		if !strings.Contains(r.Text, "文件太大") {
			t.Errorf("got %q, want the limit explained", r.Text)
		}
		if got := env.tg.Downloads(); len(got) != 0 {
			t.Errorf("got downloads %q, want none", got)
		}
	})
}

func TestHostileFileNamesAreStoredSafelyInsideUploads(t *testing.T) {
	env := newTestBot(t, nil, library(t))
	safe := regexp.MustCompile(`^[\p{L}\p{N}_-]+_[0-9a-f]{8}\.(txt|md)$`)
	tests := []struct {
		name, file, wantStem string
	}{
		{"a path climbing out of the corpus keeps only its base name", "../../etc/passwd.txt", "passwd"},
		{"slashes and backslashes of either system are folders, dropped", `a/b\c.txt`, "c"},
		{"NUL and newlines are dropped", "关于\x00印发\n方案\r.txt", "关于_印发_方案"},
		{"a 300-character name is cut to a readable stem", strings.Repeat("政", 300) + ".txt", strings.Repeat("政", maxStem)},
		{"a dot file does not hide from ingest", ".hidden.md", "hidden"},
		{"a Windows device name gets a prefix", "CON.txt", "file_CON"},
		{"a name of dots alone gets a placeholder stem", "...txt", "upload"},
		{"bidi controls and spaces are dropped", "报告\u202e名单 2026.txt", "报告_名单_2026"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := env.uploads()
			r := env.upload(admin, tt.file, policyDoc(fmt.Sprintf("测试设施%c", '甲'+rune(i)), i))
			if !strings.Contains(r.Text, "已收录") {
				t.Fatalf("got %q, want the file ingested", r.Text)
			}
			after := env.uploads()
			if len(after) != len(before)+1 {
				t.Fatalf("got uploads %q, want one more than %q", after, before)
			}
			var got string
			for _, n := range after {
				if !strings.Contains(strings.Join(before, "\x00"), n) {
					got = n
				}
			}
			if !safe.MatchString(got) || len(got) > 255 || !strings.HasPrefix(got, tt.wantStem+"_") {
				t.Errorf("stored as %q, want a safe name starting %q", got, tt.wantStem+"_")
			}
		})
	}
	t.Run("nothing was written outside uploads", func(t *testing.T) {
		ents, err := os.ReadDir(env.lib().Corpus())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.IsDir() && e.Name() != uploadsDir {
				t.Errorf("unexpected folder %q in the corpus", e.Name())
			}
		}
		if _, err := os.Stat(filepath.Join(env.lib().Corpus(), "..", "etc")); err == nil {
			t.Errorf("a folder etc was created next to the corpus")
		}
	})
}

func TestSafeNameKeepsAReadableStemAndTheHash(t *testing.T) {
	const hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := []struct {
		name, in, want string
	}{
		{"a Chinese name is kept", "济源市政府工作报告.txt", "济源市政府工作报告_01234567.txt"},
		{"the extension is lower-cased", "通知.TXT", "通知_01234567.txt"},
		{"punctuation runs become one underscore", "《通知》（2026）.md", "通知_2026_01234567.md"},
		{"a Windows path keeps its base name", `C:\Users\x\报告.docx`, "报告_01234567.docx"},
		{"an extension outside the set falls back to .txt", "a.exe", "a_01234567.txt"},
		{"lpt1 is a device name too", "lpt1.txt", "file_lpt1_01234567.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := safeName(tt.in, hash); got != tt.want {
				t.Errorf("safeName(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRemoveMovesTheFileAsideAndOldButtonsSaySo(t *testing.T) {
	env := newTestBot(t, nil, library(t))
	corpus := env.lib().Corpus()
	up := env.upload(admin, "城市书房.txt", policyDoc("城市书房", 3))
	if !strings.Contains(up.Text, "已收录") {
		t.Fatalf("upload: got %q", up.Text)
	}
	env.tg.SendText(faketg.PrivateChat(alice), &alice, "城市书房到2027年建成多少座？", nil)
	answer := env.waitFinal(alice.ID, 1)[0]
	ids := sourceButtons(answer)
	if len(ids) == 0 {
		t.Fatalf("no source button on %q", answer.Text)
	}
	p, ok := env.answerer.Passage(ids[0])
	if !ok || !strings.HasPrefix(p.Source, "uploads/") {
		t.Fatalf("the answer cites %q, want the upload", p.Source)
	}
	src := p.Source

	t.Run("a non-admin may not remove", func(t *testing.T) {
		n := len(env.tg.BotMessages(alice.ID))
		env.tg.SendText(faketg.PrivateChat(alice), &alice, "/remove "+src, nil)
		if r := env.waitReply(alice.ID, n+1); !strings.Contains(r.Text, "管理员") {
			t.Errorf("got %q, want admins only", r.Text)
		}
	})
	var confirm faketg.Sent
	t.Run("/remove with a file name asks for confirmation", func(t *testing.T) {
		n := len(env.tg.BotMessages(admin.ID))
		env.tg.SendText(faketg.PrivateChat(admin), &admin, "/remove "+filepath.Base(src), nil)
		confirm = env.waitReply(admin.ID, n+1)
		if !strings.Contains(confirm.Text, "确定要删除") || !strings.Contains(confirm.Text, src) {
			t.Errorf("got %q, want a question naming %s", confirm.Text, src)
		}
		if _, err := os.Stat(filepath.Join(corpus, src)); err != nil {
			t.Errorf("the file is gone before confirmation: %v", err)
		}
	})
	t.Run("cancel leaves the file", func(t *testing.T) {
		n := len(env.tg.BotMessages(admin.ID))
		env.tg.SendText(faketg.PrivateChat(admin), &admin, "/remove", nil)
		list := env.waitReply(admin.ID, n+1)
		data := buttonData(list, "rm:")
		if len(data) < 6 {
			t.Fatalf("got %d file buttons, want the five seeds and the upload: %q", len(data), list.Text)
		}
		env.tg.Press(admin, admin.ID, list.MessageID, data[0])
		if !faketg.Wait(5*time.Second, func() bool { return len(buttonData(env.sent(admin.ID, list.MessageID), "rc:")) == 1 }) {
			t.Fatalf("pressing a file did not ask for confirmation")
		}
		env.tg.Press(admin, admin.ID, list.MessageID, cbRemoveAbort)
		if !faketg.Wait(5*time.Second, func() bool { return strings.Contains(env.sent(admin.ID, list.MessageID).Text, "已取消") }) {
			t.Errorf("cancel was not confirmed: %q", env.sent(admin.ID, list.MessageID).Text)
		}
		if got := len(env.answerer.Documents()); got < 6 {
			t.Errorf("got %d documents after cancel, want all", got)
		}
	})
	t.Run("confirming moves the file to .removed and re-ingests", func(t *testing.T) {
		do := buttonData(confirm, "rc:")
		if len(do) != 1 {
			t.Fatalf("got confirm buttons %q, want one", do)
		}
		env.tg.Press(admin, admin.ID, confirm.MessageID, do[0])
		if !faketg.Wait(30*time.Second, func() bool { return strings.Contains(env.sent(admin.ID, confirm.MessageID).Text, "已删除") }) {
			t.Fatalf("no removal report: %q", env.sent(admin.ID, confirm.MessageID).Text)
		}
		if _, err := os.Stat(filepath.Join(corpus, src)); !os.IsNotExist(err) {
			t.Errorf("the file is still in the corpus: %v", err)
		}
		if _, err := os.Stat(filepath.Join(corpus, removedDir, src)); err != nil {
			t.Errorf("the file is not in .removed: %v", err)
		}
		if len(env.bot.docsOf(src)) != 0 {
			t.Errorf("the index still holds %s", src)
		}
	})
	t.Run("the old answer's source button says the file was removed", func(t *testing.T) {
		id := env.tg.Press(alice, alice.ID, answer.MessageID, "s:"+ids[0])
		var a faketg.CallbackAnswer
		if !faketg.Wait(5*time.Second, func() bool { var ok bool; a, ok = env.tg.CallbackAnswer(id); return ok }) {
			t.Fatal("callback not answered")
		}
		if !strings.Contains(a.Text, textRemoved) || !strings.Contains(a.Text, "城市书房") {
			t.Errorf("got %q, want %q naming the document", a.Text, textRemoved)
		}
	})
	t.Run("a follow-up on the removed document is told so", func(t *testing.T) {
		env.tg.SendText(faketg.PrivateChat(alice), &alice, "那资金呢？", nil)
		msgs := env.waitFinal(alice.ID, 2)
		if m := msgs[len(msgs)-1]; !strings.Contains(m.Text, textRemoved) {
			t.Errorf("got %q, want the follow-up to say %q", m.Text, textRemoved)
		}
	})
	t.Run("moving the file back and /reload restores it", func(t *testing.T) {
		if err := os.Rename(filepath.Join(corpus, removedDir, src), filepath.Join(corpus, src)); err != nil {
			t.Fatal(err)
		}
		n := len(env.tg.BotMessages(admin.ID))
		env.tg.SendText(faketg.PrivateChat(admin), &admin, "/reload", nil)
		env.waitReply(admin.ID, n+1)
		if _, ok := env.answerer.Passage(ids[0]); !ok {
			t.Errorf("the passage %s is not back", ids[0])
		}
	})
}

func TestAChangedFileSaysItWasUpdated(t *testing.T) {
	env := newTestBot(t, nil, library(t))
	env.tg.SendText(faketg.PrivateChat(alice), &alice, "济源示范区的发展目标是什么？", nil)
	answer := env.waitFinal(alice.ID, 1)[0]
	ids := sourceButtons(answer)
	if len(ids) == 0 {
		t.Fatalf("no source button on %q", answer.Text)
	}
	p, _ := env.answerer.Passage(ids[0])
	file := filepath.Join(env.lib().Corpus(), filepath.FromSlash(p.Source))
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// Rewrite the cited passage's text in place: its chunk id changes.
	changed := strings.Replace(string(raw), p.Text[:min(len(p.Text), 30)], "（已修订）"+p.Text[:min(len(p.Text), 30)], 1)
	if changed == string(raw) {
		changed = "（已修订）\n" + string(raw)
	}
	if err := os.WriteFile(file, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	n := len(env.tg.BotMessages(admin.ID))
	env.tg.SendText(faketg.PrivateChat(admin), &admin, "/reload", nil)
	env.waitReply(admin.ID, n+1)
	if _, ok := env.answerer.Passage(ids[0]); ok {
		t.Fatalf("chunk %s survived the change", ids[0])
	}
	id := env.tg.Press(alice, alice.ID, answer.MessageID, "s:"+ids[0])
	var a faketg.CallbackAnswer
	if !faketg.Wait(5*time.Second, func() bool { var ok bool; a, ok = env.tg.CallbackAnswer(id); return ok }) {
		t.Fatal("callback not answered")
	}
	if !strings.Contains(a.Text, textUpdated) {
		t.Errorf("got %q, want %q", a.Text, textUpdated)
	}
}

func TestDocsListsFilesPageByPage(t *testing.T) {
	env := newTestBot(t, nil, library(t))
	for i := range 6 {
		if r := env.upload(admin, fmt.Sprintf("设施%d.txt", i), policyDoc(fmt.Sprintf("便民设施%c", '甲'+rune(i)), i)); !strings.Contains(r.Text, "已收录") {
			t.Fatalf("upload %d: %q", i, r.Text)
		}
	}
	n := len(env.tg.BotMessages(alice.ID))
	env.tg.SendText(faketg.PrivateChat(alice), &alice, "/docs", nil)
	first := env.waitReply(alice.ID, n+1)
	tests := []struct {
		name string
		want []string
	}{
		{"the first page counts every document and names its page", []string{"已收录 ", "第 1/2 页", "000_268244c505393083.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, w := range tt.want {
				if !strings.Contains(first.Text, w) {
					t.Errorf("got %q, want %q", first.Text, w)
				}
			}
		})
	}
	t.Run("the next-page button shows the uploads on page two", func(t *testing.T) {
		next := buttonData(first, cbDocsPage)
		if len(next) != 1 {
			t.Fatalf("got page buttons %q, want one", next)
		}
		env.tg.Press(alice, alice.ID, first.MessageID, next[0])
		if !faketg.Wait(5*time.Second, func() bool { return strings.Contains(env.sent(alice.ID, first.MessageID).Text, "第 2/2 页") }) {
			t.Fatalf("page 2 not shown: %q", env.sent(alice.ID, first.MessageID).Text)
		}
		if got := env.sent(alice.ID, first.MessageID).Text; !strings.Contains(got, "uploads/") {
			t.Errorf("page 2 lacks the uploads: %q", got)
		}
	})
}

// buttonData returns the callback data of m's buttons that start with prefix.
func buttonData(m faketg.Sent, prefix string) []string {
	var out []string
	if m.ReplyMarkup == nil {
		return nil
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if strings.HasPrefix(b.CallbackData, prefix) {
				out = append(out, b.CallbackData)
			}
		}
	}
	return out
}

// sent returns the current state of the bot's message id in chat.
func (e *testEnv) sent(chat int64, id int) faketg.Sent {
	for _, m := range e.tg.BotMessages(chat) {
		if m.MessageID == id {
			return m
		}
	}
	return faketg.Sent{}
}

func TestUploadedWordAndPDFFilesAreReadByTheirFormat(t *testing.T) {
	env := newTestBot(t, nil, library(t))
	fixture := func(name string) []byte {
		raw, err := os.ReadFile(filepath.Join("..", "ingest", "testdata", "formats", name))
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	t.Run("a .docx upload is ingested with its title", func(t *testing.T) {
		r := env.upload(admin, "粮食方案.docx", fixture("notice.docx"))
		if !strings.Contains(r.Text, "已收录") || !strings.Contains(r.Text, "粮食生产工作方案") {
			t.Errorf("got %q, want the Word file ingested and named", r.Text)
		}
	})
	t.Run("a PDF upload is ingested", func(t *testing.T) {
		r := env.upload(admin, "稳就业.pdf", fixture("pdf/gov.pdf"))
		if !strings.Contains(r.Text, "已收录") || !strings.Contains(r.Text, "稳就业") {
			t.Errorf("got %q, want the PDF ingested and named", r.Text)
		}
	})
	t.Run("a damaged PDF is reported and not kept", func(t *testing.T) {
		before := env.uploads()
		r := env.upload(admin, "坏文件.pdf", fixture("pdf/truncated.pdf"))
		if !strings.Contains(r.Text, "未能收录") {
			t.Errorf("got %q, want the skip warning", r.Text)
		}
		if after := env.uploads(); len(after) != len(before) {
			t.Errorf("got uploads %q, want the damaged file gone: %q", after, before)
		}
	})
}
