"""The IMI Train pipeline: data stages -> prepare -> one train/evaluate per adapter -> report -> publish.

    fingerprint(hub mirror) -> collect ---.
    fingerprint(PDFs) ------> ingest -----+-> prepare -> ParallelFor(adapters) { train -> evaluate }
    synthesize ---------------------------'                 -> Collected -> report -> publish

The same function runs on a Kubeflow cluster (compiled to
`pipelines/imi_training.yaml`; upload it in the KFP UI or use `imi submit`)
and on a laptop through `kfp.local` (`imi run`). Settings that only a
cluster understands (GPUs, CPU/memory, node placement, retries, the S3
Secret, the optional Hugging Face token Secret) are set here and ignored by kfp.local.

Caching. KFP reuses a task's outputs when its inputs are unchanged. It keys
on parameter strings, not on what an s3:// URI points to, so the two tasks
that read the outside world (collect: the hub mirror, ingest: the PDF
prefix) take a content hash from an uncached `fingerprint` task as an input
and are cached on it: new PDFs rerun ingest and everything after it, an
unchanged bucket reuses everything. With `hub_mirror_uri` empty, collect
reads the hub at the dataset revisions pinned in `imi_lib.data.collect`, which
the code (and so the image) determines. `publish` writes to the registry
and is never cached (it is idempotent: a version that is already complete
is left alone).

Regenerate the committed YAML with `make compile` (tests fail when it is stale).
"""

# no `from __future__ import annotations`: KFP reads the pipeline signature's types at runtime

from dataclasses import dataclass
from pathlib import Path
from typing import List, NamedTuple

from kfp import compiler, dsl, kubernetes
from kfp.dsl import HTML, Artifact

from imi_lib.kfp.components import collect, evaluate, fingerprint, ingest, prepare, publish, report, synthesize, train
from imi_lib.core.adapters import ADAPTERS
from imi_lib.training.modeling import DEFAULT_BASE_MODEL

PIPELINE_NAME = "imi-training"
PIPELINE_DESCRIPTION = (
    "IMI Train: medical datasets, regulatory PDFs and synthetic cases -> six domain LoRA adapters on Meditron, "
    "evaluated against the base model; adapters that pass the gate go to the adapter registry."
)

# The Kubernetes Secret the tasks read object-store access from (manifests/base/s3-credentials-secret.yaml);
# boto3 reads these variables itself. Only the Secret's name is in the YAML, never a value.
S3_SECRET_NAME = "imi-s3-credentials"
S3_SECRET_KEYS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION")
# The optional Secret with a Hugging Face token (manifests/base/hf-token-secret.yaml) for gated or private
# models and datasets; huggingface_hub reads HF_TOKEN itself. Optional: without the Secret the tasks run
# anonymously, which is all public repositories need.
HF_SECRET_NAME = "imi-hf-token"
HF_SECRET_KEY = "HF_TOKEN"

# Defaults inside the bucket the manifests set up (defaultPipelineRoot is s3://imi-train/pipeline-root).
DEFAULT_REGISTRY_URI = "s3://imi-train/adapter-registry"
DEFAULT_CHECKPOINT_ROOT = "s3://imi-train/checkpoints"
DEFAULT_SEED = 42


@dataclass(frozen=True)
class ClusterSettings:
    """Compile-time settings of the cluster run. kfp.local ignores all but `parallelism`'s shape.

    `parallelism` caps how many adapters train at once (how many GPUs one run
    holds). KFP stores it in the compiled YAML as an integer, so it is set
    here at compile time (`imi compile --parallelism N`), not as a run parameter.
    """

    parallelism: int = 6
    s3_secret_name: str = S3_SECRET_NAME
    # GPU placement: nodes labelled by the NVIDIA GPU operator, tainted so that only GPU work lands there.
    gpu_node_label: tuple[str, str] = ("nvidia.com/gpu.present", "true")
    gpu_taint_key: str = "nvidia.com/gpu"
    # One GPU per adapter; Meditron-7B in 4-bit needs ~16 GB of GPU memory, host memory for loading and data.
    gpu_cpu: tuple[str, str] = ("4", "8")  # request, limit
    gpu_memory: tuple[str, str] = ("32G", "48G")
    data_cpu: tuple[str, str] = ("1", "4")
    data_memory: tuple[str, str] = ("4G", "16G")
    small_cpu: tuple[str, str] = ("100m", "1")
    small_memory: tuple[str, str] = ("256M", "2G")
    # Train resumes from its checkpoints, so a preempted or OOM-killed pod loses little.
    train_retries: int = 3
    train_backoff: str = "120s"
    train_backoff_factor: float = 2.0


