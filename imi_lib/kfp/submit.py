"""`imi compile`, `imi submit`, `imi schedule`: the pipeline on a Kubeflow Pipelines server.

    imi compile --output pipelines/imi_training.yaml     # what `make compile` runs
    imi compile --check pipelines/imi_training.yaml      # fails if the committed file is stale
    imi submit --wait --param epochs=1                   # upload this commit's pipeline, run it, wait
    imi schedule --cron "0 0 3 * * 0"                    # KFP recurring run: Sundays 03:00 UTC

`submit` and `schedule` talk to the KFP API through `kfp.Client` (host and
token from --host/--token or KFP_HOST/KFP_TOKEN). They compile the pipeline
(or take --package), upload it as a version of the pipeline named after the
git commit (creating the pipeline on first use), and start a run or a
recurring run in an experiment. `--existing-version NAME|latest` skips the
upload and runs a version already on the server (the retraining CronJob in
manifests/ does this).

KFP cron expressions have SIX fields, seconds first; a five-field Unix
expression would silently run at the wrong times, so it is rejected here.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import importlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from imi_lib.core.errors import UserError

DEFAULT_PIPELINE = "imi_lib.kfp.pipeline:imi_training_pipeline"
DEFAULT_EXPERIMENT = "imi-training"
IMAGE_ENV_VARS = ("IMI_IMAGE_CPU", "IMI_IMAGE_GPU")  # read by components/images.py at compile time


class CronError(UserError, ValueError):
    """A cron expression KFP would reject or misread."""


# ---------------------------------------------------------------- arguments

def add_arguments(parser: argparse.ArgumentParser, name: str) -> None:
    if name == "compile":
        parser.add_argument("--pipeline", default=DEFAULT_PIPELINE, metavar="MODULE:FUNCTION",
                            help=f"the @dsl.pipeline function to compile (default: {DEFAULT_PIPELINE})")
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--output", metavar="YAML", help="write the compiled pipeline here")
        what.add_argument("--check", metavar="YAML",
                          help="compile to a temporary file and fail if YAML differs from it (stale commit)")
        _add_parallelism(parser)
        return

    server = parser.add_argument_group("KFP server")
    server.add_argument("--host", default=None,
                        help="KFP API endpoint, e.g. https://kubeflow.example.com/pipeline (default: $KFP_HOST)")
    server.add_argument("--token", default=None,
                        help="bearer token for the KFP API (default: $KFP_TOKEN; prefer the variable, "
                             "flags show up in process lists)")
    server.add_argument("--namespace", default=None,
                        help="Kubeflow profile namespace in multi-user mode (default: $KFP_NAMESPACE)")

    pipeline = parser.add_argument_group("what to run")
    source = pipeline.add_mutually_exclusive_group()
    source.add_argument("--pipeline", default=DEFAULT_PIPELINE, metavar="MODULE:FUNCTION",
                        help=f"compile this @dsl.pipeline function (default: {DEFAULT_PIPELINE})")
    source.add_argument("--package", metavar="YAML", default=None,
                        help="upload this compiled pipeline instead of compiling")
    source.add_argument("--existing-version", metavar="NAME", default=None,
                        help="upload nothing; run the pipeline's version NAME already on the server "
                             "('latest' = the newest one)")
    _add_parallelism(pipeline)
    pipeline.add_argument("--pipeline-name", default=None,
                          help="pipeline name on the server (default: the name inside the compiled pipeline)")
    pipeline.add_argument("--version-name", default=None,
                          help="name of the uploaded version (default: `git rev-parse --short HEAD`, "
                               "with -dirty when tracked files have uncommitted changes)")
    pipeline.add_argument("--experiment", default=DEFAULT_EXPERIMENT,
                          help=f"experiment to run in; created if absent (default: {DEFAULT_EXPERIMENT})")
    pipeline.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                          help="pipeline parameter, repeatable: --param epochs=1 --param adapters='[\"education\"]'")
    pipeline.add_argument("--service-account", default=None,
                          help="Kubernetes service account for the run's pods (default: KFP's runner account)")

    if name == "submit":
        run = parser.add_argument_group("run")
        run.add_argument("--run-name", default=None, help="display name of the run (default: pipeline, version, time)")
        run.add_argument("--wait", action="store_true",
                         help="wait for the run to finish; exit 1 unless it succeeded")
        run.add_argument("--timeout", type=float, default=24 * 3600, metavar="SECONDS",
                         help="with --wait: give up after this long (default: 86400)")
        run.add_argument("--poll-seconds", type=float, default=30.0, metavar="SECONDS",
                         help="with --wait: seconds between status checks (default: 30)")
    else:
        rec = parser.add_argument_group("recurring run")
        rec.add_argument("--cron", required=True,
                         help="KFP cron expression, SIX fields, seconds first: "
                              "'second minute hour day-of-month month day-of-week', "
                              "e.g. '0 0 3 * * 0' = Sundays 03:00 UTC")
        rec.add_argument("--name", dest="schedule_name", default=None,
                         help="display name of the recurring run (default: '<pipeline> scheduled')")
        rec.add_argument("--max-concurrency", type=int, default=1,
                         help="most runs of this schedule at once (default: 1)")
        rec.add_argument("--catchup", action="store_true",
                         help="after a pause, start every missed run (default: only the latest)")


def _add_parallelism(parser) -> None:
    parser.add_argument("--parallelism", type=int, default=None, metavar="N",
                        help="train at most N adapters at once (N GPUs per run); compiled into the YAML. "
                             "Default: the pipeline's own (ClusterSettings.parallelism)")


def main(args: argparse.Namespace) -> int:
    if args.command == "compile":
        if args.check:
            if args.parallelism is not None:
                raise UserError("--check compares with the default compile; drop --parallelism")
            check_compiled(args.check, args.pipeline)
            print(f"{args.check} is up to date with {args.pipeline}")
        else:
            compile_pipeline(args.pipeline, args.output, parallelism=args.parallelism)
            print(f"compiled {args.pipeline} -> {args.output}")
        return 0
    if args.command == "schedule":
        validate_kfp_cron(args.cron)  # before anything touches the network
    target = _prepare_target(args)
    try:
        # With a compiled package the parameters are checked before any request is made.
        params = parse_params(args.param, target.spec) if target.spec is not None else None
        client = connect(args.host, args.token)
        namespace = args.namespace or os.environ.get("KFP_NAMESPACE") or None
        pipeline_id, version_id, version_name = _resolve_version(client, target, namespace)
        if params is None:
            spec = _server_spec(client, pipeline_id, version_id) if args.param else None
            params = parse_params(args.param, spec)
        experiment = client.create_experiment(args.experiment, namespace=namespace)
        if args.command == "submit":
            return _submit(client, args, experiment.experiment_id, pipeline_id, version_id,
                           target.pipeline_name, version_name, params)
        return _schedule(client, args, experiment.experiment_id, pipeline_id, version_id,
                         target.pipeline_name, version_name, params)
    except Exception as e:
        if type(e).__name__ != "ApiException":  # kfp_server_api's; not imported at module level (lazy kfp)
            raise
        raise UserError(f"the KFP API answered {e.status} {e.reason}: {_api_message(e.body)}") from None
    finally:
        target.cleanup()


def _api_message(body) -> str:
    try:
        data = json.loads(body)
        return str(data.get("message") or data.get("error") or body)
    except (TypeError, ValueError, AttributeError):
        return str(body or "no details")[:300]


# ------------------------------------------------------------------ compile

def load_pipeline(ref: str, parallelism: int | None = None):
    """Import MODULE:FUNCTION. The repository root is made importable because
    `pipelines/` and `components/` are top-level directories, not installed.

    With `parallelism`, the pipeline is rebuilt by the module's
    `make_pipeline(ClusterSettings(parallelism=...))` (see pipelines/imi_training.py):
    KFP needs the ParallelFor limit as a compile-time integer."""
    module_name, _, attr = ref.partition(":")
    if not module_name or not attr:
        raise UserError(f"--pipeline {ref!r}: expected MODULE:FUNCTION, e.g. {DEFAULT_PIPELINE}")
    _ensure_importable(module_name.split(".")[0])
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        raise UserError(f"cannot import {module_name} ({e}); run imi from the repository root") from None
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


# --------------------------------------------------------------------- cron

_CRON_FIELDS = (  # name, low, high, names (robfig/cron, which KFP's scheduler uses)
    ("second", 0, 59, None),
    ("minute", 0, 59, None),
    ("hour", 0, 23, None),
    ("day-of-month", 1, 31, None),
    ("month", 1, 12, ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    ("day-of-week", 0, 6, ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")),
)
_CRON_DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
_GO_DURATION = re.compile(r"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")
_SIX_FIELD_FORM = "second minute hour day-of-month month day-of-week"


def validate_kfp_cron(expr: str) -> str:
    """Return `expr` normalised to single spaces, or raise CronError saying what is wrong.

    KFP's scheduler parses with robfig/cron: six fields, seconds first, times in UTC.
    It also accepts five fields, read as *seconds-first with no day-of-week*, so
    '0 3 * * *' would run at minute 3 of every hour: that is the mistake caught here.
    """
    fields = expr.split()
    if not fields:
        raise CronError(f"empty cron expression; KFP needs six fields: {_SIX_FIELD_FORM}")
    if fields[0].startswith("@"):
        if fields[0] == "@every" and len(fields) == 2 and _GO_DURATION.match(fields[1]):
            return " ".join(fields)
        if len(fields) == 1 and fields[0] in _CRON_DESCRIPTORS:
            return fields[0]
        raise CronError(f"cron {expr!r}: unknown descriptor; use one of {', '.join(_CRON_DESCRIPTORS)}, "
                        f"'@every <duration>' (e.g. @every 12h) or six fields: {_SIX_FIELD_FORM}")
    if len(fields) == 5:
        raise CronError(
            f"cron {expr!r} has five fields (Unix crontab: minute first). KFP cron has six, SECONDS first: "
            f"{_SIX_FIELD_FORM}; KFP would read yours as starting with seconds and run at the wrong times. "
            f"Did you mean '0 {' '.join(fields)}'?")
    if len(fields) != 6:
        raise CronError(f"cron {expr!r} has {len(fields)} fields; KFP cron has six, seconds first: "
                        f"{_SIX_FIELD_FORM} (e.g. '0 0 3 * * *' = 03:00 UTC every day)")
    for value, spec in zip(fields, _CRON_FIELDS):
        _check_cron_field(value, *spec)
    return " ".join(fields)


def _check_cron_field(value: str, name: str, low: int, high: int, names: tuple | None) -> None:
    def number(text: str) -> int:
        if names and text.upper() in names:
            return names.index(text.upper()) + low
        if not text.isdigit():
            raise CronError(f"cron {name} field {value!r}: {text!r} is not a number"
                            + (f" or one of {', '.join(names)}" if names else ""))
        n = int(text)
        if not low <= n <= high:
            raise CronError(f"cron {name} field {value!r}: {n} is outside {low}-{high}")
        return n

    for term in value.split(","):
        base, slash, step = term.partition("/")
        if slash:
            if not step.isdigit() or int(step) < 1:
                raise CronError(f"cron {name} field {value!r}: step {step!r} must be a whole number >= 1")
        if base == "?" and name in ("day-of-month", "day-of-week") and not slash:
            continue
        if base == "*":
            continue
        if not base:
            raise CronError(f"cron {name} field {value!r}: empty term")
        lo_text, dash, hi_text = base.partition("-")
        lo = number(lo_text)
        if dash:
            hi = number(hi_text)
            if lo > hi:
                raise CronError(f"cron {name} field {value!r}: range {base} runs backwards")


# ------------------------------------------------------------------- params

def parse_params(pairs: list[str], spec: dict | None) -> dict[str, Any]:
    """KEY=VALUE strings -> typed values, using the pipeline's declared parameter types."""
    declared = (((spec or {}).get("root") or {}).get("inputDefinitions") or {}).get("parameters")
    params: dict[str, Any] = {}
    for pair in pairs:
        key, eq, raw = pair.partition("=")
        key = key.strip()
        if not eq or not key:
            raise UserError(f"--param {pair!r}: expected KEY=VALUE")
        if declared is None:
            params[key] = _guess_value(raw)
            continue
        if key not in declared:
            raise UserError(f"--param {key}: the pipeline has no such parameter; "
                            f"it takes: {', '.join(sorted(declared))}")
        params[key] = _typed_value(key, declared[key].get("parameterType", "STRING"), raw)
    return params


