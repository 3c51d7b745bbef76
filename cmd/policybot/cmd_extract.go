package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"policybot/ingest"
)

// runExtract prints exactly the text ingest reads from one file: for a
// .docx, PDF, OFD or HTML file the extracted text that its passages' start
// and end offsets point into (text[start:end] is the passage), for a text
// file its decoded text. Nothing is added, not even a final newline; what
// the extraction warns about goes to stderr.
func runExtract(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c common
	fs.StringVar(&c.configPath, "config", "", "YAML config file (default $POLICYBOT_CONFIG)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: policybot extract [--config FILE] FILE\n\nPrints the text ingest indexes for FILE; a passage's [start,end) of a non-text file are byte offsets into it.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("extract: name exactly one file")
	}
	a, err := load(e, &c)
	if err != nil {
		return err
	}
	name := fs.Arg(0)
	maxFile, lim := a.limits()
	fi, err := os.Stat(name)
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	if fi.Size() > maxFile {
		return fmt.Errorf("extract %s: %w: %d bytes, over ingest.max_file_mb (%d MiB)", name, ingest.ErrTooLarge, fi.Size(), a.cfg.Ingest.MaxFileMB)
	}
	raw, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	x, err := ingest.Extract(name, raw, lim)
	if err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	for _, w := range x.Warnings {
		fmt.Fprintf(e.stderr, "%s: %s\n", name, w)
	}
	if len(x.Pages) > 0 {
		fmt.Fprintf(e.stderr, "%s: %s, %d pages, %d bytes of text\n", name, x.Format, len(x.Pages), len(x.Text))
	}
	_, err = io.WriteString(e.stdout, x.Text)
	return err
}
