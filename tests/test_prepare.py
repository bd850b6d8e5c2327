"""imi prepare: merge, normalise, scrub PHI, guard contamination, dedupe, split, write D/final."""

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from imi_lib.data import prepare
from imi_lib.core import storage
from imi_lib.core.adapters import ADAPTERS
from imi_lib.core.errors import UserError
from imi_lib.core.records import stable_id, validate_record, write_jsonl

HCM_INSTRUCTION = "If you are a doctor, please answer the medical questions based on the patient's description."


def rec(n, *, source="medqa", adapter="education", instruction="Answer this multiple-choice question.",
        input="", output="The correct answer is A.", **extra):
    return {"id": stable_id(source, n, adapter), "instruction": instruction, "input": input, "output": output,
            "source": source, "adapter": adapter, "license": "cc-by-4.0",
            "lineage": {"hub_id": f"test/{source}", "split": "train", "row": n}, **extra}


def eval_item(n, question, *, source="medqa", context=""):
    return {"id": stable_id(source, "eval", n), "question": question,
            "options": {"A": "Yes", "B": "No", "C": "Maybe"}, "answer": "A", "source": source, "context": context}


def hcm(n, message, answer):
    return rec(n, source="healthcaremagic", adapter="patient_triage", instruction=HCM_INSTRUCTION,
               input=message, output=answer)


def seal_inputs(data):
    """Vouch for the input directories a test wrote by hand (prepare refuses unsealed ones)."""
    for role in ("raw", "processed", "synthetic"):
        if (Path(data) / role).is_dir():
            storage.seal_dir(Path(data) / role)


def run_prepare(data, **kw):
    seal_inputs(data)
    return prepare.run(prepare.PrepareConfig(data_dir=str(data), workers=kw.pop("workers", 1), **kw))


def read_lines(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def final_records(final):
    out = {}
    for adapter in ADAPTERS:
        for split in ("train", "val"):
            out[(adapter, split)] = read_lines(final / f"{adapter}_{split}.json")
    return out


def all_output_text(final):
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(final.rglob("*")) if p.is_file())


def mcq_records(count, start=0):
    return [rec(start + i, input=f"Question {start + i}: which nerve supplies muscle number {start + i}?\n\n"
                                 f"A. Radial\nB. Ulnar\nC. Median\nD. Axillary")
            for i in range(count)]


# ---- outputs ------------------------------------------------------------------