def _typed_value(key: str, kind: str, raw: str) -> Any:
    try:
        if kind == "STRING":
            return raw
        if kind == "NUMBER_INTEGER":
            return int(raw)
        if kind == "NUMBER_DOUBLE":
            return float(raw)
        if kind == "BOOLEAN":
            if raw.lower() in ("true", "1", "yes", "on"):
                return True
            if raw.lower() in ("false", "0", "no", "off"):
                return False
            raise ValueError(raw)
        if kind == "LIST":
            if raw.lstrip().startswith("["):
                value = json.loads(raw)
                if not isinstance(value, list):
                    raise ValueError(raw)
                return value
            return [item.strip() for item in raw.split(",") if item.strip()]
        if kind == "STRUCT":
            value = json.loads(raw)
            if not isinstance(value, dict):
                raise ValueError(raw)
            return value
    except (ValueError, json.JSONDecodeError):
        raise UserError(f"--param {key}={raw}: not a valid {kind.lower().replace('_', ' ')}") from None
    return raw


def _guess_value(raw: str) -> Any:
    """Without the pipeline's types (server spec unavailable): JSON if it parses, else the string."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


# ------------------------------------------------------------ server access

def connect(host: str | None, token: str | None):
    """A kfp.Client for `host` (or $KFP_HOST) with bearer `token` (or $KFP_TOKEN)."""
    import warnings

    import kfp

    host = host or os.environ.get("KFP_HOST")
    token = token or os.environ.get("KFP_TOKEN") or None
    if not host:
        raise UserError("no KFP server: pass --host or set KFP_HOST (e.g. https://kubeflow.example.com/pipeline)")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # "only works with KFP >= 2.0.0-beta.2": known
        try:
            return kfp.Client(host=host, existing_token=token)
        except TimeoutError as e:
            raise UserError(f"cannot reach the KFP API at {host}: {e}") from None


def git_version_name(cwd: str | os.PathLike | None = None) -> str:
    """`git rev-parse --short HEAD`, plus -dirty if tracked files have uncommitted changes."""
    try:
        sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=cwd, check=True,
                             capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd, check=True,
                               capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise UserError("cannot read the git commit to name the pipeline version; "
                        "run inside the git checkout or pass --version-name") from None
    return f"{sha}-dirty" if dirty else sha


class _Target:
    """What to run: a compiled package to upload, or an existing version on the server."""

    def __init__(self, package: Path | None, spec: dict | None, pipeline_name: str,
                 version_name: str | None, existing: str | None, tmpdir: tempfile.TemporaryDirectory | None):
        self.package, self.spec, self.pipeline_name = package, spec, pipeline_name
        self.version_name, self.existing, self._tmpdir = version_name, existing, tmpdir

    def cleanup(self) -> None:
        if self._tmpdir is not None:
            self._tmpdir.cleanup()


def _prepare_target(args: argparse.Namespace) -> _Target:
    if args.existing_version:
        if args.version_name or args.parallelism is not None:
            raise UserError("--version-name and --parallelism shape an upload; "
                            "with --existing-version nothing is uploaded")
        return _Target(None, None, args.pipeline_name or _default_pipeline_name(args.pipeline),
                       None, args.existing_version, None)
    tmpdir = None
    if args.package:
        if args.parallelism is not None:
            raise UserError("--parallelism is compiled in; recompile instead of passing --package")
        package = Path(args.package)
        if not package.is_file():
            raise UserError(f"--package {package}: no such file")
    else:
        tmpdir = tempfile.TemporaryDirectory(prefix="imi-submit-")
        package = compile_pipeline(args.pipeline, Path(tmpdir.name) / "pipeline.yaml", parallelism=args.parallelism)
    spec = read_pipeline_spec(package)
    name = args.pipeline_name or spec.get("pipelineInfo", {}).get("name")
    if not name:
        raise UserError(f"{package} has no pipelineInfo.name; pass --pipeline-name")
    return _Target(package, spec, name, args.version_name or git_version_name(), None, tmpdir)


def _default_pipeline_name(ref: str) -> str:
    """The pipeline's own name, without compiling (for --existing-version)."""
    func = load_pipeline(ref)
    name = getattr(getattr(func, "pipeline_spec", None), "pipeline_info", None)
    if name is not None and name.name:
        return name.name
    raise UserError("cannot tell the pipeline's name; pass --pipeline-name")


