#!/usr/bin/env python3
"""What an ML practitioner does with the REAL MLflow 2.17 Python client, step by step, timed and checked.

NOT part of CI: it needs the MLflow harness (MLflow 2.17.2 + sklearn/pandas/matplotlib, built by
../shared/mlflow-harness/setup.sh into /tmp/mlflow-harness). Run it with the harness's python:

    MLFLOW_TRACKING_URI=http://127.0.0.1:5111 /tmp/mlflow-harness/venv/bin/python \
        scripts/mlflow-client-workload.py --out /tmp/workload-mlflow.json

or let scripts/mlflow-client-workload.sh run it against the real MLflow server and Trove side by side.

Every step prints one line `STEP <name> ok|FAIL <seconds> <detail>` and the run goes on past a
failing step (its traceback head is recorded), so one run shows every failure. A step that needs the
result of an earlier failed step fails with "blocked by <step>". At the end a JSON summary goes to
--out; the exit code is 0 only when every step passed.

Image file names: `mlflow.log_image(key=..., step=...)` writes
`images/<key>%step%<step>%timestamp%<ms>%<uuid4>.png` (+ `%compressed.webp`). Each `%XY` there that
reads as a percent-escape is a trap for a server that decodes a path more than once: `%2e` is `.`,
`%2f` `/`, `%5c` `\\`, `%00` NUL, `%0a`/`%0d` newlines, `%23` `#`, `%3b` `;` (and `%17` from every
timestamp, `%23` from step 23). Random uuids would need ~2000 images to hit all eight prefixes, so by
default the first eight uuids get those prefixes and the rest are random without them
(--natural-uuids: all random). The script swaps the `uuid` module and the clock that
mlflow.tracking.client uses only to choose and record the names; every request is the client's own.
(urllib3, inside requests, upper-cases each `%xx` of a URL path before sending it, so a name with
`%2f05…` reaches a server as `%2F05…`.)

What the real MLflow 2.17.2 server does with these names, and so what the image steps demand:
- it percent-decodes an artifact path until it stops changing (mlflow.utils.uri._decode) and keeps
  the decoded name: `%00` fails with 500 ("embedded null byte"), `%23` is refused with 400
  ("Invalid path"), every other name is stored mangled (control characters, U+FFFD);
- it then cannot serve those names (400 "Invalid HTTP Header" or a dropped connection).
So `log_image_steps` passes when every image is accepted except those MLflow itself refuses (`%00`,
`%23`; refusing them is allowed, with an HTTP error) and the client's `list_artifacts` lists two
files per accepted image; `image_readback` passes unless a file comes back with WRONG bytes, and
says in its detail how many came back right. Everything else must round-trip exactly.
"""
import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import socket
import sys
import tempfile
import time
import traceback
import uuid
import warnings

ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
ap.add_argument("--out", required=True, help="where to write the JSON summary")
ap.add_argument("--tracking-uri", default=os.environ.get("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000"))
ap.add_argument("--label", default="", help="a name for the server under test, copied into the summary")
ap.add_argument("--images", type=int, default=100, help="how many log_image steps (default 100)")
ap.add_argument("--big-mb", type=int, default=50, help="size of the log_artifact file in MiB (default 50)")
ap.add_argument("--natural-uuids", action="store_true", help="do not choose the first image uuids' prefixes")
ap.add_argument("--keep-tmp", action="store_true", help="keep the scratch directory")
ap.add_argument("--http-retries", type=int, default=int(os.environ.get("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "2")),
                help="the client's retries of a 5xx or a dropped connection (MLflow's default 7 with backoff "
                     "factor 2 spends minutes on each; default here 2, backoff factor 1)")
args = ap.parse_args()

os.environ["MLFLOW_TRACKING_URI"] = args.tracking_uri
os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = str(args.http_retries)
os.environ.setdefault("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "1")
warnings.filterwarnings("ignore")
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")

import logging  # noqa: E402

logging.getLogger("mlflow").setLevel(logging.ERROR)

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import mlflow  # noqa: E402
import mlflow.sklearn  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import PIL.Image  # noqa: E402
import requests  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.entities import Metric, Param, RunTag  # noqa: E402
from mlflow.models import infer_signature  # noqa: E402
from sklearn.datasets import load_breast_cancer, load_iris  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

BASE = args.tracking_uri.rstrip("/")
mlflow.set_tracking_uri(BASE)
mlflow.set_registry_uri(BASE)
client = MlflowClient(tracking_uri=BASE, registry_uri=BASE)
SUFFIX = uuid.uuid4().hex[:8]
TMP = tempfile.mkdtemp(prefix="mlflow-workload-")
SPECIAL_PREFIXES = ["2e", "2f", "5c", "00", "0a", "0d", "23", "3b"]

ctx = {}  # results later steps need: run ids, model names, ...
results = []


class Blocked(Exception):
    pass


def need(*keys):
    for k in keys:
        if k not in ctx:
            raise Blocked(f"blocked by {k}")
    return [ctx[k] for k in keys] if len(keys) > 1 else ctx[keys[0]]


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def _tb_head(e):
    root = e
    while root.__cause__ is not None:
        root = root.__cause__
    head = "".join(traceback.format_exception(type(root), root, root.__traceback__)[-6:])
    if root is not e:
        head += f"(raised again as) {type(e).__name__}: {e}\n"
    return head[-4000:]


def step(fn):
    name = fn.__name__.removeprefix("step_")
    t0 = time.perf_counter()
    rec = {"name": name}
    try:
        detail = fn()
        rec.update(ok=True, detail=str(detail or ""))
    except Blocked as e:
        rec.update(ok=False, detail=str(e), error=str(e))
    except Exception as e:  # noqa: BLE001 — every failure is recorded, the run goes on
        tb = traceback.format_exception(type(e), e, e.__traceback__)
        tb_text = "".join(tb)
        msg = f"{type(e).__name__}: {e}"
        rec.update(
            ok=False,
            detail=msg.splitlines()[0][:300] if msg.strip() else type(e).__name__,
            error=msg[:4000],
            # "head": the innermost frames of the first exception and the final message, which is what says what broke
            traceback_head=_tb_head(e),
            traceback=tb_text[-12000:],
        )
    rec["seconds"] = round(time.perf_counter() - t0, 3)
    results.append(rec)
    print(f"STEP {name} {'ok' if rec['ok'] else 'FAIL'} {rec['seconds']:.2f} {rec['detail']}", flush=True)
    if not rec["ok"] and not rec["detail"].startswith("blocked by"):
        for line in rec["traceback_head"].rstrip().splitlines()[-8:]:
            print(f"    | {line}", flush=True)
    return fn


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def list_all_artifacts(run_id, path=None):
    """Recursive listing: {relative path: size} of every file of the run."""
    out = {}
    for fi in client.list_artifacts(run_id, path):
        if fi.is_dir:
            out.update(list_all_artifacts(run_id, fi.path))
        else:
            out[fi.path] = fi.file_size
    return out


def raw_list_all(run_id, path):
    """The same recursive listing read straight from the server (the UI's route), without the
    client's checks on each listed name."""
    out = {}
    r = requests.get(f"{BASE}/ajax-api/2.0/mlflow/artifacts/list", params={"run_id": run_id, "path": path}, timeout=60)
    r.raise_for_status()
    for f in r.json().get("files", []):
        if f.get("is_dir"):
            out.update(raw_list_all(run_id, f["path"]))
        else:
            out[f["path"]] = int(f["file_size"]) if "file_size" in f else None
    return out


# ---------------------------------------------------------------------------------------------
@step
def step_server_reachable():
    r = requests.get(f"{BASE}/health", timeout=10)
    check(r.status_code == 200, f"/health answered {r.status_code}")
    return f"{BASE} mlflow-client {mlflow.__version__}"


@step
def step_experiment():
    name = f"workload-{SUFFIX}"
    exp_id = client.create_experiment(name, tags={"team": "workload", "purpose": "client-check"})
    exp = mlflow.set_experiment(name)
    check(exp.experiment_id == exp_id, f"set_experiment -> {exp.experiment_id}, created {exp_id}")
    got = client.get_experiment_by_name(name)
    check(got.tags.get("team") == "workload", f"tags {got.tags}")
    check(got.lifecycle_stage == "active", got.lifecycle_stage)
    found = client.search_experiments(filter_string=f"name = '{name}'")
    check([e.experiment_id for e in found] == [exp_id], f"search_experiments -> {found}")
    ctx["experiment"] = exp_id
    ctx["experiment_name"] = name
    return f"id {exp_id} artifact_location {got.artifact_location}"


@step
def step_nested_runs():
    exp_id = need("experiment")
    with mlflow.start_run(run_name="hp-sweep") as parent:
        mlflow.log_param("search", "grid")
        child_ids = []
        for i, lr in enumerate([0.1, 0.01, 0.001]):
            with mlflow.start_run(run_name=f"trial-{i}", nested=True) as child:
                mlflow.log_param("lr", lr)
                mlflow.log_metric("val_loss", 1.0 - i * 0.2)
                child_ids.append(child.info.run_id)
        mlflow.log_metric("best_val_loss", 0.6)
    pid = parent.info.run_id
    kids = client.search_runs([exp_id], filter_string=f"tags.mlflow.parentRunId = '{pid}'")
    check(sorted(r.info.run_id for r in kids) == sorted(child_ids), f"children found {[r.info.run_id for r in kids]}")
    for r in kids:
        check(r.info.status == "FINISHED", f"child status {r.info.status}")
        check(r.data.tags.get("mlflow.parentRunId") == pid, "parentRunId tag")
    p = client.get_run(pid)
    check(p.info.run_name == "hp-sweep" and p.data.metrics == {"best_val_loss": 0.6}, f"parent {p.info} {p.data}")
    ctx["parent_run"] = pid
    ctx["child_runs"] = child_ids
    return f"parent {pid} + {len(child_ids)} children"


@step
def step_log_batch():
    need("experiment")
    run = client.create_run(ctx["experiment"], run_name="batch", tags={"kind": "batch"})
    rid = run.info.run_id
    now = int(time.time() * 1000)
    keys = ["loss", "acc", "lr", "grad_norm", "val/loss"]
    metrics = [Metric(k, float(s) * (j + 1) / 1000.0, now + s, s) for j, k in enumerate(keys) for s in range(500)]
    params = [Param(f"p{i:03d}", f"value-{i}") for i in range(150)]
    tags = [RunTag(f"t{i:02d}", f"tag-{i}") for i in range(20)]
    client.log_batch(rid, metrics=metrics, params=params, tags=tags)  # the client splits it into chunks
    client.set_terminated(rid)
    r = client.get_run(rid)
    check(len(r.data.params) == 150 and r.data.params["p149"] == "value-149", f"{len(r.data.params)} params")
    check(all(r.data.tags.get(f"t{i:02d}") == f"tag-{i}" for i in range(20)), "tags")
    for j, k in enumerate(keys):
        check(abs(r.data.metrics[k] - 499 * (j + 1) / 1000.0) < 1e-12, f"latest {k} = {r.data.metrics.get(k)}")
    ctx["batch_run"] = rid
    ctx["batch_keys"] = keys
    return f"{len(metrics)} metrics, {len(params)} params, {len(tags)} tags in run {rid}"


@step
def step_metric_history():
    rid, keys = need("batch_run", "batch_keys")
    total = 0
    for j, k in enumerate(keys):
        hist = client.get_metric_history(rid, k)
        total += len(hist)
        check(len(hist) == 500, f"{k}: {len(hist)} points")
        by_step = {m.step: m for m in hist}
        check(sorted(by_step) == list(range(500)), f"{k}: steps")
        check(all(abs(by_step[s].value - s * (j + 1) / 1000.0) < 1e-12 for s in range(500)), f"{k}: values")
    # fluent log_metric with steps, as a training loop does
    with mlflow.start_run(run_name="training-loop") as run:
        for s in range(200):
            mlflow.log_metric("train_loss", 1.0 / (s + 1), step=s)
    hist = client.get_metric_history(run.info.run_id, "train_loss")
    check(sorted(m.step for m in hist) == list(range(200)), f"train_loss steps {len(hist)}")
    check(all(abs(m.value - 1.0 / (m.step + 1)) < 1e-12 for m in hist), "train_loss values")
    ctx["loop_run"] = run.info.run_id
    return f"{total + len(hist)} points read back"


class _ChosenUuids:
    """Stands in for the `uuid` module inside mlflow.tracking.client while images are logged: the
    first uuids get the chosen prefixes, later ones are random but avoid `avoid`. Records each uuid."""

    def __init__(self, prefixes, avoid):
        self.queue, self.avoid, self.issued = list(prefixes), set(avoid), []

    def uuid4(self):
        if self.queue:
            u = uuid.UUID(self.queue.pop(0) + uuid.uuid4().hex[2:])
        else:
            u = uuid.uuid4()
            while u.hex[:2] in self.avoid:
                u = uuid.uuid4()
        self.issued.append(u)
        return u

    def __getattr__(self, name):
        return getattr(uuid, name)


def _image(step_no):
    y, x = np.mgrid[0:48, 0:64]
    img = np.stack([(x * 4 + step_no) % 256, (y * 5 + 3 * step_no) % 256, (x + y + 7 * step_no) % 256], axis=-1)
    return img.astype(np.uint8)


def _pixels_key(arr):
    return hashlib.sha256(np.ascontiguousarray(arr).tobytes()).hexdigest()


# The real MLflow 2.17.2 server percent-decodes an artifact path until it stops changing
# (mlflow.utils.uri._decode), then refuses '#' (400 "Invalid path") and fails on NUL (500
# "embedded null byte"). So an image whose file name holds %23 (step 23.., uuid 23..) or %00
# (uuid 00..) is refused by MLflow itself; every other image it accepts.
MLFLOW_REFUSES = re.compile(r"%(00|23)")


def _short_error(exc):
    """The part of a client error that says what the server did: status and message, or the dropped connection."""
    text = str(exc)
    for pat in (r"Invalid HTTP Header[^<]*", r"Caused by [^\n]*", r"Response text: [^\n]*", r"\d\d\d [A-Za-z ]+Error[^\n]*"):
        m = re.search(pat, text)
        if m:
            return m.group(0)[:120 if "Invalid HTTP" in pat else 240]
    return (text.strip().splitlines() or [type(exc).__name__])[-1][:240]


def _http_status(exc):
    m = re.search(r"\b([45]\d\d)\b", str(exc))
    return m.group(1) if m else None


def _upper_escapes(name):
    """urllib3 (inside requests) upper-cases every %xx of a URL path before sending it, so a server
    that keeps names literally stores `%2F05b3…` for a uuid `2f05b3…`: compare names that way."""
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), name)


@step
def step_log_image_steps():
    """mlflow.log_image(key=, step=) for --images steps, one image per step, like a training loop."""
    need("experiment")
    import mlflow.tracking.client as tc

    chooser = _ChosenUuids([] if args.natural_uuids else SPECIAL_PREFIXES, [] if args.natural_uuids else SPECIAL_PREFIXES)
    stamps = []
    real_uuid, real_now = tc.uuid, tc.get_current_time_millis

    def now():  # records the timestamp log_image puts in the file name
        stamps.append(real_now())
        return stamps[-1]

    tc.uuid, tc.get_current_time_millis = chooser, now
    accepted, refused, written = {}, [], {}
    try:
        with mlflow.start_run(run_name="images") as run:
            for s in range(args.images):
                n_uuid, n_ts = len(chooser.issued), len(stamps)
                err = None
                try:
                    # synchronous=True: the fluent default queues uploads and only logs their errors
                    mlflow.log_image(_image(s), key="val_samples", step=s, synchronous=True)
                except Exception as e:  # noqa: BLE001 — a refused upload is recorded, not fatal
                    err = e
                u = chooser.issued[n_uuid] if len(chooser.issued) > n_uuid else None
                ts = stamps[n_ts] if len(stamps) > n_ts else None
                base = f"images/val_samples%step%{s}%timestamp%{ts}%{u}"
                if err is None:
                    accepted[s] = u
                    written[f"{base}.png"] = s
                    written[f"{base}%compressed.webp"] = s
                else:
                    refused.append({"step": s, "uuid": str(u), "name": base, "status": _http_status(err),
                                    "allowed": bool(MLFLOW_REFUSES.search(base)), "error": _short_error(err)})
    finally:
        tc.uuid, tc.get_current_time_millis = real_uuid, real_now
    rid = run.info.run_id
    ctx["image_run"] = rid
    ctx["image_written"] = written
    ctx["image_steps"] = {_pixels_key(_image(s)): s for s in range(args.images)}
    traps = []
    for p in SPECIAL_PREFIXES if not args.natural_uuids else []:
        hit = [r for r in refused if r["uuid"].startswith(p)]
        traps.append(f"{p}:{'refused ' + str(hit[0]['status']) if hit else 'accepted'}")
    refused_txt = ", ".join(f"step {r['step']} uuid {r['uuid'][:2]}.. {r['status']}" for r in refused)
    detail = f"{len(accepted)}/{args.images} accepted; refused [{refused_txt}]; trap uuids {' '.join(traps) or 'natural'}"
    ctx["image_refused"] = refused
    bad = [r for r in refused if not r["allowed"] or r["status"] is None]
    check(not bad, f"refused {len(bad)} image(s) the real MLflow 2.17.2 accepts: "
          + "; ".join(f"step {r['step']} uuid {r['uuid']}: {r['error']}" for r in bad[:4]) + f" || {detail}")
    try:
        files = list_all_artifacts(rid, "images")
    except mlflow.exceptions.MlflowException as e:
        # Read the server's listing raw (the UI's route) to say which names the client refused.
        from mlflow.utils.uri import validate_path_is_safe

        raw = raw_list_all(rid, "images")
        ctx["image_listing"] = sorted(raw)
        ctx["image_listing_raw"] = True
        refused_names = []
        for n in raw:
            try:
                validate_path_is_safe(n)
            except Exception:  # noqa: BLE001
                refused_names.append(n)
        raise mlflow.exceptions.MlflowException(
            f"{e.message}: list_artifacts(run_id, 'images') raised it; the server lists {len(raw)} files, "
            f"{len(refused_names)} of them names the client's validate_path_is_safe refuses, e.g. {refused_names[:2]} || {detail}"
        ) from e
    ctx["image_listing"] = sorted(files)
    as_sent = {_upper_escapes(n) for n in written}
    kept = sum(1 for p in files if p in written or p in as_sent)
    pngs = [p for p in files if p.endswith(".png")]
    webps = [p for p in files if p.endswith(".webp")]
    detail += f"; {len(files)} files listed, names as sent {kept}/{len(files)}"
    check(len(pngs) == len(accepted) and len(webps) == len(accepted) and len(files) == 2 * len(accepted),
          f"{len(pngs)} png + {len(webps)} webp listed for {len(accepted)} accepted images || {detail}")
    check(client.get_run(rid).data.tags.get("mlflow.loggedImages") == "True", "mlflow.loggedImages tag")
    return detail


def _readback(rid, listing, steps, d, right, wrong, errors):
    import io

    for path in listing:
        blobs = {}
        try:
            local = client.download_artifacts(rid, path, d)
            blobs["client"] = open(local, "rb").read()
        except Exception as e:  # noqa: BLE001
            errors["client"].append(_short_error(e))
        try:
            r = requests.get(f"{BASE}/get-artifact", params={"path": path, "run_uuid": rid}, timeout=60)
            if r.status_code == 200:
                blobs["ui"] = r.content
            else:
                errors["ui"].append(f"{r.status_code} {_short_error(r.text) if 'Invalid HTTP' in r.text else r.text[:200]!r}")
        except requests.RequestException as e:
            errors["ui"].append(f"{type(e).__name__}: {_short_error(e)}")
        for how, blob in blobs.items():
            try:
                with PIL.Image.open(io.BytesIO(blob)) as im:
                    if path.endswith(".png"):
                        good = im.format == "PNG" and _pixels_key(np.asarray(im.convert("RGB"))) in steps
                    else:
                        good = im.format == "WEBP"
            except Exception:  # noqa: BLE001
                good = False
            if good:
                right[how] += 1
            else:
                wrong.append(f"{how}:{path!r}")


@step
def step_image_readback():
    """Read every listed log_image file back, through the client and through the UI's /get-artifact.
    The real MLflow 2.17.2 cannot serve these names (it decodes %17.. of the timestamp to a control
    character and answers 400 "Invalid HTTP Header"), so this step fails only on WRONG bytes; how
    many files came back right is in the detail."""
    rid, written, steps = need("image_run", "image_written", "image_steps")
    listing = ctx.get("image_listing")
    source = "listed names"
    if listing is None:  # no listing at all: read back by the names the client wrote
        listing, source = sorted(written), "names as written (no listing)"
    elif "image_listing_raw" in ctx:
        source = "names from the raw listing"
    d = os.path.join(TMP, "images-one-by-one")
    os.makedirs(d, exist_ok=True)
    right, wrong, errors = {"client": 0, "ui": 0}, [], {"client": [], "ui": []}
    # no retries here: MLflow 2.17.2 drops the connection on most of these names, and each retry costs seconds
    os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"
    try:
        _readback(rid, listing, steps, d, right, wrong, errors)
    finally:
        os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = str(args.http_retries)
    n = len(listing)
    import collections

    def top(errs):
        return "; ".join(f"{c}x {e}" for e, c in collections.Counter(errs).most_common(2))

    detail = (
        f"{source}: client {right['client']}/{n} right, UI /get-artifact {right['ui']}/{n} right"
        + (f"; client errors: {top(errors['client'])}" if errors["client"] else "")
        + (f"; UI errors: {top(errors['ui'])}" if errors["ui"] else "")
    )
    ctx["image_readback_detail"] = detail
    check(not wrong, f"{len(wrong)} files came back with wrong bytes, e.g. {wrong[:3]} || {detail}")
    return detail


@step
def step_artifact_run():
    """A run for ordinary artifacts: a small tree through log_artifacts, log_dict, log_text."""
    need("experiment")
    run = client.create_run(ctx["experiment"], run_name="artifacts")
    rid = run.info.run_id
    src = os.path.join(TMP, "tree")
    files = {
        "summary.txt": "accuracy 0.97\n",
        "sub dir/notes é.md": "# notes with a space and an accent\n",
        "sub dir/deeper/data.csv": "a,b\n1,2\n",
        "a+b=c.txt": "plus and equals\n",
    }
    for rel, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(src, rel)), exist_ok=True)
        with open(os.path.join(src, rel), "w", encoding="utf-8") as f:
            f.write(text)
    client.log_artifacts(rid, src, "reports")
    client.log_dict(rid, {"lr": 0.01, "layers": [64, 32]}, "config/train.json")
    client.log_text(rid, "free text\n", "notes.txt")
    listed = list_all_artifacts(rid)
    want = {f"reports/{k}" for k in files} | {"config/train.json", "notes.txt"}
    check(set(listed) == want, f"listed {sorted(listed)}")
    d = os.path.join(TMP, "tree-back")
    os.makedirs(d)
    for rel, text in files.items():
        got = open(client.download_artifacts(rid, f"reports/{rel}", d), encoding="utf-8").read()
        check(got == text, f"reports/{rel}: {got!r}")
    check(mlflow.artifacts.load_dict(f"runs:/{rid}/config/train.json") == {"lr": 0.01, "layers": [64, 32]}, "load_dict")
    check(mlflow.artifacts.load_text(f"runs:/{rid}/notes.txt") == "free text\n", "load_text")
    ctx["artifact_run"] = rid
    return f"run {rid}: {len(listed)} files"


