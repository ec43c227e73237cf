#!/bin/sh
# make-test-pdfs.sh - regenerate the team's test PDFs (corpora/ sample and
# tests/fixtures/pdf/) with tools/make-test-pdfs.py. Installs the generator's
# Debian packages first (as root; otherwise prints the apt-get line). The
# PDFs are committed, so `make test` never needs these packages.
set -e
cd "$(dirname "$0")/.."
sh tools/deps.sh python3-reportlab python3-pil fonts-droid-fallback
exec /usr/bin/python3 tools/make-test-pdfs.py
