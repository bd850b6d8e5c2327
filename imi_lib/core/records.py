"""The one record type every stage reads and writes, and its validation.

A training record is the guide's instruction format (instruction, input,
output, source, adapter) plus a stable `id`, `lineage` (where it came from:
hub id + revision + split + row, PDF file + pages, or generator + seed) and
`license`. An evaluation item is a multiple-choice question kept apart from
training data.

Records are validated on write and on read. An invalid one never crashes a
stage and is never dropped silently: it goes to a quarantine file with its
reason and is counted in the stage summary.
"""

from __future__ import annotations

from imi_lib.core.errors import UserError

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable, Iterator

from imi_lib.core.adapters import ADAPTERS

# Longest text a field may hold (characters). Meditron's context is 2048
# tokens; a field over ~32k characters can only be a parsing accident.
MAX_FIELD_CHARS = 32_000

RECORD_FIELDS = ("id", "instruction", "input", "output", "source", "adapter", "license", "lineage")


def stable_id(*parts: Any) -> str:
    """A short deterministic id from the record's origin (not its content)."""
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return h[:16]


@dataclass
class Record:
    instruction: str
    input: str
    output: str
    source: str
    adapter: str
    id: str = ""
    license: str = ""
    lineage: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        # Same keys and order as dataclasses.asdict, but without its recursive
        # deep copy (~40 us vs ~1 us per record here; it was most of a 300k-record write).
        return {"instruction": self.instruction, "input": self.input, "output": self.output,
                "source": self.source, "adapter": self.adapter, "id": self.id,
                "license": self.license, "lineage": dict(self.lineage)}


@dataclass
class EvalItem:
    """A multiple-choice evaluation question (MedQA test, MedMCQA validation, PubMedQA hold-out)."""

    id: str
    question: str
    options: dict  # letter -> option text, e.g. {"A": "...", "B": "..."}
    answer: str  # the correct letter
    source: str
    context: str = ""
    license: str = ""
    lineage: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        # shallow, like Record.to_dict
        return {"id": self.id, "question": self.question, "options": dict(self.options), "answer": self.answer,
                "source": self.source, "context": self.context, "license": self.license,
                "lineage": dict(self.lineage)}


class InvalidRecord(UserError, ValueError):
    """Raised by the validators; the message is the quarantine reason."""


def one_line(e: BaseException) -> str:
    """An exception as one short line, its type and message: the quarantine reason of a record whose
    per-record work raised (the record is quarantined, the stage goes on)."""
    text = " ".join(str(e).split())
    return f"{type(e).__name__}: {text[:200]}" if text else type(e).__name__


def _check_text(d: dict, key: str, *, allow_empty: bool) -> None:
    v = d.get(key)
    if not isinstance(v, str):
        raise InvalidRecord(f"{key}: expected a string, got {type(v).__name__}")
    if not allow_empty and not v.strip():
        raise InvalidRecord(f"{key}: empty")
    if len(v) > MAX_FIELD_CHARS:
        raise InvalidRecord(f"{key}: too long ({len(v)} > {MAX_FIELD_CHARS} characters)")


def validate_record(d: Any) -> Record:
    """Return a Record from a dict, or raise InvalidRecord with the reason."""
    check_record(d)
    return Record(**{k: d[k] for k in RECORD_FIELDS if k in d})


_RECORD_FIELD_SET = frozenset(RECORD_FIELDS)


def plainly_valid(d: Any) -> bool:
    """True only where `check_record` passes, in one expression (no call per field).

    The common record is checked here; anything this says no to goes through
    the field-by-field checks, which give the reason (or pass it after all).
    """
    if type(d) is not dict or not d.keys() <= _RECORD_FIELD_SET:
        return False
    instruction, inp, out, source, record_id = (d.get("instruction"), d.get("input"), d.get("output"),
                                                d.get("source"), d.get("id"))
    return (type(instruction) is str and type(inp) is str and type(out) is str and type(source) is str
            and type(record_id) is str
            and len(instruction) <= MAX_FIELD_CHARS and len(inp) <= MAX_FIELD_CHARS and len(out) <= MAX_FIELD_CHARS
            and len(source) <= MAX_FIELD_CHARS and len(record_id) <= MAX_FIELD_CHARS
            and not instruction.isspace() and instruction != "" and out != "" and not out.isspace()
            and source != "" and not source.isspace() and record_id != "" and not record_id.isspace()
            and d.get("adapter") in ADAPTERS and type(d.get("license", "")) is str
            and type(d.get("lineage", {})) is dict)


