"""`imi compile`, `imi submit` and `imi schedule` against an in-process fake KFP API.

The fake answers the v2beta1 endpoints kfp.Client calls and records every
request, so the tests assert exactly what would reach a real server: paths,
methods, the uploaded YAML, the version name (the git commit), the cron string
and the typed parameters. No cluster is involved.
"""

from __future__ import annotations

import argparse
import email.parser
import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from imi_lib import cli

from imi_lib.core import config
from imi_lib.kfp import compile as kfp_compile
from imi_lib.kfp import schedule, submit
API = "/apis/v2beta1"

STANDIN = textwrap.dedent('''
    """A tiny stand-in for pipelines/imi_training.py: its parameter types and its make_pipeline(ClusterSettings)."""
    from dataclasses import dataclass
    from typing import List

    from kfp import dsl


    @dsl.component(base_image="python:3.11-slim", install_kfp_package=False)
    def echo(message: str, times: int, rate: float, flag: bool, adapter: str) -> str:
        return f"{message * times} {rate} {flag} {adapter}"


    @dataclass(frozen=True)
    class ClusterSettings:
        parallelism: int = 6


    def make_pipeline(settings: ClusterSettings = ClusterSettings()):
        @dsl.pipeline(name="imi-standin", description="stand-in pipeline for the submit tests")
        def standin_pipeline(message: str = "hi", times: int = 2, rate: float = 0.5, flag: bool = False,
                             adapters: List[str] = ["patient_triage", "education"]):
            with dsl.ParallelFor(adapters, parallelism=settings.parallelism) as adapter:
                echo(message=message, times=times, rate=rate, flag=flag, adapter=adapter)
        return standin_pipeline


    standin_pipeline = make_pipeline()
''')
STANDIN_REF = "imi_submit_standin:standin_pipeline"


# ------------------------------------------------------------------ the fake

