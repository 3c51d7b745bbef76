package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	tb "gopkg.in/telebot.v3"
)

// The request bodies below use only parameters documented at
// https://core.telegram.org/bots/api (reply_parameters rather than the
// deprecated reply_to_message_id, link_preview_options rather than
// disable_web_page_preview), which telebot v3's helpers do not all do.

type keyboard struct {
	InlineKeyboard [][]button `json:"inline_keyboard"`
}

type button struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

type replyParameters struct {
	MessageID                int  `json:"message_id"`
	AllowSendingWithoutReply bool `json:"allow_sending_without_reply"`
}

type linkPreview struct {
	IsDisabled bool `json:"is_disabled"`
}

type sendMessage struct {
	ChatID      int64            `json:"chat_id"`
	Text        string           `json:"text"`
	ParseMode   string           `json:"parse_mode,omitempty"`
	LinkPreview *linkPreview     `json:"link_preview_options,omitempty"`
	ReplyTo     *replyParameters `json:"reply_parameters,omitempty"`
	Markup      *keyboard        `json:"reply_markup,omitempty"`
}

type editMessageText struct {
	ChatID      int64        `json:"chat_id"`
	MessageID   int          `json:"message_id"`
	Text        string       `json:"text"`
	ParseMode   string       `json:"parse_mode,omitempty"`
	LinkPreview *linkPreview `json:"link_preview_options,omitempty"`
	Markup      *keyboard    `json:"reply_markup,omitempty"`
}

type answerCallback struct {
	ID        string `json:"callback_query_id"`
	Text      string `json:"text,omitempty"`
	ShowAlert bool   `json:"show_alert,omitempty"`
}

type chatAction struct {
	ChatID int64  `json:"chat_id"`
	Action string `json:"action"`
}

type botCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// maxFloodWait caps how long one request waits for Telegram's flood control.
const maxFloodWait = 60 * time.Second

// floodWait reports the retry_after of a 429 error.
func floodWait(err error) (time.Duration, bool) {
	var fe tb.FloodError
	if errors.As(err, &fe) {
		return time.Duration(fe.RetryAfter) * time.Second, true
	}
	return 0, false
}

func isParseError(err error) bool {
	return err != nil && strings.Contains(err.Error(), "can't parse entities")
}

func isNotModified(err error) bool {
	return err != nil && strings.Contains(err.Error(), "message is not modified")
}

// checkOK reports an answer that is not the documented {"ok":true,...}
// object. telebot treats a body it cannot decode (say an HTML error page
// from a proxy) as success; the bot must not.
func checkOK(data []byte) error {
	var resp struct {
		OK          *bool  `json:"ok"`
		Description string `json:"description"`
	}
	if err := json.Unmarshal(data, &resp); err != nil || resp.OK == nil {
		return fmt.Errorf("answer is not a Bot API response: %q", shorten(string(data), 120))
	}
	if !*resp.OK {
		return fmt.Errorf("telegram error without a description: %q", shorten(string(data), 120))
	}
	return nil
}

// isAPIError reports whether data is a documented error object, with
// "ok": false and a description telebot can report.
func isAPIError(data []byte) bool {
	var resp struct {
		OK          *bool  `json:"ok"`
		Description string `json:"description"`
	}
	return json.Unmarshal(data, &resp) == nil && resp.OK != nil && !*resp.OK && resp.Description != ""
}

// raw calls method, waiting out 429 retry_after (up to 3 times) when retry is set.
func (b *Bot) raw(ctx context.Context, method string, payload any, retry bool) ([]byte, error) {
	for attempt := 0; ; attempt++ {
		data, err := b.api.Raw(method, payload)
		if len(data) > 0 && !isAPIError(data) {
			// Not a documented error object: telebot either took it for
			// success or reports it as an empty "telegram:  (0)".
			err = checkOK(data)
		}
		if err == nil {
			return data, nil
		}
		wait, flood := floodWait(err)
		if !flood || !retry || attempt >= 3 || wait > maxFloodWait {
			return nil, fmt.Errorf("%s: %w", method, b.scrubErr(err))
		}
		b.log.Debug("flood control", "method", method, "retry_after", wait)
		sleep(ctx, wait)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: waiting out flood control: %w", method, ctx.Err())
		}
	}
}

