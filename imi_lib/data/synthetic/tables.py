"""Reading the clinical tables (`tables/*.yaml`) into typed records, and refusing a bad one.

The generators' knowledge (triage complaints and red flags, observation
ranges, NEWS2 bands, conditions, drug interactions, compliance scenarios)
lives in YAML files beside this module, keyed so that a clinician or a QA
reviewer can read and extend them without Python. The schema of each file is
the set of dataclasses (and NamedTuples) its generator declares: every key
must be a field, every required field must be present, every value must have
the field's type. Cross-references (a red flag's level, a cited regulation, a
lab an interaction turns on) are then checked by the generator's own
`validate`. Any problem stops `imi synthesize` before it writes anything, with
one line naming the file and the key:

    tables/triage.yaml: complaints[3].red_flags[0].level: 'URGNET' is not one of NON-URGENT, ...

`IMI_SYNTHETIC_TABLES=DIR` reads the tables from DIR instead (a reviewed copy
being tried out); the packaged files are the default.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import operator
import os
import string
import types
import typing
from pathlib import Path
from typing import Any, Callable, TypeVar

from imi_lib.core.errors import UserError

T = TypeVar("T")

PACKAGED_DIR = Path(__file__).with_name("tables")
ENV_DIR = "IMI_SYNTHETIC_TABLES"


class TableError(UserError, ValueError):
    """A clinical table that does not match its schema; the message names the file and the key."""


def tables_dir() -> Path:
    return Path(os.environ.get(ENV_DIR) or PACKAGED_DIR)


def load(file_name: str, schema: type[T], validate: Callable[[T, Callable[..., None]], None] | None = None,
         directory: str | Path | None = None) -> T:
    """Read `file_name` from the tables directory as `schema`, then run `validate(table, fail)`.

    `fail(where, message)` raises the one-line TableError for a key path inside the file.
    """
    path = Path(directory) if directory is not None else tables_dir()
    path = path / file_name
    shown = _shown(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise TableError(f"{shown}: cannot read the table ({e.strerror or e})") from None
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise TableError(f"{shown}: {at}not valid YAML: {problem}") from None

    def fail(where: str, message: str) -> typing.NoReturn:
        raise TableError(f"{shown}: {where}: {message}" if where else f"{shown}: {message}")

    table = build(schema, data, "", fail)
    if validate is not None:
        validate(table, fail)
    return table


def _shown(path: Path) -> str:
    """The path as a reader finds it: imi_lib/data/synthetic/tables/... for the packaged tables."""
    try:
        return str(path.relative_to(PACKAGED_DIR.parents[3]))
    except ValueError:
        return str(path)


def _join(where: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    return f"{where}.{key}" if where else str(key)


def build(tp: Any, value: Any, where: str, fail: Callable[[str, str], typing.NoReturn]) -> Any:
    """`value` (parsed YAML) as type `tp`: dataclasses and NamedTuples from mappings, tuples from lists."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return build(inner, value, where, fail)
    if dataclasses.is_dataclass(tp) or _is_namedtuple(tp):
        return _record(tp, value, where, fail)
    if origin is tuple:
        if not isinstance(value, list):
            fail(where, f"expected a list, got {_kind(value)}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(build(args[0], v, _join(where, i), fail) for i, v in enumerate(value))
        if len(value) != len(args):
            fail(where, f"expected a list of {len(args)} values, got {len(value)}")
        return tuple(build(a, v, _join(where, i), fail) for i, (a, v) in enumerate(zip(args, value)))
    if origin is dict or tp is dict:
        if not isinstance(value, dict):
            fail(where, f"expected a mapping, got {_kind(value)}")
        kt, vt = args or (Any, Any)
        return {build(kt, k, where, fail): build(vt, v, _join(where, k), fail) for k, v in value.items()}
    if tp is float:
        # ints stay ints: a range written [410, 505] draws exactly as it did in code
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            fail(where, f"expected a number, got {_kind(value)}")
        return value
    if tp in (int, str, bool):
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            fail(where, f"expected {'an' if tp is int else 'a'} {_TYPE_NAMES[tp]}, got {_kind(value)}")
        return value
    raise TypeError(f"schema type {tp!r} at {where} is not supported")  # a programming error, not a table one


_TYPE_NAMES = {int: "integer", str: "text", bool: "true/false"}


def _is_namedtuple(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, tuple) and hasattr(tp, "_fields")


@functools.lru_cache(maxsize=None)
def _schema(tp: Any) -> tuple[dict[str, Any], list[str], list[str]]:
    """(field types, field names, required names) of a record type; resolved once per type."""
    hints = typing.get_type_hints(tp)
    if dataclasses.is_dataclass(tp):
        names = [f.name for f in dataclasses.fields(tp)]
        required = [f.name for f in dataclasses.fields(tp)
                    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    else:
        names = list(tp._fields)
        required = [n for n in names if n not in tp._field_defaults]
    return hints, names, required


def _record(tp: Any, value: Any, where: str, fail: Callable[[str, str], typing.NoReturn]) -> Any:
    hints, names, required = _schema(tp)
    if not isinstance(value, dict):
        fail(where, f"expected a mapping with keys {', '.join(names)}; got {_kind(value)}")
    unknown = [k for k in value if k not in names]
    if unknown:
        fail(_join(where, str(unknown[0])), f"unknown key (known keys: {', '.join(names)})")
    missing = [n for n in required if n not in value]
    if missing:
        fail(where, f"missing key '{missing[0]}' (required: {', '.join(required)})")
    return tp(**{k: build(hints[k], v, _join(where, k), fail) for k, v in value.items()})


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return {dict: "a mapping", list: "a list", str: f"text {value!r}", bool: f"{value}"}.get(
        type(value), f"{type(value).__name__} {value!r}")


def check_unique(items: typing.Sequence[Any], key: str, where: str, fail: Callable[[str, str], typing.NoReturn]) -> None:
    """Ids are how facts and tests find an entry again: two with the same id would shadow each other."""
    seen: dict[Any, int] = {}
    for i, item in enumerate(items):
        k = getattr(item, key)
        if k in seen:
            fail(_join(_join(where, i), key), f"{k!r} is already used by {where}[{seen[k]}]")
        seen[k] = i


def check_one_of(value: Any, allowed: typing.Iterable[Any], where: str, fail: Callable[[str, str], typing.NoReturn]) -> None:
    allowed = list(allowed)
    if value not in allowed:
        fail(where, f"{value!r} is not one of {', '.join(str(a) for a in allowed)}")


def check_range(pair: typing.Sequence[float], where: str, fail: Callable[[str, str], typing.NoReturn]) -> None:
    if pair[0] > pair[1]:
        fail(where, f"range {list(pair)} runs backwards (low first, then high)")


def where_of(base: str, *keys: str | int) -> str:
    """A key path for error messages: where_of('complaints', 3, 'red_flags', 0) -> 'complaints[3].red_flags[0]'."""
    for k in keys:
        base = _join(base, k)
    return base


# ---- conditions written in a table -------------------------------------------------------

_COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
            ast.Eq: operator.eq, ast.NotEq: operator.ne}


def condition(text: str, names: typing.Collection[str], where: str,
              fail: Callable[[str, str], typing.NoReturn]) -> Callable[[dict], bool]:
    """A test such as `hr < 40 or hr >= 150` or `5 <= news2 <= 6`, over the named values of a case.

    Only comparisons of names and numbers joined by and/or/not: a table states a threshold, it
    does not run code. Parsed and checked when the table loads; evaluated without eval()."""
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError as e:
        fail(where, f"{text!r} is not a condition ({e.msg})")

    def check(node: ast.AST) -> None:
        if isinstance(node, ast.BoolOp):
            for v in node.values:
                check(v)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            check(node.operand)
        elif isinstance(node, ast.Compare):
            if not all(type(op) in _COMPARE for op in node.ops):
                fail(where, f"{text!r}: only <, <=, >, >=, ==, != compare values")
            for v in (node.left, *node.comparators):
                check(v)
        elif isinstance(node, ast.Name):
            if node.id not in names:
                fail(where, f"{text!r}: unknown value {node.id!r} (known: {', '.join(names)})")
        elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            pass
        else:
            fail(where, f"{text!r}: only names, numbers, comparisons and and/or/not are allowed")

    check(tree)

    def value(node: ast.AST, values: dict) -> Any:
        if isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And):
                return all(value(v, values) for v in node.values)
            return any(value(v, values) for v in node.values)
        if isinstance(node, ast.UnaryOp):
            return not value(node.operand, values)
        if isinstance(node, ast.Compare):
            left = value(node.left, values)
            for op, right_node in zip(node.ops, node.comparators):
                right = value(right_node, values)
                if not _COMPARE[type(op)](left, right):
                    return False
                left = right
            return True
        if isinstance(node, ast.Name):
            return values[node.id]
        return node.value

    return lambda values: bool(value(tree, values))


def template(text: str, names: typing.Collection[str], where: str, fail: Callable[[str, str], typing.NoReturn]) -> str:
    """`text` after checking that its {slots} are known values (`{temp:.1f}` formats like Python)."""
    try:
        slots = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as e:
        fail(where, f"unbalanced braces in {text!r} ({e})")
    for name in slots:
        if name not in names:
            fail(where, f"{{{name}}} is not a value the text can show (known: {', '.join(names)})")
    return text


def already_validated(where: str, message: str) -> typing.NoReturn:
    """The `fail` for rebuilding from a table `load` has validated: reaching it is a bug, not a table error."""
    raise AssertionError(f"{where}: {message} (after validation)")
