"""Regulatory compliance scenarios (-> regulatory_qa).

Each scenario is a GMP, data-integrity or GCP finding with the requirements
it breaches (21 CFR Parts 11, 50, 211 and 314; EU GMP chapters and Annexes
1, 11 and 15; ICH Q7, Q9(R1), Q10 and E6; ALCOA+), the containment,
investigation, CAPA and effectiveness check it calls for. The classification
is decided by explicit rules (see `classify`): every scenario has a baseline
(minor, major, critical) that is raised one step when a released batch may
be affected, and one step when the same event has recurred twice or more in
12 months (the earlier CAPA did not work).

The requirements, ALCOA+ principles, sites and scenarios are data:
`tables/compliance.yaml`, checked against the schema below when the module
is imported. A scenario's texts are templates whose {slots} are filled from
the drawn context (`draw_slots`).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from typing import NamedTuple

from imi_lib.data.synthetic import tables
from imi_lib.data.synthetic.common import Example, bullets

ADAPTER = "regulatory_qa"

MINOR, MAJOR, CRITICAL = "MINOR", "MAJOR", "CRITICAL"
CLASSES = (MINOR, MAJOR, CRITICAL)
# the {slots} a scenario's finding, immediate actions, investigation and CAPA may use (see draw_slots)
SLOTS = ("batch", "product", "hplc", "dissolution", "balance", "room", "vessel", "line", "use_point", "subject",
         "count", "days", "hours", "temp", "cfu", "units", "oos", "residue", "water_cfu", "occurrences", "packed",
         "modes", "tested", "api", "excipient", "issue", "step", "as_found")


# ---- the schema of tables/compliance.yaml -------------------------------------------

@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    category: str
    finding: str  # template; slots are filled from the drawn context
    baseline: str
    baseline_reason: str
    requirements: tuple[str, ...]  # citations, keys of `requirements`
    immediate: tuple[str, ...]
    investigation: str
    capa: tuple[str, ...]
    effectiveness: str
    alcoa: tuple[str, ...] = ()
    sites: tuple[str, ...] = ("sterile", "oral", "api", "biologics", "packaging")
    batch: bool = True  # a batch is involved, so the release rule applies
    recurrence: bool = True  # the recurrence rule applies
    always_released: bool = False  # the finding is about distributed product (a complaint): always released
    major_if_as_found_fails: bool = False  # a failed as-found calibration may have given wrong results


class Site(NamedTuple):
    name: str
    products: tuple[str, ...]


@dataclass(frozen=True)
class ComplianceTables:
    requirements: dict[str, str]  # citation -> what it requires, written once and reused by every scenario
    alcoa: dict[str, str]
    sites: dict[str, Site]
    scenarios: tuple[Scenario, ...]
    instructions: tuple[str, ...]


def validate(t: ComplianceTables, fail) -> None:
    w = tables.where_of
    tables.check_unique(t.scenarios, "id", "scenarios", fail)
    for i, s in enumerate(t.scenarios):
        where = w("scenarios", i)
        tables.check_one_of(s.baseline, CLASSES, w(where, "baseline"), fail)
        for citation in s.requirements:
            tables.check_one_of(citation, t.requirements, w(where, "requirements"), fail)
        for p in s.alcoa:
            tables.check_one_of(p, t.alcoa, w(where, "alcoa"), fail)
        for site in s.sites:
            tables.check_one_of(site, t.sites, w(where, "sites"), fail)
        templates = [("finding", s.finding), ("investigation", s.investigation)]
        templates += [(f"immediate[{j}]", a) for j, a in enumerate(s.immediate)]
        templates += [(f"capa[{j}]", a) for j, a in enumerate(s.capa)]
        for key, text in templates:
            try:
                slots = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
            except ValueError as e:
                fail(w(where, key), f"unbalanced braces in a template ({e})")
            for name in slots:
                tables.check_one_of(name, SLOTS, w(where, key), fail)
        if "{" in s.effectiveness or "}" in s.effectiveness:
            fail(w(where, "effectiveness"), "is written as is: it takes no {slots}")
        if s.major_if_as_found_fails and "{as_found}" not in s.finding:
            fail(w(where, "major_if_as_found_fails"), "the finding must show the as-found result ({as_found})")


TABLES = tables.load("compliance.yaml", ComplianceTables, validate)
REQUIREMENTS: dict[str, str] = TABLES.requirements
ALCOA = TABLES.alcoa
SCENARIOS: tuple[Scenario, ...] = TABLES.scenarios
SCENARIO_BY_ID = {s.id: s for s in SCENARIOS}
SITES = TABLES.sites


def classify(s: Scenario, released: bool, occurrences: int) -> tuple[str, list[str]]:
    """The classification and the reasons, rule by rule."""
    level = CLASSES.index(s.baseline)
    reasons = [f"Baseline {s.baseline.lower()}: {s.baseline_reason}."]
    if s.batch and released and level < CLASSES.index(CRITICAL):
        level += 1
        reasons.append(f"Raised to {CLASSES[level].lower()}: the affected batch has been released to market.")
    if s.recurrence and occurrences >= 2 and level < CLASSES.index(CRITICAL):
        level += 1
        reasons.append(f"Raised to {CLASSES[level].lower()}: the same event has occurred {occurrences} times before in 12 months, so earlier actions were ineffective.")
    return CLASSES[level], reasons


INSTRUCTIONS = TABLES.instructions


def _batch_no(rng: random.Random) -> str:
    return f"{rng.choice('ABCDEFGHKLMNPRSTW')}{rng.choice('ABCDEFGHKLMNPRSTW')}{rng.randint(20, 25)}-{rng.randint(1, 9999):04d}"


def draw_slots(rng: random.Random, s: Scenario, product: str, batch: str) -> dict:
    as_found_ok = rng.random() < 0.6
    return {
        "batch": batch, "product": product,
        "hplc": f"HPLC-{rng.randint(1, 40):02d}", "dissolution": f"dissolution bath DISS-{rng.randint(1, 12):02d}",
        "balance": f"BAL-{rng.randint(100, 399)}", "room": f"CR-{rng.randint(1, 9)}", "vessel": f"vessel V-{rng.randint(100, 899)}",
        "line": f"packaging line {rng.randint(1, 12)}", "use_point": f"POU-{rng.randint(1, 60):02d}",
        "subject": f"{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        "count": rng.randint(3, 40), "days": rng.randint(5, 120), "hours": rng.randint(2, 60),
        "temp": round(rng.uniform(9.0, 18.0), 1), "cfu": rng.randint(1, 4), "units": rng.randint(5000, 12000),
        "oos": round(rng.choice((rng.uniform(88.0, 94.8), rng.uniform(105.2, 109.0))), 1),
        "residue": round(rng.uniform(11.0, 60.0), 1), "water_cfu": rng.randint(120, 900),
        "occurrences": rng.randint(3, 7), "packed": rng.randint(2, 400),
        "modes": rng.randint(9, 16), "tested": rng.randint(2, 6),
        "api": rng.choice(("methotrexate", "warfarin", "estradiol", "carbamazepine")),
        "excipient": rng.choice(("magnesium stearate", "microcrystalline cellulose", "croscarmellose sodium", "lactose monohydrate")),
        "issue": rng.choice(("tablet weight variation", "seal integrity failures", "missing batch-record entries",
                             "label misprints", "fill-volume rejects")),
        "step": rng.choice(("granulation end-point", "filter integrity testing", "visual inspection", "label reconciliation")),
        "as_found": "was within tolerance" if as_found_ok else "failed (reading 0.4% high)",
        "as_found_ok": as_found_ok,
    }


def generate(rng: random.Random) -> Example:
    s = rng.choice(SCENARIOS)
    site_key = rng.choice(s.sites)
    site_name, products = SITES[site_key]
    product = rng.choice(products)
    batch = _batch_no(rng)
    slots = draw_slots(rng, s, product, batch)
    released = s.batch and (s.always_released or rng.random() < 0.25)
    occurrences = rng.choice((0, 0, 0, 0, 1, 1, 2, 3)) if s.recurrence else 0
    level, reasons = classify(s, released, occurrences)
    # an instrument that failed its as-found calibration may have given wrong weighings: treat like product impact
    if s.major_if_as_found_fails and not slots["as_found_ok"] and level == MINOR:
        level = MAJOR
        reasons.append("Raised to major: the as-found calibration failed, so the weighings may be wrong.")
    finding = s.finding.format(**slots)

    lines_in = [f"Site: {site_name}.", f"Product: {product}.", f"Finding: {finding}"]
    if s.batch:
        lines_in.append(f"Batch status: {'released to market' if released else 'not yet released'}.")
    if s.recurrence:
        lines_in.append("History: first occurrence." if occurrences == 0 else
                        f"History: the same event occurred {'once' if occurrences == 1 else f'{occurrences} times'} in the previous 12 months.")

    immediate = [a.format(**slots) for a in s.immediate]
    if s.batch:
        immediate.append(
            f"Assess batch {batch} for recall with the Qualified Person and, for a US NDA/ANDA product, decide whether a Field Alert Report "
            f"is due within 3 working days (21 CFR 314.81(b)(1))" if released else
            f"Keep batch {batch} in quarantine until the investigation is closed and QA approves its disposition")
    out = [
        f"Classification: {level} ({s.category}: {s.title.lower()}) for {product} at {site_name}.",
        "Basis for the classification:", bullets(reasons),
        "Applicable requirements:", bullets([f"{c}: {REQUIREMENTS[c]}" for c in s.requirements]),
    ]
    if s.alcoa:
        out += ["ALCOA+ principles breached:", bullets([ALCOA[p] for p in s.alcoa])]
    out += [
        "Immediate actions:", bullets([a[0].upper() + a[1:] for a in immediate]),
        f"Investigation: {s.investigation.format(**slots)}.",
        "CAPA:", bullets([c.format(**slots) for c in s.capa]),
        f"Effectiveness check: {s.effectiveness}.",
    ]
    facts = {"scenario": s.id, "site": site_key, "batch": batch if s.batch else None, "released": released,
             "occurrences": occurrences, "classification": level}
    return Example(rng.choice(INSTRUCTIONS), "\n".join(lines_in), "\n".join(out), ADAPTER, f"compliance.{s.id}", facts)
