"""Step 1.3: generate synthetic training cases (`imi synthesize --num-examples N --seed S`).

Five case types, the guide's list, each routed to its adapter(s):

    triage             -> patient_triage       symptoms + observations -> triage level by explicit rules
    drug_interaction   -> clinical_pharmacist  a documented interaction pair in a patient -> risk and advice
    clinical_decision  -> clinical_decision    presentation -> differential, workup, next step
    usmle              -> education, research  board-style MCQ from the condition table; a quarter are
                                               biostatistics / study-design items (-> research)
    compliance         -> regulatory_qa        GMP / Part 11 / ICH / GCP finding -> regulation, class, CAPA

Example i is the i-th type in turn (round robin over the selected types) and
is drawn from its own `random.Random`, seeded from (seed, type, i). So the
output is byte-identical for the same N and seed, and example i is the same
whether N is 100 or 50,000 (prepare's hash-based split stays stable).

The clinical knowledge the generators draw from (complaints, red flags,
observation ranges, conditions, drug interactions, compliance scenarios) is
data in `data/synthetic/tables/*.yaml`, validated against each generator's
schema before anything is written (docs/synthetic.md).

Writes `D/synthetic/synthetic.jsonl` (or `--out-dir`), invalid records to
`quarantine.jsonl`, the effective config and a summary beside it.
"""

from __future__ import annotations

import hashlib
import importlib
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from imi_lib.core import config, storage
from imi_lib.core.config import ConfigError
from imi_lib.core.records import Record, RecordWriter, stable_id
from imi_lib.core.summary import StageTimer, print_summary, write_summary

STAGE = "synthesize"
# Bump when a generator's tables or wording change, so lineage tells outputs apart.
GENERATOR_VERSION = "1"
OUTPUT_FILE = "synthetic.jsonl"
QUARANTINE_FILE = "quarantine.jsonl"  # the name every stage uses; prepare skips it when reading records
SUMMARY_FILE = "synthesize_summary.json"
CONFIG_FILE = "synthesize_config.json"


@dataclass(frozen=True)
class CaseType:
    module: str  # holds generate(rng) -> Example
    adapters: tuple[str, ...]  # every adapter this type can produce
    description: str


CASE_TYPES: dict[str, CaseType] = {
    "triage": CaseType("imi_lib.data.synthetic.triage", ("patient_triage",),
                       "patient triage: symptoms, observations, severity level and recommendation by explicit rules"),
    "drug_interaction": CaseType("imi_lib.data.synthetic.interactions", ("clinical_pharmacist",),
                                 "drug interactions: documented pairs with mechanism, severity and management in a patient"),
    "clinical_decision": CaseType("imi_lib.data.synthetic.decision", ("clinical_decision",),
                                  "clinical decision support: presentation -> differential, workup and next step"),
    "usmle": CaseType("imi_lib.data.synthetic.usmle", ("education", "research"),
                      "USMLE-style questions: clinical vignettes (education) and biostatistics/study design (research)"),
    "compliance": CaseType("imi_lib.data.synthetic.compliance", ("regulatory_qa",),
                           "regulatory compliance: GMP, 21 CFR Part 11, ICH Q9/Q10, data integrity and GCP findings"),
}


@dataclass
class SynthesizeConfig:
    data_dir: str = config.option("data", "data directory (local path or s3://bucket/prefix)")
    num_examples: int = config.option(5000, "how many examples to generate")
    seed: int = config.option(42, "random seed; the same seed and number of examples give byte-identical output")
    types: list[str] = config.option(
        help=f"case types to generate, comma-separated ({', '.join(CASE_TYPES)})",
        default_factory=lambda: list(CASE_TYPES), metavar="TYPES")
    out_dir: str | None = config.option(None, "output directory (default: DATA_DIR/synthetic)")


def resolve_types(names: list[str] | tuple[str, ...] | str) -> list[str]:
    """Known case types in canonical order (so `usmle,triage` == `triage,usmle`); ConfigError otherwise."""
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    names = [str(n).strip() for n in names]
    if not names:
        raise ConfigError(f"types: no case type given; choose from {', '.join(CASE_TYPES)}")
    unknown = [n for n in names if n not in CASE_TYPES]
    if unknown:
        raise ConfigError(f"types: unknown case type {', '.join(repr(u) for u in unknown)}; "
                          f"choose from {', '.join(CASE_TYPES)}")
    return [t for t in CASE_TYPES if t in names]


