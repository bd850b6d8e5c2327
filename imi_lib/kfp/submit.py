"""`imi submit`: upload the pipeline to a Kubeflow Pipelines server and start a run.

    imi submit --wait --param epochs=1                   # upload this commit's pipeline, run it, wait
    imi submit --existing-version latest                 # run what is already on the server (the CronJob)

`submit` (and `imi schedule`, kfp/schedule.py, which shares everything here
but the last step) talks to the KFP API through `kfp.Client` (host and
token from --host/--token or KFP_HOST/KFP_TOKEN). It compiles the pipeline
(or takes --package), uploads it as a version of the pipeline named after
the git commit (creating the pipeline on first use), and starts a run in an
experiment. `--existing-version NAME|latest` skips the upload and runs a
version already on the server (the retraining CronJob in manifests/ does
this).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from imi_lib.core import config
from imi_lib.core.config import ConfigError
from imi_lib.core.errors import UserError
from imi_lib.kfp.compile import DEFAULT_PIPELINE, PARALLELISM_HELP, compile_pipeline, load_pipeline

DEFAULT_EXPERIMENT = "imi-training"


@dataclass
class ServerConfig:
    """What `imi submit` and `imi schedule` share: the server, and which pipeline version to start."""

    host: str | None = config.option(
        None, "KFP API endpoint, e.g. https://kubeflow.example.com/pipeline (default: $KFP_HOST)")
    token: str | None = config.option(
        None, "bearer token for the KFP API (default: $KFP_TOKEN; prefer the variable, flags show up in process lists)")
    namespace: str | None = config.option(None, "Kubeflow profile namespace in multi-user mode (default: $KFP_NAMESPACE)")
    pipeline: str | None = config.option(
        None, f"compile this @dsl.pipeline function (default: {DEFAULT_PIPELINE})", metavar="MODULE:FUNCTION")
    package: str | None = config.option(None, "upload this compiled pipeline instead of compiling", metavar="YAML")
    existing_version: str | None = config.option(
        None, "upload nothing; run the pipeline's version NAME already on the server ('latest' = the newest one)",
        metavar="NAME")
    parallelism: int | None = config.option(None, PARALLELISM_HELP, metavar="N")
    pipeline_name: str | None = config.option(
        None, "pipeline name on the server (default: the name inside the compiled pipeline)")
    version_name: str | None = config.option(
        None, "name of the uploaded version (default: `git rev-parse --short HEAD`, "
              "with -dirty when tracked files have uncommitted changes)")
    experiment: str = config.option(DEFAULT_EXPERIMENT, "experiment to run in; created if absent")
    # --param is repeatable and its values may hold commas, so it has its own flag (add_param_flag)
    params: list[str] = config.option(help="pipeline parameters, KEY=VALUE", default_factory=list, cli=False)
    service_account: str | None = config.option(
        None, "Kubernetes service account for the run's pods (default: KFP's runner account)")


@dataclass
class SubmitConfig(ServerConfig):
    run_name: str | None = config.option(None, "display name of the run (default: pipeline, version, time)")
    wait: bool = config.option(False, "wait for the run to finish; exit 1 unless it succeeded")
    timeout: float = config.option(24 * 3600, "with --wait: give up after this many seconds", metavar="SECONDS")
    poll_seconds: float = config.option(30.0, "with --wait: seconds between status checks", metavar="SECONDS")


def add_param_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--param", dest="params", action="append", default=argparse.SUPPRESS, metavar="KEY=VALUE",
                        help="pipeline parameter, repeatable: --param epochs=1 --param adapters='[\"education\"]'")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    config.add_arguments(parser, SubmitConfig)
    add_param_flag(parser)


def main(args: argparse.Namespace) -> int:
    return run(config.from_args(SubmitConfig, args))


def run(cfg: SubmitConfig) -> int:
    return start_on_server(cfg, lambda client, experiment_id, version: _submit(client, cfg, experiment_id, version))


@dataclass(frozen=True)
class ServerVersion:
    """The pipeline version a run or a recurring run starts, and its typed parameters."""

    pipeline_id: str
    version_id: str
    pipeline_name: str
    version_name: str
    params: dict[str, Any] = field(default_factory=dict)


def start_on_server(cfg: ServerConfig, start: Callable[[Any, str, ServerVersion], int]) -> int:
    """Connect, find or upload the pipeline version, open the experiment, then `start(client, experiment_id, version)`."""
    target = _prepare_target(cfg)
    try:
        # With a compiled package the parameters are checked before any request is made.
        params = parse_params(cfg.params, target.spec) if target.spec is not None else None
        client = connect(cfg.host, cfg.token)
        namespace = cfg.namespace or os.environ.get("KFP_NAMESPACE") or None
        pipeline_id, version_id, version_name = _resolve_version(client, target, namespace)
        if params is None:
            spec = _server_spec(client, pipeline_id, version_id) if cfg.params else None
            params = parse_params(cfg.params, spec)
        experiment = client.create_experiment(cfg.experiment, namespace=namespace)
        return start(client, experiment.experiment_id,
                     ServerVersion(pipeline_id, version_id, target.pipeline_name, version_name, params))
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


def _prepare_target(cfg: ServerConfig) -> _Target:
    given = [flag for flag, value in (("--pipeline", cfg.pipeline), ("--package", cfg.package),
                                      ("--existing-version", cfg.existing_version)) if value is not None]
    if len(given) > 1:
        raise ConfigError(f"{' and '.join(given)} are alternatives (compile, upload a file, or run what is "
                          f"on the server); give one")
    pipeline = cfg.pipeline or DEFAULT_PIPELINE
    if cfg.existing_version:
        if cfg.version_name or cfg.parallelism is not None:
            raise UserError("--version-name and --parallelism shape an upload; "
                            "with --existing-version nothing is uploaded")
        return _Target(None, None, cfg.pipeline_name or _default_pipeline_name(pipeline),
                       None, cfg.existing_version, None)
    tmpdir = None
    if cfg.package:
        if cfg.parallelism is not None:
            raise UserError("--parallelism is compiled in; recompile instead of passing --package")
        package = Path(cfg.package)
        if not package.is_file():
            raise UserError(f"--package {package}: no such file")
    else:
        tmpdir = tempfile.TemporaryDirectory(prefix="imi-submit-")
        package = compile_pipeline(pipeline, Path(tmpdir.name) / "pipeline.yaml", parallelism=cfg.parallelism)
    spec = read_pipeline_spec(package)
    name = cfg.pipeline_name or spec.get("pipelineInfo", {}).get("name")
    if not name:
        raise UserError(f"{package} has no pipelineInfo.name; pass --pipeline-name")
    return _Target(package, spec, name, cfg.version_name or git_version_name(), None, tmpdir)


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


def _submit(client, cfg: SubmitConfig, experiment_id: str, v: ServerVersion) -> int:
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
    run = client.run_pipeline(experiment_id=experiment_id,
                              job_name=cfg.run_name or f"{v.pipeline_name} {v.version_name} {stamp}",
                              params=v.params, pipeline_id=v.pipeline_id, version_id=v.version_id,
                              service_account=cfg.service_account)
    print(f"run {run.run_id} started: pipeline {v.pipeline_name!r} version {v.version_name!r}", file=sys.stderr)
    if not cfg.wait:
        return 0
    return wait_for_run(client, run.run_id, timeout=cfg.timeout, poll_seconds=cfg.poll_seconds)


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
