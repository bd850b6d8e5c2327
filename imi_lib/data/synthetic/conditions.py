"""The condition table shared by the clinical-decision and USMLE generators.

Each condition lists what a case of it looks like (key findings that are
always shown, optional history and examination findings, supportive results
and the result that confirms it), how it is distinguished from its
neighbours (`hallmark`), how it is confirmed (`test`) and the best next step
once it is (`next_step`), with hand-written wrong tests and wrong steps and
the reason each is wrong. Conditions that share a `group` present alike, so
they are each other's differential diagnoses and plausible distractors.

The content follows current standard teaching (NICE, ESC, BTS, JBDS, ACR
and the usual USMLE review texts); it is training material for a model, not
clinical guidance.

The table itself is data: `tables/conditions.yaml`, checked against the
schema below when the module is imported.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import NamedTuple

from imi_lib.data.synthetic import tables
from imi_lib.data.synthetic.common import Person, join_and, sentence, some

VITALS = ("hr", "sbp", "rr", "temp", "spo2")  # what a vignette reports; temp in °C with one decimal


# ---- the schema of tables/conditions.yaml -------------------------------------------

class KeyFindings(NamedTuple):
    history: str  # always in the vignette
    exam: str  # always in the vignette


class Alternative(NamedTuple):
    option: str  # a plausible wrong answer
    why: str  # why it is not the best choice, as the explanation says it


@dataclass(frozen=True)
class Condition:
    id: str
    name: str
    group: str
    age: tuple[int, int]
    complaint: tuple[str, ...]  # chief complaint, as "presents with ..."
    onset: tuple[str, ...]
    key: KeyFindings
    history: tuple[str, ...]  # optional supporting history
    exam: tuple[str, ...]  # optional examination findings
    results: tuple[str, ...]  # supportive investigations (hidden when the question asks for the test)
    hallmark: str  # how it typically presents: used to say why it is less likely for another case
    workup: tuple[str, ...]
    test: str
    wrong_tests: tuple[Alternative, ...]
    next_step: str
    wrong_steps: tuple[Alternative, ...]
    teaching: str
    confirmation: str = ""  # the result that confirms it (shown only when the question is about management)
    vitals: dict[str, tuple[float, float]] | None = None  # name -> (lo, hi); the table gives those off normal
    sex: str | None = None  # who the generator draws for this condition
    sex_specific: bool = False  # never offered as a distractor for the other sex
    known: tuple[str, ...] = ()  # results already known at presentation (shown in every question)


@dataclass(frozen=True)
class ConditionTables:
    normal_vitals: dict[str, tuple[float, float]]
    conditions: tuple[Condition, ...]


# the generators sample this many wrong tests / wrong steps for one question
MIN_ALTERNATIVES = 4


def validate(t: ConditionTables, fail) -> None:
    w = tables.where_of
    if list(t.normal_vitals) != list(VITALS):
        fail("normal_vitals", f"needs exactly {', '.join(VITALS)} in that order, has {', '.join(t.normal_vitals)}")
    tables.check_unique(t.conditions, "id", "conditions", fail)
    groups: dict[str, int] = {}
    for c in t.conditions:
        groups[c.group] = groups.get(c.group, 0) + 1
    for i, c in enumerate(t.conditions):
        where = w("conditions", i)
        ranges = [("normal_vitals", k, r) for k, r in t.normal_vitals.items()] if i == 0 else []
        ranges += [(w(where, "vitals"), k, r) for k, r in (c.vitals or {}).items()]
        for base, name, r in ranges:
            tables.check_one_of(name, VITALS, base, fail)
            tables.check_range(r, w(base, name), fail)
            if [isinstance(x, float) for x in r] != [name == "temp"] * len(r):
                fail(w(base, name), f"{'temperatures are written with a decimal point (38.0, not 38)' if name == 'temp' else 'whole numbers only'}: {list(r)}")
        tables.check_range(c.age, w(where, "age"), fail)
        tables.check_one_of(c.sex, (None, "male", "female"), w(where, "sex"), fail)
        if c.sex_specific and c.sex is None:
            fail(w(where, "sex_specific"), "a sex-specific condition needs sex")
        if groups[c.group] < 2:
            fail(w(where, "group"), f"{c.group!r} has no other condition: a group lists conditions that present alike, "
                                    "which the questions use as the differential and the distractors")
        for key in ("complaint", "onset"):
            if not getattr(c, key):
                fail(w(where, key), "needs at least one entry")
        for key in ("wrong_tests", "wrong_steps"):
            if len(getattr(c, key)) < MIN_ALTERNATIVES:
                fail(w(where, key), f"needs at least {MIN_ALTERNATIVES} (a question offers four wrong options)")


def _with_normal_vitals(t: ConditionTables) -> tuple[Condition, ...]:
    """Each condition's vitals: the table's normal ranges with the condition's own ranges in their place."""
    return tuple(replace(c, vitals={**t.normal_vitals, **(c.vitals or {})}) for c in t.conditions)


