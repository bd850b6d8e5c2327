"""`imi train` on builtin:tiny: what it learns, what it writes, and how it fails."""

import json
from pathlib import Path

import pytest
import torch

from imi_lib import cli
from imi_lib.core import config, storage
from imi_lib.training import modeling, train
from train_fixtures import make_data_dir, write_split

BASE = "builtin:tiny"


def tiny_cfg(data: Path, out: Path, **kw) -> train.TrainConfig:
    """Small, fast settings: short rows, a high LR so a handful of steps visibly learns."""
    values = dict(base_model=BASE, data_dir=str(data), output_dir=str(out), adapter="patient_triage",
                  max_seq_length=256, batch_size=4, learning_rate=3e-3, save_steps=0, max_steps=8)
    values.update(kw)
    return config.from_dict(train.TrainConfig, values)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One training run, watched: base weights before, LoRA weights at init, the in-memory model's logits."""
    root = tmp_path_factory.mktemp("train")
    data = make_data_dir(root / "data", n_train=32, n_val=8)
    seen = {}
    probe = torch.tensor([[1, 40, 41, 42, 43, 44, 45, 2]])

    def load_model(src, precision="full", **kw):
        model = orig_load(src, precision, **kw)
        seen["base_model"] = model
        seen["base_before"] = {k: v.detach().clone() for k, v in model.state_dict().items()}
        return model

    def peft_model(self, plan):
        model = orig_peft(self, plan)
        seen["lora_init"] = {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}
        return model

    def write_outputs(self, plan, model, *args):
        model.eval()
        with torch.no_grad():
            seen["logits"] = model(input_ids=probe).logits
        seen["lora_final"] = {n: p.detach().clone() for n, p in model.named_parameters() if p.requires_grad}
        return orig_write(self, plan, model, *args)

    orig_load, orig_peft, orig_write = modeling.load_model, train._Session._peft_model, train._Session._write_outputs
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(modeling, "load_model", load_model)
        mp.setattr(train._Session, "_peft_model", peft_model)
        mp.setattr(train._Session, "_write_outputs", write_outputs)
        summary = train.run(tiny_cfg(data, root / "adapters", batch_size=2, epochs=20, max_steps=10, save_steps=4))
    return {"summary": summary, "out": root / "adapters" / "patient_triage", "data": data, "probe": probe, **seen}


def test_only_lora_weights_change(trained):
    init, final = trained["lora_init"], trained["lora_final"]
    assert init and set(init) == set(final)
    assert all("lora_A" in n or "lora_B" in n for n in init)
    unchanged = [n for n in init if torch.equal(init[n], final[n])]
    assert unchanged == []
    after = trained["base_model"].state_dict()  # LoRA unloaded again: the plain base model
    assert set(after) == set(trained["base_before"])
    changed = [k for k, v in trained["base_before"].items() if not torch.equal(v, after[k])]
    assert changed == []


def test_loss_falls(trained):
    log = [json.loads(line) for line in (trained["out"] / "training_log.jsonl").read_text().splitlines()]
    assert [r["step"] for r in log] == list(range(1, 11))
    losses = [r["loss"] for r in log]
    assert sum(losses[-3:]) / 3 < sum(losses[:3]) / 3 - 0.2
    assert all(r["tokens"] > r["label_tokens"] > 0 and r["tokens_per_s"] > 0 and r["lr"] > 0 for r in log)
    s = trained["summary"]["adapters"]["patient_triage"]
    assert s["steps"] == 10 and s["final_loss"] == pytest.approx(losses[-1], abs=1e-5)
    assert s["val_loss"] < s["first_loss"]


def test_saved_adapter_reloads_with_peft_and_gives_identical_logits(trained):
    from peft import PeftModel

    out = trained["out"]
    assert (out / "adapter_model.safetensors").stat().st_size > 10_000
    src = modeling.resolve_base_model(BASE)
    tok = modeling.load_tokenizer(src)
    model = PeftModel.from_pretrained(modeling.load_model(src, "full", tokenizer=tok), str(out))
    model.eval()
    with torch.no_grad():
        logits = model(input_ids=trained["probe"]).logits
    torch.testing.assert_close(logits, trained["logits"], rtol=0, atol=1e-6)
    # and the adapter really moved the model away from the base
    with torch.no_grad(), model.disable_adapter():
        base_logits = model(input_ids=trained["probe"]).logits
    assert (base_logits - logits).abs().max() > 1e-2


