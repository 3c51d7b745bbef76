// Command formats writes ingest's format fixtures (ingest/testdata/formats):
//
//	go run ./internal/gen/formats ingest/testdata/formats
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"policybot/internal/gen/officegen"
)

func main() {
	dir := "ingest/testdata/formats"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	files := map[string][]byte{
		"notice.docx":   officegen.Sample().DOCX(),
		"page.html":     []byte(officegen.GovHTML("utf-8", 1)),
		"page-gbk.html": officegen.GBK(officegen.GovHTML("gb2312", 1)),
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
