"""Drug-interaction cases (-> clinical_pharmacist).

Every case is built around one well-documented interaction from the table
below (mechanism, severity, management and monitoring as found in standard
references such as the BNF, Stockley's and the FDA labels), placed in a
patient with an age, renal function and, where the interaction turns on one,
a laboratory value. Patient-specific risk is decided by explicit rules
(RISK_FACTORS, and each pair's `avoid_if`), so the advice always matches the
numbers in the case.

The labs, interaction pairs, bystander medicines and instruction wording are
data: `tables/interactions.yaml`, checked against the schema below when the
module is imported. The risk-factor rules are the code below.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable, NamedTuple

from imi_lib.data.synthetic import tables
from imi_lib.data.synthetic.common import Example, Person, bullets, draw_person, join_and

ADAPTER = "clinical_pharmacist"

CONTRAINDICATED, MAJOR, MODERATE = "CONTRAINDICATED", "MAJOR", "MODERATE"
SEVERITIES = (CONTRAINDICATED, MAJOR, MODERATE)
VARIANTS = ("review", "new_start", "question")


# ---- the schema of tables/interactions.yaml -------------------------------------------

@dataclass(frozen=True)
class Drug:
    name: str
    doses: tuple[str, ...]
    uses: tuple[str, ...]


@dataclass(frozen=True)
class Lab:
    name: str
    unit: str
    draw: tuple[float, float]
    decimals: int
    high: float | None = None  # values above this are the risky side when the pair says "high"
    low: float | None = None  # values below this are the risky side when the pair says "low"
    note: str = ""  # the usual target, for the explanation

    def fmt(self, value: float) -> str:
        text = f"{value:.{self.decimals}f}"
        return f"{text} {self.unit}".strip()


class LabRisk(NamedTuple):
    test: str  # a key of `labs`
    risky: str  # "high" | "low": which side of the lab's limit raises the risk


@dataclass(frozen=True)
class Interaction:
    id: str
    severity: str
    taking: Drug  # the medicine the patient already takes
    adding: Drug  # the medicine being added
    mechanism: str
    effect: str
    management: str  # the advice when no avoid_if factor is present
    monitoring: str
    warning_signs: str
    risk_factors: tuple[str, ...] = ("age65",)
    lab: LabRisk | None = None
    avoid_if: tuple[str, ...] = ()  # factors that change the advice to avoid_text
    avoid_text: str = ""
    sex: str | None = None
    age: tuple[int, int] = (25, 88)
    variants: tuple[str, ...] = VARIANTS


@dataclass(frozen=True)
class Filler:
    """A medicine that does not take part in the pair's interaction (listed to make the review realistic)."""

    name: str
    text: str
    use: str
    avoid_with: tuple[str, ...] = ()  # drug names it interacts with


@dataclass(frozen=True)
class InteractionTables:
    labs: dict[str, Lab]
    interactions: tuple[Interaction, ...]
    fillers: tuple[Filler, ...]
    instructions: dict[str, tuple[str, ...]]  # variant -> wordings


@dataclass(frozen=True)
class Patient:
    person: Person
    egfr: int
    lab_value: float | None

def _lab_risky(pair: "Interaction", p: Patient) -> bool:
    if pair.lab is None or p.lab_value is None:
        return False
    lab = LABS[pair.lab[0]]
    return p.lab_value > lab.high if pair.lab[1] == "high" else p.lab_value < lab.low


def _lab_text(pair: "Interaction", p: Patient) -> str:
    lab = LABS[pair.lab[0]]
    side = f"above {lab.fmt(lab.high)}" if pair.lab[1] == "high" else f"below {lab.fmt(lab.low)}"
    return f"{lab.name} {lab.fmt(p.lab_value)} is {side} ({lab.note})"


# key -> (does it apply, how to say it). Order is the order they are reported.
RISK_FACTORS: dict[str, tuple[Callable[[Interaction, Patient], bool], Callable[[Interaction, Patient], str]]] = {
    "age65": (lambda pair, p: p.person.age >= 65,
              lambda pair, p: f"age {p.person.age} (65 or older: reduced clearance and greater sensitivity)"),
    "egfr30": (lambda pair, p: p.egfr < 30,
               lambda pair, p: f"eGFR {p.egfr} mL/min/1.73 m2 (below 30: severe renal impairment)"),
    "egfr60": (lambda pair, p: 30 <= p.egfr < 60 or (p.egfr < 30 and "egfr30" not in pair.risk_factors),
               lambda pair, p: f"eGFR {p.egfr} mL/min/1.73 m2 (below 60: reduced renal clearance)"),
    "lab": (_lab_risky, _lab_text),
}