def _resources(task: dsl.PipelineTask, cpu: tuple[str, str], memory: tuple[str, str]) -> dsl.PipelineTask:
    return (task.set_cpu_request(cpu[0]).set_cpu_limit(cpu[1])
            .set_memory_request(memory[0]).set_memory_limit(memory[1]))


def _s3_access(task: dsl.PipelineTask, settings: ClusterSettings) -> dsl.PipelineTask:
    return kubernetes.use_secret_as_env(task, secret_name=settings.s3_secret_name,
                                        secret_key_to_env={k: k for k in S3_SECRET_KEYS})


def _hub_access(task: dsl.PipelineTask) -> dsl.PipelineTask:
    return kubernetes.use_secret_as_env(task, secret_name=HF_SECRET_NAME,
                                        secret_key_to_env={HF_SECRET_KEY: HF_SECRET_KEY}, optional=True)


def _on_gpu(task: dsl.PipelineTask, settings: ClusterSettings) -> dsl.PipelineTask:
    task.set_accelerator_type("nvidia.com/gpu").set_accelerator_limit(1)
    _resources(task, settings.gpu_cpu, settings.gpu_memory)
    kubernetes.add_node_selector(task, label_key=settings.gpu_node_label[0], label_value=settings.gpu_node_label[1])
    kubernetes.add_toleration(task, key=settings.gpu_taint_key, operator="Exists", effect="NoSchedule")
    return task


class PipelineOutputs(NamedTuple):
    report: HTML
    summary: Artifact
    published: Artifact


