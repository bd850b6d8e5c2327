"""`imi ingest` on real regulatory PDFs, as published (tests/real/pdfs, origins and licences in tests/real/SOURCES.md).

Four FDA guidances (two of them line-numbered drafts with running heads, one
with a landscape table page, one whose verso is a contact block) and ICH Q9,
whose PDF metadata still says "ICH E10". Known sentences must come out whole
and in order, without gutter numbers, running heads, contents lines or
contact blocks, and every record must name its document correctly and briefly.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from imi_lib.data import ingest

PDFS = Path(__file__).parent / "real" / "pdfs"
ANDA = "ANDA_Submissions_Guidance_102360.pdf"
TPP = "Target_Product_Profile_A_72566.pdf"
PART11 = "21CFR-Part-11.pdf"
EXCIPIENTS = "2002d-0389-gdl0002.pdf"
Q9 = "Q9_Guideline.pdf"
FR = "federal-register-2020-17221-p1-3.pdf"
ANNEX11 = "annex_11.pdf"
MFDS = "MFDS_GuidelineOnQuality_EV-excerpt.pdf"
FDA_ICH = (ANDA, TPP, PART11, EXCIPIENTS, Q9)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    out = tmp_path_factory.mktemp("real-pdfs")
    ingest.run(ingest.IngestConfig(data_dir=str(out), pdf_dir=str(PDFS), out_dir=str(out / "processed"),
                                   workers=1))
    records = [json.loads(line) for line in (out / "processed" / "pdf_regulatory_qa.jsonl").open(encoding="utf-8")]
    report = json.loads((out / "processed" / "ingest_report.json").read_text(encoding="utf-8"))
    return records, {f["file"]: f for f in report["files"]}


def _text(records, file: str) -> str:
    """The document's record outputs in order, whitespace collapsed."""
    return " ".join(" ".join(r["output"].split()) for r in records if r["lineage"]["file"] == file)


def _paragraphs(records, file: str) -> str:
    """The document's record outputs in order, one paragraph a line."""
    return "\n".join(r["output"] for r in records if r["lineage"]["file"] == file)


def _gutter_chain(text: str) -> str | None:
    """Gutter numbers left in the text: bare numbers counting up by one, a line's worth of words apart
    ("4 5 6 7 This draft guidance ... 8 Administration ... 9"). A number that opens a paragraph is a
    footnote's (footnotes follow their section's text, one paragraph each), not a gutter's."""
    words, starts = [], set()
    for paragraph in text.split("\n"):
        starts.add(len(words))
        words.extend(paragraph.split())
    numbers = [(i, int(w)) for i, w in enumerate(words) if re.fullmatch(r"\d{1,4}", w) and i not in starts]
    for k in range(len(numbers) - 3):
        chain = numbers[k:k + 4]
        if all(b[1] == a[1] + 1 and b[0] - a[0] <= 25 for a, b in zip(chain, chain[1:])):
            return " ".join(words[chain[0][0]:chain[-1][0] + 1])
    return None


def _in_order(text: str, sentences: list[str]) -> bool:
    pos = 0
    for s in sentences:
        pos = text.find(s, pos)
        if pos < 0:
            return False
        pos += len(s)
    return True


def test_every_real_pdf_is_read(ingested):
    _records, files = ingested
    assert sorted(files) == sorted(p.name for p in PDFS.glob("*.pdf"))
    assert all(f["status"] == "ok" for f in files.values()), {k: f.get("reason") for k, f in files.items()}


def test_line_numbered_drafts_lose_their_gutters_and_running_heads(ingested):
    records, files = ingested
    for name in (ANDA, TPP):
        assert files[name]["line_numbers_removed"] > 300  # every line of the body was numbered
        text = _text(records, name)
        assert not _gutter_chain(_paragraphs(records, name))
        assert "Contains Nonbinding Recommendations" not in text
        assert "Not for Implementation" not in text
    # the landscape table page numbers only its title line: that number goes too
    table = [r["output"] for r in records if r["lineage"]["file"] == ANDA and r["output"].lstrip().startswith("|")]
    assert table and all(not re.match(r"\s*\d+\s", t) for t in table)