def read_pipeline_spec(package: str | os.PathLike) -> dict:
    """The PipelineSpec document of a compiled pipeline YAML (kfp-kubernetes adds a second, platform document)."""
    import yaml

    docs = list(yaml.safe_load_all(Path(package).read_text(encoding="utf-8")))
    if not docs or not isinstance(docs[0], dict) or "root" not in docs[0]:
        raise UserError(f"{package} is not a compiled KFP pipeline (no root spec)")
    return docs[0]


def _filter_by_name(name: str) -> str:
    return json.dumps({"predicates": [{"operation": "EQUALS", "key": "display_name", "stringValue": name}]})


def _find_pipeline(client, name: str, namespace: str | None) -> str | None:
    kwargs = {"filter": _filter_by_name(name)}
    if namespace:
        kwargs["namespace"] = namespace
    found = client.list_pipelines(**kwargs).pipelines or []
    if len(found) > 1:
        raise UserError(f"{len(found)} pipelines are named {name!r} on the server; pass a unique --pipeline-name")
    return found[0].pipeline_id if found else None


def _find_version(client, pipeline_id: str, name: str):
    if name == "latest":
        versions = client.list_pipeline_versions(pipeline_id, page_size=1, sort_by="created_at desc")
    else:
        versions = client.list_pipeline_versions(pipeline_id, page_size=2, filter=_filter_by_name(name))
    found = versions.pipeline_versions or []
    return found[0] if found else None


