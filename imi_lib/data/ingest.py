"""Step 1.2 `imi ingest`: regulatory PDFs -> regulatory_qa records.

    imi ingest --data-dir data                      # data/pdfs/*.pdf -> data/processed/
    imi ingest --pdf-dir s3://bucket/pdfs --out-dir s3://bucket/run1/processed

Every `*.pdf` under the PDF folder (recursively) is read in a child process
(`imi_lib.core.isolated_pool`) with a time limit, a memory cap and a page cap, so a
hostile or broken file costs only itself. Each file's text is rebuilt in
reading order without running headers and footers, split at headings
(`imi_lib.data.pdf_text`), and each section becomes one record for the
regulatory_qa adapter: a question about the section as the instruction, the
section's own text as the output, and the file, its sha256, the page range
and the heading as lineage.

Outputs in the out dir:
    pdf_regulatory_qa.jsonl   the records
    quarantine.jsonl          records that failed validation, with the reason
    ingest_report.json        per file: status ok/failed + reason, family, pages, sections, records, seconds
    ingest_config.json        the effective configuration
"""

from __future__ import annotations

import errno
import json
import os
import sys
import tempfile
from collections import Counter
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from imi_lib.core import config, storage
from imi_lib.core.config import ConfigError
from imi_lib.core.records import Record, RecordWriter, stable_id
from imi_lib.core.summary import StageTimer, print_summary

OUTPUT_FILE = "pdf_regulatory_qa.jsonl"
QUARANTINE_FILE = "quarantine.jsonl"
REPORT_FILE = "ingest_report.json"
CONFIG_FILE = "ingest_config.json"
LICENSE = "organisation-internal"
ADAPTER = "regulatory_qa"

# {title} the document, {heading} the section heading as printed, {topic} the heading without its number.
# One is picked per section by a hash of the file and section, so reruns give the same instructions.
INSTRUCTION_TEMPLATES = (
    "According to {title}, what does section '{heading}' require?",
    "What does {title} say in section '{heading}'?",
    "Summarise the guidance in section '{heading}' of {title}.",
    "Under {title}, what is set out in '{heading}'?",
    "Explain what {title} states in section '{heading}'.",
    "What does {title} require regarding '{topic}'?",
    "A colleague asks what '{topic}' in {title} covers. What does the document say?",
)
# for text before the first heading
OPENING_TEMPLATES = (
    "What does the opening part of {title} state{part}?",
    "Summarise the opening part of {title}{part}.",
)


@dataclass
class IngestConfig:
    data_dir: str = config.option("data", "data directory (local path or s3://bucket/prefix)")
    pdf_dir: str = config.option("", "folder or s3:// prefix with the PDFs (default: <data-dir>/pdfs)")
    out_dir: str = config.option("", "where records and the report go (default: <data-dir>/processed)")
    workers: int = config.option(0, "PDFs read in parallel, one child process each; 0 = one per CPU core")
    per_file_timeout_s: float = config.option(60.0, "seconds one PDF may take before its reader is killed")
    per_file_max_memory_mb: int = config.option(
        2048, "address-space cap of a reader process in MB (includes ~550 MB for Python and pymupdf)")
    max_pages: int = config.option(2000, "read at most this many pages of one PDF")
    min_section_chars: int = config.option(100, "sections with less text than this are skipped (and counted)")
    max_section_chars: int = config.option(
        4000, "longer sections are split at paragraph/sentence boundaries into parts of at most this size")


def add_arguments(parser) -> None:
    config.add_arguments(parser, IngestConfig)


def main(args) -> int:
    run(config.from_args(IngestConfig, args))
    return 0


def _short_title(title: str) -> str:
    """A title short enough for a question: cut a long one at its subtitle dash or colon."""
    if len(title) <= 90:
        return title
    for sep in (" \u2014 ", " \u2013 ", " - ", ": "):
        head = title.split(sep)[0].strip()
        if 3 <= len(head.split()) and len(head) <= 90:
            return head
    return title[:88].rsplit(" ", 1)[0] + "\u2026"  # one ellipsis character: "...." reads as a dot leader


