"""Real dataset rows through `imi collect` and `imi prepare`: no crash, sensible quarantine, clean output.

The rows in tests/real/ are real public rows (tests/real/SOURCES.md says where each file comes from):
MedQA test questions, MedMCQA dev questions, PubMedQA PQA-L abstracts and iCliniq patient questions
with the iCliniq doctors' answers. They are laid out as a hub mirror by the fixture writers of
tests/fixtures/make_hub_fixtures.py (their row tables swapped for the real rows, as
benchmarks/bench_data.py does), so collect reads them through `datasets.load_dataset` exactly as it
reads the hub. The writers add their own edge rows (an empty question, an empty option, ...); those
are the only rows allowed in the quarantine.

What must hold on real rows:
- collect and prepare finish; no real row is quarantined;
- evaluation questions planted in the training splits (verbatim with their real line breaks, with
  changed case and spacing, inside a longer patient message) never reach the training files;
- exam questions and research abstracts keep their study periods, years, numbers and eponyms (the
  document scope of the PHI scrub); the few identifiers it may take there are counted and bounded;
- iCliniq messages get the full scrub and are routed by the medicine-question rule.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from imi_lib.core.adapters import ADAPTERS
from imi_lib.data import collect, prepare, sources

ROOT = Path(__file__).resolve().parent
REAL = ROOT / "real"
sys.path.insert(0, str(ROOT / "fixtures"))
import make_hub_fixtures as hubfx  # noqa: E402  (the hub layout and its writers)

PLACEHOLDER = re.compile(r"\[(?:NAME|EMAIL|PHONE|SSN|MRN|ACCOUNT|ID|ADDRESS|DATE|URL|IP)\]")


def _jsonl(path: Path) -> list[dict]:
    # split on "\n" only: str.splitlines() would also split on U+2028 or U+0085 inside a record
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]


def _key(text: str) -> str:
    """Case, spacing and line breaks folded: how a planted copy is recognised in the output."""
    return " ".join(text.casefold().split())


# ---- the real rows ----------------------------------------------------------

MEDQA = _jsonl(REAL / "medqa_test_sample.jsonl")          # 150 test rows, 60 with line breaks
MEDMCQA = _jsonl(REAL / "medmcqa_dev_rows.jsonl")          # 297 dev rows, cop 1-4 as in the upstream file
PUBMEDQA = json.loads((REAL / "pubmedqa_pqal_sample.json").read_text(encoding="utf-8"))  # 250 abstracts
ICLINIQ = _jsonl(REAL / "icliniq_rows.jsonl")              # 300 patient questions with the doctors' answers
LABELS = _jsonl(REAL / "icliniq_medicine_labels.jsonl")    # 100 of them hand-labelled

# The mirror: most MedQA/MedMCQA rows are evaluation items; the rest play the training split,
# and some evaluation questions are planted in training (the contamination the guard must catch).
MEDQA_TRAIN = MEDQA[::3]  # every third row (lab tables among them) plays the training split
MEDQA_TEST = [r for i, r in enumerate(MEDQA) if i % 3]
MEDMCQA_VAL, MEDMCQA_TRAIN = MEDMCQA[:200], MEDMCQA[200:]
PLANTED_MEDQA = ([r for r in MEDQA_TEST if "\n" in r["question"]][:20]
                 + [r for r in MEDQA_TEST if "\n" not in r["question"]][:5])
PLANTED_MEDMCQA = MEDMCQA_VAL[:15]


def _medqa_tuple(r: dict, question: str | None = None) -> tuple:
    return (question if question is not None else r["question"], [r["options"][k] for k in "ABCD"],
            r["answer_idx"], r["meta_info"])


def _medmcqa_tuple(r: dict, question: str | None = None) -> tuple:
    # the upstream files number the correct option 1-4; the hub's `cop` ClassLabel is 0-3
    return (question if question is not None else r["question"], [r["opa"], r["opb"], r["opc"], r["opd"]],
            r["cop"] - 1, r["choice_type"], r["exp"], r["subject_name"], r["topic_name"])


def _shout(text: str) -> str:
    """A re-posted copy: upper case, the line breaks turned into double spaces."""
    return text.upper().replace("\n", "  ")


def build_real_mirror(hub: Path, monkeypatch) -> None:
    medqa_train = [_medqa_tuple(r) for r in MEDQA_TRAIN]
    medqa_train += [_medqa_tuple(r) for r in PLANTED_MEDQA]                      # verbatim, real line breaks
    medqa_train += [_medqa_tuple(r, _shout(r["question"])) for r in PLANTED_MEDQA[:5]]  # case and spacing
    medmcqa_train = [_medmcqa_tuple(r) for r in MEDMCQA_TRAIN]
    medmcqa_train += [_medmcqa_tuple(r, r["question"].upper()) for r in PLANTED_MEDMCQA]
    icliniq = [(r["input"], r["answer_icliniq"]) for r in ICLINIQ]
    # an evaluation question inside a longer patient message
    icliniq += [(f"Hello doctor, my exam book asks this and I do not understand it: {r['question']} "
                 "Please explain.", "Hi. This is an exam question, not a health problem; please ask your teacher.")
                for r in PLANTED_MEDQA[5:8]]
    pubmedqa = [(v["QUESTION"], list(zip(v["LABELS"], v["CONTEXTS"])), [], v["LONG_ANSWER"], v["final_decision"])
                for v in PUBMEDQA.values()]
    for name, rows in (("MEDQA_TRAIN", medqa_train), ("MEDQA_TEST", [_medqa_tuple(r) for r in MEDQA_TEST]),
                       ("MEDMCQA_TRAIN", medmcqa_train),
                       ("MEDMCQA_VALIDATION", [_medmcqa_tuple(r) for r in MEDMCQA_VAL]),
                       ("MEDMCQA_TEST", [_medmcqa_tuple(r)[:2] for r in MEDMCQA_TRAIN[:5]]),
                       ("PUBMEDQA_LABELED", pubmedqa), ("ICLINIQ_ROWS", icliniq)):
        monkeypatch.setattr(hubfx, name, rows)
    hubfx.make_medqa(hub)
    hubfx.make_medmcqa(hub)
    hubfx.make_pubmedqa(hub)
    hubfx.make_healthcaremagic(hub)  # the fixture's own conversations: no real HealthCareMagic rows are committed
    hubfx.make_icliniq(hub)


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("real")
    with pytest.MonkeyPatch.context() as mp:
        build_real_mirror(work / "hub", mp)
    data = work / "data"
    summary = collect.run(collect.CollectConfig(data_dir=str(data), hub_mirror=str(work / "hub"), workers=1))
    stats = prepare.run(prepare.PrepareConfig(data_dir=str(data), workers=1))
    final = {}
    for path in (data / "final" / f"{a}_{split}.json" for a in ADAPTERS for split in ("train", "val")):
        for rec in _jsonl(path):
            final.setdefault(rec["source"], []).append(rec)
    return {"data": data, "summary": summary, "stats": stats, "final": final,
            "collect_quarantine": _jsonl(data / "raw" / "quarantine.jsonl"),
            "prepare_quarantine": (_jsonl(data / "final" / "quarantine.jsonl")
                                   if (data / "final" / "quarantine.jsonl").exists() else [])}


def _raw(data: Path, source: str) -> list[dict]:
    return _jsonl(data / "raw" / f"{source}.jsonl")


def _eval_questions(data: Path) -> dict[str, str]:
    """Folded question -> eval set, for every item collect wrote."""
    out = {}
    for name, path in collect.eval_files(data / "raw").items():
        for item in _jsonl(path):
            out[_key(item["question"])] = name
    return out


REAL_TEXTS = ({_key(r["question"]) for r in MEDQA} | {_key(r["question"]) for r in MEDMCQA}
              | {_key(v["QUESTION"]) for v in PUBMEDQA.values()} | {_key(r["input"]) for r in ICLINIQ})


def test_collect_and_prepare_finish_and_quarantine_no_real_row(real_run):
    summary, stats = real_run["summary"], real_run["stats"]
    assert summary["records"] > 0 and stats["split_totals"]["train"] > 0
    # every row collect quarantined is one of the fixture writers' own edge rows, with its reason
    for q in real_run["collect_quarantine"]:
        rec = q["record"]
        text = rec.get("question") or rec.get("input") or ""
        assert _key(text) not in REAL_TEXTS, (q["reason"], q["origin"])
    reasons = Counter(q["reason"].split(":")[0] for q in real_run["collect_quarantine"])
    assert set(reasons) <= {"answer", "question", "options", "output"}, reasons
    # prepare quarantines nothing: no real record is invalid, raises, or grows past the field limit
    assert real_run["prepare_quarantine"] == [] and stats["dropped"]["invalid"] == 0
    # every real source reaches the final files, and every planted-free real row is there
    for source in ("medqa", "medmcqa", "pubmedqa", "icliniq"):
        assert stats["by_source"][source]["train"] > 0, source
    assert stats["by_source"]["icliniq"]["train"] + stats["by_source"]["icliniq"]["val"] == len(ICLINIQ)


def test_eval_questions_planted_in_training_never_reach_the_final_files(real_run):
    data, final = real_run["data"], real_run["final"]
    evals = _eval_questions(data)
    planted = ([r["question"] for r in PLANTED_MEDQA] + [r["question"] for r in PLANTED_MEDMCQA])
    assert all(_key(q) in evals for q in planted)
    assert sum("\n" in q for q in planted) >= 20  # lab tables with their real line breaks
    for records in final.values():
        for rec in records:
            text = _key(f"{rec['instruction']} {rec['input']}")
            leaked = [q for q in planted if _key(q) in text]
            assert not leaked, (rec["source"], rec["id"], leaked[0][:80])
    # stats counts exactly the training records that contain an evaluation question, per source
    stats = real_run["stats"]
    for source in ("medqa", "medmcqa", "pubmedqa", "icliniq", "healthcaremagic"):
        expected = sum(any(q in _key(f"{r['instruction']} {r['input']}") for q in evals) for r in _raw(data, source))
        assert stats["by_source"][source]["contaminated"] == expected, source
    assert stats["by_source"]["medqa"]["contaminated"] >= 2 * 5 + 20  # verbatim + case/spacing copies
    assert stats["by_source"]["medmcqa"]["contaminated"] >= len(PLANTED_MEDMCQA)
    assert stats["by_source"]["icliniq"]["contaminated"] == 3  # the questions inside patient messages


def _spacing(text: str) -> str:
    """Text as prepare's normalisation leaves it (NFKC: the micro sign becomes mu; runs of spaces one)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_exam_questions_and_abstracts_keep_their_text(real_run):
    """Document scope: MedQA, MedMCQA and PubMedQA text reaches final/ unchanged but for spacing."""
    data, final = real_run["data"], real_run["final"]
    study_periods = 0
    for source in ("medqa", "medmcqa", "pubmedqa"):
        raw = {r["id"]: r for r in _raw(data, source)}
        for rec in final[source]:
            before = raw[rec["id"]]
            for field in ("instruction", "input", "output"):
                assert _spacing(rec[field]) == _spacing(before[field]), (source, rec["id"], field)
            assert not PLACEHOLDER.search(rec["input"] + rec["output"]), (source, rec["id"])
            study_periods += len(STUDY_PERIOD.findall(rec["input"]))
    assert study_periods >= 60  # real study periods ("between April 1996 and December 2000") kept
    texts = {source: " ".join(r["input"] + " " + r["output"] for r in final[source]) for source in final}
    for kept in ("From March 2007 to January 2011", "between April 1996 and December 2000",
                 "from January 1987 to January 1997"):
        assert kept in texts["pubmedqa"], kept
    assert "Robbins" in texts["medmcqa"] and "(n = 40)" in texts["pubmedqa"]