def test_writes_twelve_files_eval_copies_stats_and_manifest(tmp_path):
    d = tmp_path / "data"
    write_jsonl(d / "raw" / "medqa.jsonl", mcq_records(30))
    write_jsonl(d / "raw" / "healthcaremagic.jsonl",
                [hcm(i, f"Hi doctor, I have had a cough for {i + 2} days.", f"Take steam inhalation for {i + 3} days.")
                 for i in range(20)])
    write_jsonl(d / "processed" / "pdf_regulatory_qa.jsonl",
                [rec(i, source="pdf:WHO_gmp.pdf", adapter="regulatory_qa", instruction=f"What does section {i} require?",
                     output=f"Section {i} requires validated cleaning procedures.") for i in range(5)])
    write_jsonl(d / "synthetic" / "synthetic.jsonl",
                [rec(i, source="synthetic", adapter="clinical_pharmacist", instruction="Check this drug pair.",
                     input=f"warfarin + drug {i}", output=f"Interaction level {i % 3}.") for i in range(8)])
    # written by collect beside the records: never read as records
    write_jsonl(d / "raw" / "quarantine.jsonl", [{"reason": "x", "record": {}}])
    write_jsonl(d / "raw" / "eval" / "medqa_test.jsonl", [eval_item(0, "Which drug reverses heparin overdose?")])

    stats = run_prepare(d)

    final = d / "final"
    for adapter in ADAPTERS:
        for split in ("train", "val"):
            assert (final / f"{adapter}_{split}.json").is_file()
    assert (final / "stats.json").is_file() and (final / "manifest.json").is_file()
    assert read_lines(final / "eval" / "medqa_test.jsonl")[0]["question"] == "Which drug reverses heparin overdose?"
    records = final_records(final)
    for rows in records.values():
        for row in rows:
            validate_record(row)
    assert len(records[("regulatory_qa", "train")]) + len(records[("regulatory_qa", "val")]) == 5
    # research and clinical_decision have no data: empty files and a warning
    assert (final / "research_train.json").read_bytes() == b""
    assert any("research" in w for w in stats["warnings"])

    on_disk = json.loads((final / "stats.json").read_text())
    assert on_disk == {k: v for k, v in stats.items() if k != "seconds"}
    assert stats["records_in"] == 63
    assert stats["by_source"]["healthcaremagic"]["in"] == 20
    assert stats["by_source"]["pdf:WHO_gmp.pdf"]["train"] + stats["by_source"]["pdf:WHO_gmp.pdf"]["val"] == 5
    assert sum(stats["split_totals"].values()) + sum(stats["dropped"].values()) == stats["records_in"]
    assert stats["by_adapter"]["clinical_pharmacist"]["train"] + stats["by_adapter"]["clinical_pharmacist"]["val"] == 8
    assert stats["by_source_adapter"]["medqa"]["education"]["train"] == stats["by_source"]["medqa"]["train"]
    assert stats["input_dirs"]["processed"] == {"files": 1, "lines": 5}

    manifest = json.loads((final / "manifest.json").read_text())
    assert manifest["inputs"]["raw/medqa.jsonl"]["sha256"] == storage.sha256_file(d / "raw" / "medqa.jsonl")
    assert manifest["inputs"]["raw/medqa.jsonl"]["lines"] == 30
    assert set(manifest["inputs"]) == {"raw/medqa.jsonl", "raw/healthcaremagic.jsonl",
                                       "processed/pdf_regulatory_qa.jsonl", "synthetic/synthetic.jsonl"}
    assert "eval/medqa_test.jsonl" in manifest["eval_inputs"]
    assert manifest["seed"] == 42 and manifest["config"]["val_fraction"] == 0.1
    for package in ("python", "imi-train", "datasets", "pymupdf", "orjson", "xxhash"):
        assert manifest["versions"][package]
    assert manifest["outputs"]["education_train.json"]["sha256"] == storage.sha256_file(final / "education_train.json")


def test_unicode_and_whitespace_are_normalised(tmp_path):
    d = tmp_path / "data"
    messy = rec(0, instruction="  Answer\tthe   question.  ",
                input="ﬁrst line   with\u00a0nbsp\u200b\r\nsecond line\n\n\n\nthird\u3000line ",
                output="Dose: ５ mg  daily.")
    write_jsonl(d / "raw" / "medqa.jsonl", [messy, rec(1)])
    run_prepare(d)
    rows = [r for rows in final_records(d / "final").values() for r in rows if r["id"] == messy["id"]]
    assert rows[0]["instruction"] == "Answer the question."
    assert rows[0]["input"] == "first line with nbsp\nsecond line\n\nthird line"
    assert rows[0]["output"] == "Dose: 5 mg daily."


def test_normalise_text_keeps_clean_text_and_paragraphs():
    assert prepare.normalise_text("Clean text.") == "Clean text."
    assert prepare.normalise_text("A.\n\nB.\nC.") == "A.\n\nB.\nC."
    assert prepare.normalise_text(" a \n b \n\n\n\n c ") == "a\nb\n\nc"
    assert prepare.normalise_text("tab\there\x07") == "tab here"


# ---- PHI --------------------------------------------------------------------------

PLANTED = {
    "NAME": ["Margaret Ellison", "Okafor", "Priya"],
    "EMAIL": ["margaret.ellison@example.com"],
    "PHONE": ["(555) 014-2297", "+44 20 7946 0958"],
    "SSN": ["123-45-6789"],
    "MRN": ["4478213"],
    "ACCOUNT": ["99887766"],
    "ADDRESS": ["42 Birchwood Lane"],
    "DATE": ["03/14/2023", "March 14, 2021"],
    "URL": ["https://portal.example.org/p/77"],
    "IP": ["192.168.10.24"],
}


