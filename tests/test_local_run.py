"""End to end: the Kubeflow pipeline through kfp.local (`imi run`) on builtin:tiny and the bundled
fixtures, then a rerun that kfp.local serves from its cache."""

import json
from collections import Counter
from pathlib import Path

import pytest

from imi_lib.core import config
from imi_lib.kfp import local_run
from imi_lib.core.adapters import ADAPTERS
from imi_lib.cli import main as imi

# Small enough for CI on 2 cores; the defaults of `imi run` are larger.
SMALL = {"num_examples": 120, "max_steps": 3, "epochs": 1, "eval_samples": 1, "eval_max_items": 4,
         "base_model": "builtin:tiny"}
# Never cached by design: they read the outside world (fingerprints) or write to it (publish).
ALWAYS_RUN = Counter({"fingerprint": 1, "fingerprint-2": 1, "publish": 1})


@pytest.mark.slow
def test_pipeline_runs_end_to_end_then_reruns_from_the_cache(tmp_path):
    cfg = config.from_dict(local_run.LocalRunConfig, {"output_dir": str(tmp_path / "run"), **SMALL})
    first = local_run.run(cfg)

    assert not first["cached"]
    assert Counter(first["executed"]) == ALWAYS_RUN + Counter(
        {"collect": 1, "ingest": 1, "synthesize": 1, "prepare": 1, "train": 6, "evaluate": 6, "report": 1})
    assert list(first["adapters"]) == list(ADAPTERS)
    results_files = []
    for name, a in first["adapters"].items():
        assert Path(a["model_dir"], "adapter_model.safetensors").is_file()
        results = json.loads(Path(a["results_path"]).read_text())
        assert results["adapter"] == name and isinstance(results["passed_gate"], bool)
        assert results["perplexity"]["base"] > 0 and results["perplexity"]["adapter"] > 0
        assert a["loss_points"] > 0
        results_files.append(Path(a["results_path"]))

    page = Path(first["report"]).read_text()
    for name in ADAPTERS:
        assert f'id="{name}"' in page
    assert page.count('<polyline class="loss"') == len(ADAPTERS)

    registry = Path(first["registry"])
    passed = sorted(n for n, a in first["adapters"].items() if a["passed_gate"])
    assert sorted(first["published"]) == passed
    assert sorted(p.name for p in registry.iterdir() if p.is_dir()) == passed
    index = json.loads((registry / "index.json").read_text()) if passed else {"adapters": {}}
    assert sorted(index["adapters"]) == passed

    mtimes = {p: p.stat().st_mtime_ns for p in results_files}
    run_dirs = {p.name for p in (tmp_path / "run").iterdir() if p.name.startswith("imi-training-")}

    second = local_run.run(cfg)

    # every task whose inputs are unchanged came from kfp.local's cache...
    assert Counter(second["executed"]) == ALWAYS_RUN
    assert Counter(second["cached"]) == Counter(
        {"collect": 1, "ingest": 1, "synthesize": 1, "prepare": 1, "train": 6, "evaluate": 6, "report": 1})
    # ...so nothing was rewritten: the same artifacts, untouched, and no new train/evaluate output
    assert second["adapters"] == first["adapters"]
    assert {p: p.stat().st_mtime_ns for p in results_files} == mtimes
    (new_dir,) = {p.name for p in (tmp_path / "run").iterdir() if p.name.startswith("imi-training-")} - run_dirs
    assert not list((tmp_path / "run" / new_dir).rglob("model"))
    # publish ran again and found every version already complete
    published = json.loads(Path(second["published_file"]).read_text())["published"]
    assert all(p["status"] == "already published" for p in published)


def test_missing_fixture_directory_is_a_user_error(tmp_path, capsys):
    assert imi(["run", "--output-dir", str(tmp_path), "--pdfs", str(tmp_path / "nope")]) == 2
    assert "pdf_uri" in capsys.readouterr().err


def test_unknown_adapter_is_a_user_error(tmp_path, capsys):
    assert imi(["run", "--output-dir", str(tmp_path), "--adapters", "cardiology"]) == 2
    assert "unknown adapter 'cardiology'" in capsys.readouterr().err


def test_progress_stream_counts_task_events(tmp_path):
    import io

    log, term = io.StringIO(), io.StringIO()
    stream = local_run.ProgressStream(log, term, verbose=False)
    stream.write("12:00:00.000 - INFO - Executing task \x1b[96m'collect'\x1b[0m\n    [imi collect] records=10 in 1.00s\n")
    stream.write("12:00:01.000 - INFO - Task \x1b[96m'collect'\x1b[0m finished with status \x1b[92mSUCCESS\x1b[0m\n")
    stream.write("12:00:02.000 - INFO - Task train cache hit (key=abc); skipping execution.\n")
    stream.write("tqdm noise\r50%\r100%\n")
    assert stream.tasks.executed == ["collect"] and stream.tasks.cached == ["train"]
    shown = term.getvalue()
    assert "running  collect" in shown and "[imi collect] records=10" in shown and "cached   train" in shown
    assert "tqdm" not in shown and "tqdm noise" in log.getvalue()