STUDY_PERIOD = re.compile(
    r"\b(?:[Bb]etween|[Ff]rom) (?:(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December) )?\d{4} (?:and|to|through) (?:(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December) )?\d{4}\b")


def test_icliniq_messages_get_the_full_scrub_and_route_by_the_rule(real_run):
    records = real_run["final"]["icliniq"]
    outputs = " ".join(r["output"] for r in records)
    # the real answers greet with the site's bare domain ("Welcome to icliniq.com"): patient scope takes it
    assert "icliniq.com" not in outputs.casefold() and "[URL]" in outputs
    by_input = {}
    for r in records:
        by_input[_key(r["input"])] = r["adapter"]
    for row in ICLINIQ:
        key = _key(row["input"])
        if key in by_input and not PLACEHOLDER.search(row["input"]):
            expected = "clinical_pharmacist" if sources.is_medicine_question(row["input"]) else "patient_triage"
            assert by_input[key] == expected, row["row"]
    share = sum(a == "clinical_pharmacist" for a in by_input.values()) / len(by_input)
    assert 0.1 <= share <= 0.3, share  # measured 0.20 on these 300 rows; the dose-mention rule routes 0.38
    # MedMCQA Pharmacology questions feed the pharmacist adapter too
    assert "clinical_pharmacist" in real_run["stats"]["by_source_adapter"]["medmcqa"]


