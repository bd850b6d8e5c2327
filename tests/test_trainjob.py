"""The TrainJob path: what the adapter's train task submits, against an in-process fake Kubernetes API.

The fake speaks the few endpoints the `kubeflow` SDK's Kubernetes backend
uses (ConfigMap, ClusterTrainingRuntime, TrainJob create/get, pod list) over
real HTTP on 127.0.0.1, so the SDK's own client code runs unchanged.
"""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from imi_lib.kfp import trainjob

GROUP = "/apis/trainer.kubeflow.org/v1alpha1"
RUNTIME = {
    "apiVersion": "trainer.kubeflow.org/v1alpha1", "kind": "ClusterTrainingRuntime",
    "metadata": {"name": "torch-distributed", "labels": {"trainer.kubeflow.org/framework": "torch"}},
    "spec": {"mlPolicy": {"numNodes": 1, "torch": {"numProcPerNode": "auto"}},
             "template": {"spec": {"replicatedJobs": [{
                 "name": "node", "replicas": 1,
                 "template": {"metadata": {"labels": {"trainer.kubeflow.org/trainjob-ancestor-step": "trainer"}},
                              "spec": {"template": {"spec": {"containers": [
                                  {"name": "node", "image": "pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime",
                                   "command": ["torchrun", "/workspace/train.py"]}]}}}}}]}}},
}


class FakeKube:
    """Records created TrainJobs; each GET of a job advances it along `script` (Created, or a condition)."""

    def __init__(self, script):
        self.script, self.jobs, self.gets = list(script), {}, 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, code, body):
                raw = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self):
                path = self.path.split("?")[0]
                if path == "/api/v1/namespaces/kubeflow-system/configmaps/kubeflow-trainer-public":
                    return self._send(200, {"apiVersion": "v1", "kind": "ConfigMap",
                                            "metadata": {"name": "kubeflow-trainer-public"},
                                            "data": {"kubeflow_trainer_version": "v2.1.0"}})
                if path == f"{GROUP}/clustertrainingruntimes/torch-distributed":
                    return self._send(200, RUNTIME)
                if path.startswith("/api/v1/namespaces/") and path.endswith("/pods"):
                    return self._send(200, {"apiVersion": "v1", "kind": "PodList", "metadata": {}, "items": []})
                if "/trainjobs/" in path:
                    job = fake.jobs.get(path.rsplit("/", 1)[-1])
                    if job is None:
                        return self._send(404, {"kind": "Status", "code": 404})
                    fake.gets += 1
                    state = fake.script.pop(0) if len(fake.script) > 1 else fake.script[0]
                    conditions = [{"type": state, "status": "True", "reason": state, "message": state,
                                   "lastTransitionTime": "2026-01-01T00:00:00Z"}] if state != "Created" else []
                    return self._send(200, {**job, "status": {"conditions": conditions}})
                return self._send(404, {"kind": "Status", "code": 404, "message": f"no {path}"})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                ns = self.path.split("/namespaces/")[1].split("/")[0]
                body["metadata"].update(namespace=ns, creationTimestamp="2026-01-01T00:00:00Z")
                fake.jobs[body["metadata"]["name"]] = body
                return self._send(201, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def client(self):
        from kubeflow.trainer import KubernetesBackendConfig, TrainerClient
        from kubernetes import client

        conf = client.Configuration()
        conf.host = f"http://127.0.0.1:{self.server.server_address[1]}"
        return TrainerClient(KubernetesBackendConfig(namespace="imi", client_configuration=conf))


def _request(**kw):
    values = dict(adapter="patient_triage", final_uri="s3://imi-train/pipeline-root/run/final",
                  output_uri="s3://imi-train/checkpoints/k/trainjob-output",
                  checkpoint_uri="s3://imi-train/checkpoints/k/patient_triage",
                  image="ghcr.io/example/imi-train-gpu@sha256:abc", nodes=2, gpus_per_node=4,
                  train_flags={"base_model": "epfl-llm/meditron-70b", "precision": "4bit", "max_steps": 100})
    values.update(kw)
    return trainjob.TrainJobRequest(**values)


def test_submitted_trainjob_runs_imi_train_under_torchrun_with_secrets_and_s3(tmp_path):
    log = io.StringIO()
    with FakeKube(["Created", "Created", "Complete"]) as kube:
        name = trainjob.run(_request(), client=kube.client(), poll_seconds=0.01, out=log)
    job = kube.jobs[name]
    spec = job["spec"]
    assert job["kind"] == "TrainJob" and job["metadata"]["namespace"] == "imi"
    assert job["metadata"]["labels"]["imi-train/adapter"] == "patient_triage"
    assert spec["runtimeRef"]["name"] == "torch-distributed"
    t = spec["trainer"]
    assert t["image"] == "ghcr.io/example/imi-train-gpu@sha256:abc" and t["numNodes"] == 2
    assert t["resourcesPerNode"]["limits"]["nvidia.com/gpu"] == 4
    assert {"name": "PET_NPROC_PER_NODE", "value": "4"} in t["env"]
    cmd = t["command"]
    assert cmd[:5] == ["torchrun", "-m", "imi_lib.cli", "train", "--adapter"]
    flags = dict(zip(cmd[4::2], cmd[5::2]))
    assert flags["--final-dir"] == "s3://imi-train/pipeline-root/run/final"
    assert flags["--checkpoint-dir"] == "s3://imi-train/checkpoints/k/patient_triage"  # a retry resumes
    assert flags["--base-model"] == "epfl-llm/meditron-70b" and flags["--precision"] == "4bit"
    patch = spec["runtimePatches"][0]["trainingRuntimeSpec"]["template"]["spec"]["replicatedJobs"][0]
    env = patch["template"]["spec"]["template"]["spec"]["containers"][0]["env"]
    refs = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in env}
    assert refs["AWS_SECRET_ACCESS_KEY"] == {"name": "imi-s3-credentials", "key": "AWS_SECRET_ACCESS_KEY",
                                             "optional": False}
    assert refs["HF_TOKEN"]["name"] == "imi-hf-token" and refs["HF_TOKEN"]["optional"] is True
    assert not any("value" in e for e in env)  # secrets by reference only
    lines = log.getvalue().splitlines()
    assert lines[0].startswith(f"imi train: patient_triage: TrainJob {name} submitted (2 node(s) x 4 GPU(s)")
    # each status change once, in order
    assert [x.rsplit(": ", 1)[-1] for x in lines[1:]] == ["Created", "Complete"]