def test_outputs_config_and_manifest(trained):
    out = trained["out"]
    names = {p.name for p in out.iterdir()}
    assert {"adapter_model.safetensors", "adapter_config.json", "training_log.jsonl", "train_config.json",
            "manifest.json", "train_summary.json", "checkpoints"} <= names
    eff = json.loads((out / "train_config.json").read_text())
    # the guide's table fills what was not given; what was given wins
    assert (eff["lora_r"], eff["lora_alpha"], eff["epochs"], eff["learning_rate"]) == (16, 32, 20, 3e-3)
    assert eff["max_seq_length"] == 256 and eff["precision"] == "full" and eff["packing"] is True
    lora = json.loads((out / "adapter_config.json").read_text())
    assert lora["r"] == 16 and lora["lora_alpha"] == 32
    assert set(lora["target_modules"]) == set(train.DEFAULT_TARGET_MODULES)
    man = json.loads((out / "manifest.json").read_text())
    train_file = trained["data"] / "final" / "patient_triage_train.json"
    assert man["data"]["train"]["sha256"] == storage.sha256_file(train_file)
    assert man["base_model"]["spec"] == BASE and man["base_model"]["builtin"]["key"]
    assert man["seed"] == 42 and man["packages"]["torch"] and man["packages"]["peft"]
    # checkpoints at steps 4 and 8 and the final 10; only the newest two are kept
    assert sorted(p.name for p in (out / "checkpoints").iterdir()) == ["checkpoint-10", "checkpoint-8"]


def test_gradient_accumulation_is_token_weighted(tmp_path):
    """batch 4 in one micro-batch == batch 2 x 2 accumulated: same loss and gradient, same weights after."""
    data = make_data_dir(tmp_path / "data", n_train=24, n_val=4)
    runs, logs = {}, {}
    for name, bs, ga in (("one", 4, 1), ("accumulated", 2, 2)):
        runs[name] = train.run(tiny_cfg(data, tmp_path / name, batch_size=bs, gradient_accumulation_steps=ga,
                                        lora_dropout=0.0, max_steps=2))["adapters"]["patient_triage"]
        logs[name] = [json.loads(x) for x in (tmp_path / name / "patient_triage" / "training_log.jsonl").open()]
    one, acc = logs["one"], logs["accumulated"]
    # the same rows, split in two micro-batches of different token counts: a plain mean of the two
    # micro-batch means would differ; summed NLL / tokens of the whole step does not
    assert [r["label_tokens"] for r in one] == [r["label_tokens"] for r in acc]
    for a, b in zip(one, acc):
        assert a["loss"] == pytest.approx(b["loss"], rel=1e-5)
        assert a["grad_norm"] == pytest.approx(b["grad_norm"], rel=1e-4)
    from safetensors.torch import load_file

    wa = load_file(str(tmp_path / "one" / "patient_triage" / "adapter_model.safetensors"))
    wb = load_file(str(tmp_path / "accumulated" / "patient_triage" / "adapter_model.safetensors"))
    for k in wa:  # Adam divides by sqrt(v): near-zero gradients magnify summation-order noise, hence atol
        torch.testing.assert_close(wa[k], wb[k], rtol=1e-3, atol=1e-4)


def test_compact_host_allocator_comes_with_gradient_checkpointing_on_the_cpu(tmp_path, monkeypatch):
    """Checkpointing is the memory-saving mode: there, large host tensors leave glibc's heap
    (modeling.compact_host_allocator; 7.8 -> 2.3 GB peak for builtin:smollm2 at 4 x 2,048, see
    benchmarks/bench_memory.py). Without checkpointing the faster default allocator stays."""
    import subprocess
    import sys

    data = make_data_dir(tmp_path / "data", n_train=8, n_val=2)
    calls = []
    monkeypatch.setattr(modeling, "compact_host_allocator", lambda: calls.append(1) or True)
    train.run(tiny_cfg(data, tmp_path / "plain", max_steps=1, gradient_checkpointing=False))
    assert calls == []
    train.run(tiny_cfg(data, tmp_path / "checkpointed", max_steps=1, gradient_checkpointing=True))
    assert calls == [1]
    # and the real call takes effect on this (glibc) system; in a child, so this process keeps its allocator
    probe = "from imi_lib.training import modeling; raise SystemExit(0 if modeling.compact_host_allocator() else 3)"
    assert subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0


