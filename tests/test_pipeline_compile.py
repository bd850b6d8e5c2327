"""The compiled pipeline (pipelines/imi_training.yaml): shape, cluster settings, secrets, freshness."""

import os
import re
import subprocess
import sys

import pytest
import yaml

from conftest import REPO
from imi_lib.core import storage
from imi_lib.core.adapters import ADAPTERS

COMMITTED = REPO / "pipelines" / "imi_training.yaml"
STORAGE_TASKS = ("collect", "ingest", "train", "evaluate", "publish", "fingerprint", "fingerprint-2")
S3_KEYS = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION"}


def _compile(path, *args: str) -> None:
    """Compile in a fresh interpreter, without image overrides, as `make compile` does."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMI_IMAGE_")}
    code = ("import sys; from imi_lib.kfp.pipeline import ClusterSettings, compile_pipeline; "
            "compile_pipeline(sys.argv[1], ClusterSettings(**eval(sys.argv[2])))")
    subprocess.run([sys.executable, "-c", code, str(path), args[0] if args else "{}"], cwd=REPO, env=env,
                   check=True)


@pytest.fixture(scope="module")
def docs():
    spec, platform = yaml.safe_load_all(COMMITTED.read_text())
    return spec, platform["platforms"]["kubernetes"]["deploymentSpec"]["executors"]


def _tasks(spec):
    """Every task in the root DAG and in sub-DAGs (the loop body), by name."""
    out = dict(spec["root"]["dag"]["tasks"])
    for comp in spec["components"].values():
        out.update(comp.get("dag", {}).get("tasks", {}))
    return out


def test_committed_yaml_equals_a_fresh_compile(tmp_path):
    fresh = tmp_path / "fresh.yaml"
    _compile(fresh)
    assert fresh.read_text() == COMMITTED.read_text(), "pipelines/imi_training.yaml is stale: run `make compile`"
    again = tmp_path / "again.yaml"
    _compile(again)
    assert again.read_bytes() == fresh.read_bytes()  # deterministic: no timestamps or random ids


def test_two_documents_pipeline_then_kubernetes_platform():
    parts = list(yaml.safe_load_all(COMMITTED.read_text()))
    assert len(parts) == 2
    assert parts[0]["pipelineInfo"]["name"] == "imi-training"
    assert set(parts[1]["platforms"]) == {"kubernetes"}


def test_parallel_for_iterates_over_the_adapters_parameter(docs):
    spec, _ = docs
    root = spec["root"]
    assert root["inputDefinitions"]["parameters"]["adapters"]["defaultValue"] == list(ADAPTERS)
    loops = {n: t for n, t in root["dag"]["tasks"].items() if "parameterIterator" in t}
    assert len(loops) == 1
    (loop_name, loop), = loops.items()
    items = loop["parameterIterator"]["items"]["inputParameter"]
    assert loop["inputs"]["parameters"][items] == {"componentInputParameter": "adapters"}
    assert loop["iteratorPolicy"]["parallelismLimit"] == 6
    body = spec["components"][loop["componentRef"]["name"]]["dag"]["tasks"]
    assert set(body) == {"train", "evaluate"}
    assert body["evaluate"]["inputs"]["artifacts"]["model"]["taskOutputArtifact"]["producerTask"] == "train"
    # fan-in: report and publish take the whole list of adapters and results from the loop
    for consumer in ("report", "publish"):
        arts = root["dag"]["tasks"][consumer]["inputs"]["artifacts"]
        assert {a["taskOutputArtifact"]["producerTask"] for a in arts.values()} == {loop_name}
        comp = spec["components"][f"comp-{consumer}"]["inputDefinitions"]["artifacts"]
        assert comp["models"]["isArtifactList"] and comp["results"]["isArtifactList"]


def test_data_stages_run_in_parallel_before_prepare(docs):
    spec, _ = docs
    tasks = spec["root"]["dag"]["tasks"]
    assert set(tasks["prepare"]["dependentTasks"]) == {"collect", "ingest", "synthesize"}
    for t in ("collect", "ingest", "synthesize"):
        assert not set(tasks[t].get("dependentTasks", [])) & {"collect", "ingest", "synthesize"}


def test_train_requests_one_gpu_on_gpu_nodes_with_resources(docs):
    spec, executors = docs
    for name in ("train", "evaluate"):
        res = spec["deploymentSpec"]["executors"][f"exec-{name}"]["container"]["resources"]
        assert res["accelerator"]["resourceType"] == "nvidia.com/gpu"
        assert res["accelerator"]["resourceCount"] == "1"
        for k in ("resourceCpuRequest", "resourceCpuLimit", "resourceMemoryRequest", "resourceMemoryLimit"):
            assert res[k]
        k8s = executors[f"exec-{name}"]
        assert k8s["nodeSelector"]["labels"] == {"nvidia.com/gpu.present": "true"}
        assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in k8s["tolerations"]
    for name, ex in spec["deploymentSpec"]["executors"].items():
        res = ex["container"].get("resources", {})
        assert res.get("resourceMemoryLimit") and res.get("resourceCpuLimit"), f"{name} has no limits"
        if name not in ("exec-train", "exec-evaluate"):
            assert "accelerator" not in res


def test_images_come_from_the_one_image_module(docs):
    from imi_lib.kfp.components.images import IMAGE_CPU, IMAGE_GPU

    spec, _ = docs
    images = {n: e["container"]["image"] for n, e in spec["deploymentSpec"]["executors"].items()}
    assert images.pop("exec-train") == images.pop("exec-evaluate") == IMAGE_GPU
    assert set(images.values()) == {IMAGE_CPU}


def test_train_retries_with_backoff(docs):
    spec, _ = docs
    policy = _tasks(spec)["train"]["retryPolicy"]
    assert policy["maxRetryCount"] == 3
    assert policy["backoffFactor"] == 2.0 and policy["backoffDuration"] == "120s"


def test_every_storage_task_gets_s3_credentials_from_the_secret(docs):
    spec, executors = docs
    for task in STORAGE_TASKS:
        # besides S3, collect/train/evaluate read the optional imi-hf-token (tests/test_manifests.py)
        envs = [e for e in executors[f"exec-{task}"]["secretAsEnv"] if e["secretName"] != "imi-hf-token"]
        assert len(envs) == 1 and envs[0]["secretName"] == "imi-s3-credentials"
        mapped = {e["envVar"]: e["secretKey"] for e in envs[0]["keyToEnv"]}
        assert mapped == {k: k for k in S3_KEYS}
    # tasks without object-storage access get no credentials at all
    for task in ("synthesize", "prepare", "report"):
        assert "secretAsEnv" not in executors.get(f"exec-{task}", {})
    # no credential travels any other way: no container env, no secret volumes
    for name, ex in spec["deploymentSpec"]["executors"].items():
        assert not [e for e in ex["container"].get("env", []) if e["name"] in S3_KEYS], name
    for name, k8s in executors.items():
        assert set(k8s) <= {"secretAsEnv", "nodeSelector", "tolerations"}, name


CREDENTIAL_PATTERNS = [
    r"AKIA[0-9A-Z]{16}",  # AWS access key id
    r"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])",  # AWS secret key shape
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
    r"(?i)(password|passwd|secret_key|access_key|token)\s*[:=]\s*['\"]?[A-Za-z0-9/+_\-]{8,}",
    r"(?i)bearer\s+[A-Za-z0-9._\-]{12,}",
]


def test_no_credential_looking_literal_anywhere():
    text = COMMITTED.read_text()
    for pattern in CREDENTIAL_PATTERNS:
        assert not re.findall(pattern, text), pattern
    # the S3 key names appear only as secret keys and env names, never as values
    for line in text.splitlines():
        if any(k in line for k in S3_KEYS):
            assert re.fullmatch(r"\s*-? ?(envVar|secretKey): AWS_[A-Z_]+", line), line


def test_credential_patterns_catch_literals():
    leaked = "AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nid: AKIAIOSFODNN7EXAMPLE"
    assert all(re.search(p, leaked) for p in CREDENTIAL_PATTERNS[:2])
    assert re.search(CREDENTIAL_PATTERNS[3], "password: hunter2hunter2")


def test_outside_world_tasks_are_cached_on_content_only(docs):
    spec, _ = docs
    tasks = _tasks(spec)
    uncached = {n for n, t in tasks.items() if "componentRef" in t and not t.get("cachingOptions", {}).get("enableCache")}
    assert uncached == {"fingerprint", "fingerprint-2", "publish"} | {n for n in tasks if n.startswith("for-loop")}
    # collect and ingest are cached, keyed on the fingerprint of what they read
    collect_in = tasks["collect"]["inputs"]["parameters"]
    assert collect_in["hub_fingerprint"]["taskOutputParameter"]["producerTask"] == "fingerprint"
    assert tasks["fingerprint"]["inputs"]["parameters"]["uri"] == {"componentInputParameter": "hub_mirror_uri"}
    ingest_in = tasks["ingest"]["inputs"]["parameters"]
    assert ingest_in["pdf_fingerprint"]["taskOutputParameter"]["producerTask"] == "fingerprint-2"
    assert tasks["fingerprint-2"]["inputs"]["parameters"]["uri"] == {"componentInputParameter": "pdf_uri"}


def test_ui_parameters_have_defaults_and_descriptions(docs):
    spec, _ = docs
    params = spec["root"]["inputDefinitions"]["parameters"]
    expected = {"adapters", "base_model", "precision", "epochs", "learning_rate", "num_synthetic_examples",
                "hub_mirror_uri", "pdf_uri", "gate_threshold", "registry_uri", "checkpoint_root", "batch_size",
                "eval_max_new_tokens", "eval_max_val_records", "eval_batch_size"}
    assert expected <= set(params)
    assert params["base_model"]["defaultValue"] == "epfl-llm/meditron-7b"
    assert params["precision"]["defaultValue"] == "4bit"
    assert params["num_synthetic_examples"]["defaultValue"] == 5000
    assert params["gate_threshold"]["defaultValue"] == 1.0
    assert all(p.get("isOptional") and p.get("description") for p in params.values())


def test_parallelism_is_a_compile_time_setting(tmp_path):
    path = tmp_path / "p.yaml"
    _compile(path, "{'parallelism': 2}")
    spec, _ = yaml.safe_load_all(path.read_text())
    loop = next(t for t in spec["root"]["dag"]["tasks"].values() if "parameterIterator" in t)
    assert loop["iteratorPolicy"]["parallelismLimit"] == 2


def test_fingerprint_follows_content_local(tmp_path):
    d = tmp_path / "pdfs"
    d.mkdir()
    (d / "a.pdf").write_bytes(b"%PDF-1 one")
    first = storage.fingerprint(str(d))
    assert first == storage.fingerprint(str(d)) and len(first) == 64
    (d / "a.pdf").write_bytes(b"%PDF-1 two")
    assert storage.fingerprint(str(d)) != first
    assert storage.fingerprint("") == ""


def test_fingerprint_follows_content_s3(s3_env, tmp_path):
    src = tmp_path / "mirror"
    src.mkdir()
    (src / "medqa.jsonl").write_text('{"q": 1}\n')
    uri = storage.join(s3_env, "mirror")
    storage.upload_tree(src, uri)
    first = storage.fingerprint(uri)
    assert first == storage.fingerprint(uri + "/")
    one = storage.fingerprint(storage.join(uri, "medqa.jsonl"))  # a single object
    storage.write_text(storage.join(uri, "medqa.jsonl"), '{"q": 2}\n')
    assert storage.fingerprint(uri) != first
    assert storage.fingerprint(storage.join(uri, "medqa.jsonl")) not in ("", one)
