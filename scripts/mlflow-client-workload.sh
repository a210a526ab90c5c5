#!/usr/bin/env bash
# The real MLflow 2.17.2 Python client doing what an ML practitioner does (scripts/mlflow-client-workload.py),
# against the real MLflow server and against Trove, each on fresh storage; then a side-by-side table.
#
# NOT part of CI: it needs the MLflow harness, which is built from fetched public source snapshots on
# Debian's Python packages (PyPI is not reachable here). Set it up once per machine, as
# ../shared/mlflow-harness/README.md says:
#   1. bring github:williamjamir/mlflow, github:graphql-python/graphene, github:graphql-python/graphql-core,
#      github:graphql-python/graphql-relay-py and github:open-telemetry/opentelemetry-python onto the
#      machine as git directories;
#   2. ../shared/mlflow-harness/setup.sh /tmp/mlflow-harness MLFLOW_GIT GRAPHENE_GIT CORE_GIT RELAY_GIT OTEL_GIT
#      (then `/tmp/mlflow-harness/venv/bin/python -c 'import mlflow, sklearn, pandas, matplotlib'` works);
#   3. npm install in this repository (Trove's bundle is rebuilt below when it is stale).
#
# Usage: scripts/mlflow-client-workload.sh [--only mlflow|trove] [workload options, e.g. --images 100 --big-mb 50]
# Environment: MLFLOW_HARNESS (default /tmp/mlflow-harness), MLFLOW_PORT (5111), TROVE_PORT (5112),
#              OUT_DIR (default: a new /tmp/mlflow-client-workload.XXXXXX; it keeps the JSON summaries,
#              the workload output and both servers' logs).
# Exit code: 0 when every step passed against every server that ran.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HARNESS=${MLFLOW_HARNESS:-/tmp/mlflow-harness}
PY="$HARNESS/venv/bin/python"
MLFLOW_PORT=${MLFLOW_PORT:-5111}
TROVE_PORT=${TROVE_PORT:-5112}
WORK=${OUT_DIR:-$(mktemp -d /tmp/mlflow-client-workload.XXXXXX)}
mkdir -p "$WORK"
ONLY=""
if [[ "${1:-}" == "--only" ]]; then ONLY=$2; shift 2; fi

die() { echo "mlflow-client-workload: $*" >&2; exit 2; }
[[ -x "$PY" ]] || die "no harness python at $PY (see the set-up steps at the top of $0)"
"$PY" -c 'import mlflow, sklearn, pandas, matplotlib' 2>/dev/null || die "$PY cannot import mlflow/sklearn/pandas/matplotlib"
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
  echo "$name up on port $port after $((SECONDS - t0)) s (pid $pid, log $log)"
}
stop_server() { # pid
  local pid=$1
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}
cleanup() { for pid in "${PIDS[@]}"; do stop_server "$pid"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "workdir $WORK"
echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), node $(node --version 2>/dev/null), $("$PY" --version)"
echo "trove commit $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- packages 2>/dev/null || echo ' + uncommitted changes under packages/')"

if [[ "$ONLY" != "mlflow" ]]; then
  (cd "$REPO" && node packages/cli/scripts/bundle.mjs) || die "the Trove bundle did not build"
fi

rm -rf "$WORK/mlflow-store" "$WORK/trove-store"
mkdir -p "$WORK/mlflow-store" "$WORK/trove-store"
if [[ "$ONLY" != "trove" ]]; then
  start_server mlflow "$MLFLOW_PORT" "$WORK/mlflow-server.log" \
    "$PY" -m mlflow server --host 127.0.0.1 --port "$MLFLOW_PORT" \
    --backend-store-uri "sqlite:///$WORK/mlflow-store/mlflow.db" \
    --artifacts-destination "$WORK/mlflow-store/mlartifacts" --serve-artifacts --workers 1
fi
if [[ "$ONLY" != "mlflow" ]]; then
  start_server trove "$TROVE_PORT" "$WORK/trove-server.log" \
    bash -c 'cd "$1" && exec npx --no-install trove server --host 127.0.0.1 --port "$2" \
      --backend-store-uri "sqlite:///$3/trove.db" --artifacts-destination "$3/trove-artifacts"' \
    _ "$REPO" "$TROVE_PORT" "$WORK/trove-store"
fi

status=0
run_workload() { # label port
  local label=$1 port=$2
  shift 2
  echo
  echo "=== workload against $label (http://127.0.0.1:$port) ==="
  (cd "$WORK" && MLFLOW_TRACKING_URI="http://127.0.0.1:$port" "$PY" -u "$REPO/scripts/mlflow-client-workload.py" \
    --out "$WORK/$label.json" --label "$label" "$@") >"$WORK/$label-workload.out" 2>&1
  local rc=$?
  grep -E '^(STEP|SUMMARY|    \|)' "$WORK/$label-workload.out"
  ((rc == 0)) || status=1
}
shift_args=("$@")
[[ "$ONLY" == "trove" ]] || run_workload mlflow "$MLFLOW_PORT" "${shift_args[@]}"
[[ "$ONLY" == "mlflow" ]] || run_workload trove "$TROVE_PORT" "${shift_args[@]}"

cleanup
PIDS=()

echo
"$PY" - "$WORK/mlflow.json" "$WORK/trove.json" <<'EOF'
import json, os, sys

runs = {}
for label, path in (("MLflow 2.17.2", sys.argv[1]), ("Trove", sys.argv[2])):
    if os.path.exists(path):
        runs[label] = {s["name"]: s for s in json.load(open(path))["steps"]}
names = []
for steps in runs.values():
    names += [n for n in steps if n not in names]
labels = list(runs)
print("| step | " + " | ".join(f"{l} | s" for l in labels) + " | note |")
print("|---|" + "---|---|" * len(labels) + "---|")
def short(text, n=110):
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"
for n in names:
    cells, note = [], ""
    for l in labels:
        s = runs[l].get(n)
        if s is None:
            cells += ["—", ""]
            continue
        cells += ["ok" if s["ok"] else "**FAIL**", f"{s['seconds']:.2f}"]
        if not s["ok"] and not note:
            note = f"{l}: {short(s['detail'])}"
    print(f"| {n} | " + " | ".join(cells) + f" | {note.replace('|', '/')} |")
totals = []
for l in labels:
    st = runs[l].values()
    totals += [f"{sum(s['ok'] for s in st)}/{len(st)} ok", f"{sum(s['seconds'] for s in st):.1f}"]
print("| **total** | " + " | ".join(totals) + " | |")
EOF
echo
echo "details: $WORK/{mlflow,trove}.json (tracebacks), $WORK/*-workload.out, $WORK/*-server.log"
exit $status