@step
def step_log_image_artifact_file():
    """The older log_image(artifact_file=...) form: plain names, read back pixel for pixel."""
    rid = need("artifact_run")
    for i in range(5):
        client.log_image(rid, _image(200 + i), artifact_file=f"static/sample_{i}.png")
    d = os.path.join(TMP, "static")
    os.makedirs(d)
    for i in range(5):
        local = client.download_artifacts(rid, f"static/sample_{i}.png", d)
        check(np.array_equal(np.asarray(PIL.Image.open(local).convert("RGB")), _image(200 + i)), f"pixels of sample_{i}")
    return "5 images, pixels equal"


@step
def step_log_figure():
    rid = need("artifact_run")
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ax.plot(np.arange(50), np.sin(np.arange(50) / 5.0), label="sin")
    ax.legend()
    client.log_figure(rid, fig, "figures/sine.png")
    client.log_figure(rid, fig, "figures/sine.svg")
    plt.close(fig)
    d = os.path.join(TMP, "figure")
    os.makedirs(d)
    with PIL.Image.open(client.download_artifacts(rid, "figures/sine.png", d)) as im:
        check(im.format == "PNG" and im.size == (400, 300), f"png {im.format} {im.size}")
    svg = open(client.download_artifacts(rid, "figures/sine.svg", d), encoding="utf-8").read()
    check("<svg" in svg, "svg content")
    return "png 400x300 + svg"


