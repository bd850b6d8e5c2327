"""`imi compile`: the pipeline function to KFP's YAML, and the committed file's freshness check.

    imi compile --output pipelines/imi_training.yaml     # what `make compile` runs
    imi compile --check pipelines/imi_training.yaml      # fails if the committed file is stale
    imi compile --output p.yaml --parallelism 2          # at most 2 adapters train at once

The pipeline is the packaged one (`imi_lib.kfp.pipeline`) unless --pipeline
names another `MODULE:FUNCTION`; a module in the working directory is found
too. `--parallelism` rebuilds it with `make_pipeline(ClusterSettings(...))`:
KFP needs the ParallelFor limit as a compile-time integer.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import importlib.util
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from imi_lib.core import config
from imi_lib.core.config import ConfigError
from imi_lib.core.errors import UserError

DEFAULT_PIPELINE = "imi_lib.kfp.pipeline:imi_training_pipeline"
IMAGE_ENV_VARS = ("IMI_IMAGE_CPU", "IMI_IMAGE_GPU")  # read by kfp/components/images.py at compile time
PARALLELISM_HELP = ("train at most N adapters at once (N GPUs per run); compiled into the YAML. "
                    "Default: the pipeline's own (ClusterSettings.parallelism)")


@dataclass
class CompileConfig:
    output: str | None = config.option(None, "write the compiled pipeline here", metavar="YAML")
    check: str | None = config.option(
        None, "compile to a temporary file and fail if YAML differs from it (stale commit)", metavar="YAML")
    pipeline: str = config.option(DEFAULT_PIPELINE, "the @dsl.pipeline function to compile", metavar="MODULE:FUNCTION")
    parallelism: int | None = config.option(None, PARALLELISM_HELP, metavar="N")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    config.add_arguments(parser, CompileConfig)


def main(args: argparse.Namespace) -> int:
    return run(config.from_args(CompileConfig, args))


def run(cfg: CompileConfig) -> int:
    if (cfg.output is None) == (cfg.check is None):
        raise ConfigError("give exactly one of --output YAML (write the pipeline) or --check YAML (compare with it)")
    if cfg.check:
        if cfg.parallelism is not None:
            raise ConfigError("--check compares with the default compile; drop --parallelism")
        check_compiled(cfg.check, cfg.pipeline)
        print(f"{cfg.check} is up to date with {cfg.pipeline}")
    else:
        compile_pipeline(cfg.pipeline, cfg.output, parallelism=cfg.parallelism)
        print(f"compiled {cfg.pipeline} -> {cfg.output}")
    return 0


def load_pipeline(ref: str, parallelism: int | None = None):
    """Import MODULE:FUNCTION; with `parallelism`, rebuild it by the module's
    `make_pipeline(ClusterSettings(parallelism=...))` (see imi_lib/kfp/pipeline.py)."""
    module_name, _, attr = ref.partition(":")
    if not module_name or not attr:
        raise UserError(f"--pipeline {ref!r}: expected MODULE:FUNCTION, e.g. {DEFAULT_PIPELINE}")
    _ensure_importable(module_name.split(".")[0])
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        raise UserError(f"cannot import {module_name} ({e}); is it on the Python path?") from None
    if not hasattr(module, attr):
        raise UserError(f"{module_name} has no {attr!r}")
    if parallelism is None:
        return getattr(module, attr)
    make, settings = getattr(module, "make_pipeline", None), getattr(module, "ClusterSettings", None)
    if make is None or settings is None:
        raise UserError(f"--parallelism: {module_name} has no make_pipeline(ClusterSettings(...)) to rebuild with")
    if parallelism < 1:
        raise UserError(f"--parallelism {parallelism}: must be at least 1")
    return make(settings(parallelism=parallelism))


def _ensure_importable(top: str) -> None:
    """Let `--pipeline mymodule:fn` name a module in the working directory (the packaged pipeline needs nothing)."""
    if importlib.util.find_spec(top) is not None:
        return
    cwd = Path.cwd()
    if (cwd / top).is_dir() or (cwd / f"{top}.py").is_file():
        sys.path.insert(0, str(cwd))


def compile_pipeline(ref: str, output: str | os.PathLike, *, parallelism: int | None = None) -> Path:
    """Compile the pipeline function `ref` to `output` (YAML)."""
    from kfp import compiler

    pipeline_func = load_pipeline(ref, parallelism)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    compiler.Compiler().compile(pipeline_func=pipeline_func, package_path=str(output))
    return output


def check_compiled(committed: str | os.PathLike, ref: str = DEFAULT_PIPELINE) -> None:
    """Raise UserError (after printing a diff) unless `committed` equals a fresh compile of `ref`."""
    committed = Path(committed)
    if not committed.is_file():
        raise UserError(f"{committed} does not exist; run `make compile` and commit it")
    with tempfile.TemporaryDirectory(prefix="imi-compile-") as tmp:
        fresh = compile_pipeline(ref, Path(tmp) / committed.name).read_text(encoding="utf-8")
    old = committed.read_text(encoding="utf-8")
    if old == fresh:
        return
    diff = list(difflib.unified_diff(old.splitlines(), fresh.splitlines(), str(committed), "fresh compile",
                                     lineterm="", n=2))
    shown = diff[:60]
    print("\n".join(shown + ([f"... {len(diff) - len(shown)} more diff lines"] if len(diff) > len(shown) else [])),
          file=sys.stderr)
    env = [v for v in IMAGE_ENV_VARS if os.environ.get(v)]
    hint = f" ({', '.join(env)} set: the committed file is compiled with the default images)" if env else ""
    raise UserError(f"{committed} is stale: it differs from a fresh compile of {ref}{hint}; "
                    f"run `make compile` and commit the result")