def test_planted_phi_is_absent_from_every_final_file_and_counted(tmp_path):
    d = tmp_path / "data"
    write_jsonl(d / "raw" / "healthcaremagic.jsonl", [
        hcm(0, "Hello doctor, my name is Margaret Ellison and I am 41. You can reach me at margaret.ellison@example.com "
               "or (555) 014-2297. I live at 42 Birchwood Lane, Springfield. Since 03/14/2023 I have had palpitations.",
            "Hi Margaret. Palpitations after coffee are often harmless; reduce caffeine and get an ECG."),
        hcm(1, "Dear doctor, I am John Okafor, MRN 4478213, SSN 123-45-6789. My knee is swollen.",
            "Hello John. Rest the knee. Thanks, Priya"),
    ])
    write_jsonl(d / "raw" / "icliniq.jsonl", [
        rec(0, source="icliniq", adapter="clinical_pharmacist", instruction="Answer the patient.",
            input="My account number: 99887766 was billed on March 14, 2021. Call +44 20 7946 0958.",
            output="See https://portal.example.org/p/77 from 192.168.10.24 for the bill."),
        rec(1, source="icliniq", adapter="clinical_pharmacist", instruction="Answer the patient.",
            input="Another question.", output="Another answer."),
    ])
    # PHI in an eval item and in a record that goes to quarantine must not leak either (an exam question
    # gets the document scrub: identifiers that are never legitimate there)
    write_jsonl(d / "raw" / "eval" / "medqa_test.jsonl",
                [eval_item(0, "A woman (margaret.ellison@example.com, SSN 123-45-6789) has a cough. Diagnosis?")])
    write_jsonl(d / "synthetic" / "synthetic.jsonl",
                [rec(0, source="synthetic", adapter="patient_triage", output="", input="Email margaret.ellison@example.com")])

    stats = run_prepare(d)

    text = all_output_text(d / "final")
    for kind, secrets in PLANTED.items():
        for secret in secrets:
            assert secret not in text, f"{kind} {secret!r} leaked into final/"
        assert stats["phi_replacements"][kind] >= len(secrets), kind
    assert (d / "final" / "quarantine.jsonl").is_file()
    assert "[EMAIL]" in (d / "final" / "quarantine.jsonl").read_text()
    kept = [r for rows in final_records(d / "final").values() for r in rows]
    assert any("my name is [NAME] and I am 41" in r["input"] for r in kept)


CLINICAL_OUTPUT = ("BP 120/80 mmHg, pulse 88/min. Take paracetamol 500 mg twice daily for 5 days, then 1/2 tablet. "
                   "HbA1c 6.5%, ICD-10 E11.9; diagnosed in 2019. Dr. Reddy's makes a generic.")


def test_clinical_text_is_not_mangled(tmp_path):
    d = tmp_path / "data"
    write_jsonl(d / "raw" / "medqa.jsonl", [rec(0, output=CLINICAL_OUTPUT), rec(1)])
    stats = run_prepare(d)
    outputs = [r["output"] for rows in final_records(d / "final").values() for r in rows]
    assert CLINICAL_OUTPUT in outputs
    assert sum(stats["phi_replacements"].values()) == 0


# ---- duplicates -------------------------------------------------------------------

def test_dedupe_text_is_lower_case_text_with_every_whitespace_run_one_space_for_any_fields():
    """The fast path of dedupe_text (normalised ASCII fields: blank lines and breaks collapsed with
    str.replace) gives exactly the plain definition, for any text, normalised or not."""
    from hypothesis import given, settings, strategies as st

    from imi_lib.data.prepare import dedupe_text, normalise_text

    def reference(*fields):
        return " ".join("\x00".join(fields).lower().split())

    field = st.text(st.one_of(st.sampled_from(list("ab Z.\n\t\r\x1c\x1f\x85\u2028\x00é")), st.characters()),
                    max_size=30)

    @settings(max_examples=600, derandomize=True, deadline=None)
    @given(st.sampled_from(["education", "research"]), field, field, field)
    def same(adapter, instruction, input, output):
        assert dedupe_text(adapter, instruction, input, output) == reference(adapter, instruction, input, output)
        fields = [normalise_text(t) for t in (instruction, input, output)]
        assert dedupe_text(adapter, *fields) == reference(adapter, *fields)

    same()
    assert dedupe_text("education", "Q", "", "Line one.\n\nLine TWO.\nEnd") == "education\x00q\x00\x00line one. line two. end"