def example_rng(seed: int, case_type: str, index: int) -> random.Random:
    """The generator for one example: depends on (seed, type, index) only."""
    digest = hashlib.sha256(f"imi-synthesize\x1f{seed}\x1f{case_type}\x1f{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def load_generators(types: list[str]) -> None:
    """Import the selected generators, which loads and validates their clinical tables (data/synthetic/tables):
    a bad table stops the stage here, with one line naming the file and key, before anything is written."""
    for case_type in types:
        importlib.import_module(CASE_TYPES[case_type].module)


def make_record(seed: int, case_type: str, index: int) -> Record:
    """Example `index` of `case_type` for `seed`, as a Record."""
    generate = importlib.import_module(CASE_TYPES[case_type].module).generate
    ex = generate(example_rng(seed, case_type, index))
    return Record(
        instruction=ex.instruction, input=ex.input, output=ex.output,
        source=f"synthetic_{case_type}", adapter=ex.adapter,
        id=stable_id("synthetic", case_type, seed, index),
        license="generated",
        lineage={"generator": "imi_lib.data.synthesize", "version": GENERATOR_VERSION, "seed": seed, "index": index,
                 "type": case_type, "variant": ex.variant, "facts": ex.facts},
    )


def generate_records(num_examples: int, seed: int, types: list[str] | None = None) -> Iterator[Record]:
    """Records 0..num_examples-1: example i is of type types[i % len(types)]."""
    types = resolve_types(types if types is not None else list(CASE_TYPES))
    for index in range(num_examples):
        yield make_record(seed, types[index % len(types)], index)


def run(cfg: SynthesizeConfig) -> dict:
    timer = StageTimer(STAGE)
    types = resolve_types(cfg.types)
    if cfg.num_examples < 0:
        raise ConfigError(f"num_examples: must be 0 or more, got {cfg.num_examples}")
    load_generators(types)
    out_uri = cfg.out_dir or storage.join(cfg.data_dir, "synthetic")
    from tqdm import tqdm

    by_type: Counter = Counter()
    by_variant: Counter = Counter()
    with storage.local_dir_for(out_uri, download=False, upload=True) as local:
        local = Path(local)
        local.mkdir(parents=True, exist_ok=True)
        # the writer appends to quarantine; a previous run's file must not be counted again
        (local / QUARANTINE_FILE).unlink(missing_ok=True)
        config.save_effective(cfg, local / CONFIG_FILE)
        with RecordWriter(local / OUTPUT_FILE, local / QUARANTINE_FILE) as writer:
            records = generate_records(cfg.num_examples, cfg.seed, types)
            for rec in tqdm(records, total=cfg.num_examples, desc=STAGE, unit="ex", disable=None, file=sys.stderr):
                if writer.write(rec, origin=f"{rec.lineage['type']}#{rec.lineage['index']}"):
                    by_type[rec.lineage["type"]] += 1
                    by_variant[rec.lineage["variant"]] += 1
        fields = {
            "written": writer.written,
            "quarantined": dict(writer.quarantined),
            "by_type": {t: by_type[t] for t in types},
            "by_adapter": dict(sorted(writer.by_adapter.items())),
            "by_variant": dict(sorted(by_variant.items())),
            "num_examples": cfg.num_examples,
            "seed": cfg.seed,
            "types": types,
            "generator_version": GENERATOR_VERSION,
            "output": storage.join(out_uri, OUTPUT_FILE),
        }
        write_summary(local / SUMMARY_FILE, STAGE, fields, timer.seconds)
    print_summary(STAGE, {"written": fields["written"], "quarantined": sum(writer.quarantined.values()),
                          "by_adapter": fields["by_adapter"], "seed": cfg.seed, "out": out_uri},
                  seconds=timer.seconds)
    return {"stage": STAGE, **fields, "seconds": round(timer.seconds, 3)}


def add_arguments(parser) -> None:
    config.add_arguments(parser, SynthesizeConfig)


def main(args) -> int:
    run(config.from_args(SynthesizeConfig, args))
    return 0
