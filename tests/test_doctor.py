"""`imi doctor` against fakes: the fake KFP API (test_submit), the test SeaweedFS, and small fakes of the
Kubernetes API, a container registry and the Hugging Face hub, all on 127.0.0.1.

Each check is proven both ways: it passes on a cluster that has what the first run needs, and fails
with its fix when one piece is missing. Nothing the doctor does may change anything: every request
the fakes record is a read.
"""

from __future__ import annotations

import base64
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from imi_lib import cli
from imi_lib.data.sources import SOURCES
from imi_lib.kfp import doctor
from imi_lib.training import modeling
from test_submit import FakeKFP

NAMESPACE = "ml-team"
CPU_DIGEST = "sha256:" + "c" * 64
GPU_DIGEST = "sha256:" + "9" * 64
CANARY = "hf_CANARYdoctor0000000000000000000000"
MODEL_SHA = "d" * 40


class FakeHTTP:
    """Answers GET/HEAD from a dict {(method, path): (status, headers, body)}; records every request."""

    def __init__(self, routes: dict | None = None, fallback=None):
        self.routes = dict(routes or {})
        self.fallback = fallback
        self.requests: list[tuple[str, str, str | None]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, method):
                url = urllib.parse.urlsplit(self.path)
                fake.requests.append((method, self.path, self.headers.get("Authorization")))
                found = fake.routes.get((method, url.path)) or fake.routes.get(("*", url.path))
                if found is None and fake.fallback:
                    found = fake.fallback(method, url, self.headers)
                status, headers, body = found or (404, {}, {"message": "not found"})
                data = json.dumps(body).encode() if not isinstance(body, bytes) else body
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v.replace("{url}", fake.url))
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if method != "HEAD":
                    self.wfile.write(data)

            def do_GET(self):
                self._answer("GET")

            def do_HEAD(self):
                self._answer("HEAD")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _secret(name: str, data: dict) -> dict:
    return {"kind": "Secret", "apiVersion": "v1", "metadata": {"name": name, "namespace": NAMESPACE},
            "type": "Opaque", "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}}


def _node(name: str, gpus: str) -> dict:
    return {"metadata": {"name": name, "labels": {"nvidia.com/gpu.present": "true"}},
            "status": {"allocatable": {"cpu": "16", "nvidia.com/gpu": gpus}}}


def fake_kubernetes(secrets: dict[str, dict], nodes: list[dict]) -> FakeHTTP:
    routes = {("GET", f"/api/v1/namespaces/{NAMESPACE}/secrets/{name}"): (200, {}, _secret(name, data))
              for name, data in secrets.items()}
    routes[("GET", "/api/v1/nodes")] = (200, {}, {"kind": "NodeList", "apiVersion": "v1", "metadata": {},
                                                  "items": nodes})
    return FakeHTTP(routes, fallback=lambda m, u, h: (404, {}, {"kind": "Status", "code": 404, "reason": "NotFound"}))


def fake_registry(digests: set[str]) -> FakeHTTP:
    """A registry that wants an anonymous bearer token first, like ghcr.io and Docker Hub."""
    def answer(method, url, headers):
        if url.path == "/token":
            return 200, {}, {"token": "anonymous-pull"}
        if headers.get("Authorization") != "Bearer anonymous-pull":
            return 401, {"WWW-Authenticate": 'Bearer realm="{url}/token",service="fake",scope="repository:imi:pull"'}, {}
        if url.path.rsplit("/", 1)[-1] in digests:
            return 200, {"Docker-Content-Digest": url.path.rsplit("/", 1)[-1]}, {}
        return 404, {}, {"errors": [{"code": "MANIFEST_UNKNOWN"}]}
    return FakeHTTP(fallback=answer)


def fake_hub(accepted_token: str | None, gated: bool = True) -> FakeHTTP:
    """The hub's model/dataset info and file HEAD; a gated model's files need the accepted token."""
    def answer(method, url, headers):
        parts = url.path.strip("/").split("/")
        if parts[:2] == ["api", "models"] or parts[:2] == ["api", "datasets"]:
            repo = "/".join(parts[2:4])
            sha = parts[5] if len(parts) > 5 and parts[5] != "main" else MODEL_SHA
            if len(sha) != 40 or sha.startswith("0000"):
                return 404, {}, {"error": "Invalid rev id"}
            return 200, {}, {"id": repo, "sha": sha, "gated": "manual" if gated else False}
        if "resolve" in parts:
            if gated and headers.get("Authorization") != f"Bearer {accepted_token}":
                return (403 if headers.get("Authorization") else 401), {}, {"error": "gated"}
            return 200, {}, b"{}"
        return None
    return FakeHTTP(fallback=answer)


@pytest.fixture
def cluster(s3_env, tmp_path, monkeypatch):
    """Everything the first run needs, healthy; tests then break one piece each."""
    kfp = FakeKFP()
    kube = fake_kubernetes({"imi-s3-credentials": {"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s",
                                                   "AWS_ENDPOINT_URL": "http://s3"},
                            "imi-hf-token": {"HF_TOKEN": CANARY}},
                           [_node("gpu-a", "8"), _node("gpu-b", "0")])
    registry = fake_registry({CPU_DIGEST, GPU_DIGEST})
    hf = fake_hub(CANARY)
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "fake",
        "clusters": [{"name": "fake", "cluster": {"server": kube.url}}],
        "users": [{"name": "me", "user": {"token": "kube-token"}}],
        "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "me", "namespace": NAMESPACE}}]}))
    host = registry.url.removeprefix("http://")
    monkeypatch.setenv("KFP_HOST", kfp.url)
    monkeypatch.setenv("KFP_TOKEN", "kfp-token")
    monkeypatch.setenv("HF_ENDPOINT", hf.url)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setenv("IMI_IMAGE_CPU", f"{host}/imi/train@{CPU_DIGEST}")
    monkeypatch.setenv("IMI_IMAGE_GPU", f"{host}/imi/train@{GPU_DIGEST}")
    import importlib

    from imi_lib.kfp.components import images
    importlib.reload(images)
    args = ["--kubeconfig", str(kubeconfig), "--pipeline-root", f"{s3_env}/pipeline-root"]
    yield {"kfp": kfp, "kube": kube, "registry": registry, "hub": hf, "args": args, "bucket": s3_env}
    monkeypatch.delenv("IMI_IMAGE_CPU")
    monkeypatch.delenv("IMI_IMAGE_GPU")
    importlib.reload(images)
    for server in (kfp, kube, registry, hf):
        server.close()


def doctor_lines(capsys, args) -> tuple[int, dict[str, list[str]]]:
    code = cli.main(["doctor", *args])
    out = capsys.readouterr().out
    lines: dict[str, list[str]] = {}
    for line in out.splitlines()[:-1]:
        lines.setdefault(line.split()[1], []).append(line)
    return code, lines


def test_a_ready_cluster_passes_every_check_with_one_line_each(cluster, capsys):
    code, lines = doctor_lines(capsys, cluster["args"])
    assert code == 0, [line for v in lines.values() for line in v if line.startswith("FAIL")]
    assert set(lines) == set(doctor.CLUSTER_CHECKS)
    assert all(len(v) == 1 and v[0].startswith("ok") for v in lines.values())
    assert "gpu-a" in lines["gpu-nodes"][0] and "gpu-b" not in lines["gpu-nodes"][0]
    assert "imi-hf-token present" in lines["secrets"][0]
    assert "gated" in lines["hf-access"][0]


def test_doctor_only_reads(cluster, capsys):
    doctor_lines(capsys, cluster["args"])
    for server in ("kube", "registry", "hub"):
        assert {m for m, _, _ in cluster[server].requests} <= {"GET", "HEAD"}, server
    assert {r["method"] for r in cluster["kfp"].requests} == {"GET"}
    assert cluster["kfp"].requests[0]["authorization"] == "Bearer kfp-token"


def test_the_token_from_the_secret_is_used_and_never_printed(cluster, capsys):
    code = cli.main(["doctor", *cluster["args"]])
    captured = capsys.readouterr()
    assert code == 0
    assert CANARY not in captured.out + captured.err
    assert ("HEAD", f"/{modeling.DEFAULT_BASE_MODEL}/resolve/{MODEL_SHA}/config.json", f"Bearer {CANARY}") in [
        (m, p, a) for m, p, a in cluster["hub"].requests]


@pytest.mark.parametrize("breakage, check, words", [
    ("kfp-token", "kfp-api", ["refused the token (HTTP 401)", "fix: set KFP_TOKEN"]),
    ("kfp-host", "kfp-api", ["unreachable", "fix: check KFP_HOST"]),
    ("bucket", "s3", ["does not exist", "fix: create it"]),
    ("s3-key", "s3", ["refused the credentials", "fix: set AWS_ACCESS_KEY_ID"]),
    ("s3-none", "s3", ["no S3 credentials in this environment", "fix: export AWS_ACCESS_KEY_ID"]),
    ("secret", "secrets", ["imi-s3-credentials missing", "fix: kubectl -n ml-team create secret"]),
    ("no-gpus", "gpu-nodes", ["none offers nvidia.com/gpu", "device plugin"]),
    ("no-label", "gpu-nodes", ["no node is labelled nvidia.com/gpu.present=true", "GPU operator"]),
    ("tag", "images", ["pinned by tag, not digest", "fix: push the images and set IMI_IMAGE_GPU"]),
    ("digest", "images", ["no manifest with that digest", "fix: push that image"]),
    ("hf-token", "hf-access", ["the hub refused anonymous access (HTTP 401)",
                               "accept the licence at", "/epfl-llm/meditron-7b and set HF_TOKEN"]),
])
def test_each_missing_piece_fails_its_check_with_the_fix(cluster, capsys, monkeypatch, breakage, check, words):
    from imi_lib.core import storage
    from imi_lib.kfp.components import images

    if breakage == "kfp-token":
        monkeypatch.setenv("KFP_TOKEN", "expired")
    elif breakage == "kfp-host":
        monkeypatch.setenv("KFP_HOST", "http://127.0.0.1:9")
    elif breakage == "bucket":
        cluster["args"][-1] = "s3://no-such-bucket-imi/pipeline-root"
    elif breakage == "s3-key":
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")
        storage.reset_client()
    elif breakage == "s3-none":
        monkeypatch.delenv("AWS_ACCESS_KEY_ID")
        monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
        storage.reset_client()
    elif breakage == "secret":
        del cluster["kube"].routes[("GET", f"/api/v1/namespaces/{NAMESPACE}/secrets/imi-s3-credentials")]
    elif breakage == "no-gpus":
        cluster["kube"].routes[("GET", "/api/v1/nodes")][2]["items"] = [_node("gpu-b", "0")]
    elif breakage == "no-label":
        cluster["kube"].routes[("GET", "/api/v1/nodes")][2]["items"] = []
    elif breakage == "tag":
        monkeypatch.setattr(images, "IMAGE_GPU", "ghcr.io/imi-health/imi-train:0.1.0-gpu")
    elif breakage == "digest":
        monkeypatch.setattr(images, "IMAGE_GPU", images.IMAGE_GPU.replace("9" * 64, "e" * 64))
    elif breakage == "hf-token":
        del cluster["kube"].routes[("GET", f"/api/v1/namespaces/{NAMESPACE}/secrets/imi-hf-token")]
    code, lines = doctor_lines(capsys, cluster["args"])
    assert code == 1
    (line,) = lines[check]
    assert line.startswith("FAIL")
    for word in words:
        assert word in line
    others = [v[0] for name, v in lines.items() if name != check]
    assert all(o.startswith("ok") for o in others), others  # one broken piece fails one check


def test_a_gated_model_with_a_token_not_accepted_says_accept_the_licence(cluster, capsys, monkeypatch):
    cluster["kube"].routes[("GET", f"/api/v1/namespaces/{NAMESPACE}/secrets/imi-hf-token")] = (
        200, {}, _secret("imi-hf-token", {"HF_TOKEN": "hf_someoneelse"}))
    code, lines = doctor_lines(capsys, [*cluster["args"], "--checks", "secrets,hf-access"])
    assert code == 1
    assert "refused the token (HTTP 403)" in lines["hf-access"][0]
    assert "hf_someoneelse" not in lines["hf-access"][0]


def test_revisions_check_verifies_every_pin_and_names_the_unpinned(cluster, capsys, monkeypatch):
    code, lines = doctor_lines(capsys, ["--checks", "revisions"])
    assert code == 0, [line for v in lines.values() for line in v if line.startswith("FAIL")]
    text = "\n".join(lines["revisions"])
    for spec in SOURCES.values():
        assert f"dataset {spec.hub_id}@{spec.revision[:12]} exists (pinned)" in text
    for repo in modeling.MODEL_CONTEXT:
        assert f"model {repo} unpinned: runs resolve main, now {MODEL_SHA[:12]}" in text
    # a pin the hub does not have fails, with the fix
    spec = next(iter(SOURCES.values()))
    monkeypatch.setitem(SOURCES, spec.name, type(spec)(**{**spec.__dict__, "revision": "0000" + "a" * 36}))
    code, lines = doctor_lines(capsys, ["--checks", "revisions"])
    assert code == 1
    (bad,) = [line for line in lines["revisions"] if line.startswith("FAIL")]
    assert f"{spec.hub_id}@0000" in bad and "no such revision on the hub" in bad


def test_unknown_check_is_a_one_line_error(capsys):
    assert cli.main(["doctor", "--checks", "kfp-api,coffee"]) == 2
    assert "unknown coffee" in capsys.readouterr().err
