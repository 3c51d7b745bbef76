package bot

import (
	"sync"
	"time"

	"policybot/rag"
)

// memory keeps the last few messages of each conversation so follow-up
// questions work. A conversation is a private chat, or one user inside a
// group. Conversations expire ttl after their last message.
type memory struct {
	max int
	ttl time.Duration

	mu    sync.Mutex
	convs map[string]*conversation
}

type conversation struct {
	turns []rag.Turn
	last  time.Time
	cited []string    // chunk ids the last answer cited
	prev  *rag.Result // the last answer, which a follow-up may point into
}

func newMemory(max int, ttl time.Duration) *memory {
	return &memory{max: max, ttl: ttl, convs: make(map[string]*conversation)}
}

// history returns a copy of the conversation's recent turns, oldest first.
func (m *memory) history(key string, now time.Time) []rag.Turn {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.convs[key]
	if c == nil {
		return nil
	}
	if now.Sub(c.last) > m.ttl {
		delete(m.convs, key)
		return nil
	}
	return append([]rag.Turn(nil), c.turns...)
}

// previous returns the conversation's last result, or nil.
func (m *memory) previous(key string, now time.Time) *rag.Result {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.convs[key]
	if c == nil || now.Sub(c.last) > m.ttl {
		return nil
	}
	return c.prev
}

// keep records the conversation's last result, for the next follow-up.
func (m *memory) keep(key string, res *rag.Result) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c := m.convs[key]; c != nil {
		c.prev = res
	}
}

// add appends a question and its answer to the conversation.
func (m *memory) add(key, question, answer string, now time.Time) {
	if m.max <= 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.convs[key]
	if c == nil || now.Sub(c.last) > m.ttl {
		c = &conversation{}
		m.convs[key] = c
	}
	c.turns = append(c.turns, rag.Turn{Role: "user", Content: question}, rag.Turn{Role: "assistant", Content: answer})
	if len(c.turns) > m.max {
		c.turns = append([]rag.Turn(nil), c.turns[len(c.turns)-m.max:]...)
	}
	c.last = now
	// Drop expired conversations now and then so the map stays small.
	if len(m.convs) > 256 {
		for k, c := range m.convs {
			if now.Sub(c.last) > m.ttl {
				delete(m.convs, k)
			}
		}
	}
}

// clear forgets the conversation.
func (m *memory) clear(key string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.convs, key)
}

// setCited records the chunk ids the conversation's last answer cited.
func (m *memory) setCited(key string, ids []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c := m.convs[key]; c != nil {
		c.cited = ids
	}
}

// cited returns the chunk ids the conversation's last answer cited.
func (m *memory) cited(key string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if c := m.convs[key]; c != nil {
		return append([]string(nil), c.cited...)
	}
	return nil
}
