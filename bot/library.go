package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	tb "gopkg.in/telebot.v3"

	"policybot/ingest"
)

// Library is implemented by engines whose corpus admins may change from
// Telegram: upload documents into it and remove them.
type Library interface {
	// Corpus is the folder the engine's documents are read from.
	Corpus() string
	// Ingest brings the index up to date with the corpus (the same build
	// /reload runs, one at a time) and swaps the new index in atomically;
	// answers use the old one until then. skipped holds the files the
	// build skipped, by source, with the reason.
	Ingest(ctx context.Context) (skipped map[string]error, err error)
	// Hashes maps the SHA-256 (lower-case hex) of every indexed file to its
	// source, the path relative to the corpus.
	Hashes() map[string]string
}

// Folders inside the corpus. Ingest skips folders whose name starts with a
// dot, so a file moved to .removed leaves the index, and moving it back
// restores it.
const (
	uploadsDir = "uploads"
	removedDir = ".removed"
)

// uploadExts are the formats offered for upload, in the order the refusal
// lists them; only those ingest reads (ingest.Readable) are accepted.
var uploadExts = []string{".txt", ".md", ".docx", ".pdf", ".ofd", ".html", ".htm"}

// acceptedExts returns the upload formats ingest reads.
func acceptedExts() []string {
	var out []string
	for _, e := range uploadExts {
		if ingest.Readable("x" + e) {
			out = append(out, e)
		}
	}
	return out
}

// cloudFileLimit is the most the cloud Bot API lets a bot download.
const cloudFileLimit = 20 << 20

// Texts about uploads and removal.
const (
	textUploadAdminOnly = "抱歉，只有管理员可以向文件库上传文件。如有问题，请直接输入文字提问。"
	textNoLibrary       = "当前的问答引擎不支持上传或删除文件。"
	textReceiving       = "📥 正在接收文件…"
	textIngesting       = "⏳ 文件已保存，正在解析并加入索引（期间仍可正常提问）…"
	textRemoving        = "⏳ 正在删除并更新索引（期间仍可正常提问）…"
	textRemoved         = "该文件已删除"
	textUpdated         = "该文件已更新"
	textRemoveCancelled = "已取消，文件没有删除。"
	textNoDocs          = "文件库中还没有文件。"
	textUploadPrivately = "上传文件请在与我的私聊中发送。"
)

// adminHelp is the part of /help only admins see.
func adminHelp() string {
	return "管理员：在私聊中直接发送文件（" + strings.Join(acceptedExts(), " ") + "）即可加入文件库；" +
		"/remove 删除文件（可恢复），/reload 重新加载文件夹，/stats 运行统计。"
}

// errTooBig is a file over the upload limit.
var errTooBig = errors.New("file too big")

// tooBigText explains the upload limit; size is 0 when unknown.
func tooBigText(size, limit int64) string {
	s := "文件太大"
	if size > 0 {
		s += fmt.Sprintf("（%.1f MB）", float64(size)/(1<<20))
	}
	s += fmt.Sprintf("，上传上限为 %d MB。", limit>>20)
	if limit <= cloudFileLimit {
		s += "Telegram 官方 Bot API 服务器只允许机器人下载 20 MB 以内的文件；请把文件拆分或压缩后再发送，或由管理员改用自建的 Bot API 服务器（--local 模式）并调高 telegram.max_upload_mb。"
	}
	return s
}

func formatsText() string {
	exts := acceptedExts()
	s := "不支持这种文件格式。可以上传的格式：" + strings.Join(exts, " ") + "。"
	if slices.Contains(exts, ".docx") {
		s += ".doc 和 .wps 文件请先另存为 .docx 再上传。"
	}
	return s
}

