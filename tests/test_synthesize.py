"""`imi synthesize`: determinism, stability, diversity, the generators' own clinical rules, routing, S3."""

import json
import math
import re
import subprocess
import sys
from collections import Counter

import pytest

from imi_lib.core import storage
from imi_lib.data import synthesize
from imi_lib.core.config import ConfigError
from imi_lib.core.records import read_records, stable_id
from imi_lib.data.synthetic import compliance, interactions, triage

N_LARGE = 5000


def _run(out_dir, **kw):
    return synthesize.run(synthesize.SynthesizeConfig(out_dir=str(out_dir), **kw))


def _read(path):
    return list(read_records(path))


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """One N=5000 run shared by the content tests: (summary, records)."""
    out = tmp_path_factory.mktemp("synth5000")
    summary = _run(out, num_examples=N_LARGE, seed=42)
    return summary, _read(out / synthesize.OUTPUT_FILE)


# ---- determinism and stability ---------------------------------------------------------

def test_same_seed_is_byte_identical_and_another_seed_differs(tmp_path):
    _run(tmp_path / "a", num_examples=300, seed=7)
    _run(tmp_path / "b", num_examples=300, seed=7)
    _run(tmp_path / "c", num_examples=300, seed=8)
    a = (tmp_path / "a" / synthesize.OUTPUT_FILE).read_bytes()
    assert a == (tmp_path / "b" / synthesize.OUTPUT_FILE).read_bytes()
    c = (tmp_path / "c" / synthesize.OUTPUT_FILE).read_bytes()
    assert a != c
    outs_a = {r.output for r in _read(tmp_path / "a" / synthesize.OUTPUT_FILE)}
    outs_c = {r.output for r in _read(tmp_path / "c" / synthesize.OUTPUT_FILE)}
    assert len(outs_a & outs_c) < 5  # a new seed gives new cases, not a reshuffle


def test_example_i_does_not_depend_on_n(tmp_path):
    _run(tmp_path / "small", num_examples=50, seed=3)
    _run(tmp_path / "big", num_examples=200, seed=3)
    small = _read(tmp_path / "small" / synthesize.OUTPUT_FILE)
    big = _read(tmp_path / "big" / synthesize.OUTPUT_FILE)
    assert [r.to_dict() for r in small] == [r.to_dict() for r in big[:50]]
    assert len({r.id for r in big}) == 200


# ---- diversity and validity ---------------------------------------------------------------

def test_no_two_outputs_or_inputs_identical_at_5000(large):
    _, records = large
    assert len(records) == N_LARGE
    outputs = Counter(r.output for r in records)
    assert outputs.most_common(1)[0][1] == 1
    assert len({(r.instruction, r.input) for r in records}) == N_LARGE


def test_every_record_is_valid_and_carries_its_lineage(large):
    summary, records = large
    assert summary["written"] == N_LARGE and summary["quarantined"] == {}
    for r in records:
        t = r.lineage["type"]
        assert r.source == f"synthetic_{t}"
        assert r.license == "generated"
        assert r.id == stable_id("synthetic", t, 42, r.lineage["index"])
        assert r.lineage["generator"] == "imi_lib.data.synthesize"
        assert r.lineage["version"] == synthesize.GENERATOR_VERSION and r.lineage["seed"] == 42
    assert [r.lineage["index"] for r in records] == list(range(N_LARGE))
    # prepare's PHI scrubber rewrites ages over 89 (Safe Harbor); generated patients never reach them
    ages = [int(a) for r in records for a in re.findall(r"\b(\d+)-year-old", r.input + r.output)]
    assert ages and max(ages) <= 89