def test_duplicates_dropped_but_distinct_rows_with_one_instruction_kept(tmp_path):
    d = tmp_path / "data"
    rows = [hcm(i, f"Hi doctor, I have knee pain for {i + 1} weeks after a fall.",
                f"Hello. Rest, ice and see an orthopaedician if it persists beyond {i + 2} weeks.") for i in range(40)]
    # same message, different doctor answer: a distinct record
    rows.append(hcm(40, rows[3]["input"], "Hi. An X-ray of the knee is needed."))
    # exact duplicate and a re-post that differs only in spacing and case, under new ids
    rows.append(hcm(41, rows[5]["input"], rows[5]["output"]))
    rows.append(hcm(42, "hi  doctor, i have knee pain for 8 weeks\nafter a fall.", rows[7]["output"].upper()))
    write_jsonl(d / "raw" / "healthcaremagic.jsonl", rows)
    # the same content for another adapter is not a duplicate (each adapter trains on its own)
    write_jsonl(d / "raw" / "icliniq.jsonl", [rec(0, source="icliniq", adapter="clinical_pharmacist",
                                                  instruction=HCM_INSTRUCTION, input=rows[0]["input"],
                                                  output=rows[0]["output"]),
                                              rec(1, source="icliniq", adapter="clinical_pharmacist",
                                                  input="x", output="y")])
    # a repeated id with other content is dropped too (the first one stays)
    write_jsonl(d / "synthetic" / "synthetic.jsonl", [rec(0, source="synthetic", output="first"),
                                                      {**rec(0, source="synthetic"), "output": "second"}])

    stats = run_prepare(d)

    kept = final_records(d / "final")
    triage = kept[("patient_triage", "train")] + kept[("patient_triage", "val")]
    assert len(triage) == 41
    assert {r["id"] for r in triage} == {r["id"] for r in rows[:41]}
    assert stats["by_source"]["healthcaremagic"]["duplicate"] == 2
    assert stats["by_source"]["synthetic"]["duplicate_id"] == 1
    assert stats["dropped"]["duplicate"] == 2 and stats["dropped"]["duplicate_id"] == 1
    pharmacist = kept[("clinical_pharmacist", "train")] + kept[("clinical_pharmacist", "val")]
    assert rows[0]["input"] in {r["input"] for r in pharmacist}
    education = kept[("education", "train")] + kept[("education", "val")]
    assert [r["output"] for r in education] == ["first"]


# ---- contamination ----------------------------------------------------------------

EVAL_Q1 = "A 45-year-old man has crushing chest pain and ST elevation in leads II, III and aVF. Which artery is occluded?"
EVAL_Q2 = "Does a low-sodium diet lower blood pressure in older adults?"
EVAL_SHORT = "Koplik spots are seen in"


