package faketg

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestFilesAreServedAsTheBotAPIServesThem(t *testing.T) {
	s := New("1:tok")
	defer s.Close()
	u := User{ID: 5, FirstName: "A"}
	small := s.SendFile(PrivateChat(u), &u, "通知.txt", []byte("正文"))
	big := s.SendFileSized(PrivateChat(u), &u, "big.pdf", nil, 25<<20)

	tests := []struct {
		name, body string
		code       int
		want       string
	}{
		{"getFile gives the file path and size", `{"file_id":"` + small.Document.FileID + `"}`, 200, `"file_path":"documents/file_1.txt"`},
		{"getFile of a file over 20 MB says it is too big", `{"file_id":"` + big.Document.FileID + `"}`, 400, "Bad Request: file is too big"},
		{"getFile of an unknown id is a bad request", `{"file_id":"nope"}`, 400, "invalid file_id"},
		{"getFile without an id is a bad request", `{}`, 400, "file_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := post(t, s, "getFile", tt.body)
			raw := jsonString(t, out)
			if code != tt.code || !strings.Contains(raw, tt.want) {
				t.Errorf("got %d %s, want %d with %q", code, raw, tt.code, tt.want)
			}
		})
	}
	t.Run("the file path downloads the bytes", func(t *testing.T) {
		resp, err := http.Get(s.URL + "/file/bot1:tok/documents/file_1.txt")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || string(body) != "正文" {
			t.Errorf("got %d %q, want 200 %q", resp.StatusCode, body, "正文")
		}
		if got := s.Downloads(); len(got) != 1 || got[0] != "documents/file_1.txt" {
			t.Errorf("got downloads %q, want the one path", got)
		}
	})
	t.Run("a wrong token downloads nothing", func(t *testing.T) {
		resp, err := http.Get(s.URL + "/file/bot2:bad/documents/file_1.txt")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Errorf("got %d, want 401", resp.StatusCode)
		}
	})
	t.Run("a server without the limit (--local) serves big files", func(t *testing.T) {
		s.SetFileLimit(0)
		if code, out := post(t, s, "getFile", `{"file_id":"`+big.Document.FileID+`"}`); code != 200 {
			t.Errorf("got %d %v, want 200", code, out)
		}
	})
}

func jsonString(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