@step
def step_log_table():
    rid = need("artifact_run")
    df = pd.DataFrame({"id": np.arange(100), "label": [f"c{i % 3}" for i in range(100)], "score": np.linspace(0, 1, 100)})
    client.log_table(rid, df, "tables/predictions.json")
    client.log_table(rid, {"q": ["a", "b"], "a": ["x", "y"]}, "tables/qa.json")
    got = mlflow.load_table("tables/predictions.json", run_ids=[rid])
    got = got.drop(columns=[c for c in got.columns if c not in df.columns]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, df, check_dtype=False)
    qa = mlflow.load_table("tables/qa.json", run_ids=[rid], extra_columns=["run_id"])
    check(list(qa["q"]) == ["a", "b"] and set(qa["run_id"]) == {rid}, f"qa table {qa}")
    return "100-row table + dict table read back equal"


@step
def step_log_artifact_50mb():
    rid = need("artifact_run")
    src_dir = os.path.join(TMP, "big")
    os.makedirs(src_dir)
    src = os.path.join(src_dir, "weights.bin")
    rng = np.random.default_rng(42)
    with open(src, "wb") as f:
        for _ in range(args.big_mb):
            f.write(rng.bytes(1 << 20))
    want = sha256_file(src)
    t0 = time.perf_counter()
    client.log_artifact(rid, src, "checkpoints")
    up = time.perf_counter() - t0
    listed = {f.path: f.file_size for f in client.list_artifacts(rid, "checkpoints")}
    check(listed == {"checkpoints/weights.bin": args.big_mb << 20}, f"listed {listed}")
    d = os.path.join(TMP, "big-back")
    os.makedirs(d)
    t0 = time.perf_counter()
    local = client.download_artifacts(rid, "checkpoints/weights.bin", d)
    down = time.perf_counter() - t0
    got = sha256_file(local)
    check(got == want, f"sha256 {got} != {want}")
    ctx["big_sha"] = want
    return f"{args.big_mb} MiB up {up:.2f}s down {down:.2f}s sha256 equal"


