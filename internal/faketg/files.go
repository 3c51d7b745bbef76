package faketg

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// CloudFileLimit is the largest file the cloud Bot API's getFile serves
// (20 MB); a self-hosted server started with --local serves more.
const CloudFileLimit = 20 << 20

// storedFile is a file users sent, kept for getFile and the download URL.
type storedFile struct {
	doc  Document
	data []byte
	path string // file_path, once getFile was called
}

// SetFileLimit sets the largest file getFile serves; 0 means no limit (a
// server started with --local). The default is CloudFileLimit.
func (s *Server) SetFileLimit(n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fileLimit = n
}

// SetLocalDir makes the server behave as telegram-bot-api started with
// --local: getFile writes the file into dir and answers with its absolute
// path, which the bot reads from disk. Empty switches back to download URLs.
func (s *Server) SetLocalDir(dir string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.localDir = dir
}

// SendFile pushes a message from `from` in chat carrying a document named
// fileName with the given bytes, which getFile and the download URL then
// serve. Its file_size is len(data).
func (s *Server) SendFile(chat Chat, from *User, fileName string, data []byte) Message {
	return s.SendFileSized(chat, from, fileName, data, int64(len(data)))
}

// SendFileSized is SendFile with the file_size the message reports, so a
// test can stand for a big file without holding its bytes.
func (s *Server) SendFileSized(chat Chat, from *User, fileName string, data []byte, size int64) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.chatLocked(chat)
	s.nextFile++
	n := strconv.Itoa(s.nextFile)
	doc := Document{FileID: "BQACAgIAAx" + n, FileUniqueID: "AgAD" + n, FileName: fileName, MimeType: "application/octet-stream", FileSize: size}
	s.files[doc.FileID] = &storedFile{doc: doc, data: append([]byte(nil), data...)}
	m := &Message{MessageID: cs.newID(), From: from, Date: time.Now().Unix(), Chat: chat, Document: &doc}
	cs.msgs[m.MessageID] = m
	s.pushLocked(Update{Message: m})
	return *m
}

// Downloads returns the file paths the bot downloaded from /file/bot<token>/, in order.
func (s *Server) Downloads() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.downloads...)
}

// getFile answers as the Bot API does: the File object with a file_path
// valid for an hour, or "file is too big" past the server's limit.
func (s *Server) getFile(_ context.Context, p *paramReader) (any, error) {
	id := p.str("file_id", true)
	if p.err != nil {
		return nil, p.err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.files[id]
	if f == nil {
		return nil, badRequest("invalid file_id")
	}
	if s.fileLimit > 0 && f.doc.FileSize > s.fileLimit {
		return nil, badRequest("file is too big")
	}
	if s.localDir != "" {
		p := filepath.Join(s.localDir, "documents", "file_"+strings.TrimPrefix(id, "BQACAgIAAx"))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return nil, err
		}
		return map[string]any{"file_id": f.doc.FileID, "file_unique_id": f.doc.FileUniqueID, "file_size": f.doc.FileSize, "file_path": p}, nil
	}
	if f.path == "" {
		ext := ""
		if i := strings.LastIndexByte(f.doc.FileName, '.'); i >= 0 && !strings.ContainsAny(f.doc.FileName[i:], "/\\") {
			ext = f.doc.FileName[i:]
		}
		f.path = "documents/file_" + strings.TrimPrefix(id, "BQACAgIAAx") + ext
	}
	return map[string]any{"file_id": f.doc.FileID, "file_unique_id": f.doc.FileUniqueID, "file_size": f.doc.FileSize, "file_path": f.path}, nil
}

// serveFile serves GET /file/bot<token>/<file_path>.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rest string) {
	token, path, ok := strings.Cut(rest, "/")
	if !ok || token != s.Token {
		writeError(w, &apiError{code: 401, description: "Unauthorized"})
		return
	}
	if r.Method != http.MethodGet {
		writeError(w, &apiError{code: 405, description: "Method Not Allowed"})
		return
	}
	s.mu.Lock()
	s.downloads = append(s.downloads, path)
	var data []byte
	found := false
	for _, f := range s.files {
		if f.path != "" && f.path == path {
			data, found = f.data, true
			break
		}
	}
	s.mu.Unlock()
	if !found {
		writeError(w, &apiError{code: 404, description: "Not Found"})
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}
