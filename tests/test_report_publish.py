"""`imi report` and `imi publish` on hand-made adapter directories (no training)."""

import json
import re
from pathlib import Path

import pytest

from imi_lib.core import config, storage
from imi_lib.evaluation import publish, report
from imi_lib.cli import main as imi


def _adapter(root: Path, name: str, *, passed: bool | None, ppl=(12.0, 9.5), losses=(2.5, 2.1, 1.8, 1.6),
             weights: bytes = b"weights", with_results: bool = True) -> Path:
    d = root / name
    d.mkdir(parents=True)
    (d / "adapter_config.json").write_text(json.dumps({"r": 16, "lora_alpha": 32}))
    (d / "adapter_model.safetensors").write_bytes(weights)
    (d / "checkpoint-2").mkdir()
    (d / "checkpoint-2" / "optimizer.pt").write_bytes(b"not part of the adapter")
    log = [{"step": 2 * (i + 1), "loss": v, "learning_rate": 2e-4} for i, v in enumerate(losses)]
    log.append({"step": 8, "eval_loss": 1.7})
    (d / report.TRAINING_LOG).write_text("\n".join(json.dumps(r) for r in log) + "\n" + '{"step": 9, "lo')
    if with_results:
        results = {"adapter": name, "perplexity": {"base": ppl[0], "adapter": ppl[1]}, "config": {"batch_size": 8},
                   "mcq": {"accuracy": 0.25, "items": 8}, "samples": [{"prompt": "<b>hi</b>", "output": "x"}]}
        if passed is not None:
            results["passed_gate"] = passed
        (d / report.RESULTS_FILE).write_text(json.dumps(results))
    storage.seal_dir(d)  # as train + evaluate publish it
    return d


@pytest.fixture
def adapters_dir(tmp_path):
    root = tmp_path / "adapters"
    _adapter(root, "patient_triage", passed=True)
    _adapter(root, "research", passed=False, ppl=(12.0, 14.0))
    _adapter(root, "education", passed=None, with_results=False)
    return root


def test_find_adapter_runs_reads_guide_layout_in_adapter_order(adapters_dir):
    runs = report.find_adapter_runs([adapters_dir])
    assert [r.adapter for r in runs] == ["patient_triage", "education", "research"]
    triage = runs[0]
    assert triage.passed_gate is True and triage.perplexity("adapter") == 9.5
    # the cut-off last line of a killed run is skipped, the rest is kept
    assert [r.get("loss") for r in triage.loss_log] == [2.5, 2.1, 1.8, 1.6, None]
    assert runs[1].results_path == "" and runs[1].passed_gate is None
    assert runs[2].passed_gate is False


def test_pipeline_layout_merges_model_and_results_artifacts_by_name(tmp_path):
    # the pipeline passes separate artifact dirs: the model (adapter files + log) and the results
    model = tmp_path / "iter0" / "model"
    _adapter(model, "clinical_pharmacist", passed=None, with_results=False)
    results = tmp_path / "iter0" / "results"
    results.mkdir(parents=True)
    (results / report.RESULTS_FILE).write_text(json.dumps(
        {"adapter": "clinical_pharmacist", "passed_gate": True, "perplexity": {"base": 5.0, "adapter": 4.0}}))
    runs = report.find_adapter_runs([model, results])
    assert len(runs) == 1
    r = runs[0]
    assert r.model_dir == str(model / "clinical_pharmacist")
    assert r.results_path == str(results / report.RESULTS_FILE)
    assert r.passed_gate is True and len(r.loss_log) == 5


def test_html_report_has_every_adapter_gate_metrics_and_loss_curve(adapters_dir, tmp_path):
    out = tmp_path / "r" / "report.html"
    summary = report.run(config.from_dict(report.ReportConfig, {"adapters_dir": str(adapters_dir), "out": str(out)}))
    page = out.read_text()
    for name in ("patient_triage", "research", "education"):
        assert f'id="{name}"' in page
    assert "PASSED" in page and "FAILED" in page and "not evaluated" in page
    assert "perplexity.adapter" in page and "9.5" in page and "mcq.accuracy" in page
    assert "config.batch_size" not in page  # provenance is not a metric column
    assert "&lt;b&gt;hi&lt;/b&gt;" in page and "<b>hi</b>" not in page  # generations are escaped
    # one train-loss polyline per adapter with one point per logged loss, plus the eval loss
    train_lines = re.findall(r'<polyline class="loss"[^>]*points="([^"]+)"', page)
    assert len(train_lines) == 3 and all(len(p.split()) == 4 for p in train_lines)
    assert page.count('class="eval_loss"') == 3
    assert summary["evaluated"] == 2 and summary["passed_gate"] == 1
    assert summary["metrics"]["patient_triage_perplexity_adapter"] == 9.5
    assert summary["metrics"]["research_passed_gate"] == 0.0
    assert json.loads(out.with_suffix(".json").read_text())["adapters"]["research"]["passed_gate"] is False


