"""The contamination guard on real MedQA test questions: every planted form is found and counted exactly.

tests/real/medqa_test_rows.jsonl holds real rows of the MedQA (USMLE) test
split, two of them with lab tables (line breaks inside the question). Each
is planted in training records of several sources in every form the guard
must see through; stats.json must count exactly those, and nothing of them
may reach the training files.
"""

import json
from pathlib import Path

from imi_lib.core import storage
from imi_lib.core.adapters import ADAPTERS
from imi_lib.core.records import stable_id, write_jsonl
from imi_lib.data import prepare

REAL = Path(__file__).parent / "real"
ROWS = [json.loads(line) for line in (REAL / "medqa_test_rows.jsonl").read_text(encoding="utf-8").splitlines()]


def _options(options: dict, order: str) -> str:
    return "\n".join(f"{letter}. {options[k]}" for letter, k in zip("ABCD", order))


# every form a copy of an evaluation question can take in a training record
FORMS = {
    "verbatim": lambda q, o: f"{q}\n\n{_options(o, 'ABCD')}",
    "upper case": lambda q, o: q.upper(),
    "lower case": lambda q, o: q.lower(),
    "spacing and line breaks": lambda q, o: "  ".join(q.replace("\n", " ").split(" ")).replace(". ", ".\n\n"),
    "options reordered": lambda q, o: f"{q}\n\n{_options(o, 'DBCA')}",
    "case-folding": lambda q, o: q.replace("ss", "ß").replace("SS", "ß"),
    "embedded": lambda q, o: f"Got this on my exam yesterday, can you explain? {q} I picked {o['A']}. Thanks!",
    "full-width": lambda q, o: q.replace("A", "Ａ").replace("e", "ｅ"),
}
SOURCES = [("medqa", "education"), ("healthcaremagic", "patient_triage"), ("icliniq", "clinical_pharmacist"),
           ("medmcqa", "education")]


def _rec(n, source, adapter, text):
    return {"id": stable_id("contam", n), "instruction": "Answer the question.", "input": text,
            "output": "An answer.", "source": source, "adapter": adapter, "license": "test",
            "lineage": {"row": n}}


def test_the_real_rows_have_line_breaks_inside_questions():
    assert sum("\n" in r["question"] for r in ROWS) >= 2


def test_every_planted_form_is_removed_and_counted_exactly(tmp_path):
    d = tmp_path / "data"
    write_jsonl(d / "raw" / "eval" / "medqa_test.jsonl", [
        {"id": stable_id("medqa", "eval", i), "question": r["question"], "options": r["options"],
         "answer": r["answer_idx"], "source": "medqa"} for i, r in enumerate(ROWS)])
    planted, clean = [], []
    n = 0
    for i, row in enumerate(ROWS):
        for j, form in enumerate(FORMS.values()):
            source, adapter = SOURCES[(i + j) % len(SOURCES)]
            planted.append(_rec(n, source, adapter, form(row["question"], row["options"])))
            n += 1
    # near misses stay: the options alone, and a question with its ending changed
    for i, row in enumerate(ROWS):
        clean.append(_rec(n, "medqa", "education", _options(row["options"], "ABCD")))
        clean.append(_rec(n + 1, "medqa", "education", row["question"].rsplit(" ", 6)[0] + " What is the diagnosis?"))
        n += 2
    write_jsonl(d / "raw" / "mixed.jsonl", planted + clean)
    storage.seal_dir(d / "raw")  # written by hand: vouch for it as collect would

    stats = prepare.run(prepare.PrepareConfig(data_dir=str(d), workers=1))

    assert stats["dropped"]["contaminated"] == len(planted) == len(ROWS) * len(FORMS)
    assert stats["contaminated_by_eval_set"] == {"medqa_test": len(planted)}
    written = json.loads((d / "final" / "stats.json").read_text())
    assert written["dropped"]["contaminated"] == len(planted)
    assert sum(c["contaminated"] for c in written["by_source"].values()) == len(planted)
    assert stats["split_totals"]["train"] + stats["split_totals"]["val"] == len(clean)
    training = [json.loads(line) for a in ADAPTERS for s in ("train", "val")
                for line in (d / "final" / f"{a}_{s}.json").read_text(encoding="utf-8").splitlines()]
    kept = {r["id"] for r in training}
    assert kept == {r["id"] for r in clean}


def test_a_short_stem_inside_a_longer_question_is_not_contamination():
    index = prepare.EvalIndex()
    index.add("Koplik spots are seen in", "medmcqa_validation", ["Measles", "Mumps", "Rubella", "Chickenpox"])
    index.build()
    assert index.match("Koplik spots are seen in which phase of measles?\nA. Prodromal\nB. Rash") is None
    assert index.match("Q: Koplik spots are seen in") == "medmcqa_validation"
    # the stem with all its options, in any order and wording around it
    assert index.match("Koplik spots are seen in? Options: rubella, chickenpox, mumps or measles") \
        == "medmcqa_validation"


def test_question_words_is_casefolded_words_without_punctuation_for_any_text():
    """The fast paths of question_words give exactly the words of the plain definition:
    casefold, every run of characters that is neither a word character nor a space becomes a space."""
    import re

    from hypothesis import given, settings, strategies as st

    from imi_lib.data.prepare import question_words

    def reference(text):
        return re.sub(r"[^\w\s]+", " ", text.casefold().replace("_", " ")).split()

    alphabet = st.one_of(st.characters(), st.sampled_from(list("°µ–—ß İ_é\u0301\u00a0\u2028ﬁ.,;:()[]")))

    @settings(max_examples=500, derandomize=True, deadline=None)
    @given(st.text(alphabet, max_size=40))
    def same(text):
        assert question_words(text) == reference(text)

    same()
    assert question_words("Na+ 140 mEq/L, temp 38.5°C") == ["na", "140", "meq", "l", "temp", "38", "5", "c"]