@step
def step_sklearn_autolog():
    need("experiment")
    X, y = load_iris(return_X_y=True, as_frame=True)
    mlflow.sklearn.autolog(log_models=True, log_datasets=True, silent=True)
    try:
        with mlflow.start_run(run_name="autolog") as run:
            LogisticRegression(C=0.5, max_iter=300).fit(X, y)
    finally:
        mlflow.sklearn.autolog(disable=True)
    r = client.get_run(run.info.run_id)
    check(r.data.params.get("C") == "0.5" and r.data.params.get("max_iter") == "300", f"params {r.data.params}")
    check(r.data.metrics.get("training_accuracy_score", 0) > 0.9, f"metrics {r.data.metrics}")
    check(r.data.tags.get("estimator_name") == "LogisticRegression", f"tags {r.data.tags}")
    arts = list_all_artifacts(run.info.run_id)
    check("model/MLmodel" in arts and "model/model.pkl" in arts, f"artifacts {sorted(arts)}")
    check(len(r.inputs.dataset_inputs) >= 1, "autolog logged no dataset input")
    m = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/model")
    check(len(m.predict(X.head(5))) == 5, "predict")
    ctx["autolog_run"] = run.info.run_id
    return f"run {run.info.run_id}: {len(r.data.params)} params, {len(r.data.metrics)} metrics, {len(arts)} files"