def test_markdown_report_and_cli(adapters_dir, tmp_path, capsys):
    out = tmp_path / "report.md"
    assert imi(["report", "--adapters-dir", str(adapters_dir), "--out", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("# IMI Train report")
    assert "| patient_triage | PASSED | 2.500 → 1.600 |" in text
    assert "[imi report] adapters=3 evaluated=2 passed_gate=1" in capsys.readouterr().err


def test_report_without_adapters_is_a_user_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert imi(["report", "--adapters-dir", str(tmp_path / "empty")]) == 2
    assert "no trained or evaluated adapter" in capsys.readouterr().err


def test_ui_metrics_flatten_numbers_and_gate():
    m = report.ui_metrics({"adapter": "x", "passed_gate": True, "perplexity": {"base": 3, "adapter": 2.5, "val_file": "v"},
                           "samples": [1, 2], "mcq": {"medqa": {"base_acc": 0.5, "n": 8}}, "seconds": 3.5,
                           "config": {"batch_size": 8}, "versions": {"torch": "2"}, "accuracy": 0.75})
    assert m == {"passed_gate": 1.0, "perplexity_base": 3.0, "perplexity_adapter": 2.5, "mcq_medqa_base_acc": 0.5,
                 "mcq_medqa_n": 8.0, "accuracy": 0.75}


def test_loss_curve_svg_scales_points_into_the_plot():
    svg = report.loss_curve_svg([{"step": 0, "loss": 4.0}, {"step": 10, "loss": 2.0}], width=100, height=60)
    pts = re.search(r'class="loss"[^>]*points="([^"]+)"', svg).group(1).split()
    (x0, y0), (x1, y1) = [tuple(map(float, p.split(","))) for p in pts]
    assert x0 < x1 and y0 < y1  # loss went down: the second point is lower on screen (larger y)
    assert all(0 <= v <= 100 for v in (x0, x1)) and all(0 <= v <= 60 for v in (y0, y1))
    assert "no loss logged" in report.loss_curve_svg([])


def _publish(adapters_dir, registry, **kw):
    return publish.run(config.from_dict(publish.PublishConfig,
                                        {"adapters_dir": str(adapters_dir), "registry_uri": registry, **kw}))


def test_publish_copies_only_adapters_that_passed_the_gate(adapters_dir, tmp_path):
    registry = tmp_path / "registry"
    summary = _publish(adapters_dir, str(registry))
    assert [p["adapter"] for p in summary["published"]] == ["patient_triage"]
    assert {s["adapter"]: s["reason"] for s in summary["skipped"]} == {
        "education": "not evaluated", "research": "did not pass the quality gate"}
    assert sorted(p.name for p in registry.iterdir()) == ["index.json", "patient_triage"]
    version = summary["published"][0]["version"]
    dest = registry / "patient_triage" / version
    assert sorted(storage.list_files(str(dest))) == sorted([
        "_IMI_COMPLETE.json", "adapter_config.json", "adapter_model.safetensors",
        "evaluation_results.json", "registry_entry.json"])  # no checkpoints, no training log
    manifest = json.loads((dest / storage.MANIFEST).read_text())
    assert set(manifest["files"]) == {"adapter_config.json", "adapter_model.safetensors",
                                      "evaluation_results.json", "registry_entry.json"}
    index = json.loads((registry / "index.json").read_text())
    assert index["adapters"]["patient_triage"]["latest"] == version
    assert index["adapters"]["patient_triage"]["versions"][version]["uri"] == str(dest)


def test_publish_is_idempotent_and_versions_by_content(adapters_dir, tmp_path):
    registry = str(tmp_path / "registry")
    first = _publish(adapters_dir, registry)["published"][0]
    again = _publish(adapters_dir, registry)["published"][0]
    assert again["status"] == "already published" and again["version"] == first["version"]
    # a retrained adapter (new weights) is a new version; the old one stays
    (adapters_dir / "patient_triage" / "adapter_model.safetensors").write_bytes(b"retrained")
    storage.seal_dir(adapters_dir / "patient_triage")
    third = _publish(adapters_dir, registry)["published"][0]
    assert third["status"] == "published" and third["version"] != first["version"]
    index = json.loads(Path(registry, "index.json").read_text())["adapters"]["patient_triage"]
    assert set(index["versions"]) == {first["version"], third["version"]} and index["latest"] == third["version"]


def test_publish_without_registry_is_a_config_error(adapters_dir):
    with pytest.raises(config.ConfigError, match="--registry-uri"):
        _publish(adapters_dir, "")


def test_publish_to_s3_registry_is_complete_and_verifiable(adapters_dir, tmp_path, s3_env):
    registry = f"{s3_env}/adapter-registry"
    summary = _publish(adapters_dir, registry, version="2024.1")
    dest = summary["published"][0]["uri"]
    assert dest == f"{registry}/patient_triage/2024.1" and storage.is_complete(dest)
    assert not storage.list_files(f"{registry}/research")
    got = storage.download_tree(dest, tmp_path / "dl", require_manifest=True)  # verifies checksums
    assert (got / "adapter_model.safetensors").read_bytes() == b"weights"
    assert json.loads(storage.read_text(f"{registry}/index.json"))["adapters"]["patient_triage"]["latest"] == "2024.1"


def test_summary_table_pairs_base_and_adapter_measurements(tmp_path):
    d = _adapter(tmp_path, "research", passed=True, with_results=False)
    (d / report.RESULTS_FILE).write_text(json.dumps({
        "adapter": "research", "passed_gate": True,
        "perplexity": {"base": 12.0, "adapter": 9.0, "base_nll": 100.0, "adapter_nll": 90.0},
        "mcq": {"medqa_test": {"base_acc": 0.25, "adapter_acc": 0.5, "base_acc_norm": 0.3, "adapter_acc_norm": 0.4,
                               "n": 8}}}))
    runs = report.find_adapter_runs([tmp_path])
    assert [label for label, _b, _a in report.headline_pairs(runs)] == ["perplexity", "mcq.medqa_test.acc"]
    text = report.render_markdown(runs)
    assert "| research | PASSED | 2.500 → 1.600 | 12 → 9 | 0.25 → 0.5 (n=8) |" in text
    assert "- mcq.medqa_test.base_acc_norm: 0.3" in text  # the rest stays in the details