def test_failed_trainjob_fails_the_task():
    with FakeKube(["Created", "Failed"]) as kube:
        with pytest.raises(RuntimeError, match="TrainJob .* of adapter patient_triage failed"):
            trainjob.run(_request(), client=kube.client(), poll_seconds=0.01, out=io.StringIO())


def test_trainjob_refuses_local_paths():
    with pytest.raises(ValueError, match="share only object storage"):
        trainjob.build(_request(final_uri="/tmp/final"))


def test_compiled_pipeline_routes_scale_out_parameters_to_train(tmp_path):
    from imi_lib.kfp.pipeline import compile_pipeline

    docs = list(yaml.safe_load_all(compile_pipeline(tmp_path / "p.yaml").read_text()))
    spec = docs[0]
    params = spec["root"]["inputDefinitions"]["parameters"]
    assert params["gpus_per_adapter"]["defaultValue"] == 1 and params["nodes_per_adapter"]["defaultValue"] == 1
    train_inputs = spec["components"]["comp-train"]["inputDefinitions"]["parameters"]
    assert {"gpus_per_adapter", "nodes_per_adapter"} <= set(train_inputs)
    loop = next(t for t in spec["root"]["dag"]["tasks"].values() if "componentRef" in t
                and t["componentRef"]["name"].startswith("comp-for-loop"))
    loop_dag = spec["components"][loop["componentRef"]["name"]]["dag"]["tasks"]
    given = loop_dag["train"]["inputs"]["parameters"]
    assert given["gpus_per_adapter"]["componentInputParameter"] == "pipelinechannel--gpus_per_adapter"
    assert given["nodes_per_adapter"]["componentInputParameter"] == "pipelinechannel--nodes_per_adapter"
    source = "\n".join(spec["deploymentSpec"]["executors"]["exec-train"]["container"]["command"])
    assert "trainjob.run(trainjob.TrainJobRequest(" in source  # the body that submits, embedded in the YAML
