package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"

	"policybot/eval"
	"policybot/rag"
)

func runEval(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs)
	c.registerRetrieval(fs)
	qa := fs.String("qa", "", "question set in the format of shared/eval/FORMAT.md (required)")
	asJSON := fs.Bool("json", false, "print the figures as one JSON object (the keys of score.py --json)")
	seeds := fs.String("seeds", "", "folder holding the evidence files (default: the corpus)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *qa == "" {
		return errors.New("eval: --qa FILE is required")
	}
	// Read the question set first: a bad file fails before the index loads.
	items, err := eval.LoadItems(*qa)
	if err != nil {
		return err
	}
	a, eng, err := loadEngine(ctx, e, &c)
	if err != nil {
		return err
	}
	results := make([]rag.Result, len(items))
	for i, it := range items {
		res, err := eng.Answer(ctx, rag.Query{ID: it.ID, Question: it.Question, History: it.History}, nil)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			results[i] = rag.Result{ID: it.ID, Error: err.Error()}
			continue
		}
		results[i] = *res
	}
	dir := *seeds
	if dir == "" {
		dir = a.cfg.Corpus
	}
	k := a.cfg.Retrieval.K
	sum, err := eval.Score(items, results, dir, k)
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
