"""Routing of patient questions: the medicine-question rule (iCliniq) and MedMCQA Pharmacology.

Two labelled samples. The real one: 200 real iCliniq patient questions (tests/real/icliniq_rows.jsonl),
each hand-labelled "about a medicine" or not with a one-line reason
(tests/real/icliniq_medicine_labels.jsonl): "dev" (100, the rule's cues were chosen on them), "check"
(50, labelled before the last two cues were added) and "heldout" (50, labelled after the rule was
final, without looking at its answers). The synthetic one: 100 iCliniq-style messages, every combination of ten
histories (half of them mention a medicine the patient takes or took) and
ten questions (half of them about a medicine). The label is what the
patient asks, not what the history mentions: that is the difference the
rule has to get right ("I take metformin ... why do my feet burn?" is a
symptom question, "... should I take it with food?" is a medicine one).
"""

import json
import re
from pathlib import Path

from imi_lib.data import sources

REAL = Path(__file__).resolve().parent / "real"

HISTORIES = [
    ("I am 45 and have type 2 diabetes for which I take metformin 500 mg twice a day.", True),
    ("My mother is 62 and is on amlodipine 5 mg for blood pressure.", True),
    ("I had a throat infection last month and finished a course of azithromycin.", True),
    ("I have hypothyroidism and take thyronorm 50 mcg every morning.", True),
    ("I took two tablets of paracetamol for the fever yesterday.", True),
    ("I am 29, female, and otherwise healthy.", False),
    ("My son is 6 years old and goes to school.", False),
    ("I work night shifts in a call centre and sleep badly.", False),
    ("I had a minor road accident two weeks ago but no fracture.", False),
    ("I am 34 weeks pregnant with my first baby.", False),
]
ASKS = [
    ("Can I take ibuprofen for the pain along with this?", True),
    ("Is it safe to take a cetirizine tablet at night?", True),
    ("What are the side effects of long-term use of pantoprazole?", True),
    ("I missed the dose this morning, what should I do?", True),
    ("Which syrup should I give for the dry cough?", True),
    ("Now I have a burning pain in both feet at night. What could be the reason?", False),
    ("For three days there is a red itchy rash on the arms. What is it?", False),
    ("Since yesterday I feel dizzy when I stand up. Should I see a doctor?", False),
    ("There is a painless lump behind the ear. Is it serious?", False),
    ("My left knee is swollen after climbing stairs. What tests do I need?", False),
]
SAMPLE = [(f"Hello doctor, {h} {a}", ask_med) for h, _ in HISTORIES for a, ask_med in ASKS]

# the rule before: any mention of a medicine, a dose or "tablet" sent the message to the pharmacist
OLD_RULE = re.compile(
    r"\b(tablets?|capsules?|pills?|syrup|dose|doses|dosage|mg|medicines?|medications?|drugs?|prescribed|"
    r"side[- ]effects?|interactions?|antibiotics?|supplements?|injections?|inhalers?|ointment|"
    r"[a-z]+(?:cillin|mycin|prazole|sartan|pril|olol|statin|formin|thyroxine|floxacin|dipine|profen|farin))\b",
    re.IGNORECASE)


def _scores(predict, sample=SAMPLE):
    tp = sum(bool(predict(t)) and y for t, y in sample)
    fp = sum(bool(predict(t)) and not y for t, y in sample)
    fn = sum(not predict(t) and y for t, y in sample)
    correct = sum(bool(predict(t)) == y for t, y in sample)
    return correct / len(sample), tp / max(1, tp + fp), tp / max(1, tp + fn)


def _real_sample(part: str | None = None) -> list[tuple[str, bool]]:
    messages = {}
    for line in (REAL / "icliniq_rows.jsonl").read_text(encoding="utf-8").split("\n"):
        if line.strip():
            row = json.loads(line)
            messages[row["row"]] = row["input"]
    return [(messages[lab["row"]], lab["medicine"]) for lab in _labels() if part in (None, lab["set"])]


