"""Logs the import benchmark's source through the real MLflow client (MLFLOW_TRACKING_URI = a live
MLflow server): RUNS runs in one experiment, each with 10 params, 5 tags, KEYS metric keys of STEPS
points each (log_batch, 1000 points a call) and one artifact of ARTIFACT_KB kilobytes."""

import os
import sys

import mlflow
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag

runs, keys, steps, artifact_kb = (int(v) for v in sys.argv[1:5])
client = MlflowClient()
exp = client.create_experiment("import-bench")
blob = os.urandom(artifact_kb * 1024)
path = os.path.join(sys.argv[5], "weights.bin")
with open(path, "wb") as f:
    f.write(blob)
for r in range(runs):
    run = client.create_run(exp, run_name=f"bench-{r}")
    rid = run.info.run_id
    client.log_batch(
        rid,
        params=[Param(f"p{i}", str(i * r)) for i in range(10)],
        tags=[RunTag(f"t{i}", f"v{i}") for i in range(5)],
    )
    points = [Metric(f"m{k}", (s * 0.001) + k, 1_700_000_000_000 + s, s) for k in range(keys) for s in range(steps)]
    for i in range(0, len(points), 1000):
        client.log_batch(rid, metrics=points[i : i + 1000])
    client.log_artifact(rid, path, "model")
    client.set_terminated(rid)
print("logged", runs, "runs")
