// Package config holds policybot's settings: one Config struct loaded from a
// YAML file over built-in defaults, then overridden from the environment,
// then by command-line flags (the caller sets fields directly), and finally
// checked by Validate, which reports every problem at once.
//
// Secrets never live in the file: it may only name the environment variable
// that holds one (api_key_env: OPENAI_API_KEY), and ApplyEnv resolves it into
// a field of type Secret, which prints as "***" everywhere.
//
// The package does not read the process environment itself; callers pass
// os.Getenv (tests pass a map lookup).
package config

import "time"

// Config is every setting of policybot. The yaml tags are the keys of the
// configuration file; config.example.yaml documents each one.
type Config struct {
	// Corpus is the folder of policy documents to index.
	Corpus string `yaml:"corpus"`
	// Index is the folder where the built index is stored.
	Index string `yaml:"index"`

	Ingest    IngestConfig    `yaml:"ingest"`
	Chunk     ChunkConfig     `yaml:"chunk"`
	Embed     EmbedConfig     `yaml:"embed"`
	LLM       LLMConfig       `yaml:"llm"`
	Rerank    RerankConfig    `yaml:"rerank"`
	Retrieval RetrievalConfig `yaml:"retrieval"`
	Answer    AnswerConfig    `yaml:"answer"`
	Telegram  TelegramConfig  `yaml:"telegram"`
	Log       LogConfig       `yaml:"log"`

	// envErrs are the environment values ApplyEnv could not parse; Validate
	// reports them with the rest, so ApplyEnv needs no error result.
	envErrs []error
}

// IngestConfig bounds what one source file may cost to read. A file over a
// limit is skipped with a warning, and the other files are still indexed.
type IngestConfig struct {
	// MaxFileMB is the largest source file read, in MiB; a larger one is
	// skipped without being read.
	MaxFileMB int `yaml:"max_file_mb"`
	// MaxExtractedMB is the most text (or decompressed archive content) one
	// file may give, in MiB, so a zip bomb stops early.
	MaxExtractedMB int `yaml:"max_extracted_mb"`
	// MemoryLimitMB is the soft memory limit of the process in MiB (Go's
	// runtime/debug.SetMemoryLimit): past it the garbage collector works
	// harder instead of the heap growing, so ingesting a 64 MB file stays
	// under 1 GB. 0 leaves the runtime's default; the GOMEMLIMIT
	// environment variable, when set, wins.
	MemoryLimitMB int `yaml:"memory_limit_mb"`
	// DisableOCR keeps scanned PDF pages out of the index even where
	// tesseract is installed (OCR is slow: seconds per page); they are
	// skipped with a warning instead.
	DisableOCR bool `yaml:"disable_ocr"`
}

// ChunkConfig sets how documents are cut into passages, in characters (runes).
type ChunkConfig struct {
	TargetChars int `yaml:"target_chars"` // size a chunk aims for
	MaxChars    int `yaml:"max_chars"`    // hard upper bound of a chunk
}

// EmbedConfig selects the embedding model. An empty BaseURL means the
// built-in offline embedder; otherwise an OpenAI-compatible /v1/embeddings
// server (Ollama, llama-server, vLLM).
type EmbedConfig struct {
	BaseURL     string        `yaml:"base_url"`
	Model       string        `yaml:"model"`       // used only with BaseURL
	APIKeyEnv   string        `yaml:"api_key_env"` // name of the variable holding the key
	BatchSize   int           `yaml:"batch_size"`  // texts per request
	Concurrency int           `yaml:"concurrency"` // requests in flight
	MaxRetries  int           `yaml:"max_retries"` // retries of a failed request
	Timeout     time.Duration `yaml:"timeout"`     // per request
	Dimensions  int           `yaml:"dimensions"`  // 0 = the server's default
	APIKey      Secret        `yaml:"-"`           // resolved by ApplyEnv
}