def test_known_sentences_come_out_whole_and_in_order(ingested):
    records, _files = ingested
    assert _in_order(_text(records, ANDA), [
        "This draft guidance, when finalized, will represent the current thinking of the Food and Drug "
        "Administration (FDA or Agency) on this topic.",
        "This guidance is intended to provide information to potential applicants on how to identify a reference "
        "listed drug (RLD), reference standard, and the basis of submission in an abbreviated new drug "
        "application (ANDA) submission.",
        "The process for obtaining approval to market an innovator drug approved under a new drug application "
        "(NDA) differs from that for obtaining approval to market a generic drug under an ANDA.",
    ])
    assert _in_order(_text(records, TPP), [
        "The purpose of this guidance is to provide sponsors and the review staff in the Center for Drug "
        "Evaluation and Research (CDER) at the Food and Drug Administration (FDA) with information regarding "
        "target product profiles (TPPs).",
        "In 1997, a Clinical Development Working Group composed of representatives from the FDA and "
        "pharmaceutical sponsors began discussions on ways to improve sponsor and FDA interactions in the drug "
        "development process.",
    ])
    assert _in_order(_text(records, PART11), [
        "In March of 1997, FDA issued final part 11 regulations that provide criteria for acceptance by FDA, "
        "under certain circumstances, of electronic records, electronic signatures, and handwritten signatures "
        "executed to electronic records as equivalent to paper records and handwritten signatures executed on "
        "paper.",
        "Persons must still comply with all applicable predicate rule requirements for record retention and "
        "availability",
    ])
    assert _in_order(_text(records, EXCIPIENTS), [
        "This document provides guidance concerning development of safety profiles to support use of new "
        "excipients as components of drug or biological products.",
        "Acknowledging the need to develop new excipients, we have proposed a flexible approach",
    ])
    assert _in_order(_text(records, Q9), [
        "Risk management principles are effectively utilized in many areas of business and government including "
        "finance, insurance, occupational safety, public health, pharmacovigilance, and by agencies regulating "
        "these industries.",
        "This guideline provides principles and examples of tools for quality risk management that can be "
        "applied to different aspects of pharmaceutical quality.",
    ])


def test_contents_pages_contact_blocks_and_front_matter_are_not_records(ingested):
    records, files = ingested
    for name in FDA_ICH + (MFDS,):
        assert files[name]["toc_lines_removed"] > 0, name  # every one of them has a table of contents
    assert not [r for r in records if re.search(r"(?:\.\s?){4,}", r["output"] + r["instruction"])]
    # the verso of Part 11's title page lists where to get copies: offices, mail codes, phones
    assert files[PART11]["boilerplate_sections"].get("contacts") == 1
    assert not [r for r in records if "HFD-240" in r["output"] or "301-827-4573" in r["output"]]
    # Q9's document history table is front matter
    assert files[Q9]["boilerplate_sections"].get("front matter") == 1
    assert not [r for r in records if r["lineage"]["section"].endswith("Document History")]


def test_documents_are_named_by_their_visible_titles_and_briefly(ingested):
    records, files = ingested
    assert files[Q9]["short_name"] == "ICH Q9"  # its metadata title is "ICH E10"
    assert files[ANDA]["title"] == "Referencing Approved Drug Products in ANDA Submissions"
    assert files[TPP]["title"] == "Target Product Profile — A Strategic Development Process Tool"
    assert files[PART11]["title"] == "Part 11, Electronic Records; Electronic Signatures — Scope and Application"
    assert files[EXCIPIENTS]["title"] == "Nonclinical Studies for the Safety Evaluation of Pharmaceutical Excipients"
    assert all(files[name]["family"] == ("ich" if name == Q9 else "fda") for name in FDA_ICH)
    # footnotes, set smaller than the body, never head a section ("2 62 FR 13430")
    assert not [r for r in records if re.search(r"\bFR \d{4,}", r["lineage"]["section"])]
    for r in records:
        assert "E10" not in r["instruction"]
        assert len(r["instruction"]) <= 220, r["instruction"]
        short = files[r["lineage"]["file"]]["short_name"]
        assert short.split("'")[0].strip() in r["instruction"] or short in r["instruction"]


def test_tables_of_the_real_drafts_are_markdown(ingested):
    records, files = ingested
    assert files[TPP]["tables"] >= 10 and files[ANDA]["tables"] >= 1
    tables = [r["output"] for r in records if "| --- |" in r["output"]]
    assert tables
    for t in tables:
        rows = [ln for ln in t.split("\n") if ln.startswith("|")]
        header, rule = rows[0], rows[1]
        assert rule.count("|") == header.count("|")  # one separator cell per column
