package faketg

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func post(t *testing.T, s *Server, method, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(s.URL+"/bot"+s.Token+"/"+method, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

func TestRequestsAreCheckedAgainstTheDocumentedAPI(t *testing.T) {
	s := New("1:tok")
	defer s.Close()
	u := User{ID: 5, FirstName: "A"}
	s.SendText(PrivateChat(u), &u, "hi", nil)
	tests := []struct {
		name, method, body string
		code               int
		desc               string
	}{
		{"getMe works", "getMe", `{}`, 200, ""},
		{"a JSON body that is null, not an object, is refused", "getMe", `null`, 400, "can't parse JSON object"},
		{"a JSON body that is an array is refused", "getMe", `[]`, 400, "can't parse JSON object"},
		{"an unknown method is not found", "sendTelepathy", `{}`, 404, "Not Found"},
		{"an undocumented parameter is refused", "sendMessage", `{"chat_id":5,"text":"x","reply_to_message_id":1}`, 400, "not documented"},
		{"ids given as strings are accepted", "sendMessage", `{"chat_id":"5","text":"x"}`, 200, ""},
		{"an unknown chat is refused", "sendMessage", `{"chat_id":6,"text":"x"}`, 400, "chat not found"},
		{"unbalanced HTML is refused", "sendMessage", `{"chat_id":5,"text":"<b>x","parse_mode":"HTML"}`, 400, "can't parse entities"},
		{"an unsupported tag is refused", "sendMessage", `{"chat_id":5,"text":"<div>x</div>","parse_mode":"HTML"}`, 400, "Unsupported start tag"},
		{"a raw < is refused", "sendMessage", `{"chat_id":5,"text":"a < b","parse_mode":"HTML"}`, 400, "can't parse entities"},
		{"a text over 4096 characters is refused", "sendMessage", `{"chat_id":5,"text":"` + strings.Repeat("字", 4097) + `"}`, 400, "message is too long"},
		{"callback data over 64 bytes is refused", "sendMessage", `{"chat_id":5,"text":"x","reply_markup":{"inline_keyboard":[[{"text":"b","callback_data":"` + strings.Repeat("a", 65) + `"}]]}}`, 400, "BUTTON_DATA_INVALID"},
		{"reply_markup as a JSON string is accepted", "sendMessage", `{"chat_id":5,"text":"y","reply_markup":"{\"inline_keyboard\":[[{\"text\":\"b\",\"callback_data\":\"d\"}]]}"}`, 200, ""},
		{"editing a missing message is refused", "editMessageText", `{"chat_id":5,"message_id":99,"text":"x"}`, 400, "message to edit not found"},
		{"editing to the same text is 'not modified'", "editMessageText", `{"chat_id":5,"message_id":2,"text":"x"}`, 400, "message is not modified"},
		{"a wrong chat action is refused", "sendChatAction", `{"chat_id":5,"action":"dancing"}`, 400, "action"},
		{"an unknown callback query is refused", "answerCallbackQuery", `{"callback_query_id":"nope"}`, 400, "query ID is invalid"},
		{"an invalid command name is refused", "setMyCommands", `{"commands":[{"command":"Ask","description":"提问"}]}`, 400, "BOT_COMMAND_INVALID"},
		{"a plain-http webhook is refused", "setWebhook", `{"url":"http://x"}`, 400, "HTTPS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body := post(t, s, tc.method, tc.body)
			if code != tc.code {
				t.Errorf("got status %d (%v), want %d", code, body, tc.code)
			}
			if d, _ := body["description"].(string); !strings.Contains(d, tc.desc) {
				t.Errorf("got description %q, want it to contain %q", d, tc.desc)
			}
			if ok, _ := body["ok"].(bool); ok != (tc.code == 200) {
				t.Errorf("got ok=%v for status %d", ok, code)
			}
		})
	}
}

func TestWrongTokenIsUnauthorized(t *testing.T) {
	s := New("1:tok")
	defer s.Close()
	resp, err := http.Post(s.URL+"/bot1:other/getMe", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("got %d, want 401", resp.StatusCode)
	}
}

func TestFloodFailureCarriesRetryAfter(t *testing.T) {
	s := New("1:tok")
	defer s.Close()
	s.FailNext("getMe", TooManyRequests(7), 1)
	code, body := post(t, s, "getMe", "{}")
	params, _ := body["parameters"].(map[string]any)
	if code != 429 || body["error_code"] != float64(429) || params["retry_after"] != float64(7) ||
		body["description"] != "Too Many Requests: retry after 7" {
		t.Errorf("got %d %v, want Telegram's 429 body with parameters.retry_after 7", code, body)
	}
	if code, _ := post(t, s, "getMe", "{}"); code != 200 {
		t.Errorf("the failure did not count down: got %d", code)
	}
}

func TestGetUpdatesLongPollsAndConfirmsByOffset(t *testing.T) {
	s := New("1:tok")
	defer s.Close()
	u := User{ID: 5, FirstName: "A"}
	go func() {
		time.Sleep(100 * time.Millisecond)
		s.SendText(PrivateChat(u), &u, "/ask@policy_test_bot 问 @someone", nil)
	}()
	start := time.Now()
	_, body := post(t, s, "getUpdates", `{"timeout":5}`)
	if d := time.Since(start); d < 80*time.Millisecond || d > 3*time.Second {
		t.Errorf("long poll returned after %v, want when the update arrived", d)
	}
	res, _ := body["result"].([]any)
	if len(res) != 1 {
		t.Fatalf("got %v, want one update", body)
	}
	upd := res[0].(map[string]any)
	msg := upd["message"].(map[string]any)
	ents := msg["entities"].([]any)
	if len(ents) != 2 || ents[0].(map[string]any)["type"] != "bot_command" || ents[1].(map[string]any)["type"] != "mention" {
		t.Errorf("got entities %v, want bot_command and mention", ents)
	}
	id := int(upd["update_id"].(float64))
	_, body = post(t, s, "getUpdates", `{"offset":`+itoa(id+1)+`,"timeout":0}`)
	if res, _ := body["result"].([]any); len(res) != 0 {
		t.Errorf("got %v after confirming, want no updates", res)
	}
	if s.Pending() != 0 {
		t.Errorf("got %d pending, want 0", s.Pending())
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
