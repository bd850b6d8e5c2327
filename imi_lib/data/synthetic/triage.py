"""Patient triage cases (-> patient_triage).

The triage level is never drawn at random: it is computed from the case by
one rule table, and the reasoning text is written from the rules that fired,
so level, reasons and recommendation always agree. The rules (adults only):

1. Observations are scored with NEWS2 (Royal College of Physicians, 2017):
   respiratory rate, SpO2 (scale 1), supplemental oxygen, systolic BP, pulse,
   consciousness (GCS < 15 counts as new confusion) and temperature.
   IMI maps the score to a level: >= 7 EMERGENCY; 5-6 or any single
   parameter scoring 3 URGENT; 3-4 SEMI-URGENT; 0-2 adds nothing.
2. Critical single values force EMERGENCY: SpO2 < 90 %, systolic BP < 90,
   pulse < 40 or >= 150, respiratory rate <= 8 or >= 30, GCS <= 12.
3. Suspected infection (temperature >= 38.0 C or an infective presentation)
   with qSOFA >= 2 (RR >= 22, SBP <= 100, GCS < 15) forces EMERGENCY.
4. Pain >= 8/10 is at least URGENT; 5-7/10 at least SEMI-URGENT.
5. Age >= 75 with temperature >= 38.0 C is at least URGENT.
6. Each presenting complaint has a floor level, and each red-flag feature
   of it (FAST stroke signs, thunderclap headache, anaphylaxis...) its own.

The level is the highest level any rule reaches; NON-URGENT when none fires.

Everything above is data in `tables/triage.yaml`: the level policies, the
NEWS2 bands, the observation rules (each a condition such as `hr < 40 or
hr >= 150` and its wording, checked by `tables.condition`, which allows only
comparisons), the observation ranges, and the presenting complaints with
their floors and red flags. This module holds the schema, how a case is drawn
and written, and `assess`, which applies the rules.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Callable, NamedTuple

from imi_lib.data.synthetic import tables
from imi_lib.data.synthetic.common import Example, Person, bullets, draw_person, join_and, sentence, some

ADAPTER = "patient_triage"

NON_URGENT, SEMI_URGENT, URGENT, EMERGENCY = "NON-URGENT", "SEMI-URGENT", "URGENT", "EMERGENCY"
LEVELS = (NON_URGENT, SEMI_URGENT, URGENT, EMERGENCY)  # ascending acuity
RANK = {level: i for i, level in enumerate(LEVELS)}
# the observations a case records, in the order they are drawn (the order is part of the seed's output)
ALL_OBS = ("hr", "sbp", "rr", "spo2", "temp", "gcs")
DIRECTIONS = ("high", "low")


# ---- the schema of tables/triage.yaml -------------------------------------------

@dataclass(frozen=True)
class LevelPolicy:
    target: str
    disposition: str
    reassess: str


class Band(NamedTuple):
    points: int
    up_to: float | None = None  # inclusive upper bound; the last band has none (anything higher)


@dataclass(frozen=True)
class News2:
    labels: dict[str, str]  # parameter -> its name in the reasoning, in NEWS2 chart order
    bands: dict[str, tuple[Band, ...]]  # checked in order
    supplemental_oxygen_points: int
    new_confusion_points: int


@dataclass(frozen=True)
class Observation:
    normal: tuple[float, float]
    deranged: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float]]]  # severity 1..3
    directions: dict[str, float]  # how likely each direction is when the observation is deranged


@dataclass(frozen=True)
class Profile:
    name: str
    weight: float  # share of cases with this physiology
    p_deranged: float  # probability an affected observation is deranged
    severity_weights: tuple[float, float, float]


class Onset(NamedTuple):
    unit: str  # minutes | hours | days
    min: int
    max: int


@dataclass(frozen=True)
class RedFlag:
    text: str  # as written in the case
    level: str
    reason: str  # why it raises the level
    action: str  # what to do about it
    deranges: dict[str, str] = field(default_factory=dict)  # observation -> direction this feature always disturbs


@dataclass(frozen=True)
class Complaint:
    id: str
    phrases: tuple[str, ...]
    floor: str  # the lowest level this complaint can get
    action: str  # the first steps for this complaint at any level
    onset: tuple[Onset, ...]
    affects: tuple[str, ...]  # observations this complaint can derange
    floor_reason: str = ""
    others: tuple[str, ...] = ()  # neutral accompanying features
    red_flags: tuple[RedFlag, ...] = ()
    infective: bool = False
    deranges: dict[str, str] = field(default_factory=dict)  # observation -> direction this complaint always disturbs
    sex: str | None = None
    age: tuple[int, int] = (18, 92)
    pain: tuple[int, int] = (0, 4)  # usual pain score range


class Wording(NamedTuple):
    when: str  # a condition, as in ObservationRule.when
    text: str


@dataclass(frozen=True)
class ObservationRule:
    id: str
    level: str
    when: str  # e.g. "spo2 < 90", "hr < 40 or hr >= 150", "infection and qsofa >= 2" (values: RULE_VALUES)
    reason: str  # the reasoning line; {slots} show values, e.g. "SpO2 {spo2}% is below 90%"
    reason_when: tuple[Wording, ...] = ()  # alternative wordings, the first whose `when` holds is used


@dataclass(frozen=True)
class TriageTables:
    levels: dict[str, LevelPolicy]
    news2: News2
    rules: tuple[ObservationRule, ...]
    observations: dict[str, Observation]
    profiles: tuple[Profile, ...]
    complaints: tuple[Complaint, ...]
    history: tuple[str, ...]
    instructions: tuple[str, ...]


# What an observation rule's `when` and wording may use (values of the case, see rule_values).
RULE_VALUES = ("hr", "sbp", "dbp", "rr", "spo2", "on_oxygen", "temp", "gcs", "pain", "age", "news2", "news2_max",
               "qsofa", "infection")
RULE_TEXTS = RULE_VALUES + ("news2_detail", "news2_red_parameters")


def _rule_parts(i: int, r: ObservationRule, fail):
    """(does it apply, [(when, wording)], default wording) of rule i, each checked against the known values."""
    where = tables.where_of("rules", i)
    applies = tables.condition(r.when, RULE_VALUES, tables.where_of(where, "when"), fail)
    wordings = [(tables.condition(w.when, RULE_VALUES, tables.where_of(where, "reason_when", j, "when"), fail),
                 tables.template(w.text, RULE_TEXTS, tables.where_of(where, "reason_when", j, "text"), fail))
                for j, w in enumerate(r.reason_when)]
    return applies, wordings, tables.template(r.reason, RULE_TEXTS, tables.where_of(where, "reason"), fail)


def validate(t: TriageTables, fail) -> None:
    """What the schema's types cannot say: every name one table uses exists in another."""
    w = tables.where_of
    if set(t.levels) != set(LEVELS):
        fail("levels", f"needs exactly one policy per level ({', '.join(LEVELS)}), has {', '.join(t.levels)}")
    if set(t.news2.labels) != {*t.news2.bands, "oxygen", "consciousness"}:
        fail("news2.labels", "needs a label for each banded parameter plus oxygen and consciousness")
    for name, bands in t.news2.bands.items():
        tables.check_one_of(name, ("rr", "spo2", "sbp", "hr", "temp"), w("news2.bands", name), fail)
        if not bands or bands[-1].up_to is not None or any(b.up_to is None for b in bands[:-1]):
            fail(w("news2.bands", name), "every band but the last needs up_to; the last (anything higher) has none")
        uppers = [b.up_to for b in bands[:-1]]
        if uppers != sorted(uppers):
            fail(w("news2.bands", name), f"up_to values must rise: {uppers}")
    if set(t.observations) != set(ALL_OBS):
        fail("observations", f"needs exactly {', '.join(ALL_OBS)}, has {', '.join(t.observations)}")
    for name, obs in t.observations.items():
        where = w("observations", name)
        ranges = [("normal", obs.normal)] + [(f"deranged.{d}[{i}]", r) for d, rs in obs.deranged.items()
                                              for i, r in enumerate(rs)]
        for key, r in ranges:
            tables.check_range(r, w(where, key), fail)
            # a temperature drawn from integers would lose its decimal; every other observation is a whole number
            if [isinstance(x, float) for x in r] != [name == "temp"] * len(r):
                fail(w(where, key), f"{'temperatures are written with a decimal point (36.0, not 36)' if name == 'temp' else 'whole numbers only'}: {list(r)}")
        for d in (*obs.deranged, *obs.directions):
            tables.check_one_of(d, DIRECTIONS, w(where, "deranged"), fail)
        if set(obs.directions) != set(obs.deranged):
            fail(w(where, "directions"), f"needs a weight for each deranged direction ({', '.join(obs.deranged)})")
    for i, p in enumerate(t.profiles):
        if not 0 <= p.p_deranged <= 1:
            fail(w("profiles", i, "p_deranged"), f"{p.p_deranged} is not a probability")
    tables.check_unique(t.rules, "id", "rules", fail)
    for i, r in enumerate(t.rules):
        tables.check_one_of(r.level, LEVELS, w("rules", i, "level"), fail)
        _rule_parts(i, r, fail)  # the conditions parse and the wordings show only known values
    tables.check_unique(t.complaints, "id", "complaints", fail)
    for i, c in enumerate(t.complaints):
        where = w("complaints", i)
        tables.check_one_of(c.floor, LEVELS, w(where, "floor"), fail)
        if c.floor != NON_URGENT and not c.floor_reason:
            fail(w(where, "floor_reason"), f"a {c.floor} floor needs the reason it is written with")
        for j, o in enumerate(c.onset):
            tables.check_one_of(o.unit, ("minutes", "hours", "days"), w(where, "onset", j, "unit"), fail)
            tables.check_range((o.min, o.max), w(where, "onset", j), fail)
        for obs in c.affects:
            tables.check_one_of(obs, ALL_OBS, w(where, "affects"), fail)
        tables.check_one_of(c.sex, (None, "male", "female"), w(where, "sex"), fail)
        tables.check_range(c.age, w(where, "age"), fail)
        tables.check_range(c.pain, w(where, "pain"), fail)
        for j, f in enumerate(c.red_flags):
            tables.check_one_of(f.level, LEVELS, w(where, "red_flags", j, "level"), fail)
        for key, deranges in [("deranges", c.deranges)] + [(f"red_flags[{j}].deranges", f.deranges)
                                                           for j, f in enumerate(c.red_flags)]:
            for obs, direction in deranges.items():
                tables.check_one_of(obs, ALL_OBS, w(where, key), fail)
                tables.check_one_of(direction, t.observations[obs].deranged, w(where, key, obs), fail)


