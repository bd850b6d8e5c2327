"""Trains phi_model.npz, the token classifier of the scrubber's learned pass (`imi_lib.data.phi_model`).

    .venv/bin/python imi_lib/data/names/make_phi_model.py                      # every set but the held-out ones
    .venv/bin/python imi_lib/data/names/make_phi_model.py --exclude-ids 54 55 --exclude-prose 30 --out /tmp/m.npz

Training data: the labelled sets of tests/phi_eval (scoring.ID_SETS and
scoring.PROSE_SETS) but the ones held out from it (scoring.MODEL_HELD_OUT_IDS
and MODEL_HELD_OUT_PROSE). Every token with a capital or a digit is one example:
inside a labelled identifier it takes that identifier's class (NAME, DATE,
AGE, ADDRESS; every other type is ID), elsewhere "O". The PHI-free texts
and the capitalised sentences without names give the negatives. Names in
running prose that an identifier set leaves unlabelled (its brief labels
cued names only) count as "O" there: noise the prose sets outweigh.

A multinomial logistic regression (scikit-learn, L2, lbfgs; deterministic)
over the hashed features; out come the weights as float16 and the
threshold. Needs scikit-learn (installed with the test extras), a few
minutes and ~3 GB; built once and committed, nothing is trained at run time.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "phi_eval"))

import scoring  # noqa: E402
from imi_lib.data import phi_model  # noqa: E402

SKIP_MIN_COUNT = 20


def _spans(text: str, values: list[tuple[str, int]], words: bool) -> list[tuple[int, int, int]]:
    out = []
    for value, cls in values:
        rx = (r"(?<!\w)" + re.escape(value) + r"(?!\w)") if words else re.escape(value)
        out += [(m.start(), m.end(), cls) for m in re.finditer(rx, text)]
    return out


def training_set(id_sets, prose_sets):
    """Hashed features and classes of every candidate token of the sets' texts."""
    texts: list[str] = []
    spans: list[list[tuple[int, int, int]]] = []
    for n in id_sets:
        msgs, free = scoring.load_ids(n)
        for m in msgs:
            texts.append(m["text"])
            spans.append(_spans(m["text"], [(p["value"], phi_model.CLASS_OF_TYPE.get(p["type"], 5))
                                            for p in m["phi"]], words=False))
        for f in free:
            texts.append(f["text"])
            spans.append([])
    for n in prose_sets:
        msgs, free = scoring.load_prose(n)
        for m in msgs:
            texts.append(m["text"])
            spans.append(_spans(m["text"], [(name, 1) for name in m["names"]], words=True))
        texts += free
        spans += [[] for _ in free]
    cands = phi_model.encode(texts)
    offsets = [phi_model.token_offsets(t) for t in texts]
    where = list(zip(cands.text.tolist(), cands.position.tolist()))
    labels = []
    for k, p in where:
        start, end, _token = offsets[k][p]
        labels.append(next((cls for a, b, cls in spans[k] if start < b and end > a), 0))
    # tokens the pass never classifies: frequent as candidates, never inside an identifier
    seen: Counter = Counter()
    positive: set = set()
    for (k, p), label in zip(where, labels):
        token = offsets[k][p][2]
        seen[token] += 1
        if label:
            positive.add(token)
    skip = sorted(t for t, n in seen.items() if n >= SKIP_MIN_COUNT and t not in positive)
    return cands.matrix(), np.asarray(labels), skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exclude-ids", type=int, nargs="*", default=list(scoring.MODEL_HELD_OUT_IDS),
                    help="identifier sets to leave out (default: the held-out ones, scoring.MODEL_HELD_OUT_IDS)")
    ap.add_argument("--exclude-prose", type=int, nargs="*", default=list(scoring.MODEL_HELD_OUT_PROSE),
                    help="prose-name sets to leave out (default: scoring.MODEL_HELD_OUT_PROSE)")
    ap.add_argument("--C", type=float, default=4.0, help="inverse L2 strength (default 4)")
    ap.add_argument("--out", type=Path, default=phi_model.MODEL_FILE)
    args = ap.parse_args()
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    ids = [n for n in scoring.ID_SETS if n not in args.exclude_ids]
    prose = [n for n in scoring.PROSE_SETS if n not in args.exclude_prose]
    t = time.perf_counter()
    X, y, skip = training_set(ids, prose)
    indptr = np.arange(0, X.size + 1, X.shape[1])
    matrix = csr_matrix((np.ones(X.size, dtype=np.float64), X.ravel(), indptr), shape=(len(X), 1 << phi_model.HASH_BITS))
    matrix.sum_duplicates()  # (a hash collision inside one token counts twice, as in `Model.probabilities`)
    print(f"{len(y)} tokens, per class {dict(zip(phi_model.CLASSES, np.bincount(y, minlength=6).tolist()))} "
          f"from {len(ids)} identifier sets and {len(prose)} prose sets ({time.perf_counter() - t:.0f} s); "
          f"{len(skip)} tokens never classified", flush=True)
    t = time.perf_counter()
    clf = LogisticRegression(C=args.C, max_iter=300)
    clf.fit(matrix, y)
    print(f"trained in {time.perf_counter() - t:.0f} s", flush=True)
    np.savez_compressed(args.out, weights=clf.coef_.T.astype(np.float16), bias=clf.intercept_.astype(np.float32),
                        threshold=np.float32(phi_model.THRESHOLD), skip=np.asarray(skip),
                        trained_on=np.asarray([f"ids {ids}", f"prose {prose}"]))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
