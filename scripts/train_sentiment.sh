#!/usr/bin/env bash
# Retrain the shipped sentiment model and rewrite the metrics section of docs/nlp.md.
# Usage: bash scripts/train_sentiment.sh [DATA_DIR]   (default: ../shared/data/sentiment)
# Needs the `train` extra (scikit-learn). Same data and seed give the same model bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
python=".venv/bin/python"
[ -x "$python" ] || python=python3
args=(nlp train-sentiment --docs docs/nlp.md)
if [ $# -gt 0 ]; then args+=(--data "$1"); fi
exec "$python" -m voliere "${args[@]}"
