#!/bin/sh
# Makes the PDF fixtures of ingest's tests from gov.html and cid.txt.
# Tests read the committed PDFs; run this only to remake them.
# Needs (Debian): chromium fonts-wqy-zenhei fonts-noto-cjk pango1.0-tools qpdf poppler-utils mupdf-tools
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. A government-style notice printed by Chromium: 2 pages, a running
#    header, a footer with "- N -" and "第N页", a figure on page 2. Chromium
#    embeds WenQuanYi Zen Hei as a CID TrueType font (Identity-H, ToUnicode).
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
	--print-to-pdf="$tmp/gov.pdf" gov.html 2>/dev/null
qpdf --object-streams=generate --recompress-flate --compression-level=9 "$tmp/gov.pdf" gov.pdf

# 1b. A newspaper-like page: a headline, two columns, then a table.
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
	--print-to-pdf="$tmp/columns.pdf" columns.html 2>/dev/null
qpdf --object-streams=generate --recompress-flate --compression-level=9 "$tmp/columns.pdf" columns.pdf

# 2. A CID-keyed CFF font (Noto Sans CJK, Identity-H) with a ToUnicode map,
#    as cairo writes it.
pango-view --font='Noto Sans CJK SC 12' -q -o cid.pdf cid.txt

# 3. The same with its ToUnicode map removed: glyph ids map to no text.
qpdf --qdf --object-streams=disable cid.pdf "$tmp/q.pdf"
sed '/\/ToUnicode [0-9]* 0 R/d' "$tmp/q.pdf" > "$tmp/q2.pdf"
fix-qdf "$tmp/q2.pdf" > "$tmp/q3.pdf"
qpdf --object-streams=generate "$tmp/q3.pdf" cid-notounicode.pdf
if pdffonts cid-notounicode.pdf | grep -q ' yes *$'; then echo "ToUnicode still there" >&2; exit 1; fi

# 4. Bad files: truncated, binary named .pdf, password-protected (AES-256).
head -c 20000 gov.pdf > truncated.pdf
head -c 4096 /dev/urandom > binary.pdf
qpdf --encrypt secret owner 256 -- cid.pdf encrypted.pdf
# Restricted (an owner password only): opens without a password.
qpdf --encrypt "" owner 256 -- cid.pdf owner-only.pdf

# 5. A scan: page 1 of cid.pdf as an image only, no text layer.
pdftoppm -r 150 -gray -png -singlefile -f 1 -l 1 cid.pdf "$tmp/scan"
mutool convert -O compress -o scanned.pdf "$tmp/scan.png"

# 6. Two pages: page 1 readable, page 2 without its ToUnicode map.
qpdf --empty --object-streams=generate --recompress-flate --compression-level=9 --pages cid.pdf cid-notounicode.pdf -- mixed.pdf

# 7. Text inside a form XObject: cid.pdf overlaid on the scan (qpdf turns
#    the overlay page into a form drawn with "Do").
qpdf scanned.pdf --overlay cid.pdf -- --object-streams=generate xobject.pdf