def test_the_patient_scrub_takes_few_words_from_real_icliniq_messages(real_run):
    """A ceiling on the scrubber's false positives in real patient text, not a target.

    iCliniq publishes its conversations anonymised: the 300 messages hold no person's name, so every
    [NAME] the patient scope writes into them is a word lost. Measured first: 19, all of them drug brands
    (Yasmin, Vertin, Ixel, Ibugesic), eponyms (Pott's spine, Osgood-Schlatter), herbal names (Arjuna,
    Basti, Kalarachi Kai), "Curd", "Inn" and "Hence," at the start of a sentence. Since then discourse
    adverbs, foods and home remedies are not names, and a dose before a brand ("100 mg Ixel") or "at night",
    "can be used", ", which is used", "(combination of" after it make it a medicine: 14.
    """
    records = real_run["final"]["icliniq"]
    names = sum((r["input"] + r["output"]).count("[NAME]") for r in records)
    assert names <= 14, names
    # what must survive: drug names the lists know, doses, and the clinical words around them
    text = " ".join(r["input"] + " " + r["output"] for r in records)
    for kept in ("Thyronorm 75 mcg", "Augmentin 625", "Clexane", "Levothyroxine", "Synthroid 150 mcg"):
        assert kept in text, kept


def test_eval_items_carry_the_real_answer_keys(real_run):
    """The evaluation sets hold every valid real item with its real answer letter."""
    items = {name: _jsonl(path) for name, path in collect.eval_files(real_run["data"] / "raw").items()}
    medqa = {r["question"].strip(): r["answer_idx"] for r in MEDQA_TEST}  # collect strips the text
    got = {i["question"]: i["answer"] for i in items["medqa_test"]}
    assert got == medqa
    medmcqa = {r["question"].strip(): "ABCD"[r["cop"] - 1] for r in MEDMCQA_VAL}
    got = {i["question"]: i["answer"] for i in items["medmcqa_validation"]}
    assert got == medmcqa
    letter = {"yes": "A", "no": "B", "maybe": "C"}
    decisions = {v["QUESTION"].strip(): letter[v["final_decision"]] for v in PUBMEDQA.values()}
    held = [i for i in items["pubmedqa_holdout"] if i["question"] in decisions]  # less the fixture's edge row
    assert 30 <= len(held) <= 80 and all(decisions[i["question"]] == i["answer"] for i in held)
    assert all(i["context"] for i in held)  # the abstract travels with the question
