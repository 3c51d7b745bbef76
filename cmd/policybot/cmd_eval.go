package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"

	"policybot/eval"
	"policybot/rag"
)

func runEval(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs)
	c.registerRetrieval(fs)
	c.registerWeights(fs)
	qa := fs.String("qa", "", "question set in the format of shared/eval/FORMAT.md (required)")
	asJSON := fs.Bool("json", false, "print the figures as one JSON object (the keys of score.py --json)")
	seeds := fs.String("seeds", "", "folder holding the evidence files (default: the corpus)")
	sweep := fs.String("sweep", "", "name=from:to:step: score the set once per value of one weight, one line of figures each")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *qa == "" {
		return errors.New("eval: --qa FILE is required")
	}
	var sw *weightSweep
	if *sweep != "" {
		var err error
		if sw, err = parseSweep(*sweep); err != nil {
			return fmt.Errorf("eval: --sweep: %w", err)
		}
	}
	// Read the question set first: a bad file fails before the index loads.
	items, err := eval.LoadItems(*qa)
	if err != nil {
		return err
	}
	a, err := load(e, &c)
	if err != nil {
		return err
	}
	if a.weights == nil && sw != nil {
		w := a.defaultWeights()
		a.weights = &w
	}
	if err := a.components(e.stderr); err != nil {
		return err
	}
	ix, err := a.openIndex(ctx, e.stderr)
	if err != nil {
		return err
	}
	dir := *seeds
	if dir == "" {
		dir = a.cfg.Corpus
	}
	score := func() (eval.Summary, error) {
		eng, err := a.engine(ix)
		if err != nil {
			return eval.Summary{}, err
		}
		results, err := answerAll(ctx, eng, items)
		if err != nil {
			return eval.Summary{}, err
		}
		return eval.Score(items, results, dir, a.cfg.Retrieval.K)
	}
	if sw != nil {
		base := *a.weights
		for _, v := range sw.values() {
			w := base
			if err := w.Set(sw.name, v); err != nil {
				return fmt.Errorf("eval: --sweep: %w", err)
			}
			a.weights = &w
			sum, err := score()
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s=%-8s %s\n", sw.name, strconv.FormatFloat(v, 'g', 6, 64), sweepLine(sum))
		}
		return nil
	}
	sum, err := score()
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(sum.JSON())
	}
	return sum.WriteText(e.stdout)
}

// answerAll answers every item in order; a question that fails gets a
// result holding the error.
func answerAll(ctx context.Context, eng *rag.Engine, items []eval.Item) ([]rag.Result, error) {
	results := make([]rag.Result, len(items))
	for i, it := range items {
		res, err := eng.Answer(ctx, rag.Query{ID: it.ID, Question: it.Question, History: it.History}, nil)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			results[i] = rag.Result{ID: it.ID, Error: err.Error()}
			continue
		}
		results[i] = *res
	}
	return results, nil
}

// weightSweep is one weight and the values it takes, from --sweep
// name=from:to:step.
type weightSweep struct {
	name           string
	from, to, step float64
}

func parseSweep(s string) (*weightSweep, error) {
	name, rng, ok := strings.Cut(s, "=")
	parts := strings.Split(rng, ":")
	if !ok || name == "" || len(parts) != 3 {
		return nil, fmt.Errorf("%q: want name=from:to:step, e.g. min_coverage=0.2:0.4:0.05", s)
	}
	var v [3]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", s, err)
		}
		v[i] = f
	}
	if v[2] <= 0 || v[1] < v[0] {
		return nil, fmt.Errorf("%q: want from <= to and a positive step", s)
	}
	if (v[1]-v[0])/v[2] > 1000 {
		return nil, fmt.Errorf("%q: more than 1000 values", s)
	}
	var w rag.Weights
	if err := w.Set(name, 0); err != nil {
		return nil, err
	}
	return &weightSweep{name: name, from: v[0], to: v[1], step: v[2]}, nil
}

// values returns from, from+step, … up to to, each rounded to the step's
// precision so 0.1+0.2 prints as 0.3.
func (s weightSweep) values() []float64 {
	n := int(math.Floor((s.to-s.from)/s.step + 1e-9))
	out := make([]float64, 0, n+1)
	for i := 0; i <= n; i++ {
		v, _ := strconv.ParseFloat(strconv.FormatFloat(s.from+float64(i)*s.step, 'f', 9, 64), 64)
		out = append(out, v)
	}
	return out
}

// sweepLine writes the figures of a summary on one line.
func sweepLine(s eval.Summary) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 3, 64) }
	return fmt.Sprintf("hit@1 %s  hit@%d %s  mrr %s  answer_facts %s  citation_precision %s  false_refusals %s  refusal_on_unanswerable %s",
		f(s.Hit1), s.K, f(s.HitK), f(s.MRR), f(s.AnswerFacts), f(s.CitationPrecision), f(s.FalseRefusals), f(s.RefusalOnUnanswerable))
}
