"""Checkpoints count only when complete, and a killed run resumes to the same weights."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from imi_lib.training import checkpoint, train
from imi_lib.core import config, storage
from imi_lib.core.errors import UserError
from train_fixtures import make_data_dir

REPO = Path(__file__).resolve().parents[1]
FLAGS = dict(base_model="builtin:tiny", adapter="patient_triage", max_seq_length=192, batch_size=2,
             learning_rate=3e-3, save_steps=3, max_steps=9)

# The child is `imi train` itself; the only change is a pause just before the
# checkpoint of step 6 is written, so the kill lands after steps 4-6 were
# trained but not saved: resuming must redo them from checkpoint-3.
CHILD = """
import sys, time
from imi_lib.training import checkpoint
write = checkpoint.write_checkpoint
def pausing(checkpoint_dir, step, write_files, **kw):
    if step == 6:
        time.sleep(600)
    return write(checkpoint_dir, step, write_files, **kw)
checkpoint.write_checkpoint = pausing
from imi_lib.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _argv(data: Path, out: Path) -> list[str]:
    argv = ["train", "--data-dir", str(data), "--output-dir", str(out)]
    for k, v in FLAGS.items():
        argv += ["--" + k.replace("_", "-"), str(v)]
    return argv


def _cfg(data, out, **kw) -> train.TrainConfig:
    return config.from_dict(train.TrainConfig, {**FLAGS, "data_dir": str(data), "output_dir": str(out), **kw})


def _weights(out: Path) -> dict:
    return load_file(str(out / "patient_triage" / "adapter_model.safetensors"))


def _wait_for(pred, proc, timeout=240.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        if proc.poll() is not None:
            raise AssertionError(f"training exited early with {proc.returncode}: {proc.stderr.read()[-2000:]}")
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the training process")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted run with the same seed and flags."""
    root = tmp_path_factory.mktemp("resume")
    data = make_data_dir(root / "data", n_train=24, n_val=4)
    summary = train.run(_cfg(data, root / "reference"))
    return root, data, summary["adapters"]["patient_triage"]


def test_killed_run_resumes_to_the_same_weights(reference, tmp_path):
    root, data, ref = reference
    out = tmp_path / "adapters"
    ckpts = out / "patient_triage" / "checkpoints"
    log = out / "patient_triage" / "training_log.jsonl"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, *_argv(data, out)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: (ckpts / "checkpoint-3" / checkpoint.MARKER).is_file(), proc)
        # steps 4..6 trained and logged, checkpoint-6 not yet written (the adapter directory is
        # built aside and published whole at the end, so the live log is in its staging directory)
        live = lambda: next(iter(out.glob(".patient_triage.imi-staging-*/" + log.name)), None)  # noqa: E731
        _wait_for(lambda: live() is not None and len(live().read_text().splitlines()) >= 6, proc)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stderr.close()
    assert checkpoint.latest_checkpoint(ckpts).endswith("checkpoint-3")
    assert not (out / "patient_triage" / "train_summary.json").exists()

    # a half-written later checkpoint (no COMPLETE marker) must be ignored
    fake = ckpts / "checkpoint-8"
    fake.mkdir()
    (fake / "trainer_state.json").write_text(json.dumps({"adapter": "patient_triage", "step": 8}))
    (fake / "adapter_model.safetensors").write_bytes(b"truncated")

    summary = train.run(_cfg(data, out))  # same command again: resumes on its own
    s = summary["adapters"]["patient_triage"]
    assert s["resumed_from_step"] == 3 and s["steps"] == 9
    assert s["final_loss"] == pytest.approx(ref["final_loss"], rel=1e-5)
    assert s["val_loss"] == pytest.approx(ref["val_loss"], rel=1e-5)
    resumed, expected = _weights(out), _weights(root / "reference")
    assert resumed.keys() == expected.keys()
    for k in expected:
        torch.testing.assert_close(resumed[k], expected[k], rtol=1e-5, atol=1e-6)
    steps = [json.loads(line)["step"] for line in log.read_text().splitlines()]
    assert steps == list(range(1, 10))  # the log continues from the checkpoint, no step twice
    assert not fake.exists()  # the leftover was cleaned up once newer checkpoints were written
    assert [s for s, _ in checkpoint.list_checkpoints(ckpts)] == [6, 9]


