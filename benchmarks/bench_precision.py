"""LoRA training step time on the CPU: builtin:smollm2 in full precision (fp32) vs 4-bit NF4 (bitsandbytes).

    python benchmarks/bench_precision.py                   # 3 rounds, alternating, batch 2 x 256 tokens

Both models are loaded in this one process and measured in alternation (full, 4bit, full, 4bit, ...)
on the same batch, so a change in machine load hits both; the ratio of medians is the figure. It
prints the load average beside it. This is what `modeling.resolve_precision`'s docstring cites.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=2)
    parser.add_argument("--length", type=int, default=256)
    args = parser.parse_args()

    import torch
    from peft import LoraConfig, get_peft_model

    from imi_lib.training import modeling
    from imi_lib.training.loss import response_nll

    src = modeling.resolve_base_model("builtin:smollm2")
    tok = modeling.load_tokenizer(src)
    ok, why = modeling.can_quantize()
    if not ok:
        print(f"4-bit unavailable here: {why}", file=sys.stderr)
        return 2
    models = {}
    for precision in ("full", "4bit"):
        base = modeling.load_model(src, precision, tokenizer=tok)
        models[precision] = get_peft_model(base, LoraConfig(
            r=16, lora_alpha=32, target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
                                                 "down_proj"], task_type="CAUSAL_LM"))
    gen = torch.Generator().manual_seed(0)
    ids = torch.randint(100, 40000, (args.rows, args.length), generator=gen)
    labels = ids.clone()
    labels[:, : args.length // 2] = -100
    times = {p: [] for p in models}
    for _ in range(args.rounds):
        for precision, model in models.items():
            model.train()
            t0 = time.perf_counter()
            loss, n = response_nll(model, {"input_ids": ids}, labels)
            (loss / n).backward()
            model.zero_grad(set_to_none=True)
            times[precision].append(time.perf_counter() - t0)
    full, q4 = statistics.median(times["full"]), statistics.median(times["4bit"])
    print(f"step ({args.rows}x{args.length} tokens): full {full:.2f}s, 4bit {q4:.2f}s (medians of {args.rounds}); "
          f"4bit/full time = {q4 / full:.2f}; torch threads {torch.get_num_threads()}; "
          f"load average {[round(x, 2) for x in os.getloadavg()]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
