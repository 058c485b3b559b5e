#!/usr/bin/env bash
# What eventwire produces, written to DIR so that two trees can be compared
# byte for byte (`diff -r BEFORE AFTER`): the `extract` records of the bundled
# samples, the demo report of a fresh store, and every `eval --json` figure.
# Used to show that a refactor changes no behaviour; takes about 6 minutes.
set -euo pipefail
out=${1:?usage: scripts/behaviour_snapshot.sh DIR}
bin=${EVENTWIRE:-.venv/bin/eventwire}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" extract samples/ > "$out/extract.jsonl"
"$bin" ingest samples/articles.jsonl --db "$work/demo.duckdb" 2>/dev/null | sed "s#$work/##" > "$out/ingest.txt"
"$bin" report --db "$work/demo.duckdb" | sed "s#$work/##" > "$out/report.txt"
"$bin" timeline BLR RUS --db "$work/demo.duckdb" > "$out/timeline.txt"
for task in repair ner actors coref quotes timex events; do
  "$bin" eval "$task" --json > "$out/eval-$task.json"
done
