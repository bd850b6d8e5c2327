"""`imi train --nproc-per-node 2`: torchrun + DDP (gloo on this CPU) trains the same adapter as one process.

Same global batch (1 process x 4 rows == 2 processes x 2 rows), same seed:
the sampler order is the same, each process takes its share of every global
batch, the loss is divided by the label tokens of all processes together,
and DDP averages the gradients, so the adapters agree to float tolerance.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from imi_lib import cli
from imi_lib.training import checkpoint
from train_fixtures import make_data_dir

REPO = Path(__file__).resolve().parents[1]
# 24 records pack into 12 rows: 3 global batches of 4 per epoch, none ragged
FLAGS = ["--base-model", "builtin:tiny", "--adapter", "patient_triage", "--max-seq-length", "192",
         "--learning-rate", "3e-3", "--max-steps", "6", "--save-steps", "2", "--lora-dropout", "0"]


def _weights(out: Path) -> dict:
    return load_file(str(out / "patient_triage" / "adapter_model.safetensors"))


def _assert_close(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:  # summation order differs across processes: float noise only
        torch.testing.assert_close(a[k], b[k], rtol=1e-4, atol=1e-5)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("ddp")
    data = make_data_dir(root / "data", n_train=24, n_val=4)
    assert cli.main(["train", "--data-dir", str(data), "--output-dir", str(root / "one"), "--batch-size", "4",
                     *FLAGS]) == 0
    assert cli.main(["train", "--data-dir", str(data), "--output-dir", str(root / "two"), "--batch-size", "2",
                     "--nproc-per-node", "2", *FLAGS]) == 0
    return root, data


def test_two_processes_train_the_same_adapter_as_one(runs):
    root, _ = runs
    _assert_close(_weights(root / "two"), _weights(root / "one"))
    one = json.loads((root / "one" / "patient_triage" / "train_summary.json").read_text())
    two = json.loads((root / "two" / "patient_triage" / "train_summary.json").read_text())
    assert (one["processes"], two["processes"]) == (1, 2)
    assert two["steps"] == one["steps"] == 6
    assert two["final_loss"] == pytest.approx(one["final_loss"], rel=1e-4)
    assert two["label_tokens"] == one["label_tokens"]  # every process's tokens counted once
    log = [json.loads(x) for x in (root / "two" / "patient_triage" / "training_log.jsonl").open()]
    assert [r["step"] for r in log] == [1, 2, 3, 4, 5, 6]  # one writer, not one per process
    assert [s for s, _ in checkpoint.list_checkpoints(root / "two" / "patient_triage" / "checkpoints")] == [4, 6]


def test_killed_two_process_run_resumes(runs, tmp_path):
    root, data = runs
    out = tmp_path / "out"
    ckpts = out / "patient_triage" / "checkpoints"
    argv = ["train", "--data-dir", str(data), "--output-dir", str(out), "--batch-size", "2",
            "--nproc-per-node", "2", *FLAGS]
    proc = subprocess.Popen([sys.executable, "-m", "imi_lib.cli", *argv], cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        end = time.monotonic() + 300
        while not (ckpts / "checkpoint-2" / checkpoint.MARKER).is_file():
            assert proc.poll() is None, proc.stderr.read()[-2000:]
            assert time.monotonic() < end, "no checkpoint-2 in time"
            time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGKILL)  # the launcher and both training processes
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.stderr.close()
    assert not (out / "patient_triage" / "train_summary.json").exists()
    resumed_at = checkpoint.latest_checkpoint(ckpts)
    assert resumed_at is not None
    assert cli.main(argv) == 0
    s = json.loads((out / "patient_triage" / "train_summary.json").read_text())
    assert s["resumed_from_step"] == checkpoint.step_of(resumed_at) and s["steps"] == 6
    _assert_close(_weights(out), _weights(root / "one"))
