"""imi collect: hub-layout fixtures read through datasets.load_dataset, mapped to records and eval sets."""

import hashlib
import json
import subprocess
import sys

import pytest

from conftest import FIXTURES
from imi_lib.data import collect
from imi_lib.core import storage
from imi_lib.core.config import ConfigError
from imi_lib.core.errors import UserError
from imi_lib.core.records import read_records, stable_id, validate_eval_item
from imi_lib.data.sources import SOURCES, pubmedqa_is_holdout

from imi_lib.sample_data import HUB  # noqa: E402
sys.path.insert(0, str(FIXTURES))
import make_hub_fixtures as fx  # noqa: E402  (the fixture rows, to compare against)


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _run(tmp_path, **kw):
    kw.setdefault("hub_mirror", str(HUB))
    kw.setdefault("workers", 1)
    return collect.run(collect.CollectConfig(data_dir=str(tmp_path), **kw))


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """One full collect from the committed mirror, with two worker processes."""
    d = tmp_path_factory.mktemp("collect")
    summary = collect.run(collect.CollectConfig(data_dir=str(d), hub_mirror=str(HUB), workers=2))
    return d / "raw", summary


# ---- the fixtures are the hub's layout, read by the hub's own loader --------

HUB_FILES = {
    "medqa": ["README.md", "phrases_no_exclude_train.jsonl", "phrases_no_exclude_test.jsonl"],
    "medmcqa": ["README.md", "data/train-00000-of-00001.parquet", "data/validation-00000-of-00001.parquet",
                "data/test-00000-of-00001.parquet"],
    "pubmedqa": ["README.md", "pqa_labeled/train-00000-of-00001.parquet",
                 "pqa_artificial/train-00000-of-00001.parquet", "pqa_unlabeled/train-00000-of-00001.parquet"],
    "healthcaremagic": ["README.md", "data/train-00000-of-00001-5e7cb295b9cff0bf.parquet"],
    "icliniq": ["README.md", "data/train-00000-of-00001-7f15f39e4c3a7ee9.parquet"],
}
SPLITS = {
    "medqa": {"train": 24, "test": 9},
    "medmcqa": {"train": 22, "validation": 9, "test": 5},
    "pubmedqa": {"train": 28},
    "healthcaremagic": {"train": 25},
    "icliniq": {"train": 15},
}


@pytest.mark.parametrize("name", list(SOURCES))
def test_fixture_mirrors_hub_layout_and_loads_through_load_dataset(name, tmp_path):
    spec = SOURCES[name]
    root = HUB / spec.hub_id
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) == sorted(HUB_FILES[name])
    dsd = collect.load_splits(spec, mirror=HUB, cache_dir=str(tmp_path))
    assert {split: len(ds) for split, ds in dsd.items()} == SPLITS[name]


def test_hub_features_survive_loading(tmp_path):
    mcqa = collect.load_splits(SOURCES["medmcqa"], mirror=HUB, cache_dir=str(tmp_path))
    assert mcqa["train"].features["cop"].names == ["a", "b", "c", "d"]  # ClassLabel from the card
    assert set(mcqa["test"]["cop"]) == {-1}
    pqa = collect.load_splits(SOURCES["pubmedqa"], mirror=HUB, cache_dir=str(tmp_path))["train"]
    row = pqa[0]
    assert set(row["context"]) == {"contexts", "labels", "meshes", "reasoning_required_pred", "reasoning_free_pred"}
    assert row["context"]["reasoning_required_pred"] == list("yes")  # the hub's character-list quirk


def test_fixture_generator_is_reproducible(tmp_path):
    fx.write_mirror(tmp_path)
    for p in sorted(HUB.rglob("*")):
        if p.is_file():
            twin = tmp_path / p.relative_to(HUB)
            assert hashlib.sha256(twin.read_bytes()).digest() == hashlib.sha256(p.read_bytes()).digest(), p


# ---- field mapping ----------------------------------------------------------

