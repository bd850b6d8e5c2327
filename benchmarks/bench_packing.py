"""Packing vs padding: useful (response) tokens per second, same data, same model, one run.

    .venv/bin/python benchmarks/bench_packing.py                  # builtin:tiny on the CPU
    .venv/bin/python benchmarks/bench_packing.py --repeats 3 --batch-size 8  # steadier, larger batches
    python benchmarks/bench_packing.py --gpu                      # 7B-shaped Llama, 4-bit, bf16, on CUDA
    python benchmarks/bench_packing.py --shape mini --precision 4bit   # the --gpu code path, small, on CPU

The data mirrors the train rows of the real corpus, source by source
(`SOURCES`, counts from imi_lib/data/sources.py and the synthesize default):
MedMCQA 182,822 (57%; short question, four options, answer, an explanation
on most rows), HealthCareMagic 112,165 (35%; patient message + doctor
answer), MedQA 10,178 (3%; USMLE vignette), iCliniq 7,321 (2%; long
dialogue), synthetic cases 5,000 (2%; `imi synthesize`), PubMedQA 800 (0.25%;
abstract + long answer). Field lengths are log-normal around typical word
counts of each dataset (`WORD_MEDIANS`; approximate, the datasets themselves
are not reachable here) with the instruction templates of imi_lib/data/sources.py,
and the words are runs of the builtin:tiny corpus. On builtin:tiny that gives
about 200 tokens for a MedMCQA item and 400 for a dialogue (median), 975 at
most. It is written as D/final/patient_triage_train.json and trained for one
epoch twice with `imi_lib.training.train.run`, the real training loop: once packed
(several examples per row, position ids restarting per example) and once
padded (one example per row in random order, right padding to the longest in
the batch, sdpa with the padding mask: the baseline of a plain HF Trainer
without group_by_length). Batch size (default 4, the train default) and
max_seq_length (default 1024, builtin:tiny's context; 2048 with --gpu, the
Meditron context) are the same for both.

Prints, for each: optimizer steps, rows, non-pad tokens/s, useful tokens/s
(tokens that carry loss, i.e. response tokens), the share of computed
positions that were padding, the ratio of computed positions (padded /
packed), positions computed per second in each mode, and the packed/padded
ratio of useful tokens/s (target >= 2x). With --gpu (or on any CUDA device) also MFU and peak VRAM.

MFU counts model FLOPs only, for LoRA on a frozen base: forward 2N per token
plus the backward pass through activations 2N (no weight gradients for the
frozen base), plus attention (QK^T and AV, forward + backward = 3x forward)
over each token's real causal context; recomputation for gradient
checkpointing is not counted. N is the number of non-embedding weights.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # see imi_lib/training/train.py
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from imi_lib.core import config  # noqa: E402
from imi_lib.training import packing, train
from imi_lib.data import sources

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

# The mix mirrors the train rows of the real corpus, source by source (imi_lib/data/sources.py):
# (source, train rows, generator). Word counts are log-normal around typical
# lengths of each dataset (approximate, read off samples of the public
# datasets, not measured here: the hub is unreachable); the words are runs of
# the builtin:tiny corpus so the tokenizer sees text like its own.
WORD_MEDIANS = {  # (median words, log-normal sigma, min, max) per field
    "mcq_question": (14, 0.6, 4, 120), "mcq_option": (2, 0.6, 1, 12), "mcq_explanation": (45, 1.0, 3, 400),
    "vignette": (115, 0.35, 40, 300), "patient": (75, 0.6, 10, 350), "doctor": (95, 0.5, 15, 350),
    "icliniq_patient": (90, 0.6, 10, 400), "icliniq_doctor": (150, 0.6, 20, 500),
    "abstract": (200, 0.3, 80, 400), "long_answer": (35, 0.4, 10, 120),
}
MEDMCQA_EXPLANATION_SHARE = 0.8  # share of MedMCQA rows with an explanation (assumed)


def _corpus_words() -> list[str]:
    from imi_lib.training import tiny

    return tiny.corpus_text().replace("### Instruction:", "").replace("### Response:", "").split()


class TextMaker:
    def __init__(self, r: random.Random):
        self.r, self.words = r, _corpus_words()

    def text(self, field: str) -> str:
        median, sigma, lo, hi = WORD_MEDIANS[field]
        n = int(min(hi, max(lo, round(self.r.lognormvariate(math.log(median), sigma)))))
        start = self.r.randrange(len(self.words) - n)
        return " ".join(self.words[start:start + n])


def medmcqa(t: TextMaker) -> dict:
    options = {L: t.text("mcq_option") for L in "ABCD"}
    letter = t.r.choice("ABCD")
    output = f"The correct answer is {letter}. {options[letter]}"
    if t.r.random() < MEDMCQA_EXPLANATION_SHARE:
        output += f"\n\nExplanation: {t.text('mcq_explanation')}"
    body = "\n".join(f"{L}. {o}" for L, o in options.items())
    return {"instruction": sources.MEDMCQA_EDUCATION.format(subject="Medicine (Cardiology)"),
            "input": f"{t.text('mcq_question')}\n\n{body}", "output": output}


def medqa(t: TextMaker) -> dict:
    options = {L: t.text("mcq_option") for L in "ABCD"}
    letter = t.r.choice("ABCD")
    body = "\n".join(f"{L}. {o}" for L, o in options.items())
    return {"instruction": sources.MCQ_EDUCATION, "input": f"{t.text('vignette')}\n\n{body}",
            "output": f"The correct answer is {letter}. {options[letter]}"}


def healthcaremagic(t: TextMaker) -> dict:
    return {"instruction": sources.PATIENT_TRIAGE, "input": t.text("patient"), "output": t.text("doctor")}


def icliniq(t: TextMaker) -> dict:
    return {"instruction": sources.PATIENT_TRIAGE, "input": t.text("icliniq_patient"),
            "output": t.text("icliniq_doctor")}


def pubmedqa(t: TextMaker) -> dict:
    return {"instruction": sources.PUBMEDQA_RESEARCH, "input": t.text("abstract"),
            "output": f"{t.text('long_answer')}\n\nFinal answer: {t.r.choice(['yes', 'no', 'maybe'])}"}


SOURCES = [  # train rows: MedMCQA train, HealthCareMagic, MedQA train, iCliniq, `imi synthesize` default, PubMedQA 80%
    ("medmcqa", 182822, medmcqa), ("healthcaremagic", 112165, healthcaremagic), ("medqa", 10178, medqa),
    ("icliniq", 7321, icliniq), ("synthetic", 5000, None), ("pubmedqa", 800, pubmedqa),
]


def length_mix(n: int, seed: int) -> list[dict]:
    from imi_lib.data.synthesize import generate_records

    r = random.Random(seed)
    maker = TextMaker(r)
    synthetic = iter(generate_records(n, seed))
    names = [s[0] for s in SOURCES]
    weights = [s[1] for s in SOURCES]
    makers = {s[0]: s[2] for s in SOURCES}
    rows = []
    for i in range(n):
        name = r.choices(names, weights)[0]
        if makers[name] is None:
            rec = next(synthetic)
            d = {"instruction": rec.instruction, "input": rec.input, "output": rec.output}
        else:
            d = makers[name](maker)
        rows.append({**d, "id": f"bench-{i}", "source": name, "adapter": ADAPTER, "license": "generated",
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

    from imi_lib.training import modeling

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
    ap.add_argument("--records", type=int, default=480, help="examples in the length mix")
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

    from imi_lib.training import modeling

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
    speed = {m: r["tokens_per_s"] / (1 - r["padding_share"]) for m, r in results.items()}  # positions/s
    print(f"\npadded computes {positions:.2f}x the positions packed does (the ratio where per-token cost dominates)")
    print(f"positions/s computed: packed {speed['packed']:.0f}, padded {speed['padded']:.0f} "
          f"(packed/padded per position: {speed['packed'] / speed['padded']:.2f}x)")
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
