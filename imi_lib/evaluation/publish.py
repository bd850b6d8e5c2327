"""`imi publish`: copy the adapters that passed the quality gate to the adapter registry.

The registry is a prefix in object storage (or a local directory):

    <registry>/<adapter>/<version>/   adapter_config.json, weights, evaluation_results.json,
                                      registry_entry.json, _IMI_COMPLETE.json (written last)
    <registry>/index.json             every adapter's versions and which one is latest

An adapter whose `evaluation_results.json` does not say `"passed_gate": true`
is never copied. Each version is uploaded complete-or-absent
(`storage.upload_tree`: files first, manifest last), so a consumer that finds
`_IMI_COMPLETE.json` has the whole adapter. The default version is a content
hash of the adapter's files: publishing the same adapter twice is a no-op, and
a retrained one gets a new version.

    imi publish --adapters-dir adapters --registry-uri s3://models/imi-registry

The index is rewritten with one PUT after the versions are complete; two
publishers writing the same registry at the same moment can lose one index
entry (the version directories themselves stay intact).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from imi_lib.core import config, storage
from imi_lib.core.errors import UserError
from imi_lib.core.provenance import RESULTS_FILE, TRAINING_LOG
from imi_lib.evaluation.report import CHECKPOINT_PREFIX, AdapterRun, find_adapter_runs

INDEX_FILE = "index.json"
ENTRY_FILE = "registry_entry.json"
VERSION_HASH_CHARS = 12
_NOT_ADAPTER_FILES = (TRAINING_LOG, RESULTS_FILE, ENTRY_FILE, storage.MANIFEST)


@dataclass
class PublishConfig:
    adapters_dir: str = config.option("adapters", "directory with one sub-directory per evaluated adapter")
    inputs: list[str] = config.option(
        help="directories to read instead of --adapters-dir (comma-separated), e.g. a pipeline's model and "
             "evaluation artifact directories", default_factory=list)
    registry_uri: str = config.option("", "adapter registry prefix: a local path or s3://bucket/prefix")
    version: str = config.option("", "version name for every published adapter (default: a content hash of its files)")


def adapter_files(model_dir: str | Path) -> list[Path]:
    """The files that make up an adapter: everything but checkpoints, the training log and evaluation output."""
    root = Path(model_dir)
    out = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if not p.is_file() or rel.parts[0].startswith(CHECKPOINT_PREFIX) or p.name in _NOT_ADAPTER_FILES:
            continue
        out.append(p)
    return out


def content_version(model_dir: str | Path) -> str:
    """A version name that changes exactly when the adapter's files do."""
    h = hashlib.sha256()
    root = Path(model_dir)
    for p in adapter_files(root):
        h.update(str(p.relative_to(root)).encode() + b"\0" + storage.sha256_file(p).encode() + b"\n")
    return h.hexdigest()[:VERSION_HASH_CHARS]


def _stage(run: AdapterRun, version: str, dest: Path) -> dict:
    root = Path(run.model_dir)
    for p in adapter_files(root):
        target = dest / p.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(p, target)
    shutil.copy2(run.results_path, dest / RESULTS_FILE)
    entry = {
        "adapter": run.adapter,
        "version": version,
        "published_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "passed_gate": True,
        "perplexity": run.results.get("perplexity"),
        "source_model_dir": str(root),
        "source_results": run.results_path,
    }
    (dest / ENTRY_FILE).write_text(json.dumps(entry, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return entry


def read_index(registry_uri: str) -> dict:
    uri = storage.join(registry_uri, INDEX_FILE)
    if not storage.exists(uri):
        return {"adapters": {}}
    try:
        index = json.loads(storage.read_text(uri))
    except json.JSONDecodeError as e:
        raise UserError(f"{uri}: the registry index is not valid JSON ({e}); fix or remove it") from None
    index.setdefault("adapters", {})
    return index


def _why_not(run: AdapterRun) -> str | None:
    if not run.results_path:
        return "not evaluated"
    if run.passed_gate is not True:
        return "did not pass the quality gate" if run.passed_gate is False else "evaluation has no passed_gate"
    if not run.model_dir:
        return "no adapter files (adapter_config.json) found"
    return None


def run(cfg: PublishConfig) -> dict:
    from imi_lib.core.summary import StageTimer, print_summary

    timer = StageTimer("publish")
    if not cfg.registry_uri:
        raise config.ConfigError("publish: set --registry-uri (a local path or s3://bucket/prefix)")
    runs = find_adapter_runs(cfg.inputs or [cfg.adapters_dir])
    published, skipped = [], []
    for r in runs:
        why = _why_not(r)
        if why:
            skipped.append({"adapter": r.adapter, "reason": why})
            continue
        version = cfg.version or content_version(r.model_dir)
        dest = storage.join(cfg.registry_uri, r.adapter, version)
        if storage.is_complete(dest):
            published.append({"adapter": r.adapter, "version": version, "uri": dest, "status": "already published"})
            continue
        with tempfile.TemporaryDirectory(prefix="imi-publish-") as tmp:
            entry = _stage(r, version, Path(tmp))
            storage.upload_tree(tmp, dest)
        published.append({"adapter": r.adapter, "version": version, "uri": dest, "status": "published",
                          "published_at": entry["published_at"]})
    if published:
        index = read_index(cfg.registry_uri)
        for p in published:
            a = index["adapters"].setdefault(p["adapter"], {"versions": {}})
            a["versions"].setdefault(p["version"], {"uri": p["uri"], "published_at": p.get("published_at")})
            a["latest"] = p["version"]
        storage.write_text(storage.join(cfg.registry_uri, INDEX_FILE), json.dumps(index, indent=2, sort_keys=True) + "\n")
    summary = {"registry_uri": cfg.registry_uri, "published": published, "skipped": skipped}
    print_summary("publish", {"published": len([p for p in published if p["status"] == "published"]),
                              "already": len([p for p in published if p["status"] != "published"]),
                              "skipped": {s["adapter"]: s["reason"] for s in skipped},
                              "registry": cfg.registry_uri}, seconds=timer.seconds)
    return summary


def add_arguments(parser) -> None:
    config.add_arguments(parser, PublishConfig)


def main(args) -> int:
    run(config.from_args(PublishConfig, args))
    return 0
