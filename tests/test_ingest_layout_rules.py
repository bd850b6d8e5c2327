"""Layout rules of `imi_lib.data.pdf_text` met on real documents (tests/real/pdfs), each on a page drawn
with PyMuPDF so that one rule is exercised alone: columns set close together, footnotes at the foot of a
column, bold run-in labels, and text set with wide line spacing."""

import textwrap

import pymupdf
import pytest

from imi_lib.data.pdf_text import ExtractOptions, extract_pdf

SENTENCES = [f"Planted sentence {n} says the cleaning validation protocol names its acceptance limits before "
             f"the first batch is made." for n in ("one", "two", "three", "four", "five", "six", "seven", "eight",
                                                    "nine")]


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_justified_columns_six_points_apart_are_read_column_by_column(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    columns = [SENTENCES[0:3], SENTENCES[3:6], SENTENCES[6:9]]
    for k, sentences in enumerate(columns):
        x0 = 40 + k * 186  # 180 pt wide, 6 pt apart
        rect = pymupdf.Rect(x0, 72, x0 + 180, 720)
        assert page.insert_textbox(rect, " ".join(sentences * 2), fontsize=9, fontname="tiro", align=3) > 0
    doc.save(tmp_path / "columns.pdf")
    r = extract_pdf(str(tmp_path / "columns.pdf"), ExtractOptions(min_section_chars=20))
    assert r.columns_pages == 1
    text = _flat("\n".join(s.text for s in r.sections))
    for sentences in columns:  # each column whole, the columns in order
        assert " ".join(sentences * 2) in text
    assert text.index(SENTENCES[0]) < text.index(SENTENCES[3]) < text.index(SENTENCES[6])


def test_footnote_at_the_foot_of_a_page_does_not_split_the_sentence_that_runs_past_it(tmp_path):
    doc = pymupdf.open()
    body = " ".join(SENTENCES[:6]) + " The sentence that runs past the footnote"
    rest = "continues on the next page and ends here. " + " ".join(SENTENCES[6:])
    for lines, note in ((_lines(body, 90), "1 A footnote in small type at the foot of the page, two lines long so "
                                           "that it wraps onto a second line."), (_lines(rest, 90), None)):
        page = doc.new_page(width=612, height=792)
        y = 90
        for ln in lines:
            page.insert_text((72, y), ln, fontsize=10, fontname="helv")
            y += 13
        if note:
            for k, ln in enumerate(_lines(note, 110)):
                page.insert_text((72, 700 + 9 * k), ln, fontsize=7, fontname="helv")
    doc.save(tmp_path / "footnote.pdf")
    r = extract_pdf(str(tmp_path / "footnote.pdf"), ExtractOptions(min_section_chars=20))
    text = "\n".join(s.text for s in r.sections)
    assert "runs past the footnote continues on the next page and ends here." in _flat(text)
    paragraphs = text.split("\n")
    note = [p for p in paragraphs if p.startswith("1 A footnote")]
    assert note == ["1 A footnote in small type at the foot of the page, two lines long so that it wraps onto a "
                    "second line."]
    assert paragraphs.index(note[0]) == len(paragraphs) - 1  # after the text it interrupted


@pytest.mark.parametrize("one_line", [True, False], ids=["label-in-the-line", "label-a-line-of-its-own"])
def test_bold_run_in_labels_head_their_own_sections(tmp_path, one_line):
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    y = 90
    for label, text in (("SUMMARY:", SENTENCES[0] + " " + SENTENCES[1]),
                        ("NOTE:", SENTENCES[4]),  # a remark inside a section, not a section
                        ("ADDRESSES:", "You may send comments by any of the following methods: mail, hand "
                                       "delivery or the Federal eRulemaking Portal."),
                        ("SUPPLEMENTARY INFORMATION:", SENTENCES[2] + " " + SENTENCES[3])):
        lines = _lines(text, 80)
        if one_line:
            tw = pymupdf.TextWriter(page.rect)
            tw.append((72, y), label + " ", font=pymupdf.Font("hebo"), fontsize=10)
            tw.append(tw.last_point, lines[0], font=pymupdf.Font("helv"), fontsize=10)
            tw.write_text(page)
        else:
            page.insert_text((72, y), label, fontsize=10, fontname="hebo")
            width = pymupdf.get_text_length(label + " ", fontname="hebo", fontsize=10)
            page.insert_text((72 + width, y), lines[0], fontsize=10, fontname="helv")
        for ln in lines[1:]:
            y += 13
            page.insert_text((72, y), ln, fontsize=10, fontname="helv")
        y += 26
    doc.save(tmp_path / "labels.pdf")
    r = extract_pdf(str(tmp_path / "labels.pdf"), ExtractOptions(min_section_chars=20))
    by_heading = {s.heading: _flat(s.text) for s in r.sections}
    assert by_heading["SUMMARY"] == f"{SENTENCES[0]} {SENTENCES[1]} NOTE: {SENTENCES[4]}"
    assert by_heading["SUPPLEMENTARY INFORMATION"] == SENTENCES[2] + " " + SENTENCES[3]
    assert "ADDRESSES" not in by_heading and r.boilerplate_sections == {"front matter": 1}  # how to comment


def test_lines_set_with_wide_spacing_stay_one_paragraph(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 100
    paragraphs = [" ".join(SENTENCES[:4]), " ".join(SENTENCES[4:8])]
    for text in paragraphs:
        for ln in _lines(text, 85):
            page.insert_text((70, y), ln, fontsize=12, fontname="tiro")
            y += 27  # wide spacing: 11 pt between the 16 pt line boxes of one paragraph
        y += 27
    doc.save(tmp_path / "leading.pdf")
    r = extract_pdf(str(tmp_path / "leading.pdf"), ExtractOptions(min_section_chars=20))
    assert "\n".join(s.text for s in r.sections).split("\n") == paragraphs
