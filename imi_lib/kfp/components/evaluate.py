from kfp import dsl
from kfp.dsl import Artifact, Dataset, Input, Metrics, Model, Output

from imi_lib.kfp.components.images import IMAGE_GPU


@dsl.component(base_image=IMAGE_GPU, install_kfp_package=False)
def evaluate(final: Input[Dataset], model: Input[Model], adapter: str, base_model: str, precision: str,
             gate_threshold: float, num_samples: int, mcq_max_items: int, results: Output[Artifact],
             metrics: Output[Metrics], max_new_tokens: int = 0, max_val_records: int = 0, batch_size: int = 0,
             allow_cpu: bool = False):
    """Step 4: validation perplexity, sample generations and MCQ accuracy, base model vs adapter.

    Args:
        final: the prepared data (validation split and evaluation sets).
        model: the trained adapter.
        adapter: which adapter.
        base_model: the base model the adapter was trained on.
        precision: precision to load the base model in.
        gate_threshold: the adapter passes when its perplexity < base perplexity x this.
        num_samples: validation prompts to generate from (base vs adapter) for manual review.
        mcq_max_items: score at most this many questions per evaluation set (0 = all).
        max_new_tokens: longest generated sample in tokens (0 = the stage's default, 128).
        max_val_records: val records for perplexity (0 = all).
        batch_size: rows per forward pass, MCQ questions with all their options in one row (0 = the stage's default, 8).
        results: `<adapter>/evaluation_results.json` and samples.md.
        metrics: perplexities, accuracy and passed_gate, shown in the KFP UI.
        allow_cpu: run without a CUDA GPU (otherwise the task stops at once and says what is missing).
    """
    from imi_lib.core import config
    from imi_lib.evaluation import evaluate as stage
    from imi_lib.evaluation.report import ui_metrics, write_kfp_metrics
    from imi_lib.training import devices

    devices.require_cuda("evaluate", precision, allow_cpu=allow_cpu)

    out = stage.run(config.from_dict(stage.EvaluateConfig, {
        "final_dir": final.path, "output_dir": model.path, "results_dir": results.path, "adapter": adapter, "base_model": base_model,
        "precision": precision, "gate_threshold": gate_threshold, "num_samples": num_samples,
        "mcq_max_items": mcq_max_items or None,
        **{k: v for k, v in {"max_new_tokens": max_new_tokens, "max_val_records": max_val_records,
                             "batch_size": batch_size}.items() if v}}))
    write_kfp_metrics(metrics, ui_metrics(out["adapters"][adapter]))
