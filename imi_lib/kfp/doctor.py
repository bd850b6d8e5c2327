"""`imi doctor`: a read-only preflight of everything the first cluster run needs.

    export KFP_HOST=https://kubeflow.example.com/pipeline KFP_TOKEN=...        # as for imi submit
    export AWS_ENDPOINT_URL=... AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=...  # as the tasks get them
    export IMI_IMAGE_CPU=...@sha256:... IMI_IMAGE_GPU=...@sha256:...           # what the run will pull
    imi doctor --namespace ml-team

One line per check, each failure with its fix, exit 1 when any check fails:

| check | passes when |
| --- | --- |
| kfp-api | the KFP API answers a read (list pipelines) with the token: reachable and authorised |
| s3 | the pipeline root's bucket exists and the credentials may list it (endpoint, bucket, keys) |
| secrets | the namespace holds imi-s3-credentials with its keys; imi-hf-token is optional (reported) |
| gpu-nodes | some node carries the GPU label the pipeline selects on and offers nvidia.com/gpu |
| images | both image references are pinned by digest and the registry knows that digest |
| hf-access | the base model is reachable with the token: its files download (gated licence accepted) |
| revisions | every pinned model and dataset revision exists on the hub (`make verify-revisions`) |

Nothing is created, changed or deleted: the Kubernetes calls are `get`/`list`,
the KFP call is a list, S3 is HEAD/list, the registry and the hub get HEAD/GET.
Secret values are read only to use the HF token and are never printed.
The Kubernetes checks use your kubeconfig (or the pod's service account).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Callable

from imi_lib.core import config, hub
from imi_lib.core.errors import UserError

CHECKS = ("kfp-api", "s3", "secrets", "gpu-nodes", "images", "hf-access", "revisions")
# every check but the revision audit, which concerns the code rather than the cluster
CLUSTER_CHECKS = CHECKS[:-1]
S3_SECRET = ("imi-s3-credentials", ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL"))
HF_SECRET = ("imi-hf-token", "HF_TOKEN")


@dataclass
class DoctorConfig:
    checks: list[str] = config.option(default_factory=lambda: list(CLUSTER_CHECKS),
                                      help=f"which checks to run, comma-separated: {', '.join(CHECKS)}")
    host: str | None = config.option(None, "KFP API endpoint (default: $KFP_HOST); the token comes from $KFP_TOKEN")
    namespace: str | None = config.option(
        None, "namespace the runs execute in (default: $KFP_NAMESPACE, else the kubeconfig context's)")
    pipeline_root: str = config.option("s3://imi-train/pipeline-root",
                                       "the s3:// pipeline root (kfp-launcher's defaultPipelineRoot)")
    base_model: str | None = config.option(None, "the base model runs will train on (default: the pipeline's)")
    gpu_node_label: str = config.option("nvidia.com/gpu.present=true", "the label GPU tasks select nodes by")
    kubeconfig: str | None = config.option(None, "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, "
                                                 "or the pod's service account)")
    timeout: float = config.option(20.0, "seconds each network call may take")


@dataclass
class Result:
    check: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        return f"{'ok  ' if self.ok else 'FAIL'}  {self.check:<10} {self.detail}" + (
            f" -> fix: {self.fix}" if self.fix and not self.ok else "")


@dataclass
class _Context:
    cfg: DoctorConfig
    results: list[Result] = field(default_factory=list)
    _kube: object | None = None
    _kube_error: str | None = None
    hf_token: str | None = None  # from the imi-hf-token Secret when readable, else $HF_TOKEN

    def add(self, check: str, ok: bool, detail: str, fix: str = "") -> None:
        self.results.append(Result(check, ok, detail, fix))

    def kube(self):
        """A CoreV1Api, or None with _kube_error set (the Kubernetes checks then fail with it)."""
        if self._kube is None and self._kube_error is None:
            try:
                from kubernetes import client, config as kconfig

                path = self.cfg.kubeconfig or os.environ.get("KUBECONFIG")
                if path or os.path.exists(os.path.expanduser("~/.kube/config")):
                    api = kconfig.new_client_from_config(config_file=path)
                    if not self.cfg.namespace:
                        _, active = kconfig.list_kube_config_contexts(config_file=path)
                        self.cfg.namespace = (active or {}).get("context", {}).get("namespace")
                else:
                    kconfig.load_incluster_config()
                    api = client.ApiClient()
                self._kube = client.CoreV1Api(api)
            except Exception as e:
                self._kube_error = f"no Kubernetes access ({type(e).__name__}: {_first_line(e)})"
        return self._kube


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    return text.splitlines()[0][:200] if text else "no details"


# ---- the checks -----------------------------------------------------------------

def check_kfp_api(ctx: _Context) -> None:
    host = (ctx.cfg.host or os.environ.get("KFP_HOST") or "").rstrip("/")
    if not host:
        return ctx.add("kfp-api", False, "no KFP endpoint", "pass --host or set KFP_HOST")
    request = urllib.request.Request(f"{host}/apis/v2beta1/pipelines?page_size=1")
    token = os.environ.get("KFP_TOKEN")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    namespace = ctx.cfg.namespace or os.environ.get("KFP_NAMESPACE")
    if namespace:
        request.full_url += "&namespace=" + urllib.parse.quote(namespace)
    try:
        with urllib.request.urlopen(request, timeout=ctx.cfg.timeout) as response:
            json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as e:
        if e.code in (401, 403):
            return ctx.add("kfp-api", False, f"{host} refused the token (HTTP {e.code})",
                           "set KFP_TOKEN to a token the KFP API accepts for this namespace")
        return ctx.add("kfp-api", False, f"{host} answered HTTP {e.code}", "check KFP_HOST (the .../pipeline URL)")
    except (urllib.error.URLError, OSError, ValueError) as e:
        return ctx.add("kfp-api", False, f"{host} unreachable ({getattr(e, 'reason', e)})",
                       "check KFP_HOST and that this machine reaches it")
    ctx.add("kfp-api", True, f"{host} reachable and authorised" + ("" if token else " (no token needed)"))


def check_s3(ctx: _Context) -> None:
    from imi_lib.core import storage

    if not storage.is_s3(ctx.cfg.pipeline_root):
        return ctx.add("s3", False, f"{ctx.cfg.pipeline_root} is not an s3:// URI", "pass --pipeline-root s3://...")
    bucket, prefix = storage.split_s3(ctx.cfg.pipeline_root)
    where = os.environ.get("AWS_ENDPOINT_URL") or "AWS S3"
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    try:

        s3 = storage.s3_client()
        s3.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1)
    except ClientError as e:
        code = e.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchBucket", "404"):
            return ctx.add("s3", False, f"bucket {bucket} does not exist at {where}",
                           f"create it (aws --endpoint-url {where} s3 mb s3://{bucket})")
        return ctx.add("s3", False, f"{where} refused the credentials for {bucket} ({code})",
                       "set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY to the keys in imi-s3-credentials")
    except NoCredentialsError:
        return ctx.add("s3", False, "no S3 credentials in this environment",
                       "export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (the keys in imi-s3-credentials)")
    except (BotoCoreError, UserError) as e:
        return ctx.add("s3", False, f"{where} unreachable ({_first_line(e)})",
                       "set AWS_ENDPOINT_URL to the store the cluster uses, reachable from here")
    ctx.add("s3", True, f"s3://{bucket} at {where}: credentials can list it")


def check_secrets(ctx: _Context) -> None:
    api = ctx.kube()
    if api is None:
        return ctx.add("secrets", False, ctx._kube_error, "point --kubeconfig at the cluster")
    ns = ctx.cfg.namespace
    if not ns:
        return ctx.add("secrets", False, "no namespace", "pass --namespace (the one runs execute in)")
    missing = []
    name, keys = S3_SECRET
    secret = _read_secret(api, ns, name)
    if secret is None:
        missing.append(name)
    else:
        absent = [k for k in keys if k not in (secret.data or {})]
        if absent:
            return ctx.add("secrets", False, f"{ns}/{name} lacks {', '.join(absent)}",
                           "recreate it with every key (docs/kubeflow.md, section 1)")
    hf = _read_secret(api, ns, HF_SECRET[0])
    hf_note = "imi-hf-token absent (fine for public models)"
    if hf is not None:
        raw = (hf.data or {}).get(HF_SECRET[1])
        ctx.hf_token = base64.b64decode(raw).decode().strip() or None if raw else None
        hf_note = "imi-hf-token present" + ("" if ctx.hf_token else " but empty")
    if missing:
        return ctx.add("secrets", False, f"{ns}/{', '.join(missing)} missing ({hf_note})",
                       f"kubectl -n {ns} create secret generic imi-s3-credentials --from-literal=... "
                       "(docs/kubeflow.md, section 1)")
    ctx.add("secrets", True, f"{ns}/imi-s3-credentials has its keys; {hf_note}")


def _read_secret(api, namespace: str, name: str):
    from kubernetes.client.exceptions import ApiException

    try:
        return api.read_namespaced_secret(name, namespace)
    except ApiException as e:
        if e.status == 404:
            return None
        raise


def check_gpu_nodes(ctx: _Context) -> None:
    api = ctx.kube()
    if api is None:
        return ctx.add("gpu-nodes", False, ctx._kube_error, "point --kubeconfig at the cluster")
    label = ctx.cfg.gpu_node_label
    nodes = api.list_node(label_selector=label).items
    with_gpus = [n.metadata.name for n in nodes
                 if int((n.status.allocatable or {}).get("nvidia.com/gpu", "0") or 0) > 0]
    if not nodes:
        return ctx.add("gpu-nodes", False, f"no node is labelled {label}",
                       "install the NVIDIA GPU operator (it labels GPU nodes), or label them yourself")
    if not with_gpus:
        return ctx.add("gpu-nodes", False, f"{len(nodes)} node(s) labelled {label}, none offers nvidia.com/gpu",
                       "the NVIDIA device plugin is not running on them (GPU operator)")
    ctx.add("gpu-nodes", True, f"{len(with_gpus)} node(s) labelled {label} with nvidia.com/gpu: "
                               f"{', '.join(sorted(with_gpus)[:3])}")


DIGEST = re.compile(r"^(?P<repo>[^@]+)@(?P<digest>sha256:[0-9a-f]{64})$")
MANIFEST_TYPES = ", ".join([
    "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json"])


def check_images(ctx: _Context) -> None:
    from imi_lib.kfp.components import images

    problems, fine = [], []
    for var, ref in (("IMI_IMAGE_CPU", images.IMAGE_CPU), ("IMI_IMAGE_GPU", images.IMAGE_GPU)):
        m = DIGEST.match(ref)
        if not m:
            problems.append((f"{ref} is pinned by tag, not digest",
                             f"push the images and set {var}=<repository>@sha256:<digest> (docs/kubeflow.md)"))
            continue
        error = registry_has(m.group("repo"), m.group("digest"), ctx.cfg.timeout)
        if error:
            problems.append((f"{ref}: {error}", f"push that image, or set {var} to a digest the registry has"))
        else:
            fine.append(ref.split("/")[-1][:40])
    for detail, fix in problems:
        ctx.add("images", False, detail, fix)
    if not problems:
        ctx.add("images", True, f"both images resolve by digest ({', '.join(fine)})")


def registry_has(repository: str, digest: str, timeout: float = 20) -> str | None:
    """None when the registry serves that manifest (anonymous pull); else why not, briefly."""
    host, _, name = repository.partition("/")
    if "." not in host and ":" not in host and host != "localhost":
        host, name = "registry-1.docker.io", repository if "/" in repository else f"library/{repository}"
    scheme = "http" if host.startswith(("127.0.0.1", "localhost")) else "https"
    url = f"{scheme}://{host}/v2/{name}/manifests/{digest}"
    headers = {"Accept": MANIFEST_TYPES}
    for attempt in range(2):
        request = urllib.request.Request(url, method="HEAD", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                return None
        except urllib.error.HTTPError as e:
            challenge = e.headers.get("WWW-Authenticate", "")
            if e.code == 401 and attempt == 0 and challenge.lower().startswith("bearer"):
                token = _registry_token(challenge, timeout)
                if token:
                    headers["Authorization"] = f"Bearer {token}"
                    continue
            if e.code == 404:
                return "the registry has no manifest with that digest"
            return f"the registry answered HTTP {e.code} (private? this check pulls anonymously)"
        except (urllib.error.URLError, OSError) as e:
            return f"registry {host} unreachable ({getattr(e, 'reason', e)})"
    return "the registry refused an anonymous pull"


def _registry_token(challenge: str, timeout: float) -> str | None:
    fields = dict(re.findall(r'(\w+)="([^"]*)"', challenge))
    if "realm" not in fields:
        return None
    query = urllib.parse.urlencode({k: v for k, v in fields.items() if k in ("service", "scope")})
    try:
        with urllib.request.urlopen(f"{fields['realm']}?{query}", timeout=timeout) as response:
            body = json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None
    return body.get("token") or body.get("access_token")


def check_hf_access(ctx: _Context) -> None:
    from imi_lib.training import modeling

    spec = ctx.cfg.base_model or modeling.DEFAULT_BASE_MODEL
    repo_id, _, revision = spec.partition("@")
    if spec.startswith(("builtin:", "s3://", "/", ".")) or os.path.exists(spec) or repo_id.count("/") != 1:
        return ctx.add("hf-access", True, f"{spec} is not a hub model; nothing to check")
    revision = revision or modeling.PINNED_REVISIONS.get(repo_id) or "main"
    token = ctx.hf_token or hub.token()
    try:
        info = hub.revision_info(repo_id, "model", revision, auth=token)
        hub.can_download(repo_id, info.get("sha") or revision, "config.json", auth=token)
    except hub.HubError as e:
        if e.status in (401, 403):
            return ctx.add("hf-access", False, f"{repo_id}: the hub refused "
                           f"{'the token' if token else 'anonymous access'} (HTTP {e.status})",
                           f"accept the licence at {hub.repo_url(repo_id)} and set HF_TOKEN "
                           "(the imi-hf-token Secret on the cluster)")
        if e.status == 404:
            return ctx.add("hf-access", False, f"{repo_id}@{revision} not found on {hub.endpoint()}",
                           "check the model id and revision")
        return ctx.add("hf-access", False, f"{hub.endpoint()} {e}",
                       "the tasks need the hub, or pass an s3:// copy of the model as base_model")
    gated = f", gated ({info.get('gated')}) and the token has access" if info.get("gated") else ""
    ctx.add("hf-access", True, f"{repo_id}@{(info.get('sha') or revision)[:12]} downloadable{gated}")


def check_revisions(ctx: _Context) -> None:
    """Every pin in the code exists on the hub; every unpinned repository is named with main's current sha."""
    for repo_id, repo_type, pinned in pinned_revisions():
        try:
            info = hub.revision_info(repo_id, repo_type, pinned, auth=ctx.hf_token or hub.token())
        except hub.HubError as e:
            if pinned and e.status == 404:
                ctx.add("revisions", False, f"{repo_type} {repo_id}@{pinned}: no such revision on the hub",
                        "pin the sha the hub shows for that repository, or unpin it")
            else:
                ctx.add("revisions", False, f"{repo_type} {repo_id}: {e}",
                        "run where the hub is reachable (set HF_TOKEN for gated repositories)")
            continue
        sha = info.get("sha")
        if pinned and sha != pinned:
            ctx.add("revisions", False, f"{repo_type} {repo_id}: pin {pinned} resolves to {sha}",
                    "pin the full 40-hex commit sha")
        elif pinned:
            ctx.add("revisions", True, f"{repo_type} {repo_id}@{pinned[:12]} exists (pinned)")
        else:
            ctx.add("revisions", True, f"{repo_type} {repo_id} unpinned: runs resolve main, now {str(sha)[:12]}, "
                                       "and record it in their manifests")


