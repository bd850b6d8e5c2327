"""Ingest on the layouts of real regulatory documents, with real public-domain text (tests/real/make_layout_pdfs.py).

Known sentences must come out whole and in order; line-number gutters,
running heads, tables of contents and comment/contact boilerplate must not
reach any record; titles and the names in instructions must be the visible,
correct ones.
"""

import re
import sys
from pathlib import Path

import pytest

from imi_lib.data import ingest
from imi_lib.data.pdf_text import extract_pdf

sys.path.insert(0, str(Path(__file__).parent / "real"))
import make_layout_pdfs as real  # noqa: E402


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    paths = real.build_all(tmp_path_factory.mktemp("real_layouts"))
    return {name: extract_pdf(str(p)) for name, p in paths.items()}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _records(extraction):
    return ingest.section_records(extraction)


def _in_order(text: str, sentences: list[str]) -> bool:
    flat = _flat(text)
    positions = [flat.find(_flat(s)) for s in sentences]
    return all(p >= 0 for p in positions) and positions == sorted(positions)


def test_fda_draft_reads_in_order_without_gutter_digits_or_running_heads(extracted):
    r = extracted["fda_draft_guidance.pdf"]
    assert r.status == "ok", r.reason
    text = "\n".join(s.text for s in r.sections)
    assert _in_order(text, [real.DISCLAIMER, real.NGS_1, real.NGS_2, real.CYBER_1, real.CYBER_2, real.GUDID,
                            real.CMS, real.CSA])
    assert r.line_numbers_removed >= 30
    # no line number survives inside the text or at the start of a heading ("16 I. INTRODUCTION")
    assert not re.search(r"(?:^|\s)\d{1,3}(?=\s+[A-Z][a-z])", text.replace("(CM&S)", ""))
    assert [s.heading for s in r.sections] == ["I. INTRODUCTION", "II. BACKGROUND", "III. SCOPE"]
    assert "Contains Nonbinding Recommendations" not in text
    assert "nonbinding expectation" in text  # the hyphenated word joined across the line break


def test_fda_draft_drops_contents_and_boilerplate(extracted):
    r = extracted["fda_draft_guidance.pdf"]
    assert r.toc_lines_removed == 4
    assert sum(r.boilerplate_sections.values()) >= 2  # the comment/contact cover page and "Additional copies"
    for rec in _records(r):
        assert "....." not in rec.instruction + rec.output
        assert "Additional copies" not in rec.output and "druginfo@fda.hhs.gov" not in rec.output
        assert "TABLE OF CONTENTS" not in rec.instruction


def test_fda_draft_visible_title_beats_stale_metadata(extracted):
    r = extracted["fda_draft_guidance.pdf"]
    assert r.title == "Submitting Next Generation Sequencing Data to the Division of Antiviral Products"
    assert r.short_name.startswith("FDA guidance 'Submitting Next Generation Sequencing Data")
    for rec in _records(r):
        assert "Guidance Template" not in rec.instruction and len(rec.instruction) <= 200


def test_three_column_notice_is_read_column_by_column(extracted):
    r = extracted["federal_register_notice.pdf"]
    assert r.columns_pages == 2
    text = "\n".join(s.text for s in r.sections)
    assert _in_order(text, [real.GUDID, real.CYBER_1, real.CYBER_2, real.CMS, real.CSA, real.NGS_1, real.NGS_2])
    assert "Federal Register / Vol" not in text
    assert r.title == "Medical Devices; Computer Software Assurance; Draft Guidance; Availability"
    assert r.short_name.startswith("Federal Register notice 'Medical Devices")


def test_ich_q9_is_named_ich_q9_not_its_stale_metadata(extracted):
    r = extracted["ICH_Q9_quality_risk_management.pdf"]
    assert r.family == "ich" and r.short_name == "ICH Q9(R1)"
    assert r.title == "Quality Risk Management Q9(R1)"
    recs = _records(r)
    assert recs and all("ICH Q9(R1)" in rec.instruction and "E10" not in rec.instruction for rec in recs)


def test_eu_gmp_annex_11_is_named_and_filed_as_ema(extracted):
    r = extracted["EU_GMP_annex11.pdf"]
    assert r.family == "ema" and r.short_name == "EU GMP Annex 11"
    assert "\ufeff" not in r.title and "Final 0910" not in r.title
    assert all("EU GMP Annex 11" in rec.instruction and "0910" not in rec.instruction for rec in _records(r))
