"""Experiment tracking: `--report-to mlflow` against a real tracking server, TensorBoard files, KFP Metrics."""

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from imi_lib.core import config
from imi_lib.training import train
from s3server import free_port
from train_fixtures import make_data_dir

MLFLOW = Path(sys.executable).with_name("mlflow")


@pytest.fixture(scope="module")
def mlflow_server(tmp_path_factory):
    """`mlflow server` on 127.0.0.1 with a sqlite store; its process group is stopped by PID afterwards."""
    if not MLFLOW.exists():
        pytest.fail(f"{MLFLOW} missing: mlflow is a test dependency")
    root = tmp_path_factory.mktemp("mlflow")
    port = free_port()  # outside the ephemeral range: no outgoing connection takes it first
    log = open(root / "server.log", "wb")
    proc = subprocess.Popen(
        [str(MLFLOW), "server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--backend-store-uri", f"sqlite:///{root / 'mlflow.db'}", "--default-artifact-root", str(root / "artifacts")],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    uri = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240  # the first start migrates the sqlite schema: slow on a busy CPU
        while True:
            try:
                with urllib.request.urlopen(f"{uri}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"mlflow server did not start: {(root / 'server.log').read_text()[-2000:]}")
            time.sleep(1)
        yield uri
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server and the uvicorn worker it started
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def _cfg(data, out, **kw):
    values = dict(base_model="builtin:tiny", data_dir=str(data), output_dir=str(out), adapter="patient_triage",
                  max_seq_length=192, batch_size=2, learning_rate=3e-3, save_steps=0, max_steps=4)
    return config.from_dict(train.TrainConfig, {**values, **kw})


def test_mlflow_run_gets_the_effective_config_and_per_step_metrics(mlflow_server, tmp_path, monkeypatch):
    from mlflow.tracking import MlflowClient

    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlflow_server)
    monkeypatch.setenv("MLFLOW_EXPERIMENT_NAME", "imi-tracking-test")
    data = make_data_dir(tmp_path / "data", n_train=16, n_val=4)
    s = train.run(_cfg(data, tmp_path / "out", report_to="mlflow"))["adapters"]["patient_triage"]

    client = MlflowClient(mlflow_server)
    exp = client.get_experiment_by_name("imi-tracking-test")
    assert exp is not None
    runs = client.search_runs([exp.experiment_id])
    assert len(runs) == 1
    run = runs[0]
    assert run.info.status == "FINISHED" and run.info.run_name == "patient_triage"
    params = run.data.params
    # the effective config: the adapter table's defaults resolved, the flags as given
    assert params["imi.adapter"] == "patient_triage" and params["imi.lora_r"] == "16"
    assert params["imi.learning_rate"] == "0.003" and params["imi.max_steps"] == "4"
    assert params["imi.base_model"] == "builtin:tiny" and params["imi.packing"] == "True"
    history = client.get_metric_history(run.info.run_id, "loss")
    assert sorted(m.step for m in history) == [1, 2, 3, 4]
    assert history[-1].value == pytest.approx(s["final_loss"], rel=1e-4)
    assert {m.step for m in client.get_metric_history(run.info.run_id, "learning_rate")} == {1, 2, 3, 4}


def test_tracking_backend_not_installed_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    import importlib.util

    from imi_lib import cli

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name in ("tensorboard", "tensorboardX") else real(name, *a))
    rc = cli.main(["train", "--data-dir", str(tmp_path), "--report-to", "tensorboard"])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and len(err.splitlines()) == 1
    assert "--report-to tensorboard needs the tensorboard package" in err


def test_kfp_train_component_writes_metrics(tmp_path):
    from kfp import dsl

    from imi_lib.kfp.components.train import train as component

    data = make_data_dir(tmp_path / "data", n_train=12, n_val=4)
    final = dsl.Dataset(name="final", uri=str(data / "final"))
    model = dsl.Model(name="model", uri=str(tmp_path / "model"))
    metrics = dsl.Metrics(name="metrics", uri=str(tmp_path / "metrics"))
    component.python_func(final=final, adapter="patient_triage", base_model="builtin:tiny", precision="full", allow_cpu=True,
                          epochs=0, learning_rate=3e-3, max_steps=2, max_seq_length=192, checkpoint_root="",
                          model=model, metrics=metrics)
    m = metrics.metadata
    assert set(m) == {"final_loss", "val_loss", "tokens_per_s", "steps"}
    assert m["steps"] == 2 and m["tokens_per_s"] > 0 and 0 < m["val_loss"] < 20 and 0 < m["final_loss"] < 20
    shutil.rmtree(tmp_path / "model", ignore_errors=True)
