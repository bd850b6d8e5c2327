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

from imi_lib.data import ingest, pdf_text

PDFS = Path(__file__).parent / "real" / "pdfs"
ANDA = "ANDA_Submissions_Guidance_102360.pdf"
TPP = "Target_Product_Profile_A_72566.pdf"
PART11 = "21CFR-Part-11.pdf"
EXCIPIENTS = "2002d-0389-gdl0002.pdf"
Q9 = "Q9_Guideline.pdf"
FR = "federal-register-2020-17221-p1-3.pdf"
ANNEX11 = "annex_11.pdf"
MFDS = "MFDS_GuidelineOnQuality_EV-excerpt.pdf"
EU_REG = "eu-reg-2025-2091-excerpt.pdf"
EU_PART2 = "eu-gmp-part-ii-excerpt.pdf"
GAZETTE = "gazette-of-india-2019-01-11-excerpt.pdf"
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
    # Q9's document history table is front matter, and so are its step statement and step history
    assert files[Q9]["boilerplate_sections"].get("front matter") >= 2
    assert not [r for r in records if r["lineage"]["section"].endswith("Document History")]
    assert not [r for r in records if re.search(r"Step 4|Expert Working Group|Steering Committee",
                                                r["lineage"]["section"] + r["output"][:300])]


def test_the_disclaimer_box_of_fda_guidances_is_no_record(ingested):
    # "This guidance represents the current thinking of FDA ... It does not create or confer any rights for or on
    # any person": the same box in every guidance, about the document, not what it requires
    records, files = ingested
    for name in (ANDA, TPP, PART11, EXCIPIENTS):
        assert files[name]["boilerplate_sections"].get("front matter", 0) >= 1, name
        assert not [r for r in records if r["lineage"]["file"] == name
                    and re.search(r"does not (?:create or confer|establish) any rights", r["output"])], name


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


def test_gutter_check_finds_the_gutter_when_the_filter_is_off(monkeypatch):
    """The gutter-chain check above is not vacuous: without the line-number filter it finds the chain."""
    monkeypatch.setattr(pdf_text, "strip_line_numbers", lambda lines, after=None: (lines, 0, after))
    extraction = pdf_text.extract_pdf(str(PDFS / ANDA))
    assert _gutter_chain("\n".join(s.text for s in extraction.sections))


def _paragraph_starts(records, file: str) -> list[str]:
    return [p for r in records if r["lineage"]["file"] == file for p in r["output"].split("\n") if p]


def test_three_column_federal_register_notice_reads_column_by_column(ingested):
    records, files = ingested
    f = files[FR]
    assert f["multi_column_pages"] == 3  # three columns 6.5 pt apart on every page
    text = _text(records, FR)
    assert _in_order(text, [
        # a dash kept across a line break ("737–" / "9")
        "The FAA proposes to supersede Airworthiness Directive (AD) 2018–23–51, which applies to all The Boeing "
        "Company Model 737–8 and 737–9 (737 MAX) airplanes.",
        # across a page break, with a name hyphenated at the line end
        "On October 29, 2018, a Boeing Model 737–8 airplane operated by Lion Air (Lion Air Flight 610) was involved "
        "in an accident after takeoff from Soekarno-Hatta International Airport in Jakarta, Indonesia, resulting in "
        "189 fatalities.",
        # from the foot of the first column, past four footnotes, to the top of the second
        "These effects include stall warning activation, airspeed disagree alert, and altitude disagree alert,5 and "
        "may affect the flightcrew’s ability to accomplish continued safe flight and landing.",
        # from the last column of page 2, past its footnotes, to page 3
        "In addition to these four design changes, the FAA also proposes to require operators to conduct an AOA "
        "sensor system test and perform an operational readiness flight prior to returning each airplane to service.",
        # an indented first line is not a paragraph of its own
        "To ensure that MCAS will not command repeated movements of the horizontal stabilizer, the revised flight "
        "control laws would permit only one activation of MCAS per sensed high AOA event.",
    ])
    assert "(http://knkt.dephub.go.id/knkt/ntsc_aviation/baru/" in text  # an address broken after a slash
    # the footnotes follow the text they interrupted, one paragraph each
    paragraphs = _paragraph_starts(records, FR)
    note = next(i for i, p in enumerate(paragraphs) if p.startswith("7 Ethiopian Aircraft Accident Investigation"))
    body = next(i for i, p in enumerate(paragraphs) if p.startswith("In addition to these four design changes"))
    assert note > body
    # the page stamp in the margin, the running head and the first page's masthead, the section's
    # standing preamble, how to comment and whom to call are not training text
    for r in records:
        if r["lineage"]["file"] != FR:
            continue
        for noise in ("VerDate", "Jkt 250001", "Sfmt", "Federal Register / Vol", "Vol. 85, No. 152",
                      "This section of the FEDERAL REGISTER", "Fax: 202–493–2251", "206–231–3500",
                      "The FAA invites you to participate"):
            assert noise not in r["output"], noise