def test_resume_from_an_explicit_checkpoint(reference, tmp_path):
    root, data, ref = reference
    ck = root / "reference" / "patient_triage" / "checkpoints" / "checkpoint-6"
    summary = train.run(_cfg(data, tmp_path / "elsewhere", resume_from=str(ck)))
    s = summary["adapters"]["patient_triage"]
    assert s["resumed_from_step"] == 6 and s["steps"] == 9
    resumed, expected = _weights(tmp_path / "elsewhere"), _weights(root / "reference")
    for k in expected:
        torch.testing.assert_close(resumed[k], expected[k], rtol=1e-5, atol=1e-6)
    with pytest.raises(UserError, match="checkpoint of adapter 'patient_triage', not 'research'"):
        train.run(_cfg(data, tmp_path / "x", adapter="research", resume_from=str(ck)))


def test_changed_config_does_not_resume_a_different_run(reference, tmp_path, capsys):
    root, data, _ = reference
    out = tmp_path / "adapters"
    train.run(_cfg(data, out, max_steps=3))
    capsys.readouterr()
    s = train.run(_cfg(data, out, max_steps=3, learning_rate=1e-3))["adapters"]["patient_triage"]
    assert s["resumed_from_step"] is None and s["steps"] == 3
    assert "different learning_rate; starting fresh" in capsys.readouterr().err


def test_checkpoints_and_adapter_on_s3(reference, s3_env, tmp_path):
    _, local_data, _ = reference
    data = f"{s3_env}/data"  # data, checkpoints and adapter all in the bucket
    storage.upload_tree(local_data / "final", f"{data}/final")  # with its marker
    out = f"{s3_env}/adapters"
    s = train.run(_cfg(data, out, max_steps=4, save_steps=2))["adapters"]["patient_triage"]
    ckpt_dir = f"{out}/patient_triage/checkpoints"
    assert [step for step, _ in checkpoint.list_checkpoints(ckpt_dir)] == [2, 4]
    assert storage.is_complete(f"{out}/patient_triage")
    assert {"adapter_model.safetensors", "adapter_config.json", "train_summary.json"} <= set(
        storage.list_files(f"{out}/patient_triage"))
    # an upload cut short: files but no manifest
    storage.write_text(f"{ckpt_dir}/checkpoint-6/trainer_state.json", json.dumps({"adapter": "patient_triage"}))
    assert checkpoint.latest_checkpoint(ckpt_dir).endswith("checkpoint-4")
    again = train.run(_cfg(data, out, max_steps=4, save_steps=2))["adapters"]["patient_triage"]
    assert again["resumed_from_step"] == 4 and again["steps"] == 4  # nothing left to train
    assert again["final_loss"] == pytest.approx(s["final_loss"])
    local = tmp_path / "fetched"
    storage.download_tree(f"{out}/patient_triage", local, require_manifest=True)
    for k, v in load_file(str(local / "adapter_model.safetensors")).items():
        assert torch.isfinite(v).all()


def test_write_checkpoint_is_complete_or_absent(tmp_path):
    def good(d: Path):
        (d / "trainer_state.json").write_text("{}")

    def crash(d: Path):
        (d / "trainer_state.json").write_text("{}")
        raise OSError("disk full")

    for step in (1, 2, 3):
        checkpoint.write_checkpoint(tmp_path, step, good, keep=2)
    assert [s for s, _ in checkpoint.list_checkpoints(tmp_path)] == [2, 3]
    with pytest.raises(OSError):
        checkpoint.write_checkpoint(tmp_path, 4, crash, keep=2)
    assert not (tmp_path / "checkpoint-4").exists()
    assert checkpoint.latest_checkpoint(tmp_path).endswith("checkpoint-3")
    (tmp_path / "checkpoint-3" / checkpoint.MARKER).unlink()
    assert checkpoint.latest_checkpoint(tmp_path).endswith("checkpoint-2")
    with pytest.raises(UserError, match="not a complete checkpoint"):
        with checkpoint.local_checkpoint(tmp_path / "checkpoint-3"):
            pass
    checkpoint.write_checkpoint(tmp_path, 5, good, keep=2)
    # the crashed temp dir and the marker-less checkpoint-3 are gone; the two newest complete remain
    assert sorted(p.name for p in tmp_path.iterdir()) == ["checkpoint-2", "checkpoint-5"]