def patient_risks(pair: Interaction, p: Patient) -> list[str]:
    """The risk-factor keys that apply to this patient, in RISK_FACTORS order."""
    keys = list(pair.risk_factors) + (["lab"] if pair.lab else [])
    return [k for k in RISK_FACTORS if k in keys and RISK_FACTORS[k][0](pair, p)]



def validate(t: InteractionTables, fail) -> None:
    w = tables.where_of
    for key, lab in t.labs.items():
        tables.check_range(lab.draw, w("labs", key, "draw"), fail)
        if lab.high is None and lab.low is None:
            fail(w("labs", key), "needs a high or a low limit (the side that raises the risk)")
    if set(t.instructions) != set(VARIANTS):
        fail("instructions", f"needs wordings for exactly {', '.join(VARIANTS)}")
    tables.check_unique(t.interactions, "id", "interactions", fail)
    drug_names = set()
    for i, pair in enumerate(t.interactions):
        where = w("interactions", i)
        tables.check_one_of(pair.severity, SEVERITIES, w(where, "severity"), fail)
        for factor in pair.risk_factors:
            tables.check_one_of(factor, [k for k in RISK_FACTORS if k != "lab"], w(where, "risk_factors"), fail)
        if pair.lab is not None:
            tables.check_one_of(pair.lab.test, t.labs, w(where, "lab", "test"), fail)
            tables.check_one_of(pair.lab.risky, ("high", "low"), w(where, "lab", "risky"), fail)
            if getattr(t.labs[pair.lab.test], pair.lab.risky) is None:
                fail(w(where, "lab"), f"lab {pair.lab.test!r} has no {pair.lab.risky} limit")
        for factor in pair.avoid_if:
            tables.check_one_of(factor, [*pair.risk_factors, *(["lab"] if pair.lab else [])], w(where, "avoid_if"), fail)
        if pair.avoid_if and not pair.avoid_text:
            fail(w(where, "avoid_text"), "avoid_if needs the advice to give instead (avoid_text)")
        for v in pair.variants:
            tables.check_one_of(v, VARIANTS, w(where, "variants"), fail)
        tables.check_one_of(pair.sex, (None, "male", "female"), w(where, "sex"), fail)
        tables.check_range(pair.age, w(where, "age"), fail)
        for side in ("taking", "adding"):
            drug = getattr(pair, side)
            if not drug.doses or not drug.uses:
                fail(w(where, side), "needs at least one dose and one use")
            drug_names.add(drug.name)
    for i, f in enumerate(t.fillers):
        for name in f.avoid_with:
            # names, not ids: a filler is kept out of any pair whose drug has this name
            tables.check_one_of(name, sorted(drug_names), w("fillers", i, "avoid_with"), fail)


TABLES = tables.load("interactions.yaml", InteractionTables, validate)
LABS: dict[str, Lab] = TABLES.labs
INTERACTIONS: tuple[Interaction, ...] = TABLES.interactions
INTERACTION_BY_ID = {i.id: i for i in INTERACTIONS}
FILLERS: tuple[Filler, ...] = TABLES.fillers



def _fillers_for(pair: Interaction) -> list[Filler]:
    names = (pair.taking.name, pair.adding.name)
    return [f for f in FILLERS if not any(n in f.avoid_with for n in names)]


INSTRUCTIONS = TABLES.instructions


def draw_patient(rng: random.Random, pair: Interaction) -> Patient:
    person = draw_person(rng, pair.age, pair.sex)
    band = rng.choices(((60, 110), (30, 59), (15, 29)), weights=(0.6, 0.3, 0.1))[0]
    egfr = rng.randint(*band)
    lab_value = None
    if pair.lab is not None:
        lab = LABS[pair.lab[0]]
        lab_value = round(rng.uniform(*lab.draw), lab.decimals)
    return Patient(person, egfr, lab_value)


def _results_line(pair: Interaction, p: Patient) -> str:
    items = [f"eGFR {p.egfr} mL/min/1.73 m2"]
    if pair.lab is not None:
        lab = LABS[pair.lab[0]]
        items.append(f"{lab.name} {lab.fmt(p.lab_value)}")
    return "; ".join(items)


@dataclass(frozen=True)
class Scenario:
    """The drawn details of one case: which doses, which indications, which other medicines."""

    variant: str
    a_dose: str
    a_use: str
    b_dose: str
    b_use: str
    fillers: tuple[Filler, ...]