def test_federal_register_notice_is_named_by_its_title_not_its_file(ingested):
    records, files = ingested
    f = files[FR]
    assert f["title"] == "Airworthiness Directives; The Boeing Company Airplanes"  # the bold lines above AGENCY:
    assert f["short_name"] == "Federal Register proposed rule 'Airworthiness Directives; The Boeing Company Airplanes'"
    assert f["family"] == "other"  # an FAA rule citing 14 CFR is not an FDA document
    assert f["boilerplate_sections"]["front matter"] >= 4  # preamble, ADDRESSES, contact, comments invited
    recs = [r for r in records if r["lineage"]["file"] == FR]
    # the run-in labels head their own sections ("SUMMARY: The FAA proposes ...")
    summary = [r for r in recs if r["lineage"]["section"] == "SUMMARY"]
    assert summary and summary[0]["output"].startswith("The FAA proposes to supersede")
    assert all(f["short_name"] in r["instruction"] and len(r["instruction"]) <= 220 for r in recs)
    assert not [r for r in recs if r["lineage"]["section"] in ("ADDRESSES", "FOR FURTHER INFORMATION CONTACT")]


def test_eu_gmp_annex_11_as_published(ingested):
    records, files = ingested
    f = files[ANNEX11]
    assert f["family"] == "ema" and f["short_name"] == "EU GMP Annex 11"
    assert f["title"] == "Annex 11: Computerised Systems"  # its PDF metadata title is "Annex 11 Final 0910"
    recs = [r for r in records if r["lineage"]["file"] == ANNEX11]
    assert all("EU GMP Annex 11" in r["instruction"] and "0910" not in r["instruction"] for r in recs)
    assert _in_order(_text(records, ANNEX11), [
        "This annex applies to all forms of computerised systems used as part of a GMP regulated activities.",
        "Risk management should be applied throughout the lifecycle of the computerised system taking into "
        "account patient safety, data integrity and product quality.",
        "Consideration should be given, based on a risk assessment, to building into the system the creation of a "
        "record of all GMP-relevant changes and deletions (a system generated \"audit trail\").",
        "Data may be archived. This data should be checked for accessibility, readability and integrity.",
    ])
    headings = [r["lineage"]["section"] for r in recs]
    numbered = [h for h in headings if re.match(r"\d+\. ", h)]
    assert numbered == [f"{n}. {t}" for n, t in enumerate([
        "Risk Management", "Personnel", "Suppliers and Service Providers", "Validation", "Data", "Accuracy Checks",
        "Data Storage", "Printouts", "Audit Trails", "Change and Configuration Management", "Periodic evaluation",
        "Security", "Incident Management", "Electronic Signature", "Batch release", "Business Continuity",
        "Archiving"], 1)]
    # a numbered clause set right under the one before starts its own paragraph
    paragraphs = _paragraph_starts(records, ANNEX11)
    assert any(p.startswith("4.2 Validation documentation should include") for p in paragraphs)
    assert any(p.startswith("8.2 For records supporting batch release") for p in paragraphs)
    # each glossary entry (a term in bold, a colon) is a paragraph of its own
    for term in ("Application: Software installed", "Bespoke/Customized computerised system: A computerised",
                 "IT Infrastructure: The hardware", "Life cycle: All phases"):
        assert any(p.startswith(term) for p in paragraphs), term


