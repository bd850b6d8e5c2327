"""`imi synthesize`: determinism, pinned output, the clinical tables and their schema, the generators' own
clinical rules, routing, S3."""

import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections import Counter

import pytest

from imi_lib.core import storage
from imi_lib.data import synthesize
from imi_lib.core.config import ConfigError
from imi_lib.core.records import read_records, stable_id
from imi_lib.data.synthetic import compliance, conditions, interactions, tables, triage

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


# The sha256 of synthetic.jsonl for 500 examples, computed with the generator as it was before its
# clinical tables moved from Python code to tables/*.yaml. Moving data must not move a byte: a change
# here means a table or a generator changed what it writes (then bump GENERATOR_VERSION and re-pin;
# docs/synthetic.md says how).
PINNED_OUTPUT_SHA256 = {
    1: "2dc8cef1a4a49c86086e5e9ca3f9f4aee37c1e6eb4ffaf518abc8242c601e1e9",
    42: "1a033740cd91e085173413adf262ca9c4ea1cffec648118a596b337a143bcedc",
    2024: "186c26713b40221c1f65e174e9d856e8e82459d8133a9e1e0fc06c73e5458f6e",
}


@pytest.mark.parametrize("seed", sorted(PINNED_OUTPUT_SHA256))
def test_output_is_byte_identical_to_the_pinned_generator(tmp_path, seed):
    _run(tmp_path, num_examples=500, seed=seed)
    digest = hashlib.sha256((tmp_path / synthesize.OUTPUT_FILE).read_bytes()).hexdigest()
    assert digest == PINNED_OUTPUT_SHA256[seed]


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
        assert pair.taking.name in r.input and pair.adding.name in r.input
        assert f"- {pair.severity}." in r.output
        if f["avoid"]:
            avoided += 1
            assert pair.avoid_text in r.output
        else:
            assert pair.management in r.output
        assert ("65 or older" in r.output) == ("age65" in f["risks"])
        assert ("age65" in f["risks"]) == ("age65" in pair.risk_factors and f["age"] >= 65)
        if pair.lab and f["lab"] is not None:
            lab = interactions.LABS[pair.lab.test]
            risky = f["lab"] > lab.high if pair.lab.risky == "high" else f["lab"] < lab.low
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
        if s.major_if_as_found_fails and "failed (reading" in r.input:
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


# ---- the clinical tables: data files with a schema ------------------------------------------------

TABLE_FILES = ("triage.yaml", "conditions.yaml", "interactions.yaml", "compliance.yaml", "decision.yaml", "usmle.yaml")


def test_every_table_is_a_yaml_file_of_keyed_entries():
    import yaml

    assert sorted(p.name for p in tables.PACKAGED_DIR.glob("*.yaml")) == sorted(TABLE_FILES)
    triage_data = yaml.safe_load((tables.PACKAGED_DIR / "triage.yaml").read_text())
    # keyed, not positional: every complaint and red flag says what each value is
    chest = triage_data["complaints"][0]
    assert chest["id"] == "chest_pain" and chest["floor"] == "URGENT"
    assert {"text", "level", "reason", "action"} <= set(chest["red_flags"][0])
    assert len(triage.COMPLAINTS) == len(triage_data["complaints"]) >= 25
    assert len(conditions.CONDITIONS) >= 25 and len(interactions.INTERACTIONS) >= 35 and len(compliance.SCENARIOS) >= 25


@pytest.fixture
def table_copy(tmp_path):
    """A copy of the packaged tables to edit; edit(file, old, new) replaces one exact string in it."""
    directory = tmp_path / "tables"
    shutil.copytree(tables.PACKAGED_DIR, directory)

    def edit(name, old, new):
        text = (directory / name).read_text()
        assert text.count(old) >= 1, old
        (directory / name).write_text(text.replace(old, new, 1))

    return directory, edit


def _load_error(directory, name, module, schema):
    with pytest.raises(tables.TableError) as info:
        tables.load(name, schema, module.validate, directory=directory)
    message = str(info.value)
    assert "\n" not in message and message.startswith(str(directory / name) + ": ")
    return message[len(str(directory / name)) + 2:]