def check_record(d: Any) -> None:
    """`validate_record` without building the Record (for stages that keep the dict): raise InvalidRecord or return."""
    if plainly_valid(d):
        return
    if not isinstance(d, dict):
        raise InvalidRecord(f"record: expected an object, got {type(d).__name__}")
    unknown = d.keys() - _RECORD_FIELD_SET
    if unknown:
        raise InvalidRecord(f"unknown field(s): {', '.join(sorted(unknown))}")
    for key in ("instruction", "output"):
        _check_text(d, key, allow_empty=False)
    _check_text(d, "input", allow_empty=True)
    for key in ("source", "id"):
        _check_text(d, key, allow_empty=False)
    if d.get("adapter") not in ADAPTERS:
        raise InvalidRecord(f"adapter: unknown adapter {d.get('adapter')!r}")
    lic = d.get("license", "")
    if not isinstance(lic, str):
        raise InvalidRecord("license: expected a string")
    lineage = d.get("lineage", {})
    if not isinstance(lineage, dict):
        raise InvalidRecord("lineage: expected an object")


def validate_eval_item(d: Any) -> EvalItem:
    if not isinstance(d, dict):
        raise InvalidRecord(f"eval item: expected an object, got {type(d).__name__}")
    names = {f.name for f in fields(EvalItem)}
    unknown = set(d) - names
    if unknown:
        raise InvalidRecord(f"unknown field(s): {', '.join(sorted(unknown))}")
    for key in ("id", "question", "answer", "source"):
        _check_text(d, key, allow_empty=False)
    _check_text(d, "context", allow_empty=True) if "context" in d else None
    opts = d.get("options")
    if not isinstance(opts, dict) or len(opts) < 2:
        raise InvalidRecord("options: expected an object with at least two options")
    for k, v in opts.items():
        if not isinstance(v, str) or not v.strip():
            raise InvalidRecord(f"options: option {k!r} is empty or not a string")
    if d["answer"] not in opts:
        raise InvalidRecord(f"answer: {d['answer']!r} is not one of the options {sorted(opts)}")
    return EvalItem(**{k: d[k] for k in names if k in d})


class RecordWriter:
    """Writes valid records to a JSON Lines file and invalid ones to a quarantine file.

    Usage:
        with RecordWriter(path, quarantine_path) as w:
            w.write(record_or_dict)
        w.written, w.quarantined (Counter of reasons)

    The output is written to a temporary file and renamed on success, so a
    crashed stage never leaves a half-written file that looks complete.
    """

    def __init__(self, path: str | Path, quarantine_path: str | Path, *, validator=validate_record):
        self.path = Path(path)
        self.quarantine_path = Path(quarantine_path)
        self.validator = validator
        self.written = 0
        self.by_adapter: Counter = Counter()
        self.quarantined: Counter = Counter()
        self._fh = None
        self._qfh = None

    def __enter__(self) -> "RecordWriter":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = self.path.with_name(self.path.name + ".partial")
        self._fh = open(self._tmp, "w", encoding="utf-8")
        return self

    def write(self, rec: Record | EvalItem | dict, *, origin: str = "") -> bool:
        d = rec.to_dict() if hasattr(rec, "to_dict") else rec
        try:
            valid = self.validator(d)
        except InvalidRecord as e:
            self.quarantine(d, str(e), origin=origin)
            return False
        self._fh.write(json.dumps(valid.to_dict(), ensure_ascii=False) + "\n")
        self.written += 1
        adapter = getattr(valid, "adapter", None)
        if adapter:
            self.by_adapter[adapter] += 1
        return True

    def quarantine(self, d: Any, reason: str, *, origin: str = "") -> None:
        if self._qfh is None:
            self.quarantine_path.parent.mkdir(parents=True, exist_ok=True)
            self._qfh = open(self.quarantine_path, "a", encoding="utf-8")
        # the reason's category (text before the first ':') keys the summary
        self.quarantined[reason.split(":")[0].strip() or reason] += 1
        self._qfh.write(
            json.dumps({"reason": reason, "origin": origin, "record": d}, ensure_ascii=False, default=str) + "\n"
        )

    def __exit__(self, exc_type, exc, tb) -> None:
        self._fh.close()
        if self._qfh is not None:
            self._qfh.close()
        if exc_type is None:
            self._tmp.replace(self.path)
        else:
            self._tmp.unlink(missing_ok=True)


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, Any]]:
    """Yield (line number, parsed object or InvalidRecord) for each non-blank line."""
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as e:
                yield n, InvalidRecord(f"json: line {n} is not valid JSON ({e.msg})")


def read_records(path: str | Path, *, validator=validate_record, on_invalid=None) -> Iterator:
    """Yield validated records from a JSON Lines file.

    Invalid lines are passed to `on_invalid(obj, reason, origin)` (for example a
    RecordWriter's `quarantine`); without it they raise InvalidRecord naming
    the file and line.
    """
    for n, obj in iter_jsonl(path):
        try:
            if isinstance(obj, InvalidRecord):
                raise obj
            yield validator(obj)
        except InvalidRecord as e:
            origin = f"{path}:{n}"
            if on_invalid is None:
                raise InvalidRecord(f"{origin}: {e}") from None
            on_invalid(obj if not isinstance(obj, InvalidRecord) else None, str(e), origin=origin)


def write_jsonl(path: str | Path, rows: Iterable[dict]) -> int:
    """Write plain dicts as JSON Lines atomically; return the count."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    n = 0
    with open(tmp, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    tmp.replace(path)
    return n
