package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"policybot/config"
	"policybot/embed"
	"policybot/index"
	"policybot/rerank"
)

// probeText is what the embedder and the chat model are asked.
const probeText = "济源示范区"

// checkEmbedServer checks that the embedding server answers, serves the
// configured model and gives vectors of the index's dimension. name is the
// configured embedder's name.
func checkEmbedServer(ctx context.Context, r *Report, hc *http.Client, c config.Config, ix *index.Index, name string) {
	e := c.Embed
	keyFix := "put the server's API key in POLICYBOT_EMBED_API_KEY (or in the variable named by embed.api_key_env)"
	if e.APIKey.IsSet() {
		keyFix = "the key in POLICYBOT_EMBED_API_KEY (or embed.api_key_env, or the LLM key) is wrong: replace it"
	}
	models, status, err := listModels(ctx, hc, e.BaseURL, e.APIKey.Reveal(), e.Timeout)
	switch {
	case err != nil:
		r.fail(NeedAsk, "embedding server", fmt.Sprintf("%s does not answer: %v", e.BaseURL, err),
			"start the server, or correct embed.base_url / POLICYBOT_EMBED_BASE_URL")
		return
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		r.fail(NeedAsk, "embedding server", fmt.Sprintf("%s refused the API key (%d %s)", e.BaseURL, status, http.StatusText(status)), keyFix)
		return
	case status == http.StatusOK:
		r.pass("embedding server", "%s answers (%d model(s) listed)", e.BaseURL, len(models))
	default:
		// Some servers have no /models; the embedding request decides.
		r.pass("embedding server", "%s answers (GET /models: %d %s)", e.BaseURL, status, http.StatusText(status))
	}
	listed := hasModel(models, e.Model)

	oe, err := embed.NewOpenAI(embed.OpenAIConfig{BaseURL: e.BaseURL, Model: e.Model, APIKey: e.APIKey.Reveal(),
		MaxRetries: -1, Timeout: e.Timeout})
	if err != nil {
		r.fail(NeedAsk, "embedding model", err.Error(), "correct the embed section of the configuration")
		return
	}
	vecs, err := oe.Embed(ctx, []string{probeText})
	if err != nil {
		st := embed.HTTPStatus(err)
		switch {
		case st == http.StatusUnauthorized || st == http.StatusForbidden:
			r.fail(NeedAsk, "embedding model", fmt.Sprintf("%s refused the API key (%d)", e.Model, st), keyFix)
		case !listed && (st == http.StatusNotFound || st == http.StatusBadRequest):
			r.fail(NeedAsk, "embedding model", fmt.Sprintf("%s is not served by %s (it serves: %s)", e.Model, e.BaseURL, orNone(models)),
				"load or pull the model (ollama pull "+e.Model+"), or set embed.model / POLICYBOT_EMBED_MODEL to one it serves")
		default:
			r.fail(NeedAsk, "embedding model", fmt.Sprintf("%s failed to embed a test sentence: %v", e.Model, err),
				"check the server's log; is it started as an embedding server (llama-server --embedding)?")
		}
		return
	}
	if listed {
		r.pass("embedding model", "%s is served and embeds a test sentence", e.Model)
	} else {
		r.pass("embedding model", "%s embeds a test sentence (not listed by GET /models)", e.Model)
	}

	dim := len(vecs[0])
	rebuild := "policybot ingest --rebuild --index " + c.Index
	switch {
	case e.Dimensions > 0 && dim != e.Dimensions:
		r.fail(NeedAsk, "embedding dimension", fmt.Sprintf("%s gives %d dimensions, embed.dimensions says %d", e.Model, dim, e.Dimensions),
			fmt.Sprintf("set embed.dimensions to %d (or 0), or serve the intended model", dim))
	case ix != nil && ix.Manifest.Embedder == name && ix.Manifest.Dim != dim:
		r.fail(NeedAsk, "embedding dimension", fmt.Sprintf("%s gives %d dimensions, the index holds %d", e.Model, dim, ix.Manifest.Dim),
			"the server now runs another model under this name: serve the one the index was built with, or "+rebuild)
	case ix != nil && ix.Manifest.Embedder == name:
		r.pass("embedding dimension", "%d, as in the index", dim)
	default:
		r.pass("embedding dimension", "%d", dim)
	}
}