def _labels() -> list[dict]:
    text = (REAL / "icliniq_medicine_labels.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.split("\n") if line.strip()]


def test_the_real_sample_has_200_labelled_icliniq_questions_each_with_a_reason():
    labels = _labels()
    assert len(labels) == 200 and len({lab["row"] for lab in labels}) == 200
    assert [sum(lab["set"] == s for lab in labels) for s in ("dev", "check", "heldout")] == [100, 50, 50]
    assert all(lab["reason"].strip() for lab in labels)
    assert sum(lab["medicine"] for lab in labels) == 49


def test_the_medicine_question_rule_on_real_icliniq_questions():
    # measured: 200 questions accuracy 0.93, precision 0.93, recall 0.78, routed 20.5%;
    # held-out 50 accuracy 0.96, precision 1.0, recall 0.89
    sample = _real_sample()
    accuracy, precision, recall = _scores(sources.is_medicine_question, sample)
    assert accuracy >= 0.93 and precision >= 0.92 and recall >= 0.77, (accuracy, precision, recall)
    share = sum(sources.is_medicine_question(t) for t, _ in sample) / len(sample)
    assert 0.15 <= share <= 0.25, share  # 24.5% of these questions are about a medicine
    held = _scores(sources.is_medicine_question, _real_sample("heldout"))
    assert held[0] >= 0.96 and held[1] >= 0.95 and held[2] >= 0.88, held
    # the dose-mention rule sends 40% of real questions to the pharmacist, half of them wrongly
    old_accuracy, old_precision, _ = _scores(lambda t: OLD_RULE.search(t) is not None, sample)
    old_share = sum(OLD_RULE.search(t) is not None for t, _ in sample) / len(sample)
    assert old_precision < 0.6 and old_share > 0.35 and accuracy >= old_accuracy + 0.1


def test_the_sample_has_100_messages_half_about_medicines():
    assert len(SAMPLE) == 100 and sum(y for _, y in SAMPLE) == 50
    assert sum(m for _, m in HISTORIES) == 5  # half the histories mention a medicine


def test_the_medicine_question_rule_routes_by_what_is_asked():
    accuracy, precision, recall = _scores(sources.is_medicine_question)
    assert accuracy >= 0.95 and precision >= 0.95 and recall >= 0.95, (accuracy, precision, recall)
    old_accuracy, old_precision, _ = _scores(lambda t: OLD_RULE.search(t) is not None)
    assert old_precision < 0.75 and accuracy >= old_accuracy + 0.15  # mentions alone over-route


def test_a_month_is_not_a_medicine():
    assert not sources.is_medicine_question("Since April I have had a cough. Can it be asthma?")
    assert sources.is_medicine_question("Can I take lisinopril with my cough syrup?")


def test_medmcqa_pharmacology_feeds_the_pharmacist_too():
    ctx = sources.RowContext("medmcqa", "openlifescienceai/medmcqa", "rev", None, "train", "apache-2.0")
    row = {"question": "Drug of choice for absence seizures is", "opa": "Ethosuximide", "opb": "Phenytoin",
           "opc": "Carbamazepine", "opd": "Phenobarbitone", "cop": 0, "subject_name": "Pharmacology",
           "topic_name": "Antiepileptics", "exp": "Ethosuximide blocks T-type calcium channels."}
    recs = sources.map_medmcqa_train(row, 3, ctx)
    assert [r.adapter for r in recs] == ["education", "clinical_pharmacist"]
    assert len({r.id for r in recs}) == 2
    assert recs[1].output.startswith("The correct answer is A. Ethosuximide")
    other = sources.map_medmcqa_train({**row, "subject_name": "Anatomy"}, 4, ctx)
    assert [r.adapter for r in other] == ["education"]
    assert "clinical_pharmacist" in sources.SOURCES["medmcqa"].adapters