TABLES = tables.load("conditions.yaml", ConditionTables, validate)
CONDITIONS: tuple[Condition, ...] = _with_normal_vitals(TABLES)
CONDITION_BY_ID = {c.id: c for c in CONDITIONS}
GROUPS: dict[str, tuple[Condition, ...]] = {}
for _c in CONDITIONS:
    GROUPS[_c.group] = GROUPS.get(_c.group, ()) + (_c,)


def neighbours(cond: Condition, sex: str) -> list[Condition]:
    """The other conditions of its group that are plausible for this patient, in table order."""
    return [c for c in GROUPS[cond.group] if c.id != cond.id and not (c.sex_specific and c.sex != sex)]


# ---- writing a case down -------------------------------------------------------------

@dataclass(frozen=True)
class Vignette:
    text: str
    clues: tuple[str, ...]  # the clinical findings shown (key findings first)
    shown_results: tuple[str, ...]  # investigation results shown
    vitals: dict


def draw_vitals(rng: random.Random, cond: Condition) -> dict:
    out = {}
    for name, (lo, hi) in cond.vitals.items():
        out[name] = round(rng.uniform(lo, hi), 1) if isinstance(lo, float) else rng.randint(lo, hi)
    return out


def _fahrenheit(c: float) -> float:
    return round(c * 9 / 5 + 32, 1)


def draw_vignette(rng: random.Random, cond: Condition, person: Person, *, results: bool, confirmation: bool) -> Vignette:
    """A case of `cond`: the key findings always, a random subset of the rest; results only when asked."""
    history = [cond.key[0]] + some(rng, cond.history, 0, 2)
    exam = [cond.key[1]] + some(rng, cond.exam, 0, 2)
    shown = list(cond.known)
    if results:
        shown += some(rng, cond.results, min(1, len(cond.results)), len(cond.results))
        if confirmation and cond.confirmation:
            shown.append(cond.confirmation)
    v = draw_vitals(rng, cond)
    complaint, onset = rng.choice(cond.complaint), rng.choice(cond.onset)
    if rng.random() < 0.6:
        setting = rng.choice(("comes to the emergency department", "is brought to the emergency department",
                              "presents to the urgent care clinic"))
        parts = [f"A {person.short} {setting} because of {complaint} for {onset}.",
                 f"The history is notable for {'; '.join(history)}.",
                 f"{person.his.capitalize()} temperature is {v['temp']:.1f}°C ({_fahrenheit(v['temp'])}°F), pulse is {v['hr']}/min, "
                 f"respirations are {v['rr']}/min, and blood pressure is {v['sbp']}/{int(v['sbp'] * 0.62)} mm Hg. "
                 f"Pulse oximetry on room air shows an oxygen saturation of {v['spo2']}%.",
                 f"Examination shows {'; '.join(exam)}."]
        if shown:
            parts.append(sentence(f"Investigations: {'; '.join(shown)}"))
        text = " ".join(parts)
    else:
        lines = [f"Patient: {person.short}.",
                 f"Presenting complaint: {complaint} for {onset}.",
                 f"History: {'; '.join(history)}.",
                 f"Observations: T {v['temp']:.1f} °C, HR {v['hr']}/min, BP {v['sbp']}/{int(v['sbp'] * 0.62)} mm Hg, "
                 f"RR {v['rr']}/min, SpO2 {v['spo2']}% on room air.",
                 f"Examination: {'; '.join(exam)}."]
        if shown:
            lines.append(f"Investigations: {'; '.join(shown)}.")
        text = "\n".join(lines)
    return Vignette(text, tuple(history + exam), tuple(shown), v)


# Thresholds for calling an observation abnormal in the explanations (adult values).
def abnormal_observations(v: dict) -> list[str]:
    out = []
    if v["hr"] > 100:
        out.append(f"tachycardia ({v['hr']}/min)")
    elif v["hr"] < 50:
        out.append(f"bradycardia ({v['hr']}/min)")
    if v["sbp"] < 90:
        out.append(f"hypotension ({v['sbp']} mm Hg systolic)")
    elif v["sbp"] >= 160:
        out.append(f"raised blood pressure ({v['sbp']} mm Hg systolic)")
    if v["rr"] > 20:
        out.append(f"tachypnoea ({v['rr']}/min)")
    if v["spo2"] < 94:
        out.append(f"hypoxaemia (SpO2 {v['spo2']}%)")
    if v["temp"] >= 38.0:
        out.append(f"fever ({v['temp']:.1f} °C)")
    return out


def observations_line(v: dict) -> str:
    abnormal = abnormal_observations(v)
    if not abnormal:
        return (f"Observations: within normal limits (HR {v['hr']}, BP {v['sbp']} systolic, RR {v['rr']}, "
                f"SpO2 {v['spo2']}%, T {v['temp']:.1f} °C).")
    return "Observations: " + join_and(abnormal) + "."
