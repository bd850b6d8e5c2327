"""Typed stage configuration: dataclass defaults <- YAML file <- CLI flags.

Every stage declares one dataclass. Its fields become the stage's CLI flags
(`num_examples` -> `--num-examples`), a YAML file given with `--config` may set
any of them, flags override the file, and unknown keys are rejected with the
list of valid ones. The effective config is written beside every output.

    @dataclass
    class SynthesizeConfig:
        num_examples: int = option(5000, "how many examples to generate")
"""

from __future__ import annotations

from imi_lib.core.errors import UserError

import argparse
import dataclasses
import json
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def option(default: Any = dataclasses.MISSING, help: str = "", *, flag: str | None = None,
           choices: tuple | list | None = None, cli: bool = True, default_factory: Any = dataclasses.MISSING,
           metavar: str | None = None) -> Any:
    """A config field with its CLI help. `cli=False` keeps it YAML/API only."""
    md = {"help": help, "flag": flag, "choices": choices, "cli": cli, "metavar": metavar}
    if default_factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=md)
    return dataclasses.field(default=default, metadata=md)


class ConfigError(UserError, ValueError):
    """A bad configuration value or key; the message says what is valid."""


def _base_type(tp: Any) -> Any:
    """Strip Optional[...] and return (type, optional)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _coerce(name: str, tp: Any, value: Any) -> Any:
    tp = _base_type(tp)
    if value is None:
        return None
    origin = typing.get_origin(tp)
    try:
        if tp is bool:
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "yes", "1", "on"):
                return True
            if isinstance(value, str) and value.lower() in ("false", "no", "0", "off"):
                return False
            raise ValueError(value)
        if tp is int:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError(value)
            return int(value)
        if tp is float:
            if isinstance(value, bool):
                raise ValueError(value)
            return float(value)
        if tp is str:
            if isinstance(value, (dict, list)):
                raise ValueError(value)
            return str(value)
        if origin in (list, tuple) or tp in (list, tuple):
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            if not isinstance(value, (list, tuple)):
                raise ValueError(value)
            args = typing.get_args(tp)
            item = args[0] if args else str
            return [_coerce(name, item, v) for v in value]
        if origin is dict or tp is dict:
            if not isinstance(value, dict):
                raise ValueError(value)
            return dict(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name}: cannot use {value!r} as {getattr(tp, '__name__', tp)}") from None
    return value


def from_dict(cls: type[T], data: dict | None) -> T:
    """Build a config, rejecting unknown keys and values of the wrong type."""
    data = dict(data or {})
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ConfigError(
            f"unknown {cls.__name__} key(s): {', '.join(unknown)}; valid keys: {', '.join(sorted(names))}"
        )
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            kwargs[f.name] = _coerce(f.name, hints[f.name], data[f.name])
            choices = f.metadata.get("choices")
            if choices and kwargs[f.name] is not None and kwargs[f.name] not in choices:
                raise ConfigError(f"{f.name}: {kwargs[f.name]!r} is not one of {', '.join(map(str, choices))}")
    return cls(**kwargs)


def load_yaml(path: str | Path) -> dict:
    import yaml

    from imi_lib.core import storage

    try:
        text = storage.read_text(str(path))
    except UnicodeDecodeError as e:
        raise ConfigError(f"{path}: not UTF-8 text (byte {e.start}); save the config as UTF-8") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a YAML file") from None
    try:
        # safe_load: a `!!python/...` tag is refused here, never executed
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError(f"{path}: not valid YAML{where}: {problem}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of config keys at the top level")
    return data


def to_dict(cfg: Any) -> dict:
    return dataclasses.asdict(cfg)


def save_effective(cfg: Any, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_dict(cfg), indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def add_arguments(parser: argparse.ArgumentParser, cls: type) -> None:
    """Add one flag per config field, plus --config. Defaults come from the dataclass."""
    parser.add_argument("--config", metavar="YAML", default=None,
                        help="YAML file with any of the keys below; flags given on the command line override it")
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        md = f.metadata
        if not md.get("cli", True):
            continue
        flag = md.get("flag") or "--" + f.name.replace("_", "-")
        tp = _base_type(hints[f.name])
        default = f.default if f.default is not dataclasses.MISSING else (
            f.default_factory() if f.default_factory is not dataclasses.MISSING else None)
        help_text = (md.get("help") or "") + (f" (default: {default})" if default not in (None, "", []) else "")
        kw: dict[str, Any] = {"dest": f.name, "default": argparse.SUPPRESS, "help": help_text}
        if md.get("metavar"):
            kw["metavar"] = md["metavar"]
        if tp is bool:
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, **kw)
            continue
        if md.get("choices"):
            kw["choices"] = md["choices"]
        parser.add_argument(flag, **kw)


def from_args(cls: type[T], args: argparse.Namespace, extra: dict | None = None) -> T:
    """YAML (--config) first, then explicitly given flags, then `extra`."""
    data: dict = {}
    if getattr(args, "config", None):
        data.update(load_yaml(args.config))
    names = {f.name for f in dataclasses.fields(cls)}
    for name in names:
        if hasattr(args, name):
            data[name] = getattr(args, name)
    data.update(extra or {})
    return from_dict(cls, data)