TABLES = tables.load("triage.yaml", TriageTables, validate)
LEVEL_POLICY: dict[str, LevelPolicy] = TABLES.levels

# ---- observations ------------------------------------------------------------

@dataclass(frozen=True)
class Vitals:
    hr: int
    sbp: int
    dbp: int
    rr: int
    spo2: int
    on_oxygen: bool
    temp: float
    gcs: int
    pain: int

    def as_dict(self) -> dict:
        return {"hr": self.hr, "sbp": self.sbp, "dbp": self.dbp, "rr": self.rr, "spo2": self.spo2,
                "on_oxygen": self.on_oxygen, "temp": self.temp, "gcs": self.gcs, "pain": self.pain}


# NEWS2 bands: (inclusive upper bound, points), checked in order.
NEWS2_BANDS: dict[str, tuple[tuple[float, int], ...]] = {
    name: tuple((math.inf if b.up_to is None else b.up_to, b.points) for b in bands)
    for name, bands in TABLES.news2.bands.items()
}
NEWS2_LABELS = TABLES.news2.labels


def news2_parts(v: Vitals) -> dict[str, int]:
    """Points per NEWS2 parameter, in NEWS2 chart order."""
    parts: dict[str, int] = {}
    for name in ("rr", "spo2"):
        parts[name] = _band(NEWS2_BANDS[name], getattr(v, name))
    parts["oxygen"] = TABLES.news2.supplemental_oxygen_points if v.on_oxygen else 0
    for name in ("sbp", "hr"):
        parts[name] = _band(NEWS2_BANDS[name], getattr(v, name))
    parts["consciousness"] = TABLES.news2.new_confusion_points if v.gcs < 15 else 0
    parts["temp"] = _band(NEWS2_BANDS["temp"], v.temp)
    return parts