// send sends Telegram HTML to chat, as a reply to replyTo when it is not 0.
// If Telegram rejects the markup it resends the text as plain text.
func (b *Bot) send(ctx context.Context, chat int64, html string, replyTo int, kb *keyboard) (int, error) {
	p := sendMessage{ChatID: chat, Text: html, ParseMode: "HTML", LinkPreview: &linkPreview{IsDisabled: true}, Markup: kb}
	if replyTo != 0 {
		p.ReplyTo = &replyParameters{MessageID: replyTo, AllowSendingWithoutReply: true}
	}
	data, err := b.raw(ctx, "sendMessage", p, true)
	if isParseError(err) {
		b.log.Warn("Telegram rejected HTML; sending plain text", "chat", chat, "error", b.scrub(err))
		p.Text, p.ParseMode = htmlToPlain(html), ""
		data, err = b.raw(ctx, "sendMessage", p, true)
	}
	if err != nil {
		return 0, err
	}
	var resp struct {
		Result tb.Message `json:"result"`
	}
	if err := json.Unmarshal(data, &resp); err != nil {
		return 0, fmt.Errorf("decode sent message: %w", err)
	}
	return resp.Result.ID, nil
}

// edit replaces the text of the bot's message. "Message is not modified"
// counts as success. With retry unset a 429 is returned at once (streaming
// skips that edit); with it set the call waits retry_after and tries again.
func (b *Bot) edit(ctx context.Context, chat int64, msg int, html string, kb *keyboard, retry bool) error {
	p := editMessageText{ChatID: chat, MessageID: msg, Text: html, ParseMode: "HTML", LinkPreview: &linkPreview{IsDisabled: true}, Markup: kb}
	_, err := b.raw(ctx, "editMessageText", p, retry)
	if isParseError(err) {
		b.log.Warn("Telegram rejected HTML; editing as plain text", "chat", chat, "error", b.scrub(err))
		p.Text, p.ParseMode = htmlToPlain(html), ""
		_, err = b.raw(ctx, "editMessageText", p, retry)
	}
	if isNotModified(err) {
		return nil
	}
	return err
}

// respond answers a callback query, optionally with a notification text.
func (b *Bot) respond(id, text string, alert bool) {
	p := answerCallback{ID: id, Text: text, ShowAlert: alert}
	if _, err := b.raw(context.Background(), "answerCallbackQuery", p, false); err != nil {
		b.log.Warn("answer callback", "error", err)
	}
}

// typing shows "typing…" in chat.
func (b *Bot) typing(chat int64) {
	p := chatAction{ChatID: chat, Action: "typing"}
	if _, err := b.raw(context.Background(), "sendChatAction", p, false); err != nil {
		b.log.Debug("chat action", "chat", chat, "error", err)
	}
}

// reply sends html (split when long) as a reply to msg.
func (b *Bot) reply(ctx context.Context, chat int64, replyTo int, html string) {
	for i, part := range splitHTML(html, maxMessage) {
		r := replyTo
		if i > 0 {
			r = 0
		}
		if _, err := b.send(ctx, chat, part, r, nil); err != nil {
			b.log.Warn("send reply", "chat", chat, "error", err)
			return
		}
	}
}

// commands are registered with setMyCommands; admin commands are left out
// of the menu but still work for admins.
func botCommands() []tb.Command {
	return []tb.Command{
		{Text: "ask", Description: "提问（群聊中使用，如 /ask 问题）"},
		{Text: "new", Description: "开始新对话，清除上下文"},
		{Text: "docs", Description: "查看已收录的文件"},
		{Text: "help", Description: "使用说明和提问示例"},
		{Text: "start", Description: "开始使用"},
	}
}

func (b *Bot) setCommands(ctx context.Context) error {
	var cmds []botCommand
	for _, c := range botCommands() {
		cmds = append(cmds, botCommand{Command: c.Text, Description: c.Description})
	}
	_, err := b.raw(ctx, "setMyCommands", map[string]any{"commands": cmds}, true)
	return err
}
