"""Clinical decision-support cases (-> clinical_decision).

A presentation is drawn from one condition of the shared table; the answer
(leading diagnosis, differential from the same presentation group with why
each is less likely, workup, confirming test, next step) is read back from
the same table, so it always fits the findings shown.
"""

from __future__ import annotations

import random

from imi_lib.data.synthetic.common import Example, bullets, draw_person, sentence
from imi_lib.data.synthetic.conditions import CONDITIONS, Condition, Vignette, draw_vignette, neighbours, observations_line

ADAPTER = "clinical_decision"

INSTRUCTIONS = {
    "workup": (
        "You are a clinical decision-support assistant. Give the most likely diagnosis, a differential diagnosis, and the workup.",
        "Review this presentation: what is the most likely diagnosis, what else should be considered, and how would you confirm it?",
        "Provide a ranked differential diagnosis and the initial investigations for this patient.",
    ),
    "management": (
        "You are a clinical decision-support assistant. State the diagnosis and the most appropriate next step in management, and what to avoid.",
        "Given the results, what is the diagnosis and what should be done next?",
        "Interpret the findings and recommend the next management step.",
    ),
}


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
    variant = rng.choice(("workup", "management"))
    if variant == "workup":
        v = draw_vignette(rng, cond, person, results=rng.random() < 0.5, confirmation=False)
        output = _workup_output(rng, cond, person, v)
    else:
        v = draw_vignette(rng, cond, person, results=True, confirmation=True)
        output = _management_output(rng, cond, person, v)
    facts = {"condition": cond.id, "age": person.age, "sex": person.sex}
    return Example(rng.choice(INSTRUCTIONS[variant]), v.text, output, ADAPTER, f"decision.{variant}", facts)