// checkChat asks the chat model a one-line question within llm.timeout.
// A failure is advice only: answers then fall back to excerpts.
func checkChat(ctx context.Context, r *Report, hc *http.Client, c config.Config) {
	l := c.LLM
	const fallback = " (meanwhile answers are excerpts from the documents)"
	cc := openai.DefaultConfig(l.APIKey.Reveal())
	cc.BaseURL = strings.TrimRight(l.BaseURL, "/")
	cc.HTTPClient = &http.Client{Transport: hc.Transport} // the deadline is llm.timeout's
	client := openai.NewClientWithConfig(cc)
	if l.Timeout <= 0 {
		l.Timeout = time.Minute
	}
	tctx, cancel := context.WithTimeout(ctx, l.Timeout)
	defer cancel()
	start := time.Now()
	resp, err := client.CreateChatCompletion(tctx, openai.ChatCompletionRequest{
		Model:     l.Model,
		Messages:  []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "请只回答一个字：好"}},
		MaxTokens: 16,
	})
	took := time.Since(start).Round(time.Millisecond)
	if err != nil {
		st := embed.HTTPStatus(err)
		switch {
		case tctx.Err() != nil && ctx.Err() == nil:
			r.fail(Advice, "chat model", fmt.Sprintf("%s at %s gave no answer within %s (llm.timeout)", l.Model, l.BaseURL, l.Timeout),
				"check that the server has the model loaded and is not overloaded, or raise llm.timeout / POLICYBOT_LLM_TIMEOUT"+fallback)
		case st == http.StatusUnauthorized || st == http.StatusForbidden:
			r.fail(Advice, "chat model", fmt.Sprintf("%s refused the API key (%d)", l.BaseURL, st),
				"put the right key in POLICYBOT_LLM_API_KEY (or the variable named by llm.api_key_env)"+fallback)
		case st == http.StatusNotFound:
			r.fail(Advice, "chat model", fmt.Sprintf("%s is not served by %s: %v", l.Model, l.BaseURL, err),
				"load or pull the model, or set llm.model / POLICYBOT_LLM_MODEL to one it serves"+fallback)
		case st == 0:
			r.fail(Advice, "chat model", fmt.Sprintf("%s does not answer: %v", l.BaseURL, transportError(err)),
				"start the server, or correct llm.base_url / POLICYBOT_LLM_BASE_URL"+fallback)
		default:
			r.fail(Advice, "chat model", fmt.Sprintf("%s failed: %v", l.Model, err), "check the server's log"+fallback)
		}
		return
	}
	if len(resp.Choices) == 0 {
		r.fail(Advice, "chat model", fmt.Sprintf("%s answered with no choices", l.Model), "check the server's log"+fallback)
		return
	}
	r.pass("chat model", "%s answered in %s (limit %s)", l.Model, took, l.Timeout)
}

// checkRerank asks the reranker to score two passages. A failure is advice
// only: a failing reranker leaves the fused order.
func checkRerank(ctx context.Context, r *Report, c config.Config) {
	rc := c.Rerank
	const fallback = " (meanwhile passages keep their fused order)"
	cl, err := rerank.New(rerank.Config{BaseURL: rc.BaseURL, Model: rc.Model, APIKey: rc.APIKey.Reveal(), Timeout: rc.Timeout})
	if err != nil {
		r.fail(Advice, "reranker", err.Error(), "correct the rerank section of the configuration")
		return
	}
	start := time.Now()
	scores, err := cl.Rerank(ctx, probeText, []string{"济源示范区的工作报告", "天气预报"})
	if err != nil {
		r.fail(Advice, "reranker", fmt.Sprintf("%s failed: %v", rc.BaseURL, transportError(err)),
			"start the reranking server (llama-server --reranking, vLLM), or correct rerank.base_url / POLICYBOT_RERANK_BASE_URL"+fallback)
		return
	}
	r.pass("reranker", "%s scored %d passages in %s", rc.BaseURL, len(scores), time.Since(start).Round(time.Millisecond))
}