def test_national_regulator_guideline_in_english(ingested):
    """MFDS (Korea) guideline, English version: wide leading, middle-dot contents, "- 1 -" page numbers,
    a disclaimer page ending in phone and fax numbers, a document history table and a colophon."""
    records, files = ingested
    f = files[MFDS]
    assert f["title"] == ("Guideline on Quality, Non-clinical and Clinical Assessment of Extracellular Vesicles "
                          "Therapy Products")  # not "(Guidance for Industry) September, 2024 Cell and Gene ..."
    assert f["toc_lines_removed"] >= 10
    assert f["boilerplate_sections"].get("front matter", 0) >= 3
    recs = [r for r in records if r["lineage"]["file"] == MFDS]
    assert [r["lineage"]["section"] for r in recs][:2] == ["1. Scope", "2. Applicable Regulations"]
    for r in recs:
        for noise in ("+82-43-719", "Guidance-0917", "Publisher", "·····", "- 1 -", "Document History"):
            assert noise not in r["output"] + r["instruction"], noise
        assert "...." not in r["instruction"] and len(r["instruction"]) <= 220
    # lines set 160% apart are one paragraph until a sentence ends: no paragraph stops mid-sentence (but the
    # last, where the excerpt was cut)
    paragraphs = [p for p in _paragraph_starts(records, MFDS) if not p.startswith("|")]
    assert len(paragraphs) >= 15
    for p in paragraphs[:-1]:
        assert p.rstrip()[-1] in ".;:)", p
    assert _in_order(_text(records, MFDS), [
        "The purpose of this guideline is to provide considerations for the development of therapy products using "
        "extracellular vesicles (EVs) that are secreted by cells or transgenic cells into which foreign genetic "
        "material is introduced.",
        "Therefore, they are regulated as a type of biological products specified by the Minister of Food and Drug "
        "Safety.",
    ])


def test_official_journal_regulation_keeps_its_numbered_points_and_articles(ingested):
    """An EU implementing regulation as the Official Journal prints it: recitals and definitions numbered
    "(6)" in a hanging column (the label opening a page repeats there like a running head), "Article 2" on a
    line of its own over its bold name, footnotes marked "(1)" in type 1 pt smaller than the body."""
    records, files = ingested
    f = files[EU_REG]
    assert f["family"] == "ema"
    assert f["short_name"] == "Commission Implementing Regulation (EU) 2025/2091"
    recs = [r for r in records if r["lineage"]["file"] == EU_REG]
    assert all(f["short_name"] in r["instruction"] and len(r["instruction"]) <= 220 for r in recs)
    text = _text(records, EU_REG)
    assert _in_order(text, [
        "(5) The manufacture of herbal veterinary medicinal products,",
        # the first line of page 2: its label stays with it
        "(6) The manufacture of homeopathic veterinary medicinal products subject to a registration procedure "
        "pursuant to Article 86(1) of Regulation (EU) 2019/6 is to comply with good manufacturing practice.",
        "(16) Through process validation, the manufacturers should ensure",
        "(28) The measures provided for in this Regulation are in accordance with the opinion of the Standing "
        "Committee on Veterinary Medicinal Products,",
        "1. This Regulation lays down the requirements for good manufacturing practice for veterinary medicinal "
        "products.",
        # the last line of page 4 and the first of page 5
        "(3) ‘manufacturing site’ means a site that is engaged in any of the activities for which a manufacturing "
        "authorisation is required in accordance with Article 88(1) of Regulation (EU) 2019/6;",
        "(4) ‘batch’ means a defined quantity of materials or product",
        "This Regulation shall enter into force on the twentieth day following that of its publication in the "
        "Official Journal of the European Union.",
    ])
    sections = [r["lineage"]["section"] for r in recs]
    for heading in ("Article 1 Subject matter and scope", "Article 2 Definitions",
                    "Article 46 Entry into force and application"):
        assert heading in sections, sections
    assert not [s for s in sections if s.startswith("(")]  # not "(Text with EEA relevance)"
    # the preamble sits under the title set bold at body size: it is the act's opening, in three parts
    opening = [r["instruction"] for r in recs if r["lineage"]["section"] == ""]
    assert len(opening) == 3 and all("opening part" in i and f"(part {k} of 3)" in i
                                      for k, i in enumerate(opening, 1)), opening
    assert not [r for r in recs if re.search(r"\bArticle \d+$", r["output"].rstrip())]
    # the footnotes follow the recitals they interrupted, one paragraph each
    paragraphs = _paragraph_starts(records, EU_REG)
    note = next(i for i, p in enumerate(paragraphs) if p.startswith("(1) OJ L 4, 7.1.2019, p. 43"))
    assert note > next(i for i, p in enumerate(paragraphs) if p.startswith("(6) The manufacture of homeopathic"))
    for r in recs:  # the running head and foot, the page numbers
        for noise in ("L series", "OJ L, 27.10.2025", "/134", "reg_impl/2025/2091"):
            assert noise not in r["output"], noise


