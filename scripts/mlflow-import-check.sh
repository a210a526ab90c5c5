#!/usr/bin/env bash
# Development check (needs ../shared/mlflow-harness; CI does not run it): the real MLflow 2.17.2
# server serves a copy of the committed fixture, `trove import mlflow --from` copies it over REST
# into a fresh Trove, and `--from-db` copies the same database directly; both reports are printed.
# Usage: scripts/mlflow-import-check.sh [/tmp/mlflow-harness]
set -euo pipefail
HARNESS=${1:-/tmp/mlflow-harness}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${MLFLOW_CHECK_PORT:-5392}
WORK=$(mktemp -d)
cp -r "$ROOT/test/fixtures/mlflow-2.17/." "$WORK/source"
setsid "$HARNESS/venv/bin/python" -m mlflow server --host 127.0.0.1 --port "$PORT" --workers 1 \
  --backend-store-uri "sqlite:///$WORK/source/mlflow.db" --artifacts-destination "$WORK/source/artifacts" \
  >"$WORK/mlflow.log" 2>&1 &
SERVER=$!
trap 'kill -- -"$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
! curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "port $PORT is taken" >&2; exit 1; }
for _ in $(seq 120); do curl -fs "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 1; done
cd "$WORK"
echo "== trove import mlflow --from http://127.0.0.1:$PORT (MLflow $(curl -fs "http://127.0.0.1:$PORT/version"))"
node "$ROOT/packages/cli/bin/trove.js" import mlflow --from "http://127.0.0.1:$PORT" --quiet \
  --backend-store-uri "$WORK/rest/trove.db" --artifacts-destination "$WORK/rest/artifacts"
echo "== trove import mlflow --from-db (the same database)"
node "$ROOT/packages/cli/bin/trove.js" import mlflow --from-db "sqlite:///$WORK/source/mlflow.db" \
  --artifacts "$WORK/source/artifacts" --quiet \
  --backend-store-uri "$WORK/db/trove.db" --artifacts-destination "$WORK/db/artifacts"
echo "== again over REST into the same Trove: nothing to do"
node "$ROOT/packages/cli/bin/trove.js" import mlflow --from "http://127.0.0.1:$PORT" --quiet \
  --backend-store-uri "$WORK/rest/trove.db" --artifacts-destination "$WORK/rest/artifacts" | tail -1
