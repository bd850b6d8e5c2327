"""Packing vs padding: useful (response) tokens per second, same data, same model, one run.

    .venv/bin/python benchmarks/bench_packing.py                  # builtin:tiny on the CPU
    .venv/bin/python benchmarks/bench_packing.py --records 400 --repeats 3   # steadier figures
    python benchmarks/bench_packing.py --gpu                      # 7B-shaped Llama, 4-bit, bf16, on CUDA
    python benchmarks/bench_packing.py --shape mini --precision 4bit   # the --gpu code path, small, on CPU

The data is a realistic length mix for the six adapters: short
MedMCQA-style multiple-choice items (about half), the synthetic cases of
`imi synthesize` (a quarter, medium length) and long HealthCareMagic-style
patient dialogues (a fifth). It is written as D/final/patient_triage_train.json and
trained for one epoch twice with `imi_lib.train.run`, the real training
loop: once packed (several examples per row, position ids restarting per
example) and once padded (one example per row, right padding to the longest
in the batch: the baseline of a plain Trainer without packing). Batch size
and max sequence length are the same for both.

Prints, for each: optimizer steps, rows, non-pad tokens/s, useful tokens/s
(tokens that carry loss, i.e. response tokens), the share of computed
positions that were padding, and the packed/padded ratio of useful tokens/s
(target >= 2x). With --gpu (or on any CUDA device) also MFU and peak VRAM.

MFU counts model FLOPs only, for LoRA on a frozen base: forward 2N per token
plus the backward pass through activations 2N (no weight gradients for the
frozen base), plus attention (QK^T and AV, forward + backward = 3x forward)
over each token's real causal context; recomputation for gradient
checkpointing is not counted. N is the number of non-embedding weights.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see imi_lib/train.py
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from imi_lib import config, packing, train  # noqa: E402

ADAPTER = "patient_triage"

# Llama-2-7B / Meditron-7B shape; "mini" is the same architecture scaled down for a CPU dry run.
SHAPES = {
    "7b": dict(hidden_size=4096, intermediate_size=11008, num_hidden_layers=32, num_attention_heads=32,
               num_key_value_heads=32, vocab_size=32000, max_position_embeddings=2048),
    "mini": dict(hidden_size=256, intermediate_size=704, num_hidden_layers=4, num_attention_heads=4,
                 num_key_value_heads=4, vocab_size=32000, max_position_embeddings=2048),
}
# dense bf16 peak of the device, for MFU
PEAK_TFLOPS = {"H100": 989.0, "H200": 989.0, "A100": 312.0, "L40S": 362.0, "A10G": 125.0, "L4": 121.0}

SUBJECTS = ["Anatomy", "Physiology", "Biochemistry", "Pharmacology", "Pathology", "Microbiology", "Medicine",
            "Surgery", "Pediatrics", "Gynaecology", "Psychiatry", "Ophthalmology", "ENT", "Forensic Medicine"]
TERMS = ["nerve", "artery", "enzyme", "receptor", "antibiotic", "vitamin", "hormone", "vaccine", "tumour marker",
         "muscle", "ligament", "reflex", "cytokine", "antigen", "toxin"]
SYMPTOMS = ["headache", "fever", "cough", "back pain", "chest tightness", "dizziness", "nausea", "fatigue",
            "abdominal pain", "skin rash", "joint pain", "shortness of breath", "palpitations", "insomnia"]
ADVICE = ["Drink plenty of water and take rest.", "Avoid spicy food and alcohol.",
          "Please get a complete blood count and a thyroid profile done.",
          "An ultrasound of the abdomen would help to rule out gallstones.",
          "Take paracetamol 500 mg when needed, not more than four times a day.",
          "If the pain spreads to the arm or jaw, go to the emergency department at once.",
          "Keep a diary of the symptoms and bring it to your next visit.",
          "Do not stop the blood pressure medicine on your own."]


def mcq(r: random.Random) -> dict:
    """MedMCQA-style: a one-line question, four options, a short answer."""
    term = r.choice(TERMS)
    options = [f"{r.choice(TERMS).capitalize()} {r.randint(1, 12)}" for _ in range(4)]
    letter = r.choice("ABCD")
    question = f"Which {term} is most affected in {r.choice(SYMPTOMS)}? ({r.choice(SUBJECTS)})"
    body = "\n".join(f"{L}. {o}" for L, o in zip("ABCD", options))
    answer = f"{letter}. {options['ABCD'.index(letter)]}"
    if r.random() < 0.3:
        answer += f" It is the {term} classically involved."
    return {"instruction": "Answer the multiple-choice question.", "input": f"{question}\n{body}", "output": answer}


def dialogue(r: random.Random) -> dict:
    """HealthCareMagic-style: a long patient message and a long doctor answer."""
    age, sx = r.randint(18, 80), r.sample(SYMPTOMS, 3)
    patient = [f"Hi doctor, I am {age} years old and I have had {sx[0]} for {r.randint(2, 30)} days."]
    patient += [f"It gets worse when I {r.choice(['walk', 'eat', 'lie down', 'work', 'climb stairs'])} "
                f"and I also noticed {r.choice(sx)} in the {r.choice(['morning', 'evening', 'night'])}."
                for _ in range(r.randint(4, 14))]
    doctor = [f"Hello, thanks for the query. The {sx[0]} together with {sx[1]} can have several causes."]
    doctor += [r.choice(ADVICE) for _ in range(r.randint(5, 16))]
    return {"instruction": "If you are a doctor, please answer the medical questions based on the patient's description.",
            "input": " ".join(patient), "output": " ".join(doctor)}


def length_mix(n: int, seed: int) -> list[dict]:
    from imi_lib.synthesize import generate_records

    r = random.Random(seed)
    synthetic = iter(generate_records(n, seed))
    rows = []
    for i in range(n):
        u = r.random()
        if u < 0.55:
            d = mcq(r)
        elif u < 0.80:
            rec = next(synthetic)
            d = {"instruction": rec.instruction, "input": rec.input, "output": rec.output}
        else:
            d = dialogue(r)
        rows.append({**d, "id": f"bench-{i}", "source": "bench", "adapter": ADAPTER, "license": "generated",
                     "lineage": {"seed": seed, "index": i}})
    return rows


def write_data(root: Path, rows: list[dict]) -> Path:
    final = root / "data" / "final"
    final.mkdir(parents=True, exist_ok=True)
    for split, part in (("train", rows), ("val", rows[:2])):
        with open(final / f"{ADAPTER}_{split}.json", "w", encoding="utf-8") as fh:
            for d in part:
                fh.write(json.dumps(d) + "\n")
    return root / "data"


def build_random_llama(out: Path, shape: str) -> Path:
    """A random-init Llama of the given shape, saved as safetensors with the builtin:tiny tokenizer."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    from imi_lib import modeling

    tiny = Path(modeling.resolve_base_model("builtin:tiny").path)
    cfg = LlamaConfig(**SHAPES[shape], pad_token_id=0, bos_token_id=1, eos_token_id=2, tie_word_embeddings=False)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.bfloat16)  # build 7B directly in bf16 (13.5 GB), not fp32
    try:
        with torch.device(device):
            model = LlamaForCausalLM(cfg)
    finally:
        torch.set_default_dtype(previous)
    model.save_pretrained(out, safe_serialization=True)
    del model
    for f in tiny.iterdir():
        if f.name.startswith(("tokenizer", "special_tokens")):
            shutil.copy(f, out / f.name)
    if device == "cuda":
        torch.cuda.empty_cache()
    return out