def section_instruction(title: str, heading: str | None, key: str, part: str = "") -> str:
    """One question for a section; `part` ("part 2 of 3") tells apart the parts of a long opening, whose
    questions would otherwise be the same."""
    import re

    pick = int(stable_id("template", key), 16)
    title = _short_title(title)
    if heading is not None and len(heading) > 80:  # a heading that swallowed a sentence: keep questions short
        heading = heading[:78].rsplit(" ", 1)[0] + "\u2026"
    if heading is None:
        return OPENING_TEMPLATES[pick % len(OPENING_TEMPLATES)].format(title=title, part=f" ({part})" if part else "")
    topic = re.sub(r"^(?:§+\s*)?[\dA-Z]{1,3}(?:\.\d+)*\.?\s+(?=\S)", "", heading) or heading
    return INSTRUCTION_TEMPLATES[pick % len(INSTRUCTION_TEMPLATES)].format(title=title, heading=heading, topic=topic)


def section_records(extraction) -> list[Record]:
    """The regulatory_qa records of one successfully read PDF."""
    out = []
    # one heading over several sections of a document (a gazette's "NOTIFICATION" over each notice): the
    # page tells their questions apart, which would otherwise ask the same for different answers
    starts = defaultdict(set)
    for s in extraction.sections:
        if s.heading is not None:
            starts[s.heading].add((s.first_page, s.index - s.part + 1))
    for s in extraction.sections:
        key = f"{extraction.sha256}:{s.index}"
        heading = s.heading
        if heading is not None and len(starts[heading]) > 1:
            heading = f"{heading}, page {s.first_page}"
        if s.parts > 1 and heading is not None:
            heading = f"{heading} (part {s.part} of {s.parts})"
        lineage = {
            "file": extraction.file,
            "sha256": extraction.sha256,
            "pages": [s.first_page, s.last_page],
            "section": s.heading or "",
            "section_index": s.index,
            "title": extraction.title,
            "family": extraction.family,
        }
        if s.parts > 1:
            lineage["part"] = [s.part, s.parts]
        out.append(Record(
            # the document's short, correct name ("ICH Q9", "EU GMP Annex 11"), not a long or stale title
            instruction=section_instruction(getattr(extraction, "short_name", "") or extraction.title, heading, key,
                                            f"part {s.part} of {s.parts}" if s.parts > 1 else ""),
            input="",
            output=s.text,
            source=f"pdf_{extraction.family}",
            adapter=ADAPTER,
            id=stable_id("pdf", extraction.sha256, s.index),
            license=LICENSE,
            lineage=lineage,
        ))
    return out


def _file_report(extraction, records: int) -> dict:
    return {
        "file": extraction.file,
        "status": extraction.status,
        "reason": extraction.reason or None,
        "family": extraction.family if extraction.status == "ok" else None,
        "family_evidence": extraction.family_evidence or None,
        "title": extraction.title or None,
        "pages": extraction.pages,
        "pages_read": extraction.pages_read,
        "sections": len(extraction.sections),
        "sections_skipped_short": extraction.sections_skipped_short,
        "records": records,
        "short_name": getattr(extraction, "short_name", "") or None,
        "header_footer_lines_removed": extraction.header_footer_lines_removed,
        "line_numbers_removed": getattr(extraction, "line_numbers_removed", 0),
        "toc_lines_removed": getattr(extraction, "toc_lines_removed", 0),
        "other_script_lines_removed": getattr(extraction, "other_script_lines_removed", 0),
        "boilerplate_sections": getattr(extraction, "boilerplate_sections", {}),
        "multi_column_pages": extraction.columns_pages,
        "tables": getattr(extraction, "tables", 0),  # kept as Markdown tables
        "table_finder_pages": getattr(extraction, "table_finder_pages", 0),  # pages the table finder ran on
        "warnings": extraction.warnings,
        "sha256": extraction.sha256,
        "size_bytes": extraction.size_bytes,
        "seconds": extraction.seconds,
        "cpu_seconds": extraction.cpu_seconds,
    }