def test_eu_gmp_part_ii_without_its_contents_list_and_letterhead(ingested):
    """EudraLex Volume 4 Part II: a letterhead foot (address and telephone) on the first pages only, a status
    block on the cover, three pages of contents without dot leaders or page numbers."""
    records, files = ingested
    f = files[EU_PART2]
    assert f["family"] == "ema" and f["short_name"] == "EU GMP Part II"
    assert f["toc_lines_removed"] >= 50
    assert f["boilerplate_sections"].get("front matter", 0) >= 1  # "Status of the document: Revision." ...
    recs = [r for r in records if r["lineage"]["file"] == EU_PART2]
    assert all("EU GMP Part II" in r["instruction"] for r in recs)
    assert [r["lineage"]["section"] for r in recs][:3] == ["1 Introduction", "1.1 Objective", "1.2 Scope"]
    for r in recs:
        for noise in ("B-1049", "Telephone", "Master Production Instructions", "Status of the document",
                      "Reasons for changes"):
            assert noise not in r["output"], noise
    assert _in_order(_text(records, EU_PART2), [
        "This guideline was published in November 2000 as Annex 18 to the GMP Guide reflecting the EU’s agreement "
        "to ICH Q7A and has been used by manufacturers and GMP inspectorates on a voluntary basis.",
        "These guidelines are intended to provide guidance regarding Good Manufacturing Practice (GMP) for the "
        "manufacture of active substances under an appropriate system for managing quality.",
        "These guidelines apply to the manufacture of active substances for medicinal products for both human and "
        "veterinary use.",
        "These guidelines exclude, whole blood and plasma, as Directive 2002/98/EC and the technical requirements "
        "supporting that directive lay down the detailed requirements for the collection and testing of blood, "
        "however, it does include active substances that are produced using blood or plasma as raw materials.",
    ])


def test_bilingual_gazette_keeps_the_english_notifications_once(ingested):
    """The Gazette of India, bilingual: each notification in Hindi, then in English. The Hindi masthead is set
    in a legacy font that draws Devanagari at ASCII code points ("Hkkjr dk jkti=k"), the Unicode Hindi comes
    out with broken conjuncts, and headings are overprinted four times 0.3 pt apart (a fake bold)."""
    records, files = ingested
    recs = [r for r in records if r["lineage"]["file"] == GAZETTE]
    assert len(recs) >= 2 and files[GAZETTE]["other_script_lines_removed"] > 50
    # the masthead's emblem and lettering are 400 drawn curves: artwork, where the table finder is not run
    assert files[GAZETTE]["table_finder_pages"] == 0
    text = _text(records, GAZETTE)
    for r in recs:
        assert not re.search(r"[\u0900-\u097f]", r["output"] + r["instruction"])  # no Devanagari
        for mojibake in ("Hkkjr", "vlk/kj.k", "fnYyh", "jftLV", "izkf/dkj", "[k.M"):
            assert mojibake not in r["output"] + r["instruction"], mojibake
    # each notification is headed "NOTIFICATION": the page tells their questions apart
    assert len({r["instruction"] for r in recs}) == len(recs)
    assert {r["lineage"]["section"] for r in recs} == {"NOTIFICATION"}
    assert any("'NOTIFICATION, page 2'" in r["instruction"] for r in recs)
    assert all(r["output"].rstrip().endswith("(Pt.-III)]") for r in recs if "DFQC" in r["output"])  # no "3(ii)"
    for once in ("S.O. 180(E).\u2014Whereas", "S.O. 181(E).\u2014Whereas", "MINISTRY OF HEALTH AND FAMILY WELFARE"):
        assert text.count(once) <= 1, once
    assert _in_order(text, [
        "S.O. 180(E).\u2014Whereas, directions were issued to all States and Union Territories Drugs Controllers "
        "under section 33P of the Drugs and Cosmetics Act, 1940 (23 of 1940)",
        "\u201cFixed dose combination of 5-bromosalicyl-4-chloranilide + Salicylic acid for human use\u201d.",
        "S.O. 181(E).\u2014Whereas, directions were issued",
        "\u201cFixed dose combination of Activated charcoal + Fungal diastase + Lactic acid for human use\u201d.",
    ])