// checkBot checks the token with getMe, reports the group privacy mode
// and the allowlist.
func checkBot(ctx context.Context, r *Report, hc *http.Client, t config.TelegramConfig) {
	if !t.Token.IsSet() {
		r.fail(NeedBot, "telegram token", "TELEGRAM_BOT_TOKEN is not set",
			"put the token @BotFather gave you in TELEGRAM_BOT_TOKEN (for the service: in /etc/policybot/env, mode 0600)")
	} else {
		me, err := getMe(ctx, hc, t.APIURL, t.Token.Reveal())
		var te *tgError
		switch {
		case errors.As(err, &te) && (te.status == http.StatusUnauthorized || te.status == http.StatusNotFound):
			r.fail(NeedBot, "telegram token", fmt.Sprintf("Telegram rejected the token (%d %s)", te.status, te.description),
				"copy the token again from @BotFather (/mybots → API Token), or /revoke it for a new one")
		case err != nil:
			r.fail(NeedBot, "telegram token", fmt.Sprintf("getMe failed: %v", err),
				"allow outgoing HTTPS to api.telegram.org, or correct telegram.api_url / POLICYBOT_TELEGRAM_API_URL")
		default:
			r.pass("telegram token", "valid, the bot is @%s", me.Username)
			if me.CanReadAllGroupMessages {
				r.fail(Advice, "group privacy mode", "off: the bot receives every message of its groups",
					"@BotFather → /setprivacy → Enable (and do not make the bot a group admin)")
			} else {
				r.pass("group privacy mode", "on: in groups the bot sees only commands, mentions and replies to it")
			}
		}
	}
	n := len(t.AllowedUsers) + len(t.AllowedChats) + len(t.Admins)
	switch {
	case t.Public:
		r.fail(Advice, "allowlist", "none: the bot is public (--public or telegram.public), anyone who finds it may use it",
			"list ids in POLICYBOT_ALLOWED_USERS / POLICYBOT_ALLOWED_CHATS, and drop --public / telegram.public")
	case n == 0:
		r.fail(NeedBot, "allowlist", "no allowed users, chats or admins: the bot refuses to start",
			"set POLICYBOT_ALLOWED_USERS, POLICYBOT_ALLOWED_CHATS or POLICYBOT_ADMINS (numeric ids), or run `policybot bot --public`")
	default:
		r.pass("allowlist", "%d user(s), %d chat(s), %d admin(s)", len(t.AllowedUsers), len(t.AllowedChats), len(t.Admins))
	}
}

// listModels calls GET {base}/models. A status other than 200 is returned
// with no error; err is a transport failure.
func listModels(ctx context.Context, hc *http.Client, base, key string, timeout time.Duration) ([]string, int, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+"/models", nil)
	if err != nil {
		return nil, 0, err
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, 0, transportError(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if resp.StatusCode != http.StatusOK {
		return nil, resp.StatusCode, nil
	}
	var list struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
		Models []struct { // Ollama's native /api/tags shape, just in case
			Name string `json:"name"`
		} `json:"models"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, 0, fmt.Errorf("GET /models answered something that is not a model list: %.80q", body)
	}
	var ids []string
	for _, d := range list.Data {
		ids = append(ids, d.ID)
	}
	for _, m := range list.Models {
		ids = append(ids, m.Name)
	}
	return ids, http.StatusOK, nil
}

// hasModel reports whether model is in the server's list; Ollama lists
// "bge-m3:latest" for "bge-m3".
func hasModel(models []string, model string) bool {
	return slices.Contains(models, model) || (!strings.Contains(model, ":") && slices.Contains(models, model+":latest"))
}

func orNone(models []string) string {
	if len(models) == 0 {
		return "none listed"
	}
	return firstN(models, 8)
}

// transportError drops the URL from a net/http error (a Bot API URL holds
// the token) and keeps the cause, such as "connection refused".
func transportError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// botInfo is the part of getMe's answer the checks use.
type botInfo struct {
	Username                string `json:"username"`
	CanReadAllGroupMessages bool   `json:"can_read_all_group_messages"`
}

// tgError is a Bot API error answer.
type tgError struct {
	status      int
	description string
}

func (e *tgError) Error() string { return fmt.Sprintf("%d %s", e.status, e.description) }

// getMe calls the Bot API's getMe. Errors never hold the token.
func getMe(ctx context.Context, hc *http.Client, apiURL, token string) (*botInfo, error) {
	if apiURL == "" {
		apiURL = "https://api.telegram.org"
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(apiURL, "/")+"/bot"+token+"/getMe",
		strings.NewReader("{}"))
	if err != nil {
		return nil, errors.New("telegram.api_url is not a URL")
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, transportError(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var out struct {
		OK          bool    `json:"ok"`
		Description string  `json:"description"`
		Result      botInfo `json:"result"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("%d: the answer is not from a Bot API server: %.80q", resp.StatusCode, body)
	}
	if !out.OK || resp.StatusCode != http.StatusOK {
		return nil, &tgError{status: resp.StatusCode, description: out.Description}
	}
	return &out.Result, nil
}
