#!/usr/bin/env python3
"""GenAI tracing with the REAL MLflow 2.17 Python client, step by step, checked against what the client itself
recorded in memory.

NOT part of CI: it needs the MLflow harness (/tmp/mlflow-harness, see ../shared/mlflow-harness/README.md).
scripts/mlflow-client-traces.sh runs it against the real MLflow server and Trove, with and without the
artifact proxy, and prints the outcomes side by side. By hand:

    MLFLOW_TRACKING_URI=http://127.0.0.1:5111 /tmp/mlflow-harness/venv/bin/python \
        scripts/mlflow_client_traces.py --out /tmp/traces-mlflow.json

Every step prints `STEP <name> ok|FAIL <seconds> <detail>`; the run goes on past a failing step. A trace read
back from the server must equal, span for span (ids, nanosecond times, inputs, outputs, attributes, events),
the trace the client kept in memory when it exported it. The last step fails when the user's program saw a
warning: a WARNING record from an `mlflow` logger (the client logs a failed trace export this way instead of
raising) or a Python warning, both captured from the first step on.
"""
import argparse
import json
import logging
import os
import platform
import re
import sys
import time
import traceback
import uuid
import warnings

ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
ap.add_argument("--out", required=True, help="where to write the JSON summary")
ap.add_argument("--tracking-uri", default=os.environ.get("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000"))
ap.add_argument("--label", default="", help="a name for the server under test, copied into the summary")
args = ap.parse_args()

