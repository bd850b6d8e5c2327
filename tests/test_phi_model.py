"""The scrubber's learned pass (imi_lib/data/phi_model.py): the shipped weights, what the pass adds to the
rules and what it must leave alone, and the script that trains it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imi_lib.data import phi, phi_model

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "phi_eval"))
import scoring  # noqa: E402


def rules_only(text: str, scope: str = "patient") -> str:
    spans = phi.find_phi(text, scope=scope)
    return phi._replace(text, spans, None) if spans else text


def test_shipped_weights_fit_the_code():
    m = phi_model.Model.load()
    assert m.weights.shape == (1 << phi_model.HASH_BITS, len(phi_model.CLASSES))
    assert m.threshold == pytest.approx(phi_model.THRESHOLD)
    assert np.isfinite(m.weights).all() and np.abs(m.weights).max() > 0.5
    # the tokens never classified are frequent non-PHI words, not names
    assert {"I", "Hi", "Thanks", "Please"} <= m.skip and not {"Priya", "Ahmed", "Street"} & m.skip
    with np.load(phi_model.MODEL_FILE) as z:
        ids, prose = (ast.literal_eval(part.split(" ", 1)[1]) for part in z["trained_on"].tolist())
    assert 57 in ids and 31 in prose
    # the held-out sets stay out of it: their figures in tests/test_phi_eval.py are a model's on text it never saw
    assert not set(scoring.MODEL_HELD_OUT_IDS) & set(ids) and not set(scoring.MODEL_HELD_OUT_PROSE) & set(prose)
    assert set(scoring.MODEL_HELD_OUT_IDS) <= set(scoring.ID_SETS)
    assert set(scoring.MODEL_HELD_OUT_PROSE) <= set(scoring.PROSE_SETS)


def test_texts_and_runs_without_a_digit_skip_the_model_and_lose_nothing():
    # an address or an ID holds a digit, so `Model.spans` gives a text whose scrubbed form has none no look, and
    # classifies only the candidates of runs that hold a digit (`encode(digit_runs=True)`): the spans are those
    # of the model looking at every candidate of every text
    texts = [m["text"] for n in (1, 2, 56) for m in scoring.load_ids(n)[0]]
    texts += [f["text"] for n in (1, 56) for f in scoring.load_ids(n)[1]]
    scrubbed = [phi._replace(t, phi.find_phi(t), None) for t in texts]
    skipped = [phi_model._ANY_DIGIT_RX.search(s) is None for s in scrubbed]
    assert 50 < sum(skipped) < len(texts) - 50
    m = phi_model.Model.load()
    runs = phi_model.encode(texts, m.lexicon, digit_runs=True)
    assert 0 < len(runs) < 0.8 * len(phi_model.encode(texts, m.lexicon))
    gated, unscrubbed = m.spans(texts, scrubbed), m.spans(texts)
    m.applied = frozenset(phi_model.APPLIED) | {"X"}  # (no class: the gates are off, nothing else changes)
    assert m.spans(texts, scrubbed) == gated and m.spans(texts) == unscrubbed
    assert sum(map(len, gated)) > 0 and sum(map(len, unscrubbed)) > sum(map(len, gated))
    # a run of codes, words and joiners holds its digit at either end; "Send" is a run of its own
    for text, kept in (("Send it to Flat 3, Rose Court, Mill Lane please", "Flat 3 Rose Court Mill Lane"),
                       ("Send it to Rose Court, Mill Lane, Flat 3 ok", "Rose Court Mill Lane Flat 3")):
        ran = phi_model.encode([text], m.lexicon, digit_runs=True)
        assert [m.lexicon.tokens[r] for r in ran.row] == kept.split()


# identifiers in shapes the rules do not know, which the pass catches (from the labelled sets it learned)
ADDED = [
    ("Tarjeta Sanitaria Individual CAAA 480112 69 8 0, Lucía. I lost it, can I still get my repeat prescription?",
     "480112"),
    ("Please, my name is Rosa, teléfono fijo 01 4271133, Jr. Huallaga 455, Cercado de Lima. My husband has TB.",
     "Huallaga 455"),
]


@pytest.mark.parametrize("text,value", ADDED)
def test_the_pass_catches_what_the_rules_leave(text, value):
    assert value in rules_only(text)
    counts: dict = {}
    out = phi.scrub(text, counts)
    assert value not in out
    assert phi.scrub_fields([text, "Thanks"], {})[0] == out
    assert phi.scrub_batch([[text]])[0][0] == out


@pytest.mark.parametrize("text", [
    "BP was 146/77 and pulse 93, sugar 95 mg/dl. There is no relief.",
    "Lote AB1234X, exp. 08/2026, store between 2 and 8 °C.",
    "SpO2 94% on room air, HR 112, RR 22.",
    "Take 500 mg twice a day for 5 days; HbA1c 7.9, LDL 131.",
    "Regards, Dr. R. K. Gupta",
])
def test_readings_and_codes_stay(text):
    # what the rules leave in these the pass must leave too: vitals, expiry years, doses, initials
    assert phi.scrub(text) == rules_only(text)


def test_document_scope_and_prose_names_off_leave_the_pass_out():
    text = ADDED[0][0]
    assert phi.scrub(text, scope="document") == rules_only(text, "document")
    assert phi.scrub(text, prose_names=False) == phi._replace(
        text, phi.find_phi(text, prose_names=False), None)
    assert phi.scrub_batch([[text]], prose_names=False)[0][0] == phi.scrub(text, prose_names=False)


def test_only_adds_replacements():
    texts = [t for t, _ in ADDED] + ["My name is Anil Sharma, DOB 12/03/1931, I am 93. Call 07700 900123."]
    for text in texts:
        rules, full = rules_only(text), phi.scrub(text)
        assert full.count("[") >= rules.count("[")
        for placeholder in set(phi.PLACEHOLDERS.values()):
            assert full.count(placeholder) >= rules.count(placeholder)


def test_a_batch_gives_each_text_its_own_result():
    texts = [t for t, _ in ADDED] + ["hello", "", "Dr. Anita Rao\nMRN 1234567", "1 2 3 4 5 6 7 8 9"]
    model = phi_model.model()
    together = model.spans(texts)
    assert together == [model.spans([t])[0] for t in texts]
    assert together == model.spans(texts[::-1])[::-1]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80), max_size=6))
def test_any_text_gives_spans_inside_it(texts):
    for text, spans in zip(texts, phi_model.model().spans(texts)):
        for start, end, kind in spans:
            assert 0 <= start < end <= len(text) and kind in phi_model.CLASSES[1:]


def test_hashing_is_stable():
    # the weights are indexed by these hashes: a change to the features needs a retrained model
    cands = phi_model.encode(["Mr Okafor, MRN 4471203"], phi_model._Lexicon())
    assert cands.matrix().shape == (len(cands), phi_model.N_FEATURES) == (4, 24)  # Mr, Okafor, MRN, 4471203
    # "Okafor": its word, shape, first and last letters, length, gazetteer bits
    assert cands.matrix()[1].tolist()[:6] == [238011, 96033, 153563, 218085, 118381, 10032]
    assert 0 <= cands.matrix().min() and cands.matrix().max() < (1 << phi_model.HASH_BITS)
    again = phi_model.encode(["Mr Okafor, MRN 4471203"], phi_model._Lexicon())
    assert (cands.matrix() == again.matrix()).all()


def test_the_training_script_trains_a_model(tmp_path):
    keep_ids, keep_prose = {1, 2}, {2}
    out = tmp_path / "m.npz"
    subprocess.run([sys.executable, str(REPO / "imi_lib/data/names/make_phi_model.py"), "--out", str(out),
                    "--exclude-ids", *map(str, sorted(set(scoring.ID_SETS) - keep_ids)),
                    "--exclude-prose", *map(str, sorted(set(scoring.PROSE_SETS) - keep_prose))],
                   check=True, capture_output=True, text=True, timeout=600)
    m = phi_model.Model.load(out)
    m.applied = frozenset(phi_model.CLASSES[1:])  # every class it learned, names too
    msgs, _free = scoring.load_ids(1)
    # trained on set 1, it finds most of set 1's identifiers on its own
    found = total = 0
    for msg, spans in zip(msgs, m.spans([msg["text"] for msg in msgs])):
        for p in msg["phi"]:
            total += 1
            found += any(s <= msg["text"].find(p["value"]) < e for s, e, _k in spans)
    assert found / total > 0.7
