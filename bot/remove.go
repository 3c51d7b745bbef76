package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	tb "gopkg.in/telebot.v3"
)

// Callback data of the document list and of removal. A source is named by
// a short hash of its path, since paths can be longer than the 64 bytes
// callback data may hold.
const (
	cbDocsPage    = "dp:" // dp:<page>: a page of /docs
	cbRemovePage  = "rl:" // rl:<page>: a page of /remove's list
	cbRemoveAsk   = "rm:" // rm:<source hash>: ask to confirm removing a file
	cbRemoveDo    = "rc:" // rc:<source hash>: confirmed
	cbRemoveAbort = "rx"
)

// docsPerPage is how many files one page of /docs or /remove shows.
const docsPerPage = 10

// sourceKey is the short hash naming a source in callback data.
func sourceKey(src string) string {
	sum := sha256.Sum256([]byte(src))
	return hex.EncodeToString(sum[:8])
}

// libFile is one indexed file with its documents.
type libFile struct {
	Source string
	Title  string // the first document's
	Date   string
	Issuer string
	Chunks int
	Docs   int
}

// files lists the indexed files in index order.
func (b *Bot) files() []libFile {
	var out []libFile
	at := map[string]int{}
	for _, d := range b.ans.Documents() {
		i, ok := at[d.Source]
		if !ok {
			at[d.Source] = len(out)
			out = append(out, libFile{Source: d.Source, Title: d.Title, Date: d.Date, Issuer: d.Issuer})
			i = len(out) - 1
		}
		out[i].Chunks += d.Chunks
		out[i].Docs++
	}
	return out
}

func pages(n int) int { return max(1, (n+docsPerPage-1)/docsPerPage) }

// docsPage renders page p (0-based) of /docs: title, issuer, date, chunks
// and file of each document, with page buttons when there is more than one.
func (b *Bot) docsPage(p int) (string, *keyboard) {
	docs := b.ans.Documents()
	if len(docs) == 0 {
		return esc(textNoDocs), nil
	}
	np := pages(len(docs))
	p = min(max(p, 0), np-1)
	var s strings.Builder
	fmt.Fprintf(&s, "<b>已收录 %d 份文件</b>", len(docs))
	if np > 1 {
		fmt.Fprintf(&s, "（第 %d/%d 页）", p+1, np)
	}
	for i := p * docsPerPage; i < min(len(docs), (p+1)*docsPerPage); i++ {
		d := docs[i]
		var meta []string
		if d.Issuer != "" {
			meta = append(meta, d.Issuer)
		}
		if d.Date != "" {
			meta = append(meta, d.Date)
		}
		meta = append(meta, fmt.Sprintf("%d 段", d.Chunks))
		fmt.Fprintf(&s, "\n%s\n　%s\n　<code>%s</code>", esc(fmt.Sprintf("%d. %s", i+1, title(d.Title))), esc(strings.Join(meta, " · ")), esc(d.Source))
	}
	return s.String(), pager(cbDocsPage, p, np)
}

// pager is the ◀ / ▶ row of a paginated list, nil for one page.
func pager(prefix string, p, np int) *keyboard {
	if np <= 1 {
		return nil
	}
	var row []button
	if p > 0 {
		row = append(row, button{Text: "◀ 上一页", CallbackData: prefix + strconv.Itoa(p-1)})
	}
	if p < np-1 {
		row = append(row, button{Text: "下一页 ▶", CallbackData: prefix + strconv.Itoa(p+1)})
	}
	return &keyboard{InlineKeyboard: [][]button{row}}
}

// removeList renders page p of the files an admin may remove, a button each.
func (b *Bot) removeList(files []libFile, p int, head string) (string, *keyboard) {
	np := pages(len(files))
	p = min(max(p, 0), np-1)
	kb := &keyboard{}
	for i := p * docsPerPage; i < min(len(files), (p+1)*docsPerPage); i++ {
		f := files[i]
		kb.InlineKeyboard = append(kb.InlineKeyboard, []button{{
			Text:         "🗑 " + shorten(title(f.Title), 18) + " · " + shorten(path.Base(f.Source), 16),
			CallbackData: cbRemoveAsk + sourceKey(f.Source),
		}})
	}
	if pg := pager(cbRemovePage, p, np); pg != nil {
		kb.InlineKeyboard = append(kb.InlineKeyboard, pg.InlineKeyboard...)
	}
	if np > 1 {
		head += fmt.Sprintf("（第 %d/%d 页）", p+1, np)
	}
	return esc(head), kb
}

