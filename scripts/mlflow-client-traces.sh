#!/usr/bin/env bash
# GenAI tracing with the real MLflow 2.17.2 Python client (scripts/mlflow_client_traces.py: @mlflow.trace on
# nested functions, mlflow.start_span, MlflowClient's trace API, search_traces, tags, delete_traces, no warnings
# in the user's program), against the real MLflow server and against Trove, each on fresh storage, in two
# artifact set-ups:
#   proxy  --serve-artifacts: traces' span data at mlflow-artifacts:/ locations, uploaded through the server;
#   local  --no-serve-artifacts with a local --default-artifact-root: the client writes traces.json itself and
#          the server reads it from the path (the way MLflow's own UI does);
#   auth   proxy with --app-name basic-auth: MLflow's default admin against MLflow, a service account with the
#          editor role (a bearer token) against Trove.
# Then a side-by-side table of the outcomes.
#
# NOT part of CI: it needs the MLflow harness (see the set-up steps at the top of scripts/mlflow-client-workload.sh
# and ../shared/mlflow-harness/README.md).
#
# Usage: scripts/mlflow-client-traces.sh [--only mlflow|trove]
# Environment: MLFLOW_HARNESS (default /tmp/mlflow-harness), MLFLOW_PORT (5121), TROVE_PORT (5122),
#              OUT_DIR (default: a new /tmp/mlflow-client-traces.XXXXXX, keeping the JSON summaries, the
#              workload output and the servers' logs).
# Exit code: 0 when every step passed against every server that ran.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HARNESS=${MLFLOW_HARNESS:-/tmp/mlflow-harness}
PY="$HARNESS/venv/bin/python"
MLFLOW_PORT=${MLFLOW_PORT:-5121}
TROVE_PORT=${TROVE_PORT:-5122}
WORK=${OUT_DIR:-$(mktemp -d /tmp/mlflow-client-traces.XXXXXX)}
mkdir -p "$WORK"
ONLY=""
if [[ "${1:-}" == "--only" ]]; then ONLY=$2; shift 2; fi

die() { echo "mlflow-client-traces: $*" >&2; exit 2; }
[[ -x "$PY" ]] || die "no harness python at $PY (see ../shared/mlflow-harness/README.md)"
"$PY" -c 'import mlflow' 2>/dev/null || die "$PY cannot import mlflow"
for port in "$MLFLOW_PORT" "$TROVE_PORT"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then die "port $port is already serving; stop that server first"; fi
done

PIDS=()
# Each server runs in its own session (setsid), so stopping it stops its children too (gunicorn workers, npx's node).
start_server() { # name port log command...
  local name=$1 port=$2 log=$3
  shift 3
  setsid "$@" >"$log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  local t0=$SECONDS
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do
    if ! kill -0 "$pid" 2>/dev/null; then tail -20 "$log" >&2; die "$name exited before answering /health (log: $log)"; fi
    if ((SECONDS - t0 > 120)); then tail -20 "$log" >&2; die "$name did not answer /health in 120 s (log: $log)"; fi
    sleep 0.5
  done
}
stop_servers() {
  for pid in "${PIDS[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  PIDS=()
}
trap stop_servers EXIT
trap 'exit 130' INT TERM

echo "workdir $WORK"
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), node $(node --version 2>/dev/null), $("$PY" --version)"
echo "trove commit $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- packages 2>/dev/null || echo ' + uncommitted changes under packages/')"
if [[ "$ONLY" != "mlflow" ]]; then
  (cd "$REPO" && node packages/cli/scripts/bundle.mjs) || die "the Trove bundle did not build"
fi

status=0
run_workload() { # label port [VAR=value… for the client's credentials]
  local label=$1 port=$2
  shift 2
  echo
  echo "=== $label (http://127.0.0.1:$port) ==="
  (cd "$WORK" && env "$@" "$PY" -u "$REPO/scripts/mlflow_client_traces.py" --tracking-uri "http://127.0.0.1:$port" \
    --out "$WORK/$label.json" --label "$label") >"$WORK/$label.out" 2>&1
  local rc=$?
  grep -E '^(STEP|SUMMARY|    \|)' "$WORK/$label.out"
  ((rc == 0)) || status=1
}