def test_medqa_rows_become_education_and_step2_clinical_decision(collected):
    raw, _ = collected
    recs = _jsonl(raw / "medqa.jsonl")
    spec = SOURCES["medqa"]
    first = [r for r in recs if r["lineage"]["row"] == 0]
    assert {r["adapter"] for r in first} == {"education", "clinical_decision"}  # a step2&3 vignette
    edu = next(r for r in first if r["adapter"] == "education")
    question, options, letter, _ = fx.MEDQA_TRAIN[0]
    assert edu["input"] == question + "\n\n" + "\n".join(f"{k}. {v}" for k, v in zip("ABCD", options))
    assert edu["output"] == f"The correct answer is {letter}. {options[0]}"
    assert edu["source"] == "medqa" and edu["license"] == spec.license
    assert edu["lineage"] == {"hub_id": spec.hub_id, "revision": spec.revision, "config": None,
                              "split": "train", "row": 0}
    assert edu["id"] == stable_id(spec.hub_id, spec.revision, "", "train", 0, "education")
    step1 = [r for r in recs if r["lineage"]["row"] == 1]  # the right-coronary question is Step 1
    assert [r["adapter"] for r in step1] == ["education"]


def test_medmcqa_output_includes_explanation_only_when_present(collected):
    raw, _ = collected
    by_q = {}
    for r in _jsonl(raw / "medmcqa.jsonl"):
        by_q.setdefault(r["input"].split("\n\n")[0], r)
    anaphylaxis = by_q["Drug of choice for anaphylactic shock is"]
    assert anaphylaxis["output"].startswith("The correct answer is A. Intramuscular adrenaline\n\nExplanation: ")
    assert "Pharmacology (Adrenergic drugs)" in anaphylaxis["instruction"]
    assert "Explanation" not in by_q["Normal intraocular pressure range is"]["output"]  # exp is null
    assert "Explanation" not in by_q["Type of collagen in hyaline cartilage is"]["output"]  # exp is ""
    assert by_q["Koplik spots are seen in"]["instruction"].startswith("Answer this Microbiology ")  # null topic
    assert {r["adapter"] for r in by_q.values()} == {"education"}


def test_pubmedqa_research_records_and_holdout(collected):
    raw, summary = collected
    train = _jsonl(raw / "pubmedqa.jsonl")
    holdout = _jsonl(raw / "eval" / "pubmedqa_holdout.jsonl")
    assert train and holdout
    assert all(r["adapter"] == "research" and r["input"].startswith("Question: ") and "\n\nAbstract:\n" in r["input"]
               and r["output"].rsplit("Final answer: ", 1)[1] in ("yes", "no", "maybe") for r in train)
    train_ids = {r["lineage"]["pubid"] for r in train}
    held_ids = {e["lineage"]["pubid"] for e in holdout}
    assert not train_ids & held_ids
    assert all(not pubmedqa_is_holdout(p) for p in train_ids) and all(pubmedqa_is_holdout(p) for p in held_ids)
    for e in holdout:
        validate_eval_item(e)
        assert e["options"] == {"A": "yes", "B": "no", "C": "maybe"} and e["context"]
    messy = next(e for e in holdout if e["question"] == fx.PUBMEDQA_EDGE["messy_decision"][0])
    assert messy["answer"] == "A"  # " Yes " normalised
    assert summary["eval_items"]["pubmedqa_holdout"] == len(holdout)


def test_healthcaremagic_keeps_every_row_for_prepare(collected):
    raw, _ = collected
    recs = _jsonl(raw / "healthcaremagic.jsonl")
    assert len(recs) == 24  # 25 rows, one with an empty answer; duplicates are prepare's job
    assert {r["adapter"] for r in recs} == {"patient_triage"}
    assert len({r["instruction"] for r in recs}) == 1
    assert any("margaret.ellison@example.com" in r["input"] for r in recs)  # PHI reaches prepare's scrubber
    assert len({r["id"] for r in recs}) == len(recs)


