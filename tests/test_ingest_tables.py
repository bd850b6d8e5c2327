"""Ruled tables in PDFs come out of ingest as Markdown tables, where they stood in the text.

The PDFs are drawn here with PyMuPDF: paragraphs, ruled grids with text in
their cells (wrapped, hyphenated, merged), a two-column page, a boxed
paragraph, a chart. Each test states what the section text must hold: the
exact Markdown rows in order, the cells' words nowhere else, the prose before
and after the table whole.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from imi_lib.data import pdf_text
from imi_lib.data.ingest import IngestConfig, run
from imi_lib.data.pdf_text import ExtractOptions, extract_pdf, table_markdown
from imi_lib.data.prepare import normalise_text as prepare_normalise

BEFORE = ("Purified water systems must be validated before routine use. The validation protocol defines the "
          "sampling points, the frequency of sampling and the acceptance criteria for each attribute listed below.")
AFTER = ("Results outside these limits are deviations. The quality unit investigates each deviation, records the "
         "root cause and decides whether the affected batches may be released.")
RIGHT = ("Alert levels are set from the trend of routine results. An alert level exceeded twice in a month triggers "
         "a review of the sanitisation schedule and of the sampling technique used on that loop.")
HEADER = ["Attribute", "Limit", "Frequency"]
ROWS = [["Conductivity", "1.3 uS/cm", "Daily"], ["Total organic carbon", "500 ppb", "Weekly"],
        ["Bacterial endotoxins", "0.25 EU/ml", "Monthly"]]
MARKDOWN = ["| Attribute | Limit | Frequency |", "| --- | --- | --- |", "| Conductivity | 1.3 uS/cm | Daily |",
            "| Total organic carbon | 500 ppb | Weekly |", "| Bacterial endotoxins | 0.25 EU/ml | Monthly |"]


def _paragraph(page, rect, text, size=10.0):
    import pymupdf

    assert page.insert_textbox(pymupdf.Rect(rect), text, fontsize=size, fontname="helv") >= 0, "text did not fit"


def _heading(page, x, y, text):
    page.insert_text((x, y), text, fontsize=12, fontname="hebo")


def _ruled_table(page, x0, y0, widths, rows, line_height=12.0, size=9.0, merge_down=()):
    """Draw a grid with a rule round every cell and write each cell's lines (a str or a list of lines) in it.

    merge_down: (row, column) slots whose bottom rule is left out, so the cell and the one below are one."""
    heights = [line_height * max(1, len(c) if isinstance(c, list) else 1) + 6 for c in
               (max(r, key=lambda c: len(c) if isinstance(c, list) else 1) for r in rows)]
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [y0]
    for h in heights:
        ys.append(ys[-1] + h)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            lines = cell if isinstance(cell, list) else [cell]
            for k, line in enumerate(lines):
                page.insert_text((xs[j] + 3, ys[i] + 3 + size + k * line_height), line, fontsize=size, fontname="helv")
    for i, y in enumerate(ys):  # horizontal rules, cell by cell so merged slots can skip theirs
        for j in range(len(widths)):
            if 0 < i < len(rows) and (i - 1, j) in merge_down:
                continue
            page.draw_line((xs[j], y), (xs[j + 1], y), width=0.6)
    for x in xs:
        page.draw_line((x, ys[0]), (x, ys[-1]), width=0.6)
    return ys[-1]


def _pdf(path: Path, draw) -> Path:
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    draw(page)
    doc.save(path)
    doc.close()
    return path


def _section_text(result) -> str:
    return "\n".join(s.text for s in result.sections)


def _rows_in_order(text: str, rows: list[str]) -> bool:
    lines = text.split("\n")
    try:
        start = lines.index(rows[0])
    except ValueError:
        return False
    return lines[start:start + len(rows)] == rows


def _single_column(page):
    _heading(page, 72, 80, "4.2 Water quality monitoring")
    _paragraph(page, (72, 92, 540, 160), BEFORE)
    bottom = _ruled_table(page, 72, 170, [170, 120, 100], [HEADER] + ROWS)
    _paragraph(page, (72, bottom + 12, 540, bottom + 90), AFTER)


def test_ruled_table_becomes_markdown_between_the_paragraphs_around_it(tmp_path):
    r = extract_pdf(str(_pdf(tmp_path / "water.pdf", _single_column)))
    assert r.status == "ok", r.reason
    assert (r.tables, r.table_finder_pages) == (1, 1)
    [section] = r.sections
    assert section.heading == "4.2 Water quality monitoring"
    # prose, blank line, the table row by row, blank line, prose: nothing of the table elsewhere
    assert section.text == "\n".join([BEFORE, "", *MARKDOWN, "", AFTER])


def test_page_with_a_rotation_gets_its_table_the_way_its_text_is_read(tmp_path):
    import pymupdf

    with pymupdf.open(_pdf(tmp_path / "water.pdf", _single_column)) as doc:
        doc[0].set_rotation(90)  # shown turned: the finder must still see the grid as the text is read
        doc.save(tmp_path / "turned.pdf")
    r = extract_pdf(str(tmp_path / "turned.pdf"))
    assert r.tables == 1
    assert r.sections[0].text == "\n".join([BEFORE, "", *MARKDOWN, "", AFTER])


def test_cell_words_are_not_repeated_as_prose(tmp_path):
    r = extract_pdf(str(_pdf(tmp_path / "water.pdf", _single_column)))
    prose = "\n".join(line for line in _section_text(r).split("\n") if not line.startswith("|"))
    for word in ("Conductivity", "Frequency", "endotoxins", "500 ppb", "Monthly"):
        assert word not in prose
        assert _section_text(r).count(word) == 1


def test_text_pages_never_run_the_table_finder(tmp_path):
    def text_only(page):
        _heading(page, 72, 80, "1. Scope")
        _paragraph(page, (72, 92, 540, 200), BEFORE + " " + AFTER)
        page.draw_line((72, 60), (540, 60), width=0.5)  # a running-head rule and a footer rule
        page.draw_line((72, 740), (540, 740), width=0.5)

    r = extract_pdf(str(_pdf(tmp_path / "text.pdf", text_only)))
    assert r.status == "ok"
    assert (r.table_finder_pages, r.tables) == (0, 0)


def test_two_column_page_keeps_the_table_in_its_column(tmp_path):
    def two_columns(page):
        _heading(page, 50, 60, "5. Monitoring programme")
        _paragraph(page, (50, 72, 290, 200), BEFORE)
        bottom = _ruled_table(page, 50, 205, [100, 70, 65], [HEADER] + ROWS, size=8)
        _paragraph(page, (50, bottom + 10, 290, bottom + 140), AFTER)
        _paragraph(page, (320, 72, 560, 200), RIGHT)
        _paragraph(page, (320, 205, 560, 330), AFTER.replace("deviations", "excursions"))

    r = extract_pdf(str(_pdf(tmp_path / "two_col.pdf", two_columns)))
    assert r.status == "ok", r.reason
    assert r.columns_pages == 1 and r.tables == 1
    text = _section_text(r)
    assert _rows_in_order(text, MARKDOWN)
    # left column: before, table, after; then the right column
    assert _in_order(text, [BEFORE, MARKDOWN[0], MARKDOWN[-1], AFTER, RIGHT, AFTER.replace("deviations", "excursions")])


def test_wrapped_hyphenated_and_merged_cells_become_one_cell_each(tmp_path):
    rows = [
        ["Step", "Requirement", "Record"],
        ["Cleaning", ["Rinse the vessel with puri-", "fied water until the conduc-", "tivity is below the limit"],
         "Logbook"],
        [["Drying", "(all vessels)"], "Dry with filtered nitrogen", "Batch record"],
        ["", "Inspect visually | sign", "Batch record"],
    ]

    def wrapped(page):
        _heading(page, 72, 80, "6. Cleaning of vessels")
        _paragraph(page, (72, 92, 540, 150), BEFORE)
        # the "Drying" cell spans two rows: its bottom rule is left out
        bottom = _ruled_table(page, 72, 160, [120, 220, 100], rows, merge_down={(2, 0)})
        _paragraph(page, (72, bottom + 12, 540, bottom + 90), AFTER)

    r = extract_pdf(str(_pdf(tmp_path / "wrapped.pdf", wrapped)))
    assert r.tables == 1
    text = _section_text(r)
    assert _rows_in_order(text, [
        "| Step | Requirement | Record |",
        "| --- | --- | --- |",
        "| Cleaning | Rinse the vessel with purified water until the conductivity is below the limit | Logbook |",
        "| Drying (all vessels) | Dry with filtered nitrogen | Batch record |",
        r"| | Inspect visually \| sign | Batch record |",
    ]), text
    assert BEFORE in text and AFTER in text


def test_boxed_paragraph_stays_a_paragraph(tmp_path):
    def boxed(page):
        _heading(page, 72, 80, "2. Note to applicants")
        _paragraph(page, (80, 100, 530, 170), BEFORE)
        page.draw_rect((74, 94, 536, 176), width=0.8)
        _paragraph(page, (72, 190, 540, 260), AFTER)

    r = extract_pdf(str(_pdf(tmp_path / "boxed.pdf", boxed)))
    assert r.status == "ok"
    assert r.table_finder_pages == 0  # one box is two rule positions each way: no grid, no finder
    assert r.tables == 0 and "|" not in _section_text(r)
    assert _section_text(r) == f"{BEFORE}\n{AFTER}"


def test_double_ruled_page_frame_never_runs_the_finder(tmp_path):
    def framed(page):
        page.draw_rect((40, 40, 572, 752), width=0.8)
        page.draw_rect((43, 43, 569, 749), width=0.8)  # a double rule: two frames 3 pt apart
        _heading(page, 72, 80, "1. Scope")
        _paragraph(page, (72, 92, 540, 200), BEFORE)

    r = extract_pdf(str(_pdf(tmp_path / "framed.pdf", framed)))
    assert (r.table_finder_pages, r.tables) == (0, 0)
    assert _section_text(r) == BEFORE


def test_boxed_paragraphs_the_finder_reports_as_tables_stay_paragraphs(tmp_path):
    # three boxes: enough rule positions for the finder to run, and it reports each box as a 1x1 "table"
    def three_boxes(page):
        _heading(page, 72, 80, "3. Notes")
        _paragraph(page, (80, 100, 290, 250), BEFORE)
        page.draw_rect((74, 94, 296, 256), width=0.8)
        _paragraph(page, (330, 100, 530, 250), AFTER)
        page.draw_rect((324, 94, 536, 256), width=0.8)
        _paragraph(page, (80, 280, 530, 350), RIGHT)
        page.draw_rect((74, 274, 536, 356), width=0.8)

    r = extract_pdf(str(_pdf(tmp_path / "boxes.pdf", three_boxes)))
    assert r.table_finder_pages == 1 and r.tables == 0
    text = _section_text(r)
    assert "|" not in text
    assert _in_order(text, [BEFORE, AFTER, RIGHT])


def _in_order(text: str, sentences: list[str]) -> bool:
    flat = " ".join(text.split())
    positions = [flat.find(" ".join(s.split())) for s in sentences]
    return all(p >= 0 for p in positions) and positions == sorted(positions)


def test_chart_with_gridlines_is_not_a_table(tmp_path):
    def chart(page):
        _heading(page, 72, 80, "7. Trend of results")
        _paragraph(page, (72, 92, 540, 150), BEFORE)
        x0, y0, x1, y1 = 100, 170, 400, 370
        for k in range(5):  # gridlines
            page.draw_line((x0, y0 + k * 50), (x1, y0 + k * 50), width=0.3)
            page.draw_line((x0 + k * 75, y0), (x0 + k * 75, y1), width=0.3)
        for k in range(4):
            page.insert_text((x0 + 5 + k * 75, y0 + 20 + k * 40), f"{k * 25} ppb", fontsize=8, fontname="helv")
        points = [(x0 + k * 30, y1 - (k * 37) % 180) for k in range(11)]
        for a, b in zip(points, points[1:]):  # the data line
            page.draw_line(a, b, width=1)
        _paragraph(page, (72, 390, 540, 460), AFTER)

    r = extract_pdf(str(_pdf(tmp_path / "chart.pdf", chart)))
    assert r.table_finder_pages == 1 and r.tables == 0
    assert "| ---" not in _section_text(r)


@pytest.mark.parametrize("grid", [
    [["only one column"], ["second row"]],  # one column
    [["a", "b", "c"]],  # one row
    [["a", "", "", ""], ["", "", "", "b"], ["", "c", "", ""]],  # mostly empty cells
    [["Introduction to the process", ""], ["", "Risk communication"]],  # no row with two filled cells... twice
    [["1. Scope", "..........12"], ["2. Validation", "........ 14"], ["3. Records", "..... 20"]],  # contents page
    [["1. Scope ..........", "12"], ["2. Validation ........", "14"], ["3. Records", "20"]],  # numbers apart
])
def test_degenerate_grids_are_not_tables(grid):
    assert table_markdown(grid) is None


def test_empty_rows_and_columns_are_dropped_and_empty_cells_survive_normalisation():
    md = table_markdown([["Test", "", "Limit"], ["", "", ""], ["pH", "", "5.0-7.0"], ["Odour", "", ""]])
    assert md == "| Test | Limit |\n| --- | --- |\n| pH | 5.0-7.0 |\n| Odour | |"
    assert prepare_normalise(md) == md


def test_long_table_splits_between_rows_repeating_the_header():
    header = "| Attribute | Limit |\n| --- | --- |"
    rows = [f"| attribute number {k} measured on every batch | limit {k} |" for k in range(60)]
    text = "Intro paragraph.\n\n" + header + "\n" + "\n".join(rows) + "\n\nClosing paragraph."
    parts = pdf_text._split_long(text, 600)
    assert len(parts) > 3
    assert all(len(p) <= 600 for p in parts)
    seen = []
    for p in parts:
        lines = p.split("\n")
        for k, line in enumerate(lines):
            if line.startswith("| attribute number"):
                seen.append(line)
            if line.startswith("| "):  # every table piece starts with the header and separator
                start = k
                while start > 0 and lines[start - 1].startswith("|"):
                    start -= 1
                assert lines[start:start + 2] == header.split("\n")
    assert seen == rows  # every row once, whole, in order
    assert parts[0].startswith("Intro paragraph.\n\n" + header)
    assert parts[-1].endswith("\n\nClosing paragraph.")


def test_ingested_record_keeps_the_table_through_prepare_normalisation(tmp_path):
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    _pdf(pdfs / "WHO_water_monitoring.pdf", _single_column)
    summary = run(IngestConfig(data_dir=str(tmp_path), workers=1))
    assert (summary["records"], summary["tables"], summary["table_finder_pages"]) == (1, 1, 1)
    record = json.loads((tmp_path / "processed" / "pdf_regulatory_qa.jsonl").read_text().splitlines()[0])
    assert "\n".join(MARKDOWN) in record["output"]
    assert prepare_normalise(record["output"]) == record["output"]
    report = json.loads((tmp_path / "processed" / "ingest_report.json").read_text())
    assert report["files"][0]["tables"] == 1 and report["files"][0]["table_finder_pages"] == 1


def test_table_split_across_parts_keeps_rows_whole(tmp_path):
    many = [[f"Attribute {k}", f"{k}.0 units", "Weekly"] for k in range(30)]

    def long_table(page):
        _heading(page, 72, 60, "8. Specifications")
        _paragraph(page, (72, 72, 540, 130), BEFORE)
        _ruled_table(page, 72, 135, [170, 120, 100], [HEADER] + many, line_height=10, size=8)

    r = extract_pdf(str(_pdf(tmp_path / "long.pdf", long_table)), ExtractOptions(max_section_chars=500))
    assert r.tables == 1 and len(r.sections) > 2
    rows = [line for s in r.sections for line in s.text.split("\n") if re.match(r"\| Attribute \d", line)]
    assert rows == [f"| Attribute {k} | {k}.0 units | Weekly |" for k in range(30)]
    for s in r.sections:
        if "| Attribute " in s.text:
            assert MARKDOWN[0] + "\n" + MARKDOWN[1] in s.text


def test_table_with_horizontal_rules_only_stays_prose_in_order(tmp_path):
    # no vertical rules (a "booktabs" table): no grid, so the finder does not run and the cells stay text
    def open_table(page):
        _heading(page, 72, 80, "9. Limits")
        _paragraph(page, (72, 92, 540, 150), BEFORE)
        y = 160
        for row in [HEADER] + ROWS:
            page.draw_line((72, y), (462, y), width=0.6)
            for x, cell in zip((75, 245, 365), row):
                page.insert_text((x, y + 12), cell, fontsize=9, fontname="helv")
            y += 18
        page.draw_line((72, y), (462, y), width=0.6)
        _paragraph(page, (72, y + 12, 540, y + 90), AFTER)

    r = extract_pdf(str(_pdf(tmp_path / "open.pdf", open_table)))
    assert (r.table_finder_pages, r.tables) == (0, 0)
    text = _section_text(r)
    assert "|" not in text
    assert _in_order(text, [BEFORE, "Conductivity", "Total organic carbon", "Bacterial endotoxins", AFTER])


def test_prefilter_from_the_text_pass_agrees_with_the_drawings(tmp_path):
    import pymupdf

    def chart_and_table(page):
        _ruled_table(page, 72, 400, [170, 120, 100], [HEADER] + ROWS)
        page.draw_line((100, 100), (300, 300), width=1)  # slanted: the pre-filter reads the drawings

    drawers = {"table": _single_column, "box": lambda p: p.draw_rect((74, 94, 536, 176)),
               "chart": chart_and_table, "nothing": lambda p: _heading(p, 72, 80, "Text only")}
    for name, draw in drawers.items():
        with pymupdf.open(_pdf(tmp_path / f"{name}.pdf", draw)) as doc:
            vectors: list = []
            pdf_text.page_lines(doc[0], 1, vectors)
            fast, exact = pdf_text.table_region(doc[0], vectors), pdf_text.table_region(doc[0])
            assert (fast is None) == (exact is None), name
            if exact is not None:
                # the text pass gives the stroke's extent, the drawings its geometry: half a line width apart
                assert all(abs(a - b) <= 1.5 for a, b in zip(fast.bbox, exact.bbox)), name
                assert len(fast.strokes) == len(exact.strokes), name
    assert pdf_text.table_region(None, []) is None  # nothing drawn: decided without touching the page


@pytest.mark.parametrize("rotation", [90, 270])
def test_landscape_page_drawn_turned_is_read_as_shown(tmp_path, rotation):
    """A wide page stored portrait with /Rotate and its text drawn sideways shows upright: its text is kept
    (read as shown, in order), not dropped as sideways text; a sideways stamp on it is still dropped."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_textbox(pymupdf.Rect(60, 60, 552, 732), "Monitoring plan\n\n" + BEFORE + " " + AFTER,
                        fontsize=10, rotate=rotation)  # turned with the page: upright as shown
    page.insert_text((40, 700), "DRAFT COPY", fontsize=9)  # stored upright: sideways as shown
    page.set_rotation(rotation)
    doc.save(tmp_path / "landscape.pdf")
    doc.close()
    r = extract_pdf(str(tmp_path / "landscape.pdf"))
    text = " ".join(_section_text(r).split())
    assert BEFORE in text and AFTER in text
    assert text.index(BEFORE) < text.index(AFTER)
    assert "DRAFT COPY" not in text
