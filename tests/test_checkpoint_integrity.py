"""Damaged checkpoints are never trained on: resume verifies checksums and falls back, or starts fresh.

Each case copies checkpoints 3 and 6 of an uninterrupted 9-step run into a
fresh output directory, damages them, and runs the same command again: the
run must skip what is damaged with one warning line, continue from the
newest intact checkpoint (or from scratch), and end with the same adapter as
the uninterrupted run.
"""

import json
import shutil
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from imi_lib import cli
from imi_lib.core import config, storage
from imi_lib.training import checkpoint, train
from train_fixtures import make_data_dir

FLAGS = dict(base_model="builtin:tiny", adapter="patient_triage", max_seq_length=192, batch_size=2,
             learning_rate=3e-3, save_steps=3, max_steps=9)


def _cfg(data, out, **kw) -> train.TrainConfig:
    return config.from_dict(train.TrainConfig, {**FLAGS, "data_dir": str(data), "output_dir": str(out), **kw})


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted run that keeps checkpoints 3, 6 and 9."""
    root = tmp_path_factory.mktemp("integrity")
    data = make_data_dir(root / "data", n_train=24, n_val=4)
    summary = train.run(_cfg(data, root / "reference", keep_checkpoints=3))
    ckpts = root / "reference" / "patient_triage" / "checkpoints"
    assert [s for s, _ in checkpoint.list_checkpoints(ckpts)] == [3, 6, 9]
    return data, root / "reference" / "patient_triage", summary["adapters"]["patient_triage"]


def _flip(path: Path, n: int = 64) -> None:
    """Flip n bytes spread over the middle of a file (size unchanged)."""
    raw = bytearray(path.read_bytes())
    start = len(raw) // 3
    for i in range(n):
        raw[start + i * 7 % max(1, len(raw) // 3)] ^= 0xFF
    path.write_bytes(bytes(raw))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garbage_marker(ck: Path) -> None:
    (ck / checkpoint.MARKER).write_bytes(b"\x00\xffnot json at all")


DAMAGE = {
    "flipped bytes in weights": lambda ck: _flip(ck / "adapter_model.safetensors"),
    "flipped bytes in optimizer state": lambda ck: _flip(ck / "optimizer.pt"),
    "truncated scheduler": lambda ck: _truncate(ck / "scheduler.pt"),
    "truncated rng state": lambda ck: _truncate(ck / "rng_state.pth"),
    "missing optimizer state": lambda ck: (ck / "optimizer.pt").unlink(),
    "missing trainer state": lambda ck: (ck / "trainer_state.json").unlink(),
    "garbage marker": _garbage_marker,
}


def _copy_checkpoints(ref_dir: Path, out: Path, steps=(3, 6)) -> Path:
    ckpts = out / "patient_triage" / "checkpoints"
    ckpts.mkdir(parents=True)
    for s in steps:
        shutil.copytree(ref_dir / "checkpoints" / f"checkpoint-{s}", ckpts / f"checkpoint-{s}")
    return ckpts


def _assert_same_adapter(out: Path, ref_dir: Path) -> None:
    got = load_file(str(out / "patient_triage" / "adapter_model.safetensors"))
    want = load_file(str(ref_dir / "adapter_model.safetensors"))
    assert got.keys() == want.keys()
    for k in want:
        torch.testing.assert_close(got[k], want[k], rtol=1e-5, atol=1e-6)


def _warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("imi train: warning:")]


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_damaged_newest_checkpoint_falls_back_to_the_previous_one(reference, tmp_path, capsys, damage):
    data, ref_dir, ref = reference
    out = tmp_path / "adapters"
    ckpts = _copy_checkpoints(ref_dir, out)
    DAMAGE[damage](ckpts / "checkpoint-6")
    capsys.readouterr()
    s = train.run(_cfg(data, out))["adapters"]["patient_triage"]
    warned = _warnings(capsys.readouterr().err)
    assert len(warned) == 1, warned
    assert "checkpoint-6 is damaged" in warned[0] and "falling back to checkpoint-3" in warned[0]
    assert s["resumed_from_step"] == 3 and s["steps"] == 9
    assert s["final_loss"] == pytest.approx(ref["final_loss"], rel=1e-5)
    _assert_same_adapter(out, ref_dir)
    steps = [json.loads(x)["step"] for x in (out / "patient_triage" / "training_log.jsonl").open()]
    assert steps == list(range(1, 10))


def test_no_intact_checkpoint_starts_fresh_and_says_so(reference, tmp_path, capsys):
    data, ref_dir, ref = reference
    out = tmp_path / "adapters"
    ckpts = _copy_checkpoints(ref_dir, out)
    _flip(ckpts / "checkpoint-6" / "adapter_model.safetensors")
    _garbage_marker(ckpts / "checkpoint-3")
    capsys.readouterr()
    s = train.run(_cfg(data, out))["adapters"]["patient_triage"]
    warned = _warnings(capsys.readouterr().err)
    assert len(warned) == 2
    assert "checkpoint-6 is damaged" in warned[0] and "falling back to checkpoint-3" in warned[0]
    assert "checkpoint-3 is damaged" in warned[1] and "starting fresh" in warned[1]
    assert s["resumed_from_step"] is None and s["steps"] == 9
    _assert_same_adapter(out, ref_dir)


def test_damaged_explicit_resume_from_is_one_line_error(reference, tmp_path, capsys):
    data, ref_dir, _ = reference
    ck = _copy_checkpoints(ref_dir, tmp_path / "a", steps=(6,)) / "checkpoint-6"
    _flip(ck / "optimizer.pt")
    argv = ["train", "--data-dir", str(data), "--output-dir", str(tmp_path / "b"), "--resume-from", str(ck)]
    for k, v in FLAGS.items():
        argv += ["--" + k.replace("_", "-"), str(v)]
    capsys.readouterr()
    assert cli.main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "damaged checkpoint: optimizer.pt does not match its sha256" in err[0]


def test_damaged_checkpoint_on_s3_falls_back(reference, s3_env, tmp_path, capsys):
    data, ref_dir, ref = reference
    ckpts = f"{s3_env}/adapters/patient_triage/checkpoints"
    for s in (3, 6):
        storage.upload_tree(_copy_checkpoints(ref_dir, tmp_path / f"c{s}", steps=(s,)) / f"checkpoint-{s}",
                            f"{ckpts}/checkpoint-{s}")
    # an object replaced behind the marker's back
    storage.write_bytes(f"{ckpts}/checkpoint-6/optimizer.pt", b"\x00" * 100)
    capsys.readouterr()
    s = train.run(_cfg(data, f"{s3_env}/adapters"))["adapters"]["patient_triage"]
    warned = _warnings(capsys.readouterr().err)
    assert len(warned) == 1 and "falling back to checkpoint-3" in warned[0]
    assert s["resumed_from_step"] == 3 and s["steps"] == 9
    local = tmp_path / "fetched"
    storage.download_tree(f"{s3_env}/adapters/patient_triage", local / "patient_triage", require_manifest=True)
    _assert_same_adapter(local, ref_dir)


def test_marker_lists_every_file_with_its_sha256(reference):
    _, ref_dir, _ = reference
    ck = ref_dir / "checkpoints" / "checkpoint-9"
    marker = json.loads((ck / checkpoint.MARKER).read_text())
    files = {p.name for p in ck.iterdir() if p.name != checkpoint.MARKER}
    assert set(marker["files"]) == files
    assert {"adapter_model.safetensors", "optimizer.pt", "scheduler.pt", "rng_state.pth", "trainer_state.json",
            checkpoint.IMI_STATE, "training_log.jsonl"} <= files
    assert "training_args.bin" not in files  # Trainer's pickle stays out of shared storage
    assert all(marker["files"][f] == storage.sha256_file(ck / f) for f in files)
    assert checkpoint.verify(ck) is None
