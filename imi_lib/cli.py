"""`imi`: one subcommand per pipeline stage, plus the pipeline runners.

Every command is one module with the stage pattern: a typed config
dataclass, `add_arguments(parser)`, `main(args) -> int` (flags -> config) and
`run(config)`. COMMANDS maps each name to its module, and `main` dispatches
every command the same way. Modules are imported only when their subcommand
runs (or asks for --help), so `imi --help` never loads torch, transformers,
datasets or kfp.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys

# name -> (module, one-line help). Order is the pipeline's order.
COMMANDS: dict[str, tuple[str, str]] = {
    "collect": ("imi_lib.data.collect", "Step 1.1: collect open medical datasets (MedQA, MedMCQA, PubMedQA, ChatDoctor) as records"),
    "ingest": ("imi_lib.data.ingest", "Step 1.2: turn WHO/FDA/ICH/EMA/GMP PDFs into regulatory_qa records"),
    "synthesize": ("imi_lib.data.synthesize", "Step 1.3: generate synthetic triage, pharmacy, decision, USMLE and compliance cases"),
    "prepare": ("imi_lib.data.prepare", "Step 2: merge, scrub PHI, deduplicate, guard contamination, split train/val per adapter"),
    "train": ("imi_lib.training.train", "Step 3: train LoRA/QLoRA adapters (one or all six)"),
    "evaluate": ("imi_lib.evaluation.evaluate", "Step 4: perplexity, sample generations and MCQ accuracy, base vs adapter"),
    "report": ("imi_lib.evaluation.report", "Summarise evaluated adapters into an HTML/Markdown report"),
    "publish": ("imi_lib.evaluation.publish", "Copy adapters that passed the quality gate to the adapter registry"),
    "run": ("imi_lib.kfp.local_run", "Run the whole Kubeflow pipeline locally with kfp.local (the embedded default)"),
    "compile": ("imi_lib.kfp.compile", "Compile the Kubeflow pipeline to YAML"),
    "submit": ("imi_lib.kfp.submit", "Upload the pipeline to a KFP server and start a run"),
    "schedule": ("imi_lib.kfp.schedule", "Create a recurring (cron) run on a KFP server"),
    "doctor": ("imi_lib.kfp.doctor", "Check, read-only, what the first cluster run needs (KFP, S3, Secrets, GPUs, images, hub)"),
}


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="imi",
        description="IMI Train: build medical LoRA adapters on Meditron with a Kubeflow pipeline.",
        epilog="Run 'imi <command> --help' for a command's flags. --debug (or IMI_DEBUG=1) shows tracebacks.",
    )
    parser.add_argument("--version", action="version", version=f"imi {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="<command>")
    for name, (_module, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    return parser


def _version() -> str:
    from imi_lib import __version__

    return __version__


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # --debug anywhere (or IMI_DEBUG=1): expected failures show their traceback too
    debug = "--debug" in argv or os.environ.get("IMI_DEBUG", "") not in ("", "0")
    argv = [a for a in argv if a != "--debug"]
    parser = make_parser()
    if not argv or argv[0] not in COMMANDS:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
    name, rest = argv[0], argv[1:]
    module_name, help_text = COMMANDS[name]
    module = importlib.import_module(module_name)
    sub = argparse.ArgumentParser(prog=f"imi {name}", description=help_text)
    module.add_arguments(sub)
    args = sub.parse_args(rest)
    args.command = name
    from imi_lib.core.errors import one_line

    # SIGTERM (a pod deleted, `kill`) unwinds like Ctrl-C, so staging directories are removed
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        return int(module.main(args) or 0)
    except KeyboardInterrupt:
        print(f"imi {name}: interrupted", file=sys.stderr)
        return 130
    except Exception as e:
        line = one_line(e)
        if line is None:
            raise
        if debug:
            import traceback

            traceback.print_exc()
        print(f"imi {name}: error: {line}", file=sys.stderr)
        return 2


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
