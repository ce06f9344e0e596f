#!/usr/bin/env bash
# Refresh the copy of mermaid that the documentation site serves itself (docs/javascripts/mermaid.min.js),
# so the state diagrams render without a network (the Material theme otherwise loads mermaid from a CDN).
# Material for MkDocs uses a global `mermaid` when one is already loaded (extra_javascript in mkdocs.yml)
# and was built against mermaid 11: keep to major version 11 unless Material moves on.
# Usage: bash docs/javascripts/refresh-mermaid.sh [VERSION]   (needs npm; the default is the pinned one)
set -euo pipefail
VERSION="${1:-11.17.2}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "mermaid@$VERSION" >/dev/null && tar xzf "mermaid-$VERSION.tgz")
cp "$work/package/dist/mermaid.min.js" "$here/mermaid.min.js"
cp "$work/package/LICENSE" "$here/mermaid.LICENSE.txt"
# tests/test_docs_site.py checks that the served file is this version: update MERMAID_VERSION there too.
echo "docs/javascripts/mermaid.min.js is mermaid $VERSION"