def test_eval_questions_are_kept_out_of_training_and_counted_per_source(tmp_path):
    d = tmp_path / "data"
    options = "\n\nA. Left anterior descending\nB. Circumflex\nC. Right coronary\nD. Left main"
    write_jsonl(d / "raw" / "eval" / "medqa_test.jsonl", [eval_item(0, EVAL_Q1)])
    write_jsonl(d / "raw" / "eval" / "pubmedqa_holdout.jsonl", [eval_item(0, EVAL_Q2, source="pubmedqa")])
    write_jsonl(d / "raw" / "eval" / "medmcqa_validation.jsonl", [eval_item(0, EVAL_SHORT, source="medmcqa")])
    write_jsonl(d / "raw" / "medqa.jsonl", [
        rec(0, input=EVAL_Q1 + options),  # MedQA layout: question, blank line, options
        rec(1, input=EVAL_Q1.upper().replace(",", " ;") + options),  # other case and punctuation
        rec(2, instruction="Answer this: " + EVAL_Q1, input=""),  # after a colon in the instruction
        rec(3, input="A 45-year-old man has crushing chest pain. Which artery is occluded?" + options),  # different
    ])
    write_jsonl(d / "raw" / "pubmedqa.jsonl", [
        rec(0, source="pubmedqa", adapter="research", input=f"Question: {EVAL_Q2}\n\nAbstract:\nRESULTS: lower.",
            output="Yes."),
        rec(1, source="pubmedqa", adapter="research", input="Question: Does coffee raise blood pressure?",
            output="Maybe."),
    ])
    write_jsonl(d / "raw" / "medmcqa.jsonl", [
        rec(0, source="medmcqa", input=f"{EVAL_SHORT}\n\nA. Measles\nB. Mumps"),  # the short question exactly
        # a longer question that merely starts with the short stem is not the eval question
        rec(1, source="medmcqa", input="Koplik spots are seen in which phase of measles?\n\nA. Prodromal\nB. Rash"),
    ])

    stats = run_prepare(d)

    assert stats["by_source"]["medqa"]["contaminated"] == 3
    assert stats["by_source"]["pubmedqa"]["contaminated"] == 1
    assert stats["by_source"]["medmcqa"]["contaminated"] == 1
    assert stats["contaminated_by_eval_set"] == {"medqa_test": 3, "pubmedqa_holdout": 1, "medmcqa_validation": 1}
    training = "\n".join((d / "final" / f"{a}_{s}.json").read_text() for a in ADAPTERS for s in ("train", "val"))
    for question in ("crushing chest pain and ST elevation", "low-sodium diet", "Koplik spots are seen in\\n"):
        assert question not in training
    assert "Koplik spots are seen in which phase" in training
    assert "Does coffee raise blood pressure" in training
    assert read_lines(d / "final" / "eval" / "pubmedqa_holdout.jsonl")[0]["question"] == EVAL_Q2


def test_eval_index_rules():
    index = prepare.EvalIndex()
    index.add(EVAL_Q1, "medqa_test")
    index.add(EVAL_SHORT, "medmcqa_validation")
    assert index.match(EVAL_Q1) == "medqa_test"
    assert index.match(f"Q: {EVAL_Q1} Explain.") == "medqa_test"
    assert index.match("Intro line\n" + EVAL_Q1 + "\nA. x") == "medqa_test"
    assert index.match("Some preface, then " + EVAL_Q1) == "medqa_test"  # embedded in a longer text
    assert index.match(EVAL_Q1.replace("Which artery", "Which vein")) is None
    assert index.match("Koplik spots are seen in?") == "medmcqa_validation"
    assert index.match("Koplik spots are seen in adults") is None
    # a long segment (past the normalised head) still matches on its start
    assert index.match(EVAL_Q1 + " " + "detail " * 60) == "medqa_test"


# ---- split ------------------------------------------------------------------------

def _split_of(final):
    return {r["id"]: (adapter, split) for (adapter, split), rows in final_records(final).items() for r in rows}


def test_split_is_stable_when_records_are_added(tmp_path):
    d = tmp_path / "data"
    first = mcq_records(600)
    write_jsonl(d / "raw" / "medqa.jsonl", first)
    stats = run_prepare(d)
    before = _split_of(d / "final")
    assert len(before) == 600
    val_share = stats["split_totals"]["val"] / 600
    assert 0.06 < val_share < 0.14

    write_jsonl(d / "raw" / "medqa.jsonl", mcq_records(300, start=1000)[:150] + first + mcq_records(150, start=2000))
    write_jsonl(d / "synthetic" / "synthetic.jsonl", mcq_records(100, start=5000))
    run_prepare(d)
    after = _split_of(d / "final")
    assert len(after) == 1000
    assert {i: after[i] for i in before} == before

    run_prepare(d, seed=7)  # another seed is another split
    assert _split_of(d / "final") != after


