"""PHI scrubber quality on the labelled evaluation set: recall and false-positive rate per identifier type.

    .venv/bin/python benchmarks/bench_phi.py           # the tables, without and with the prose-name pass
                                                       # (and the learned pass, imi_lib/data/phi_model.py, which
                                                       # runs with it)
    .venv/bin/python benchmarks/bench_phi.py --misses  # also every missed identifier and false positive

The set (tests/phi_eval/, written by make_phi_eval.py) holds patient messages
with every Safe Harbor identifier labelled and PHI-free clinical, research
and regulatory text; tests/phi_eval/scoring.py defines the measures. The
prose-name pass (`prose_names`, patient text only) is measured on its own
sets (scoring.PROSE_SETS, tests/phi_eval/HELDOUT*.md): names in running prose
without a cue, and sentences full of capitalised words that are not names,
each written by hand without the rules. Each was scored first while held out;
a set whose misses then became rules is a development set (its figures are
floors, not estimates), and scoring.PROSE_STATUS says which is which. The
identifier sets (scoring.ID_SETS, HELDOUT_IDS.md) are printed the same way.
Also prints the scrubber's cost per 1,000 patient records, with and without
that pass (CPU time of this process, so that other processes on a shared
machine count less), and the load average.
Targets: recall >= 99% and false-positive rate <= 1% per type.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "phi_eval"))

import scoring  # noqa: E402

from imi_lib.data import phi  # noqa: E402


def _scrubber(prose_names: bool):
    return lambda text, counts, scope: phi.scrub(text, counts, scope, prose_names)


def _tables(msgs, free, prose_names: bool, misses: bool) -> None:
    result = scoring.score(_scrubber(prose_names), msgs, free)
    print(f"\n== prose_names={prose_names} ==")
    print(f"recall on {len(msgs)} patient messages, {result['identifiers']} identifiers (patient scope)")
    print(f"{'type':24s} {'caught':>7s} {'total':>6s} {'recall':>8s}")
    for kind, (hit, total) in result["recall"].items():
        print(f"{kind:24s} {hit:7d} {total:6d} {100 * hit / total:7.1f}%")
    print(f"{'all':24s} {result['caught']:7d} {result['identifiers']:6d} "
          f"{100 * result['caught'] / result['identifiers']:7.1f}%")
    prose = {which: scoring.score_prose(_scrubber(prose_names), which=which) for which in sorted(scoring.PROSE_SETS)}
    for which, r in prose.items():
        print(f"{f'NAME (prose, set {which})':24s} {r['caught']:7d} {r['names']:6d} "
              f"{100 * r['caught'] / r['names']:7.1f}%   ({scoring.PROSE_STATUS[which]})")
    n = result["free_total"]
    print(f"false positives on {n} PHI-free texts ({result['texts']})")
    for kind, count in sorted(result["texts"].items()):
        fp = result["fp_by_kind"].get(kind, 0)
        line = f"{kind:24s} {fp:4d} / {count:4d}  {100 * fp / count:5.2f}%"
        if kind in result["fp_if_patient_scope"]:
            p = result["fp_if_patient_scope"][kind]
            line += f"   (if scrubbed as patient text: {p} / {count}, {100 * p / count:.1f}%)"
        print(line)
    for which, r in prose.items():
        print(f"{f'capitalised non-names {which}':24s} {r['fp']:4d} / {r['texts']:4d}  "
              f"{100 * r['fp'] / r['texts']:5.2f}%   ({scoring.PROSE_STATUS[which]}, patient scope)")
    for t in phi.PHI_TYPES:
        fp = result["fp_by_type"].get(t, 0)
        print(f"  FPR {t:8s} {fp:4d} / {n}  {100 * fp / n:5.2f}%")
    if misses:
        for kind, value, out in result["misses"]:
            print(f"MISS {kind}: {value!r} in {out!r}")
        for kind, scope, counts, text, out in result["false_positives"]:
            print(f"FP {kind} ({scope}) {counts}: {text!r} -> {out!r}")
        for which, r in prose.items():
            for name, out in r["misses"]:
                print(f"MISS NAME (prose, set {which}): {name!r} in {out!r}")
            for counts, text, out in r["false_positives"]:
                print(f"FP capitalised {which} (patient) {counts}: {text!r} -> {out!r}")


def _id_sets(misses: bool) -> None:
    """The sets for every identifier type (tests/phi_eval/HELDOUT_IDS.md), with the prose pass."""
    print("\n== held-out sets for every identifier type (patient scope for messages; by kind for PHI-free text) ==")
    for which in sorted(scoring.ID_SETS):
        r = scoring.score_ids(_scrubber(True), which)
        fp = sum(r["fp_by_kind"].values())
        per_type = ", ".join(f"{k} {h}/{t}" for k, (h, t) in r["recall"].items() if h < t)
        print(f"set {which} ({scoring.ID_STATUS[which]}): recall {r['caught']}/{r['identifiers']} "
              f"({100 * r['caught'] / r['identifiers']:.1f}%); "
              f"false positives {fp}/{r['free_total']} ({100 * fp / r['free_total']:.2f}%) {r['fp_by_type']}"
              + (f"; short of all: {per_type}" if per_type else ""))
        if misses:
            for kind, value, out in r["misses"]:
                print(f"  MISS {kind}: {value!r} in {out!r}")
            for kind, scope, counts, text, out in r["false_positives"]:
                print(f"  FP {kind} ({scope}) {counts}: {text!r} -> {out!r}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", action="store_true", help="print every miss and false positive")
    args = ap.parse_args()
    msgs, free = scoring.load()
    for prose_names in (False, True):
        _tables(msgs, free, prose_names, args.misses)
    _id_sets(args.misses)
    prose_msgs, _ = scoring.load_prose()
    texts = [[m["text"]] for m in msgs + prose_msgs] * 20
    phi.scrub_batch(texts[:50])  # warm-up: pyarrow's regex engine starts on the first call, the gazetteer loads
    print(f"\ncost on {len(texts)} patient messages (scrub_batch, one core, CPU time), load average "
          f"{os.getloadavg()[0]:.2f}:")
    timing: dict = {False: [], True: []}
    for _ in range(5):  # alternated, best of five
        for prose_names in (False, True):
            t0 = time.process_time()
            phi.scrub_batch(texts, None, "patient", prose_names)
            timing[prose_names].append(time.process_time() - t0)
    for prose_names, dts in timing.items():
        print(f"  prose_names={prose_names}: {1e6 * min(dts) / len(texts):.1f} ms per 1,000 patient messages")
    print(f"  the prose-name pass: {1e6 * (min(timing[True]) - min(timing[False])) / len(texts):.1f} ms per 1,000")
    t0 = time.perf_counter()
    phi._GAZETTEER = None
    phi._gazetteer()
    print(f"  gazetteer load (once per process): {1e3 * (time.perf_counter() - t0):.0f} ms")
    _long_texts()
    return 0


# one shape repeated many times: a rule whose work grows with the square of a text's length shows here as a time
# per character that grows fourfold from one size to the next
LONG_SHAPES = {
    "ages in brackets after names": "Alice (94) ",
    "ages after titled names": "Mr. Brennan, 97, ",
    "ordinal days in a list": "1st, ",
    "days and months in a list": "3/9, ",
    "sign-offs in capitals": "Cordialement, MARIE-NOËLLE BOUCHARD\n",
    "domains after a site cue": "my site abc.example.org ",
    "a message of many rules": "Mr. Brennan, 97, villa 27, Al Olaya. taken 9/30, the 22nd right? Cordialement, MARIE ",
}


def _long_texts() -> None:
    print(f"\nlong texts of one shape (scrub, one core, best of three), load average {os.getloadavg()[0]:.2f}:")
    for name, unit in LONG_SHAPES.items():
        row = []
        for n in (250, 1000, 4000):
            text = ("on the " if unit == "1st, " else "sessions on " if unit == "3/9, " else "") + unit * n
            best = min(_timed(text) for _ in range(3))
            row.append(f"{len(text):>7,} chars {1e6 * best / len(text):6.2f} µs/char")
        print(f"  {name:30s} " + " | ".join(row))


def _timed(text: str) -> float:
    t0 = time.process_time()
    phi.scrub(text, {}, "patient")
    return time.process_time() - t0


if __name__ == "__main__":
    sys.exit(main())