def _resolve_dirs(cfg: IngestConfig) -> tuple[str, str]:
    pdf_dir = cfg.pdf_dir or storage.join(cfg.data_dir, "pdfs")
    out_dir = cfg.out_dir or storage.join(cfg.data_dir, "processed")
    if cfg.pdf_dir and not storage.is_s3(cfg.pdf_dir) and not Path(cfg.pdf_dir).is_dir():
        raise ConfigError(f"pdf_dir: {cfg.pdf_dir} is not a folder")
    for name in ("per_file_timeout_s", "per_file_max_memory_mb", "max_pages", "min_section_chars",
                 "max_section_chars"):
        if getattr(cfg, name) <= 0:
            raise ConfigError(f"{name}: must be positive, got {getattr(cfg, name)}")
    if cfg.workers < 0:
        raise ConfigError(f"workers: must be 0 (one per core) or more, got {cfg.workers}")
    return pdf_dir, out_dir


def run(cfg: IngestConfig) -> dict:
    from imi_lib.core.isolated_pool import IsolatedPool, default_workers
    from imi_lib.data.pdf_text import ExtractOptions, PdfExtraction, extract_pdf

    timer = StageTimer("ingest")
    pdf_dir, out_dir = _resolve_dirs(cfg)
    options = ExtractOptions(cfg.max_pages, cfg.min_section_chars, cfg.max_section_chars)
    rebuild = " ".join(["imi ingest", f"--data-dir {cfg.data_dir}", *([f"--pdf-dir {cfg.pdf_dir}"] if cfg.pdf_dir else []),
                        *([f"--out-dir {cfg.out_dir}"] if cfg.out_dir else [])])
    with storage.local_dir_for(pdf_dir, download=True) as local_pdfs, \
            storage.publish_dir(out_dir, stage="ingest", rebuild=rebuild) as local_out, \
            tempfile.TemporaryDirectory(prefix="imi-ingest-") as aliases:
        files, names, refused = discover_pdfs(Path(local_pdfs))
        files = [_utf8_path(f, Path(aliases), i) for i, f in enumerate(files)]
        local_out = Path(local_out)
        (local_out / QUARANTINE_FILE).unlink(missing_ok=True)  # this run's quarantine only

        workers = min(cfg.workers or default_workers(), max(1, len(files)))
        pool = IsolatedPool(extract_pdf, workers=workers, timeout_s=cfg.per_file_timeout_s,
                            max_memory_mb=cfg.per_file_max_memory_mb, preload=("pymupdf", "imi_lib.data.pdf_text"))
        tasks = [(i, (str(p), options, name)) for i, (p, name) in enumerate(zip(files, names))]
        reports: list[dict | None] = [None] * len(files)
        done: dict[int, PdfExtraction] = {}
        next_to_write = 0
        progress = _progress(len(files))
        with RecordWriter(local_out / OUTPUT_FILE, local_out / QUARANTINE_FILE) as writer:
            for outcome in pool.map_unordered(tasks):
                progress.update(1)
                if outcome.ok:
                    done[outcome.key] = outcome.value
                else:  # the reader process timed out, crashed or raised
                    done[outcome.key] = _failed_extraction(files[outcome.key], names[outcome.key], outcome)
                # write in file order whatever order the workers finish in: reruns give identical output
                while next_to_write in done:
                    extraction = done.pop(next_to_write)
                    before = writer.written
                    if extraction.status == "ok":
                        for rec in section_records(extraction):
                            writer.write(rec, origin=f"{extraction.file}#section{rec.lineage['section_index']}")
                    reports[next_to_write] = _file_report(extraction, writer.written - before)
                    next_to_write += 1
        progress.close()
        reports += [_file_report(PdfExtraction(file=name, status="failed", reason=reason), 0) for name, reason in refused]

        summary = _summarise(reports, writer, workers, pool.restarts, timer.seconds)
        report = {"stage": "ingest", "pdf_dir": pdf_dir, "out_dir": out_dir, "summary": summary, "files": reports}
        (local_out / REPORT_FILE).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
        config.save_effective(cfg, local_out / CONFIG_FILE)
    failures = [f"{r['file']}: {r['reason']}" for r in reports if r["status"] == "failed"]
    failed_line = "; ".join(failures[:10]) + (f"; and {len(failures) - 10} more in {REPORT_FILE}"
                                              if len(failures) > 10 else "")
    print_summary("ingest", {k: summary[k] for k in ("files", "ok", "failed", "pages", "sections", "records",
                                                     "skipped_short_sections", "quarantined", "pages_per_s")},
                  seconds=timer.seconds)
    if failed_line:
        print(f"[imi ingest] failed files: {failed_line}", file=sys.stderr)
    return summary


