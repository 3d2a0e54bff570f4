#!/usr/bin/env bash
# Copy front-end assets from the npm registry (package.json) into voliere/static/vendor/.
# The copies are committed so `pip install` needs no npm; run this after changing versions.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --no-audit --no-fund --silent
mkdir -p voliere/static/vendor
cp node_modules/htmx.org/dist/htmx.min.js voliere/static/vendor/htmx.min.js
echo "vendored: htmx $(node -p "require('./node_modules/htmx.org/package.json').version")"