def test_all_trains_each_adapter_once_and_skips_empty_ones(tmp_path, capsys):
    data = make_data_dir(tmp_path / "data", adapters=("patient_triage", "research"), n_train=16, n_val=4)
    for name in ("clinical_pharmacist", "clinical_decision", "education", "regulatory_qa"):
        write_split(data / "final", name, n_train=0, n_val=0)
    yaml_file = tmp_path / "train.yaml"
    yaml_file.write_text("lora_r: 8\nlora_alpha: 16\nmax_steps: 3\n")
    rc = cli.main(["train", "--config", str(yaml_file), "--base-model", BASE, "--data-dir", str(data),
                   "--output-dir", str(tmp_path / "all"), "--max-seq-length", "256", "--max-steps", "2",
                   "--save-steps", "0"])
    assert rc == 0
    err = capsys.readouterr().err
    assert err.count("no training records; skipping adapter") == 4
    summary = json.loads((tmp_path / "all" / "train_summary.json").read_text())
    assert summary["trained"] == ["patient_triage", "research"]
    assert set(summary["skipped"]) == {"clinical_pharmacist", "clinical_decision", "education", "regulatory_qa"}
    eff = json.loads((tmp_path / "all" / "research" / "train_config.json").read_text())
    # YAML sets r/alpha, the flag overrides max_steps, the table gives research its lower LR
    assert (eff["lora_r"], eff["lora_alpha"], eff["max_steps"], eff["learning_rate"]) == (8, 16, 2, 1e-4)
    assert err.count("[imi train] adapter=") == 2
    # the second adapter, trained on the model the first one was unloaded from, equals one trained alone
    rc = cli.main(["train", "--config", str(yaml_file), "--base-model", BASE, "--data-dir", str(data),
                   "--output-dir", str(tmp_path / "alone"), "--adapter", "research", "--max-seq-length", "256",
                   "--max-steps", "2", "--save-steps", "0"])
    assert rc == 0
    from safetensors.torch import load_file

    a = load_file(str(tmp_path / "all" / "research" / "adapter_model.safetensors"))
    b = load_file(str(tmp_path / "alone" / "research" / "adapter_model.safetensors"))
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_qlora_4bit_path_trains_on_cpu(tmp_path):
    data = make_data_dir(tmp_path / "data", n_train=12, n_val=4)
    summary = train.run(tiny_cfg(data, tmp_path / "out", precision="4bit", max_steps=2))
    s = summary["adapters"]["patient_triage"]
    assert s["precision"] == "4bit" and s["steps"] == 2
    assert all(v == v and v < 20 for v in (s["first_loss"], s["final_loss"], s["val_loss"]))
    man = json.loads((tmp_path / "out" / "patient_triage" / "manifest.json").read_text())
    assert man["precision"] == "4bit" and man["packages"]["bitsandbytes"]


def _cli_error(capsys, argv):
    rc = cli.main(["train", *argv])
    err = capsys.readouterr().err.strip()
    return rc, err


@pytest.mark.parametrize("argv, message", [
    (["--adapter", "surgery"], "unknown adapter 'surgery'"),
    (["--batch-size", "0"], "batch_size: must be at least 1"),
    (["--learning-rate", "fast"], "learning_rate: cannot use 'fast' as float"),
    (["--lora-dropout", "1.5"], "lora_dropout: must be in [0, 1)"),
    (["--use-8bit", "--precision", "4bit"], "--use-8bit conflicts with --precision 4bit"),
    (["--max-seq-length", "8"], "max_seq_length: must be at least 32"),
])
def test_bad_flags_give_one_line_errors(tmp_path, capsys, argv, message):
    rc, err = _cli_error(capsys, ["--data-dir", str(tmp_path), *argv])
    assert rc == 2
    assert len(err.splitlines()) == 1 and message in err and err.startswith("imi train: error:")


def test_missing_or_empty_data_and_bad_resume_path(tmp_path, capsys):
    rc, err = _cli_error(capsys, ["--data-dir", str(tmp_path / "nowhere"), "--adapter", "education"])
    assert rc == 2 and len(err.splitlines()) == 1
    assert "nowhere/final: does not exist; build it with `imi prepare" in err
    write_split(tmp_path / "d" / "final", "education", n_train=0, n_val=0)
    rc, err = _cli_error(capsys, ["--data-dir", str(tmp_path / "d"), "--adapter", "education"])
    assert rc == 2 and "no training records for adapter education" in err
    make_data_dir(tmp_path / "d2")
    (tmp_path / "ck" / "checkpoint-5").mkdir(parents=True)
    rc, err = _cli_error(capsys, ["--data-dir", str(tmp_path / "d2"), "--adapter", "patient_triage",
                                  "--resume-from", str(tmp_path / "ck" / "checkpoint-5")])
    assert rc == 2 and len(err.splitlines()) == 1 and "not a complete checkpoint" in err
    yaml_file = tmp_path / "bad.yaml"
    yaml_file.write_text("epochz: 3\n")
    rc, err = _cli_error(capsys, ["--config", str(yaml_file)])
    assert rc == 2 and "unknown TrainConfig key(s): epochz" in err


def test_help_lists_the_guides_flags(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["train", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for flag in ("--adapter", "--epochs", "--batch-size", "--learning-rate", "--resume-from", "--use-8bit",
                 "--precision", "--no-packing", "--max-seq-length", "--gradient-accumulation-steps",
                 "--gradient-checkpointing", "--base-model", "--output-dir", "--config"):
        assert flag in out
