"""The report shows learning at a glance: base-vs-adapter perplexity bars, loss curves with the val loss
marked, samples side by side."""

import math

from imi_lib.evaluation import report
from imi_lib.evaluation.report import AdapterRun


def _run(name, base, adapter):
    return AdapterRun(adapter=name, results={
        "adapter": name, "passed_gate": adapter < base, "perplexity": {"base": base, "adapter": adapter},
        "samples": [{"id": "x", "prompt": "<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n",
                     "reference": "Ref <answer>", "base": "Base text", "adapter": "Adapter text",
                     "base_ended": "max_new_tokens", "adapter_ended": "end_of_turn"}]},
        loss_log=[{"step": 1, "loss": 3.0}, {"step": 2, "loss": 2.5}, {"step": 3, "loss": 2.0}])


def test_html_report_has_the_chart_the_val_marks_and_the_samples_side_by_side():
    runs = [_run("patient_triage", 20.0, 10.0), _run("education", 8.0, 6.0)]
    page = report.render_html(runs)
    chart = page[page.index('<svg class="ppl-chart"'):]
    chart = chart[:chart.index("</svg>")]
    assert "patient_triage" in chart and "(-50%)" in chart and "(-25%)" in chart
    assert page.count('class="val-loss"') == 2 and page.count('class="base-val-loss"') == 2
    assert f"val {math.log(10.0):.3g}" in page and f"base val {math.log(20.0):.3g}" in page
    assert page.count('<table class="samples">') == 2
    assert "Ref &lt;answer&gt;" in page and "stopped: end of turn" in page and "stopped: max new tokens" in page


def test_loss_curve_without_evaluation_has_no_val_marks():
    svg = report.loss_curve_svg([{"step": 1, "loss": 2.0}, {"step": 2, "loss": 1.0}])
    assert 'class="loss"' in svg and "val-loss" not in svg
    assert report.perplexity_chart_svg([AdapterRun(adapter="research")]) == ""