def draw_scenario(rng: random.Random, pair: Interaction) -> Scenario:
    return Scenario(rng.choice(pair.variants), rng.choice(pair.taking.doses), rng.choice(pair.taking.uses),
                    rng.choice(pair.adding.doses), rng.choice(pair.adding.uses),
                    tuple(rng.sample(_fillers_for(pair), rng.randint(0, 3))))


def render_input(rng: random.Random, pair: Interaction, p: Patient, s: Scenario) -> str:
    who = f"{p.person.short.capitalize()}."
    if s.variant == "review":
        meds = [f"{pair.taking.name} {s.a_dose} ({s.a_use})", f"{pair.adding.name} {s.b_dose} ({s.b_use}, started this week)"]
        meds += [f"{f.text} ({f.use})" for f in s.fillers]
        rng.shuffle(meds)
        return "\n".join([who, "Medicines:", bullets(meds), f"Recent results: {_results_line(pair, p)}."])
    if s.variant == "new_start":
        current = [f"{pair.taking.name} {s.a_dose} ({s.a_use})"] + [f"{f.text} ({f.use})" for f in s.fillers]
        rng.shuffle(current)
        return "\n".join([who, "Current medicines:", bullets(current),
                          f"Proposed: {pair.adding.name} {s.b_dose} for {s.b_use}.",
                          f"Recent results: {_results_line(pair, p)}."])
    return (f"Prescriber: \"My patient is a {p.person.short} taking {pair.taking.name} {s.a_dose} for {s.a_use}. "
            f"Is it safe to give {pair.adding.name} {s.b_dose} for {s.b_use}?\" Latest results: {_results_line(pair, p)}.")


def render_output(pair: Interaction, p: Patient, s: Scenario, risks: list[str]) -> str:
    avoid = [k for k in risks if k in pair.avoid_if]
    opening = {
        "review": f"One clinically significant interaction on this list: {pair.taking.name} (for {s.a_use}) with the newly started {pair.adding.name} (for {s.b_use}).",
        "new_start": f"The proposed {pair.adding.name} for {s.b_use} interacts with the current {pair.taking.name} (for {s.a_use}).",
        "question": f"Giving {pair.adding.name} for {s.b_use} to a patient on {pair.taking.name} for {s.a_use} is a recognised interaction.",
    }[s.variant]
    patient = f"Patient: {p.person.short}, {_results_line(pair, p)}; {pair.taking.name} {s.a_dose}, {pair.adding.name} {s.b_dose}."
    lines = [
        opening,
        patient,
        f"Interaction: {pair.taking.name} + {pair.adding.name} - {pair.severity}.",
        f"Mechanism: {pair.mechanism}.",
        f"Clinical risk: {pair.effect}.",
    ]
    if risks:
        lines.append("Patient-specific factors that raise the risk: "
                     + "; ".join(RISK_FACTORS[k][1](pair, p) for k in risks) + ".")
    else:
        checked = [f"age {p.person.age}", f"eGFR {p.egfr}"]
        if pair.lab is not None:
            checked.append(f"{LABS[pair.lab[0]].name} {LABS[pair.lab[0]].fmt(p.lab_value)}")
        lines.append(f"Patient-specific factors: none beyond the interaction itself ({join_and(checked)} checked).")
    advice = pair.avoid_text if avoid else pair.management
    if "lab" in risks and "lab" not in pair.avoid_if:
        advice += f" The {LABS[pair.lab[0]].name} is already outside the target range: correct it before or alongside this change."
    lines.append(f"Recommendation: {advice}")
    lines.append(f"Monitoring: {pair.monitoring}")
    lines.append(f"Counsel the patient to report: {pair.warning_signs}.")
    if s.fillers:
        lines.append(f"Not involved in this interaction: {join_and([f.name for f in s.fillers])}.")
    return "\n".join(lines)


def generate(rng: random.Random) -> Example:
    pair = rng.choice(INTERACTIONS)
    patient = draw_patient(rng, pair)
    scenario = draw_scenario(rng, pair)
    risks = patient_risks(pair, patient)
    text_in = render_input(rng, pair, patient, scenario)
    avoid = bool([k for k in risks if k in pair.avoid_if])
    facts = {"pair": pair.id, "severity": pair.severity, "age": patient.person.age, "sex": patient.person.sex,
             "egfr": patient.egfr, "lab": patient.lab_value, "risks": risks, "avoid": avoid}
    return Example(rng.choice(INSTRUCTIONS[scenario.variant]), text_in,
                   render_output(pair, patient, scenario, risks), ADAPTER, f"interaction.{scenario.variant}", facts)
