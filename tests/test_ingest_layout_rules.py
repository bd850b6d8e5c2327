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


# each ends differently, so no line repeats from page to page the way a running foot does
POINTS = [f"Point {w}: the cleaning validation protocol is to name its acceptance limits before batch {w} is made "
          f"and released, as point {w} says." for w in ("one", "two", "three", "four", "five", "six", "seven", "eight")]


def test_numbered_point_opening_each_page_is_not_taken_for_a_running_head(tmp_path):
    """The Official Journal numbers recitals "(6)" in a hanging column: a page that opens with one repeats,
    digits masked, at the top of every page like a running head. It shares its row with text; a head does not."""
    doc = pymupdf.open()
    for k in range(4):
        page = doc.new_page(width=595, height=842)
        page.insert_text((380, 50), "OJ L, 27.10.2025", fontsize=9, fontname="helv")  # the real running head
        y = 90
        for n, sentence in enumerate(POINTS[2 * k:2 * k + 2], 2 * k + 1):
            page.insert_text((68, y), f"({n})", fontsize=9, fontname="helv")
            for ln in _lines(sentence, 80):
                page.insert_text((90, y), ln, fontsize=9, fontname="helv")
                y += 11
            y += 12
    doc.save(tmp_path / "points.pdf")
    r = extract_pdf(str(tmp_path / "points.pdf"), ExtractOptions(min_section_chars=20))
    text = _flat("\n".join(s.text for s in r.sections))
    for n, sentence in enumerate(POINTS, 1):
        assert f"({n}) {sentence}" in text
    assert "OJ L" not in text and r.header_footer_lines_removed == 4


def test_text_overprinted_for_a_fake_bold_is_read_once(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for dx in (0.0, 0.3, 0.6, 0.9):  # four copies 0.3 pt apart, the heading of a gazette notification
        page.insert_text((250 + dx, 80), "NOTIFICATION", fontsize=11, fontname="tiro")
        page.insert_text((90 + dx, 110), "S.O. 180(E).", fontsize=11, fontname="tiro")
    first, rest = SENTENCES[0][:58], SENTENCES[0][59:]  # cut at a space
    page.insert_text((160, 110), first, fontsize=11, fontname="tiro")
    y = 124
    for ln in _lines(rest + " " + SENTENCES[1], 85):
        page.insert_text((72, y), ln, fontsize=11, fontname="tiro")
        y += 14
    doc.save(tmp_path / "overprint.pdf")
    r = extract_pdf(str(tmp_path / "overprint.pdf"), ExtractOptions(min_section_chars=20))
    text = _flat("\n".join((s.heading or "") + " " + s.text for s in r.sections))
    assert text.count("NOTIFICATION") == 1 and text.count("S.O. 180(E).") == 1
    assert f"S.O. 180(E). {SENTENCES[0]} {SENTENCES[1]}" in text


CHINESE = "药品生产质量管理规范要求企业建立质量管理体系。"  # "GMP for medicinal products requires a quality system."


def test_lines_in_another_script_are_not_records(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 90
    for ln in _lines(" ".join(SENTENCES[:3]), 85):
        page.insert_text((72, y), ln, fontsize=11, fontname="tiro")
        y += 14
    for _ in range(4):  # the same notice in another script (Chinese here; a gazette's Hindi half alike)
        y += 14
        page.insert_text((72, y), CHINESE, fontsize=11, fontname="china-s")
    doc.save(tmp_path / "bilingual.pdf")
    r = extract_pdf(str(tmp_path / "bilingual.pdf"), ExtractOptions(min_section_chars=20))
    assert _flat("\n".join(s.text for s in r.sections)) == " ".join(SENTENCES[:3])
    assert r.other_script_lines_removed == 4

    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    for k in range(6):
        page.insert_text((72, 90 + 14 * k), CHINESE, fontsize=11, fontname="china-s")
    doc.save(tmp_path / "other.pdf")
    r = extract_pdf(str(tmp_path / "other.pdf"), ExtractOptions(min_section_chars=20))
    assert r.status == "failed" and r.reason.startswith("other-script: all 6 text lines")  # wholly another script


def test_article_label_on_its_own_line_joins_the_heading_under_it(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 90
    for label, name, sentences in (("Article 1", "Subject matter", SENTENCES[:2]), ("Article 2", "Definitions",
                                                                                     SENTENCES[2:4])):
        page.insert_text((280, y), label, fontsize=9.5, fontname="tiro")  # regular, centred
        page.insert_text((260, y + 20), name, fontsize=9.5, fontname="tibo")  # bold, centred
        y += 46
        for ln in _lines(" ".join(sentences), 90):
            page.insert_text((68, y), ln, fontsize=9.5, fontname="tiro")
            y += 11
        y += 30
    doc.save(tmp_path / "articles.pdf")
    r = extract_pdf(str(tmp_path / "articles.pdf"), ExtractOptions(min_section_chars=20))
    assert [(s.heading, _flat(s.text)) for s in r.sections] == [
        ("Article 1 Subject matter", " ".join(SENTENCES[:2])), ("Article 2 Definitions", " ".join(SENTENCES[2:4]))]


def test_contents_list_without_leaders_or_page_numbers_is_dropped(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 80), "Basic Requirements for Active Substances", fontsize=16, fontname="tibo")
    page.insert_text((72, 100), "Revision 2", fontsize=12, fontname="tiro")
    page.insert_text((72, 130), "Table of Contents", fontsize=12, fontname="tibo")
    entries = ["1 Introduction", "1.1 Objective", "1.2 Scope", "2 Quality Management", "2.1 Principles",
               "2.2 Responsibilities of the Quality Unit", "3 Personnel", "3.1 Personnel Qualifications"]
    for k, entry in enumerate(entries):
        page.insert_text((72, 160 + 14 * k), entry, fontsize=12, fontname="tibo" if "." not in entry else "tiro")
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 80), "1 Introduction", fontsize=12, fontname="tibo")
    y = 100
    for ln in _lines(" ".join(SENTENCES[:3]), 85):
        page.insert_text((72, y), ln, fontsize=12, fontname="tiro")
        y += 14
    doc.save(tmp_path / "contents.pdf")
    r = extract_pdf(str(tmp_path / "contents.pdf"), ExtractOptions(min_section_chars=20))
    assert [(s.heading, _flat(s.text)) for s in r.sections] == [("1 Introduction", " ".join(SENTENCES[:3]))]
    assert r.toc_lines_removed == len(entries)


