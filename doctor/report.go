// Package doctor checks a policybot installation before it is put to work:
// the configuration, the corpus folder, the index, the model servers it
// names and the Telegram bot. Each check gives one line, ✓ or ✗, and a ✗
// gives the fix in one more line. The checks only read: they never build an
// index, write to the corpus or send a Telegram message.
//
// Secrets (API keys, the bot token) never appear in the report: every known
// secret value is replaced by *** before a line is written.
package doctor

import (
	"fmt"
	"io"
	"strings"
)

// Need says what a failed check stops.
type Need int

const (
	// Advice: the failure is worth fixing, but ask and the bot still run
	// (a stale index is updated on first use; a failing chat model falls
	// back to excerpts).
	Advice Need = iota
	// NeedBot: the bot cannot run (ask can).
	NeedBot
	// NeedAsk: ask cannot run, and so neither can the bot.
	NeedAsk
)

// Check is the result of one check.
type Check struct {
	Name   string // short, stable: "config", "corpus", "index embedder"…
	OK     bool
	Detail string // what was found
	Fix    string // for a failure: what to do, in one line
	Need   Need   // for a failure: what it stops
}

// Report is the list of checks in the order they were made.
type Report struct {
	Checks  []Check
	secrets []string
}

func (r *Report) pass(name, detail string, args ...any) {
	r.Checks = append(r.Checks, Check{Name: name, OK: true, Detail: fmt.Sprintf(detail, args...)})
}

func (r *Report) fail(need Need, name, detail, fix string) {
	r.Checks = append(r.Checks, Check{Name: name, Detail: detail, Fix: fix, Need: need})
}

// redact registers secret values that must never be printed.
func (r *Report) redact(secrets ...string) {
	for _, s := range secrets {
		if s != "" {
			r.secrets = append(r.secrets, s)
		}
	}
}

// AskOK reports whether no check failed that stops ask.
func (r *Report) AskOK() bool { return r.count(NeedAsk) == 0 }

// BotOK reports whether no check failed that stops the bot.
func (r *Report) BotOK() bool { return r.count(NeedBot) == 0 }

// count returns how many failed checks stop what need names (NeedBot
// counts the failures that stop ask too).
func (r *Report) count(need Need) int {
	n := 0
	for _, c := range r.Checks {
		if !c.OK && c.Need >= need {
			n++
		}
	}
	return n
}

// Write prints one line per check, the fix of a failed one on the next
// line, then whether ask (and, with bot, the bot) can run.
func (r *Report) Write(w io.Writer, bot bool) error {
	var b strings.Builder
	for _, c := range r.Checks {
		mark := "✓"
		if !c.OK {
			mark = "✗"
		}
		fmt.Fprintf(&b, "%s %s: %s\n", mark, c.Name, oneLine(c.Detail))
		if !c.OK && c.Fix != "" {
			fmt.Fprintf(&b, "    fix: %s\n", oneLine(c.Fix))
		}
	}
	b.WriteString("\n")
	summary := func(what string, n int) {
		if n == 0 {
			fmt.Fprintf(&b, "✓ %s can run\n", what)
		} else {
			fmt.Fprintf(&b, "✗ %s cannot run: %d problem(s) above\n", what, n)
		}
	}
	summary("ask", r.count(NeedAsk))
	if bot {
		summary("bot", r.count(NeedBot))
	}
	_, err := io.WriteString(w, r.scrub(b.String()))
	return err
}

// scrub replaces every registered secret in s by ***.
func (r *Report) scrub(s string) string {
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, "***")
	}
	return s
}

// oneLine joins a multi-line message (errors.Join output) with "; ".
func oneLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, "; ")
}