def test_icliniq_trains_on_the_human_answer_only(collected):
    raw, _ = collected
    # (quarantine.jsonl keeps rejected rows as they were read, model columns included: not training data)
    for path in collect.record_files(raw) + list(collect.eval_files(raw).values()) + [raw / "collect_summary.json"]:
        text = path.read_text(encoding="utf-8")
        assert fx.ICLINIQ_CHATGPT_MARKER not in text and fx.ICLINIQ_CHATDOCTOR_MARKER not in text, path
        assert "As an AI language model" not in text
    recs = _jsonl(raw / "icliniq.jsonl")
    assert [r["output"] for r in recs] == [a for _, a in fx.ICLINIQ_ROWS]
    adapter = {r["input"]: r["adapter"] for r in recs}
    assert adapter[fx.ICLINIQ_ROWS[0][0]] == "clinical_pharmacist"  # metformin 500 mg
    assert adapter[fx.ICLINIQ_ROWS[1][0]] == "patient_triage"  # neck lump
    assert adapter[fx.ICLINIQ_ROWS[11][0]] == "clinical_pharmacist"  # warfarin + ginkgo


# ---- evaluation splits are never training data -------------------------------

def test_eval_splits_are_written_and_never_trained_on(collected):
    raw, summary = collected
    medqa_test = _jsonl(raw / "eval" / "medqa_test.jsonl")
    mcqa_val = _jsonl(raw / "eval" / "medmcqa_validation.jsonl")
    assert len(medqa_test) == len(fx.MEDQA_TEST) and len(mcqa_val) == len(fx.MEDMCQA_VALIDATION)
    for e in medqa_test + mcqa_val:
        validate_eval_item(e)
        assert sorted(e["options"]) == ["A", "B", "C", "D"] and e["answer"] in "ABCD"
    assert {e["lineage"]["split"] for e in medqa_test} == {"test"}
    assert {e["lineage"]["split"] for e in mcqa_val} == {"validation"}
    wernicke = next(e for e in medqa_test if e["question"].startswith("Which vitamin deficiency causes Wernicke"))
    assert wernicke["answer"] == "B" and wernicke["options"]["B"] == "Thiamine"
    # every training record comes from a training split
    for name in SOURCES:
        for r in read_records(raw / f"{name}.jsonl"):
            assert r.lineage["split"] == "train", (name, r.lineage)
    # the only eval questions found in training inputs are the planted contamination rows (prepare drops them)
    eval_questions = {e["question"] for e in medqa_test + mcqa_val}
    leaked = {q for name in ("medqa", "medmcqa") for r in _jsonl(raw / f"{name}.jsonl")
              for q in [r["input"].split("\n\n")[0]] if q in eval_questions}
    assert leaked == {fx.MEDQA_TEST[2][0], "Koplik spots are seen in"}
    assert summary["eval_items"] == {"medqa_test": 8, "medmcqa_validation": 8, "pubmedqa_holdout": len(
        _jsonl(raw / "eval" / "pubmedqa_holdout.jsonl"))}


def test_medmcqa_test_split_is_skipped_with_a_count(collected):
    raw, summary = collected
    assert summary["skipped"] == {"medmcqa/test: no answer key (cop = -1)": 5}
    assert summary["sources"]["medmcqa"]["rows_read"] == {"train": 22, "validation": 9}
    test_questions = {q for q, _ in fx.MEDMCQA_TEST}
    assert not any(r["input"].split("\n\n")[0] in test_questions for r in _jsonl(raw / "medmcqa.jsonl"))


# ---- quarantine and summary -----------------------------------------------

def test_unmappable_rows_are_quarantined_with_reason(collected):
    raw, summary = collected
    q = _jsonl(raw / "quarantine.jsonl")
    got = {(e["origin"].split("@")[0], e["origin"].rsplit(":", 1)[1], e["reason"].split(":")[0]) for e in q}
    assert got == {
        ("GBaker/MedQA-USMLE-4-options", "train#22", "answer"),  # empty answer_idx
        ("GBaker/MedQA-USMLE-4-options", "train#23", "question"),  # blank question
        ("GBaker/MedQA-USMLE-4-options", "test#8", "answer"),  # answer_idx E
        ("openlifescienceai/medmcqa", "train#20", "question"),
        ("openlifescienceai/medmcqa", "train#21", "options"),  # empty correct option
        ("openlifescienceai/medmcqa", "validation#8", "options"),  # empty option in an eval item
        ("qiaojin/PubMedQA", "train#24", "output"),  # empty long answer
        ("qiaojin/PubMedQA", "train#25", "answer"),  # final_decision 'unclear'
        ("lavita/ChatDoctor-HealthCareMagic-100k", "train#24", "output"),
        ("lavita/ChatDoctor-iCliniq", "train#13", "output"),  # empty human answer...
        ("lavita/ChatDoctor-iCliniq", "train#14", "output"),  # ...and a null one, never filled from the bots
    }
    assert all(e["reason"] and e["record"] is not None for e in q)
    assert sum(summary["quarantined"].values()) == len(q)
    assert summary["quarantined"] == {"answer": 3, "options": 2, "output": 4, "question": 2}


