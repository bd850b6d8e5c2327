"""Clinical decision-support cases (-> clinical_decision).

A presentation is drawn from one condition of the shared table; the answer
(leading diagnosis, differential from the same presentation group with why
each is less likely, workup, confirming test, next step) is read back from
the same table, so it always fits the findings shown. The instruction
wordings are data: `tables/decision.yaml`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from imi_lib.data.synthetic import tables
from imi_lib.data.synthetic.common import Example, bullets, draw_person, sentence
from imi_lib.data.synthetic.conditions import CONDITIONS, Condition, Vignette, draw_vignette, neighbours, observations_line

ADAPTER = "clinical_decision"
VARIANTS = ("workup", "management")


@dataclass(frozen=True)
class DecisionTables:
    instructions: dict[str, tuple[str, ...]]  # variant (workup | management) -> wordings


def validate(t: DecisionTables, fail) -> None:
    if set(t.instructions) != set(VARIANTS):
        fail("instructions", f"needs wordings for exactly {', '.join(VARIANTS)}")


INSTRUCTIONS = tables.load("decision.yaml", DecisionTables, validate).instructions


def _workup_output(rng: random.Random, cond: Condition, person, v: Vignette) -> str:
    others = neighbours(cond, person.sex)
    rng.shuffle(others)
    lines = [
        f"Most likely diagnosis: {cond.name}, in keeping with {cond.hallmark}.",
        f"Supporting findings in this {person.short}:",
        bullets(list(v.clues) + list(v.shown_results)),
        observations_line(v.vitals),
        "Differential diagnosis:",
        f"1. {cond.name} (most likely).",
    ]
    for i, other in enumerate(others[:3], start=2):
        lines.append(f"{i}. {other.name}: less likely; it typically presents with {other.hallmark}.")
    lines.append(f"Workup: {'; '.join(cond.workup)}.")
    lines.append(f"Confirming test: {cond.test}.")
    lines.append(f"If confirmed: {sentence(cond.next_step)}")
    return "\n".join(lines)


def _management_output(rng: random.Random, cond: Condition, person, v: Vignette) -> str:
    avoid = rng.sample(cond.wrong_steps, 2)
    lines = [
        f"Diagnosis: {cond.name} in a {person.short}.",
        "Basis:",
        bullets(list(v.clues[:2]) + list(v.shown_results)),
        observations_line(v.vitals),
        f"Next step: {sentence(cond.next_step)}",
        "Avoid: " + " ".join(sentence(f"{step} ({why})") for step, why in avoid),
        f"Key point: {cond.teaching}",
    ]
    return "\n".join(lines)


def generate(rng: random.Random) -> Example:
    cond = rng.choice(CONDITIONS)
    person = draw_person(rng, cond.age, cond.sex)
    variant = rng.choice(VARIANTS)
    if variant == "workup":
        v = draw_vignette(rng, cond, person, results=rng.random() < 0.5, confirmation=False)
        output = _workup_output(rng, cond, person, v)
    else:
        v = draw_vignette(rng, cond, person, results=True, confirmation=True)
        output = _management_output(rng, cond, person, v)
    facts = {"condition": cond.id, "age": person.age, "sex": person.sex}
    return Example(rng.choice(INSTRUCTIONS[variant]), v.text, output, ADAPTER, f"decision.{variant}", facts)
