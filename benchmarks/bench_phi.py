"""PHI scrubber quality on the labelled evaluation set: recall and false-positive rate per identifier type.

    .venv/bin/python benchmarks/bench_phi.py           # the table
    .venv/bin/python benchmarks/bench_phi.py --misses  # also every missed identifier and false positive

The set (tests/phi_eval/, written by make_phi_eval.py) holds patient messages
with every Safe Harbor identifier labelled and PHI-free clinical, research
and regulatory text; tests/phi_eval/scoring.py defines the measures. Also
prints the scrubber's cost per 1,000 patient records. Targets: recall >= 99%
and false-positive rate <= 1% per type.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "phi_eval"))

import scoring  # noqa: E402

from imi_lib.data import phi  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", action="store_true", help="print every miss and false positive")
    args = ap.parse_args()
    msgs, free = scoring.load()
    result = scoring.score(phi.scrub, msgs, free)
    print(f"recall on {len(msgs)} patient messages, {result['identifiers']} identifiers (patient scope)")
    print(f"{'type':24s} {'caught':>7s} {'total':>6s} {'recall':>8s}")
    for kind, (hit, total) in result["recall"].items():
        print(f"{kind:24s} {hit:7d} {total:6d} {100 * hit / total:7.1f}%")
    rule_based = [(h, t) for k, (h, t) in result["recall"].items() if k != "NAME (running prose)"]
    hit, total = sum(h for h, _ in rule_based), sum(t for _, t in rule_based)
    print(f"{'all but prose names':24s} {hit:7d} {total:6d} {100 * hit / total:7.1f}%")
    print(f"{'all':24s} {result['caught']:7d} {result['identifiers']:6d} "
          f"{100 * result['caught'] / result['identifiers']:7.1f}%")
    n = result["free_total"]
    print(f"\nfalse positives on {n} PHI-free texts ({result['texts']})")
    for kind, count in sorted(result["texts"].items()):
        fp = result["fp_by_kind"].get(kind, 0)
        line = f"{kind:24s} {fp:4d} / {count:4d}  {100 * fp / count:5.2f}%"
        if kind in result["fp_if_patient_scope"]:
            p = result["fp_if_patient_scope"][kind]
            line += f"   (if scrubbed as patient text: {p} / {count}, {100 * p / count:.1f}%)"
        print(line)
    for t in phi.PHI_TYPES:
        fp = result["fp_by_type"].get(t, 0)
        print(f"  FPR {t:8s} {fp:4d} / {n}  {100 * fp / n:5.2f}%")
    texts = [m["text"] for m in msgs] * 20
    phi.scrub_batch([[t] for t in texts[:50]])  # warm-up: pyarrow's regex engine starts on the first call
    t0 = time.perf_counter()
    phi.scrub_batch([[t] for t in texts])
    dt = time.perf_counter() - t0
    print(f"\ncost: {1000 * dt / len(texts) * 1000:.1f} ms per 1,000 patient messages (scrub_batch, one core)")
    if args.misses:
        for kind, value, out in result["misses"]:
            print(f"MISS {kind}: {value!r} in {out!r}")
        for kind, scope, counts, text, out in result["false_positives"]:
            print(f"FP {kind} ({scope}) {counts}: {text!r} -> {out!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
