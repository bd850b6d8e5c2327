"""PDF ingest throughput on text PDFs (not a test: prints figures).

    .venv/bin/python benchmarks/bench_ingest.py                       # 40 files x 25 pages, workers = cores
    .venv/bin/python benchmarks/bench_ingest.py --files 80 --pages 25 --workers 1
    .venv/bin/python benchmarks/bench_ingest.py --pdf-dir DIR [--baseline OTHER_CHECKOUT] [--rounds 4]

Generates N regulatory-style text PDFs (numbered bold headings, running
headers/footers, every fourth file two-column) in a temp dir, runs
`imi_lib.data.ingest.run` on them and prints:
- pages/s wall clock for the whole stage (worker start-up, writing included),
- pages/s per core = wall-clock pages/s / workers,
- pages/s per worker-second = pages / sum of per-file extraction seconds
  (what one worker does once it is up),
- pages/s per CPU-second = pages / sum of the workers' CPU time per file: the
  per-core cost, still meaningful when other jobs share the machine
  (target >= 200 pages/s per core).

With --pdf-dir it reads the PDFs of a folder (real documents) instead, in this
process, warm (PyMuPDF's start-up paid once before timing, as a long-lived
ingest worker pays it), and prints pages per CPU-second of the reader, the
pages the table finder ran on and the tables kept. With --baseline (another
checkout of this repository, e.g. the main branch) the two readers run
alternately on the same files, round after round, so a busy machine slows
both alike.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

WORDS = ("the manufacturer shall ensure that each batch is released by the qualified person after review of the "
         "batch record deviations and laboratory results validation of the process demonstrates consistent "
         "quality control strategy includes critical parameters monitoring equipment cleaning documentation "
         "training of personnel change control risk assessment supplier qualification stability data "
         "specifications analytical procedures water systems sterile products environmental monitoring").split()


def _make_pdfs():
    spec = importlib.util.spec_from_file_location("make_pdfs", REPO / "tests" / "fixtures" / "make_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_pdfs"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _paragraph(rng: random.Random) -> str:
    sentences = []
    for _ in range(rng.randint(3, 6)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def build_corpus(folder: Path, files: int, pages: int, seed: int = 0) -> int:
    mp = _make_pdfs()
    rng = random.Random(seed)
    total = 0
    for i in range(files):
        two_column = i % 4 == 3
        layout = mp.Layout(
            columns=2 if two_column else 1, body_size=10 if two_column else 10.5, leading=1.35,
            header_left=f"Organisation guideline GL-{i:03d}", header_right="Version 2",
            footer_right="Page {page} of {pages}", footer_center="",
        )
        blocks = [("title", f"Guideline {i} on good manufacturing practice for medicinal products")]
        chapter = 0
        # more text than `pages` pages hold; the surplus pages are cut off below
        paragraphs_per_page = 6 if not two_column else 12
        for _ in range(pages * paragraphs_per_page // 2):
            chapter += 1
            blocks.append(("h", f"{chapter // 3 + 1}.{chapter % 3 + 1} {rng.choice(WORDS).capitalize()} "
                                f"{rng.choice(WORDS)} {rng.choice(WORDS)}"))
            blocks += [("p", _paragraph(rng)) for _ in range(2)]
        path = folder / f"GMP_guideline_{i:03d}.pdf"
        n = mp.build_pdf(path, blocks, layout, {"title": f"Guideline {i}", "author": "Quality Unit"})
        if n > pages:  # trim to the page count asked for
            import pymupdf

            doc = pymupdf.open(path)
            doc.select(range(pages))
            doc.save(path.with_suffix(".tmp"), garbage=3, deflate=True)
            doc.close()
            path.with_suffix(".tmp").replace(path)
            n = pages
        total += n
    return total


def _reader(checkout: Path, name: str):
    """The PDF reader module (imi_lib/data/pdf_text.py) of a checkout, loaded under its own name."""
    spec = importlib.util.spec_from_file_location(name, checkout / "imi_lib" / "data" / "pdf_text.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def bench_folder(folder: Path, baseline: Path | None, rounds: int) -> dict:
    files = sorted(str(p) for p in folder.rglob("*.pdf"))
    if not files:
        raise SystemExit(f"no *.pdf under {folder}")
    readers = {"this": _reader(REPO, "pdf_text_this")}
    if baseline is not None:
        readers["baseline"] = _reader(baseline.resolve(), "pdf_text_baseline")
    for reader in readers.values():
        reader.extract_pdf(files[0])  # PyMuPDF start-up, once per process as in an ingest worker
    cpu = {name: 0.0 for name in readers}
    pages = finder_pages = tables = 0
    failed = []
    for k in range(rounds):
        order = list(readers.items()) if k % 2 == 0 else list(reversed(readers.items()))
        for name, reader in order:
            for f in files:
                r = reader.extract_pdf(f)
                cpu[name] += r.cpu_seconds
                if name == "this" and k == 0:
                    pages += r.pages_read
                    finder_pages += getattr(r, "table_finder_pages", 0)
                    tables += getattr(r, "tables", 0)
                    if r.status != "ok":
                        failed.append(f"{Path(f).name}: {r.reason}")
    result = {"files": len(files), "pages": pages, "rounds": rounds, "failed": failed,
              "table_finder_pages": finder_pages, "tables": tables}
    for name, seconds in cpu.items():
        result[f"pages_per_cpu_s_{name}"] = round(pages * rounds / seconds, 1) if seconds else None
    result["load_average_1min"] = round(os.getloadavg()[0], 2)
    result["target_pages_per_s_per_core"] = 100
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--pages", type=int, default=25)
    parser.add_argument("--workers", type=int, default=0, help="0 = one per core")
    parser.add_argument("--pdf-dir", type=Path, help="time the reader on the PDFs under this folder instead")
    parser.add_argument("--baseline", type=Path, help="with --pdf-dir: another checkout to time alternately")
    parser.add_argument("--rounds", type=int, default=4, help="with --pdf-dir: passes over the folder")
    args = parser.parse_args(argv)
    if args.pdf_dir is not None:
        print(json.dumps(bench_folder(args.pdf_dir, args.baseline, args.rounds)))
        return 0

    from imi_lib.data.ingest import IngestConfig, run
    from imi_lib.core.isolated_pool import default_workers

    with tempfile.TemporaryDirectory(prefix="imi-bench-ingest-") as tmp:
        tmp = Path(tmp)
        t = time.perf_counter()
        pages = build_corpus(tmp / "pdfs", args.files, args.pages)
        print(f"generated {args.files} PDFs, {pages} pages in {time.perf_counter() - t:.1f}s", file=sys.stderr)
        workers = args.workers or default_workers()
        t = time.perf_counter()
        summary = run(IngestConfig(data_dir=str(tmp), workers=workers))
        wall = time.perf_counter() - t
        report = json.loads((tmp / "processed" / "ingest_report.json").read_text())
        busy = sum(f["seconds"] for f in report["files"])
        cpu = sum(f["cpu_seconds"] for f in report["files"])
    result = {
        "files": args.files,
        "pages": summary["pages"],
        "records": summary["records"],
        "failed": summary["failed"],
        "workers": workers,
        "wall_s": round(wall, 2),
        "pages_per_s": round(summary["pages"] / wall, 1),
        "pages_per_s_per_core": round(summary["pages"] / wall / workers, 1),
        "pages_per_worker_s": round(summary["pages"] / busy, 1) if busy else None,
        "pages_per_cpu_s": round(summary["pages"] / cpu, 1) if cpu else None,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "target_pages_per_s_per_core": 200,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
