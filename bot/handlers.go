package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	tb "gopkg.in/telebot.v3"
)

// Texts shown to officials.
const (
	textHelp = `我是政策文件问答助手，只根据已收录的政策文件回答问题，并在回答下方列出出处。点击出处按钮可查看原文段落。

<b>怎么问</b>
• 私聊：直接发送问题。
• 群聊：使用 /ask 问题，或 @%s 问题，或回复我的消息。
• 追问会结合最近几轮对话；发送 /new 开始新话题。

<b>示例</b>
• 济源产城融合示范区的总体方案提出了哪些发展目标？
• 源城区今后五年的工作重点是什么？

<b>命令</b>
/ask 提问　/new 新对话　/docs 收录的文件　/help 使用说明`
	textAskUsage   = "请在 /ask 后面写上问题，例如：/ask 济源产城融合示范区的发展目标是什么？"
	textNewDone    = "好的，已开始新的对话，之前的上下文已清除。"
	textOnlyText   = "目前只能回答文字提问，请直接输入您的问题。"
	textUnknownCmd = "没有这个命令。发送 /help 查看使用说明。"
	textAdminOnly  = "此命令仅限管理员使用。"
	textNoReload   = "当前的问答引擎不支持重新加载。"
	textBadButton  = "这个按钮已失效。"
	textGone       = "该段原文已不在当前文件库中（文件可能已更新），请重新提问。"
	textThanks     = "感谢反馈！"
	textVotedTwice = "您已经评价过这条回答了。"
)

// deniedText is the one reply a user or chat outside the allowlist gets.
func deniedText(user, chat int64, private bool) string {
	if private || chat == user {
		return fmt.Sprintf("抱歉，您还没有使用本机器人的权限。如需开通，请把您的用户 ID %d 发给管理员。", user)
	}
	return fmt.Sprintf("抱歉，您还没有使用本机器人的权限。如需开通，请把您的用户 ID %d（或本群 ID %d）发给管理员。", user, chat)
}

func (b *Bot) allowed(user, chat int64) bool {
	return b.opts.Public || (user != 0 && (b.admins[user] || b.users[user])) || (chat != 0 && b.chats[chat])
}

func (b *Bot) isAdmin(user int64) bool { return user != 0 && b.admins[user] }

// handleUpdate routes one update. Channel posts, edits and other update
// kinds are ignored; nothing here assumes a sender exists.
func (b *Bot) handleUpdate(u tb.Update) {
	switch {
	case u.Message != nil:
		b.onMessage(u.Message)
	case u.Callback != nil:
		b.onCallback(u.Callback)
	default:
		b.log.Debug("update ignored", "update", u.ID)
	}
}

// command parses "/cmd@bot payload". forOther is set when the command names another bot.
func (b *Bot) command(text string) (cmd, payload string, forOther bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	head, payload, _ := strings.Cut(text[1:], " ")
	if i := strings.IndexAny(head, "\n"); i >= 0 {
		payload = head[i+1:] + " " + payload
		head = head[:i]
	}
	cmd, botName, hasBot := strings.Cut(head, "@")
	if hasBot && !strings.EqualFold(botName, b.me.Username) {
		return "", "", true
	}
	return strings.ToLower(cmd), strings.TrimSpace(payload), false
}

func isCommand(cmd string) bool {
	switch cmd {
	case "start", "help", "ask", "new", "docs", "stats", "reload", "remove":
		return true
	}
	return false
}

// mentioned reports whether m mentions the bot.
func (b *Bot) mentioned(m *tb.Message) bool {
	for _, e := range m.Entities {
		switch e.Type {
		case tb.EntityMention:
			if strings.EqualFold(m.EntityText(e), "@"+b.me.Username) {
				return true
			}
		case tb.EntityTMention:
			if e.User != nil && e.User.ID == b.me.ID {
				return true
			}
		}
	}
	return false
}

// stripMention removes "@botname" from a question.
func (b *Bot) stripMention(text string) string {
	at := "@" + strings.ToLower(b.me.Username)
	for {
		i := strings.Index(strings.ToLower(text), at)
		if i < 0 || b.me.Username == "" {
			break
		}
		text = text[:i] + text[i+len(at):]
	}
	return strings.TrimSpace(text)
}

// convKey names a conversation: the private chat, or one user in a group.
func convKey(chat, user int64, private bool) string {
	if private {
		return strconv.FormatInt(chat, 10)
	}
	return strconv.FormatInt(chat, 10) + "/" + strconv.FormatInt(user, 10)
}

