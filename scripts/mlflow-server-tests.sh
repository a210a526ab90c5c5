#!/usr/bin/env bash
# MLflow 2.17.2's own server tests against Trove, through ../shared/mlflow-harness (set it up first:
# ../shared/mlflow-harness/README.md). Needs the harness, so CI does not run it.
#
# The tests start one server per test for 10-20 minutes; so that edits made meanwhile cannot break
# half the run, they start a frozen copy of this tree (bundled CLI, hard-linked node_modules).
# The server runs in the tests' own working directory, as MLflow's does (relative artifact
# locations resolve there).
#
# Usage: scripts/mlflow-server-tests.sh [HARNESS_DIR=/tmp/mlflow-harness] [pytest args...]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${1:-/tmp/mlflow-harness}; shift || true
SNAP=$(mktemp -d /tmp/trove-snapshot-XXXXXX)
(cd "$REPO" && node packages/cli/scripts/bundle.mjs >/dev/null)
tar -C "$REPO" --exclude=./node_modules --exclude=./.git --exclude=./trove-data -cf - . | tar -C "$SNAP" -xf -
cp -al "$REPO/node_modules" "$SNAP/node_modules"
echo "Trove snapshot: $SNAP"
# MLflow's auth tests ask for the auth app ({app}); they sign in as the admin of MLflow 2.17's auth config
# (`admin` / `password`, mlflow/server/auth/basic_auth.ini), handed to Trove through the environment.
AUTH='$(if [ {app} = mlflow.server.auth:create_app ]; then echo --app-name basic-auth; fi)'
exec "$REPO/../shared/mlflow-harness/run-server-tests.sh" "$HARNESS" \
  "TROVE_ADMIN_USERNAME=admin TROVE_ADMIN_PASSWORD=password exec node $SNAP/packages/cli/bin/trove.js server --host {host} --port {port} --backend-store-uri {backend_uri} --default-artifact-root {artifact_root} --artifacts-destination {artifacts_destination} {serve_artifacts_flag} $AUTH" \
  "$@"
