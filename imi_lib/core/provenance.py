"""What an output was made with, and the names of the files in an adapter directory: defined once.

Every manifest (prepare's, train's, evaluate's) records `package_versions()` and `git_commit()`;
every reader of a small JSON file (a summary, a config, results) uses `read_json`, which turns a
missing or broken file into one line naming it.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path

from imi_lib.core.errors import UserError

# the files of an adapter directory <output-dir>/<adapter>/
ADAPTER_CONFIG_FILE = "adapter_config.json"
ADAPTER_WEIGHTS = ("adapter_model.safetensors", "adapter_model.bin")  # PEFT's current and legacy names
TRAIN_CONFIG_FILE = "train_config.json"
TRAIN_SUMMARY_FILE = "train_summary.json"
TRAINING_LOG = "training_log.jsonl"
MANIFEST_FILE = "manifest.json"
RESULTS_FILE = "evaluation_results.json"
SAMPLES_FILE = "samples.md"
CHECKPOINTS_DIR = "checkpoints"

# the libraries whose versions decide what a stage produces
DEFAULT_PACKAGES = ("imi-train", "torch", "transformers", "peft", "accelerate", "bitsandbytes", "tokenizers",
                    "safetensors", "datasets", "pyarrow", "pymupdf", "orjson", "xxhash")


def package_versions(packages: tuple[str, ...] = DEFAULT_PACKAGES) -> dict:
    """{"python": ..., "platform": ..., package: version or None}."""
    from importlib import metadata

    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for pkg in packages:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def git_commit() -> str | None:
    """The commit of the checkout this imi_lib runs from (`-dirty` when modified); None when installed."""
    repo = Path(__file__).resolve().parents[2]
    if not (repo / ".git").exists():
        return None
    try:
        sha = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return (sha + ("-dirty" if dirty else "")) if sha else None


_RAISE = object()


def read_json(path: str | Path, *, default=_RAISE) -> dict:
    """A JSON object from a file; a missing/broken file or a non-object raises one line (or gives `default`)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        if default is not _RAISE:
            return default
        raise UserError(f"{path}: not readable JSON ({e.__class__.__name__}: {e})") from None
    if not isinstance(data, dict):
        if default is not _RAISE:
            return default
        raise UserError(f"{path}: expected a JSON object, found {type(data).__name__}")
    return data
