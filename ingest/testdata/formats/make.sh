#!/bin/sh
# Regenerates the format fixtures:
#   notice.docx, page.html, page-gbk.html  written by internal/gen (the XML Word
#                                          and government CMSs write)
#   notice-lo.docx                         made by LibreOffice from src/notice-lo.fodt
#                                          (apt-get install libreoffice-writer-nogui),
#                                          a tool-made docx with outline numbering
set -e
cd "$(dirname "$0")/../../.."
go run ./internal/gen/formats ingest/testdata/formats
if command -v soffice >/dev/null 2>&1; then
	tmp=$(mktemp -d)
	soffice --headless -env:UserInstallation=file://"$tmp"/profile \
		--convert-to docx:"MS Word 2007 XML" --outdir "$tmp" ingest/testdata/formats/src/notice-lo.fodt >/dev/null
	cp "$tmp"/notice-lo.docx ingest/testdata/formats/notice-lo.docx
	rm -rf "$tmp"
else
	echo "soffice not found: notice-lo.docx left as it is" >&2
fi
