"""Training checkpoints that are complete or absent, and finding the one to resume from.

A checkpoint is a directory `checkpoint-<step>/` under the checkpoint dir
(local or `s3://`) holding everything needed to continue exactly where the
run was: the LoRA weights (PEFT format, so a checkpoint also loads with
`PeftModel.from_pretrained`), optimizer, LR scheduler, grad scaler, the
python/numpy/torch RNG states and the position in the data.

It counts only once it is complete:
- local: files are written into `.tmp-checkpoint-<step>-<pid>/`, the
  `COMPLETE` marker is written last, then the directory is renamed into
  place. A `checkpoint-<step>/` without the marker (copied by hand, or left
  by something else) is ignored.
- s3: the same directory is built locally and uploaded with
  `storage.upload_tree`, which writes its manifest (`_IMI_COMPLETE.json`)
  after every other object; a prefix without the manifest is ignored.

Only the newest `keep` complete checkpoints are kept.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

from imi_lib.core import storage
from imi_lib.core.errors import UserError

MARKER = "COMPLETE"
PREFIX = "checkpoint-"
STATE_FILE = "trainer_state.json"
_NAME = re.compile(r"^checkpoint-(\d+)$")


def checkpoint_name(step: int) -> str:
    return f"{PREFIX}{step}"


def step_of(name: str) -> int | None:
    m = _NAME.match(name.rstrip("/").rsplit("/", 1)[-1])
    return int(m.group(1)) if m else None


def is_complete_checkpoint(path: str | os.PathLike) -> bool:
    path = str(path)
    if storage.is_s3(path):
        return storage.is_complete(path) and storage.exists(storage.join(path, MARKER))
    return Path(path, MARKER).is_file() and Path(path, STATE_FILE).is_file()


def list_checkpoints(checkpoint_dir: str | os.PathLike, *, complete: bool = True) -> list[tuple[int, str]]:
    """(step, uri) of the checkpoints under a directory, oldest first; only complete ones by default."""
    checkpoint_dir = str(checkpoint_dir)
    found: dict[int, bool] = {}
    if storage.is_s3(checkpoint_dir):
        for rel in storage.list_files(checkpoint_dir):
            top, _, rest = rel.partition("/")
            step = step_of(top)
            if step is None:
                continue
            found[step] = found.get(step, False) or rest == storage.MANIFEST
    else:
        root = Path(checkpoint_dir)
        if root.is_dir():
            for d in root.iterdir():
                step = step_of(d.name)
                if step is not None and d.is_dir():
                    found[step] = (d / MARKER).is_file()
    return [(s, storage.join(checkpoint_dir, checkpoint_name(s)))
            for s in sorted(found) if found[s] or not complete]


def latest_checkpoint(checkpoint_dir: str | os.PathLike) -> str | None:
    """The newest complete checkpoint, or None."""
    done = list_checkpoints(checkpoint_dir)
    return done[-1][1] if done else None


def write_checkpoint(checkpoint_dir: str | os.PathLike, step: int, write_files: Callable[[Path], None],
                     *, keep: int = 2) -> str:
    """Write `checkpoint-<step>` completely (write_files fills a local dir), then prune to `keep`."""
    checkpoint_dir = str(checkpoint_dir)
    name = checkpoint_name(step)
    marker = json.dumps({"step": step, "written_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
    if storage.is_s3(checkpoint_dir):
        with tempfile.TemporaryDirectory(prefix="imi-ckpt-") as tmp:
            write_files(Path(tmp))
            Path(tmp, MARKER).write_text(marker)
            target = storage.join(checkpoint_dir, name)
            _delete_s3_prefix(target)  # an older or partial copy of the same step
            storage.upload_tree(tmp, target)
    else:
        root = Path(checkpoint_dir)
        root.mkdir(parents=True, exist_ok=True)
        tmp = root / f".tmp-{name}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        try:
            write_files(tmp)
            for f in tmp.iterdir():
                _fsync(f)
            Path(tmp, MARKER).write_text(marker)
            _fsync(tmp / MARKER)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        target = root / name
        if target.exists():
            trash = root / f".trash-{name}-{os.getpid()}"
            target.rename(trash)
            shutil.rmtree(trash, ignore_errors=True)
        tmp.rename(target)
        _fsync_dir(root)
    prune(checkpoint_dir, keep=keep)
    return storage.join(checkpoint_dir, name)


def prune(checkpoint_dir: str | os.PathLike, *, keep: int = 2) -> None:
    """Delete all but the newest `keep` complete checkpoints, plus incomplete leftovers."""
    checkpoint_dir = str(checkpoint_dir)
    done = list_checkpoints(checkpoint_dir)
    done_steps = {s for s, _ in done}
    doomed = [uri for _, uri in done[:-keep]] if keep > 0 else [uri for _, uri in done]
    doomed += [uri for s, uri in list_checkpoints(checkpoint_dir, complete=False) if s not in done_steps]
    for uri in doomed:
        remove(uri)
    if not storage.is_s3(checkpoint_dir):
        for stale in Path(checkpoint_dir).glob(".tmp-checkpoint-*"):
            if not stale.name.endswith(f"-{os.getpid()}"):
                shutil.rmtree(stale, ignore_errors=True)


def remove(uri: str) -> None:
    """Delete one checkpoint (s3: its completion manifest first, so a half-deleted one reads as incomplete)."""
    if storage.is_s3(uri):
        _delete_s3_prefix(uri)
    else:
        shutil.rmtree(uri, ignore_errors=True)


@contextlib.contextmanager
def local_checkpoint(path: str | os.PathLike) -> Iterator[Path]:
    """A local directory holding a complete checkpoint (downloaded and checksum-verified from s3)."""
    path = str(path)
    if not is_complete_checkpoint(path):
        raise UserError(
            f"{path}: not a complete checkpoint (expected a checkpoint-<step> directory with a {MARKER} marker "
            f"and {STATE_FILE}; a checkpoint without the marker was not fully written)"
        )
    if not storage.is_s3(path):
        yield Path(path)
        return
    with tempfile.TemporaryDirectory(prefix="imi-ckpt-") as tmp:
        storage.download_tree(path, tmp, require_manifest=True)
        yield Path(tmp)


def read_state(path: str | os.PathLike) -> dict:
    """The trainer state (step, epoch, data position, fingerprint) of a complete checkpoint."""
    return json.loads(storage.read_text(storage.join(str(path), STATE_FILE)))


# ---- what goes in a checkpoint --------------------------------------------

def save_training_state(out: Path, *, model, optimizer, scheduler, scaler, state: dict) -> None:
    """Write the LoRA weights, optimizer, scheduler, scaler, RNG states and trainer state into `out`."""
    import torch

    model.save_pretrained(str(out), safe_serialization=True)
    torch.save(optimizer.state_dict(), out / "optimizer.pt")
    torch.save(scheduler.state_dict(), out / "scheduler.pt")
    if scaler is not None:
        torch.save(scaler.state_dict(), out / "scaler.pt")
    torch.save(capture_rng(), out / "rng_state.pt")
    (out / STATE_FILE).write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")


def load_training_state(ckpt: Path, *, model, optimizer, scheduler, scaler) -> dict:
    """Restore everything `save_training_state` wrote; returns the trainer state.

    torch.load runs with weights_only=True: a checkpoint may come from shared
    storage and must not be able to run code.
    """
    import torch
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    weights = load_file(str(ckpt / "adapter_model.safetensors"))
    result = set_peft_model_state_dict(model, weights)
    misfit = [k for k in list(result.unexpected_keys) + list(result.missing_keys) if "lora_" in k]
    if misfit:
        raise UserError(f"{ckpt}: checkpoint weights do not fit this model and LoRA config ({misfit[0]}, ...)")
    optimizer.load_state_dict(torch.load(ckpt / "optimizer.pt", weights_only=True))
    scheduler.load_state_dict(torch.load(ckpt / "scheduler.pt", weights_only=True))
    if scaler is not None and (ckpt / "scaler.pt").exists():
        scaler.load_state_dict(torch.load(ckpt / "scaler.pt", weights_only=True))
    restore_rng(torch.load(ckpt / "rng_state.pt", weights_only=True))
    return json.loads((ckpt / STATE_FILE).read_text())


def capture_rng() -> dict:
    import random

    import numpy as np
    import torch

    name, keys, pos, has_gauss, cached = np.random.get_state()
    state = {
        "python": random.getstate(),
        "numpy": [name, torch.from_numpy(keys.astype("int64")), int(pos), int(has_gauss), float(cached)],
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def restore_rng(state: dict) -> None:
    import random

    import numpy as np
    import torch

    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    name, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((name, keys.numpy().astype("uint32"), pos, has_gauss, cached))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


# ---- helpers --------------------------------------------------------------

def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _delete_s3_prefix(uri: str) -> None:
    """Delete every object under an s3 prefix, the completion manifest first."""
    rels = storage.list_files(uri)
    if not rels:
        return
    bucket, key = storage.split_s3(uri)
    prefix = key.rstrip("/")
    keys = [f"{prefix}/{r}" for r in sorted(rels, key=lambda r: r != storage.MANIFEST)]
    client = storage.s3_client()
    client.delete_object(Bucket=bucket, Key=keys[0])  # from here on the tree reads as incomplete
    for i in range(1, len(keys), 1000):
        client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys[i:i + 1000]]})