// LLMConfig selects the chat model that writes answers. An empty BaseURL
// means extractive mode: answers are quoted passages, no model is called.
type LLMConfig struct {
	BaseURL     string        `yaml:"base_url"`
	Model       string        `yaml:"model"`
	APIKeyEnv   string        `yaml:"api_key_env"`
	Timeout     time.Duration `yaml:"timeout"`
	Temperature float64       `yaml:"temperature"`
	MaxTokens   int           `yaml:"max_tokens"`
	// PromptFile replaces the built-in system prompt when set.
	PromptFile string `yaml:"prompt_file"`
	// RewriteFollowups lets the model turn an elliptical follow-up question
	// into a standalone one before retrieval.
	RewriteFollowups bool   `yaml:"rewrite_followups"`
	APIKey           Secret `yaml:"-"`
}

// RerankConfig selects an optional cross-encoder reranker served over HTTP
// (llama-server or vLLM /v1/rerank). An empty BaseURL turns reranking off.
type RerankConfig struct {
	BaseURL   string        `yaml:"base_url"`
	Model     string        `yaml:"model"`
	APIKeyEnv string        `yaml:"api_key_env"`
	Timeout   time.Duration `yaml:"timeout"`
	TopN      int           `yaml:"top_n"` // candidates sent to the reranker
	APIKey    Secret        `yaml:"-"`
}

// Retrieval modes.
const (
	ModeHybrid = "hybrid"
	// Fusion methods: normalized BM25 plus weighted cosine, or reciprocal rank.
	FusionScore = "score"
	FusionRRF   = "rrf"
	ModeLexical = "lexical"
	ModeVector  = "vector"
)

// RetrievalConfig sets how passages are found.
type RetrievalConfig struct {
	K            int     `yaml:"k"`             // passages given to the answer
	Candidates   int     `yaml:"candidates"`    // passages taken from each retriever before fusion
	Mode         string  `yaml:"mode"`          // ModeHybrid, ModeLexical or ModeVector
	VectorWeight float64 `yaml:"vector_weight"` // weight of the vector list in hybrid fusion
	Fusion       string  `yaml:"fusion"`        // FusionScore or FusionRRF
	PlacesFile   string  `yaml:"places_file"`   // more place names, added to the built-in gazetteer
	// TermsFile is a user synonym table added to the built-in one.
	TermsFile string `yaml:"terms_file"`
}

// AnswerConfig shapes the answer.
type AnswerConfig struct {
	MaxChars int `yaml:"max_chars"` // length limit of an answer, in characters
	// MinCoverage is the least share of the question's weighted words the
	// best answer sentence must hold; below it the question is refused.
	MinCoverage float64 `yaml:"min_coverage"`
	// Script is the script an extractive answer's text is shown in:
	// ScriptSimplified converts quotes of traditional-script documents,
	// ScriptOriginal keeps them. Citations always keep the original text.
	Script string `yaml:"script"`
}

// Answer scripts.
const (
	ScriptSimplified = "simplified"
	ScriptOriginal   = "original"
)

// TelegramConfig configures the Telegram bot.
type TelegramConfig struct {
	// APIURL is the Bot API server; empty means the official one.
	APIURL       string  `yaml:"api_url"`
	AllowedUsers []int64 `yaml:"allowed_users"`
	AllowedChats []int64 `yaml:"allowed_chats"`
	Admins       []int64 `yaml:"admins"`
	// Public lets anyone use the bot, ignoring the allow lists.
	Public  bool          `yaml:"public"`
	Webhook WebhookConfig `yaml:"webhook"`

	// Answers are streamed by editing one message; Telegram limits edits,
	// more strictly in groups.
	StreamIntervalPrivate time.Duration `yaml:"stream_interval_private"`
	StreamIntervalGroup   time.Duration `yaml:"stream_interval_group"`
	RateLimitPerMinute    int           `yaml:"rate_limit_per_minute"` // per user; 0 = no limit
	MaxConcurrent         int           `yaml:"max_concurrent"`        // answers being written at once
	AnswerTimeout         time.Duration `yaml:"answer_timeout"`
	MemoryTurns           int           `yaml:"memory_turns"` // past turns kept per chat; 0 = none
	MemoryTTL             time.Duration `yaml:"memory_ttl"`   // a chat's memory is forgotten after this idle time
	FeedbackFile          string        `yaml:"feedback_file"`
	FeedbackRetention     time.Duration `yaml:"feedback_retention"` // 0 = keep forever
	// MaxUploadMB is the largest document an admin may send the bot. The
	// cloud Bot API lets bots download at most 20 MB; a self-hosted
	// telegram-bot-api server started with --local serves more.
	MaxUploadMB int `yaml:"max_upload_mb"`

	// Token is the bot token, from TELEGRAM_BOT_TOKEN.
	Token Secret `yaml:"-"`
}