def display_name(rel: str) -> str:
    """A file name as valid UTF-8 text: bytes that are not UTF-8 shown as \\xNN escapes."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def discover_pdfs(root: Path) -> tuple[list[Path], list[str], list[tuple[str, str]]]:
    """(files to read, their display names, [(name, reason)] refused) for every `*.pdf` entry under root.

    Nothing is skipped silently: a directory named `x.pdf`, a symlink that
    resolves outside the folder (its text would become training data), a
    looping or dangling symlink and an unreadable file are refused with the
    reason and appear in the report as failed. Symlinked directories are not
    descended into. Names that are not UTF-8 are read and reported escaped.
    """
    files, names, refused = [], [], []
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=None):
        here = Path(dirpath)
        for entry in sorted(dirnames + filenames):
            if not entry.lower().endswith(".pdf"):
                continue
            p = here / entry
            name = display_name(str(p.relative_to(root)))
            try:
                target = p.resolve(strict=True)
            except RuntimeError:  # Python < 3.13 reports a symlink loop so
                refused.append((name, "refused: symlink loop"))
                continue
            except OSError as e:
                reason = "symlink loop" if e.errno == errno.ELOOP else (
                    "dangling symlink" if p.is_symlink() else (e.strerror or "cannot be read"))
                refused.append((name, f"refused: {reason}"))
                continue
            if target != real_root and real_root not in target.parents:
                refused.append((name, "refused: symlink resolves outside the PDF folder"))
            elif target.is_dir():
                refused.append((name, "refused: a directory, not a PDF file"))
            elif not target.is_file():
                refused.append((name, "refused: not a regular file"))
            elif not os.access(target, os.R_OK):
                refused.append((name, "refused: unreadable (permission denied)"))
            else:
                files.append(p)
                names.append(name)
    order = sorted(range(len(files)), key=lambda i: names[i])
    return [files[i] for i in order], [names[i] for i in order], sorted(refused)


def _utf8_path(path: Path, aliases: Path, i: int) -> Path:
    """`path`, or a UTF-8-named symlink to it where its name is not UTF-8 (the PDF library needs text paths)."""
    try:
        str(path).encode("utf-8")
        return path
    except UnicodeEncodeError:
        alias = aliases / f"{i}.pdf"
        os.symlink(os.path.abspath(path), alias)
        return alias


def _failed_extraction(path: Path, name: str, outcome):
    """The report entry of a file whose reader timed out, crashed or raised."""
    from imi_lib.data.pdf_text import PdfExtraction

    extraction = PdfExtraction(file=name, status="failed", reason=outcome.reason, seconds=outcome.seconds)
    try:
        extraction.size_bytes = path.stat().st_size
        extraction.sha256 = storage.sha256_file(path)
    except OSError:  # unreadable: the reason already says what went wrong
        pass
    return extraction


def _summarise(reports: list[dict], writer: RecordWriter, workers: int, restarts: int, seconds: float) -> dict:
    failed = Counter(r["reason"].split(":")[0] for r in reports if r["status"] == "failed")
    pages = sum(r["pages_read"] for r in reports if r["status"] == "ok")
    return {
        "files": len(reports),
        "ok": sum(r["status"] == "ok" for r in reports),
        "failed": dict(sorted(failed.items())),
        "families": dict(sorted(Counter(r["family"] for r in reports if r["status"] == "ok").items())),
        "pages": pages,
        "sections": sum(r["sections"] for r in reports),
        "records": writer.written,
        "skipped_short_sections": sum(r["sections_skipped_short"] for r in reports),
        "tables": sum(r.get("tables", 0) for r in reports),
        "table_finder_pages": sum(r.get("table_finder_pages", 0) for r in reports),
        "quarantined": dict(writer.quarantined),
        "workers": workers,
        "worker_restarts": restarts,
        "seconds": round(seconds, 3),
        "pages_per_s": round(pages / seconds, 1) if seconds > 0 else 0.0,
    }


def _progress(total: int):
    from tqdm import tqdm

    return tqdm(total=total, desc="ingest", unit="pdf", file=sys.stderr, disable=total < 2 or not sys.stderr.isatty())
