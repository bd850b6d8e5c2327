"""imi ingest: family, reading order, headers/footers, sections, hostile files, isolation, S3, CLI."""

import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from imi_lib.core import storage
from imi_lib.data.ingest import IngestConfig, run
from imi_lib.core.isolated_pool import IsolatedPool
from imi_lib.data.pdf_text import ExtractOptions, detect_family, extract_pdf
from imi_lib.core.records import read_records

REPO = Path(__file__).resolve().parents[1]
from imi_lib.sample_data import PDFS as BUNDLED  # noqa: E402


def _load_make_pdfs():
    spec = importlib.util.spec_from_file_location("make_pdfs", REPO / "tests" / "fixtures" / "make_pdfs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_pdfs"] = module
    spec.loader.exec_module(module)
    return module


make_pdfs = _load_make_pdfs()


def _read_jsonl(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _squash(text):
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def bundled_run(tmp_path_factory):
    """One ingest of the bundled PDFs: (data dir, summary, records, report)."""
    data = tmp_path_factory.mktemp("bundled")
    shutil.copytree(BUNDLED, data / "pdfs")
    summary = run(IngestConfig(data_dir=str(data), workers=2))
    records = _read_jsonl(data / "processed" / "pdf_regulatory_qa.jsonl")
    report = json.loads((data / "processed" / "ingest_report.json").read_text())
    return data, summary, records, report


# ---- family ------------------------------------------------------------------

@pytest.mark.parametrize("name, metadata, first_page, family", [
    ("WHO_GMP_water_for_pharmaceutical_use.pdf", {}, "", "who"),  # issuer beats topic
    ("who_trs_1033_annex3.pdf", {}, "", "who"),  # lower-case acronym in a file name
    ("guideline.pdf", {"author": "European Medicines Agency"}, "", "ema"),
    ("part211.pdf", {}, "Title 21 CFR Part 211 current good manufacturing practice", "fda"),
    ("Q9_R1_Step4.pdf", {"subject": "ICH Harmonised Guideline"}, "", "ich"),
    ("sop_cleaning.pdf", {}, "This procedure applies Good Manufacturing Practice to cleaning.", "gmp"),
    ("notes.pdf", {"title": "Minutes"}, "Persons who use the system shall be trained.", "other"),  # 'who' pronoun
    ("FDA_guidance.pdf", {}, "consistent with ICH Q9 and WHO guidance", "fda"),  # file name outweighs mentions
])
def test_family_detection(name, metadata, first_page, family):
    assert detect_family(name, metadata, first_page)[0] == family


def test_bundled_pdfs_get_their_families(bundled_run):
    _data, summary, records, report = bundled_run
    families = {f["file"]: f["family"] for f in report["files"]}
    assert families == {
        "EMA_guideline_process_validation.pdf": "ema",
        "FDA_21CFR_Part11_electronic_records.pdf": "fda",
        "GMP_cleaning_validation_procedure.pdf": "gmp",
        "ICH_Q9_quality_risk_management.pdf": "ich",
        "WHO_GMP_water_for_pharmaceutical_use.pdf": "who",
    }
    assert {r["source"] for r in records} == {"pdf_ema", "pdf_fda", "pdf_gmp", "pdf_ich", "pdf_who"}
    assert summary["ok"] == 5 and summary["failed"] == {}


# ---- reading order ---------------------------------------------------------------

LEFT = ("Planted sentence one opens the left column and runs long enough to wrap over several lines of "
        "the narrow column. Planted sentence two follows it in the same column and also needs a few lines "
        "of its own before the column ends. Planted sentence three closes the left column text.")
RIGHT = ("Planted sentence four starts the right column at the same height as the left one. Planted sentence "
         "five continues beside the left column text, line for line. Planted sentence six ends the right "
         "column and the page.")


def test_two_column_page_is_read_column_by_column(tmp_path):
    layout = make_pdfs.Layout(page_size=(612.0, 792.0), columns=2, margin_left=54, margin_right=54,
                              body_size=10.5, heading_font="tibo")
    blocks = [("title", "Two column test document spanning both columns"),
              ("h", "1. Left column heading"), ("p", LEFT), ("column",),
              ("h", "2. Right column heading"), ("p", RIGHT)]
    path = tmp_path / "FDA_two_column.pdf"
    make_pdfs.build_pdf(path, blocks, layout, {"title": "Two column test"}, header_footer=False)

    result = extract_pdf(str(path), ExtractOptions(min_section_chars=20))
    assert result.status == "ok", result.reason
    assert result.columns_pages == 1
    by_heading = {s.heading: _squash(s.text) for s in result.sections}
    # each column comes back whole: a reader going row by row would interleave them
    assert by_heading["1. Left column heading"] == LEFT
    assert by_heading["2. Right column heading"] == RIGHT
    text = " ".join(_squash(s.text) for s in result.sections)
    order = [text.index(f"Planted sentence {n}") for n in ("one", "two", "three", "four", "five", "six")]
    assert order == sorted(order)


def test_bundled_two_column_cfr_keeps_sections_whole(bundled_run):
    _data, _summary, records, report = bundled_run
    cfr = next(f for f in report["files"] if f["file"].startswith("FDA_"))
    assert cfr["pages"] == 3 and cfr["multi_column_pages"] == 2  # page 3 holds a single, left column
    outputs = {r["lineage"]["section"]: r["output"] for r in records if r["source"] == "pdf_fda"}
    # § 11.10 runs from the right column of page 1 into page 2; its list stays in order and intact
    closed = outputs["§ 11.10 Controls for closed systems"]
    labels = re.findall(r"^\(([a-h])\) ", closed, flags=re.M)
    assert labels == list("abcdefgh")
    assert "(e) Use of secure, computer-generated, time-stamped audit trails" in closed


# ---- headers and footers --------------------------------------------------------

def test_running_headers_footers_and_page_numbers_are_removed(tmp_path):
    layout = make_pdfs.Layout(header_left="PLANTED RUNNING HEADER 4471", header_right="Draft for comment",
                              footer_left="Planted footer text", footer_center="", footer_right="Page {page} of {pages}",
                              header_on_first_page=True)
    paragraphs = [f"Body paragraph {i} says that the quality unit reviews record number {i} before release. "
                  + "The review covers deviations, changes and laboratory results in full detail. " * 4
                  for i in range(24)]
    blocks = [("title", "Header footer test")]
    for i, p in enumerate(paragraphs):
        if i % 4 == 0:
            blocks.append(("h", f"{i // 4 + 1}. Section {i // 4 + 1}"))
        blocks.append(("p", p))
    path = tmp_path / "GMP_headers.pdf"
    pages = make_pdfs.build_pdf(path, blocks, layout)
    assert pages >= 3

    result = extract_pdf(str(path))
    text = "\n".join(s.text for s in result.sections)
    for running in ("PLANTED RUNNING HEADER", "Draft for comment", "Planted footer text", "Page 1 of", "Page 2 of"):
        assert running not in text
    assert result.header_footer_lines_removed == 4 * pages  # two running heads, two running feet per page
    # nothing of the body is lost with them
    for p in paragraphs:
        assert _squash(p) in _squash(text)


def test_bundled_outputs_carry_no_running_heads(bundled_run):
    _data, _summary, records, _report = bundled_run
    running = ["WHO Technical Report Series, No. 1033", "Food and Drug Administration, HHS", "21 CFR Ch. I",
               "Page 2 of 3", "Page 2/3", "EMA/CHMP/CVMP/QWP", "Domenico Scarlattilaan", "SOP QA-017",
               "CONFIDENTIAL", "Effective 2024-03-01"]
    for r in records:
        for text in running:
            assert text not in r["output"], (text, r["lineage"])
        assert not re.search(r"^\d{1,3}$", r["output"], flags=re.M), "a bare page number survived"


# ---- sections ------------------------------------------------------------------------

def test_sections_split_at_headings_with_page_provenance(bundled_run):
    import pymupdf

    data, summary, records, report = bundled_run
    headings = {f: [r["lineage"]["section"] for r in records if r["lineage"]["file"] == f]
                for f in {r["lineage"]["file"] for r in records}}
    # numbered bold (WHO), larger non-bold (EMA), ALL CAPS (GMP), numbered ALL CAPS (ICH)
    assert headings["WHO_GMP_water_for_pharmaceutical_use.pdf"][:5] == [
        "1. Introduction", "2. Scope", "3.1 Drinking water", "3.2 Purified water", "3.3 Water for injections"]
    assert "4.2 Continuous process verification" in headings["EMA_guideline_process_validation.pdf"]
    assert headings["GMP_cleaning_validation_procedure.pdf"][:3] == ["PURPOSE", "SCOPE", "RESPONSIBILITIES"]
    assert headings["ICH_Q9_quality_risk_management.pdf"][-1] == "6. INTEGRATION INTO INDUSTRY AND REGULATORY OPERATIONS"

    for r in records:
        lin = r["lineage"]
        doc = pymupdf.open(data / "pdfs" / lin["file"])
        first, last = lin["pages"]
        # the heading is printed on the first page of the range, the section's last words on the last
        assert doc[first - 1].search_for(lin["section"][:40]), lin
        tail = r["output"].split()[-3:]
        assert _squash(" ".join(tail)) in _squash(doc[last - 1].get_text()), lin
        # grounded: the output is the document's own text, and never runs into the next heading
        assert _squash(r["output"][:60]) in _squash(" ".join(doc[p].get_text() for p in range(first - 1, last)))
        doc.close()
    # the title-only "sections" (title block, subtitle) are skipped and counted
    assert summary["skipped_short_sections"] == sum(f["sections_skipped_short"] for f in report["files"]) > 0


def test_records_are_valid_stable_and_varied(bundled_run, tmp_path):
    data, summary, records, _report = bundled_run
    assert summary["records"] == len(records) == summary["sections"] > 40
    assert list(read_records(data / "processed" / "pdf_regulatory_qa.jsonl"))  # validates every line
    assert len({r["id"] for r in records}) == len(records)
    for r in records:
        assert r["adapter"] == "regulatory_qa" and r["input"] == "" and r["license"] == "organisation-internal"
        assert set(r["lineage"]) >= {"file", "sha256", "pages", "section"}
        topic = re.sub(r"^(§\s*)?[\d.]+\s+", "", r["lineage"]["section"])  # some templates drop the number
        assert topic in r["instruction"]
    assert len({re.sub(r"'[^']*'", "''", r["instruction"].replace(r["lineage"]["title"], "T"))
                for r in records}) >= 4, "instruction templates should vary"
    # same input, one worker instead of two: byte-identical output (written in file order)
    again = tmp_path / "again"
    shutil.copytree(BUNDLED, again / "pdfs")
    run(IngestConfig(data_dir=str(again), workers=1))
    assert (again / "processed" / "pdf_regulatory_qa.jsonl").read_bytes() == \
        (data / "processed" / "pdf_regulatory_qa.jsonl").read_bytes()


def test_long_sections_split_and_short_ones_skipped(tmp_path):
    path = BUNDLED / "FDA_21CFR_Part11_electronic_records.pdf"
    base = extract_pdf(str(path))
    small = extract_pdf(str(path), ExtractOptions(max_section_chars=400, min_section_chars=100))
    assert max(len(s.text) for s in small.sections) <= 400
    parts = [s for s in small.sections if s.heading == "§ 11.10 Controls for closed systems"]
    assert len(parts) >= 4 and [s.part for s in parts] == list(range(1, len(parts) + 1))
    assert _squash(" ".join(s.text for s in parts)) == _squash(
        next(s.text for s in base.sections if s.heading == "§ 11.10 Controls for closed systems"))
    strict = extract_pdf(str(path), ExtractOptions(min_section_chars=500))
    shorter = sum(1 for s in base.sections if len(s.text) < 500)
    assert len(strict.sections) == len(base.sections) - shorter
    assert strict.sections_skipped_short == base.sections_skipped_short + shorter


def test_page_cap_reads_only_the_first_pages():
    capped = extract_pdf(str(BUNDLED / "WHO_GMP_water_for_pharmaceutical_use.pdf"), ExtractOptions(max_pages=1))
    assert capped.status == "ok" and capped.pages == 4 and capped.pages_read == 1
    assert any(w.startswith("page cap:") for w in capped.warnings)
    assert capped.sections and all(s.last_page == 1 for s in capped.sections)


# ---- hostile files -------------------------------------------------------------------------

def _make_hostile_folder(folder: Path) -> None:
    import pymupdf

    folder.mkdir(parents=True)
    good = BUNDLED / "ICH_Q9_quality_risk_management.pdf"
    shutil.copy(good, folder / "ICH_good.pdf")
    (folder / "not_a_pdf.pdf").write_text("<html><body>404 Not Found</body></html>")
    data = good.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    (folder / "zero_bytes.pdf").write_bytes(b"")
    with pymupdf.open(good) as doc:
        doc.save(folder / "encrypted.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256,
                 user_pw="s3cret", owner_pw="owner-s3cret")
        pix = doc[0].get_pixmap(dpi=40)
    with pymupdf.open() as scan:  # a scanned page: an image, no text layer
        page = scan.new_page()
        page.insert_image(page.rect, pixmap=pix)
        scan.save(folder / "scanned.pdf")
    (folder / "no_pages.pdf").write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n")


def test_hostile_files_never_stop_the_batch(tmp_path, capfd):
    _make_hostile_folder(tmp_path / "pdfs")
    summary = run(IngestConfig(data_dir=str(tmp_path), workers=2))
    report = json.loads((tmp_path / "processed" / "ingest_report.json").read_text())
    by_file = {f["file"]: f for f in report["files"]}
    expected = {
        "not_a_pdf.pdf": "not-a-pdf",
        "truncated.pdf": "truncated",
        "zero_bytes.pdf": "empty",
        "no_pages.pdf": "empty",
        "encrypted.pdf": "encrypted",
        "scanned.pdf": "image-only",
    }
    for name, category in expected.items():
        assert by_file[name]["status"] == "failed", by_file[name]
        assert by_file[name]["reason"].startswith(category + ":"), by_file[name]
        assert by_file[name]["records"] == 0
    assert by_file["ICH_good.pdf"]["status"] == "ok" and by_file["ICH_good.pdf"]["records"] > 5
    assert summary["files"] == 7 and summary["ok"] == 1
    assert summary["failed"] == {"empty": 2, "encrypted": 1, "image-only": 1, "not-a-pdf": 1, "truncated": 1}
    records = _read_jsonl(tmp_path / "processed" / "pdf_regulatory_qa.jsonl")
    assert {r["lineage"]["file"] for r in records} == {"ICH_good.pdf"}
    err = capfd.readouterr().err
    assert "[imi ingest] files=7 ok=1 failed={empty=2, encrypted=1, image-only=1, not-a-pdf=1, truncated=1}" in err
    assert "scanned.pdf: image-only" in err


# ---- isolation: time, memory, crashes ------------------------------------------------------

def misbehave(kind: str):
    """Run inside a pool worker (spawned processes import this test module by name)."""
    if kind == "sleep":
        time.sleep(60)
    elif kind == "hog":
        blocks = []
        while True:  # stopped by the worker's address-space cap
            blocks.append(bytes(64 * 1024 * 1024))
    elif kind == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif kind == "raise":
        raise ValueError("bad input")
    return f"fine:{os.getpid()}"


def test_isolated_pool_bounds_time_memory_and_crashes():
    pool = IsolatedPool(misbehave, workers=2, timeout_s=2.0, max_memory_mb=1024)
    kinds = ["sleep", "ok", "hog", "ok", "segfault", "raise", "ok"]
    outcomes = {o.key: o for o in pool.map_unordered([(i, (k,)) for i, k in enumerate(kinds)])}
    assert sorted(outcomes) == list(range(len(kinds)))
    reasons = {kinds[k]: o.reason for k, o in outcomes.items() if not o.ok}
    assert reasons["sleep"].startswith("timeout:")
    assert reasons["hog"].startswith("memory:")
    assert reasons["segfault"].startswith("crashed:") and "SIGSEGV" in reasons["segfault"]
    assert reasons["raise"] == "error: ValueError: bad input"
    assert [o.value.startswith("fine:") for k, o in outcomes.items() if kinds[k] == "ok"] == [True] * 3
    assert pool.restarts >= 2  # the killed, crashed and recycled workers were replaced


# ---- S3 and CLI ----------------------------------------------------------------------------------

def test_ingest_from_and_to_s3(s3_env):
    for pdf in sorted(BUNDLED.glob("*.pdf"))[:2]:
        storage.write_bytes(storage.join(s3_env, "inbox", "regulatory", pdf.name), pdf.read_bytes())
    data = storage.join(s3_env, "run1")
    summary = run(IngestConfig(data_dir=data, pdf_dir=storage.join(s3_env, "inbox", "regulatory"), workers=1))
    assert summary["ok"] == 2 and summary["records"] > 10
    processed = storage.join(data, "processed")
    assert storage.is_complete(processed)
    lines = storage.read_text(storage.join(processed, "pdf_regulatory_qa.jsonl")).splitlines()
    assert len(lines) == summary["records"]
    report = json.loads(storage.read_text(storage.join(processed, "ingest_report.json")))
    assert [f["file"] for f in report["files"]] == [p.name for p in sorted(BUNDLED.glob("*.pdf"))[:2]]


def test_cli_help_and_user_errors(tmp_path):
    imi = [sys.executable, "-m", "imi_lib.cli"]
    out = subprocess.run(imi + ["ingest", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    for flag in ("--data-dir", "--pdf-dir", "--out-dir", "--workers", "--per-file-timeout-s",
                 "--per-file-max-memory-mb", "--max-pages", "--min-section-chars"):
        assert flag in out.stdout
    bad = subprocess.run(imi + ["ingest", "--pdf-dir", str(tmp_path / "missing")], capture_output=True, text=True,
                         timeout=60)
    assert bad.returncode == 2 and "pdf_dir" in bad.stderr and "Traceback" not in bad.stderr


def test_no_pdfs_is_an_empty_result_not_an_error(tmp_path):
    summary = run(IngestConfig(data_dir=str(tmp_path)))
    assert summary["files"] == 0 and summary["records"] == 0
    assert (tmp_path / "processed" / "pdf_regulatory_qa.jsonl").read_text() == ""


def test_contact_blocks_are_boilerplate_and_reference_lists_are_not():
    from imi_lib.data.pdf_text import boilerplate_reason

    contacts = ("Division of Drug Information, HFD-240\nCenter for Drug Evaluation and Research (CDER)\n"
                "(Tel) 301-827-4573\nhttp://www.fda.gov/cder/guidance/index.htm\nor\n"
                "Office of Communication, Training and Manufacturers Assistance, HFM-40\n"
                "Center for Biologics Evaluation and Research (CBER)\nhttp://www.fda.gov/cber/guidelines.htm")
    references = ("1. Glossary of Computerized System and Software Development Terminology (August 1995)\n"
                  "http://www.fda.gov/ora/inspect_ref/igs/gloss.html\n"
                  "2. General Principles of Software Validation; Final Guidance for Industry and FDA Staff\n"
                  "http://www.fda.gov/cdrh/comp/guidance/938.html\n"
                  "3. Guidance for Industry: 21 CFR Part 11; Electronic Records; Electronic Signatures\n"
                  "http://www.fda.gov/cder/guidance/5667fnl.htm")
    assert boilerplate_reason("Scope and Application", contacts) == "contacts"
    assert boilerplate_reason("Food and Drug Administration References", references) is None
    assert boilerplate_reason("Q9 Document History", "Q9 Approval by the Steering Committee") == "front matter"
    assert boilerplate_reason("Q9 Risk Review", "Risk management should be an ongoing part") is None


def test_heading_number_set_lower_than_its_words_and_wrapped_contents_entries(tmp_path):
    """'I.' a point lower than 'INTRODUCTION' still heads the section; a contents entry wrapped over two
    lines (its leader on the second) leaves nothing of itself behind."""
    import pymupdf

    body = ("This guidance describes approaches to developing and understanding the manufacturing process of "
            "the drug substance, and what information should be provided in the submission. ") * 2
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((250, 60), "TABLE OF CONTENTS", fontsize=12, fontname="hebo")
    y = 90
    for n, (first, second) in enumerate([("DESCRIPTION OF MANUFACTURING PROCESS AND", "PROCESS CONTROLS"),
                                         ("SELECTION OF STARTING MATERIALS AND SOURCE", "MATERIALS"),
                                         ("CONTROL STRATEGY FOR THE DRUG", "SUBSTANCE"),
                                         ("PROCESS VALIDATION AND EVALUATION OF THE", "MANUFACTURING PROCESS"),
                                         ("SUBMISSION OF MANUFACTURING PROCESS", "DEVELOPMENT INFORMATION")], 1):
        page.insert_text((72, y), f"{'I' * n}.", fontsize=12, fontname="hebo")
        page.insert_text((108, y), first, fontsize=12, fontname="hebo")
        page.insert_text((108, y + 14), second + " " + "." * 60 + f" {n + 2}", fontsize=12, fontname="hebo")
        y += 40
    page = doc.new_page(width=612, height=792)
    page.insert_text((250, 72), "Guidance for Industry", fontsize=16, fontname="hebo")
    page.insert_textbox(pymupdf.Rect(72, 100, 540, 200), body, fontsize=11)
    page.insert_text((72, 252), "I.", fontsize=12, fontname="hebo")  # a point lower than its words
    page.insert_text((108, 250), "INTRODUCTION", fontsize=12, fontname="hebo")
    page.insert_textbox(pymupdf.Rect(72, 270, 540, 500), body, fontsize=11)
    doc.save(tmp_path / "q.pdf")
    doc.close()
    r = extract_pdf(str(tmp_path / "q.pdf"), ExtractOptions(min_section_chars=50))
    assert [s.heading for s in r.sections] == ["Guidance for Industry", "I. INTRODUCTION"]
    assert "developing and understanding the manufacturing process" in _squash(r.sections[1].text)
    assert r.toc_lines_removed >= 10  # the entries' first lines and numbers too


def test_a_caption_is_its_own_paragraph(tmp_path):
    """'Table 5a. ...' set close under a paragraph neither joins it nor swallows the paragraph after it."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 80), "1. Scope", fontsize=13, fontname="hebo")
    y = 100
    for text in ["Purified water is sampled at every point of use and the results are trended over time by the",
                 "quality unit, which reviews them monthly and after every deviation from the alert levels",
                 "Table 5a. Microbial limits for purified water at the points of use",
                 "The limits below apply to water used in the final rinse of product contact equipment and are",
                 "checked at each sampling."]:
        page.insert_text((72, y), text, fontsize=11)
        y += 13
    doc.save(tmp_path / "cap.pdf")
    doc.close()
    r = extract_pdf(str(tmp_path / "cap.pdf"), ExtractOptions(min_section_chars=20))
    assert r.sections[0].text.split("\n") == [
        "Purified water is sampled at every point of use and the results are trended over time by the quality "
        "unit, which reviews them monthly and after every deviation from the alert levels",
        "Table 5a. Microbial limits for purified water at the points of use",
        "The limits below apply to water used in the final rinse of product contact equipment and are checked at "
        "each sampling."]