// WebhookConfig switches the bot from long polling to a webhook when Listen
// is set.
type WebhookConfig struct {
	Listen         string `yaml:"listen"`     // host:port the HTTP server binds
	PublicURL      string `yaml:"public_url"` // https URL Telegram posts updates to
	SecretTokenEnv string `yaml:"secret_token_env"`
	// SecretToken is checked against Telegram's
	// X-Telegram-Bot-Api-Secret-Token header.
	SecretToken Secret `yaml:"-"`
}

// LogConfig configures the process logger; see NewLogger.
type LogConfig struct {
	Level  string `yaml:"level"`  // debug, info, warn or error
	Format string `yaml:"format"` // text or json
}

// Default returns the built-in settings: offline (built-in embedder,
// extractive answers, no reranker), reading ./seeds and writing data/index.
// The environment-variable names of the secrets are set; the secrets
// themselves are not.
func Default() Config {
	return Config{
		Corpus: "seeds",
		Index:  "data/index",
		Ingest: IngestConfig{MaxFileMB: 64, MaxExtractedMB: 64, MemoryLimitMB: 800},
		Chunk:  ChunkConfig{TargetChars: 400, MaxChars: 700},
		Embed: EmbedConfig{
			Model:       "bge-m3",
			APIKeyEnv:   "POLICYBOT_EMBED_API_KEY",
			BatchSize:   32,
			Concurrency: 4,
			MaxRetries:  5,
			Timeout:     60 * time.Second,
		},
		LLM: LLMConfig{
			Model:            "qwen2.5:7b-instruct",
			APIKeyEnv:        "POLICYBOT_LLM_API_KEY",
			Timeout:          60 * time.Second,
			Temperature:      0.1,
			MaxTokens:        800,
			RewriteFollowups: true,
		},
		Rerank: RerankConfig{
			APIKeyEnv: "POLICYBOT_RERANK_API_KEY",
			Timeout:   20 * time.Second,
			TopN:      20,
		},
		Retrieval: RetrievalConfig{K: 5, Candidates: 50, Mode: ModeHybrid, VectorWeight: 0.3, Fusion: FusionScore},
		Answer:    AnswerConfig{MaxChars: 600, MinCoverage: 0.3, Script: ScriptSimplified},
		Telegram: TelegramConfig{
			AllowedUsers:          []int64{},
			AllowedChats:          []int64{},
			Admins:                []int64{},
			Webhook:               WebhookConfig{SecretTokenEnv: "POLICYBOT_TELEGRAM_WEBHOOK_SECRET"},
			StreamIntervalPrivate: time.Second,
			StreamIntervalGroup:   3 * time.Second,
			RateLimitPerMinute:    10,
			MaxConcurrent:         4,
			AnswerTimeout:         90 * time.Second,
			MemoryTurns:           6,
			MemoryTTL:             30 * time.Minute,
			FeedbackFile:          "data/feedback.jsonl",
			FeedbackRetention:     720 * time.Hour,
			MaxUploadMB:           20,
		},
		Log: LogConfig{Level: "info", Format: "text"},
	}
}