// onDocument handles a document sent in a private chat: an admin's upload.
func (b *Bot) onDocument(ctx context.Context, m *tb.Message, user int64) {
	chat := m.Chat.ID
	if !b.isAdmin(user) {
		b.log.Info("upload refused: not an admin", "chat", chat, "user", user)
		b.reply(ctx, chat, m.ID, esc(textUploadAdminOnly))
		return
	}
	lib, ok := b.ans.(Library)
	if !ok {
		b.reply(ctx, chat, m.ID, esc(textNoLibrary))
		return
	}
	d := m.Document
	ext := strings.ToLower(path.Ext(baseName(d.FileName)))
	if !ingest.Readable("x"+ext) || !isUploadExt(ext) {
		b.reply(ctx, chat, m.ID, esc(formatsText()))
		return
	}
	limit := int64(b.opts.MaxUploadMB) << 20
	if d.FileSize > limit {
		b.log.Info("upload refused: too big", "chat", chat, "user", user, "size", d.FileSize, "limit", limit)
		b.reply(ctx, chat, m.ID, esc(tooBigText(d.FileSize, limit)))
		return
	}
	status, err := b.send(ctx, chat, esc(textReceiving), m.ID, nil)
	if err != nil {
		b.log.Warn("send upload status", "chat", chat, "error", err)
		return
	}
	done := func(text string) {
		if err := b.edit(ctx, chat, status, text, nil, true); err != nil {
			b.log.Warn("upload reply", "chat", chat, "error", err)
		}
	}
	ctx, cancel := context.WithTimeout(ctx, uploadTimeout)
	defer cancel()

	// One change of the corpus at a time: the duplicate check, the write
	// and the ingest that follows must see each other's results.
	b.libMu.Lock()
	defer b.libMu.Unlock()
	data, err := b.download(ctx, d.FileID, limit)
	if errors.Is(err, errTooBig) {
		done(esc(tooBigText(d.FileSize, limit)))
		return
	}
	if err != nil {
		b.log.Warn("download upload", "chat", chat, "user", user, "error", err)
		done(esc("抱歉，文件下载失败，请稍后重新发送。"))
		return
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	if src, ok := lib.Hashes()[hash]; ok {
		done(esc(fmt.Sprintf("该文件已在文件库中：%s（%s），内容完全相同，无需重复上传。", b.titleOf(src), src)))
		return
	}
	name := safeName(d.FileName, hash)
	src := uploadsDir + "/" + name
	full := filepath.Join(lib.Corpus(), uploadsDir, name)
	if err := writeAtomic(full, data); err != nil {
		b.log.Warn("store upload", "file", src, "error", err)
		done(esc("抱歉，文件保存失败：" + err.Error()))
		return
	}
	b.log.Info("upload stored", "chat", chat, "user", user, "file", src, "bytes", len(data))
	if err := b.edit(ctx, chat, status, esc(textIngesting), nil, false); err != nil {
		b.log.Debug("upload status", "error", err)
	}
	var skipped map[string]error
	lowPriority(func() { skipped, err = lib.Ingest(ctx) })
	if why, ok := skipped[src]; ok {
		os.Remove(full)
		b.log.Info("upload skipped by ingest", "file", src, "reason", why)
		done(esc(fmt.Sprintf("⚠️ 未能收录「%s」：%s。文件已从 %s/ 删除。", displayName(d.FileName), skipReason(why), uploadsDir)))
		return
	}
	if err != nil {
		os.Remove(full)
		b.log.Warn("ingest upload", "file", src, "error", err)
		done(esc("抱歉，加入索引失败，文件未收录：" + err.Error()))
		return
	}
	docs := b.docsOf(src)
	if len(docs) == 0 {
		done(esc(fmt.Sprintf("文件已保存为 %s，但索引中没有找到它的内容。", src)))
		return
	}
	var s strings.Builder
	s.WriteString("✅ 已收录，现在可以就它提问了：")
	for _, d := range docs {
		s.WriteString("\n" + docLine(d))
	}
	s.WriteString("\n文件：" + src)
	b.log.Info("upload ingested", "file", src, "documents", len(docs))
	done(esc(s.String()))
}

// uploadTimeout bounds one upload: download, write and ingest.
const uploadTimeout = 30 * time.Minute

func isUploadExt(ext string) bool { return slices.Contains(uploadExts, ext) }

// docLine is "《title》 · date · N 段".
func docLine(d ingest.Document) string {
	line := title(d.Title)
	if d.Date != "" {
		line += " · " + d.Date
	}
	return line + fmt.Sprintf(" · %d 段", d.Chunks)
}

// docsOf returns the indexed documents of a source.
func (b *Bot) docsOf(src string) []ingest.Document {
	var out []ingest.Document
	for _, d := range b.ans.Documents() {
		if d.Source == src {
			out = append(out, d)
		}
	}
	return out
}

// titleOf names a source by its first document's title, else by the file.
func (b *Bot) titleOf(src string) string {
	if docs := b.docsOf(src); len(docs) > 0 {
		return title(docs[0].Title)
	}
	return "「" + path.Base(src) + "」"
}

// skipReason says in Chinese why ingest skipped a file.
func skipReason(err error) string {
	switch {
	case errors.Is(err, ingest.ErrEncrypted):
		return "文件设有密码保护"
	case errors.Is(err, ingest.ErrNoTextLayer):
		return "文件中没有文字层（可能是扫描件），无法提取文字"
	case errors.Is(err, ingest.ErrTooLarge):
		return "文件内容超出处理上限"
	case errors.Is(err, ingest.ErrDamaged):
		return "文件已损坏，或内容与扩展名不符"
	case errors.Is(err, ingest.ErrUnsupported):
		return "不支持这种格式"
	case err != nil && strings.Contains(err.Error(), "no text"):
		return "文件中没有可识别的文字内容"
	case err != nil:
		return "无法解析（" + err.Error() + "）"
	}
	return "无法解析"
}

// download fetches a file through getFile and the file URL, refusing one
// over limit bytes without reading more than limit+1 of it. A self-hosted
// Bot API server started with --local answers getFile with an absolute
// path on its own disk instead, which is read directly.
func (b *Bot) download(ctx context.Context, fileID string, limit int64) ([]byte, error) {
	data, err := b.raw(ctx, "getFile", map[string]string{"file_id": fileID}, true)
	if err != nil {
		if strings.Contains(err.Error(), "file is too big") {
			return nil, errTooBig
		}
		return nil, err
	}
	var resp struct {
		Result tb.File `json:"result"`
	}
	if err := json.Unmarshal(data, &resp); err != nil {
		return nil, fmt.Errorf("getFile: decode result: %w", err)
	}
	f := resp.Result
	if f.FileSize > limit {
		return nil, errTooBig
	}
	if f.FilePath == "" {
		return nil, errors.New("getFile: no file_path in the result")
	}
	var body io.Reader
	if filepath.IsAbs(f.FilePath) {
		fh, err := os.Open(f.FilePath)
		if err != nil {
			return nil, fmt.Errorf("read local Bot API file: %w", err)
		}
		defer fh.Close()
		body = fh
	} else {
		segs := strings.Split(f.FilePath, "/")
		for i, s := range segs {
			segs[i] = url.PathEscape(s)
		}
		u := b.opts.APIURL + "/file/bot" + b.token + "/" + strings.Join(segs, "/")
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, fmt.Errorf("download: %w", b.scrubErr(err))
		}
		r, err := b.client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("download: %w", b.scrubErr(err))
		}
		defer r.Body.Close()
		if r.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("download: HTTP %d", r.StatusCode)
		}
		body = r.Body
	}
	raw, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("download: %w", b.scrubErr(err))
	}
	if int64(len(raw)) > limit {
		return nil, errTooBig
	}
	return raw, nil
}