def test_every_claimed_adapter_gets_records_and_no_other(large):
    summary, records = large
    seen: dict[str, set] = {}
    for r in records:
        seen.setdefault(r.lineage["type"], set()).add(r.adapter)
    for name, case_type in synthesize.CASE_TYPES.items():
        assert seen[name] == set(case_type.adapters), name
    assert summary["by_type"] == {t: N_LARGE // 5 for t in synthesize.CASE_TYPES}
    assert sum(summary["by_adapter"].values()) == N_LARGE
    assert set(summary["by_adapter"]) == {a for ct in synthesize.CASE_TYPES.values() for a in ct.adapters}


# ---- triage: level, reasons and recommendation agree -------------------------------------------------

OBS = re.compile(r"HR (\d+).*?BP (\d+)/(\d+).*?RR (\d+).*?SpO2 (\d+)%.*?T(?:emp)? ([\d.]+) °C.*?GCS (\d+).*?pain (\d+)/10", re.S)


def _news2_by_hand(v: dict) -> tuple[int, int]:
    """NEWS2 (RCP 2017) written out independently of the generator's table: (total, highest single score)."""
    rr = 3 if v["rr"] <= 8 else 1 if v["rr"] <= 11 else 0 if v["rr"] <= 20 else 2 if v["rr"] <= 24 else 3
    sp = 3 if v["spo2"] <= 91 else 2 if v["spo2"] <= 93 else 1 if v["spo2"] <= 95 else 0
    o2 = 2 if v["on_oxygen"] else 0
    bp = 3 if v["sbp"] <= 90 else 2 if v["sbp"] <= 100 else 1 if v["sbp"] <= 110 else 0 if v["sbp"] <= 219 else 3
    hr = 3 if v["hr"] <= 40 else 1 if v["hr"] <= 50 else 0 if v["hr"] <= 90 else 1 if v["hr"] <= 110 else 2 if v["hr"] <= 130 else 3
    cns = 3 if v["gcs"] < 15 else 0
    t = v["temp"]
    tp = 3 if t <= 35.0 else 1 if t <= 36.0 else 0 if t <= 38.0 else 1 if t <= 39.0 else 2
    parts = (rr, sp, o2, bp, hr, cns, tp)
    return sum(parts), max(parts)


def test_triage_level_follows_the_rules_for_every_record(large):
    _, records = large
    levels = Counter()
    for r in (r for r in records if r.lineage["type"] == "triage"):
        facts = r.lineage["facts"]
        v = facts["vitals"]
        # the observations written in the case are the ones the level was computed from
        m = OBS.search(r.input)
        assert m, r.input
        hr, sbp, dbp, rr, spo2, temp, gcs, pain = m.groups()
        assert (int(hr), int(sbp), int(dbp), int(rr), int(spo2), float(temp), int(gcs), int(pain)) == (
            v["hr"], v["sbp"], v["dbp"], v["rr"], v["spo2"], v["temp"], v["gcs"], v["pain"])
        level = re.match(r"Triage Level: (\S+) ", r.output).group(1)
        assessment = triage.assess(triage.case_from_facts(facts))
        assert level == assessment.level == facts["level"]
        levels[level] += 1
        for finding in assessment.findings:  # every rule that fired is explained
            assert finding.reason in r.output
        assert triage.LEVEL_POLICY[level].disposition in r.output
        # independent checks of the documented rules
        news, top = _news2_by_hand(v)
        assert f"NEWS2 {news}" in r.output
        critical = v["spo2"] < 90 or v["sbp"] < 90 or v["hr"] < 40 or v["hr"] >= 150 or v["rr"] <= 8 or v["rr"] >= 30 or v["gcs"] <= 12
        if critical or news >= 7:
            assert level == "EMERGENCY", r.output
        if news >= 5 or top == 3 or v["pain"] >= 8:
            assert level in ("URGENT", "EMERGENCY"), r.output
        if level == "NON-URGENT":
            complaint = triage.COMPLAINT_BY_ID[facts["complaint"]]
            assert news <= 2 and top < 3 and v["pain"] < 5 and facts["red_flag"] is None
            assert complaint.floor == "NON-URGENT"
        if facts["red_flag"]:
            assert facts["red_flag"].lower() in r.input.lower()
    assert set(levels) == set(triage.LEVELS) and min(levels.values()) > 50, levels


def test_triage_red_flag_forces_its_level():
    case = triage.Case(
        triage.Person(34, "female"), triage.COMPLAINT_BY_ID["headache"],
        triage.COMPLAINT_BY_ID["headache"].red_flags[0], (),
        triage.Vitals(hr=72, sbp=124, dbp=78, rr=14, spo2=98, on_oxygen=False, temp=36.8, gcs=15, pain=3), "1 hour")
    a = triage.assess(case)
    assert a.level == "EMERGENCY" and a.findings[0].rule == "red_flag:headache"
    calm = triage.Case(case.person, case.complaint, None, (), case.vitals, "1 hour")
    assert triage.assess(calm).level == "NON-URGENT" and triage.assess(calm).findings == ()


# ---- the other generators' rules ------------------------------------------------------------------

def test_interaction_advice_follows_the_patient_rules(large):
    _, records = large
    avoided = 0
    for r in (r for r in records if r.lineage["type"] == "drug_interaction"):
        f = r.lineage["facts"]
        pair = interactions.INTERACTION_BY_ID[f["pair"]]
        assert pair.a.name in r.input and pair.b.name in r.input
        assert f"- {pair.severity}." in r.output
        if f["avoid"]:
            avoided += 1
            assert pair.avoid_text in r.output
        else:
            assert pair.management in r.output
        assert ("65 or older" in r.output) == ("age65" in f["risks"])
        assert ("age65" in f["risks"]) == ("age65" in pair.risk_factors and f["age"] >= 65)
        if pair.lab and f["lab"] is not None:
            lab = interactions.LABS[pair.lab[0]]
            risky = f["lab"] > lab.high if pair.lab[1] == "high" else f["lab"] < lab.low
            assert risky == ("lab" in f["risks"])
    assert avoided > 20


def test_usmle_answers_match_the_options_and_the_arithmetic(large):
    _, records = large
    kinds = Counter()
    for r in (r for r in records if r.lineage["type"] == "usmle"):
        f = r.lineage["facts"]
        letter = re.match(r"Answer: ([A-E])\. (.+)", r.output)
        assert letter and letter.group(1) == f["answer"]
        options = dict(re.findall(r"^([A-E])\. (.+)$", r.input, re.M))
        assert len(options) in (4, 5) and len(set(options.values())) == len(options)
        assert options[f["answer"]] == letter.group(2)
        kinds[r.lineage["variant"]] += 1
        if f.get("kind") == "diagnostic_accuracy":
            tp, fn, fp, tn = f["tp"], f["fn"], f["fp"], f["tn"]
            value = {"sensitivity": tp / (tp + fn), "specificity": tn / (tn + fp),
                     "positive predictive value": tp / (tp + fp), "negative predictive value": tn / (tn + fn)}[f["asked"]]
            assert options[f["answer"]] == f"{100 * value:.1f}%"
        if f.get("kind") == "treatment_effect" and f["asked"] == "number needed to treat":
            arr = f["e_c"] / f["n_c"] - f["e_t"] / f["n_t"]
            assert options[f["answer"]] == str(math.ceil(1 / arr - 1e-9))
    assert {"usmle.diagnosis", "usmle.test", "usmle.next_step", "biostat.diagnostic", "biostat.treatment",
            "biostat.design", "biostat.bias"} <= set(kinds)


def test_compliance_classification_follows_the_rules(large):
    _, records = large
    classes = Counter()
    for r in (r for r in records if r.lineage["type"] == "compliance"):
        f = r.lineage["facts"]
        s = compliance.SCENARIO_BY_ID[f["scenario"]]
        level = re.match(r"Classification: (MINOR|MAJOR|CRITICAL) ", r.output).group(1)
        assert level == f["classification"]
        classes[level] += 1
        expected, _ = compliance.classify(s, f["released"], f["occurrences"])
        if s.id == "calibration_overdue" and "failed (reading" in r.input:
            expected = max(expected, "MAJOR", key=compliance.CLASSES.index)
        assert level == expected
        if s.baseline == "MAJOR" and s.batch and f["released"]:
            assert level == "CRITICAL"  # a released batch raises major to critical
        for citation in s.requirements:
            assert citation in r.output
        if s.batch:
            assert f["batch"] in r.output
            assert ("Field Alert Report" in r.output) == f["released"]
    assert set(classes) == set(compliance.CLASSES)


# ---- configuration, CLI, quarantine, S3 ---------------------------------------------------------------

def test_type_subset_is_round_robin_in_canonical_order(tmp_path):
    summary = _run(tmp_path, num_examples=21, seed=1, types=["compliance", "triage"])
    records = _read(tmp_path / synthesize.OUTPUT_FILE)
    assert [r.lineage["type"] for r in records[:4]] == ["triage", "compliance", "triage", "compliance"]
    assert summary["by_type"] == {"triage": 11, "compliance": 10}
    assert {r.adapter for r in records} == {"patient_triage", "regulatory_qa"}


def test_unknown_type_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match=r"unknown case type 'nope'.*triage"):
        _run(tmp_path, num_examples=5, types=["triage", "nope"])
    r = subprocess.run([sys.executable, "-m", "imi_lib.cli", "synthesize", "--types", "nope", "--out-dir", str(tmp_path)],
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "unknown case type 'nope'" in r.stderr and "Traceback" not in r.stderr


def test_help_lists_the_flags():
    r = subprocess.run([sys.executable, "-m", "imi_lib.cli", "synthesize", "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    for flag in ("--num-examples", "--seed", "--types", "--data-dir", "--out-dir"):
        assert flag in r.stdout


def test_cli_writes_the_guide_layout_and_summary(tmp_path):
    r = subprocess.run([sys.executable, "-m", "imi_lib.cli", "synthesize", "--num-examples", "25", "--seed", "5",
                        "--data-dir", str(tmp_path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "[imi synthesize] written=25" in r.stderr
    out = tmp_path / "synthetic"
    summary = json.loads((out / synthesize.SUMMARY_FILE).read_text())
    assert summary["written"] == 25 and summary["seed"] == 5
    assert json.loads((out / synthesize.CONFIG_FILE).read_text())["num_examples"] == 25
    assert len(_read(out / synthesize.OUTPUT_FILE)) == 25


def test_invalid_generated_record_is_quarantined_not_fatal(tmp_path, monkeypatch):
    real = compliance.generate

    def broken(rng):
        ex = real(rng)
        return ex.__class__(ex.instruction, ex.input, "   ", ex.adapter, ex.variant, ex.facts)

    monkeypatch.setattr(compliance, "generate", broken)
    summary = _run(tmp_path, num_examples=10, seed=2)
    assert summary["written"] == 8 and summary["quarantined"] == {"output": 2}
    # prepare reads every *.jsonl in D/synthetic except those named quarantine*
    assert sorted(p.name for p in tmp_path.glob("*.jsonl") if not p.name.startswith("quarantine")) == [synthesize.OUTPUT_FILE]
    lines = (tmp_path / synthesize.QUARANTINE_FILE).read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["reason"] == "output: empty"
    # a clean re-run does not count the old quarantine again
    monkeypatch.setattr(compliance, "generate", real)
    assert _run(tmp_path, num_examples=10, seed=2)["quarantined"] == {}
    assert not (tmp_path / synthesize.QUARANTINE_FILE).exists()


def test_s3_data_dir_lands_in_the_bucket(s3_env, tmp_path):
    data = storage.join(s3_env, "run1", "data")
    summary = synthesize.run(synthesize.SynthesizeConfig(data_dir=data, num_examples=40, seed=11))
    assert summary["output"] == storage.join(data, "synthetic", synthesize.OUTPUT_FILE)
    listing = storage.list_files(storage.join(data, "synthetic"))
    assert {synthesize.OUTPUT_FILE, synthesize.SUMMARY_FILE, synthesize.CONFIG_FILE, storage.MANIFEST} <= set(listing)
    _run(tmp_path, num_examples=40, seed=11)
    remote = storage.read_bytes(storage.join(data, "synthetic", synthesize.OUTPUT_FILE))
    assert remote == (tmp_path / synthesize.OUTPUT_FILE).read_bytes()