// onRemove handles /remove [file] from an admin.
func (b *Bot) onRemove(ctx context.Context, chat int64, replyTo int, arg string) {
	if _, ok := b.ans.(Library); !ok {
		b.reply(ctx, chat, replyTo, esc(textNoLibrary))
		return
	}
	files := b.files()
	if len(files) == 0 {
		b.reply(ctx, chat, replyTo, esc(textNoDocs))
		return
	}
	if arg == "" {
		html, kb := b.removeList(files, 0, "要删除哪个文件？点击文件后还需要确认。")
		b.sendWithKeyboard(ctx, chat, replyTo, html, kb)
		return
	}
	match := matchFiles(files, arg)
	switch len(match) {
	case 0:
		b.reply(ctx, chat, replyTo, esc(fmt.Sprintf("没有找到文件「%s」。发送 /remove 查看文件列表，或 /docs 查看文件名。", arg)))
	case 1:
		html, kb := confirmRemove(match[0])
		b.sendWithKeyboard(ctx, chat, replyTo, html, kb)
	default:
		html, kb := b.removeList(match, 0, fmt.Sprintf("有 %d 个文件与「%s」相符，要删除哪一个？", len(match), arg))
		b.sendWithKeyboard(ctx, chat, replyTo, html, kb)
	}
}

func (b *Bot) sendWithKeyboard(ctx context.Context, chat int64, replyTo int, html string, kb *keyboard) {
	if _, err := b.send(ctx, chat, html, replyTo, kb); err != nil {
		b.log.Warn("send reply", "chat", chat, "error", err)
	}
}

// matchFiles finds the files an admin's /remove argument names: the exact
// source or file name if one has it, else every file whose path or title
// contains it.
func matchFiles(files []libFile, arg string) []libFile {
	arg = strings.TrimSpace(arg)
	for _, f := range files {
		if f.Source == arg || path.Base(f.Source) == arg {
			return []libFile{f}
		}
	}
	var out []libFile
	for _, f := range files {
		if strings.Contains(f.Source, arg) || strings.Contains(f.Title, arg) {
			out = append(out, f)
		}
	}
	return out
}

func confirmRemove(f libFile) (string, *keyboard) {
	html := esc(fmt.Sprintf("确定要删除 %s 吗？\n文件：%s（%d 段）\n删除后回答中不再引用它；文件会移到文件库的 %s/ 文件夹，随时可以恢复。",
		title(f.Title), f.Source, f.Chunks, removedDir))
	return html, &keyboard{InlineKeyboard: [][]button{{
		{Text: "✅ 确认删除", CallbackData: cbRemoveDo + sourceKey(f.Source)},
		{Text: "取消", CallbackData: cbRemoveAbort},
	}}}
}

