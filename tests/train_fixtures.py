"""Small hand-made train/val splits for the training tests (builtin:tiny, CPU).

The answers follow fixed patterns (a condition always maps to the same
drug and advice), so a few LoRA steps on a random-init tiny model measurably
lower the loss. Lengths vary from one-line MCQ answers to multi-turn
dialogues so packing has something to pack.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

CONDITIONS = [
    ("hypertension", "amlodipine", "check blood pressure at home twice a day"),
    ("type 2 diabetes", "metformin", "measure fasting glucose every morning"),
    ("asthma", "inhaled budesonide", "carry the reliever inhaler at all times"),
    ("migraine", "sumatriptan", "rest in a dark and quiet room"),
    ("gout", "colchicine", "drink plenty of water and avoid alcohol"),
    ("hypothyroidism", "levothyroxine", "take the tablet before breakfast"),
    ("atrial fibrillation", "apixaban", "report any unusual bleeding"),
    ("heart failure", "furosemide", "weigh yourself every morning"),
]


def make_records(adapter: str, n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        cond, drug, advice = CONDITIONS[rng.randrange(len(CONDITIONS))]
        age = rng.randint(20, 85)
        kind = rng.random()
        if kind < 0.5:  # short MCQ-style item
            instruction = f"What is the first-line drug for {cond}?"
            inp = ""
            output = f"The answer is {drug}."
        elif kind < 0.8:
            instruction = "Give advice to this patient."
            inp = f"A {age}-year-old patient with {cond} asks what to do."
            output = f"For {cond}, take {drug} as prescribed and {advice}. See a doctor if it gets worse."
        else:  # a longer dialogue
            turns = " ".join(f"Patient: I still have {cond} symptoms on day {d}. Doctor: Keep taking {drug}."
                             for d in range(1, rng.randint(3, 7)))
            instruction = "Summarise the consultation and give the plan."
            inp = f"A {age}-year-old patient. {turns}"
            output = f"The patient has {cond}. Plan: continue {drug} and {advice}."
        out.append({"id": f"{adapter}-{seed}-{i}", "instruction": instruction, "input": inp, "output": output,
                    "source": "test", "adapter": adapter, "license": "CC0", "lineage": {"row": i}})
    return out


def write_split(final_dir: Path, adapter: str, n_train: int = 48, n_val: int = 12, seed: int = 0) -> None:
    final_dir.mkdir(parents=True, exist_ok=True)
    for split, n, s in (("train", n_train, seed), ("val", n_val, seed + 1000)):
        with open(final_dir / f"{adapter}_{split}.json", "w", encoding="utf-8") as fh:
            for rec in make_records(adapter, n, s):
                fh.write(json.dumps(rec) + "\n")
    from imi_lib.core import storage

    storage.seal_dir(final_dir)  # as imi prepare publishes it: train refuses an unsealed final/


def make_data_dir(root: Path, adapters=("patient_triage",), **kw) -> Path:
    """A data dir D with D/final/{adapter}_{train,val}.json for the given adapters."""
    for k, a in enumerate(adapters):
        write_split(root / "final", a, seed=kw.pop("seed", 0) + k, **kw)
    return root
