"""What every generator returns, and the small drawing helpers they share."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")

LETTERS = "ABCDE"


@dataclass(frozen=True)
class Example:
    """One generated training example before it becomes a Record.

    `facts` is the structured truth the text was written from (the triage
    vitals, the interaction pair, the answer letter...). It travels in the
    record's lineage so that tests and reviewers can check the text against it.
    """

    instruction: str
    input: str
    output: str
    adapter: str
    variant: str
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Person:
    age: int
    sex: str  # "male" | "female"

    @property
    def noun(self) -> str:
        return "man" if self.sex == "male" else "woman"

    @property
    def he(self) -> str:
        return "he" if self.sex == "male" else "she"

    @property
    def his(self) -> str:
        return "his" if self.sex == "male" else "her"

    @property
    def short(self) -> str:
        return f"{self.age}-year-old {self.noun}"


# HIPAA Safe Harbor treats ages over 89 as identifiers and prepare rewrites them to "90+",
# which would break a generated case; no generated patient is older than this.
MAX_AGE = 89


def draw_person(rng: random.Random, age: tuple[int, int] = (18, MAX_AGE), sex: str | None = None) -> Person:
    return Person(rng.randint(age[0], min(age[1], MAX_AGE)), sex or rng.choice(("male", "female")))


def some(rng: random.Random, items: Sequence[T], lo: int, hi: int) -> list[T]:
    """Between lo and hi items, kept in table order (tables list findings in a sensible reading order)."""
    hi = min(hi, len(items))
    lo = min(lo, hi)
    k = rng.randint(lo, hi)
    picked = sorted(rng.sample(range(len(items)), k))
    return [items[i] for i in picked]


def join_and(items: Sequence[str]) -> str:
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def shuffled_options(rng: random.Random, correct: str, wrong: Sequence[str], n_options: int) -> tuple[dict, str]:
    """Letters -> option text with the correct answer at a random letter; returns (options, answer letter)."""
    choices = [correct] + list(wrong)[: n_options - 1]
    if len(set(choices)) != len(choices):
        raise ValueError(f"duplicate options: {choices}")
    rng.shuffle(choices)
    options = {LETTERS[i]: text for i, text in enumerate(choices)}
    answer = LETTERS[choices.index(correct)]
    return options, answer


def format_options(options: dict) -> str:
    return "\n".join(f"{k}. {v}" for k, v in options.items())


def explained_answer(options: dict, answer: str, reasoning: Sequence[str], why_wrong: Callable[[str], str]) -> list[str]:
    """The explanation every multiple-choice item writes: the answer, the reasoning, then why each other option is wrong."""
    lines = [f"Answer: {answer}. {options[answer]}", "", *reasoning, "", "Why the other options are wrong:"]
    lines += [f"- {letter}. {why_wrong(text)}" for letter, text in options.items() if letter != answer]
    return lines