EMA_HEADINGS = ("Introduction", "Scope", "Principles")


def _ema_guideline(path):
    """A first page laid out as the European Medicines Agency lays out its scientific guidelines: the date
    and document number over the committee, the title, its step, the table of dates, the agency's footer
    in small type; then pages with a running head."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((400, 60), "1 December 2016", fontsize=9, fontname="helv")
    page.insert_text((400, 72), "EMA/CHMP/ICH/135/1995", fontsize=9, fontname="helv")
    page.insert_text((400, 84), "Committee for Human Medicinal Products", fontsize=9, fontname="helv")
    page.insert_text((60, 160), "Guideline for good clinical practice E6(R2)", fontsize=18, fontname="hebo")
    page.insert_text((60, 190), "Step 5", fontsize=12, fontname="helv")
    dates = [("Adopted by CHMP for release for consultation", "23 July 2015"),
             ("Start of public consultation", "4 August 2015"),
             ("End of consultation (deadline for comments)", "3 February 2016"),
             ("Final adoption by CHMP", "15 December 2016"),
             ("Date for coming into effect", "14 June 2017")]
    top = 230
    for k, (what, when) in enumerate(dates):
        y = top + 18 * k
        page.insert_text((64, y + 12), what, fontsize=9, fontname="helv")
        page.insert_text((400, y + 12), when, fontsize=9, fontname="helv")
    for k in range(len(dates) + 1):
        page.draw_line((60, top + 18 * k), (535, top + 18 * k), width=0.5)
    for x in (60, 395, 535):
        page.draw_line((x, top), (x, top + 18 * len(dates)), width=0.5)
    for k, ln in enumerate(["Official address Domenico Scarlattilaan 6 \u25cf 1083 HS Amsterdam \u25cf The Netherlands",
                            "Send us a question Go to www.ema.europa.eu/contact Telephone +31 (0)88 781 6000",
                            "An agency of the European Union",
                            "\u00a9 European Medicines Agency, 2018. Reproduction is authorised provided the source "
                            "is acknowledged."]):
        page.insert_text((60, 770 + 10 * k), ln, fontsize=7, fontname="helv")
    for n in range(2, 5):
        page = doc.new_page(width=595, height=842)
        page.insert_text((60, 40), "Guideline for good clinical practice E6(R2)", fontsize=8, fontname="helv")
        page.insert_text((60, 50), f"EMA/CHMP/ICH/135/1995 Page {n}/68", fontsize=8, fontname="helv")
        page.insert_text((60, 90), f"{n - 1}. {EMA_HEADINGS[n - 2]}", fontsize=11, fontname="hebo")
        y = 110
        for ln in _lines(" ".join(POINTS[2 * (n - 2):2 * (n - 1)]), 90):
            page.insert_text((60, y), ln, fontsize=10, fontname="helv")
            y += 13
    doc.save(path)


def test_ema_front_page_dates_table_and_agency_footer_are_not_records(tmp_path):
    _ema_guideline(tmp_path / "ema.pdf")
    r = extract_pdf(str(tmp_path / "ema.pdf"))  # the date and committee over the title are too short to keep
    assert r.title == "Guideline for good clinical practice E6(R2)" and r.short_name == "ICH E6(R2)"
    text = "\n".join((s.heading or "") + "\n" + s.text for s in r.sections)
    for noise in ("Domenico Scarlattilaan", "Telephone", "An agency of the European Union", "Reproduction is",
                  "Adopted by CHMP", "Date for coming into effect", "Page 2/68", "EMA/CHMP/ICH/135/1995"):
        assert noise not in text, noise
    assert [(s.heading, _flat(s.text)) for s in r.sections] == [
        (f"{n}. {EMA_HEADINGS[n - 1]}", " ".join(POINTS[2 * (n - 1):2 * n])) for n in (1, 2, 3)]


def test_legacy_script_font_text_goes_and_english_in_a_script_named_unicode_font_stays(tmp_path):
    """A legacy 8-bit Hindi font draws Devanagari at ASCII code points: its text layer is words no Latin
    language spells ("Hkkjr dk jkti=k"). A Unicode font named for the script that sets English stays."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    y = 90
    for k in range(3):
        page.insert_text((72, y), "Hkkjr dk jkti=k % vlk/kj.k Hkkx IIµ[k.M 3(ii)", fontsize=11, fontname="helv")
        y += 16
    for ln in _lines(" ".join(SENTENCES[:3]), 85):
        page.insert_text((72, y), ln, fontsize=11, fontname="tiro")
        y += 14
    fonts = {f[3]: f[0] for f in page.get_fonts()}
    doc.xref_set_key(fonts["Helvetica"], "BaseFont", "/Devnagari-ChanakyaNormal")  # as a gazette names it
    doc.xref_set_key(fonts["Times-Roman"], "BaseFont", "/NotoSansDevanagari-Regular")
    doc.save(tmp_path / "fonts.pdf")
    r = extract_pdf(str(tmp_path / "fonts.pdf"), ExtractOptions(min_section_chars=20))
    assert _flat("\n".join(s.text for s in r.sections)) == " ".join(SENTENCES[:3])
    assert r.other_script_lines_removed == 3


@pytest.mark.parametrize("title, short", [
    ("Commission Implementing Regulation (EU) 2025/2091 of 17 October 2025 laying down good manufacturing "
     "practice for veterinary medicinal products", "Commission Implementing Regulation (EU) 2025/2091"),
    ("Directive 2001/83/EC of the European Parliament and of the Council of 6 November 2001 on the Community code "
     "relating to medicinal products for human use", "Directive 2001/83/EC"),
    ("Commission Delegated Regulation (EU) No 1252/2014 of 28 May 2014 supplementing Directive 2001/83/EC",
     "Commission Delegated Regulation (EU) No 1252/2014"),
])
def test_an_eu_legal_act_is_named_by_its_number(title, short):
    from imi_lib.data.pdf_text import short_document_name

    assert short_document_name(title, "ema", "") == short