os.environ["MLFLOW_TRACKING_URI"] = args.tracking_uri
os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "2")
os.environ.setdefault("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "1")
os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")

import mlflow  # noqa: E402
import requests  # noqa: E402
from mlflow import MlflowClient  # noqa: E402
from mlflow.entities import SpanType  # noqa: E402
from mlflow.exceptions import MlflowException  # noqa: E402


class Captured(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(f"{record.name}: {record.getMessage()}"[:500])


# What the user's program would see: mlflow's loggers (they stop at the "mlflow" logger) and Python warnings.
captured = Captured()
logging.getLogger("mlflow").addHandler(captured)
warning_list = warnings.catch_warnings(record=True)
seen_warnings = warning_list.__enter__()
warnings.simplefilter("always")
# As in a user's program, where Python shows these only in development mode: a keep-alive server (Trove) leaves
# the client's pooled sockets open until the interpreter exits.
warnings.simplefilter("ignore", ResourceWarning)

BASE = args.tracking_uri.rstrip("/")
mlflow.set_tracking_uri(BASE)
client = MlflowClient(tracking_uri=BASE)
SUFFIX = uuid.uuid4().hex[:8]
ctx = {}
results = []


class Blocked(Exception):
    pass


class NotServed(Exception):
    """The server does not offer what the step needs (MLflow 2.17 has no OTLP endpoint)."""


def need(*keys):
    for k in keys:
        if k not in ctx:
            raise Blocked(f"blocked by {k}")
    return [ctx[k] for k in keys] if len(keys) > 1 else ctx[keys[0]]


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def step(fn):
    name = fn.__name__.removeprefix("step_")
    t0 = time.perf_counter()
    rec = {"name": name}
    try:
        rec.update(ok=True, detail=str(fn() or ""))
    except Blocked as e:
        rec.update(ok=False, detail=str(e))
    except NotServed as e:
        rec.update(ok=None, detail=str(e))
    except Exception as e:  # noqa: BLE001 — every failure is recorded, the run goes on
        msg = f"{type(e).__name__}: {e}"
        rec.update(ok=False, detail=msg.splitlines()[0][:300], traceback="".join(traceback.format_exception(e))[-8000:])
    rec["seconds"] = round(time.perf_counter() - t0, 3)
    results.append(rec)
    outcome = {True: "ok", False: "FAIL", None: "n/a"}[rec["ok"]]
    print(f"STEP {name} {outcome} {rec['seconds']:.2f} {rec['detail']}", flush=True)
    if "traceback" in rec:
        for line in rec["traceback"].rstrip().splitlines()[-6:]:
            print(f"    | {line}", flush=True)
    return fn


def same_as_exported(request_id, fetched):
    """The trace read back from the server against the one the client exported (kept in its memory)."""
    local = ctx["exported"][request_id]
    got, want = fetched.data.to_dict(), local.data.to_dict()
    if got != want:
        names = lambda d: [s["name"] for s in d["spans"]]  # noqa: E731
        raise AssertionError(f"span data differs: server {names(got)} vs client {names(want)}; "
                             f"first difference {first_difference(got, want)}")
    check(fetched.info.request_id == request_id, "request_id")
    return len(got["spans"])


def first_difference(a, b, path=""):
    if type(a) is not type(b):
        return f"{path}: {a!r} vs {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return first_difference(a.get(k), b.get(k), f"{path}.{k}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
    return f"{path}: {a!r} vs {b!r}"


def credentials(headers=None):
    """The client's own credentials (MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN) for a raw request."""
    headers = dict(headers or {})
    if os.environ.get("MLFLOW_TRACKING_TOKEN"):
        headers["Authorization"] = f"Bearer {os.environ['MLFLOW_TRACKING_TOKEN']}"
    elif os.environ.get("MLFLOW_TRACKING_USERNAME"):
        return {"headers": headers,
                "auth": (os.environ["MLFLOW_TRACKING_USERNAME"], os.environ.get("MLFLOW_TRACKING_PASSWORD", ""))}
    return {"headers": headers}


def remember_last():
    trace = mlflow.get_last_active_trace()
    check(trace is not None, "the client kept no trace")
    ctx.setdefault("exported", {})[trace.info.request_id] = trace
    return trace.info.request_id


# --- the user's program ------------------------------------------------------------------------------
@mlflow.trace(span_type=SpanType.RETRIEVER)
def retrieve(question: str):
    return [{"doc": "Trove stores traces", "score": 0.92}, {"doc": "héllo wörld 🙂", "score": 0.5}]


@mlflow.trace(span_type=SpanType.LLM, attributes={"model": "tiny-llm", "temperature": 0.1})
def generate(question: str, docs: list):
    span = mlflow.get_current_active_span()
    span.set_attribute("usage", {"input_tokens": 12, "output_tokens": 7})
    return f"answer to {question!r} from {len(docs)} docs"


@mlflow.trace(name="rag-pipeline", span_type=SpanType.CHAIN)
def pipeline(question: str, top_k: int = 2):
    docs = retrieve(question)[:top_k]
    return {"answer": generate(question, docs), "sources": [d["doc"] for d in docs]}


@mlflow.trace
def failing_tool(x: int):
    raise ValueError(f"tool failed on {x}")


@mlflow.trace(name="agent")
def agent(x: int):
    try:
        failing_tool(x)
    except ValueError:
        pass
    return failing_tool(x + 1)


# --- steps -------------------------------------------------------------------------------------------
@step
def step_server_reachable():
    r = requests.get(re.sub(r"/w/[^/]+$", "", BASE) + "/health", timeout=10)  # a workspace's URI: the server's
    check(r.status_code == 200, f"/health answered {r.status_code}")
    return f"{BASE} mlflow-client {mlflow.__version__}"


@step
def step_experiment():
    exp = mlflow.set_experiment(f"traces-{SUFFIX}")
    ctx["experiment"] = exp.experiment_id
    return f"{exp.experiment_id} at {exp.artifact_location}"


@step
def step_trace_nested_functions():
    need("experiment")
    out = pipeline("what is trove?")
    check(out["sources"][1] == "héllo wörld 🙂", f"returned {out}")
    rid = remember_last()
    ctx["nested"] = rid
    trace = client.get_trace(rid, display=False)
    spans = same_as_exported(rid, trace)
    check(trace.info.status == "OK", f"status {trace.info.status}")
    by_name = {s.name: s for s in trace.data.spans}
    check(set(by_name) == {"rag-pipeline", "retrieve", "generate"}, f"spans {sorted(by_name)}")
    root = by_name["rag-pipeline"]
    check(root.parent_id is None and by_name["retrieve"].parent_id == root.span_id, "parent links")
    check(by_name["generate"].span_type == SpanType.LLM, f"span type {by_name['generate'].span_type}")
    check(by_name["generate"].get_attribute("usage") == {"input_tokens": 12, "output_tokens": 7}, "attribute")
    check(trace.info.execution_time_ms is not None and trace.info.execution_time_ms >= 0, "execution time")
    return f"{rid}: {spans} spans, equal to what the client exported"


@step
def step_trace_exception():
    need("experiment")
    try:
        agent(1)
        raise AssertionError("agent did not raise")
    except ValueError:
        pass
    rid = remember_last()
    ctx["failed"] = rid
    trace = client.get_trace(rid, display=False)
    spans = same_as_exported(rid, trace)
    check(trace.info.status == "ERROR", f"status {trace.info.status}")
    errors = [s for s in trace.data.spans if s.status.status_code == "ERROR"]
    check(len(errors) == 3, f"{len(errors)} spans in error")
    check(all(any(e.name == "exception" for e in s.events) for s in errors), "exception events")
    return f"{rid}: {spans} spans, status ERROR, exception events kept"


@step
def step_start_span():
    need("experiment")
    with mlflow.start_span(name="outer", span_type=SpanType.CHAIN) as outer:
        outer.set_inputs({"messages": [{"role": "user", "content": "hi"}]})
        with mlflow.start_span(name="inner", span_type=SpanType.TOOL) as inner:
            inner.set_inputs({"query": "weather"})
            inner.set_attributes({"tool": "forecast", "retries": 0})
            inner.add_event(mlflow.entities.SpanEvent("cache-miss", attributes={"key": "weather"}))
            inner.set_outputs({"temp": 21.5})
        outer.set_outputs({"messages": [{"role": "assistant", "content": "21.5 degrees"}]})
    rid = remember_last()
    ctx["spans"] = rid
    trace = client.get_trace(rid, display=False)
    spans = same_as_exported(rid, trace)
    inner_span = next(s for s in trace.data.spans if s.name == "inner")
    check([e.name for e in inner_span.events] == ["cache-miss"], "event")
    return f"{rid}: {spans} spans"


@step
def step_client_api_trace():
    exp = need("experiment")
    root = client.start_trace("manual", inputs={"x": 1}, tags={"origin": "client"}, experiment_id=exp)
    child = client.start_span("step", request_id=root.request_id, parent_id=root.span_id, inputs={"y": 2})
    client.end_span(root.request_id, child.span_id, outputs={"z": 3})
    client.end_trace(root.request_id, outputs={"done": True})
    rid = remember_last()
    check(rid == root.request_id, "last trace")
    trace = client.get_trace(rid, display=False)
    spans = same_as_exported(rid, trace)
    check(trace.info.tags.get("origin") == "client", f"tags {trace.info.tags}")
    return f"{rid}: {spans} spans, tag kept"


@step
def step_trace_in_run():
    need("experiment")
    with mlflow.start_run() as run:
        pipeline("inside a run")
    rid = remember_last()
    ctx["run"], ctx["in_run"] = run.info.run_id, rid
    info = client.get_trace(rid, display=False).info
    check(info.request_metadata.get("mlflow.sourceRun") == run.info.run_id, f"metadata {info.request_metadata}")
    df = mlflow.search_traces(run_id=run.info.run_id)
    check(list(df["request_id"]) == [rid], f"search by run -> {list(df['request_id'])}")
    return f"{rid} in run {run.info.run_id}"


@step
def step_large_trace():
    need("experiment")
    blob = "x" * 200_000 + "ünïcode"
    with mlflow.start_span(name="batch", span_type=SpanType.CHAIN) as root:
        root.set_inputs({"blob": blob})
        for i in range(20):
            with mlflow.start_span(name=f"doc-{i}") as doc:
                doc.set_inputs({"i": i})
                for j in range(10):
                    with mlflow.start_span(name=f"chunk-{i}-{j}", span_type=SpanType.EMBEDDING) as chunk:
                        chunk.set_outputs([0.1 * j] * 8)
    rid = remember_last()
    trace = client.get_trace(rid, display=False)
    spans = same_as_exported(rid, trace)
    check(spans == 221, f"{spans} spans")
    return f"{rid}: {spans} spans, a 200 kB input"


@step
def step_concurrent_traces():
    from concurrent.futures import ThreadPoolExecutor

    from mlflow.tracing.fluent import TRACE_BUFFER

    need("experiment")
    before = set(TRACE_BUFFER)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(pipeline, [f"question {i}" for i in range(24)]))
    check(len(answers) == 24, "answers")
    new = [rid for rid in TRACE_BUFFER if rid not in before]
    check(len(new) == 24, f"{len(new)} traces exported")
    for rid in new:
        ctx["exported"][rid] = TRACE_BUFFER[rid]
        same_as_exported(rid, client.get_trace(rid, display=False))
    return "24 traces from 8 threads, each equal to what the client exported"


@step
def step_async_export():
    need("experiment")
    os.environ["MLFLOW_ENABLE_ASYNC_LOGGING"] = "true"
    try:
        ids = []
        for i in range(5):
            pipeline(f"async {i}")
            ids.append(remember_last())
        mlflow.flush_trace_async_logging()
    finally:
        del os.environ["MLFLOW_ENABLE_ASYNC_LOGGING"]
    for rid in ids:
        same_as_exported(rid, client.get_trace(rid, display=False))
    return "5 traces exported in the background, each equal to what the client exported"


@step
def step_search_traces():
    exp = need("experiment")
    ids = [need(k) for k in ("nested", "failed", "spans", "in_run")]
    df = mlflow.search_traces(experiment_ids=[exp])
    check(set(ids) <= set(df["request_id"]), f"{len(df)} rows, missing {set(ids) - set(df['request_id'])}")
    check(len(df) == len(ctx["exported"]), f"{len(df)} rows for {len(ctx['exported'])} traces")
    for rid, trace in zip(df["request_id"], df["trace"]):
        same_as_exported(rid, trace)
    row = df[df["request_id"] == ctx["nested"]].iloc[0]
    check(json.loads(row["response"])["sources"][1] == "héllo wörld 🙂", f"response {row['response']}")
    failed = mlflow.search_traces(experiment_ids=[exp], filter_string="attributes.status = 'ERROR'")
    check(list(failed["request_id"]) == [ctx["failed"]], f"status filter -> {list(failed['request_id'])}")
    named = mlflow.search_traces(experiment_ids=[exp], filter_string="tags.`mlflow.traceName` = 'rag-pipeline'")
    pipelines = [rid for rid, t in ctx["exported"].items() if t.info.tags.get("mlflow.traceName") == "rag-pipeline"]
    check(sorted(named["request_id"]) == sorted(pipelines), f"name filter: {len(named)} of {len(pipelines)}")
    oldest = mlflow.search_traces(experiment_ids=[exp], order_by=["timestamp_ms ASC"], max_results=1)
    check(list(oldest["request_id"]) == [ctx["nested"]], f"oldest -> {list(oldest['request_id'])}")
    fields = mlflow.search_traces(experiment_ids=[exp], filter_string="attributes.status = 'OK'",
                                  extract_fields=["generate.inputs.question", "retrieve.outputs"])
    check("generate.inputs.question" in fields.columns, f"columns {list(fields.columns)}")
    seen, token = [], None
    while True:
        page = client.search_traces([exp], max_results=2, page_token=token, order_by=["timestamp_ms DESC"])
        seen += [t.info.request_id for t in page]
        token = page.token
        if not token:
            break
    check(len(seen) == len(df) and len(set(seen)) == len(seen), f"paged {len(seen)} of {len(df)}")
    return f"{len(df)} traces, span data equal; status, tag, order, extract_fields, pages of 2"


@step
def step_trace_tags():
    exp, rid = need("experiment", "spans")
    client.set_trace_tag(rid, "reviewed", "yes")
    client.set_trace_tag(rid, "reviewer", "ann")
    check(client.get_trace(rid, display=False).info.tags.get("reviewed") == "yes", "tag set")
    found = mlflow.search_traces(experiment_ids=[exp], filter_string="tags.reviewed = 'yes'")
    check(list(found["request_id"]) == [rid], f"tag filter -> {list(found['request_id'])}")
    client.delete_trace_tag(rid, "reviewed")
    tags = client.get_trace(rid, display=False).info.tags
    check("reviewed" not in tags and tags.get("reviewer") == "ann", f"tags {tags}")
    try:
        client.delete_trace_tag(rid, "reviewed")
        raise AssertionError("deleting a missing tag did not fail")
    except MlflowException as e:
        check(e.error_code == "RESOURCE_DOES_NOT_EXIST", f"error code {e.error_code}")
    return "set, search by tag, delete, delete again -> RESOURCE_DOES_NOT_EXIST"


@step
def step_ui_trace_artifact():
    rid = need("nested")
    r = requests.get(f"{BASE}/ajax-api/2.0/mlflow/get-trace-artifact", params={"request_id": rid}, timeout=30,
                     **credentials())
    check(r.status_code == 200, f"get-trace-artifact {r.status_code} {r.text[:200]}")
    want = ctx["exported"][rid].data.to_dict()
    got = r.json()
    check(got == want, f"first difference {first_difference(got, want)}")
    return f"{len(got['spans'])} spans, as exported"


@step
def step_delete_traces():
    exp = need("experiment")
    by_id = need("spans")
    check(client.delete_traces(exp, request_ids=[by_id]) == 1, "delete by id")
    try:
        client.get_trace(by_id, display=False)
        raise AssertionError("a deleted trace was still served")
    except MlflowException as e:
        check(e.error_code == "RESOURCE_DOES_NOT_EXIST", f"error code {e.error_code}")
    left = len(mlflow.search_traces(experiment_ids=[exp]))
    oldest = ctx["nested"]
    deleted = client.delete_traces(exp, max_timestamp_millis=int(time.time() * 1000), max_traces=1)
    check(deleted == 1, f"max_traces deleted {deleted}")
    remaining = list(mlflow.search_traces(experiment_ids=[exp])["request_id"])
    check(len(remaining) == left - 1 and oldest not in remaining, f"oldest first: {oldest} in {remaining}")
    deleted = client.delete_traces(exp, max_timestamp_millis=int(time.time() * 1000))
    check(deleted == left - 1, f"by age deleted {deleted}, expected {left - 1}")
    check(len(mlflow.search_traces(experiment_ids=[exp])) == 0, "traces left")
    return f"1 by id, 1 oldest by count, {left - 1} by age"


@step
def step_otlp_trace_read_by_client():
    exp = client.create_experiment(f"traces-otlp-{SUFFIX}")
    otel_trace = uuid.uuid4().hex
    def span(span_id, name, parent=None, start=1733500000123456789, end=1733500000987654321, code=1, attrs=()):
        return {"traceId": otel_trace, "spanId": span_id, "parentSpanId": parent or "", "name": name, "kind": 1,
                "startTimeUnixNano": str(start), "endTimeUnixNano": str(end), "status": {"code": code},
                "attributes": [{"key": k, "value": {"stringValue": v}} for k, v in attrs]}
    body = {"resourceSpans": [{"resource": {"attributes": []}, "scopeSpans": [{"scope": {"name": "otel-sdk"}, "spans": [
        span("00000000000000a1", "agent", attrs=[("gen_ai.system", "tiny")]),
        span("00000000000000b2", "llm", parent="00000000000000a1", start=1733500000200000001,
             end=1733500000300000003, code=2),
    ]}]}]}
    if not client.get_experiment(exp).artifact_location.startswith("mlflow-artifacts:"):
        # The 2.x client reads traces.json from a local artifact root itself; OTLP spans are only in the store.
        raise NotServed("experiment artifacts not proxied: the 2.x client cannot read OTLP spans")
    r = requests.post(f"{BASE}/v1/traces", json=body, timeout=30, **credentials({"x-mlflow-experiment-id": exp}))
    if r.status_code == 404:
        raise NotServed("no OTLP endpoint (/v1/traces) on this server")
    check(r.status_code == 200, f"/v1/traces answered {r.status_code} {r.text[:200]}")
    df = mlflow.search_traces(experiment_ids=[exp])
    check(len(df) == 1, f"search_traces found {len(df)}")
    trace = client.get_trace(df["request_id"][0], display=False)
    spans = {s.name: s for s in trace.data.spans}
    check(set(spans) == {"agent", "llm"}, f"spans {sorted(spans)}")
    check(spans["llm"].parent_id == spans["agent"].span_id, "parent link")
    check(spans["agent"].start_time_ns == 1733500000123456789, f"start {spans['agent'].start_time_ns}")
    check(spans["llm"].status.status_code == "ERROR", f"status {spans['llm'].status}")
    check(spans["agent"].get_attribute("gen_ai.system") == "tiny", "attribute")
    return f"{trace.info.request_id}: spans an OTel SDK sent, read by the 2.17 client"


@step
def step_no_warnings():
    # The exporter's warnings (a failed upload) are logged while the traced call returns: all are in by now.
    warning_list.__exit__(None, None, None)
    texts = captured.records + [f"{w.category.__name__}: {w.message}"[:500] for w in seen_warnings]
    check(not texts, f"{len(texts)} warnings: " + " || ".join(texts[:5]))
    return "no mlflow WARNING records, no Python warnings"


summary = {
    "label": args.label,
    "tracking_uri": BASE,
    "mlflow_client": mlflow.__version__,
    "python": platform.python_version(),
    "passed": sum(r["ok"] is True for r in results),
    "failed": sum(r["ok"] is False for r in results),
    "total_seconds": round(sum(r["seconds"] for r in results), 3),
    "steps": results,
}
os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
with open(args.out, "w") as f:
    json.dump(summary, f, indent=2)
not_served = sum(r["ok"] is None for r in results)
print(f"SUMMARY {summary['passed']}/{len(results) - not_served} steps ok ({not_served} n/a), "
      f"{summary['total_seconds']:.1f}s -> {args.out}")
sys.exit(0 if summary["failed"] == 0 else 1)
