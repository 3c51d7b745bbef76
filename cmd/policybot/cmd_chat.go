package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"policybot/rag"
)

// chatTurns is how many earlier messages (questions and answers) go with a
// question in a terminal conversation, as in the bot's default memory.
const chatTurns = 6

// chatPrompt is printed before each question is read.
const chatPrompt = "问> "

func runChat(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs)
	c.registerRetrieval(fs)
	c.registerAnswer(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("chat: unexpected arguments %q (type questions after it starts)", fs.Args())
	}
	_, eng, err := loadEngine(ctx, e, &c)
	if err != nil {
		return err
	}
	return chat(ctx, eng, e.stdin, e.stdout)
}

// answerer is what a conversation needs from the engine.
type answerer interface {
	Answer(ctx context.Context, q rag.Query, onPartial func(text string)) (*rag.Result, error)
}

// chat runs a conversation: each line of in is a question, answered on out
// with the last chatTurns messages as history and the previous result kept,
// so follow-ups ("第三条具体怎么说", "它的文号是多少") point into it. "/new"
// forgets both; "/quit", end of input or a cancelled ctx ends it.
func chat(ctx context.Context, eng answerer, in io.Reader, out io.Writer) error {
	// Lines are read in a goroutine so that Ctrl-C (ctx) ends the
	// conversation even while waiting at the prompt; stop releases the
	// goroutine when the conversation ends first (it may stay blocked in a
	// read of a terminal until the process exits).
	lines, stop := make(chan string), make(chan struct{})
	defer close(stop)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-stop:
				return
			}
		}
	}()
	fmt.Fprintln(out, "请输入问题，回车提问。/new 开始新的对话，/quit 退出。")
	var history []rag.Turn
	var prev *rag.Result // the last answer, which a follow-up may point into
	for {
		fmt.Fprint(out, chatPrompt)
		var line string
		var ok bool
		select {
		case line, ok = <-lines:
		case <-ctx.Done():
			fmt.Fprintln(out)
			return nil
		}
		if !ok {
			fmt.Fprintln(out)
			return nil
		}
		q := strings.TrimSpace(line)
		switch q {
		case "":
			continue
		case "/quit", "/exit":
			return nil
		case "/new":
			history, prev = nil, nil
			fmt.Fprintln(out, "已开始新的对话。")
			continue
		}
		res, err := eng.Answer(ctx, rag.Query{Question: q, History: history, Previous: prev}, nil)
		if err != nil {
			if ctx.Err() != nil {
				fmt.Fprintln(out)
				return nil
			}
			fmt.Fprintf(out, "出错了：%v\n\n", err)
			continue
		}
		printResult(out, res)
		fmt.Fprintln(out)
		prev = res
		history = append(history, rag.Turn{Role: "user", Content: q}, rag.Turn{Role: "assistant", Content: res.Answer})
		if len(history) > chatTurns {
			history = history[len(history)-chatTurns:]
		}
	}
}