def test_summary_file_matches_the_run(collected):
    raw, summary = collected
    on_disk = json.loads((raw / "collect_summary.json").read_text())
    assert on_disk["stage"] == "collect"
    assert {k: on_disk[k] for k in ("rows_read", "records", "by_adapter", "eval_items", "skipped")} == \
        {k: summary[k] for k in ("rows_read", "records", "by_adapter", "eval_items", "skipped")}
    written = sum(len(_jsonl(raw / f"{n}.jsonl")) for n in SOURCES)
    assert summary["records"] == written == sum(summary["by_adapter"].values())
    assert summary["rows_read"] == sum(sum(v.values()) for v in SPLITS.values()) - 5  # MedMCQA test unread
    assert json.loads((raw / "collect_config.json").read_text())["hub_mirror"] == str(HUB)


def test_one_line_summary_is_printed(tmp_path, capsys):
    _run(tmp_path, sources=["icliniq"])
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("[imi collect] sources=1 rows=15 records=13 ") and "quarantined=2" in err[-1]


# ---- options ----------------------------------------------------------------

def test_sources_subset_replaces_a_previous_full_run(collected, tmp_path):
    raw_full, _ = collected
    import shutil

    shutil.copytree(raw_full, tmp_path / "raw")
    summary = _run(tmp_path, sources="icliniq,pubmedqa")
    raw = tmp_path / "raw"
    assert sorted(p.name for p in raw.glob("*.jsonl")) == ["icliniq.jsonl", "pubmedqa.jsonl", "quarantine.jsonl"]
    assert sorted(p.name for p in (raw / "eval").glob("*.jsonl")) == ["pubmedqa_holdout.jsonl"]
    assert set(summary["sources"]) == {"icliniq", "pubmedqa"}
    assert {e["origin"].split("@")[0] for e in _jsonl(raw / "quarantine.jsonl")} == \
        {"lavita/ChatDoctor-iCliniq", "qiaojin/PubMedQA"}
    # same rows, same bytes as in the full run
    assert (raw / "icliniq.jsonl").read_bytes() == (raw_full / "icliniq.jsonl").read_bytes()


def test_unknown_source_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match=r"unknown source 'medqa2'.*medqa, medmcqa, pubmedqa, healthcaremagic, icliniq"):
        _run(tmp_path, sources=["medqa2"])


def test_max_rows_per_source_and_workers_do_not_change_the_mapping(collected, tmp_path):
    raw_full, _ = collected
    summary = _run(tmp_path, max_rows_per_source=3, sources=["medmcqa", "healthcaremagic"], workers=2)
    assert summary["sources"]["medmcqa"]["rows_read"] == {"train": 3, "validation": 3}
    assert summary["sources"]["healthcaremagic"]["rows_read"] == {"train": 3}
    full = _jsonl(raw_full / "healthcaremagic.jsonl")[:3]
    assert _jsonl(tmp_path / "raw" / "healthcaremagic.jsonl") == full  # same ids, same text


# ---- big sources cut into row-range shards --------------------------------------

SHARD_LOG = None  # set by _log_shards: where every collect_source call (forked workers too) writes its shard
_COLLECT_SOURCE = collect.collect_source
_ITER_ROWS = collect.iter_rows