def _iris():
    X, y = load_iris(return_X_y=True, as_frame=True)
    return train_test_split(X, y, test_size=0.3, random_state=0)


@step
def step_log_model_registered():
    need("experiment")
    Xtr, Xte, ytr, yte = _iris()
    name = f"iris-clf-{SUFFIX}"
    versions = []
    for C in (1.0, 0.05):
        model = LogisticRegression(C=C, max_iter=500).fit(Xtr, ytr)
        sig = infer_signature(Xtr, model.predict(Xtr))
        with mlflow.start_run(run_name=f"train-C{C}") as run:
            mlflow.log_param("C", C)
            mlflow.log_metric("test_acc", model.score(Xte, yte))
            info = mlflow.sklearn.log_model(model, "model", signature=sig, input_example=Xtr.head(3), registered_model_name=name)
        versions.append((run.info.run_id, model, info))
    mvs = sorted(client.search_model_versions(f"name = '{name}'"), key=lambda v: int(v.version))
    check([v.version for v in mvs] == ["1", "2"], f"versions {[v.version for v in mvs]}")
    for mv, (rid, _, info) in zip(mvs, versions):
        check(mv.run_id == rid, f"v{mv.version} run_id {mv.run_id} != {rid}")
        check(mv.status == "READY", f"v{mv.version} status {mv.status}")
    loaded = mlflow.models.get_model_info(f"models:/{name}/1")
    check(loaded.signature is not None and [c.name for c in loaded.signature.inputs.inputs] == list(Xtr.columns), f"signature {loaded.signature}")
    ctx["model_name"] = name
    ctx["models"] = {"1": versions[0][1], "2": versions[1][1]}
    ctx["X_test"] = Xte
    return f"{name} v1 v2 from runs {versions[0][0]}, {versions[1][0]}"