def pinned_revisions() -> list[tuple[str, str, str | None]]:
    """(repo id, 'model'|'dataset', pinned sha or None) for every hub repository the code loads."""
    from imi_lib.data.sources import SOURCES
    from imi_lib.training import modeling

    known = sorted(set(modeling.MODEL_CONTEXT) | set(modeling.PINNED_REVISIONS))
    models = [(repo, "model", modeling.PINNED_REVISIONS.get(repo)) for repo in known]
    return models + [(s.hub_id, "dataset", s.revision) for s in SOURCES.values()]


RUNNERS: dict[str, Callable[[_Context], None]] = {
    "kfp-api": check_kfp_api, "s3": check_s3, "secrets": check_secrets, "gpu-nodes": check_gpu_nodes,
    "images": check_images, "hf-access": check_hf_access, "revisions": check_revisions,
}


def run(cfg: DoctorConfig) -> list[Result]:
    unknown = [c for c in cfg.checks if c not in RUNNERS]
    if unknown:
        raise UserError(f"--checks: unknown {', '.join(unknown)}; choose from {', '.join(CHECKS)}")
    ctx = _Context(cfg)
    # secrets first: it reads the HF token that hf-access and revisions then use
    for name in sorted(cfg.checks, key=lambda c: (c != "secrets", CHECKS.index(c))):
        try:
            RUNNERS[name](ctx)
        except Exception as e:  # one broken check never hides the others
            ctx.add(name, False, f"check failed: {type(e).__name__}: {_first_line(e)}", "run with --debug")
    order = {c: i for i, c in enumerate(CHECKS)}
    return sorted(ctx.results, key=lambda r: order[r.check])


def add_arguments(parser: argparse.ArgumentParser) -> None:
    config.add_arguments(parser, DoctorConfig)


def main(args: argparse.Namespace) -> int:
    results = run(config.from_args(DoctorConfig, args))
    for result in results:
        print(result.line())
    failed = sum(not r.ok for r in results)
    print(f"imi doctor: {len(results) - failed} ok, {failed} failed")
    return 1 if failed else 0
