#!/bin/sh
# Regenerates the format fixtures (notice.docx, page.html, page-gbk.html).
set -e
cd "$(dirname "$0")/../../.."
go run ./internal/gen/formats ingest/testdata/formats