def _logged_collect_source(spec, out, **kw):
    k, n = kw.get("shard", (0, 1))
    with open(SHARD_LOG, "a") as fh:
        fh.write(f"{spec.name} {k} {n}\n")
    return _COLLECT_SOURCE(spec, out, **kw)


def _log_shards(monkeypatch, path):
    monkeypatch.setattr(sys.modules[__name__], "SHARD_LOG", str(path))
    monkeypatch.setattr(collect, "collect_source", _logged_collect_source)


def _raw_snapshot(raw):
    """Every file's bytes, except what names the run (the marker's time, the config's paths, the seconds)."""
    files = {str(p.relative_to(raw)): p.read_bytes() for p in sorted(raw.rglob("*")) if p.is_file()}
    summary = json.loads(files.pop("collect_summary.json"))
    summary.pop("seconds")
    marker = json.loads(files.pop(storage.MANIFEST))["files"]
    files.pop("collect_config.json")
    return files, summary, {k: v for k, v in marker.items() if k not in ("collect_summary.json", "collect_config.json")}


@pytest.mark.parametrize("shard_rows, max_rows", [(50_000, None), (5, 9)])
def test_sharded_sources_write_the_same_bytes_for_any_worker_count(shard_rows, max_rows, tmp_path, monkeypatch):
    monkeypatch.setattr(collect, "SHARD_ROWS", shard_rows)
    _log_shards(monkeypatch, tmp_path / "shards.log")
    runs = {}
    for workers in (1, 2, 3):
        d = tmp_path / f"w{workers}"
        _run(d, hub_mirror=str(HUB), workers=workers, max_rows_per_source=max_rows)
        runs[workers] = _raw_snapshot(d / "raw")
        assert not (d / "raw" / ".shards").exists()
    log = (tmp_path / "shards.log").read_text().splitlines()
    # one process reads each source whole; with workers, MedMCQA (train and validation end to end) and
    # HealthCareMagic are cut into several ranges, so a shard boundary falls inside a split
    assert log[:len(SOURCES)] == [f"{n} 0 1" for n in SOURCES]
    sharded = {line.split()[0]: int(line.split()[2]) for line in log[len(SOURCES):]}
    assert sharded["medmcqa"] >= 3 and sharded["healthcaremagic"] >= 2
    assert len(log) == len(SOURCES) + 2 * sum(sharded.values())
    files, summary, marker = runs[1]
    assert files["medmcqa.jsonl"] and files["quarantine.jsonl"] and files["eval/medmcqa_validation.jsonl"]
    for workers in (2, 3):
        assert runs[workers][0].keys() == files.keys()
        for name, data in runs[workers][0].items():
            assert data == files[name], (workers, name)
        assert runs[workers][1] == summary and runs[workers][2] == marker


def test_shard_count_follows_the_source_size_and_max_rows():
    assert collect.shard_count(SOURCES["medmcqa"], shard_rows=80_000) == 3  # ~193k rows on the hub
    assert collect.shard_count(SOURCES["pubmedqa"], shard_rows=80_000) == 1
    # MedMCQA reads two splits (its test split is skipped): at most 2 x 1,000 rows
    assert collect.shard_count(SOURCES["medmcqa"], max_rows=1_000, shard_rows=500) == 4


def _rows_crashing_late_in_medmcqa(ds, stop=None, start=0):
    # a crash in the reading itself, not in one row's mapping (which may be quarantined one day)
    for i, row in _ITER_ROWS(ds, stop, start):
        if i == 20 and "cop" in ds.column_names:  # MedMCQA's last shard; the other shards finish their parts
            raise RuntimeError("shard crashed at row 20")
        yield i, row


