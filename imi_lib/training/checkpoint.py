"""Training checkpoints that are complete, checksummed or absent, and finding the one to resume from.

A checkpoint is a directory `checkpoint-<step>/` under the checkpoint dir
(local or `s3://`) holding what `transformers.Trainer` writes to continue
exactly where the run was (the LoRA weights in PEFT format, optimizer, LR
scheduler, RNG states, `trainer_state.json` with the data position) plus
IMI's own `imi_state.json` (adapter, run fingerprint, last loss) and the
training log so far.

It counts only once it is complete, and only while its bytes are the ones
that were written:
- the `COMPLETE` marker is written last and lists every file with its
  sha256. Local: files go into `.tmp-checkpoint-<step>-<pid>/`, marker last,
  then one rename into place. s3: the same directory is built locally and
  uploaded with `storage.upload_tree`, whose manifest goes last; a prefix
  without it is ignored.
- resume (`open_resumable`) verifies the marker's checksums and that every
  file loads before anything is restored; the newest checkpoint that fails
  is skipped with one warning line and the next older intact one is used.
  With none intact the run starts fresh and says so.

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
STATE_FILE = "trainer_state.json"  # transformers.Trainer's: step, epoch, data position
IMI_STATE = "imi_state.json"  # ours: adapter, run fingerprint, last loss
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
    """Write `checkpoint-<step>` completely (write_files fills a local dir), then prune to `keep`.

    The marker, written last, lists the sha256 of every file: resume checks them.
    """
    checkpoint_dir = str(checkpoint_dir)
    name = checkpoint_name(step)

    def marker(tmp: Path) -> None:
        files = {str(p.relative_to(tmp)): storage.sha256_file(p)
                 for p in sorted(tmp.rglob("*")) if p.is_file() and p.name != MARKER}
        body = {"step": step, "written_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "files": files}
        Path(tmp, MARKER).write_text(json.dumps(body, indent=1, sort_keys=True) + "\n")

    if storage.is_s3(checkpoint_dir):
        with tempfile.TemporaryDirectory(prefix="imi-ckpt-") as tmp:
            write_files(Path(tmp))
            marker(Path(tmp))
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
            marker(tmp)
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
        storage.fsync_dir(root)
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
    """A local directory holding a complete, verified checkpoint (downloaded first from s3).

    UserError, one line, when it is incomplete, does not match its checksums or does not load.
    """
    path = str(path)
    if not is_complete_checkpoint(path):
        raise UserError(
            f"{path}: not a complete checkpoint (expected a checkpoint-<step> directory with a {MARKER} marker "
            f"and {STATE_FILE}; a checkpoint without the marker was not fully written)"
        )
    with _materialized(path) as local:
        problem = "cannot be read from storage" if local is None else verify(local)
        if problem:
            raise UserError(f"{path}: damaged checkpoint: {problem}; resume from an older checkpoint-<step> "
                            "or start fresh without --resume-from")
        yield local


@contextlib.contextmanager
def open_resumable(checkpoint_dir: str | os.PathLike, warn: Callable[[str], None]
                   ) -> Iterator[tuple[str, Path] | None]:
    """(uri, local dir) of the newest checkpoint that verifies and loads, or None.

    Each checkpoint skipped on the way costs one `warn` line; when complete
    checkpoints existed but none is intact, one more line says the run starts fresh.
    """
    checkpoint_dir = str(checkpoint_dir)
    found = list_checkpoints(checkpoint_dir)
    for k, (step, uri) in enumerate(reversed(found)):
        with _materialized(uri) as local:
            problem = "cannot be read from storage" if local is None else verify(local)
            if not problem:
                yield uri, local
                return
        older = found[-k - 2][1] if k + 1 < len(found) else None
        warn(f"checkpoint {uri} is damaged ({problem}); "
             + (f"falling back to {older.rstrip('/').rsplit('/', 1)[-1]}" if older else "no intact checkpoint left, starting fresh"))
    yield None


def verify(local: Path) -> str | None:
    """What is wrong with a local checkpoint directory, or None when it is intact and loads."""
    try:
        marker = json.loads(Path(local, MARKER).read_text(encoding="utf-8"))
        files = marker["files"]
        if not isinstance(files, dict) or not files:
            return f"{MARKER} lists no files"
    except FileNotFoundError:
        return f"no {MARKER} marker"
    except (OSError, ValueError, KeyError, TypeError) as e:
        return f"unreadable {MARKER} marker ({type(e).__name__})"
    for rel, digest in sorted(files.items()):
        p = Path(local, rel)
        if not p.is_file():
            return f"{rel} is missing"
        if storage.sha256_file(p) != digest:
            return f"{rel} does not match its sha256"
    for required in (STATE_FILE, IMI_STATE, "adapter_model.safetensors", ("optimizer.pt", "optimizer.bin")):
        if not any(r in files for r in (required if isinstance(required, tuple) else (required,))):
            # optimizer.bin: under FSDP Trainer saves the gathered optimizer state through accelerate
            return f"{MARKER} does not list {required if isinstance(required, str) else required[0]}"
    return _loads(Path(local))


def _loads(local: Path) -> str | None:
    """Load every piece once (weights only, never pickled code): a checksum can vouch for a bad write."""
    import torch
    from safetensors.torch import load_file
    from transformers.trainer_pt_utils import safe_globals

    for p in sorted(local.iterdir()):
        try:
            if p.suffix == ".safetensors":
                load_file(str(p))
            elif p.suffix in (".pt", ".pth", ".bin"):  # .bin: FSDP's model and optimizer state
                with safe_globals():  # the numpy RNG state, as Trainer loads it
                    torch.load(p, weights_only=True, map_location="cpu")
            elif p.suffix == ".json":
                json.loads(p.read_text(encoding="utf-8"))
        except Exception as e:  # noqa: BLE001 - any failure to load makes it unusable, whatever the library raised
            return f"{p.name} does not load ({type(e).__name__})"
    return None


@contextlib.contextmanager
def _materialized(uri: str) -> Iterator[Path | None]:
    if not storage.is_s3(uri):
        yield Path(uri)
        return
    with tempfile.TemporaryDirectory(prefix="imi-ckpt-") as tmp:
        try:
            storage.download_tree(uri, tmp, require_manifest=True)
        except Exception:  # noqa: BLE001 - a missing or mismatched object: this checkpoint is unusable
            yield None
            return
        yield Path(tmp)


def read_state(path: str | os.PathLike) -> dict:
    """IMI's state of a checkpoint (adapter, step, fingerprint, last loss); {} when it has none."""
    try:
        return json.loads(storage.read_text(storage.join(str(path), IMI_STATE)))
    except Exception:  # noqa: BLE001 - unreadable state is judged by verify(), not here
        return {}


# ---- helpers --------------------------------------------------------------

def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError):
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())


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
