"""Records, typed config, adapters table and the CLI shell."""

import json
import subprocess
import sys
from dataclasses import dataclass

import pytest

from imi_lib.core import config, records
from imi_lib.core.adapters import ADAPTER_DEFAULTS, ADAPTERS, resolve_adapters
from imi_lib.cli import COMMANDS


def _rec(**kw):
    d = {"id": "r1", "instruction": "Assess the patient.", "input": "45yo male, chest pain",
         "output": "Triage Level: URGENT.", "source": "synthetic_triage", "adapter": "patient_triage",
         "license": "generated", "lineage": {"generator": "x"}}
    d.update(kw)
    return d


def test_guide_adapter_table():
    assert ADAPTERS == ("patient_triage", "clinical_pharmacist", "clinical_decision", "education",
                        "regulatory_qa", "research")
    for name, d in ADAPTER_DEFAULTS.items():
        assert (d.lora_r, d.lora_alpha) == (16, 32)
        slow = name in ("clinical_decision", "research")
        assert (d.learning_rate, d.epochs) == ((1e-4, 4) if slow else (2e-4, 3))


def test_resolve_adapters():
    assert resolve_adapters("all") == list(ADAPTERS)
    assert resolve_adapters("education,research,education") == ["education", "research"]
    with pytest.raises(ValueError, match="unknown adapter 'cardio'.*patient_triage"):
        resolve_adapters("cardio")


@pytest.mark.parametrize("bad,reason", [
    ({"output": ""}, "output: empty"),
    ({"output": "   "}, "output: empty"),
    ({"instruction": 3}, "instruction: expected a string"),
    ({"adapter": "cardiology"}, "adapter: unknown adapter"),
    ({"output": "x" * (records.MAX_FIELD_CHARS + 1)}, "output: too long"),
    ({"extra": 1}, "unknown field"),
    ({"lineage": "nope"}, "lineage: expected an object"),
])
def test_invalid_records_are_quarantined_with_reason(tmp_path, bad, reason):
    out, q = tmp_path / "out.jsonl", tmp_path / "q.jsonl"
    with records.RecordWriter(out, q) as w:
        assert w.write(_rec(id="good"))
        assert not w.write(_rec(**bad))
    assert w.written == 1 and sum(w.quarantined.values()) == 1
    assert [json.loads(l)["id"] for l in out.read_text().splitlines()] == ["good"]
    qrow = json.loads(q.read_text())
    assert reason in qrow["reason"]


def test_read_records_validates_and_routes_bad_lines(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps(_rec()) + "\n{not json\n" + json.dumps(_rec(adapter="x")) + "\n\n")
    with pytest.raises(records.InvalidRecord, match=r"in.jsonl:2: json"):
        list(records.read_records(p))
    seen = []
    got = list(records.read_records(p, on_invalid=lambda obj, reason, origin: seen.append((reason, origin))))
    assert [r.id for r in got] == ["r1"]
    assert [o.rsplit(":", 1)[1] for _, o in seen] == ["2", "3"]


def test_failed_writer_leaves_no_output(tmp_path):
    out = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError):
        with records.RecordWriter(out, tmp_path / "q.jsonl") as w:
            w.write(_rec())
            raise RuntimeError("boom")
    assert not out.exists() and not list(tmp_path.glob("*.partial"))


def test_eval_item_validation():
    ok = {"id": "q1", "question": "Which?", "options": {"A": "x", "B": "y"}, "answer": "B", "source": "medqa"}
    assert records.validate_eval_item(ok).answer == "B"
    with pytest.raises(records.InvalidRecord, match="answer"):
        records.validate_eval_item({**ok, "answer": "C"})


@dataclass
class _Cfg:
    data_dir: str = config.option("data", "where data lives")
    num_examples: int = config.option(10, "how many")
    rate: float = config.option(1e-4, "lr")
    packing: bool = config.option(True, "pack")
    sources: list[str] = config.option(default_factory=lambda: ["a", "b"], help="which")
    precision: str = config.option("full", "precision", choices=("full", "4bit"))


def test_config_yaml_then_flags(tmp_path):
    import argparse

    y = tmp_path / "c.yaml"
    y.write_text("num_examples: 50\nrate: 3e-4\nsources: [x]\n")
    p = argparse.ArgumentParser()
    config.add_arguments(p, _Cfg)
    cfg = config.from_args(_Cfg, p.parse_args(["--config", str(y), "--num-examples", "7", "--no-packing"]))
    assert (cfg.num_examples, cfg.rate, cfg.packing, cfg.sources) == (7, 3e-4, False, ["x"])
    assert cfg.data_dir == "data"


def test_config_rejects_unknown_keys_and_bad_values():
    with pytest.raises(config.ConfigError, match="unknown _Cfg key.*lora_rank.*valid keys"):
        config.from_dict(_Cfg, {"lora_rank": 8})
    with pytest.raises(config.ConfigError, match="num_examples: cannot use 'many'"):
        config.from_dict(_Cfg, {"num_examples": "many"})
    with pytest.raises(config.ConfigError, match="precision: '8bit' is not one of"):
        config.from_dict(_Cfg, {"precision": "8bit"})


def test_imi_help_is_fast_and_lists_every_stage():
    out = subprocess.run([sys.executable, "-m", "imi_lib.cli", "--help"], capture_output=True, text=True, check=True)
    for name in ("collect", "ingest", "synthesize", "prepare", "train", "evaluate"):
        assert name in out.stdout
    # heavy libraries stay unimported (this is what keeps --help instant)
    probe = subprocess.run([sys.executable, "-c",
                            "import sys, imi_lib.cli as c; c.make_parser();"
                            "print(sorted(m for m in ('torch','transformers','datasets','pymupdf','boto3') if m in sys.modules))"],
                           capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "[]"


def test_unknown_command_exits_nonzero():
    r = subprocess.run([sys.executable, "-m", "imi_lib.cli", "frobnicate"], capture_output=True, text=True)
    assert r.returncode == 2 and "invalid choice" in r.stderr


def test_every_command_module_is_registered():
    assert set(COMMANDS) >= {"collect", "ingest", "synthesize", "prepare", "train", "evaluate", "run"}
