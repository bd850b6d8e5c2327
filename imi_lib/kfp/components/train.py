from kfp import dsl
from kfp.dsl import Dataset, Input, Metrics, Model, Output

from imi_lib.kfp.components.images import IMAGE_GPU


@dsl.component(base_image=IMAGE_GPU, install_kfp_package=False)
def train(final: Input[Dataset], adapter: str, base_model: str, precision: str, epochs: int,
          learning_rate: float, max_steps: int, max_seq_length: int, checkpoint_root: str, model: Output[Model],
          metrics: Output[Metrics], batch_size: int = 0, max_val_records: int = 0, allow_cpu: bool = False,
          gpus_per_adapter: int = 1, nodes_per_adapter: int = 1):
    """Step 3: train one LoRA/QLoRA adapter on its prepared split.

    Args:
        final: the prepared data (`{adapter}_train.json`, `{adapter}_val.json`).
        adapter: which of the six adapters.
        base_model: hub id, s3:// prefix, local directory, builtin:smollm2 or builtin:tiny.
        precision: 4bit (QLoRA), 8bit, full or auto.
        epochs: epochs; 0 = the adapter's default from the guide's table.
        learning_rate: learning rate; 0 = the adapter's default.
        max_steps: stop after this many optimizer steps (0 = no limit).
        max_seq_length: tokens per training row (0 = the model's context, at most 2048).
        batch_size: rows per micro-batch (0 = the stage's default, 4).
        max_val_records: val records for the closing val loss (0 = all).
        checkpoint_root: prefix (s3:// or local) for checkpoints that outlive the pod, so a retried
            task resumes; "" keeps them inside the task.
        model: `<adapter>/` with adapter_model.safetensors, adapter_config.json, training_log.jsonl and
            train_config.json (the effective config).
        allow_cpu: train without a CUDA GPU (otherwise the task stops at once and says what is missing).
        metrics: final loss, val loss, tokens/s and steps, shown in the KFP UI.
        gpus_per_adapter: GPUs per node; above 1 (or nodes_per_adapter above 1) this task submits a Kubeflow
            Trainer TrainJob (imi_lib.kfp.trainjob) and waits for it instead of training in its own pod.
        nodes_per_adapter: nodes of that TrainJob.
    """
    import hashlib
    import json
    from pathlib import Path

    from imi_lib.core import config, storage
    from imi_lib.training import devices
    from imi_lib.training import train as stage

    given = {"epochs": epochs, "learning_rate": learning_rate, "max_steps": max_steps, "max_seq_length": max_seq_length,
             "batch_size": batch_size, "max_val_records": max_val_records}
    overrides = {k: v for k, v in given.items() if v}  # 0 = the stage's default
    if checkpoint_root:
        # Keyed on the inputs, not the run id: a retried pod finds (and train resumes) its checkpoints,
        # and KFP can still cache this task across runs.
        shape = [final.uri, adapter, base_model, precision, given]
        key = hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:16]
        overrides["checkpoint_dir"] = storage.join(checkpoint_root, key, adapter)
    if gpus_per_adapter > 1 or nodes_per_adapter > 1:
        from imi_lib.kfp import trainjob
        from imi_lib.kfp.components.images import IMAGE_GPU

        if "checkpoint_dir" not in overrides:
            raise ValueError("a TrainJob needs checkpoint_root (an s3:// prefix the job's pods share)")
        output_uri = storage.join(overrides["checkpoint_dir"], "trainjob-output")
        flags = {k: v for k, v in overrides.items() if k != "checkpoint_dir"}
        trainjob.run(trainjob.TrainJobRequest(
            adapter=adapter, final_uri=final.uri, output_uri=output_uri, checkpoint_uri=overrides["checkpoint_dir"],
            image=IMAGE_GPU, nodes=nodes_per_adapter, gpus_per_node=gpus_per_adapter,
            train_flags={"base_model": base_model, "precision": precision, **flags}))
        storage.download_tree(storage.join(output_uri, adapter), Path(model.path, adapter), require_manifest=True)
        summary = json.loads(storage.read_text(storage.join(output_uri, "train_summary.json")))
    else:
        devices.require_cuda("train", precision, allow_cpu=allow_cpu)  # fail fast: no GPU, old driver, CPU bitsandbytes
        summary = stage.run(config.from_dict(stage.TrainConfig, {
            "final_dir": final.path, "output_dir": model.path, "adapter": adapter, "base_model": base_model,
            "precision": precision, **overrides}))
    result = summary["adapters"].get(adapter, {})
    for key in ("final_loss", "val_loss", "tokens_per_s", "steps"):
        if result.get(key) is not None:
            metrics.log_metric(key, float(result[key]))
    # a file behind the artifact too: kfp.local's cache treats an artifact without one as missing
    Path(metrics.path).parent.mkdir(parents=True, exist_ok=True)
    Path(metrics.path).write_text(json.dumps(metrics.metadata, sort_keys=True))