@step
def step_registry_aliases():
    name = need("model_name")
    client.set_registered_model_alias(name, "champion", "1")
    client.set_registered_model_alias(name, "challenger", "2")
    client.set_registered_model_alias(name, "temp", "2")
    check(client.get_model_version_by_alias(name, "champion").version == "1", "champion")
    check(client.get_model_version_by_alias(name, "challenger").version == "2", "challenger")
    client.delete_registered_model_alias(name, "temp")
    rm = client.get_registered_model(name)
    check(rm.aliases == {"champion": "1", "challenger": "2"}, f"aliases {rm.aliases}")
    mv = client.get_model_version(name, "2")
    check(sorted(mv.aliases) == ["challenger"], f"v2 aliases {mv.aliases}")
    client.update_registered_model(name, description="iris classifier")
    client.set_registered_model_tag(name, "owner", "workload")
    found = client.search_registered_models(filter_string=f"name = '{name}'")
    check(len(found) == 1 and found[0].description == "iris classifier" and found[0].tags.get("owner") == "workload", f"search {found}")
    ctx["registry_aliases"] = True
    return "champion->1 challenger->2"


@step
def step_pyfunc_load_alias():
    name, models, Xte, _ = need("model_name", "models", "X_test", "registry_aliases")
    m = mlflow.pyfunc.load_model(f"models:/{name}@champion")
    pred = m.predict(Xte)
    check(np.array_equal(np.asarray(pred), models["1"].predict(Xte)), "champion predictions differ from v1")
    m2 = mlflow.sklearn.load_model(f"models:/{name}@challenger")
    check(np.array_equal(m2.predict(Xte), models["2"].predict(Xte)), "challenger predictions differ from v2")
    return f"{len(pred)} predictions equal"