def test_a_failing_shard_fails_the_stage_and_publishes_nothing(collected, tmp_path, monkeypatch):
    import shutil

    raw_full, _ = collected
    shutil.copytree(raw_full, tmp_path / "raw")
    before = {p: p.read_bytes() for p in sorted((tmp_path / "raw").rglob("*")) if p.is_file()}
    monkeypatch.setattr(collect, "iter_rows", _rows_crashing_late_in_medmcqa)
    assert collect.shard_count(SOURCES["medmcqa"]) == 3  # rows 0-9, 10-19, 20-30 of train + validation
    with pytest.raises(RuntimeError, match="shard crashed at row 20"):
        _run(tmp_path, workers=2)
    # the previous complete raw/ is untouched and still verifies; no staging, no shard parts are left
    assert {p: p.read_bytes() for p in sorted((tmp_path / "raw").rglob("*")) if p.is_file()} == before
    assert storage.is_complete(str(tmp_path / "raw"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["raw"]


def test_missing_dataset_in_mirror_is_a_clear_error(tmp_path):
    (tmp_path / "mirror" / "GBaker" / "MedQA-USMLE-4-options").mkdir(parents=True)
    with pytest.raises(UserError, match=r"no snapshot for lavita/ChatDoctor-iCliniq"):
        _run(tmp_path, hub_mirror=str(tmp_path / "mirror"), sources=["medqa", "icliniq"])


def test_corrupt_mirror_file_is_a_clear_error(tmp_path):
    import shutil

    mirror = tmp_path / "mirror"
    shutil.copytree(HUB / "lavita", mirror / "lavita")
    (mirror / SOURCES["icliniq"].hub_id / HUB_FILES["icliniq"][1]).write_bytes(b"not parquet")
    with pytest.raises(UserError, match=r"cannot load lavita/ChatDoctor-iCliniq from the mirror"):
        _run(tmp_path, hub_mirror=str(mirror), sources=["icliniq"])


def test_without_a_mirror_an_offline_hub_says_to_pass_hub_mirror(tmp_path):
    with collect.hub_offline(), pytest.raises(UserError) as e:
        _run(tmp_path, hub_mirror=None, sources=["pubmedqa"])
    msg = str(e.value)
    assert "qiaojin/PubMedQA@" + SOURCES["pubmedqa"].revision in msg and "--hub-mirror DIR" in msg
    assert not (tmp_path / "raw" / "pubmedqa.jsonl").exists()
    assert (tmp_path / ".cache" / "huggingface").is_dir()  # datasets' cache stays inside D


def test_hub_offline_restores_the_libraries_settings():
    import datasets.config
    import huggingface_hub.constants

    before = (huggingface_hub.constants.HF_HUB_OFFLINE, datasets.config.HF_HUB_OFFLINE)
    with collect.hub_offline():
        assert huggingface_hub.constants.HF_HUB_OFFLINE is True and datasets.config.HF_HUB_OFFLINE is True
    assert (huggingface_hub.constants.HF_HUB_OFFLINE, datasets.config.HF_HUB_OFFLINE) == before


# ---- CLI ------------------------------------------------------------------

def _imi(*args, **kw):
    return subprocess.run([sys.executable, "-m", "imi_lib.cli", *args], capture_output=True, text=True, **kw)


def test_cli_help_lists_the_flags():
    r = _imi("collect", "--help")
    assert r.returncode == 0
    for flag in ("--data-dir", "--hub-mirror", "--sources", "--out-dir", "--max-rows-per-source", "--workers"):
        assert flag in r.stdout
    assert "healthcaremagic" in r.stdout


def test_cli_errors_are_one_line(tmp_path):
    r = _imi("collect", "--data-dir", str(tmp_path), "--sources", "medqa")  # no mirror, hub offline (conftest)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith("imi collect: error: cannot load GBaker/MedQA-USMLE-4-options@")
    assert "--hub-mirror" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = _imi("collect", "--data-dir", str(tmp_path), "--hub-mirror", str(HUB), "--sources", "all,nope")
    assert r.returncode == 2 and "unknown source 'nope'" in r.stderr and "Traceback" not in r.stderr


# ---- S3 -------------------------------------------------------------------

def test_mirror_and_data_dir_on_s3(s3_env, collected):
    raw_full, _ = collected
    storage.upload_tree(HUB, f"{s3_env}/mirror")
    summary = collect.run(collect.CollectConfig(data_dir=f"{s3_env}/d", hub_mirror=f"{s3_env}/mirror",
                                                sources=["medqa", "icliniq"], workers=1))
    assert summary["sources"]["medqa"]["rows_read"] == {"train": 24, "test": 9}
    files = storage.list_files(f"{s3_env}/d/raw")
    assert {"medqa.jsonl", "icliniq.jsonl", "eval/medqa_test.jsonl", "quarantine.jsonl",
            "collect_summary.json", storage.MANIFEST} <= set(files)
    assert storage.is_complete(f"{s3_env}/d/raw")
    for name in ("medqa.jsonl", "icliniq.jsonl", "eval/medqa_test.jsonl"):
        assert storage.read_bytes(f"{s3_env}/d/raw/{name}") == (raw_full / name).read_bytes()


def test_record_ids_are_the_stable_id_of_their_origin():
    """RowContext joins the fixed parts of an id once; the digest must stay stable_id's (ids are kept across runs)."""
    from imi_lib.core.records import stable_id
    from imi_lib.data.sources import RowContext

    for config in (None, "pqa_labeled"):
        ctx = RowContext("medqa", "GBaker/MedQA-USMLE-4-options", "a" * 40, config, "train", "MIT")
        for row in (0, 17, 10_000_019):
            for adapter in ("education", "clinical_pharmacist"):
                assert ctx.record_id(row, adapter) == stable_id(ctx.hub_id, ctx.revision, config or "", "train",
                                                                row, adapter)
        assert ctx.record_id(1, "education") != ctx.record_id(1, "clinical_decision")


def test_check_record_fast_path_agrees_with_the_field_checks():
    """plainly_valid never accepts a record the field-by-field checks would refuse."""
    from hypothesis import given, settings, strategies as st

    from imi_lib.core import records

    text = st.one_of(st.text(max_size=8), st.sampled_from(["", " ", "\n", "x" * (records.MAX_FIELD_CHARS + 1)]),
                     st.integers(), st.none())
    record = st.fixed_dictionaries(
        {"instruction": text, "input": text, "output": text, "source": text, "id": text,
         "adapter": st.sampled_from(["education", "nope", None])},
        optional={"license": st.one_of(st.text(max_size=3), st.integers()),
                  "lineage": st.one_of(st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
                                       st.lists(st.integers(), max_size=1)),
                  "extra": st.integers()})

    def slow_check(d):
        saved = records.plainly_valid
        records.plainly_valid = lambda _d: False
        try:
            records.check_record(d)
            return True
        except records.InvalidRecord:
            return False
        finally:
            records.plainly_valid = saved

    @settings(max_examples=400, derandomize=True, deadline=None)
    @given(record)
    def agree(d):
        if records.plainly_valid(d):
            assert slow_check(d)

    agree()


def test_a_row_that_makes_a_mapper_raise_is_quarantined_and_the_stage_goes_on(tmp_path, monkeypatch):
    """No record can kill a stage: a row the mapper cannot read (any exception, not only InvalidRecord) is
    quarantined with the exception as its one-line reason, and every other row is collected."""
    import dataclasses

    spec = collect.SOURCES["medqa"]
    real = spec.map_train

    def flaky(row, i, ctx):
        if i == 3:
            return row["no such column"]  # a KeyError, as a row of an unexpected shape would raise
        return real(row, i, ctx)

    monkeypatch.setitem(collect.SOURCES, "medqa", dataclasses.replace(spec, map_train=flaky))
    baseline = _run(tmp_path / "a", sources=["medqa"])
    assert baseline["records"] > 0
    raw = tmp_path / "a" / "raw"
    q = [e for e in _jsonl(raw / "quarantine.jsonl") if e["origin"].endswith("train#3")]
    assert len(q) == 1 and q[0]["reason"] == "error: KeyError: 'no such column'"
    monkeypatch.setitem(collect.SOURCES, "medqa", spec)
    clean = _run(tmp_path / "b", sources=["medqa"])
    # exactly the one row is missing: the records of train row 3 are the only difference
    kept = {r["id"] for r in _jsonl(raw / "medqa.jsonl")}
    all_ids = {r["id"] for r in _jsonl(tmp_path / "b" / "raw" / "medqa.jsonl")}
    assert kept < all_ids and clean["records"] - baseline["records"] == len(all_ids - kept) >= 1
