"""`imi ingest` on parts of the EU GMP guide (EudraLex Volume 4) as published (tests/real/pdfs; SOURCES.md).

Their PDF metadata is stale or empty ("GMP Guide Chapter 1 Q10 implementation
final", "Brussels, 16 July 2009", "Draft Annex 15 - V12 200115 - for PICS and EC
adoption"), their covers cite ICH guidelines in the reasons for a revision, one
carries a stale line of another chapter above its title ("PT CHAPTER 5
PRODUCTION"), a newer one opens with a European Commission cover ("EN" in large
type) and names itself on page 2. Every part must be named by its cover, as
"EU GMP Annex 15" / "EU GMP Chapter 3" in every instruction; the legal basis,
status, reasons for changes and document history on the cover are no records;
numbered clauses whose lines hang indented read as one paragraph.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from imi_lib.data import ingest

PDFS = Path(__file__).parent / "real" / "pdfs"
PARTS = {
    # file: (title, short name)
    "annex_8.pdf": ("ANNEX 8: SAMPLING OF STARTING AND PACKAGING MATERIALS", "EU GMP Annex 8"),
    "annex_6.pdf": ("Annex 6: Manufacture of Medicinal Gases", "EU GMP Annex 6"),
    "annex_15.pdf": ("Annex 15: Qualification and Validation", "EU GMP Annex 15"),
    "annex_21-p1-3.pdf": ("Annex 21: Importation of medicinal products", "EU GMP Annex 21"),
    "chapter_1.pdf": ("Chapter 1: Pharmaceutical Quality System", "EU GMP Chapter 1"),
    "chapter_3.pdf": ("Chapter 3: Premises and Equipment", "EU GMP Chapter 3"),
}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    out = tmp_path_factory.mktemp("eu-gmp")
    pdfs = out / "pdfs"
    pdfs.mkdir()
    for name in PARTS:
        (pdfs / name).write_bytes((PDFS / name).read_bytes())
    ingest.run(ingest.IngestConfig(data_dir=str(out), pdf_dir=str(pdfs), out_dir=str(out / "processed"), workers=1))
    records = [json.loads(line) for line in (out / "processed" / "pdf_regulatory_qa.jsonl").open(encoding="utf-8")]
    report = json.loads((out / "processed" / "ingest_report.json").read_text(encoding="utf-8"))
    return records, {f["file"]: f for f in report["files"]}


def _of(records, name):
    return [r for r in records if r["lineage"]["file"] == name]


def test_each_part_is_named_by_its_cover_not_its_metadata(ingested):
    records, files = ingested
    for name, (title, short) in PARTS.items():
        f = files[name]
        assert (f["family"], f["title"], f["short_name"]) == ("ema", title, short), name
        mine = _of(records, name)
        assert mine, name
        for r in mine:
            assert short in r["instruction"], r["instruction"]
            assert r["source"] == "pdf_ema"
    # what the metadata or a stale line said instead never reaches an instruction
    assert not [r for r in records if re.search(r"\bICH Q\d|Q10 implementation|PT CHAPTER|Brussels|\bEN EN\b",
                                                r["instruction"])]


def test_an_ich_guideline_cited_on_the_cover_does_not_make_the_part_ichs(ingested):
    # chapter 1's cover: "In view of the ICH Q10 guideline ..."; its metadata title: "... Q10 implementation final"
    _records, files = ingested
    assert files["chapter_1.pdf"]["family"] == "ema"
    assert "EudraLex" in files["chapter_1.pdf"]["family_evidence"]
    assert files["annex_15.pdf"]["family"] == "ema"


def test_the_cover_status_block_and_document_history_are_no_records(ingested):
    records, files = ingested
    for name in PARTS:
        if name != "annex_8.pdf":  # the old guide's annexes have no cover of their own
            assert files[name]["boilerplate_sections"].get("front matter", 0) >= 1, name
    for r in records:
        head = r["output"][:200]
        assert not re.search(r"Legal (?:basis|context) for publishing|Status of the document|Reasons for changes"
                             r"|(?:Deadline|Date) for coming into operation|Document History", head), head
        assert r["lineage"]["section"] not in {t for t, _s in PARTS.values()}


def test_known_sentences_come_out_whole_and_in_order(ingested):
    records, _files = ingested

    def text(name):
        return " ".join(" ".join(r["output"].split()) for r in _of(records, name))

    def in_order(t, sentences):
        pos = 0
        for s in sentences:
            pos = t.find(s, pos)
            if pos < 0:
                return False
        return True

    assert in_order(text("chapter_3.pdf"), [
        "Premises and equipment must be located, designed, constructed, adapted and maintained to suit the "
        "operations to be carried out.",
        "3.1 Premises should be situated in an environment which, when considered together with measures to protect "
        "the manufacture, presents minimal risk of causing contamination of materials or products.",
    ])
    assert in_order(text("annex_8.pdf"), [
        "Correct sampling is thus an essential part of a system of Quality Assurance.",
        "1. Personnel who take samples should receive initial and on-going regular training in the disciplines "
        "relevant to correct sampling.",
    ])


def test_a_numbered_clause_with_hanging_lines_is_one_paragraph(ingested):
    # "2.1. For the purpose of this annex, the term importation refers to the action of" / (indented under the
    # text, not the number) "physically bringing a medicinal product, ..."
    records, _files = ingested
    paragraphs = [p for r in _of(records, "annex_21-p1-3.pdf") for p in r["output"].split("\n")]
    assert any(p.startswith("2.1. For the purpose of this annex, the term importation refers to the action of "
                            "physically bringing a medicinal product, from outside the territory of EEA/EU; fiscal "
                            "transactions are not part of this annex.") for p in paragraphs), paragraphs[:5]
    # the list under it still has one item a line
    assert "a) Site of Physical Importation." in paragraphs
