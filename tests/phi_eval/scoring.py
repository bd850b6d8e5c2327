"""Recall and false-positive rate of the PHI scrubber on the labelled set in this folder (see make_phi_eval.py).

Recall, per type: an identifier counts as caught when its exact string is
gone from the scrubbed message (an age counts when the number is no longer
there on its own: "97" -> "90+"). Patient messages are scrubbed with the
"patient" scope, as prepare does for patient sources.

False-positive rate, per type: the share of PHI-free texts in which the
scrubber replaced anything of that type. Clinical text is scrubbed with the
"patient" scope; research and regulatory text with the "document" scope, as
prepare does for their sources (and, for comparison, with "patient" too).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent


def load():
    msgs = [json.loads(line) for line in (HERE / "patient_messages.jsonl").read_text(encoding="utf-8").splitlines()]
    free = [json.loads(line) for line in (HERE / "phi_free.jsonl").read_text(encoding="utf-8").splitlines()]
    return msgs, free


def caught(identifier: dict, scrubbed: str) -> bool:
    value = identifier["value"]
    if identifier["type"] == "AGE":
        return re.search(rf"(?<![0-9]){re.escape(value)}(?![0-9+])", scrubbed) is None
    return value not in scrubbed


def score(scrub, msgs=None, free=None) -> dict:
    """`scrub(text, counts, scope) -> text`; returns recall and FPR tables and the misses."""
    if msgs is None:
        msgs, free = load()
    total, hit, misses = Counter(), Counter(), []
    for m in msgs:
        out = scrub(m["text"], {}, "patient")
        for p in m["phi"]:
            key = "NAME (running prose)" if p.get("prose") else p["type"]
            total[key] += 1
            if caught(p, out):
                hit[key] += 1
            else:
                misses.append((key, p["value"], out))
    texts, fp_any, fp_type, fp_patient_scope = Counter(), Counter(), Counter(), Counter()
    false_positives = []
    for f in free:
        kind = f["kind"]
        texts[kind] += 1
        counts: dict = {}
        scope = "patient" if kind == "clinical" else "document"
        out = scrub(f["text"], counts, scope)
        if counts:
            fp_any[kind] += 1
            false_positives.append((kind, scope, counts, f["text"], out))
        for t in counts:
            fp_type[t] += 1
        if scope == "document":
            as_patient: dict = {}
            scrub(f["text"], as_patient, "patient")
            fp_patient_scope[kind] += bool(as_patient)
    return {"recall": {k: (hit[k], total[k]) for k in sorted(total)},
            "identifiers": sum(total.values()), "caught": sum(hit.values()), "misses": misses,
            "texts": dict(texts), "fp_by_kind": dict(fp_any), "fp_by_type": dict(fp_type),
            "fp_if_patient_scope": dict(fp_patient_scope), "false_positives": false_positives,
            "free_total": sum(texts.values())}


# ---- the prose-name pass's held-out set ------------------------------------------
# prose_names_heldout.jsonl: {"text", "names"}: patient messages with names in running prose that no
# cue announces (or only a relation or title cue), of many origins, one all-lower-case; written and
# committed before the pass's rules, which were tuned on the dev list in tests/test_phi_names.py only.
# capitalised_non_names.txt: PHI-free sentences full of capitalised words that are not names
# (eponyms, brand names, places, institutions, months, weekdays, holidays), one per line.

# prose_names_heldout2.jsonl and capitalised_non_names2.txt (see HELDOUT2.md): a second set of the same
# kinds, written later by hand without the pass's rules, and never used to change them.
_DEVELOPMENT = "development (held out when scored first)"
_HELD_OUT = "held out: scored once, after the rules"
PROSE_SETS = {1: ("prose_names_heldout.jsonl", "capitalised_non_names.txt"),
              **{n: (f"prose_names_heldout{n}.jsonl", f"capitalised_non_names{n}.txt") for n in (*range(2, 25), *range(26, 41))}}
# what each set is now: every set was written without the rules; a set whose misses became rules is a
# development set, its figures floors; a held-out set is scored once, after the rules, and never changes one
PROSE_STATUS = {n: "development" if n <= 3 else _HELD_OUT if 20 <= n <= 23 or n in (32, 33, 40) else _DEVELOPMENT
                for n in PROSE_SETS}


def load_prose(which: int = 1):
    names_file, free_file = PROSE_SETS[which]
    msgs = [json.loads(line) for line in (HERE / names_file).read_text(encoding="utf-8").splitlines()]
    free = [line for line in (HERE / free_file).read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return msgs, free


def score_prose(scrub, which: int = 1) -> dict:
    """Recall on a prose-name set and the share of its capitalised-non-name sentences that lose anything.

    `scrub(text, counts, scope) -> text`; every text is patient text; `which`: the set (PROSE_SETS)."""
    msgs, free = load_prose(which)
    hit, misses = 0, []
    for m in msgs:
        out = scrub(m["text"], {}, "patient")
        for name in m["names"]:
            if name in out:
                misses.append((name, out))
            else:
                hit += 1
    false_positives = []
    for text in free:
        counts: dict = {}
        out = scrub(text, counts, "patient")
        if counts:
            false_positives.append((counts, text, out))
    return {"caught": hit, "names": hit + len(misses), "misses": misses,
            "fp": len(false_positives), "texts": len(free), "false_positives": false_positives}


# ---- held-out sets for every identifier type (HELDOUT_IDS.md) ---------------------------------------------------
# (no set 44: its writer had no time to write it)
ID_SETS = {n: (f"ids_heldout{n}.jsonl", f"ids_free{n}.jsonl") for n in (*range(1, 44), *range(45, 69))}
ID_STATUS = {n: "development" if n <= 3 else _HELD_OUT if n in (61, 62, 66, 67, 68) else _DEVELOPMENT for n in ID_SETS}
# the sets the learned pass's model never trains on (imi_lib/data/names/make_phi_model.py leaves them out unless told):
# written blind on the sixth day's second session and scored with the shipped model (HELDOUT_IDS.md)
MODEL_HELD_OUT_IDS = (58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68)
MODEL_HELD_OUT_PROSE = (32, 33, 34, 35, 36, 37, 38, 39, 40)


def load_ids(which: int):
    msgs_file, free_file = ID_SETS[which]
    msgs = [json.loads(line) for line in (HERE / msgs_file).read_text(encoding="utf-8").splitlines() if line.strip()]
    free = [json.loads(line) for line in (HERE / free_file).read_text(encoding="utf-8").splitlines() if line.strip()]
    return msgs, free


def score_ids(scrub, which: int) -> dict:
    """`score` on one of the held-out identifier sets."""
    return score(scrub, *load_ids(which))

