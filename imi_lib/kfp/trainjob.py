"""One adapter trained on several GPUs or nodes: a Kubeflow Trainer v2 `TrainJob` submitted from its pipeline task.

When the pipeline's `gpus_per_adapter` or `nodes_per_adapter` is above 1, the
adapter's train task does not train in-process: it submits a `TrainJob`
(runtime `torch-distributed`, the project's GPU image) through the `kubeflow`
SDK's `TrainerClient`, prints every status change into the task log, and
raises when the job fails, so KFP marks the task failed and its retry policy
applies. Each node runs `torchrun -m imi_lib.cli train ...`; the runtime sets
torchrun's PET_* variables (nodes, processes per node, rendezvous), so the
same `imi train` that runs on a laptop runs on every rank.

Data, checkpoints and the adapter live on S3 (the pods share nothing else):
the job reads `final/` from the task's input URI, keeps checkpoints under the
task's checkpoint prefix, so a retried task's job resumes where the failed
one stopped, and writes the adapter to an output prefix the task downloads
into its KFP artifact. Object-store and Hugging Face credentials come from
the same Kubernetes Secrets as the pipeline's own tasks, by reference.

The cluster needs Kubeflow Trainer v2 with the `torch-distributed`
ClusterTrainingRuntime and RBAC that lets the pipeline's service account
create and read TrainJobs (see docs/training.md).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field

RUNTIME = "torch-distributed"
S3_SECRET_NAME = "imi-s3-credentials"
S3_SECRET_KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION")
HF_SECRET_NAME = "imi-hf-token"
HF_SECRET_KEYS = ("HF_TOKEN",)
NODE_CONTAINER = "node"  # the trainer container's name in the torch-distributed runtime


@dataclass
class TrainJobRequest:
    """What one adapter's TrainJob runs."""

    adapter: str
    final_uri: str  # s3:// prefix holding {adapter}_train.json / _val.json
    output_uri: str  # s3:// prefix the job writes <adapter>/ into
    checkpoint_uri: str  # s3:// prefix of the adapter's checkpoints (shared by retries)
    image: str
    nodes: int = 1
    gpus_per_node: int = 1
    train_flags: dict = field(default_factory=dict)  # extra `imi train` flags, e.g. {"base_model": ...}
    s3_secret_name: str = S3_SECRET_NAME
    hf_secret_name: str = HF_SECRET_NAME
    cpu_per_node: str = "8"
    memory_per_node: str = "64G"


def train_command(req: TrainJobRequest) -> list[str]:
    """The command every node runs: torchrun (PET_* from the runtime) around `imi train`."""
    argv = ["torchrun", "-m", "imi_lib.cli", "train", "--adapter", req.adapter, "--final-dir", req.final_uri,
            "--output-dir", req.output_uri, "--checkpoint-dir", req.checkpoint_uri]
    for key, value in sorted(req.train_flags.items()):
        if value is None or value == "" or value is False:
            continue
        flag = "--" + key.replace("_", "-")
        argv += [flag] if value is True else [flag, str(value)]
    return argv


def _secret_env(name: str, keys, *, optional: bool) -> list[dict]:
    return [{"name": k, "valueFrom": {"secretKeyRef": {"name": name, "key": k, "optional": optional}}}
            for k in keys]


def build(req: TrainJobRequest) -> tuple:
    """(trainer, options) for `TrainerClient.train`: the container, its resources, command and secrets."""
    from kubeflow.trainer import CustomTrainerContainer
    from kubeflow.trainer.options.kubernetes import (
        ContainerPatch,
        JobSetSpecPatch,
        JobSetTemplatePatch,
        JobSpecPatch,
        JobTemplatePatch,
        Labels,
        PodSpecPatch,
        PodTemplatePatch,
        ReplicatedJobPatch,
        RuntimePatch,
        TrainerCommand,
        TrainingRuntimeSpecPatch,
    )

    for uri in (req.final_uri, req.output_uri, req.checkpoint_uri):
        if not uri.startswith("s3://"):
            raise ValueError(f"{uri}: a TrainJob's pods share only object storage; give an s3:// URI")
    trainer = CustomTrainerContainer(
        image=req.image, num_nodes=req.nodes,
        resources_per_node={"gpu": req.gpus_per_node, "cpu": req.cpu_per_node, "memory": req.memory_per_node},
        # one process per GPU; the runtime's own PET_NPROC_PER_NODE may say "auto"
        env={"PET_NPROC_PER_NODE": str(req.gpus_per_node), "OMP_NUM_THREADS": "1"},
    )
    env = (_secret_env(req.s3_secret_name, S3_SECRET_KEYS, optional=False)
           + _secret_env(req.hf_secret_name, HF_SECRET_KEYS, optional=True))
    pod = PodSpecPatch(containers=[ContainerPatch(name=NODE_CONTAINER, env=env)])
    patch = RuntimePatch(training_runtime_spec=TrainingRuntimeSpecPatch(template=JobSetTemplatePatch(
        spec=JobSetSpecPatch(replicated_jobs=[ReplicatedJobPatch(name=NODE_CONTAINER, template=JobTemplatePatch(
            spec=JobSpecPatch(template=PodTemplatePatch(spec=pod))))]))))
    options = [TrainerCommand(command=train_command(req)), patch,
               Labels(labels={"app.kubernetes.io/part-of": "imi-train", "imi-train/adapter": req.adapter})]
    return trainer, options


def run(req: TrainJobRequest, *, client=None, poll_seconds: float = 15.0, timeout_seconds: float = 7 * 24 * 3600,
        out=sys.stdout) -> str:
    """Submit the TrainJob, print its status changes, return its name once Complete; RuntimeError if it fails."""
    from kubeflow.trainer import TrainerClient

    client = client or TrainerClient()
    trainer, options = build(req)
    name = client.train(runtime=RUNTIME, trainer=trainer, options=options)
    print(f"imi train: {req.adapter}: TrainJob {name} submitted ({req.nodes} node(s) x {req.gpus_per_node} GPU(s), "
          f"runtime {RUNTIME})", file=out, flush=True)
    last = None
    deadline = time.monotonic() + timeout_seconds
    while True:
        job = client.get_job(name)
        steps = ", ".join(f"{s.name}={s.status}" for s in (job.steps or []))
        line = f"{job.status}" + (f" ({steps})" if steps else "")
        if line != last:
            print(f"imi train: {req.adapter}: TrainJob {name}: {line}", file=out, flush=True)
            last = line
        if job.status == "Complete":
            return name
        if job.status == "Failed":
            raise RuntimeError(f"TrainJob {name} of adapter {req.adapter} failed; "
                               f"see `kubectl logs -l jobset.sigs.k8s.io/jobset-name={name}`")
        if time.monotonic() > deadline:
            raise TimeoutError(f"TrainJob {name} of adapter {req.adapter} did not finish in {timeout_seconds:.0f}s")
        time.sleep(poll_seconds)