def _band(bands, value) -> int:
    for upper, points in bands:
        if value <= upper:
            return points
    raise AssertionError("bands end at infinity")


# ---- presenting complaints -----------------------------------------------------

COMPLAINTS: tuple[Complaint, ...] = TABLES.complaints
COMPLAINT_BY_ID = {c.id: c for c in COMPLAINTS}
_FLAG_BY_TEXT = {(c.id, f.text): f for c in COMPLAINTS for f in c.red_flags}


# ---- the case and the rule table --------------------------------------------

@dataclass(frozen=True)
class Case:
    person: Person
    complaint: Complaint
    red_flag: RedFlag | None
    others: tuple[str, ...]
    vitals: Vitals
    onset: str

    @property
    def news2(self) -> dict[str, int]:
        return news2_parts(self.vitals)

    @property
    def news2_total(self) -> int:
        return sum(self.news2.values())

    @property
    def qsofa(self) -> int:
        v = self.vitals
        return int(v.rr >= 22) + int(v.sbp <= 100) + int(v.gcs < 15)

    @property
    def infection_suspected(self) -> bool:
        return self.vitals.temp >= 38.0 or self.complaint.infective


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    applies: Callable[[Case], bool]
    reason: Callable[[Case], str]


def _news2_detail(c: Case) -> str:
    parts = [f"{NEWS2_LABELS[k]} {p}" for k, p in c.news2.items() if p]
    return f"NEWS2 {c.news2_total} ({', '.join(parts)})" if parts else "NEWS2 0"