func (b *Bot) onMessage(m *tb.Message) {
	if m.Chat == nil {
		return
	}
	chat := m.Chat.ID
	private := m.Chat.Type == tb.ChatPrivate
	if m.Chat.Type == tb.ChatChannel || m.Chat.Type == tb.ChatChannelPrivate {
		return
	}
	var user int64
	if m.Sender != nil {
		if m.Sender.IsBot {
			return
		}
		user = m.Sender.ID
	}
	text := strings.TrimSpace(m.Text)
	if text == "" {
		text = strings.TrimSpace(m.Caption)
	}
	cmd, payload, forOther := b.command(text)
	if forOther {
		return
	}
	// In a group only messages addressed to the bot count; the rest of the
	// conversation is none of its business (and gets no refusal either).
	addressed := private || isCommand(cmd) || b.mentioned(m) ||
		(m.ReplyTo != nil && m.ReplyTo.Sender != nil && m.ReplyTo.Sender.ID == b.me.ID)
	if !addressed {
		return
	}
	if !b.allowed(user, chat) {
		b.deny(chat, user, private, m.ID)
		return
	}
	ctx := context.Background()
	if m.Document != nil && private {
		b.onDocument(ctx, m, user)
		return
	}
	if m.Document != nil && b.isAdmin(user) {
		b.reply(ctx, chat, m.ID, esc(textUploadPrivately))
		return
	}
	if m.Text == "" {
		b.reply(ctx, chat, m.ID, esc(textOnlyText))
		return
	}
	key := convKey(chat, user, private)
	switch cmd {
	case "":
		q := text
		if !private {
			q = b.stripMention(text)
		}
		if q == "" {
			b.reply(ctx, chat, m.ID, esc(textAskUsage))
			return
		}
		b.ask(m, user, key, q)
	case "ask":
		if payload == "" {
			b.reply(ctx, chat, m.ID, esc(textAskUsage))
			return
		}
		b.ask(m, user, key, b.stripMention(payload))
	case "start", "help":
		help := fmt.Sprintf(textHelp, esc(b.me.Username))
		if b.isAdmin(user) {
			help += "\n\n" + esc(adminHelp())
		}
		b.reply(ctx, chat, m.ID, help)
	case "new":
		b.mem.clear(key)
		b.reply(ctx, chat, m.ID, esc(textNewDone))
	case "docs":
		html, kb := b.docsPage(0)
		b.sendWithKeyboard(ctx, chat, m.ID, html, kb)
	case "stats":
		if !b.isAdmin(user) {
			b.reply(ctx, chat, m.ID, esc(textAdminOnly))
			return
		}
		b.reply(ctx, chat, m.ID, b.statsText())
	case "reload":
		if !b.isAdmin(user) {
			b.reply(ctx, chat, m.ID, esc(textAdminOnly))
			return
		}
		b.reload(ctx, chat, m.ID)
	case "remove":
		if !b.isAdmin(user) {
			b.reply(ctx, chat, m.ID, esc(textAdminOnly))
			return
		}
		b.onRemove(ctx, chat, m.ID, payload)
	default:
		if private {
			b.reply(ctx, chat, m.ID, esc(textUnknownCmd))
		}
	}
}

// deny sends the refusal with the user's id, at most once per user (or per
// chat, for messages without a sender) per hour.
func (b *Bot) deny(chat, user int64, private bool, replyTo int) {
	key := user
	if key == 0 {
		key = chat
	}
	b.log.Info("denied", "chat", chat, "user", user)
	if !b.denied.take(key, b.now()) {
		return
	}
	if user == 0 {
		return // nobody to tell their id to
	}
	b.reply(context.Background(), chat, replyTo, esc(deniedText(user, chat, private)))
}