// safeName turns a user's file name into the name stored under uploads/:
// a readable stem (letters and digits of any script, '-' and '_'; paths,
// dots, control and other characters dropped; at most maxStem runes; no
// reserved device names), a short hash of the content, and the lower-cased
// extension, which the caller has checked against the allowed set.
func safeName(userName, hash string) string {
	base := baseName(userName)
	ext := strings.ToLower(path.Ext(base))
	if !isUploadExt(ext) {
		ext = ".txt"
	}
	stem := strings.TrimSuffix(base, path.Ext(base))
	var s strings.Builder
	n, under := 0, false
	for _, r := range stem {
		if n >= maxStem {
			break
		}
		ok := r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-')
		if !ok {
			if !under && s.Len() > 0 {
				s.WriteByte('_')
				n++
				under = true
			}
			continue
		}
		s.WriteRune(r)
		n++
		under = false
	}
	st := strings.Trim(s.String(), "_-")
	if st == "" {
		st = "upload"
	}
	if reservedName(st) {
		st = "file_" + st
	}
	return st + "_" + hash[:8] + ext
}

// displayName is a user's file name fit to quote in a reply: control
// characters dropped, at most 40 characters.
func displayName(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name)
	return shorten(name, 40)
}

// maxStem bounds the stored stem: 60 runes are at most 240 bytes with the
// hash and extension, under every file system's 255.
const maxStem = 60

