"""No record can kill `imi prepare`: property-based tests of the scrubber and of prepare's per-record path.

Hypothesis generates arbitrary Unicode (control and separator characters
\\x1c-\\x1f, \\x85, \\u2028, BOMs, zero-width characters, U+FFFD, leading digit
runs, empty fields) around planted identifiers; the scrubber and the chunk
worker must not raise, must produce valid output, and no planted identifier
may survive.
"""

import json
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from imi_lib.data import phi, prepare
from imi_lib.core.adapters import ADAPTERS
from imi_lib.core import storage
from imi_lib.core.records import check_record, stable_id, write_jsonl

SPECIALS = ["\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028", "\u2029", "\ufeff", "\u200b", "\u200d", "\ufffd",
            "\x00", "\t", "\r\n", "\n", " ", "\u00ad", "\u3000", ":", "#", "-", ".", "/"]
# pieces that look like the start of an identifier or a label: leading digit runs, label words
HOOKS = ["16 17 18 ", "MRN", "Dr.", "Hi ", "phone", "SSN:", "call me at ", "aged ", "Thanks,", "www.", "@", "+1 ",
         "(555) ", "2021/", "ISBN ", "licence plate ", " at ", " dot ", "P.O. Box"]
# (planted text, the part that must not survive a patient-scope scrub)
PLANTED = [("jane.doe@example.com", "jane.doe@example.com"), ("123-45-6789", "123-45-6789"),
           ("555-123-4567", "555-123-4567"), ("MRN 7654321", "7654321"), ("+44 20 7946 0958", "7946 0958"),
           ("https://clinic.example.org/p/42", "clinic.example.org"), ("07700 900123", "900123"),
           ("jdoe at gmail dot com", "jdoe at gmail")]

noise = st.lists(st.one_of(st.text(max_size=12), st.sampled_from(SPECIALS), st.sampled_from(HOOKS),
                           st.from_regex(r"[0-9][0-9 ./-]{0,12}", fullmatch=True)), max_size=10).map("".join)


def test_a_whitespace_only_label_tail_does_not_raise():
    """The IndexError of real PDF records: an empty input and an output that starts with numbers."""
    assert phi.scrub_batch([["", "16 17 18 This guidance"]]) == [["", "16 17 18 This guidance"]]
    assert phi.scrub_batch([["", "16 17 18 This guidance"]], scope="document") == [["", "16 17 18 This guidance"]]
    assert phi.scrub("\x1e\n12345 678") == "\x1e\n12345 678"


@settings(max_examples=300, deadline=None)
@given(left=noise, right=noise, planted=st.sampled_from(PLANTED), scope=st.sampled_from(["patient", "document"]))
# found by the search: a last group glued to a word ("MRN 7654321 0a") made the whole number no identifier
@example(left="", right="0a", planted=("MRN 7654321", "7654321"), scope="document")
def test_scrubber_never_raises_and_removes_planted_identifiers(left, right, planted, scope):
    text, secret = planted
    fields = [prepare.normalise_text(f"{left} {text} {right}"), prepare.normalise_text(right + left)]
    counts: dict = {}
    out = phi.scrub_batch([fields], counts, scope=scope)
    assert len(out) == 1 and len(out[0]) == 2 and all(isinstance(t, str) for t in out[0])
    assert out == [[phi.scrub(t, {}, scope) for t in fields]]  # the batch path equals the single-text path
    if scope == "patient":
        assert secret not in out[0][0], (fields[0], out[0][0])
    elif text in ("jane.doe@example.com", "123-45-6789", "MRN 7654321", "jdoe at gmail dot com"):
        assert secret not in out[0][0], (fields[0], out[0][0])  # never legitimate, in any text


def _record(n, instruction, inp, out, source, adapter):
    return {"id": stable_id("prop", n), "instruction": instruction, "input": inp, "output": out,
            "source": source, "adapter": adapter, "license": "test", "lineage": {"row": n}}


