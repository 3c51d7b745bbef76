package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs)
	rebuild := fs.Bool("rebuild", false, "rebuild from scratch (needed after changing the embedder)")
	strict := fs.Bool("strict", false, "exit with an error, after indexing the good files, if any file was skipped or read with warnings")
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := load(e, &c)
	if err != nil {
		return err
	}
	if err := a.components(e.stderr); err != nil {
		return err
	}
	st, err := a.build(ctx, e.stderr, *rebuild)
	if err != nil {
		return err
	}
	state := "updated"
	if st.UpToDate {
		state = "already up to date"
	}
	fmt.Fprintf(e.stdout, "index %s %s: %d files (%d added, %d changed, %d removed, %d unchanged, %d skipped), %d documents, %d chunks, %d embedded\n",
		absOr(a.cfg.Index), state, st.Files, st.Added, st.Changed, st.Removed, st.Unchanged, st.Skipped, st.Documents, st.Chunks, st.Embedded)
	bad := printProblems(e.stderr, a.problems)
	if *strict && len(bad) > 0 {
		return fmt.Errorf("--strict: %d files with problems (the others are indexed): %s", len(bad), strings.Join(bad, ", "))
	}
	return nil
}

// printProblems writes the ingest summary of skipped files and warnings to
// w and returns the files named, in order.
func printProblems(w io.Writer, ps []fileProblem) []string {
	var skipped, warned []fileProblem
	for _, p := range ps {
		if p.skipped {
			skipped = append(skipped, p)
		} else {
			warned = append(warned, p)
		}
	}
	var files []string
	seen := map[string]bool{}
	list := func(title string, ps []fileProblem) {
		if len(ps) == 0 {
			return
		}
		fmt.Fprintf(w, "%s:\n", title)
		for _, p := range ps {
			fmt.Fprintf(w, "  %s: %s\n", p.source, p.msg)
			if !seen[p.source] {
				seen[p.source] = true
				files = append(files, p.source)
			}
		}
	}
	list(fmt.Sprintf("skipped %d files (not indexed)", len(skipped)), skipped)
	list(fmt.Sprintf("%d warnings in indexed files", len(warned)), warned)
	return files
}