def rule_values(c: Case) -> dict:
    """The named values of a case the observation rules test and quote."""
    v, parts = c.vitals, c.news2
    return {"hr": v.hr, "sbp": v.sbp, "dbp": v.dbp, "rr": v.rr, "spo2": v.spo2, "on_oxygen": v.on_oxygen,
            "temp": v.temp, "gcs": v.gcs, "pain": v.pain, "age": c.person.age, "news2": sum(parts.values()),
            "news2_max": max(parts.values()), "qsofa": c.qsofa, "infection": c.infection_suspected,
            "news2_detail": _news2_detail(c),
            "news2_red_parameters": ", ".join(NEWS2_LABELS[k] for k, p in parts.items() if p == 3)}


def _compile_rule(i: int, r: ObservationRule) -> Rule:
    applies, wordings, default = _rule_parts(i, r, tables.already_validated)

    def reason(c: Case) -> str:
        values = rule_values(c)
        text = next((t for test, t in wordings if test(values)), default)
        return text.format(**values)

    return Rule(r.id, r.level, lambda c: applies(rule_values(c)), reason)


# Observation rules, in table order. Complaint floors and red flags (rule 6) come from COMPLAINTS.
RULES: tuple[Rule, ...] = tuple(_compile_rule(i, r) for i, r in enumerate(TABLES.rules))


@dataclass(frozen=True)
class Finding:
    rule: str
    level: str
    reason: str


@dataclass(frozen=True)
class Assessment:
    level: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)  # highest level first


def assess(case: Case) -> Assessment:
    """The triage level and every rule that fired, highest level first."""
    found: list[Finding] = []
    if RANK[case.complaint.floor] > RANK[NON_URGENT]:
        found.append(Finding(f"complaint:{case.complaint.id}", case.complaint.floor, case.complaint.floor_reason))
    if case.red_flag is not None:
        found.append(Finding(f"red_flag:{case.complaint.id}", case.red_flag.level, case.red_flag.reason))
    for rule in RULES:
        if rule.applies(case):
            found.append(Finding(rule.id, rule.level, rule.reason(case)))
    found.sort(key=lambda f: -RANK[f.level])  # stable: table order within a level
    level = found[0].level if found else NON_URGENT
    return Assessment(level, tuple(found))


