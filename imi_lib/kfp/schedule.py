"""`imi schedule`: a recurring (cron) run of the pipeline on a Kubeflow Pipelines server.

    imi schedule --cron "0 0 3 * * 0"                    # Sundays 03:00 UTC
    imi schedule --cron "@every 12h" --existing-version latest

Everything up to the last step (server, upload, parameters, experiment) is
`imi submit`'s (kfp/submit.py); this stage creates a recurring run instead
of a run. KFP cron expressions have SIX fields, seconds first; a five-field
Unix expression would silently run at the wrong times, so it is rejected
here, before anything touches the network.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass

from imi_lib.core import config
from imi_lib.core.config import ConfigError
from imi_lib.core.errors import UserError
from imi_lib.kfp.submit import ServerConfig, ServerVersion, add_param_flag, start_on_server


class CronError(UserError, ValueError):
    """A cron expression KFP would reject or misread."""


@dataclass
class ScheduleConfig(ServerConfig):
    cron: str | None = config.option(
        None, "KFP cron expression, SIX fields, seconds first: 'second minute hour day-of-month month day-of-week', "
              "e.g. '0 0 3 * * 0' = Sundays 03:00 UTC (required)")
    schedule_name: str | None = config.option(
        None, "display name of the recurring run (default: '<pipeline> scheduled')", flag="--name")
    max_concurrency: int = config.option(1, "most runs of this schedule at once")
    catchup: bool = config.option(False, "after a pause, start every missed run (default: only the latest)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    config.add_arguments(parser, ScheduleConfig)
    add_param_flag(parser)


def main(args: argparse.Namespace) -> int:
    return run(config.from_args(ScheduleConfig, args))


def run(cfg: ScheduleConfig) -> int:
    if not cfg.cron:
        raise ConfigError(f"--cron is required: six fields, seconds first ({_SIX_FIELD_FORM})")
    cron = validate_kfp_cron(cfg.cron)  # before anything touches the network
    return start_on_server(cfg, lambda client, experiment_id, version: _schedule(client, cfg, cron, experiment_id, version))


_CRON_FIELDS = (  # name, low, high, names (robfig/cron, which KFP's scheduler uses)
    ("second", 0, 59, None),
    ("minute", 0, 59, None),
    ("hour", 0, 23, None),
    ("day-of-month", 1, 31, None),
    ("month", 1, 12, ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    ("day-of-week", 0, 6, ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")),
)
_CRON_DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
_GO_DURATION = re.compile(r"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")
_SIX_FIELD_FORM = "second minute hour day-of-month month day-of-week"


def validate_kfp_cron(expr: str) -> str:
    """Return `expr` normalised to single spaces, or raise CronError saying what is wrong.

    KFP's scheduler parses with robfig/cron: six fields, seconds first, times in UTC.
    It also accepts five fields, read as *seconds-first with no day-of-week*, so
    '0 3 * * *' would run at minute 3 of every hour: that is the mistake caught here.
    """
    fields = expr.split()
    if not fields:
        raise CronError(f"empty cron expression; KFP needs six fields: {_SIX_FIELD_FORM}")
    if fields[0].startswith("@"):
        if fields[0] == "@every" and len(fields) == 2 and _GO_DURATION.match(fields[1]):
            return " ".join(fields)
        if len(fields) == 1 and fields[0] in _CRON_DESCRIPTORS:
            return fields[0]
        raise CronError(f"cron {expr!r}: unknown descriptor; use one of {', '.join(_CRON_DESCRIPTORS)}, "
                        f"'@every <duration>' (e.g. @every 12h) or six fields: {_SIX_FIELD_FORM}")
    if len(fields) == 5:
        raise CronError(
            f"cron {expr!r} has five fields (Unix crontab: minute first). KFP cron has six, SECONDS first: "
            f"{_SIX_FIELD_FORM}; KFP would read yours as starting with seconds and run at the wrong times. "
            f"Did you mean '0 {' '.join(fields)}'?")
    if len(fields) != 6:
        raise CronError(f"cron {expr!r} has {len(fields)} fields; KFP cron has six, seconds first: "
                        f"{_SIX_FIELD_FORM} (e.g. '0 0 3 * * *' = 03:00 UTC every day)")
    for value, spec in zip(fields, _CRON_FIELDS):
        _check_cron_field(value, *spec)
    return " ".join(fields)


def _check_cron_field(value: str, name: str, low: int, high: int, names: tuple | None) -> None:
    def number(text: str) -> int:
        if names and text.upper() in names:
            return names.index(text.upper()) + low
        if not text.isdigit():
            raise CronError(f"cron {name} field {value!r}: {text!r} is not a number"
                            + (f" or one of {', '.join(names)}" if names else ""))
        n = int(text)
        if not low <= n <= high:
            raise CronError(f"cron {name} field {value!r}: {n} is outside {low}-{high}")
        return n

    for term in value.split(","):
        base, slash, step = term.partition("/")
        if slash:
            if not step.isdigit() or int(step) < 1:
                raise CronError(f"cron {name} field {value!r}: step {step!r} must be a whole number >= 1")
        if base == "?" and name in ("day-of-month", "day-of-week") and not slash:
            continue
        if base == "*":
            continue
        if not base:
            raise CronError(f"cron {name} field {value!r}: empty term")
        lo_text, dash, hi_text = base.partition("-")
        lo = number(lo_text)
        if dash:
            hi = number(hi_text)
            if lo > hi:
                raise CronError(f"cron {name} field {value!r}: range {base} runs backwards")


def _schedule(client, cfg: ScheduleConfig, cron: str, experiment_id: str, v: ServerVersion) -> int:
    recurring = client.create_recurring_run(
        experiment_id=experiment_id, job_name=cfg.schedule_name or f"{v.pipeline_name} scheduled",
        description=f"{v.pipeline_name} at {v.version_name}, cron '{cron}' (UTC)",
        cron_expression=cron, max_concurrency=cfg.max_concurrency, no_catchup=not cfg.catchup,
        params=v.params, pipeline_id=v.pipeline_id, version_id=v.version_id, enabled=True,
        service_account=cfg.service_account)
    print(f"recurring run {recurring.recurring_run_id} created: cron '{cron}' (UTC), "
          f"pipeline {v.pipeline_name!r} version {v.version_name!r}", file=sys.stderr)
    return 0