def _resolve_version(client, target: _Target, namespace: str | None) -> tuple[str, str, str]:
    """(pipeline_id, version_id, version_name): look up, or create the pipeline and upload the version."""
    pipeline_id = _find_pipeline(client, target.pipeline_name, namespace)
    if target.existing:
        if pipeline_id is None:
            raise UserError(f"no pipeline named {target.pipeline_name!r} on the server; upload one with `imi submit`")
        version = _find_version(client, pipeline_id, target.existing)
        if version is None:
            raise UserError(f"pipeline {target.pipeline_name!r} has no version {target.existing!r}")
        return pipeline_id, version.pipeline_version_id, version.display_name
    if pipeline_id is None:
        # An empty pipeline, then the version: its only versions are the uploaded commits.
        created = client.pipelines.pipeline_service_create_pipeline(
            pipeline=client.api_models.V2beta1Pipeline(
                display_name=target.pipeline_name, namespace=namespace,
                description="IMI Train: six medical LoRA adapters on Meditron (versions are git commits)"))
        pipeline_id = created.pipeline_id
        print(f"created pipeline {target.pipeline_name!r} ({pipeline_id})", file=sys.stderr)
    else:
        existing = _find_version(client, pipeline_id, target.version_name)
        if existing is not None:
            if target.version_name.endswith("-dirty"):
                raise UserError(f"version {target.version_name!r} of {target.pipeline_name!r} already exists and "
                                f"your checkout has uncommitted changes; commit them or pass --version-name")
            print(f"version {target.version_name!r} already uploaded; reusing it", file=sys.stderr)
            return pipeline_id, existing.pipeline_version_id, target.version_name
    version = client.upload_pipeline_version(str(target.package), target.version_name, pipeline_id=pipeline_id,
                                             description=f"{target.pipeline_name} at {target.version_name}")
    return pipeline_id, version.pipeline_version_id, target.version_name


