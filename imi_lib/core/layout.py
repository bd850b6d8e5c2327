"""The guide's data directory tree, in one place.

    D/raw/            collected datasets as records; D/raw/eval/ the benchmark evaluation sets
    D/processed/      PDF-derived records (ingest)
    D/synthetic/      generated records (synthesize)
    D/pdfs/           the organisation's PDFs, dropped in by the user
    D/final/          {adapter}_train.json, {adapter}_val.json, stats.json, eval/, manifest.json
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from imi_lib.core.adapters import ADAPTERS


@dataclass(frozen=True)
class DataLayout:
    root: Path

    @classmethod
    def at(cls, root: str | Path) -> "DataLayout":
        return cls(Path(root))

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def raw_eval(self) -> Path:
        return self.raw / "eval"

    @property
    def processed(self) -> Path:
        return self.root / "processed"

    @property
    def synthetic(self) -> Path:
        return self.root / "synthetic"

    @property
    def pdfs(self) -> Path:
        return self.root / "pdfs"

    @property
    def final(self) -> Path:
        return self.root / "final"

    @property
    def final_eval(self) -> Path:
        return self.final / "eval"

    def train_file(self, adapter: str) -> Path:
        return self.final / f"{adapter}_train.json"

    def val_file(self, adapter: str) -> Path:
        return self.final / f"{adapter}_val.json"

    def final_files(self) -> list[Path]:
        out = []
        for a in ADAPTERS:
            out += [self.train_file(a), self.val_file(a)]
        return out
