"""The real MLflow 2.17 client against a server with authentication on: Basic credentials
(MLFLOW_TRACKING_USERNAME/PASSWORD), a Bearer token (MLFLOW_TRACKING_TOKEN, Trove only), and
MLflow's auth client (`mlflow.server.get_app_client("basic-auth", uri)`).

Usage: python mlflow-client-auth.py URL ADMIN_USER ADMIN_PASSWORD [TOKEN]
Prints one line per step ("ok <step>" / "FAIL <step>: <why>") and exits non-zero if any failed.
"""

import os
import sys
import tempfile
import uuid

import mlflow
import mlflow.server
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

url, admin, admin_password = sys.argv[1:4]
token = sys.argv[4] if len(sys.argv) > 4 else None
failures = 0


def step(name):
    def wrap(fn):
        global failures
        try:
            fn()
            print(f"ok {name}", flush=True)
        except Exception as e:  # noqa: BLE001
            failures += 1
            print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
        return fn

    return wrap


def creds(user=None, password=None, bearer=None):
    for k in ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN"):
        os.environ.pop(k, None)
    if user is not None:
        os.environ["MLFLOW_TRACKING_USERNAME"] = user
        os.environ["MLFLOW_TRACKING_PASSWORD"] = password
    if bearer is not None:
        os.environ["MLFLOW_TRACKING_TOKEN"] = bearer


def expect_error(code, fn):
    try:
        fn()
    except MlflowException as e:
        assert e.error_code == code, f"{e.error_code} != {code}: {e}"
        return
    raise AssertionError(f"expected {code}, got success")


mlflow.set_tracking_uri(url)
client = MlflowClient(url)
suffix = uuid.uuid4().hex[:8]
user2, user2_password = f"reader-{suffix}", f"pw-{suffix}-x"
state = {}


@step("no credentials: UNAUTHENTICATED")
def _():
    creds()
    expect_error("UNAUTHENTICATED", lambda: client.search_experiments())


@step("wrong password: UNAUTHENTICATED")
def _():
    creds(admin, "not-the-password")
    expect_error("UNAUTHENTICATED", lambda: client.search_experiments())


def practitioner_workload(label):
    exp_id = client.create_experiment(f"auth-{label}-{suffix}")
    mlflow.set_experiment(experiment_id=exp_id)
    with mlflow.start_run() as run:
        mlflow.log_param("lr", 0.01)
        for i in range(5):
            mlflow.log_metric("loss", 1.0 / (i + 1), step=i)
        mlflow.log_dict({"a": 1}, "config.json")
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "notes.txt")
            with open(p, "w") as f:
                f.write("hello")
            mlflow.log_artifact(p)
    names = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"config.json", "notes.txt"} <= names, names
    with tempfile.TemporaryDirectory() as d:
        local = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, dst_path=d)
        assert open(os.path.join(local, "notes.txt")).read() == "hello"
    history = client.get_metric_history(run.info.run_id, "loss")
    assert [m.step for m in history] == list(range(5))
    model = f"auth-model-{label}-{suffix}"
    client.create_registered_model(model)
    mv = client.create_model_version(model, f"runs:/{run.info.run_id}/model", run.info.run_id)
    client.set_registered_model_alias(model, "champion", mv.version)
    assert client.get_model_version_by_alias(model, "champion").version == mv.version
    found = client.search_runs([exp_id], "metrics.loss < 0.5")
    assert len(found) == 1
    return exp_id, model, run.info.run_id


@step("Basic: a practitioner's workload (experiment, run, metrics, artifacts, registry, search)")
def _():
    creds(admin, admin_password)
    state["exp"], state["model"], state["run"] = practitioner_workload("basic")


@step("auth client: create a user, grant READ on one experiment")
def _():
    creds(admin, admin_password)
    auth = mlflow.server.get_app_client("basic-auth", url)
    user = auth.create_user(user2, user2_password)
    assert user.username == user2 and not user.is_admin
    auth.create_experiment_permission(state["exp"], user2, "READ")
    assert auth.get_experiment_permission(state["exp"], user2).permission == "READ"
    auth.create_registered_model_permission(state["model"], user2, "NO_PERMISSIONS")


@step("granted READ: reads, cannot write (PERMISSION_DENIED), cannot see the hidden model")
def _():
    creds(user2, user2_password)
    assert client.get_run(state["run"]).data.params["lr"] == "0.01"
    expect_error("PERMISSION_DENIED", lambda: client.log_param(state["run"], "x", "1"))
    expect_error("PERMISSION_DENIED", lambda: client.get_registered_model(state["model"]))
    assert state["model"] not in {m.name for m in client.search_registered_models()}
    expect_error("PERMISSION_DENIED", lambda: mlflow.server.get_app_client("basic-auth", url).create_user("x" + suffix, "y"))


if token:

    @step("Bearer (MLFLOW_TRACKING_TOKEN): the same workload")
    def _():
        creds(bearer=token)
        practitioner_workload("bearer")

    @step("Bearer: a wrong token is UNAUTHENTICATED")
    def _():
        creds(bearer=token + "x")
        expect_error("UNAUTHENTICATED", lambda: client.search_experiments())

creds()
sys.exit(1 if failures else 0)
