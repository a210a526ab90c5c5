#!/usr/bin/env bash
# The real MLflow 2.17 client with Basic and Bearer credentials against Trove with auth on
# (scripts/mlflow-client-auth.py), and with Basic against the real MLflow's basic-auth app, side by side.
# NOT part of CI: it needs the MLflow harness (set-up steps at the top of scripts/mlflow-client-workload.sh).
# Usage: scripts/mlflow-client-auth.sh [--only trove|mlflow]
set -uo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HARNESS=${MLFLOW_HARNESS:-/tmp/mlflow-harness}
PY="$HARNESS/venv/bin/python"
WORK=$(mktemp -d /tmp/mlflow-client-auth.XXXXXX)
ONLY=${2:-}
[[ -x "$PY" ]] || { echo "no harness python at $PY" >&2; exit 2; }
(cd "$REPO" && node packages/cli/scripts/bundle.mjs >/dev/null)
TROVE="node $REPO/packages/cli/bin/trove.js"
status=0

wait_up() { for _ in $(seq 1 240); do curl -sf -o /dev/null "http://127.0.0.1:$1/health" && return 0; sleep 0.5; done; return 1; }

if [[ "$ONLY" != mlflow ]]; then
  DB="sqlite:///$WORK/trove.db"
  # The first admin comes from the environment; a CI token from `trove user token`.
  setsid env TROVE_ADMIN_USERNAME=admin TROVE_ADMIN_PASSWORD=admin-pass-1 $TROVE server --app-name basic-auth \
    --port 5121 --backend-store-uri "$DB" --artifacts-destination "$WORK/artifacts" >"$WORK/trove.log" 2>&1 &
  pid=$!
  wait_up 5121 || { tail "$WORK/trove.log"; exit 2; }
  $TROVE user create ci-bot --service --backend-store-uri "$DB"
  TOKEN=$($TROVE user token ci-bot --name mlflow-client --backend-store-uri "$DB")
  # A service account holds what it is granted: make it an editor of the default workspace.
  curl -sf -u admin:admin-pass-1 -X PUT -H 'content-type: application/json' \
    -d '{"username":"ci-bot","role":"editor"}' http://127.0.0.1:5121/api/trove/v1/members >/dev/null
  echo "== Trove (auth on): Basic and Bearer"
  "$PY" "$REPO/scripts/mlflow-client-auth.py" http://127.0.0.1:5121 admin admin-pass-1 "$TOKEN" || status=1
  kill -TERM -- "-$pid" 2>/dev/null
fi
if [[ "$ONLY" != trove ]]; then
  cd "$WORK" || exit 2
  setsid "$PY" -m mlflow server --app-name basic-auth --port 5122 --backend-store-uri "sqlite:///$WORK/mlflow.db" \
    --artifacts-destination "$WORK/mlflow-artifacts" >"$WORK/mlflow.log" 2>&1 &
  pid=$!
  wait_up 5122 || { tail "$WORK/mlflow.log"; exit 2; }
  echo "== MLflow 2.17 basic-auth app: Basic (it has no tokens)"
  "$PY" "$REPO/scripts/mlflow-client-auth.py" http://127.0.0.1:5122 admin password || status=1
  kill -TERM -- "-$pid" 2>/dev/null
fi
echo "logs: $WORK"
exit $status