class FakeKFP:
    """Just enough of the KFP v2beta1 REST API; records (method, path, query, body) per request."""

    def __init__(self):
        self.requests: list[dict] = []
        self.pipelines: dict[str, dict] = {}
        self.versions: dict[str, list[dict]] = {}
        self.experiments: dict[str, dict] = {}
        self.run_states: list[str] = ["SUCCEEDED"]  # what successive GET /runs/{id} answer
        self.run_error: str | None = None
        self.uploads: dict[str, str] = {}  # version name -> uploaded YAML text
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_GET(self):
                fake._handle(self, "GET")

            def do_POST(self):
                fake._handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def add_pipeline(self, name: str, versions: list[str] = ()) -> str:
        pid = f"p-{len(self.pipelines) + 1}"
        self.pipelines[pid] = {"pipeline_id": pid, "display_name": name}
        self.versions[pid] = [self._version(pid, v) for v in versions]
        return pid

    def _version(self, pid: str, name: str, spec: dict | None = None) -> dict:
        vid = f"v-{sum(len(v) for v in self.versions.values()) + 1}"
        return {"pipeline_id": pid, "pipeline_version_id": vid, "display_name": name,
                "created_at": f"2025-01-01T00:00:{len(self.versions.get(pid, [])):02d}Z",
                **({"pipeline_spec": spec} if spec else {})}

    def calls(self) -> list[tuple[str, str]]:
        return [(r["method"], r["path"]) for r in self.requests]

    # -- request handling
    def _handle(self, h: BaseHTTPRequestHandler, method: str):
        url = urllib.parse.urlsplit(h.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        raw = h.rfile.read(int(h.headers.get("Content-Length") or 0))
        body, upload = None, None
        ctype = h.headers.get("Content-Type", "")
        if ctype.startswith("multipart/form-data"):
            msg = email.parser.BytesParser().parsebytes(f"Content-Type: {ctype}\r\n\r\n".encode() + raw)
            for part in msg.get_payload():
                if part.get_param("name", header="content-disposition") == "uploadfile":
                    upload = part.get_payload(decode=True).decode()
        elif raw:
            body = json.loads(raw)
        self.requests.append({"method": method, "path": url.path, "query": query, "body": body,
                              "upload": upload, "authorization": h.headers.get("Authorization")})
        if h.headers.get("Authorization") == "Bearer expired" and not url.path.endswith("/healthz"):
            status, answer = 401, {"error": "token is expired", "code": 16, "message": "token is expired"}
        else:
            status, answer = self._route(method, url.path, query, body, upload)
        data = json.dumps(answer).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    @staticmethod
    def _name_filter(query) -> str | None:
        if "filter" not in query:
            return None
        (pred,) = json.loads(query["filter"])["predicates"]
        assert pred["key"] == "display_name" and pred["operation"] in ("EQUALS", 1)
        return pred["stringValue"]

    def _route(self, method, path, query, body, upload):
        parts = path[len(API):].strip("/").split("/")
        if (method, parts) == ("GET", ["healthz"]):
            return 200, {"multi_user": False}
        if parts[0] == "pipelines":
            if method == "GET" and len(parts) == 1:
                name = self._name_filter(query)
                found = [p for p in self.pipelines.values() if name is None or p["display_name"] == name]
                return 200, ({"pipelines": found, "total_size": len(found)} if found else {})
            if method == "POST" and len(parts) == 1:
                pid = f"p-{len(self.pipelines) + 1}"
                self.pipelines[pid] = {"pipeline_id": pid, "display_name": body["display_name"]}
                self.versions[pid] = []
                return 200, self.pipelines[pid]
            if method == "POST" and parts[1] == "upload_version":
                pid = query["pipelineid"]
                version = self._version(pid, query["name"], spec=next(yaml.safe_load_all(upload)))
                self.versions[pid].append(version)
                self.uploads[query["name"]] = upload
                return 200, version
            if method == "GET" and len(parts) == 3 and parts[2] == "versions":
                versions = list(self.versions[parts[1]])
                name = self._name_filter(query)
                if name is not None:
                    versions = [v for v in versions if v["display_name"] == name]
                if query.get("sort_by") == "created_at desc":
                    versions.sort(key=lambda v: v["created_at"], reverse=True)
                versions = versions[: int(query.get("page_size", 10))]
                return 200, ({"pipeline_versions": versions, "total_size": len(versions)} if versions else {})
            if method == "GET" and len(parts) == 4 and parts[2] == "versions":
                return 200, next(v for v in self.versions[parts[1]] if v["pipeline_version_id"] == parts[3])
        if parts[0] == "experiments":
            if method == "GET":
                name = self._name_filter(query)
                found = [e for e in self.experiments.values() if e["display_name"] == name]
                return 200, ({"experiments": found} if found else {})
            eid = f"e-{len(self.experiments) + 1}"
            self.experiments[eid] = {"experiment_id": eid, "display_name": body["display_name"]}
            return 200, self.experiments[eid]
        if parts[0] == "runs":
            if method == "POST":
                return 200, {"run_id": "r-1", "display_name": body["display_name"], "state": "PENDING"}
            state = self.run_states.pop(0) if len(self.run_states) > 1 else self.run_states[0]
            answer = {"run_id": parts[1], "state": state}
            if state == "FAILED" and self.run_error:
                answer["error"] = {"code": 2, "message": self.run_error}
            return 200, answer
        if (method, parts) == ("POST", ["recurringruns"]):
            return 200, {"recurring_run_id": "rr-1", "display_name": body["display_name"], "status": "ENABLED"}
        return 404, {"error": f"fake KFP: no route for {method} {path}", "code": 5}


# ----------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def standin_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("standin")
    (d / "imi_submit_standin.py").write_text(STANDIN)
    return d


@pytest.fixture
def kfp_env(standin_dir, tmp_path, monkeypatch):
    """A fake KFP server, a clean kfp client context, and cwd = a fresh git repo with one commit."""
    import kfp.client.client as kfp_client

    monkeypatch.syspath_prepend(str(standin_dir))
    monkeypatch.setattr(kfp_client.Client, "_LOCAL_KFP_CONTEXT", str(tmp_path / "kfp-context.json"))
    for var in ("KFP_HOST", "KFP_TOKEN", "KFP_NAMESPACE", "IMI_IMAGE_CPU", "IMI_IMAGE_GPU"):
        monkeypatch.delenv(var, raising=False)
    repo = tmp_path / "checkout"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    (repo / "data.yaml").write_text("adapters: all\n")
    subprocess.run([*git, "add", "data.yaml"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "c"], cwd=repo, check=True)
    monkeypatch.chdir(repo)
    fake = FakeKFP()
    yield fake
    fake.close()


def short_sha() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], check=True, capture_output=True,
                          text=True).stdout.strip()