for mode in proxy local auth; do
  store="$WORK/$mode"
  rm -rf "$store" && mkdir -p "$store"
  mlflow_creds=() trove_creds=() mlflow_auth=() trove_auth=()
  if [[ $mode != local ]]; then
    mlflow_art=(--artifacts-destination "$store/mlflow-artifacts" --serve-artifacts)
    trove_art=(--artifacts-destination "$store/trove-artifacts" --serve-artifacts)
  else
    mlflow_art=(--default-artifact-root "$store/mlflow-mlruns" --no-serve-artifacts)
    trove_art=(--default-artifact-root "$store/trove-mlruns" --no-serve-artifacts)
  fi
  if [[ $mode == auth ]]; then
    # MLflow keeps its users in basic_auth.db under the server's working directory; its default admin.
    mlflow_auth=(--app-name basic-auth)
    mlflow_creds=(MLFLOW_TRACKING_USERNAME=admin MLFLOW_TRACKING_PASSWORD=password)
    trove_auth=(--app-name basic-auth)
  fi
  if [[ "$ONLY" != "trove" ]]; then
    start_server mlflow "$MLFLOW_PORT" "$WORK/mlflow-$mode-server.log" \
      bash -c 'cd "$1" && shift && exec "$@"' _ "$store" \
      "$PY" -m mlflow server --host 127.0.0.1 --port "$MLFLOW_PORT" \
      --backend-store-uri "sqlite:///$store/mlflow.db" "${mlflow_art[@]}" --workers 1 "${mlflow_auth[@]}"
    run_workload "mlflow-$mode" "$MLFLOW_PORT" "${mlflow_creds[@]}"
  fi
  if [[ "$ONLY" != "mlflow" ]]; then
    start_server trove "$TROVE_PORT" "$WORK/trove-$mode-server.log" \
      env TROVE_ADMIN_USERNAME=admin TROVE_ADMIN_PASSWORD=admin-pass-1 \
      bash -c 'cd "$1" && shift && exec npx --no-install trove server "$@"' _ "$REPO" \
      --host 127.0.0.1 --port "$TROVE_PORT" --backend-store-uri "sqlite:///$store/trove.db" "${trove_art[@]}" \
      "${trove_auth[@]}"
    if [[ $mode == auth ]]; then
      trove_cli=(npx --no-install trove)
      (cd "$REPO" && "${trove_cli[@]}" user create trace-bot --service --backend-store-uri "sqlite:///$store/trove.db") \
        >/dev/null || die "trove user create failed"
      token=$(cd "$REPO" && "${trove_cli[@]}" user token trace-bot --name traces --backend-store-uri "sqlite:///$store/trove.db")
      curl -sf -u admin:admin-pass-1 -X PUT -H 'content-type: application/json' \
        -d '{"username":"trace-bot","role":"editor"}' "http://127.0.0.1:$TROVE_PORT/api/trove/v1/members" >/dev/null ||
        die "could not make trace-bot an editor"
      trove_creds=(MLFLOW_TRACKING_TOKEN="$token")
    fi
    run_workload "trove-$mode" "$TROVE_PORT" "${trove_creds[@]}"
  fi
  stop_servers
done

echo
"$PY" - "$WORK" <<'EOF'
import json, os, sys

work = sys.argv[1]
runs = {}
for label, name in (("MLflow 2.17.2, proxy", "mlflow-proxy"), ("Trove, proxy", "trove-proxy"),
                    ("MLflow 2.17.2, local", "mlflow-local"), ("Trove, local", "trove-local"),
                    ("MLflow 2.17.2, auth", "mlflow-auth"), ("Trove, auth", "trove-auth")):
    path = os.path.join(work, f"{name}.json")
    if os.path.exists(path):
        runs[label] = {s["name"]: s for s in json.load(open(path))["steps"]}
names = []
for steps in runs.values():
    names += [n for n in steps if n not in names]
labels = list(runs)
print("| step | " + " | ".join(labels) + " | note |")
print("|---|" + "---|" * len(labels) + "---|")
for n in names:
    cells, note = [], ""
    for l in labels:
        s = runs[l].get(n)
        outcome = "—" if s is None else {True: "ok", False: "**FAIL**", None: "n/a"}[s["ok"]]
        cells.append(outcome if s is None else f"{outcome} {s['seconds']:.2f} s")
        if s is not None and s["ok"] is False and not note:
            note = f"{l}: {' '.join(s['detail'].split())[:110]}"
    print(f"| {n} | " + " | ".join(cells) + f" | {note.replace('|', '/')} |")
print("| **passed** | " + " | ".join(f"{sum(s['ok'] is True for s in r.values())}/{sum(s['ok'] is not None for s in r.values())}"
                                    for r in runs.values()) + " | |")
EOF
echo
echo "details: $WORK/*.json (tracebacks), $WORK/*.out, $WORK/*-server.log"
exit $status