records = st.lists(st.tuples(noise, noise, noise, st.sampled_from(["healthcaremagic", "icliniq", "pubmedqa",
                                                                     "pdf_fda", "synthetic_triage", "x\x1e"]),
                             st.sampled_from([*ADAPTERS, "nope"]), st.sampled_from(PLANTED)),
                   min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=records)
def test_prepare_chunk_survives_any_record_and_accounts_for_each(rows):
    eval_index = prepare.EvalIndex()
    eval_index.add("Which of the following enzymes is deficient in this patient?", "medqa_test")
    eval_index.build()
    prepare._init_worker(eval_index, 42, 0.2)
    data = [_record(n, ins or "Answer.", f"{inp} {planted[0]}", out or "Fine.", source, adapter)
            for n, (ins, inp, out, source, adapter, planted) in enumerate(rows)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_bytes(b"".join(json.dumps(d, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n"
                                  for d in data))
        res = prepare._prepare_chunk((0, "raw/in.jsonl", str(path), 0, path.stat().st_size, 1))
    written = [json.loads(line) for g in res.groups.values() for line in g.blob.decode("utf-8").splitlines()]
    for d in written:
        check_record(d)  # every written record is valid
    quarantined = [json.loads(line) for line in res.quarantine]
    for q in quarantined:
        assert q["reason"] and "\n" not in q["reason"]
    totals = Counter()
    for c in res.by_source.values():
        totals.update(c)
    # every record is accounted for: written, quarantined, contaminated or a duplicate
    assert totals["in"] == len(data)
    assert len(written) + totals["invalid"] + totals["contaminated"] + totals["duplicate"] + totals["duplicate_id"] \
        == len(data)
    assert len(quarantined) == totals["invalid"]
    planted = {d["id"]: p for d, (_i, _n, _o, _s, _a, p) in zip(data, rows)}
    for d in written:
        text, secret = planted[d["id"]]
        if prepare.phi_scope(d["source"]) == "patient" or text in ("jane.doe@example.com", "123-45-6789"):
            assert secret not in json.dumps(d, ensure_ascii=False)
    for q in quarantined:  # quarantine gets the full scrub, whatever the source
        if isinstance(q["record"], dict) and q["record"].get("id") in planted:
            assert planted[q["record"]["id"]][1] not in json.dumps(q, ensure_ascii=False)


def test_a_record_that_makes_the_scrubber_raise_is_quarantined_and_the_stage_finishes(tmp_path, monkeypatch):
    real_find = phi.find_phi

    def find_phi(text, *args, **kw):
        if "EXPLODE" in text:
            raise ValueError("scrubber bug\non two lines")
        return real_find(text, *args, **kw)

    monkeypatch.setattr(phi, "find_phi", find_phi)
    d = tmp_path / "data"
    good = [_record(n, "Answer the patient.", f"My knee hurts ({n}).", "Rest it.", "healthcaremagic",
                    "patient_triage") for n in range(5)]
    bad = _record(9, "Answer the patient.", "EXPLODE my phone is 555-123-4567", "Rest.", "healthcaremagic",
                  "patient_triage")
    write_jsonl(d / "raw" / "healthcaremagic.jsonl", good[:2] + [bad] + good[2:])
    storage.seal_dir(d / "raw")  # written by hand: vouch for it as collect would
    stats = prepare.run(prepare.PrepareConfig(data_dir=str(d), workers=1))
    assert stats["split_totals"]["train"] + stats["split_totals"]["val"] == 5
    assert stats["dropped"]["invalid"] == 1 and stats["invalid_reasons"] == {"error": 1}
    (line,) = (d / "final" / "quarantine.jsonl").read_text().splitlines()
    q = json.loads(line)
    assert q["reason"] == "error: ValueError: scrubber bug on two lines"
    assert "555-123-4567" not in line  # the record could not be scrubbed, so its content is withheld
    assert q["record"] is None
