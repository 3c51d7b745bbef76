package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"policybot/rag"
)

func runAsk(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs)
	c.registerRetrieval(fs)
	c.registerAnswer(fs)
	c.registerWeights(fs)
	asJSON := fs.Bool("json", false, "print one JSON object")
	asJSONL := fs.Bool("jsonl", false, "read JSON lines {id, question, history} from stdin, write one result line each")
	explain := fs.Bool("explain", false, "also say how the answer came about: the question's analysis, the candidates and their scores, the refusal checks, the decision (with --json/--jsonl: an \"explain\" object)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	question := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if !*asJSONL && question == "" {
		return errors.New(`ask: give a question, e.g. policybot ask "济源示范区是哪年成立的？", or --jsonl`)
	}
	_, eng, err := loadEngine(ctx, e, &c)
	if err != nil {
		return err
	}
	if *asJSONL {
		return askLines(ctx, eng, e.stdin, e.stdout, *explain)
	}
	res, err := eng.Answer(ctx, rag.Query{Question: question, Explain: *explain}, nil)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(res)
	}
	printResult(e.stdout, res)
	if res.Explain != nil {
		fmt.Fprintln(e.stdout, "\n—— 说明 explain ——")
		return res.Explain.WriteText(e.stdout)
	}
	return nil
}

// askLines answers every JSON line of in, writing one result line each,
// in order; a bad line gets {"id":..,"error":..} and the rest go on.
func askLines(ctx context.Context, eng *rag.Engine, in io.Reader, out io.Writer, explain bool) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1024*1024), 16*1024*1024)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var q rag.Query
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			var probe struct {
				ID any `json:"id"`
			}
			json.Unmarshal([]byte(line), &probe)
			enc.Encode(map[string]any{"id": probe.ID, "error": fmt.Sprintf("line %d: %v", n, err)})
			continue
		}
		if strings.TrimSpace(q.Question) == "" {
			enc.Encode(map[string]any{"id": q.ID, "error": fmt.Sprintf("line %d: no question", n)})
			continue
		}
		q.Explain = q.Explain || explain
		res, err := eng.Answer(ctx, q, nil)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			enc.Encode(map[string]any{"id": q.ID, "error": fmt.Sprintf("line %d: %v", n, err)})
			continue
		}
		if err := enc.Encode(res); err != nil {
			return err
		}
	}
	return sc.Err()
}

// printResult writes a result for a person at a terminal.
func printResult(w io.Writer, res *rag.Result) {
	if res.Standalone != "" {
		fmt.Fprintf(w, "（理解为：%s）\n", res.Standalone)
	}
	fmt.Fprintln(w, res.Answer)
	for _, u := range res.Unsupported {
		fmt.Fprintf(w, "⚠ 数字未在引用资料中找到：%s\n", u)
	}
	if len(res.Citations) > 0 {
		fmt.Fprintln(w, "\n来源：")
		for _, c := range res.Citations {
			fmt.Fprintf(w, "[%d] 《%s》%s%s\n    %s %s\n", c.N, c.Title, sectionSuffix(c.Section), dateSuffix(c.Date), c.Source, c.Locus)
		}
	} else if !res.Answered && len(res.Passages) > 0 {
		fmt.Fprintln(w, "\n最接近的段落：")
		for _, p := range res.Passages[:min(3, len(res.Passages))] {
			fmt.Fprintf(w, "[%d] 《%s》%s\n    %s %s\n", p.Rank, p.Title, sectionSuffix(p.Section), p.Source, p.Locus)
		}
	}
}

func sectionSuffix(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

func dateSuffix(d string) string {
	if d == "" {
		return ""
	}
	return " · " + d
}