def case_from_facts(facts: dict) -> Case:
    """Rebuild a Case from the facts a generated record carries in its lineage."""
    complaint = COMPLAINT_BY_ID[facts["complaint"]]
    flag = _FLAG_BY_TEXT[(complaint.id, facts["red_flag"])] if facts.get("red_flag") else None
    return Case(Person(facts["age"], facts["sex"]), complaint, flag, tuple(facts.get("others", ())),
                Vitals(**facts["vitals"]), facts.get("onset", ""))


# ---- drawing a case ---------------------------------------------------------------

# (normal range, then deranged ranges by severity 1..3) per direction.
_DERANGED = {name: obs.deranged for name, obs in TABLES.observations.items()}
_NORMAL = {name: obs.normal for name, obs in TABLES.observations.items()}
# how likely each direction is when an observation is deranged
_DIRECTION_WEIGHTS = {name: tuple(obs.directions.items()) for name, obs in TABLES.observations.items()}
# physiology profile -> (weight, probability an affected observation is deranged, severity weights)
_PROFILES = tuple((p.name, p.weight, p.p_deranged, p.severity_weights) for p in TABLES.profiles)



def _draw(rng: random.Random, lo, hi):
    if isinstance(lo, float):
        return round(rng.uniform(lo, hi), 1)
    return rng.randint(lo, hi)


def draw_vitals(rng: random.Random, complaint: Complaint, red_flag: RedFlag | None) -> tuple[Vitals, str]:
    names = [p[0] for p in _PROFILES]
    profile = rng.choices(names, weights=[p[1] for p in _PROFILES])[0]
    _, _, p_deranged, sev_weights = _PROFILES[names.index(profile)]
    # features that always disturb an observation (fever, shock, a silent chest) do so in their direction
    forced = {**complaint.deranges, **(red_flag.deranges if red_flag else {})}
    values = {}
    for obs in ALL_OBS:
        lo, hi = _NORMAL[obs]
        if obs in forced:
            weights = sev_weights if profile != "stable" else (0.5, 0.4, 0.1)
            lo, hi = _DERANGED[obs][forced[obs]][rng.choices((0, 1, 2), weights=weights)[0]]
        elif obs in complaint.affects and rng.random() < p_deranged:
            dirs = _DIRECTION_WEIGHTS[obs]
            direction = rng.choices([d for d, _ in dirs], weights=[w for _, w in dirs])[0]
            severity = rng.choices((0, 1, 2), weights=sev_weights)[0]
            lo, hi = _DERANGED[obs][direction][severity]
        values[obs] = _draw(rng, lo, hi)
    sbp = values["sbp"]
    dbp = max(35, int(sbp * rng.uniform(0.55, 0.68)))
    # only presentations that can lower SpO2 come in on supplemental oxygen
    on_oxygen = "spo2" in complaint.affects and profile != "stable" and rng.random() < 0.1
    pain = rng.randint(*complaint.pain)
    vitals = Vitals(values["hr"], sbp, dbp, values["rr"], values["spo2"], on_oxygen, values["temp"],
                    values["gcs"], pain)
    return vitals, profile


def draw_case(rng: random.Random) -> Case:
    complaint = rng.choice(COMPLAINTS)
    person = draw_person(rng, complaint.age, complaint.sex)
    red_flag = rng.choice(complaint.red_flags) if complaint.red_flags and rng.random() < 0.4 else None
    others = tuple(some(rng, complaint.others, 0, 2))
    vitals, _profile = draw_vitals(rng, complaint, red_flag)
    unit, lo, hi = rng.choice(complaint.onset)
    n = rng.randint(lo, hi)
    onset = f"{n} {unit[:-1] if n == 1 else unit}"
    return Case(person, complaint, red_flag, others, vitals, onset)


# ---- writing it down ---------------------------------------------------------------

HISTORY = TABLES.history
INSTRUCTIONS = TABLES.instructions