def test_every_adapter_with_two_records_gets_a_val_record(tmp_path):
    d = tmp_path / "data"
    write_jsonl(d / "synthetic" / "synthetic.jsonl",
                [rec(i, source="synthetic", adapter="regulatory_qa", output=f"answer {i}") for i in range(2)]
                + [rec(i, source="synthetic", adapter="research", output=f"answer {i}") for i in range(3)]
                + [rec(0, source="synthetic", adapter="clinical_decision", output="alone")])
    stats = run_prepare(d)
    for adapter in ("regulatory_qa", "research"):
        assert stats["by_adapter"][adapter]["val"] >= 1 and stats["by_adapter"][adapter]["train"] >= 1
    assert stats["by_adapter"]["clinical_decision"] == {"train": 1, "val": 0}


def test_output_does_not_depend_on_the_number_of_workers(tmp_path, monkeypatch):
    d = tmp_path / "data"
    write_jsonl(d / "raw" / "medqa.jsonl", mcq_records(300) + mcq_records(20))  # 20 duplicates across chunks
    write_jsonl(d / "raw" / "healthcaremagic.jsonl",
                [hcm(i, f"Hi doctor, call me at 555-123-{1000 + i} about my {i}th visit.", "Hello, Thanks, Priya")
                 for i in range(200)])
    monkeypatch.setattr(prepare, "CHUNK_BYTES", 4096)  # many chunks, duplicates in later chunks
    outputs = []
    for workers in (1, 2):
        stats = run_prepare(d, workers=workers, out_dir=str(tmp_path / f"final{workers}"))
        stats.pop("seconds")
        files = {p.name: p.read_bytes() for p in (tmp_path / f"final{workers}").glob("[a-z]*_*.json")}
        outputs.append((stats, files))
    # workers forked from a caller that runs another thread (e.g. a progress-bar monitor) work the same
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        stats = run_prepare(d, workers=2, out_dir=str(tmp_path / "final_threaded"))
    finally:
        stop.set()
    stats.pop("seconds")
    outputs.append((stats, {p.name: p.read_bytes() for p in (tmp_path / "final_threaded").glob("[a-z]*_*.json")}))
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0][0]["dropped"]["duplicate"] == 20
    assert outputs[0][0]["phi_replacements"]["PHONE"] == 200


# ---- quarantine and errors ----------------------------------------------------------

def test_invalid_records_are_quarantined_with_reasons(tmp_path):
    d = tmp_path / "data"
    path = d / "raw" / "medqa.jsonl"
    write_jsonl(path, [rec(0), {**rec(1), "output": ""}, {**rec(2), "adapter": "dermatology"},
                       {**rec(3), "input": 5}, {**rec(4), "extra": 1}, {**rec(5), "output": "\u200b\u200b"},
                       {**rec(6), "output": "Call 555-123-4567", "adapter": "nope"}, rec(7, output="B.")])
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    stats = run_prepare(d)
    lines = read_lines(d / "final" / "quarantine.jsonl")
    reasons = [q["reason"] for q in lines]
    assert len(lines) == 7
    assert "output: empty" in reasons
    assert any(r.startswith("adapter: unknown adapter 'dermatology'") for r in reasons)
    assert any(r.startswith("input: expected a string") for r in reasons)
    assert any(r.startswith("unknown field(s): extra") for r in reasons)
    assert "output: empty after normalisation" in reasons
    assert any(r.startswith("json: line 9") for r in reasons)
    assert lines[-1]["origin"] == "raw/medqa.jsonl:9"
    assert "555-123-4567" not in (d / "final" / "quarantine.jsonl").read_text()
    assert stats["dropped"]["invalid"] == 7
    assert stats["invalid_reasons"] == {"adapter": 2, "input": 1, "json": 1, "output": 2, "unknown field(s)": 1}
    assert stats["split_totals"]["train"] + stats["split_totals"]["val"] == 2