def fresh_compile(tmp_path) -> str:
    return kfp_compile.compile_pipeline(STANDIN_REF, tmp_path / "fresh.yaml").read_text()


# ------------------------------------------------------------------ compile

def test_compile_then_check_passes_and_stale_file_fails_with_a_diff(standin_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(standin_dir))
    out = tmp_path / "pipelines" / "standin.yaml"
    assert cli.main(["compile", "--pipeline", STANDIN_REF, "--output", str(out)]) == 0
    spec = yaml.safe_load(out.read_text())
    assert spec["pipelineInfo"]["name"] == "imi-standin"
    assert set(spec["root"]["inputDefinitions"]["parameters"]) == {"message", "times", "rate", "flag", "adapters"}

    assert cli.main(["compile", "--pipeline", STANDIN_REF, "--check", str(out)]) == 0
    assert "up to date" in capsys.readouterr().out

    out.write_text(out.read_text().replace("defaultValue: hi", "defaultValue: bye"))
    assert cli.main(["compile", "--pipeline", STANDIN_REF, "--check", str(out)]) == 2
    err = capsys.readouterr().err
    assert "is stale" in err and "make compile" in err
    assert "-        defaultValue: bye" in err and "+        defaultValue: hi" in err

    assert cli.main(["compile", "--pipeline", STANDIN_REF, "--check", str(tmp_path / "missing.yaml")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_compile_parallelism_rebuilds_the_pipeline_with_that_limit(standin_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(standin_dir))
    default, two = tmp_path / "default.yaml", tmp_path / "two.yaml"
    assert cli.main(["compile", "--pipeline", STANDIN_REF, "--output", str(default)]) == 0
    assert cli.main(["compile", "--pipeline", STANDIN_REF, "--output", str(two), "--parallelism", "2"]) == 0
    assert "parallelismLimit: 6" in default.read_text()
    assert two.read_text() == default.read_text().replace("parallelismLimit: 6", "parallelismLimit: 2")
    assert cli.main(["compile", "--pipeline", STANDIN_REF, "--output", str(two), "--parallelism", "0"]) == 2
    assert "must be at least 1" in capsys.readouterr().err
    assert cli.main(["compile", "--pipeline", STANDIN_REF, "--check", str(default), "--parallelism", "2"]) == 2
    assert "drop --parallelism" in capsys.readouterr().err


def test_compile_rejects_a_bad_pipeline_reference(capsys):
    assert cli.main(["compile", "--pipeline", "no_such_module_xyz:f", "--output", "x.yaml"]) == 2
    assert "cannot import no_such_module_xyz" in capsys.readouterr().err
    assert cli.main(["compile", "--pipeline", "json", "--output", "x.yaml"]) == 2
    assert "expected MODULE:FUNCTION" in capsys.readouterr().err


def test_compile_needs_exactly_one_of_output_and_check(capsys):
    assert cli.main(["compile"]) == 2
    assert "exactly one of --output YAML" in capsys.readouterr().err
    assert cli.main(["compile", "--output", "a.yaml", "--check", "b.yaml"]) == 2
    assert "exactly one of --output YAML" in capsys.readouterr().err


def test_compile_reads_its_flags_from_a_config_file_like_every_stage(standin_dir, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(standin_dir))
    out = tmp_path / "from-config.yaml"
    conf = tmp_path / "compile.yaml"
    conf.write_text(f"pipeline: {STANDIN_REF}\noutput: {out}\nparallelism: 3\n")
    assert cli.main(["compile", "--config", str(conf)]) == 0
    assert "parallelismLimit: 3" in out.read_text()
    conf.write_text("outptu: x.yaml\n")
    with pytest.raises(config.ConfigError, match="unknown CompileConfig key"):
        kfp_compile.main(argparse.Namespace(config=str(conf)))


# ------------------------------------------------------------------- submit

def test_submit_creates_pipeline_uploads_commit_version_runs_and_waits(kfp_env, tmp_path, capsys):
    fake = kfp_env
    fake.run_states = ["RUNNING", "SUCCEEDED"]
    rc = cli.main(["submit", "--host", fake.url, "--token", "tok-123", "--pipeline", STANDIN_REF,
                   "--param", "times=3", "--param", "adapters=education,research", "--param", "flag=true",
                   "--param", "rate=0.25", "--run-name", "nightly", "--wait", "--poll-seconds", "0"])
    assert rc == 0, capsys.readouterr().err
    sha = short_sha()
    assert fake.calls() == [
        ("GET", f"{API}/healthz"),
        ("GET", f"{API}/pipelines"),
        ("POST", f"{API}/pipelines"),
        ("POST", f"{API}/pipelines/upload_version"),
        ("GET", f"{API}/experiments"),
        ("POST", f"{API}/experiments"),
        ("POST", f"{API}/runs"),
        ("GET", f"{API}/runs/r-1"),
        ("GET", f"{API}/runs/r-1"),
    ]
    req = fake.requests
    assert {r["authorization"] for r in req} == {"Bearer tok-123"}
    assert json.loads(req[1]["query"]["filter"])["predicates"][0]["stringValue"] == "imi-standin"
    assert req[2]["body"]["display_name"] == "imi-standin"
    assert req[3]["query"] == {"name": sha, "pipelineid": "p-1", "description": f"imi-standin at {sha}"}
    assert req[3]["upload"] == fresh_compile(tmp_path)  # exactly the compiled pipeline
    assert json.loads(req[4]["query"]["filter"])["predicates"][0]["stringValue"] == "imi-training"
    assert req[5]["body"]["display_name"] == "imi-training"
    run = req[6]["body"]
    assert run["experiment_id"] == "e-1"
    assert run["display_name"] == "nightly"
    assert run["pipeline_version_reference"] == {"pipeline_id": "p-1", "pipeline_version_id": "v-1"}
    assert run["runtime_config"]["parameters"] == {"times": 3, "adapters": ["education", "research"],
                                                   "flag": True, "rate": 0.25}
    assert "pipeline_spec" not in run  # the run references the uploaded version, it does not inline it
    err = capsys.readouterr().err
    assert "run r-1: RUNNING" in err and "run r-1: SUCCEEDED" in err


def test_submit_wait_exits_nonzero_with_the_runs_state_and_error(kfp_env, monkeypatch, capsys):
    fake = kfp_env
    fake.add_pipeline("imi-standin", versions=["older"])
    fake.run_states = ["FAILED"]
    fake.run_error = "train-education: OOMKilled"
    monkeypatch.setenv("KFP_HOST", fake.url)  # host and token from the environment, as CI sets them
    monkeypatch.setenv("KFP_TOKEN", "env-token")
    rc = cli.main(["submit", "--pipeline", STANDIN_REF, "--wait", "--poll-seconds", "0"])
    assert rc == 1
    err = capsys.readouterr().err
    assert "run r-1 ended FAILED: train-education: OOMKilled" in err
    assert fake.calls() == [
        ("GET", f"{API}/healthz"),
        ("GET", f"{API}/pipelines"),
        ("GET", f"{API}/pipelines/p-1/versions"),  # is this commit already uploaded? no
        ("POST", f"{API}/pipelines/upload_version"),
        ("GET", f"{API}/experiments"),
        ("POST", f"{API}/experiments"),
        ("POST", f"{API}/runs"),
        ("GET", f"{API}/runs/r-1"),
    ]
    assert {r["authorization"] for r in fake.requests} == {"Bearer env-token"}
    assert fake.requests[3]["query"]["name"] == short_sha()
    run = fake.requests[6]["body"]
    assert run["display_name"].startswith(f"imi-standin {short_sha()} ")
    assert run["runtime_config"].get("parameters", {}) == {}


def test_submit_canceled_run_is_a_failure(kfp_env, capsys):
    kfp_env.run_states = ["CANCELING", "CANCELED"]
    rc = cli.main(["submit", "--host", kfp_env.url, "--pipeline", STANDIN_REF, "--wait", "--poll-seconds", "0"])
    assert rc == 1
    assert "ended CANCELED" in capsys.readouterr().err


def test_resubmitting_the_same_commit_reuses_its_version_but_a_dirty_tree_does_not(kfp_env, capsys):
    fake = kfp_env
    args = ["submit", "--host", fake.url, "--pipeline", STANDIN_REF]
    assert cli.main(args) == 0
    assert cli.main(args) == 0
    uploads = [r for r in fake.requests if r["path"].endswith("/upload_version")]
    assert len(uploads) == 1
    runs = [r["body"] for r in fake.requests if r["path"] == f"{API}/runs"]
    assert [r["pipeline_version_reference"]["pipeline_version_id"] for r in runs] == ["v-1", "v-1"]

    Path("data.yaml").write_text("adapters: [education]\n")  # uncommitted change to a tracked file
    assert cli.main(args) == 0
    assert fake.requests[-3]["query"]["name"] == f"{short_sha()}-dirty"
    assert cli.main(args) == 2  # the same dirty name again could hide different content
    assert "uncommitted changes" in capsys.readouterr().err


def test_submit_version_name_and_parallelism_flags(kfp_env):
    assert cli.main(["submit", "--host", kfp_env.url, "--pipeline", STANDIN_REF, "--version-name", "release-7",
                     "--parallelism", "2"]) == 0
    assert list(kfp_env.uploads) == ["release-7"]
    assert "parallelismLimit: 2" in kfp_env.uploads["release-7"]


def test_submit_package_uploads_the_given_yaml(kfp_env, tmp_path):
    package = tmp_path / "given.yaml"
    package.write_text(fresh_compile(tmp_path))
    assert cli.main(["submit", "--host", kfp_env.url, "--package", str(package), "--pipeline-name", "imi-x"]) == 0
    assert kfp_env.requests[2]["body"]["display_name"] == "imi-x"
    assert kfp_env.uploads[short_sha()] == package.read_text()


def test_submit_existing_latest_version_uploads_nothing(kfp_env, capsys):
    """What the retraining CronJob in manifests/ runs: the newest version CI uploaded."""
    fake = kfp_env
    assert cli.main(["submit", "--host", fake.url, "--pipeline", STANDIN_REF, "--version-name", "c1"]) == 0
    assert cli.main(["submit", "--host", fake.url, "--pipeline", STANDIN_REF, "--version-name", "c2"]) == 0
    fake.requests.clear()
    rc = cli.main(["submit", "--host", fake.url, "--existing-version", "latest", "--pipeline-name", "imi-standin",
                   "--experiment", "imi-training-scheduled", "--param", "times=4"])
    assert rc == 0, capsys.readouterr().err
    assert fake.calls() == [
        ("GET", f"{API}/healthz"),
        ("GET", f"{API}/pipelines"),
        ("GET", f"{API}/pipelines/p-1/versions"),
        ("GET", f"{API}/pipelines/p-1/versions/v-2"),  # its stored spec types the --param values
        ("GET", f"{API}/experiments"),
        ("POST", f"{API}/experiments"),
        ("POST", f"{API}/runs"),
    ]
    assert fake.requests[2]["query"]["sort_by"] == "created_at desc"
    run = fake.requests[-1]["body"]
    assert run["pipeline_version_reference"] == {"pipeline_id": "p-1", "pipeline_version_id": "v-2"}
    assert run["runtime_config"]["parameters"] == {"times": 4}


@pytest.mark.parametrize("param, message", [
    ("epochs=3", "no such parameter; it takes: adapters, flag, message, rate, times"),
    ("times=three", "times=three: not a valid number integer"),
    ("flag=maybe", "not a valid boolean"),
    ("noequals", "expected KEY=VALUE"),
])
def test_submit_rejects_bad_params_before_any_request(kfp_env, capsys, param, message):
    assert cli.main(["submit", "--host", kfp_env.url, "--pipeline", STANDIN_REF, "--param", param]) == 2
    assert message in capsys.readouterr().err
    assert kfp_env.requests == []


def test_an_api_refusal_is_one_clear_line(kfp_env, capsys):
    assert cli.main(["submit", "--host", kfp_env.url, "--token", "expired", "--pipeline", STANDIN_REF]) == 2
    err = capsys.readouterr().err
    assert "imi submit: error: the KFP API answered 401 Unauthorized: token is expired" in err
    assert "Traceback" not in err


def test_submit_without_a_host_says_how_to_set_one(kfp_env, capsys):
    assert cli.main(["submit", "--pipeline", STANDIN_REF]) == 2
    assert "pass --host or set KFP_HOST" in capsys.readouterr().err


# ----------------------------------------------------------------- schedule

def test_schedule_creates_a_recurring_run_with_the_six_field_cron(kfp_env, capsys):
    fake = kfp_env
    rc = cli.main(["schedule", "--host", fake.url, "--token", "t", "--pipeline", STANDIN_REF,
                   "--cron", "0  0 3 * * SUN", "--param", "times=5", "--name", "weekly retrain"])
    assert rc == 0, capsys.readouterr().err
    assert fake.calls() == [
        ("GET", f"{API}/healthz"),
        ("GET", f"{API}/pipelines"),
        ("POST", f"{API}/pipelines"),
        ("POST", f"{API}/pipelines/upload_version"),
        ("GET", f"{API}/experiments"),
        ("POST", f"{API}/experiments"),
        ("POST", f"{API}/recurringruns"),
    ]
    assert fake.requests[3]["query"]["name"] == short_sha()
    body = fake.requests[-1]["body"]
    assert body["trigger"] == {"cron_schedule": {"cron": "0 0 3 * * SUN"}}
    assert body["display_name"] == "weekly retrain"
    assert body["mode"] == "ENABLE"
    assert int(body["max_concurrency"]) == 1
    assert body["no_catchup"] is True
    assert body["experiment_id"] == "e-1"
    assert body["pipeline_version_reference"] == {"pipeline_id": "p-1", "pipeline_version_id": "v-1"}
    assert body["runtime_config"]["parameters"] == {"times": 5}
    assert "recurring run rr-1 created" in capsys.readouterr().err


def test_schedule_rejects_a_five_field_cron_with_the_six_field_form(kfp_env, capsys):
    assert cli.main(["schedule", "--host", kfp_env.url, "--pipeline", STANDIN_REF, "--cron", "0 3 * * *"]) == 2
    err = capsys.readouterr().err
    assert "five fields" in err and "SECONDS first" in err
    assert "did you mean '0 0 3 * * *'?" in err.lower()
    assert kfp_env.requests == []  # rejected before compiling or connecting


def test_schedule_without_a_cron_says_it_is_required(kfp_env, capsys):
    assert cli.main(["schedule", "--host", kfp_env.url, "--pipeline", STANDIN_REF]) == 2
    assert "--cron is required" in capsys.readouterr().err
    assert kfp_env.requests == []


def test_pipeline_package_and_existing_version_are_alternatives(kfp_env, tmp_path, capsys):
    package = tmp_path / "p.yaml"
    package.write_text("x")
    for command in ("submit", "schedule"):
        rc = cli.main([command, "--host", kfp_env.url, "--pipeline", STANDIN_REF, "--existing-version", "latest",
                       "--cron", "0 0 3 * * *"] if command == "schedule" else
                      [command, "--host", kfp_env.url, "--package", str(package), "--existing-version", "latest"])
        assert rc == 2
        assert "are alternatives" in capsys.readouterr().err
    assert kfp_env.requests == []


@pytest.mark.parametrize("expr", [
    "0 0 3 * * *", "0 0 3 * * 0", "*/30 * * * * *", "0 15,45 8-18/2 ? * MON-FRI", "0 0 0 1 JAN,jul ?",
    "59 59 23 31 12 6", "5/10 0 0 * * *", "@daily", "@every 1h30m",
])
def test_valid_kfp_cron_expressions(expr):
    assert schedule.validate_kfp_cron(expr) == " ".join(expr.split())


@pytest.mark.parametrize("expr, message", [
    ("60 0 3 * * *", "second field '60': 60 is outside 0-59"),
    ("0 60 3 * * *", "minute field '60': 60 is outside 0-59"),
    ("0 0 24 * * *", "hour field '24': 24 is outside 0-23"),
    ("0 0 3 0 * *", "day-of-month field '0': 0 is outside 1-31"),
    ("0 0 3 * 13 *", "month field '13': 13 is outside 1-12"),
    ("0 0 3 * * 7", "day-of-week field '7': 7 is outside 0-6"),
    ("0 0 3 * * FUNDAY", "'FUNDAY' is not a number or one of SUN"),
    ("0 */0 * * * *", "step '0' must be a whole number >= 1"),
    ("0 0 18-9 * * *", "range 18-9 runs backwards"),
    ("0 0 3 L * *", "'L' is not a number"),
    ("0 0 3 * * * 2030", "has 7 fields; KFP cron has six"),
    ("0 0 ? * * *", "'?' is not a number"),
    ("", "empty cron expression"),
    ("@fortnightly", "unknown descriptor"),
])
def test_invalid_kfp_cron_expressions_say_what_is_wrong(expr, message):
    with pytest.raises(schedule.CronError) as info:
        schedule.validate_kfp_cron(expr)
    assert message in str(info.value)


def test_make_check_compiled_passes_on_the_committed_pipeline():
    """`make check-compiled` as CI runs it: the default pipeline reference, from the repository root."""
    repo = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if k not in kfp_compile.IMAGE_ENV_VARS}
    result = subprocess.run([str(Path(sys.executable).parent / "imi"), "compile", "--check",
                             "pipelines/imi_training.yaml"], cwd=repo, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "up to date with imi_lib.kfp.pipeline:imi_training_pipeline" in result.stdout


# ------------------------------------------------------------- CI workflow

def test_retrain_workflow_tests_checks_and_submits_with_secrets_from_ci():
    repo = Path(__file__).resolve().parents[1]
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "retrain.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))  # PyYAML reads a bare `on` key as True
    push = triggers["push"]
    assert push["branches"] == ["main"]
    assert {"configs/**", "imi_lib/**", "components/**", "pipelines/**"} <= set(push["paths"])

    (job,) = workflow["jobs"].values()
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert [r.strip() for r in runs[:3]] == ["make setup", "make test", "make check-compiled"]
    submit_step = next(step for step in job["steps"] if "imi submit" in step.get("run", ""))
    assert job["steps"].index(submit_step) > max(i for i, s in enumerate(job["steps"]) if "make" in s.get("run", ""))

    # Host and token come from CI secrets, never a literal; nothing secret is set at job or workflow level.
    assert submit_step["env"]["KFP_HOST"] == "${{ secrets.KFP_HOST }}"
    assert submit_step["env"]["KFP_TOKEN"] == "${{ secrets.KFP_TOKEN }}"
    for scope in (workflow, job, *job["steps"]):
        for key, value in (scope.get("env") or {}).items():
            if re.search(r"TOKEN|SECRET|PASSWORD|KEY", key) or key == "KFP_HOST":
                assert re.fullmatch(r"\$\{\{ secrets\.[A-Z_]+ \}\}", str(value)), f"{key} must come from secrets"
    text = (repo / ".github" / "workflows" / "retrain.yml").read_text()
    assert not re.search(r"AKIA[0-9A-Z]{16}|eyJ[A-Za-z0-9_-]{10,}\.|gh[pousr]_[A-Za-z0-9]{20,}", text)
    for script in runs:  # inputs reach scripts through env, never pasted in (script injection)
        assert "${{" not in script

    # The submit command line parses with imi's own flags, and waits.
    script = submit_step["run"].replace("\\\n", " ")
    words = shlex.split(next(line for line in script.splitlines() if "imi submit" in line))
    words = words[words.index("submit") + 1:]
    parser = argparse.ArgumentParser()
    submit.add_arguments(parser)
    cfg = config.from_args(submit.SubmitConfig, parser.parse_args([w for w in words if w != "$EXTRA_PARAMS"]))
    assert cfg.wait is True and cfg.host is None and cfg.token is None
    assert cfg.timeout < job["timeout-minutes"] * 60