@step
def step_stage_transitions():
    name, models, Xte = need("model_name", "models", "X_test")
    client.transition_model_version_stage(name, "1", "Staging")
    check(client.get_model_version(name, "1").current_stage == "Staging", "v1 Staging")
    client.transition_model_version_stage(name, "1", "Production")
    client.transition_model_version_stage(name, "2", "Production", archive_existing_versions=True)
    v1, v2 = client.get_model_version(name, "1"), client.get_model_version(name, "2")
    check((v1.current_stage, v2.current_stage) == ("Archived", "Production"), f"stages {v1.current_stage} {v2.current_stage}")
    latest = client.get_latest_versions(name, stages=["Production"])
    check([v.version for v in latest] == ["2"], f"latest Production {latest}")
    m = mlflow.pyfunc.load_model(f"models:/{name}/Production")
    check(np.array_equal(np.asarray(m.predict(Xte)), models["2"].predict(Xte)), "Production predictions")
    return "v1 Staging->Production->Archived, v2 Production"


@step
def step_download_run_artifacts():
    rid = need("artifact_run")
    want = list_all_artifacts(rid)
    dst = os.path.join(TMP, "whole-run")
    os.makedirs(dst)
    out = mlflow.artifacts.download_artifacts(run_id=rid, dst_path=dst)
    got = {}
    for root, _, names in os.walk(out):
        for n in names:
            p = os.path.join(root, n)
            got[os.path.relpath(p, out).replace(os.sep, "/")] = os.path.getsize(p)
    missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
    check(not missing and not extra, f"missing {missing[:3]} extra {extra[:3]}")
    wrong = [p for p in want if want[p] is not None and want[p] != got[p]]
    check(not wrong, f"sizes differ: {wrong[:3]}")
    if "big_sha" in ctx:
        check(sha256_file(os.path.join(out, "checkpoints/weights.bin")) == ctx["big_sha"], "weights.bin sha256")
    for i in range(5):
        p = os.path.join(out, f"static/sample_{i}.png")
        if os.path.exists(p):
            check(np.array_equal(np.asarray(PIL.Image.open(p).convert("RGB")), _image(200 + i)), f"pixels of {p}")
    check(open(os.path.join(out, "reports/sub dir/notes é.md"), encoding="utf-8").read().startswith("# notes"), "notes é.md")
    return f"{len(got)} files, {sum(got.values()) / 1e6:.1f} MB; names, sizes, sha256, pixels equal"


@step
def step_datasets():
    need("experiment")
    Xtr, _, ytr, _ = _iris()
    df = Xtr.assign(target=ytr)
    ds = mlflow.data.from_pandas(df, source="s3://bucket/iris/train.parquet", name=f"iris-train-{SUFFIX}", targets="target")
    with mlflow.start_run(run_name="with-dataset") as run:
        mlflow.log_input(ds, context="training", tags={"split": "train"})
    r = client.get_run(run.info.run_id)
    check(len(r.inputs.dataset_inputs) == 1, f"{len(r.inputs.dataset_inputs)} dataset inputs")
    di = r.inputs.dataset_inputs[0]
    check(di.dataset.name == ds.name and di.dataset.digest == ds.digest, f"dataset {di.dataset}")
    check(di.dataset.source_type == "s3" and json.loads(di.dataset.source)["uri"] == "s3://bucket/iris/train.parquet", f"source {di.dataset.source}")
    tags = {t.key: t.value for t in di.tags}
    check(tags.get("mlflow.data.context") == "training" and tags.get("split") == "train", f"input tags {tags}")
    check(json.loads(di.dataset.schema)["mlflow_colspec"][0]["name"] == Xtr.columns[0], "schema")
    src = mlflow.data.get_source(di.dataset)
    check(src.uri == "s3://bucket/iris/train.parquet", f"get_source {src}")
    found = client.search_runs([ctx["experiment"]], filter_string=f"dataset.name = '{ds.name}' and dataset.context = 'training'")
    check([x.info.run_id for x in found] == [run.info.run_id], f"search by dataset -> {[x.info.run_id for x in found]}")
    return f"{ds.name} digest {ds.digest}"