// onLibraryCallback handles the buttons of /docs and /remove.
func (b *Bot) onLibraryCallback(c *tb.Callback, user, chat int64, msgID int) {
	ctx := context.Background()
	data := c.Data
	if strings.HasPrefix(data, cbDocsPage) {
		p, err := strconv.Atoi(strings.TrimPrefix(data, cbDocsPage))
		if err != nil {
			b.respond(c.ID, textBadButton, false)
			return
		}
		b.respond(c.ID, "", false)
		html, kb := b.docsPage(p)
		if err := b.edit(ctx, chat, msgID, html, kb, true); err != nil {
			b.log.Warn("docs page", "chat", chat, "error", err)
		}
		return
	}
	if !b.isAdmin(user) {
		b.respond(c.ID, textAdminOnly, true)
		return
	}
	if _, ok := b.ans.(Library); !ok {
		b.respond(c.ID, textNoLibrary, true)
		return
	}
	switch {
	case strings.HasPrefix(data, cbRemovePage):
		p, err := strconv.Atoi(strings.TrimPrefix(data, cbRemovePage))
		if err != nil {
			b.respond(c.ID, textBadButton, false)
			return
		}
		b.respond(c.ID, "", false)
		html, kb := b.removeList(b.files(), p, "要删除哪个文件？点击文件后还需要确认。")
		if err := b.edit(ctx, chat, msgID, html, kb, true); err != nil {
			b.log.Warn("remove page", "chat", chat, "error", err)
		}
	case strings.HasPrefix(data, cbRemoveAsk):
		f, ok := b.fileByKey(strings.TrimPrefix(data, cbRemoveAsk))
		if !ok {
			b.respond(c.ID, textRemoved, true)
			return
		}
		b.respond(c.ID, "", false)
		html, kb := confirmRemove(f)
		if err := b.edit(ctx, chat, msgID, html, kb, true); err != nil {
			b.log.Warn("remove confirm", "chat", chat, "error", err)
		}
	case strings.HasPrefix(data, cbRemoveDo):
		b.respond(c.ID, "", false)
		b.removeFile(ctx, chat, msgID, user, strings.TrimPrefix(data, cbRemoveDo))
	case data == cbRemoveAbort:
		b.respond(c.ID, "", false)
		if err := b.edit(ctx, chat, msgID, esc(textRemoveCancelled), nil, true); err != nil {
			b.log.Warn("remove cancel", "chat", chat, "error", err)
		}
	default:
		b.respond(c.ID, textBadButton, false)
	}
}

func (b *Bot) fileByKey(key string) (libFile, bool) {
	for _, f := range b.files() {
		if sourceKey(f.Source) == key {
			return f, true
		}
	}
	return libFile{}, false
}

// removeFile moves a file to <corpus>/.removed/ (same relative path) and
// re-ingests, editing the confirmation message with the outcome.
func (b *Bot) removeFile(ctx context.Context, chat int64, msgID int, user int64, key string) {
	lib := b.ans.(Library)
	show := func(text string) {
		if err := b.edit(ctx, chat, msgID, esc(text), nil, true); err != nil {
			b.log.Warn("remove reply", "chat", chat, "error", err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, uploadTimeout)
	defer cancel()
	b.libMu.Lock()
	defer b.libMu.Unlock()
	f, ok := b.fileByKey(key)
	if !ok {
		show(textRemoved + "，无需再删除。")
		return
	}
	show(textRemoving)
	corpus := lib.Corpus()
	from := filepath.Join(corpus, filepath.FromSlash(f.Source))
	to, err := removedPath(corpus, f.Source, b.now())
	if err == nil {
		err = os.Rename(from, to)
	}
	if err != nil {
		b.log.Warn("remove file", "file", f.Source, "error", err)
		show("抱歉，删除失败：" + err.Error())
		return
	}
	b.log.Info("file removed", "chat", chat, "user", user, "file", f.Source, "to", to)
	rel, _ := filepath.Rel(corpus, to)
	lowPriority(func() { _, err = lib.Ingest(ctx) })
	if err != nil {
		b.log.Warn("ingest after removal", "file", f.Source, "error", err)
		show(fmt.Sprintf("文件已移到 %s，但更新索引失败：%s。请稍后发送 /reload。", filepath.ToSlash(rel), err))
		return
	}
	show(fmt.Sprintf("🗑 已删除 %s（%s）。\n文件已移到 %s；把它移回原处再发送 /reload 即可恢复。", title(f.Title), f.Source, filepath.ToSlash(rel)))
}

// removedPath is where a removed source goes: .removed/<source>, or with
// the time added when a file of that name was removed before.
func removedPath(corpus, src string, now time.Time) (string, error) {
	to := filepath.Join(corpus, removedDir, filepath.FromSlash(src))
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return "", err
	}
	if _, err := os.Lstat(to); errors.Is(err, os.ErrNotExist) {
		return to, nil
	}
	ext := filepath.Ext(to)
	return strings.TrimSuffix(to, ext) + "." + now.UTC().Format("20060102T150405") + ext, nil
}