def test_no_records_is_a_clear_error(tmp_path):
    with pytest.raises(UserError, match="no records to prepare"):
        run_prepare(tmp_path / "empty")
    (tmp_path / "d" / "raw").mkdir(parents=True)
    (tmp_path / "d" / "raw" / "medqa.jsonl").write_text("")
    seal_inputs(tmp_path / "d")
    proc = subprocess.run([sys.executable, "-m", "imi_lib.cli", "prepare", "--data-dir", str(tmp_path / "d")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "no records to prepare" in proc.stderr and "Traceback" not in proc.stderr


def test_bad_config_values_are_rejected(tmp_path):
    with pytest.raises(UserError, match="val_fraction"):
        run_prepare(tmp_path, val_fraction=1.5)


def test_directory_overrides(tmp_path):
    write_jsonl(tmp_path / "collected" / "medqa.jsonl", mcq_records(12))
    write_jsonl(tmp_path / "collected" / "eval" / "medqa_test.jsonl", [eval_item(0, "What is the question here?")])
    write_jsonl(tmp_path / "gen" / "synthetic.jsonl", [rec(0, source="synthetic", adapter="research")])
    storage.seal_dir(tmp_path / "collected")
    storage.seal_dir(tmp_path / "gen")
    stats = prepare.run(prepare.PrepareConfig(
        data_dir=str(tmp_path / "unused"), raw_dir=str(tmp_path / "collected"), synthetic_dir=str(tmp_path / "gen"),
        processed_dir=str(tmp_path / "missing"), out_dir=str(tmp_path / "out"), workers=1))
    assert stats["records_in"] == 13
    assert stats["input_dirs"]["processed"] == {"files": 0, "lines": 0}  # a missing directory counts as empty
    assert (tmp_path / "out" / "education_train.json").stat().st_size > 0
    assert (tmp_path / "out" / "eval" / "medqa_test.jsonl").is_file()
    assert not (tmp_path / "unused").exists()


def test_cli_help_lists_the_flags():
    proc = subprocess.run([sys.executable, "-m", "imi_lib.cli", "prepare", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    for flag in ("--data-dir", "--raw-dir", "--processed-dir", "--synthetic-dir", "--eval-dir", "--out-dir",
                 "--val-fraction", "--seed", "--workers"):
        assert flag in proc.stdout


# ---- S3 --------------------------------------------------------------------------------

def test_s3_round_trip(tmp_path, s3_env):
    local = tmp_path / "data"
    write_jsonl(local / "raw" / "medqa.jsonl", mcq_records(20) + [hcm(99, "Dear John, call 555-123-4567.", "Rest.")])
    write_jsonl(local / "raw" / "eval" / "medqa_test.jsonl", [eval_item(0, "Which nerve supplies the deltoid muscle?")])
    write_jsonl(local / "synthetic" / "synthetic.jsonl", [rec(0, source="synthetic", adapter="research")])
    uri = storage.join(s3_env, "data")
    for role in ("raw", "synthetic"):
        storage.upload_tree(local / role, storage.join(uri, role))  # each input directory with its marker

    stats = prepare.run(prepare.PrepareConfig(data_dir=uri, workers=1))

    back = storage.download_tree(storage.join(uri, "final"), tmp_path / "back", require_manifest=True)
    assert stats["records_in"] == 22
    for adapter in ADAPTERS:
        assert (back / f"{adapter}_train.json").is_file() and (back / f"{adapter}_val.json").is_file()
    assert json.loads((back / "stats.json").read_text())["records_in"] == 22
    assert (back / "eval" / "medqa_test.jsonl").is_file() and (back / "manifest.json").is_file()
    assert "555-123-4567" not in "".join(p.read_text() for p in back.rglob("*.json"))


def test_a_scrubber_data_file_missing_from_the_installation_fails_the_stage_in_one_line(tmp_path, monkeypatch):
    from imi_lib.core.errors import UserError
    from imi_lib.data import phi

    names = tmp_path / "names"
    names.mkdir()
    for f in phi._RULE_FILES + ("phi_model.npz",):
        if f != "first_names.txt.gz":
            (names / f).write_bytes(b"")
    monkeypatch.setattr(phi, "_NAMES_DIR", names)
    data = tmp_path / "d"
    write_jsonl(data / "raw" / "healthcaremagic.jsonl", [hcm(1, "my son has a fever", "Give fluids.")])
    with pytest.raises(UserError, match=r"missing from this installation: first_names\.txt\.gz"):
        run_prepare(data)
    assert not (data / "final").exists()  # nothing written, no record quarantined
    monkeypatch.setattr(phi, "_NAMES_DIR", None)
    phi.check_resources()  # the real installation has every file