@pytest.mark.parametrize("name, old, new, expected", [
    # a misspelt key names the key and lists the right ones
    ("triage.yaml", "  - id: chest_pain\n    phrases:", "  - id: chest_pain\n    phrase:",
     "complaints[0].phrase: unknown key (known keys: id, phrases,"),
    # a level that does not exist
    ("triage.yaml", "        level: EMERGENCY\n        reason: radiation", "        level: EMERGENT\n        reason: radiation",
     "complaints[0].red_flags[0].level: 'EMERGENT' is not one of NON-URGENT, SEMI-URGENT, URGENT, EMERGENCY"),
    # a temperature written as a whole number would be drawn as one
    ("triage.yaml", "normal: [36.2, 37.7]", "normal: [36, 37.7]",
     "observations.temp.normal: temperatures are written with a decimal point"),
    ("triage.yaml", "onset:\n      - {unit: minutes, min: 20, max: 55}", "onset:\n      - {unit: minutes, min: 55, max: 20}",
     "complaints[0].onset[0]: range [55, 20] runs backwards"),
    ("triage.yaml", "    affects: [hr, sbp, rr, spo2, temp, gcs]", "    affects: [hr, sbp, rr, spo2, temp, pulse]",
     "complaints[0].affects: 'pulse' is not one of hr, sbp, rr, spo2, temp, gcs"),
    # a rule's condition is a comparison of known values, never code
    ("triage.yaml", "    when: spo2 < 90", "    when: spo2 < 90 or __import__('os')",
     "rules[0].when: \"spo2 < 90 or __import__('os')\": only names, numbers, comparisons and and/or/not"),
    ("triage.yaml", "    when: sbp < 90", "    when: bp < 90",
     "rules[1].when: 'bp < 90': unknown value 'bp' (known: hr, sbp,"),
    ("triage.yaml", "reason: SpO2 {spo2}% is below", "reason: SpO2 {sats}% is below",
     "rules[0].reason: {sats} is not a value the text can show"),
    ("conditions.yaml", "  - id: aortic_dissection", "  - id: stemi",
     "conditions[1].id: 'stemi' is already used by conditions[0]"),
    ("conditions.yaml", "      - option: Chest X-ray alone\n        why: cannot show myocardial ischaemia and delays the ECG\n", "",
     "conditions[0].wrong_tests: needs at least 4"),
    ("conditions.yaml", "    age: [45, 85]", "    age: 45",
     "conditions[0].age: expected a list, got int 45"),
    ("interactions.yaml", "    lab: {test: inr, risky: high}", "    lab: {test: inr_level, risky: high}",
     "interactions[0].lab.test: 'inr_level' is not one of inr, potassium,"),
    ("interactions.yaml", "    severity: MAJOR", "    severity: SEVERE",
     "interactions[0].severity: 'SEVERE' is not one of CONTRAINDICATED, MAJOR, MODERATE"),
    ("compliance.yaml", "      - 21 CFR 11.10(d)\n", "      - 21 CFR 11.10(z)\n",
     "scenarios[0].requirements: '21 CFR 11.10(z)' is not one of"),
    ("compliance.yaml", "system of {hplc};", "system of {hplc_id};",
     "scenarios[0].finding: 'hplc_id' is not one of batch, product, hplc,"),
    ("usmle.yaml", "research_share: 0.25", "research_share: 25",
     "research_share: 25 is not a share between 0 and 1"),
])
def test_a_bad_table_is_one_line_naming_the_file_and_the_key(table_copy, name, old, new, expected):
    directory, edit = table_copy
    edit(name, old, new)
    module = {"triage.yaml": triage, "conditions.yaml": conditions, "interactions.yaml": interactions,
              "compliance.yaml": compliance, "usmle.yaml": __import__("imi_lib.data.synthetic.usmle", fromlist=["x"])}[name]
    schema = {"triage.yaml": "TriageTables", "conditions.yaml": "ConditionTables",
              "interactions.yaml": "InteractionTables", "compliance.yaml": "ComplianceTables",
              "usmle.yaml": "UsmleTables"}[name]
    assert _load_error(directory, name, module, getattr(module, schema)).startswith(expected)


def test_broken_yaml_names_the_line(table_copy):
    directory, edit = table_copy
    edit("decision.yaml", "instructions:\n", "instructions:\n  workup: [unclosed\n")
    from imi_lib.data.synthetic import decision

    message = _load_error(directory, "decision.yaml", decision, decision.DecisionTables)
    assert re.match(r"line 1[12]: not valid YAML: ", message), message


def _synthesize_with_tables(directory, out, *extra):
    env = {**os.environ, tables.ENV_DIR: str(directory)}
    return subprocess.run([sys.executable, "-m", "imi_lib.cli", "synthesize", "--out-dir", str(out), *extra],
                          capture_output=True, text=True, env=env)


def test_cli_refuses_a_bad_table_before_writing_anything(table_copy, tmp_path):
    directory, edit = table_copy
    edit("interactions.yaml", "    severity: MAJOR", "    severity: SEVERE")
    r = _synthesize_with_tables(directory, tmp_path / "out", "--num-examples", "20")
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "interactions.yaml: interactions[0].severity: 'SEVERE'" in r.stderr
    assert not (tmp_path / "out" / synthesize.OUTPUT_FILE).exists()


def test_a_clinician_adds_a_complaint_without_touching_python(table_copy, tmp_path):
    directory, _ = table_copy
    text = (directory / "triage.yaml").read_text()
    new = """  - id: nosebleed
    phrases: [a nosebleed]
    floor: NON-URGENT
    action: Pinch the soft part of the nose and lean forward for 10 minutes
    onset:
      - {unit: minutes, min: 10, max: 50}
    affects: [hr, sbp]
    red_flags:
      - text: bleeding from both nostrils for over 20 minutes despite pressure
        level: URGENT
        reason: a posterior bleed that pressure does not stop needs packing
        action: insert nasal packing and check haemoglobin and clotting
history:
"""
    # the complaints list ends where the history list begins
    (directory / "triage.yaml").write_text(text.replace("\nhistory:\n", "\n" + new, 1))
    r = _synthesize_with_tables(directory, tmp_path / "out", "--num-examples", "600", "--types", "triage")
    assert r.returncode == 0, r.stderr
    records = _read(tmp_path / "out" / synthesize.OUTPUT_FILE)
    nosebleeds = [rec for rec in records if rec.lineage["facts"]["complaint"] == "nosebleed"]
    assert nosebleeds and all("nosebleed" in rec.input for rec in nosebleeds)
    flagged = [rec for rec in nosebleeds if rec.lineage["facts"]["red_flag"]]
    # the new red flag's level is a floor the rules apply like any other
    assert flagged and all(rec.lineage["facts"]["level"] in ("URGENT", "EMERGENCY") for rec in flagged)


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