func (b *Bot) statsText() string {
	q, failed, p50, p95 := b.stats.snapshot()
	up, down := b.feedback.counts()
	return fmt.Sprintf("<b>运行统计</b>（自本次启动）\n提问：%d（失败 %d）\n耗时：p50 %s · p95 %s\n反馈：👍 %d · 👎 %d",
		q, failed, seconds(p50), seconds(p95), up, down)
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.1f 秒", d.Seconds()) }

func (b *Bot) reload(ctx context.Context, chat int64, replyTo int) {
	r, ok := b.ans.(Reloader)
	if !ok {
		b.reply(ctx, chat, replyTo, esc(textNoReload))
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	var summary string
	var err error
	lowPriority(func() { summary, err = r.Reload(ctx) })
	if err != nil {
		b.log.Warn("reload failed", "error", err)
		b.reply(ctx, chat, replyTo, esc("重新加载失败，仍在使用原有文件库："+err.Error()))
		return
	}
	b.log.Info("reloaded", "summary", summary)
	b.reply(ctx, chat, replyTo, esc("已重新加载文件库。"+summary))
}

// Callback data: "s:<chunk id>" shows a source passage, "f:u:<answer id>" and
// "f:d:<answer id>" rate an answer. Chunk ids are stable across restarts
// and reloads, so source buttons on old answers keep working.
const (
	cbSource   = "s:"
	cbFeedback = "f:"
)

func (b *Bot) onCallback(c *tb.Callback) {
	var user, chat int64
	private := true
	if c.Sender != nil {
		user = c.Sender.ID
		chat = user
	}
	msgID := 0
	if c.Message != nil && c.Message.Chat != nil {
		chat, msgID = c.Message.Chat.ID, c.Message.ID
		private = c.Message.Chat.Type == tb.ChatPrivate
	}
	if !b.allowed(user, chat) {
		b.log.Info("denied callback", "chat", chat, "user", user)
		text := ""
		if user != 0 && b.denied.take(user, b.now()) {
			text = deniedText(user, chat, private)
		}
		b.respond(c.ID, text, text != "")
		return
	}
	switch {
	case strings.HasPrefix(c.Data, cbSource):
		b.showSource(c, chat, msgID)
	case strings.HasPrefix(c.Data, cbFeedback):
		b.onFeedback(c, user, chat)
	case strings.HasPrefix(c.Data, cbDocsPage), strings.HasPrefix(c.Data, cbRemovePage), strings.HasPrefix(c.Data, cbRemoveAsk),
		strings.HasPrefix(c.Data, cbRemoveDo), c.Data == cbRemoveAbort:
		b.onLibraryCallback(c, user, chat, msgID)
	default:
		b.respond(c.ID, textBadButton, false)
	}
}

func isChunkID(s string) bool {
	if len(s) != 16 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

func (b *Bot) showSource(c *tb.Callback, chat int64, msgID int) {
	id := strings.TrimPrefix(c.Data, cbSource)
	if !isChunkID(id) {
		b.respond(c.ID, textBadButton, false)
		return
	}
	p, ok := b.ans.Passage(id)
	if !ok {
		b.respond(c.ID, b.goneText(id), true)
		return
	}
	b.respond(c.ID, "", false)
	b.reply(context.Background(), chat, msgID, renderPassage(p))
}

func (b *Bot) onFeedback(c *tb.Callback, user, chat int64) {
	rest := strings.TrimPrefix(c.Data, cbFeedback)
	vote, id, ok := strings.Cut(rest, ":")
	if !ok || (vote != "u" && vote != "d") || id == "" {
		b.respond(c.ID, textBadButton, false)
		return
	}
	if !b.voted.take(voteKey(id, user), b.now()) {
		b.respond(c.ID, textVotedTwice, false)
		return
	}
	rec := FeedbackRecord{Time: b.now().UTC(), Vote: map[string]string{"u": "up", "d": "down"}[vote], User: user, Chat: chat, AnswerID: id}
	if a, ok := b.answers.get(id); ok {
		rec.Question, rec.Answer, rec.Sources = a.Question, a.Answer, a.Sources
	} else if c.Message != nil {
		// Asked before a restart: keep what the message itself shows.
		rec.Answer = c.Message.Text
		if c.Message.ReplyTo != nil {
			rec.Question = c.Message.ReplyTo.Text
		}
	}
	if err := b.feedback.add(rec); err != nil {
		b.log.Warn("record feedback", "error", err)
	}
	b.log.Info("feedback", "chat", chat, "user", user, "vote", rec.Vote, "answer_id", id)
	b.respond(c.ID, textThanks, false)
}

// voteKey folds an answer id and a user into one key for the once-only check.
func voteKey(answerID string, user int64) int64 {
	var h uint64 = 1469598103934665603
	for i := 0; i < len(answerID); i++ {
		h = (h ^ uint64(answerID[i])) * 1099511628211
	}
	return int64(h ^ uint64(user)*0x9E3779B97F4A7C15)
}
