"""The one-line summary every stage prints at the end, and its JSON twin."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


class StageTimer:
    def __init__(self, stage: str):
        self.stage = stage
        self.start = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.start


def _fmt(v) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}={_fmt(x)}" for k, x in v.items()) + "}" if v else "0"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def print_summary(stage: str, fields: dict, *, seconds: float | None = None, stream=None) -> str:
    """Print `[imi stage] k=v k=v ... in 1.23s` to stderr and return it."""
    parts = [f"{k}={_fmt(v)}" for k, v in fields.items()]
    line = f"[imi {stage}] " + " ".join(parts) + (f" in {seconds:.2f}s" if seconds is not None else "")
    print(line, file=stream or sys.stderr, flush=True)
    return line


def write_summary(path: str | Path, stage: str, fields: dict, seconds: float | None = None) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"stage": stage, **fields}
    if seconds is not None:
        payload["seconds"] = round(seconds, 3)
    path.write_text(json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
