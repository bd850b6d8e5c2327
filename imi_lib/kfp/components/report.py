from typing import List

from kfp import dsl
from kfp.dsl import HTML, Artifact, Input, Metrics, Model, Output

from imi_lib.kfp.components.images import IMAGE_CPU


@dsl.component(base_image=IMAGE_CPU, install_kfp_package=False)
def report(models: Input[List[Model]], results: Input[List[Artifact]], page: Output[HTML],
           summary: Output[Artifact], metrics: Output[Metrics]):
    """Summarise every adapter: quality gate, base vs adapter metrics and the training loss curve.

    Args:
        models: the trained adapters (one per adapter, from the fan-out).
        results: their evaluation results.
        page: the HTML report.
        summary: the report's numbers and every adapter's artifact locations, as JSON.
        metrics: adapters evaluated/passed and each adapter's perplexities, shown in the KFP UI.
    """
    from imi_lib.core import config
    from imi_lib.evaluation import report as stage
    from imi_lib.evaluation.report import write_kfp_metrics

    out = stage.run(config.from_dict(stage.ReportConfig, {
        "inputs": [a.path for a in models] + [a.path for a in results], "out": page.path,
        "summary_out": summary.path}))
    write_kfp_metrics(metrics, out["metrics"])
