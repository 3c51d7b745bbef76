package main

import (
	"context"
	"flag"
	"fmt"
)

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	c.register(fs)
	rebuild := fs.Bool("rebuild", false, "rebuild from scratch (needed after changing the embedder)")
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
	return nil
}
