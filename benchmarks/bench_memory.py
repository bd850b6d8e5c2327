"""Peak memory (RSS) of `imi train` on builtin:smollm2 at several row lengths, batch 4, packing on.

    python benchmarks/bench_memory.py                                  # 512, 1024, 2048 with this checkout
    python benchmarks/bench_memory.py --lengths 2048 --code-dir /path/to/other/checkout   # e.g. an older main

Each configuration runs `python -m imi_lib.cli train --base-model builtin:smollm2 --max-seq-length L
--batch-size 4 --max-steps N` in a fresh process on generated records long enough to fill every row,
and reports the peak resident set size of that process (getrusage of the finished child) with the
wall time and the load average. A run whose memory passes `--cap-gb` is stopped and reported as
"> cap": an unbounded configuration must not take the machine down with it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ADAPTER = "patient_triage"


def write_data(final_dir: Path, n: int = 240, seed: int = 0) -> None:
    """Records from one line to a few hundred tokens, enough to fill 4 rows of 2048 tokens."""
    rng = random.Random(seed)
    final_dir.mkdir(parents=True, exist_ok=True)
    complaints = ["chest pain", "a cough", "headache", "fever", "back pain", "dizziness", "a rash", "fatigue"]
    for split, count in (("train", n), ("val", 8)):
        with open(final_dir / f"{ADAPTER}_{split}.json", "w", encoding="utf-8") as fh:
            for i in range(count):
                c = rng.choice(complaints)
                story = " ".join(f"On day {d} the {c} was {rng.choice(['worse', 'better', 'the same'])}."
                                 for d in range(1, rng.randint(2, 40)))
                rec = {"id": f"{split}-{i}", "instruction": "Triage this message and advise the patient.",
                       "input": f"I am {rng.randint(18, 90)} and have {c}. {story}",
                       "output": f"This sounds like {c} that needs review. " * rng.randint(1, 12),
                       "source": "bench", "adapter": ADAPTER, "license": "CC0", "lineage": {"row": i}}
                fh.write(json.dumps(rec) + "\n")
    from imi_lib.core import storage

    storage.seal_dir(final_dir)  # train reads only a final/ vouched for by its marker (older code ignores it)


def measure(code_dir: Path, final_dir: Path, out_dir: Path, length: int, steps: int, cap_bytes: int,
            extra: list[str], base_model: str = "builtin:smollm2") -> dict:
    cmd = [sys.executable, "-m", "imi_lib.cli", "train", "--base-model", base_model, "--adapter", ADAPTER,
           "--final-dir", str(final_dir), "--output-dir", str(out_dir), "--max-seq-length", str(length),
           "--batch-size", "4", "--max-steps", str(steps), "--save-steps", "0", "--precision", "full", *extra]
    env = {**os.environ, "PYTHONPATH": str(code_dir), "OMP_WAIT_POLICY": "PASSIVE"}
    import psutil

    t0 = time.perf_counter()
    # cwd: `python -m` puts the working directory first on sys.path, so it must be the code under test
    proc = subprocess.Popen(cmd, env=env, cwd=str(code_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    ps = psutil.Process(proc.pid)
    stopped = False
    while proc.poll() is None:
        try:
            if ps.memory_info().rss > cap_bytes:
                proc.kill()
                stopped = True
        except psutil.NoSuchProcess:
            break
        time.sleep(0.2)
    output = proc.communicate()[0]
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # the largest child so far
    return {"max_seq_length": length, "batch_size": 4, "steps": steps, "returncode": proc.returncode,
            "peak_rss_gb": round(peak / 2**30, 2), "stopped_at_cap": stopped, "seconds": round(seconds, 1),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "gradient_checkpointing_note": next((line for line in output.splitlines() if "checkpointing" in line), ""),
            "tail": output.strip().splitlines()[-1:] if proc.returncode else []}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lengths", default="512,1024,2048", help="comma-separated --max-seq-length values")
    parser.add_argument("--steps", type=int, default=1, help="optimizer steps per run (the peak is in the first)")
    parser.add_argument("--code-dir", default=str(REPO), help="checkout whose imi_lib runs (default: this one)")
    parser.add_argument("--cap-gb", type=float, default=12.0, help="stop a run whose RSS passes this")
    parser.add_argument("--base-model", default="builtin:smollm2",
                        help="what --base-model gets (a code dir without builtin:smollm2 takes its converted directory)")
    parser.add_argument("--out", default="", help="also write the results as JSON here")
    parser.add_argument("extra", nargs="*", help="extra `imi train` flags, after --")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="imi-bench-memory-") as tmp:
        final = Path(tmp) / "final"
        write_data(final)
        # one measuring process per configuration: RUSAGE_CHILDREN keeps the maximum over all children
        for length in [int(x) for x in args.lengths.split(",")]:
            if len(results):
                r = subprocess.run([sys.executable, __file__, "--lengths", str(length), "--steps", str(args.steps),
                                    "--code-dir", args.code_dir, "--cap-gb", str(args.cap_gb), "--base-model", args.base_model, "--out",
                                    str(Path(tmp) / f"{length}.json"), "--", *args.extra], check=False)
                results += json.loads((Path(tmp) / f"{length}.json").read_text()) if r.returncode == 0 else []
                continue
            res = measure(Path(args.code_dir), final, Path(tmp) / f"adapters-{length}", length, args.steps,
                          int(args.cap_gb * 2**30), args.extra, args.base_model)
            results.append(res)
    for r in results:
        peak = f"> {args.cap_gb:g} GB (stopped)" if r["stopped_at_cap"] else f"{r['peak_rss_gb']:.2f} GB"
        print(f"max_seq_length={r['max_seq_length']:>5} batch=4 peak_rss={peak:<18} rc={r['returncode']} "
              f"{r['seconds']:.0f}s load={r['load_average']} {r['gradient_checkpointing_note']}")
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
