// Command policybot answers questions about Chinese government policy
// documents with citations a reader can check. It runs fully offline on
// built-in defaults, or with a local OpenAI-compatible server.
//
// Usage:
//
//	policybot ingest [--corpus DIR] [--index DIR] [--rebuild] [--strict]
//	policybot extract FILE
//	policybot ask [--json|--jsonl] [--k N] "问题"
//	policybot chat
//	policybot eval --qa FILE [--json]
//	policybot bench
//	policybot bot [--public]
//	policybot doctor [--bot]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "policybot:", err)
		}
		os.Exit(1)
	}
}

// command is one subcommand.
type command struct {
	Short string
	Run   func(ctx context.Context, env *env, args []string) error
}

// env is what a subcommand runs with: its streams and the environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

func commands() map[string]command {
	return map[string]command{
		"ingest":  {"build or update the index from a folder of documents", runIngest},
		"extract": {"print the text ingest reads from one file (what passage offsets point into)", runExtract},
		"ask":     {"answer one question, or JSON lines of questions with --jsonl", runAsk},
		"chat":    {"ask questions in a terminal conversation", runChat},
		"eval":    {"score a question set (the format of shared/eval) and list the misses", runEval},
		"bench":   {"measure load time, retrieval and answer latency", runBench},
		"bot":     {"run the Telegram bot", runBot},
		"doctor":  {"check the configuration, corpus, index, model servers and (--bot) the bot", runDoctor},
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr, cmds)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	c, ok := cmds[args[0]]
	if args[0] == "bench-load" { // bench's child: not listed
		c, ok = command{Run: runBenchLoad}, true
	}
	if !ok {
		usage(stderr, cmds)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return c.Run(ctx, &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}, args[1:])
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: policybot <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].Short)
	}
	fmt.Fprintln(w, "\nRun `policybot <command> -h` for a command's flags.")
}