def _obs_line(v: Vitals, style: int) -> str:
    air = "on 2 L/min oxygen" if v.on_oxygen else "on room air"
    if style == 0:
        return (f"HR {v.hr} bpm, BP {v.sbp}/{v.dbp} mmHg, RR {v.rr}/min, SpO2 {v.spo2}% {air}, "
                f"Temp {v.temp:.1f} °C, GCS {v.gcs}, pain {v.pain}/10")
    return (f"HR {v.hr} | BP {v.sbp}/{v.dbp} | RR {v.rr} | SpO2 {v.spo2}% ({'O2 2 L/min' if v.on_oxygen else 'RA'}) | "
            f"T {v.temp:.1f} °C | GCS {v.gcs} | pain {v.pain}/10")


def render_input(rng: random.Random, case: Case) -> str:
    p, c = case.person, case.complaint
    phrase = rng.choice(c.phrases)
    details = ([case.red_flag.text] if case.red_flag else []) + list(case.others)
    history = some(rng, HISTORY, 0, 2)
    style = rng.randrange(3)
    if style == 0:
        lines = [f"{p.short.capitalize()}.",
                 f"Chief complaint: {phrase}, started {case.onset} ago.",
                 f"Associated features: {'; '.join(details)}." if details else "No other features reported.",
                 f"Vitals: {_obs_line(case.vitals, 0)}.",
                 f"History: {join_and(history) if history else 'none'}."]
        return "\n".join(lines)
    if style == 1:
        sex = "M" if p.sex == "male" else "F"
        parts = [f"Triage note: {sex}, {p.age}y, presenting with {phrase} for {case.onset}."]
        if details:
            parts.append(sentence("; ".join(details)))
        parts.append(f"Obs: {_obs_line(case.vitals, 1)}.")
        parts.append(f"PMH: {join_and(history) if history else 'nil'}.")
        return " ".join(parts)
    text = f"A {p.short} comes in with {phrase} that began {case.onset} ago."
    if details:
        text += f" Notable: {'; '.join(details)}."
    text += f" {p.his.capitalize()} observations are: {_obs_line(case.vitals, 0)}."
    if history:
        text += f" {p.he.capitalize()} has a history of {join_and(history)}."
    return text


def render_output(case: Case, a: Assessment) -> str:
    policy = LEVEL_POLICY[a.level]
    v = case.vitals
    summary = (f"{case.person.short} with {case.complaint.phrases[0]} for {case.onset}: HR {v.hr}, BP {v.sbp}/{v.dbp}, "
               f"RR {v.rr}, SpO2 {v.spo2}%{' on oxygen' if v.on_oxygen else ''}, T {v.temp:.1f} °C, GCS {v.gcs}, "
               f"pain {v.pain}/10; NEWS2 {case.news2_total}.")
    lines = [f"Triage Level: {a.level} ({policy.target}).", f"Summary: {summary}", "Reasoning:"]
    if a.findings:
        lines.append(bullets([f"{f.level}: {f.reason}." for f in a.findings]))
        lines.append(f"The highest level reached by any rule sets the triage level: {a.level}.")
    else:
        lines.append(bullets([
            "no red-flag features in the history",
            f"{_news2_detail(case)}: below 3 and no single parameter scores 3",
            f"pain {v.pain}/10 is below 5",
        ]))
        lines.append("No rule raises the level, so the triage level is NON-URGENT.")
    steps = [policy.disposition]
    if case.red_flag is not None:
        steps.append(case.red_flag.action)
    steps.append(case.complaint.action)
    steps.append(policy.reassess)
    lines.append("Recommendation: " + " ".join(sentence(s) for s in steps))
    return "\n".join(lines)


def generate(rng: random.Random) -> Example:
    case = draw_case(rng)
    a = assess(case)
    facts = {
        "complaint": case.complaint.id,
        "red_flag": case.red_flag.text if case.red_flag else None,
        "others": list(case.others),
        "age": case.person.age,
        "sex": case.person.sex,
        "onset": case.onset,
        "vitals": case.vitals.as_dict(),
        "level": a.level,
        "rules": [f.rule for f in a.findings],
    }
    return Example(rng.choice(INSTRUCTIONS), render_input(rng, case), render_output(case, a), ADAPTER, "triage", facts)
