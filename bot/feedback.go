package bot

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// FeedbackRecord is one 👍/👎 vote, one JSON line in the feedback file.
type FeedbackRecord struct {
	Time     time.Time        `json:"time"`
	Vote     string           `json:"vote"` // "up" or "down"
	User     int64            `json:"user"`
	Chat     int64            `json:"chat"`
	AnswerID string           `json:"answer_id"`
	Question string           `json:"question,omitempty"`
	Answer   string           `json:"answer,omitempty"`
	Sources  []FeedbackSource `json:"sources,omitempty"`
}

// FeedbackSource names one cited passage of the rated answer.
type FeedbackSource struct {
	N       int    `json:"n"`
	ChunkID string `json:"chunk_id"`
	Title   string `json:"title"`
	Section string `json:"section,omitempty"`
}

// feedbackStore appends votes to a JSONL file (mode 0600: officials'
// questions are sensitive) and prunes lines older than the retention.
type feedbackStore struct {
	path      string
	retention time.Duration

	mu       sync.Mutex
	up, down int
}

// openFeedback prunes the file at path and counts the votes it keeps.
// An empty path keeps counts in memory only.
func openFeedback(path string, retention time.Duration, now time.Time) (*feedbackStore, error) {
	f := &feedbackStore{path: path, retention: retention}
	if err := f.prune(now); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *feedbackStore) add(r FeedbackRecord) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Vote == "up" {
		f.up++
	} else {
		f.down++
	}
	if f.path == "" {
		return nil
	}
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode feedback: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return fmt.Errorf("feedback directory: %w", err)
	}
	fh, err := os.OpenFile(f.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("open feedback file: %w", err)
	}
	_, werr := fh.Write(append(line, '\n'))
	cerr := fh.Close()
	if err := errors.Join(werr, cerr); err != nil {
		return fmt.Errorf("append feedback %s: %w", f.path, err)
	}
	return nil
}

// counts returns the 👍 and 👎 votes within the retention.
func (f *feedbackStore) counts() (up, down int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.up, f.down
}

// prune rewrites the file without the records older than the retention,
// atomically (temporary file and rename), and recounts the votes.
func (f *feedbackStore) prune(now time.Time) error {
	if f.path == "" {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	data, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read feedback file: %w", err)
	}
	var kept bytes.Buffer
	up, down, dropped := 0, 0, 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for sc.Scan() {
		var r FeedbackRecord
		if json.Unmarshal(sc.Bytes(), &r) != nil || (f.retention > 0 && now.Sub(r.Time) > f.retention) {
			dropped++
			continue
		}
		if r.Vote == "up" {
			up++
		} else {
			down++
		}
		kept.Write(sc.Bytes())
		kept.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("scan feedback file %s: %w", f.path, err)
	}
	f.up, f.down = up, down
	if dropped == 0 {
		return nil
	}
	tmp := f.path + ".tmp"
	if err := os.WriteFile(tmp, kept.Bytes(), 0o600); err != nil {
		return fmt.Errorf("write pruned feedback: %w", err)
	}
	if err := os.Rename(tmp, f.path); err != nil {
		return fmt.Errorf("replace feedback file: %w", err)
	}
	return nil
}
