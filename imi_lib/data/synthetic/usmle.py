"""USMLE-style multiple-choice questions.

Clinical vignettes (-> education) come from the shared condition table: the
correct option and its distractors are read from the table (neighbouring
conditions of the same presentation group, or the condition's hand-written
wrong tests and wrong steps), and the explanation says why each distractor
is wrong. A quarter of the questions are biostatistics and study-design items
(-> research), built by `biostatistics.py` with the arithmetic worked out.
The question stems, instruction wordings and that share are data:
`tables/usmle.yaml`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from imi_lib.data.synthetic import biostatistics, tables
from imi_lib.data.synthetic.common import (Example, draw_person, explained_answer, format_options, join_and,
                                           shuffled_options)
from imi_lib.data.synthetic.conditions import CONDITIONS, Condition, abnormal_observations, draw_vignette, neighbours

ADAPTER = "education"
KINDS = ("diagnosis", "test", "next_step")


@dataclass(frozen=True)
class UsmleTables:
    research_share: float  # share of items that are biostatistics / study design (-> research)
    stems: dict[str, str]  # question kind -> the question asked after the vignette
    instructions: tuple[str, ...]


def validate(t: UsmleTables, fail) -> None:
    if not 0 <= t.research_share <= 1:
        fail("research_share", f"{t.research_share} is not a share between 0 and 1")
    if list(t.stems) != list(KINDS):
        fail("stems", f"needs exactly {', '.join(KINDS)}, in that order")


TABLES = tables.load("usmle.yaml", UsmleTables, validate)
RESEARCH_SHARE = TABLES.research_share
STEMS = TABLES.stems
INSTRUCTIONS = TABLES.instructions


def _clues_sentence(person, clues, vitals) -> str:
    abnormal = abnormal_observations(vitals)
    text = f"This {person.short} has {'; '.join(clues)}"
    if abnormal:
        text += f", with {join_and(abnormal)}"
    return text + "."


def clinical_question(rng: random.Random) -> Example:
    cond: Condition = rng.choice(CONDITIONS)
    person = draw_person(rng, cond.age, cond.sex)
    kind = rng.choice(tuple(STEMS))
    if kind == "diagnosis":
        v = draw_vignette(rng, cond, person, results=rng.random() < 0.6, confirmation=False)
        others = neighbours(cond, person.sex)
        wrong = rng.sample(others, min(4, len(others)))
        options, answer = shuffled_options(rng, cond.name, [w.name for w in wrong], 1 + len(wrong))
        why = {w.name: f"typically presents with {w.hallmark}" for w in wrong}
        core = f"The findings fit {cond.hallmark}. {cond.teaching}"
    elif kind == "test":
        v = draw_vignette(rng, cond, person, results=False, confirmation=False)
        wrong = rng.sample(cond.wrong_tests, 4)
        options, answer = shuffled_options(rng, cond.test, [t for t, _ in wrong], 5)
        why = dict(wrong)
        core = (f"The picture suggests {cond.name[0].lower() + cond.name[1:]}, and the best way to establish it is: "
                f"{cond.test[0].lower() + cond.test[1:]}. {cond.teaching}")
    else:
        v = draw_vignette(rng, cond, person, results=True, confirmation=True)
        wrong = rng.sample(cond.wrong_steps, 4)
        options, answer = shuffled_options(rng, cond.next_step, [t for t, _ in wrong], 5)
        why = dict(wrong)
        core = f"This is {cond.name[0].lower() + cond.name[1:]}. {cond.teaching}"
    question = f"{v.text}\n\n{STEMS[kind]}\n\n{format_options(options)}"
    explanation = explained_answer(options, answer, [f"Explanation: {_clues_sentence(person, v.clues, v.vitals)} {core}"],
                                   lambda text: f"{text}: {why[text]}.")
    facts = {"condition": cond.id, "kind": kind, "answer": answer}
    return Example(rng.choice(INSTRUCTIONS), question, "\n".join(explanation), ADAPTER, f"usmle.{kind}", facts)


def generate(rng: random.Random) -> Example:
    if rng.random() < RESEARCH_SHARE:
        return biostatistics.generate(rng)
    return clinical_question(rng)