def make_pipeline(settings: ClusterSettings = ClusterSettings()):
    """The pipeline function for these cluster settings."""

    @dsl.pipeline(name=PIPELINE_NAME, description=PIPELINE_DESCRIPTION)
    def imi_training_pipeline(
        adapters: List[str] = list(ADAPTERS),
        base_model: str = DEFAULT_BASE_MODEL,
        precision: str = "4bit",
        epochs: int = 0,
        learning_rate: float = 0.0,
        max_steps: int = 0,
        max_seq_length: int = 0,
        num_synthetic_examples: int = 5000,
        seed: int = DEFAULT_SEED,
        hub_mirror_uri: str = "",
        max_rows_per_source: int = 0,
        pdf_uri: str = "",
        gate_threshold: float = 1.0,
        eval_samples: int = 5,
        eval_max_items: int = 0,
        batch_size: int = 0,
        eval_max_new_tokens: int = 0,
        eval_max_val_records: int = 0,
        eval_batch_size: int = 0,
        registry_uri: str = DEFAULT_REGISTRY_URI,
        checkpoint_root: str = DEFAULT_CHECKPOINT_ROOT,
        allow_cpu: bool = False,
        gpus_per_adapter: int = 1,
        nodes_per_adapter: int = 1,
    ) -> PipelineOutputs:
        """Train, evaluate and publish the IMI adapters.

        Args:
            adapters: adapters to train (default: all six).
            base_model: hub id, s3:// prefix with the weights, builtin:smollm2 or builtin:tiny.
            precision: 4bit (QLoRA, default), 8bit, full or auto.
            epochs: epochs for every adapter; 0 = each adapter's default from the guide.
            learning_rate: learning rate for every adapter; 0 = each adapter's default.
            max_steps: stop each training after this many steps (0 = no limit); for smoke runs.
            max_seq_length: tokens per training row; 0 = the model's context (at most 2048). Lower it when short of memory.
            num_synthetic_examples: synthetic examples to generate.
            seed: seed for synthetic generation and the train/validation split.
            hub_mirror_uri: s3:// prefix (or path) with a mirror of the hub datasets; "" reads the hub.
            max_rows_per_source: rows taken from each dataset (0 = all).
            pdf_uri: s3:// prefix (or path) with the organisation's regulatory PDFs; "" = none.
            gate_threshold: an adapter passes when its perplexity < base perplexity x this.
            eval_samples: validation prompts each adapter generates from, base vs adapter, for review.
            eval_max_items: questions scored per evaluation set (MedQA, MedMCQA, PubMedQA); 0 = all.
            batch_size: training rows per micro-batch; 0 = the train stage's default (4).
            eval_max_new_tokens: longest generated sample in tokens; 0 = the evaluate stage's default (128).
            eval_max_val_records: validation records scored (train's val loss, evaluate's perplexity); 0 = all.
            eval_batch_size: rows per evaluation forward pass (MCQ: questions, each with all its options in one row); 0 = the evaluate stage's default (8).
            registry_uri: where adapters that pass the gate are published.
            checkpoint_root: where training checkpoints outlive a pod, so retries resume.
            allow_cpu: let train and evaluate run without a CUDA GPU (smoke runs on builtin:tiny). Off: they stop
                at once and say what is missing (no GPU in the pod, a driver too old, bitsandbytes without CUDA).
            gpus_per_adapter: GPUs per node for one adapter; above 1 (or nodes_per_adapter above 1) its train task
                submits a Kubeflow Trainer TrainJob (runtime torch-distributed) instead of training in its own pod.
            nodes_per_adapter: nodes per adapter's TrainJob.
        """
        hub_hash = fingerprint(uri=hub_mirror_uri).set_display_name("fingerprint-hub-mirror")
        pdf_hash = fingerprint(uri=pdf_uri).set_display_name("fingerprint-pdfs")
        raw = collect(hub_mirror_uri=hub_mirror_uri, hub_fingerprint=hub_hash.output,
                      max_rows_per_source=max_rows_per_source)
        processed = ingest(pdf_uri=pdf_uri, pdf_fingerprint=pdf_hash.output)
        synthetic = synthesize(num_examples=num_synthetic_examples, seed=seed)
        final = prepare(raw=raw.outputs["raw"], processed=processed.outputs["processed"],
                        synthetic=synthetic.outputs["synthetic"], seed=seed)

        for task in (hub_hash, pdf_hash):
            task.set_caching_options(enable_caching=False)
            _resources(task, settings.small_cpu, settings.small_memory)
            _s3_access(task, settings)
        for task in (raw, processed, synthetic, final):
            _resources(task, settings.data_cpu, settings.data_memory)
        for task in (raw, processed):
            _s3_access(task, settings)
        _hub_access(raw)

        # No name= on this loop: a named ParallelFor breaks dsl.Collected of its outputs.
        with dsl.ParallelFor(adapters, parallelism=settings.parallelism) as adapter:
            trained = train(final=final.outputs["final"], adapter=adapter, base_model=base_model,
                            precision=precision, epochs=epochs, learning_rate=learning_rate,
                            max_steps=max_steps, max_seq_length=max_seq_length, checkpoint_root=checkpoint_root,
                            batch_size=batch_size, max_val_records=eval_max_val_records, allow_cpu=allow_cpu,
                            gpus_per_adapter=gpus_per_adapter, nodes_per_adapter=nodes_per_adapter)
            _on_gpu(trained, settings)
            _s3_access(trained, settings)
            _hub_access(trained)
            trained.set_retry(num_retries=settings.train_retries, backoff_duration=settings.train_backoff,
                              backoff_factor=settings.train_backoff_factor)
            evaluated = evaluate(final=final.outputs["final"], model=trained.outputs["model"], adapter=adapter,
                                 base_model=base_model, precision=precision, gate_threshold=gate_threshold,
                                 num_samples=eval_samples, mcq_max_items=eval_max_items,
                                 max_new_tokens=eval_max_new_tokens, max_val_records=eval_max_val_records,
                                 batch_size=eval_batch_size, allow_cpu=allow_cpu)
            _on_gpu(evaluated, settings)
            _s3_access(evaluated, settings)
            _hub_access(evaluated)

        # One dsl.Collected per consumer: the compiler rejects sharing one between two tasks.
        summary = report(models=dsl.Collected(trained.outputs["model"]),
                         results=dsl.Collected(evaluated.outputs["results"]))
        _resources(summary, settings.small_cpu, settings.small_memory)
        published = publish(models=dsl.Collected(trained.outputs["model"]),
                            results=dsl.Collected(evaluated.outputs["results"]), registry_uri=registry_uri)
        published.set_caching_options(enable_caching=False)
        published.after(summary)
        _resources(published, settings.small_cpu, settings.small_memory)
        _s3_access(published, settings)
        return PipelineOutputs(report=summary.outputs["page"], summary=summary.outputs["summary"],
                               published=published.outputs["published"])

    return imi_training_pipeline


imi_training_pipeline = make_pipeline()


def compile_pipeline(path: str | Path, settings: ClusterSettings = ClusterSettings()) -> Path:
    """Write the compiled pipeline (two YAML documents: the pipeline spec, then the Kubernetes platform spec)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pipeline = imi_training_pipeline if settings == ClusterSettings() else make_pipeline(settings)
    compiler.Compiler().compile(pipeline, str(path))
    return path