def padding_share(lengths: list[int], batch_size: int, max_len: int, packed: bool, seed: int) -> float:
    """Fraction of computed positions that are padding, for one epoch's batches."""
    computed = useful = 0
    for batch in packing.plan_epoch(lengths, batch_size=batch_size, max_seq_length=max_len, packing=packed,
                                    seed=seed, epoch=0):
        widths = [sum(lengths[i] for i in row) for row in batch]
        computed += max(widths) * len(batch)
        useful += sum(widths)
    return 1 - useful / computed


def model_flops_per_token(model_cfg, mean_context: float) -> float:
    d, layers = model_cfg.hidden_size, model_cfg.num_hidden_layers
    inter, vocab = model_cfg.intermediate_size, model_cfg.vocab_size
    kv = model_cfg.num_key_value_heads * (d // model_cfg.num_attention_heads)
    n = layers * (2 * d * d + 2 * d * kv + 3 * d * inter) + d * vocab  # non-embedding matmul weights (+ lm_head)
    attention_fwd = 2 * 2 * layers * d * mean_context
    return 2 * (2 * n) + 3 * attention_fwd


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=240, help="examples in the length mix")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch-size", type=int, default=4)
    ap.add_argument("--max-seq-length", type=int, default=1024)
    ap.add_argument("--gpu", action="store_true", help="7B-shaped random Llama, 4-bit NF4, bf16, on CUDA")
    ap.add_argument("--shape", choices=sorted(SHAPES), help="build a random Llama of this shape instead of builtin:tiny")
    ap.add_argument("--precision", default="auto", choices=("auto", "full", "8bit", "4bit"))
    ap.add_argument("--max-steps", type=int, default=None, help="cap each run (steps), for a quick look")
    ap.add_argument("--repeats", type=int, default=2, help="runs of each mode, alternated; the fastest is reported")
    ap.add_argument("--peak-tflops", type=float, default=None, help="device bf16 peak for MFU (default: by GPU name)")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()

    import torch

    if args.gpu:
        if not torch.cuda.is_available():
            print("--gpu needs a CUDA device (try --shape mini --precision 4bit for the same code path on CPU)",
                  file=sys.stderr)
            return 2
        args.shape = args.shape or "7b"
        args.precision = "4bit" if args.precision == "auto" else args.precision
        args.max_seq_length = max(args.max_seq_length, 2048)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-packing-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = length_mix(args.records, args.seed)
    data = write_data(work, rows)
    t0 = time.perf_counter()
    base = str(build_random_llama(work / f"llama-{args.shape}", args.shape)) if args.shape else "builtin:tiny"
    build_s = time.perf_counter() - t0

    from imi_lib import modeling

    src = modeling.resolve_base_model(base)
    tok = modeling.load_tokenizer(src)
    lengths = [len(e["input_ids"]) for e in packing.encode_records(tok, rows, args.max_seq_length)]
    model_cfg = __import__("transformers").AutoConfig.from_pretrained(src.path)
    mean_context = sum(n * (n + 1) / 2 for n in lengths) / sum(lengths)  # each token attends to its own example
    flops_per_token = model_flops_per_token(model_cfg, mean_context)
    device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else f"cpu ({torch.get_num_threads()} threads)"
    peak = args.peak_tflops or next((v for k, v in PEAK_TFLOPS.items() if k in device), None)
    if peak and "H100" in device and "PCIe" in device:
        peak = 756.0

    print(f"device: {device}; model: {base}{f' ({args.shape}, built in {build_s:.0f}s)' if args.shape else ''}; "
          f"precision: {modeling.resolve_precision(args.precision)}")
    print(f"data: {len(rows)} examples, tokens per example min {min(lengths)} / median {int(statistics.median(lengths))}"
          f" / mean {statistics.mean(lengths):.0f} / max {max(lengths)} (max_seq_length {args.max_seq_length}, "
          f"{sum(n >= args.max_seq_length for n in lengths)} cut); batch size {args.batch_size}")
    results = {}
    runs = [("packed", True), ("padded", False)] * args.repeats  # alternated, best kept: load on shared cores drifts
    for i, (mode, packed) in enumerate(runs):
        if torch.cuda.is_available():
            torch.cuda.reset_peak_memory_stats()
        cfg = config.from_dict(train.TrainConfig, dict(
            base_model=base, data_dir=str(data), output_dir=str(work / f"{mode}-{i}"), adapter=ADAPTER, epochs=1,
            max_steps=args.max_steps, batch_size=args.batch_size, max_seq_length=args.max_seq_length,
            packing=packed, precision=args.precision, save_steps=0, max_val_records=1, seed=args.seed))
        cpu0 = time.process_time()
        s = train.run(cfg)["adapters"][ADAPTER]
        # CPU seconds of the whole run (load, training, val): steadier than wall time when other jobs share the cores
        s["cpu_seconds"] = time.process_time() - cpu0
        s["padding_share"] = padding_share(lengths, args.batch_size, args.max_seq_length, packed, args.seed)
        s["peak_vram_gib"] = torch.cuda.max_memory_allocated() / 2**30 if torch.cuda.is_available() else None
        s["mfu"] = (s["tokens_per_s"] * flops_per_token / (peak * 1e12)) if peak else None
        if mode not in results or s["label_tokens_per_s"] > results[mode]["label_tokens_per_s"]:
            results[mode] = s

    print()
    print(f"{'':8} {'steps':>6} {'rows':>6} {'seconds':>8} {'tokens/s':>10} {'useful tok/s':>13} {'padding':>8}"
          f" {'CPU s':>7} {'MFU':>6} {'peak VRAM':>10}")
    for mode, s in results.items():
        rows_n = s["rows_per_epoch"]
        mfu = f"{100 * s['mfu']:.1f}%" if s["mfu"] is not None else "n/a"
        vram = f"{s['peak_vram_gib']:.1f} GiB" if s["peak_vram_gib"] is not None else "n/a"
        print(f"{mode:8} {s['steps']:>6} {rows_n:>6} {s['seconds']:>8.1f} {s['tokens_per_s']:>10.0f}"
              f" {s['label_tokens_per_s']:>13.0f} {100 * s['padding_share']:>7.1f}% {s['cpu_seconds']:>7.1f}"
              f" {mfu:>6} {vram:>10}")
    packed, padded = results["packed"], results["padded"]
    ratio = packed["label_tokens_per_s"] / padded["label_tokens_per_s"]
    positions = (1 - packed["padding_share"]) / (1 - padded["padding_share"])
    print(f"\npadded computes {positions:.2f}x the positions packed does (the ratio where per-token cost dominates)")
    print(f"packed / padded useful tokens/s: {ratio:.2f}x (target >= 2x; best of {args.repeats} each)")
    if not torch.cuda.is_available():
        cpu_ratio = (padded["cpu_seconds"] / padded["label_tokens"]) / (packed["cpu_seconds"] / packed["label_tokens"])
        print(f"packed / padded useful tokens per CPU-second (whole run): {cpu_ratio:.2f}x")
    if args.max_steps:
        print("note: --max-steps cut both runs short; they did not see the same examples")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