def _server_spec(client, pipeline_id: str, version_id: str) -> dict | None:
    """The stored PipelineSpec of a version (to type --param values), or None."""
    spec = client.get_pipeline_version(pipeline_id, version_id).pipeline_spec
    if isinstance(spec, dict) and "pipeline_spec" in spec and "root" not in spec:
        spec = spec["pipeline_spec"]
    return spec if isinstance(spec, dict) and "root" in spec else None


_TERMINAL_STATES = {"SUCCEEDED", "SKIPPED", "FAILED", "CANCELED"}


def _submit(client, args, experiment_id, pipeline_id, version_id, pipeline_name, version_name, params) -> int:
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
    run = client.run_pipeline(experiment_id=experiment_id,
                              job_name=args.run_name or f"{pipeline_name} {version_name} {stamp}",
                              params=params, pipeline_id=pipeline_id, version_id=version_id,
                              service_account=args.service_account)
    print(f"run {run.run_id} started: pipeline {pipeline_name!r} version {version_name!r}", file=sys.stderr)
    if not args.wait:
        return 0
    return wait_for_run(client, run.run_id, timeout=args.timeout, poll_seconds=args.poll_seconds)


def wait_for_run(client, run_id: str, *, timeout: float, poll_seconds: float) -> int:
    """Poll until the run ends: 0 if it SUCCEEDED, 1 otherwise (state and error on stderr).

    Not kfp.Client.wait_for_run_completion: that one does not treat CANCELED as finished."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        run = client.get_run(run_id)
        state = str(run.state or "PENDING")
        if state != last:
            print(f"run {run_id}: {state}", file=sys.stderr)
            last = state
        if state in _TERMINAL_STATES:
            break
        if time.monotonic() + poll_seconds > deadline:
            print(f"imi submit: run {run_id} still {state} after {timeout:.0f}s; stopped waiting "
                  f"(the run goes on)", file=sys.stderr)
            return 1
        time.sleep(poll_seconds)
    if state == "SUCCEEDED":
        return 0
    error = getattr(run, "error", None)
    message = getattr(error, "message", None) if error is not None else None
    print(f"imi submit: run {run_id} ended {state}" + (f": {message}" if message else ""), file=sys.stderr)
    return 1


def _schedule(client, args, experiment_id, pipeline_id, version_id, pipeline_name, version_name, params) -> int:
    cron = validate_kfp_cron(args.cron)
    recurring = client.create_recurring_run(
        experiment_id=experiment_id, job_name=args.schedule_name or f"{pipeline_name} scheduled",
        description=f"{pipeline_name} at {version_name}, cron '{cron}' (UTC)",
        cron_expression=cron, max_concurrency=args.max_concurrency, no_catchup=not args.catchup,
        params=params, pipeline_id=pipeline_id, version_id=version_id, enabled=True,
        service_account=args.service_account)
    print(f"recurring run {recurring.recurring_run_id} created: cron '{cron}' (UTC), "
          f"pipeline {pipeline_name!r} version {version_name!r}", file=sys.stderr)
    return 0