@step
def step_evaluate_classifier():
    need("experiment")
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0)
    model = LogisticRegression(max_iter=5000).fit(Xtr, ytr)
    with mlflow.start_run(run_name="evaluate") as run:
        info = mlflow.sklearn.log_model(model, "model", signature=infer_signature(Xtr, model.predict(Xtr)))
        res = mlflow.evaluate(info.model_uri, data=Xte.assign(label=yte), targets="label", model_type="classifier", evaluators=["default"])
    acc = res.metrics.get("accuracy_score")
    check(acc is not None and abs(acc - model.score(Xte, yte)) < 1e-9, f"accuracy_score {acc}")
    for k in ("f1_score", "precision_score", "recall_score", "roc_auc", "log_loss"):
        check(k in res.metrics, f"metric {k} missing: {sorted(res.metrics)}")
    r = client.get_run(run.info.run_id)
    check(abs(r.data.metrics.get("accuracy_score", -1) - acc) < 1e-12, "accuracy_score on the run")
    arts = list_all_artifacts(run.info.run_id)
    for a in ("confusion_matrix.png", "roc_curve_plot.png", "precision_recall_curve_plot.png"):
        check(a in arts, f"{a} not logged: {sorted(arts)}")
    check(any(json.loads(d.dataset.profile or "{}").get("num_rows") == len(Xte) for d in r.inputs.dataset_inputs), f"evaluation dataset input {r.inputs}")
    return f"accuracy {acc:.4f}, {len(res.metrics)} metrics, {len(res.artifacts)} artifacts"


@step
def step_search_runs():
    exp_id = need("experiment")
    allruns = client.search_runs([exp_id], max_results=1000)
    # paging, as the UI and mlflow.search_runs do
    seen, token = [], None
    while True:
        page = client.search_runs([exp_id], max_results=3, page_token=token, order_by=["attributes.start_time ASC"])
        seen += [r.info.run_id for r in page]
        token = page.token
        if not token:
            break
    check(sorted(seen) == sorted(r.info.run_id for r in allruns) and len(seen) == len(set(seen)), f"paged {len(seen)} vs {len(allruns)}")
    kids = client.search_runs([exp_id], filter_string="params.lr = '0.01' and metrics.val_loss < 0.9", order_by=["metrics.val_loss ASC"])
    check([r.info.run_name for r in kids] == ["trial-1"], f"filter -> {[r.info.run_name for r in kids]}")
    top = client.search_runs([exp_id], filter_string="metrics.test_acc > 0", order_by=["metrics.test_acc DESC", "attributes.start_time DESC"], max_results=1)
    check(len(top) == 1 and top[0].info.run_name.startswith("train-C"), f"order_by -> {top}")
    like = client.search_runs([exp_id], filter_string="attributes.run_name LIKE 'trial-%'")
    check(len(like) == 3, f"LIKE -> {len(like)}")
    tagged = client.search_runs([exp_id], filter_string="tags.kind = 'batch' and attributes.status = 'FINISHED'")
    check(len(tagged) == 1, f"tag filter -> {len(tagged)}")
    df = mlflow.search_runs(experiment_ids=[exp_id], filter_string="params.search = 'grid'")
    check(len(df) == 1 and df["params.search"].iloc[0] == "grid", f"DataFrame {df.shape}")
    df2 = mlflow.search_runs(experiment_names=[ctx["experiment_name"]])
    check(len(df2) == len(allruns), f"by name {len(df2)} vs {len(allruns)}")
    return f"{len(allruns)} runs; paging, filters, order_by, LIKE, DataFrame agree"


@step
def step_delete_restore_run():
    exp_id = need("experiment")
    rid = need("loop_run")
    client.delete_run(rid)
    check(client.get_run(rid).info.lifecycle_stage == "deleted", "deleted")
    active = {r.info.run_id for r in client.search_runs([exp_id])}
    check(rid not in active, "deleted run still listed as active")
    from mlflow.entities import ViewType

    deleted = {r.info.run_id for r in client.search_runs([exp_id], run_view_type=ViewType.DELETED_ONLY)}
    check(rid in deleted, "DELETED_ONLY")
    client.restore_run(rid)
    check(client.get_run(rid).info.lifecycle_stage == "active", "restored")
    return rid


# ---------------------------------------------------------------------------------------------
summary = {
    "label": args.label,
    "tracking_uri": BASE,
    "mlflow_client": mlflow.__version__,
    "python": platform.python_version(),
    "host": socket.gethostname(),
    "images": args.images,
    "big_mb": args.big_mb,
    "chosen_uuid_prefixes": None if args.natural_uuids else SPECIAL_PREFIXES,
    "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    "passed": sum(r["ok"] for r in results),
    "failed": sum(not r["ok"] for r in results),
    "total_seconds": round(sum(r["seconds"] for r in results), 3),
    "steps": results,
}
os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
with open(args.out, "w") as f:
    json.dump(summary, f, indent=2)
if not args.keep_tmp:
    shutil.rmtree(TMP, ignore_errors=True)
print(f"SUMMARY {summary['passed']}/{len(results)} steps ok, {summary['total_seconds']:.1f}s -> {args.out}")
sys.exit(0 if summary["failed"] == 0 else 1)