// baseName strips any directory, with either slash, from a user's file name.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// reservedName reports Windows device names, which a copy of the corpus on
// Windows could not hold.
func reservedName(stem string) bool {
	s := strings.ToUpper(stem)
	switch s {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if len(s) == 4 && (strings.HasPrefix(s, "COM") || strings.HasPrefix(s, "LPT")) && s[3] >= '0' && s[3] <= '9' {
		return true
	}
	return false
}

// writeAtomic writes data to name through a hidden temporary file in the
// same folder (ingest skips dot files), synced and renamed into place.
func writeAtomic(name string, data []byte) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".upload-*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// citedSources remembers the source and title of the passages the bot
// cited, so a button on an old answer can say whether the passage's file
// was removed or changed. It holds at most max entries; when full it
// starts afresh (old buttons then get the generic message).
type citedSources struct {
	max int
	mu  sync.Mutex
	m   map[string]citedSource
}

type citedSource struct{ Source, Title string }

func newCitedSources(max int) *citedSources {
	return &citedSources{max: max, m: make(map[string]citedSource)}
}

func (c *citedSources) put(chunkID string, s citedSource) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.m[chunkID]; !ok && len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[chunkID] = s
}

func (c *citedSources) get(chunkID string) (citedSource, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.m[chunkID]
	return s, ok
}

// goneText says why a cited passage is no longer in the index: its file
// was removed, or it changed (the source is still indexed).
func (b *Bot) goneText(chunkID string) string {
	s, ok := b.cited.get(chunkID)
	if !ok {
		return textGone
	}
	if len(b.docsOf(s.Source)) > 0 {
		return fmt.Sprintf("%s：%s（%s）已换成新版本，这段原文已不在其中，请重新提问。", textUpdated, title(s.Title), s.Source)
	}
	return fmt.Sprintf("%s：%s（%s）已从文件库中移除，请重新提问。", textRemoved, title(s.Title), s.Source)
}

// staleNote tells a follow-up question that sources of the answer before it
// were removed or changed since; "" when all are still indexed.
func (b *Bot) staleNote(ids []string) string {
	var removed, updated []string
	seen := map[string]bool{}
	for _, id := range ids {
		if _, ok := b.ans.Passage(id); ok {
			continue
		}
		s, ok := b.cited.get(id)
		if !ok || seen[s.Source] {
			continue
		}
		seen[s.Source] = true
		if len(b.docsOf(s.Source)) > 0 {
			updated = append(updated, title(s.Title))
		} else {
			removed = append(removed, title(s.Title))
		}
	}
	var parts []string
	if len(removed) > 0 {
		parts = append(parts, "上一回答引用的"+strings.Join(removed, "、")+"："+textRemoved)
	}
	if len(updated) > 0 {
		parts = append(parts, "上一回答引用的"+strings.Join(updated, "、")+"："+textUpdated)
	}
	if len(parts) == 0 {
		return ""
	}
	return "ℹ️ " + strings.Join(parts, "；") + "。以下回答只依据现有文件。"
}
