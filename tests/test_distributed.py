"""`imi train --nproc-per-node 2`: torchrun + DDP or FSDP (gloo on this CPU) trains the same adapter as one process.

Same global batch (1 process x 4 rows == 2 processes x 2 rows), same seed:
the sampler order is the same, each process takes its share of every global
batch, the loss is divided by the label tokens of all processes together,
and DDP averages the gradients, so the adapters agree to float tolerance.
With `--fsdp` each process holds half of every weight (FSDP2 `fully_shard` on
a cpu/gloo mesh), gathers a layer's weights for its forward and backward and
reduce-scatters the gradients: the same sums in another order.
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
from imi_lib.core import storage
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


def _assert_close_sharded(a: dict, b: dict) -> None:
    """FSDP's tolerance: the same float noise as DDP, and Adam makes a few elements show it more.

    Adam divides each element's step by its own gradient magnitude, so an element whose
    gradient is close to 0 (lora_A's are exactly 0 until lora_B moves) turns a last-bit
    difference in the reduce-scattered gradient into up to lr (3e-3) per step. Measured:
    2 of 164k elements beyond 1e-5, the largest 3.3e-5, the whole adapter 3e-6 apart in
    relative norm. A wrong shard, a missed reduction or a lost step moves it by whole
    percents, so both bounds below still fail on a real error.
    """
    assert a.keys() == b.keys()
    diff = torch.cat([(a[k] - b[k]).flatten() for k in a])
    ref = torch.cat([b[k].flatten() for k in a])
    assert float(diff.norm() / ref.norm()) < 2e-5
    assert float(diff.abs().max()) < 2e-4


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
    assert (one["processes"], two["processes"], two["sharded"]) == (1, 2, False)
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
    _kill_after_first_checkpoint(argv, ckpts)
    assert not (out / "patient_triage" / "train_summary.json").exists()
    resumed_at = checkpoint.latest_checkpoint(ckpts)
    assert resumed_at is not None
    assert cli.main(argv) == 0
    s = json.loads((out / "patient_triage" / "train_summary.json").read_text())
    assert s["resumed_from_step"] == checkpoint.step_of(resumed_at) and s["steps"] == 6
    _assert_close(_weights(out), _weights(root / "one"))


@pytest.fixture(scope="module")
def fsdp_run(runs, tmp_path_factory):
    """A 2-process FSDP run, killed after its first checkpoint and run again: (output dir, step resumed from)."""
    root, data = runs
    out = tmp_path_factory.mktemp("fsdp") / "out"
    ckpts = out / "patient_triage" / "checkpoints"
    argv = ["train", "--data-dir", str(data), "--output-dir", str(out), "--batch-size", "2",
            "--nproc-per-node", "2", "--fsdp", *FLAGS]
    _kill_after_first_checkpoint(argv, ckpts)
    assert not (out / "patient_triage" / "train_summary.json").exists()
    resumed_at = checkpoint.latest_checkpoint(ckpts)
    assert resumed_at is not None
    assert cli.main(argv) == 0
    return out, checkpoint.step_of(resumed_at)


def _kill_after_first_checkpoint(argv: list, ckpts: Path) -> None:
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


def test_fsdp_shards_the_model_and_trains_the_same_adapter_as_one_process(fsdp_run, runs):
    out, _ = fsdp_run
    root, _ = runs
    adapter = out / "patient_triage"
    storage.require_complete(str(adapter), rebuild="imi train")  # marker last, every file's checksum right
    s = json.loads((adapter / "train_summary.json").read_text())
    one = json.loads((root / "one" / "patient_triage" / "train_summary.json").read_text())
    assert (s["processes"], s["sharded"], one["sharded"]) == (2, True, False)
    assert s["steps"] == 6 and s["label_tokens"] > 0
    assert s["val_loss"] == pytest.approx(one["val_loss"], rel=1e-4)  # scored through the sharded model
    weights = _weights(out)
    assert all(not hasattr(w, "to_local") and w.numel() > 0 for w in weights.values())  # whole, not shards
    _assert_close_sharded(weights, _weights(root / "one"))
    ckpts = checkpoint.list_checkpoints(adapter / "checkpoints")
    assert [step for step, _ in ckpts] == [4, 6]
    for _, ckpt in ckpts:  # complete, checksummed, with Trainer's FSDP state in them
        assert checkpoint.is_complete_checkpoint(ckpt)
        assert {"optimizer.bin", "pytorch_model_fsdp.bin"} <= {p.name for p in Path(ckpt).iterdir()}


def test_killed_fsdp_run_resumes_from_its_last_complete_checkpoint(fsdp_run):
    out, resumed_at = fsdp_run
    s = json.loads((out / "patient_triage" / "train_summary.json").read_text())
    assert resumed_at in (2, 4) and s["resumed_from_step"] == resumed_at
    log = [json.loads(x) for x in (out / "patient_triage" / "training_log.jsonl").open()]
    assert [r["step"] for r in log] == [1, 2, 3, 4, 5, 6]  # the killed run's lines, then the resumed run's


@pytest.mark.parametrize("rank,trained,removed", [(0, True, True), (1, True, False), (1, False, True)])
def test_the_shared_scratch_directory_goes_only_when_every_process_is_past_it(tmp_path, monkeypatch, rank, trained,
                                                                                removed):
    """Every process of a run writes into one scratch directory; a process that finished first used to remove it
    while the main one still published its last checkpoint from it. After a run that trained, the processes meet at a
    barrier and only the main one removes it; after a failure each removes it at once (no barrier to hang on)."""
    import torch.distributed as dist

    from imi_lib.training import train

    calls = []
    monkeypatch.setattr(dist, "is_initialized", lambda: True)
    monkeypatch.setattr(dist, "get_world_size", lambda: 2)
    monkeypatch.setattr(dist, "barrier", lambda: calls.append("barrier"))
    scratch = tmp_path / "imi-trainer-x"
    (scratch / "checkpoint-6").mkdir(parents=True)
    train._remove_scratch(scratch, rank, trained)
    assert scratch.exists() is not removed
    assert calls == (["barrier"] if trained else [])
