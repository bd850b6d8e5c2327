"""Regulatory PDF -> document family, title and sections of text in reading order.

One PDF is read in one call, `extract_pdf(path, options)`, which never raises
for a bad file: it returns a `PdfExtraction` whose `status` is "ok" or
"failed" with a reason ("not-a-pdf: ...", "encrypted: ...", "image-only: ...").
The ingest stage runs it in a child process so that a hostile file can only
cost that process (see `imi_lib.core.isolated_pool`).

How the text is rebuilt, page by page (`page_lines` -> `reading_order`):
- lines come from `page.get_text("dict")` with their boxes, font size and
  weight; rotated lines (watermarks) are ignored;
- running headers and footers are lines in the top/bottom margin whose text,
  with digits masked, repeats on many pages, and page numbers there;
- columns are found from the x-extent of column-width lines: a vertical strip
  no such line crosses, with text on both sides, is a gutter. Lines that cross
  a gutter (a title over both columns) cut the page into bands; each band is
  read column by column, top to bottom;
- a heading is a short line that is larger or bolder than the body text, ALL
  CAPS, or numbered ("4.2 Validation", "§ 11.10 ...") and not a full line;
- a ruled table becomes one Markdown table that stands where the table stood
  (`table_region` -> `page_tables` -> `place_tables`): the table finder runs
  only on pages whose rules could form a grid, and the words of its cells
  leave the prose.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

FAMILIES = ("who", "fda", "ich", "ema", "gmp", "other")

# Issuers first: "WHO_GMP_water.pdf" is a WHO document about GMP. GMP is the
# family only when no issuer is recognised (an organisation's own SOPs).
_FAMILY_PATTERNS: dict[str, tuple[re.Pattern, re.Pattern]] = {
    # (case-sensitive acronyms, case-insensitive names)
    "who": (re.compile(r"\bWHO\b|\bTRS\b"), re.compile(r"world health organi[sz]ation|who technical report series", re.I)),
    # "CFR" alone is any agency's title of the Code (an FAA rule cites 14 CFR): only title 21 is FDA's
    "fda": (re.compile(r"\bFDA\b|\bCDER\b|\bCBER\b"),
            re.compile(r"food and drug administration|code of federal regulations|\b21\s*c\.?f\.?r\b", re.I)),
    "ich": (re.compile(r"\bICH\b|\bQ(?:[1-9]|1[0-4])[A-E]?(?:\(R\d\))?\b"),
            re.compile(r"international (?:council|conference) (?:for|on) harmoni[sz]ation", re.I)),
    "ema": (re.compile(r"\bEMA\b|\bEMEA\b|\bCHMP\b|\bCVMP\b|\bEU GMP\b"),
            re.compile(r"european medicines agency|eudralex|european commission", re.I)),
    "gmp": (re.compile(r"\bc?GMP\b|\bPIC/S\b"), re.compile(r"good manufacturing practi[cs]e", re.I)),
}
_ISSUERS = ("who", "fda", "ich", "ema")
# where a clue was found, and how much it counts
_EVIDENCE_WEIGHT = {"file name": 3, "metadata": 2, "first page": 1}

_NUMBERED_HEADING = re.compile(
    r"^(?:"
    r"\d{1,2}(?:\.\d{1,3}){0,4}\.?"  # 4  4.2  4.2.1  4.
    r"|[A-Z]\.(?:\d{1,2}\.?)*"  # A.  B.1
    r"|[IVX]{1,5}\."  # IV.
    r"|§+\s*\d+(?:\.\d+)*[a-z]?"  # § 11.10
    r"|(?:Annex|Appendix|Chapter|Section|Part|Article|Subpart)\s+[\dA-Z]+[.:]?"
    r")\s+\S"
)
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|/)\s*\d{1,4})?$|^[-\u2013\u2014]\s*\d{1,4}\s*[-\u2013\u2014]$",
    re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_JUNK_TITLE = re.compile(r"^(?:microsoft (?:word|powerpoint)\s*-|untitled\b)|\.(?:docx?|pdf|rtf|odt|indd|tex)$",
                         re.IGNORECASE)

# get_text flags: clip to the page, expand ligatures, normalise whitespace, no image data
_TEXT_FLAGS = 64  # pymupdf.TEXT_MEDIABOX_CLIP; a literal so the parent never imports pymupdf
_COLLECT_VECTORS = 1024  # pymupdf.TEXT_COLLECT_VECTORS: drawn paths as blocks of type 3, for the table pre-filter
_MARGIN_FRACTION = 0.12  # top/bottom share of the page height where running headers/footers live


@dataclass
class ExtractOptions:
    max_pages: int = 2000
    min_section_chars: int = 100
    max_section_chars: int = 4000


@dataclass
class Line:
    """One line of text on a page (after reading order: one visual row of a column)."""

    page: int  # 1-based
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    bold: bool
    full: bool = False  # reaches the right edge of its column (a wrapped line, not a heading)
    para_break: bool = False  # starts a new paragraph
    table: bool = False  # `text` is a whole Markdown table (several lines) standing where the table stood
    lead: str = ""  # the bold words a line starts with when the rest is not bold (a run-in label "SUMMARY:")
    note: bool = False  # a footnote at the foot of its column: its section's text puts it after the body


@dataclass
class Section:
    heading: str | None  # None: text before the first heading
    text: str
    first_page: int
    last_page: int
    index: int  # position among the document's kept sections (0-based)
    part: int = 1  # a long section is split into parts
    parts: int = 1


@dataclass
class PdfExtraction:
    file: str
    status: str = "ok"  # ok | failed
    reason: str = ""  # "<category>: <explanation>" when failed
    sha256: str = ""
    size_bytes: int = 0
    family: str = "other"
    family_evidence: str = ""
    title: str = ""
    pages: int = 0  # pages in the document
    pages_read: int = 0  # after the page cap
    sections: list[Section] = field(default_factory=list)
    sections_skipped_short: int = 0
    header_footer_lines_removed: int = 0
    line_numbers_removed: int = 0  # line-number gutter of draft guidances
    toc_lines_removed: int = 0  # table-of-contents lines (dot leaders)
    other_script_lines_removed: int = 0  # lines in another script than Latin, or in a mis-encoded script font
    boilerplate_sections: dict = field(default_factory=dict)  # reason -> sections left out of training
    short_name: str = ""  # how instructions name the document: "ICH Q9", "EU GMP Annex 11", ...
    columns_pages: int = 0  # pages read as more than one column
    table_finder_pages: int = 0  # pages whose ruling looked like a grid, so the table finder ran on them
    tables: int = 0  # tables kept as Markdown tables
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0  # wall clock
    cpu_seconds: float = 0.0  # this process's CPU time: the per-core cost even on a busy machine

    def fail(self, reason: str) -> "PdfExtraction":
        self.status, self.reason = "failed", reason
        return self


# ---------------------------------------------------------------------------
# Document family and title
# ---------------------------------------------------------------------------

def detect_family(file_name: str, metadata: dict | None = None, first_page_text: str = "") -> tuple[str, str]:
    """Return (family, evidence) from the file name, PDF metadata and first-page text.

    Each clue scores by where it was found (file name 3, metadata 2, first
    page 1); the issuer with the highest score wins, ties broken in the order
    WHO, FDA, ICH, EMA. Without an issuer, a GMP clue gives "gmp", else "other".
    """
    metadata = metadata or {}
    # file names: underscores and dashes separate words; acronyms may be lower case
    name = re.sub(r"[_\-.+]+", " ", Path(file_name).stem)
    meta_text = " ".join(str(metadata.get(k) or "") for k in ("title", "subject", "author", "keywords"))
    places = {"file name": name, "metadata": meta_text, "first page": first_page_text[:20000]}
    scores: Counter = Counter()
    evidence: dict[str, list[str]] = {}
    for family, (acronyms, names) in _FAMILY_PATTERNS.items():
        for place, text in places.items():
            if not text:
                continue
            hit = acronyms.search(text) or names.search(text)
            if hit is None and place == "file name":
                hit = acronyms.search(text.upper())
            if hit:
                scores[family] += _EVIDENCE_WEIGHT[place]
                evidence.setdefault(family, []).append(place)
    issuers = [f for f in _ISSUERS if scores[f]]
    if issuers:
        best = max(issuers, key=lambda f: (scores[f], -_ISSUERS.index(f)))
    elif scores["gmp"]:
        best = "gmp"
    else:
        return "other", "no family clue in file name, metadata or first page"
    return best, ", ".join(evidence[best])


def clean_metadata_title(title: str | None) -> str:
    """The metadata title if it names the document (not 'Microsoft Word - x.docx')."""
    title = normalise_text(title or "")
    if len(title) < 4 or _JUNK_TITLE.search(title) or " " not in title:
        return ""
    return title


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
# invisible or broken characters PDFs carry into text: BOMs, zero-width marks, U+FFFD (an unmappable glyph)
_INVISIBLE = re.compile(r"[\ufeff\u200b-\u200f\u2060\u2061-\u2064\ufffd\u00ad]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")


def normalise_text(text: str) -> str:
    """Unicode NFC, soft hyphens and control characters removed, whitespace collapsed."""
    if not text.isascii():
        text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", _CONTROL_CHARS.sub(" ", text)).strip()


# ---------------------------------------------------------------------------
# Page -> lines
# ---------------------------------------------------------------------------

def page_lines(page, page_number: int, vectors: list[dict] | None = None,
               dropped: Counter | None = None) -> list[Line]:
    """Horizontal text lines of a page with box, dominant font size and weight.

    With a `vectors` list, the page's vector blocks (what is drawn: rules,
    boxes, curves) are collected in the same pass and appended to it, for
    `table_region`."""
    out: list[Line] = []
    flags = _TEXT_FLAGS if vectors is None else _TEXT_FLAGS | _COLLECT_VECTORS
    blocks = page.get_text("dict", flags=flags)["blocks"]
    # Coordinates and directions come as the page is stored. A page with /Rotate whose text is drawn
    # sideways so that it shows upright (a landscape page on a portrait sheet, usually a wide table) is
    # read as shown: its lines' boxes turned by the page's rotation. Such a page keeps its text as lines
    # (the table finder reads pages as stored, so it is not run there).
    turn = page.rotation_matrix if page.rotation and _shown_upright(blocks, page.rotation_matrix) else None
    if turn is not None and vectors is not None:
        vectors = None
    other_script = 0
    garbled = _misencoded_fonts(blocks)
    for block in blocks:
        if block["type"] == 3:
            if vectors is not None:
                vectors.append(block)
            continue
        for line in block.get("lines", ()):
            dx, dy = line["dir"]
            if turn is not None:
                dx, dy = dx * turn.a + dy * turn.c, dx * turn.b + dy * turn.d
            if abs(dy) > 0.1 or dx < 0:  # rotated or upside-down text: watermarks, margin notes
                continue
            spans = [s for s in line["spans"] if s["font"] not in garbled] if garbled else line["spans"]
            text = "".join(s["text"] for s in spans)
            # what a line in a mis-encoded script font leaves is its pieces in other fonts: digits, a
            # bracket ("II(ii)\u00ba 3"); a line still holding words goes on without the mis-encoded spans
            if (len(spans) < len(line["spans"]) and len(_WORD.findall(text)) < 2) or _other_script(text):
                other_script += 1
                continue
            if not text.strip():
                continue
            chars = Counter()
            bold_chars = 0
            total = 0
            lead, leading = "", True
            for s in spans:
                n = len(s["text"].strip())
                if not n:
                    if leading:
                        lead += s["text"]
                    continue
                total += n
                chars[round(s["size"] * 2) / 2] += n
                if s["flags"] & 16 or "bold" in s["font"].lower() or "black" in s["font"].lower():
                    bold_chars += n
                    if leading:
                        lead += s["text"]
                else:
                    leading = False
            x0, y0, x1, y1 = line["bbox"] if turn is None else tuple(_turned(line["bbox"], turn))
            bold = bold_chars >= 0.8 * total
            out.append(Line(page_number, x0, y0, x1, y1, normalise_text(text),
                            chars.most_common(1)[0][0] if chars else 0.0, bold,
                            lead=normalise_text(lead) if lead.strip() and not bold else ""))
    if dropped is not None and other_script:
        dropped["other script"] += other_script
    return _drop_overprints(out)


def _drop_overprints(lines: list[Line]) -> list[Line]:
    """One copy of text drawn several times over itself, a hair apart: a typesetter's fake bold (a gazette
    prints the words of its headings four times, 0.3 pt apart, and the text layer keeps every copy, cut
    into overlapping pieces). Of lines on one baseline, one that lies mostly over a longer line is a copy."""
    if len(lines) < 2:
        return lines
    by_row: dict[int, list[Line]] = defaultdict(list)
    for ln in lines:
        by_row[round(ln.y1)].append(ln)
    drop: set[int] = set()
    for row in by_row.values():
        if len(row) < 2:
            continue
        kept: list[Line] = []
        # neighbours one point off the rounded baseline are the same row
        near = row + by_row.get(round(row[0].y1) + 1, []) + by_row.get(round(row[0].y1) - 1, [])
        for ln in sorted(near, key=lambda l: (l.x0 - l.x1, l.y0)):
            width = max(ln.x1 - ln.x0, 0.1)
            if any(abs(k.y1 - ln.y1) <= 1.5 and min(k.x1, ln.x1) - max(k.x0, ln.x0) > 0.5 * width for k in kept):
                if ln in row:
                    drop.add(id(ln))
                continue
            kept.append(ln)
    return [ln for ln in lines if id(ln) not in drop] if drop else lines


# A font named for a non-Latin script whose text comes out as Latin letters is a legacy 8-bit font that
# draws its script's glyphs at ASCII code points ("Devnagari-ChanakyaNormal": "Hkkjr dk jkti=k" is a
# Hindi masthead): its text is not what the page shows.
_SCRIPT_FONT = re.compile(r"devanagari|devnagari|hindi|kruti|chanakya|bengali|bangla|gujarati|gurmukhi|punjabi|"
                          r"tamil|telugu|kannada|malayalam|sinhala|arabic|urdu|farsi|hebrew|cyrillic|thai|khmer",
                          re.IGNORECASE)


_WORD = re.compile(r"[A-Za-z]{3,}")
_script_fonts: dict[str, bool] = {}  # font name -> named for a non-Latin script (a page has a handful of fonts)
# a word as no Latin-script language spells it: a sign inside it ("jkti=k", "vlk/kj.k", "fnYyh]", "izkf/dkj"),
# a capital after a small letter ("jftLVªh", "ubZ"), a letter outside English ("laö", "'kqØokj")
_ODD_WORD = re.compile(r"\w[=\[\]@&/|~^'\\.;]\w|\w\]|^\[|[a-z][A-Z]|[\u00aa-\u00ff\u0152\u0153\u2018\u2019]")


def _misencoded_fonts(blocks: list[dict]) -> set[str]:
    """Fonts of a page named for a non-Latin script whose text there comes out as ASCII words that no Latin
    language spells (a third of them or more): a legacy font that draws its script at ASCII code points.
    A Unicode font named for a script ("NotoSansDevanagari") that sets English words is not one."""
    words: dict[str, list[int]] = {}
    for block in blocks:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                font = span["font"]
                named = _script_fonts.get(font)
                if named is None:
                    named = _script_fonts[font] = bool(_SCRIPT_FONT.search(font))
                if named and not _other_script(span["text"]):
                    counts = words.setdefault(font, [0, 0])
                    for w in span["text"].split():
                        if len(w) >= 2 and _LETTER.search(w):
                            counts[0] += 1
                            counts[1] += bool(_ODD_WORD.search(w))
    return {font for font, (n, odd) in words.items() if n and 3 * odd >= n}


def _other_script(text: str) -> bool:
    """A line whose letters are mostly of another script than the Latin one of English text (a bilingual
    gazette's Hindi half, cut into pieces): records are English. Greek letters count as Latin here
    (symbols in formulas); a line without letters (a number) is not judged."""
    if text.isascii():
        return False
    other = latin = 0
    for c in text:
        if c.isalpha():
            if c < "\u0250" or "\u0370" <= c < "\u0400" or "\u1e00" <= c < "\u1f00":
                latin += 1
            else:
                other += 1
    return other > latin


def _shown_upright(blocks: list[dict], turn) -> bool:
    """True when more of a rotated page's characters read left to right as shown than as stored."""
    shown = stored = 0
    for block in blocks:
        for line in block.get("lines", ()):
            dx, dy = line["dir"]
            n = sum(len(s["text"]) for s in line["spans"])
            if abs(dy) <= 0.1 and dx > 0:
                stored += n
            elif abs(dx * turn.b + dy * turn.d) <= 0.1 and dx * turn.a + dy * turn.c > 0:
                shown += n
    return shown > stored


def _turned(bbox, turn) -> tuple[float, float, float, float]:
    import pymupdf

    r = pymupdf.Rect(bbox) * turn
    return r.x0, r.y0, r.x1, r.y1


def _margin_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _edge_lines(lines: list[Line], height: float) -> list[Line]:
    """Lines where running heads live: the top/bottom margin bands and the first and last two lines of a page
    (a running head set lower than usual, "Contains Nonbinding Recommendations", is still the first line)."""
    top, bottom = height * _MARGIN_FRACTION, height * (1 - _MARGIN_FRACTION)
    ordered = sorted(lines, key=lambda ln: ln.y0)
    edge = {id(ln) for ln in ordered[:2] + ordered[-2:]}
    return [ln for ln in lines if ln.y1 <= top or ln.y0 >= bottom or id(ln) in edge]


def running_header_footer_keys(pages: list[list[Line]], page_heights: list[float]) -> set[str]:
    """Texts (digits masked) of edge lines that repeat on enough pages to be running heads."""
    counts: Counter = Counter()
    for lines, height in zip(pages, page_heights):
        counts.update({_margin_key(ln.text) for ln in _edge_lines(lines, height)})
    need = max(2, -(-len(pages) * 2 // 5))  # on at least 40% of the pages, and at least 2
    return {k for k, n in counts.items() if n >= need}


# page furniture in the top or bottom margin even on one page only: a letterhead's address and phone line
# ("Commission Europeenne, B-1049 Bruxelles ... Telephone: (32-2) 299 11 11"), an agency's copyright line
# ("\u00a9 European Medicines Agency, 2018. Reproduction is authorised provided the source is acknowledged."),
# set in type smaller than the body (the body's last lines reach into the bottom band on many pages)
_LETTERHEAD = re.compile(r"\b(?:tel|telephone|phone|fax|facsimile)\b\W{0,3}[+(]?\d|\u00a9"
                         r"|reproduction is authori[sz]ed|^official address\b|^an agency of the european union$",
                         re.IGNORECASE)


def strip_headers_footers(lines: list[Line], height: float, repeated: set[str],
                          body_size: float = 0.0) -> tuple[list[Line], int]:
    top, bottom = height * _MARGIN_FRACTION, height * (1 - _MARGIN_FRACTION)
    edge = {id(ln) for ln in _edge_lines(lines, height)}
    furniture = []
    for ln in lines:
        key = _margin_key(ln.text)
        in_margin = ln.y1 <= top or ln.y0 >= bottom
        if (id(ln) in edge and (key in repeated or (in_margin and _PAGE_NUMBER.match(ln.text))
                                or (in_margin and _piece_of_running_head(key, repeated)))) \
                or (in_margin and body_size > 0 and ln.size <= 0.9 * body_size and _LETTERHEAD.search(ln.text)):
            furniture.append(ln)
    if not furniture:
        return lines, 0
    drop = {id(ln) for ln in furniture}
    body = [ln for ln in lines if id(ln) not in drop]
    # a list label that opens a page's first row ("(6)" beside "The manufacture of ...") repeats, digits
    # masked, at the top of many pages like a running head; a running head has no body text on its row
    # (only short lines are looked at: a label, a number)
    for ln in furniture:
        if len(ln.text) > 12:  # a label or a number, not a running head's words
            continue
        h = max(ln.y1 - ln.y0, 1.0)
        if any(min(ln.y1, b.y1) - max(ln.y0, b.y0) > 0.5 * min(h, b.y1 - b.y0) for b in body):
            drop.discard(id(ln))
    kept = [ln for ln in lines if id(ln) not in drop]
    return kept, len(lines) - len(kept)


def _piece_of_running_head(key: str, repeated: set[str]) -> bool:
    """A margin line that is a piece of a longer running head: a first page's masthead spells the running
    head out over several lines ("Federal Register", "Vol. 85, No. 152", "Thursday, August 6, 2020")."""
    return len(key) >= 8 and any(len(k) > len(key) and key in k for k in repeated)


_LINE_NUMBER = re.compile(r"^\d{1,4}$")


def strip_line_numbers(lines: list[Line], after: int | None = None) -> tuple[list[Line], int, int | None]:
    """Drop a line-number gutter (FDA draft guidances number every line in the left margin).

    Gutter numbers are lines that are only a number and end left of where the
    page's text starts; a page needs at least five of them, so a lone number
    in the margin (a footnote mark, a page number) stays. `after`: the last
    gutter number of the pages before; then a page with fewer numbers (a
    table page numbers only its title line) loses the margin numbers that
    continue that count. Returns (kept lines, numbers removed, the last
    gutter number so far).
    """
    numbers = [ln for ln in lines if _LINE_NUMBER.match(ln.text)]
    text = [ln for ln in lines if not _LINE_NUMBER.match(ln.text)]
    if not numbers or not text:
        return lines, 0, after
    left = min(ln.x0 for ln in text)
    right = max(ln.x1 for ln in text)
    gutter = [ln for ln in numbers if ln.x1 <= left + 1 or ln.x0 >= right - 1]
    if len(gutter) < 5:
        # fewer than five: only numbers that carry on the document's count, starting left of the text
        # (a wide table reaches into the margin, so the number need not end before it)
        gutter = [ln for ln in numbers if after is not None and ln.x0 < left
                  and after < int(ln.text) <= after + _GUTTER_CONTINUES]
        if not gutter:
            return lines, 0, after
    drop = {id(ln) for ln in gutter}
    last = max(int(ln.text) for ln in gutter)
    return [ln for ln in lines if id(ln) not in drop], len(drop), max(last, after or 0)


# a page's gutter numbers start at most this far after the last one of the pages before (numbering
# restarts on some pages, skips blank lines and headings on others)
_GUTTER_CONTINUES = 60


# ---------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------

# PyMuPDF's table finder costs 50-100 ms a page as shipped and still about 10 ms with the word probes of
# `_find_tables` (several text pages' worth), so it runs only where the drawings could be a ruled grid:
# at least this many distinct rule positions across and down. A box round a paragraph (2 and 2) or a
# page frame does not qualify.
_GRID_MIN_RULES = 3
_RULE_MIN_LENGTH = 8.0  # shorter strokes are glyph fragments, check boxes, bullets
_RULE_THICKNESS = 3.5  # a filled rectangle this thin is a rule (word processors draw rules that way)
_RULE_SNAP = 5.0  # rules this close are one position (double and triple frame rules, cell-by-cell strokes)


@dataclass
class RuledRegion:
    """Where a page's rules could form a table grid, and the strokes that are no rules."""

    bbox: tuple[float, float, float, float]
    # boxes of slanted lines and curves at least a rule long: where several fall inside a "table",
    # it is a chart or a diagram whose axes or boxes the table finder read as a grid
    strokes: list[tuple[float, float, float, float]]


_FIGURE_MIN_STROKES = 4
# a page with this many drawn shapes that are no rectangles is artwork (a gazette's emblem, lettering drawn
# as outlines: 400 such shapes and 24,000 path items on one page), not a table: the finder would take half
# a second there to find nothing
_ARTWORK_MIN_SHAPES = 200


@dataclass
class PageTable:
    """A table found on a page, as Markdown, with the cell boxes whose text it holds."""

    bbox: tuple[float, float, float, float]
    markdown: str
    cells: list[tuple[float, float, float, float]]


def _distinct(positions: list[float]) -> int:
    count, last = 0, None
    for p in sorted(positions):
        if last is None or p - last > _RULE_SNAP:
            count += 1
        last = p
    return count


class _Rules:
    """Rule positions, their bounding box and the non-rule strokes of one page, as they are read."""

    def __init__(self) -> None:
        self.xs: list[float] = []
        self.ys: list[float] = []
        self.strokes: list[tuple[float, float, float, float]] = []
        self.box: tuple[float, float, float, float] | None = None

    def _extend(self, r) -> None:
        b = self.box
        self.box = tuple(r) if b is None else (min(b[0], r[0]), min(b[1], r[1]), max(b[2], r[2]), max(b[3], r[3]))

    def rect(self, r) -> None:
        """A rectangle: a thin one is a rule, a larger one gives its four sides (a frame, a cell, a shading)."""
        w, h = r[2] - r[0], r[3] - r[1]
        if h <= _RULE_THICKNESS and w >= _RULE_MIN_LENGTH:
            self.ys.append((r[1] + r[3]) / 2)
        elif w <= _RULE_THICKNESS and h >= _RULE_MIN_LENGTH:
            self.xs.append((r[0] + r[2]) / 2)
        elif w >= _RULE_MIN_LENGTH and h >= _RULE_MIN_LENGTH:
            self.xs += (r[0], r[2])
            self.ys += (r[1], r[3])
        else:
            return
        self._extend(r)

    def line(self, a, b) -> None:
        (ax, ay), (bx, by) = a, b
        r = (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
        if abs(ay - by) <= 1 and abs(ax - bx) >= _RULE_MIN_LENGTH:
            self.ys.append((ay + by) / 2)
        elif abs(ax - bx) <= 1 and abs(ay - by) >= _RULE_MIN_LENGTH:
            self.xs.append((ax + bx) / 2)
        else:
            self.stroke(r)
            return
        self._extend(r)

    def stroke(self, r) -> None:
        """A slanted line or a curve; one shorter than a rule (a rounded corner, a glyph piece) is no evidence."""
        if r[2] - r[0] + r[3] - r[1] >= _RULE_MIN_LENGTH:
            self.strokes.append(tuple(r))

    def region(self) -> RuledRegion | None:
        if self.box is None or len(self.xs) < _GRID_MIN_RULES or len(self.ys) < _GRID_MIN_RULES:
            return None
        if _distinct(self.xs) < _GRID_MIN_RULES or _distinct(self.ys) < _GRID_MIN_RULES:
            return None
        return RuledRegion(self.box, self.strokes)


def table_region(page, vectors: list[dict] | None = None) -> RuledRegion | None:
    """The box around a page's horizontal and vertical rules if they could form a table grid, else None.

    Straight lines and thin filled rectangles are rules, a larger rectangle
    gives its four sides. A grid needs rules at `_GRID_MIN_RULES` distinct
    heights and as many distinct x positions.

    `vectors` are the page's vector blocks from the text extraction
    (`page_lines(..., vectors=[])`, collected in the same pass at no
    measurable cost). MuPDF reports every straight segment and rectangle
    there as a rectangle, so when nothing else is drawn they decide alone,
    and a page with no drawing costs nothing. Anything else drawn (a
    slanted line, a curve, a polyline: a chart, or a grid drawn as one
    path) sends the page to `get_cdrawings`, which lists each path's items
    (about 1 ms a page).
    """
    rules = _Rules()
    if vectors is not None:
        shapes = 0  # drawn shapes that are no rectangles, at least a rule long
        for v in vectors:
            r = v["bbox"]
            if v.get("isrect") or min(r[2] - r[0], r[3] - r[1]) <= _RULE_THICKNESS:
                rules.rect(r)
            elif max(r[2] - r[0], r[3] - r[1]) >= _RULE_MIN_LENGTH:
                shapes += 1
        if shapes >= _ARTWORK_MIN_SHAPES:
            return None
        if not shapes:
            return rules.region()
        rules = _Rules()  # not only rectangles: read the page's drawings item by item
    for path in page.get_cdrawings():
        for item in path["items"]:
            kind = item[0]
            if kind == "l":
                rules.line(item[1], item[2])
            elif kind == "re":
                rules.rect(item[1])
            elif kind == "c":
                pts = item[1:5]
                rules.stroke((min(q[0] for q in pts), min(q[1] for q in pts),
                              max(q[0] for q in pts), max(q[1] for q in pts)))
    return rules.region()


_MD_SEPARATOR = re.compile(r"^\|(?: ?-{3,} ?\|)+$")
# a cell of a contents page: dot leaders, with the page number in the same cell or in the next column
_LEADER_CELL = re.compile(r"(?:\.\s?){4,}\s*(?:\d{1,4}|[ivxlc]{1,6})?\s*$|(?:…|·){3,}\s*\d{0,4}\s*$", re.I)


def _cell_text(words: list[tuple]) -> str:
    """The words of one cell in reading order: lines top to bottom, a word hyphenated across a line break joined."""
    lines: dict[tuple[int, int], list[tuple]] = {}
    for w in words:
        lines.setdefault((w[5], w[6]), []).append(w)
    ordered = sorted(lines.values(), key=lambda ws: (round(min(w[1] for w in ws)), min(w[0] for w in ws)))
    text = ""
    for ws in ordered:
        line = " ".join(w[4] for w in sorted(ws, key=lambda w: w[7]))
        if len(text) > 2 and text[-1] == "-" and text[-2].isalpha() and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return normalise_text(text).replace("|", "\\|")


def table_markdown(rows: list[list[str]]) -> str | None:
    """A grid of cell texts as a Markdown table (first row the header), or None when it is not a real table.

    Empty rows and columns are dropped first. What is left is no table when it
    has fewer than two rows or columns, fewer than two rows with two filled
    cells (a boxed paragraph, a flow chart), less than half its cells filled
    (a chart's plot area), or dot leaders in most rows (a contents page drawn
    as a table, which the contents filter drops as lines).
    """
    rows = [r for r in rows if any(r)]
    if not rows:
        return None
    keep = [j for j in range(len(rows[0])) if any(r[j] for r in rows)]
    rows = [[r[j] for j in keep] for r in rows]
    if len(rows) < 2 or len(keep) < 2:
        return None
    if sum(1 for r in rows if sum(1 for c in r if c) >= 2) < 2:
        return None
    if sum(1 for r in rows for c in r if c) < 0.5 * len(rows) * len(keep):
        return None
    if sum(1 for r in rows if any(_LEADER_CELL.search(c) for c in r)) > len(rows) / 2:
        return None

    def line(cells: list[str]) -> str:
        # an empty cell is "| |", not "|  |": text normalisation collapses double spaces
        return "|" + "|".join(f" {c} " if c else " " for c in cells) + "|"

    return "\n".join([line(rows[0]), line(["---"] * len(keep))] + [line(r) for r in rows[1:]])


def _find_tables(page, clip) -> tuple[object | None, list[tuple]]:
    """`page.find_tables` on the line strategy, and the words of the clip.

    The layout model is off (ten times the cost, and ruled tables do not need
    it). While the finder runs, its `make_chars` is replaced by one that
    records one entry per word instead of per character: with the line
    strategy the finder reads that list only to ask whether a box holds
    text, which a word answers as well as its letters do, and building a
    dictionary per character was 85% of the finder's time. The entries carry
    the keys that question reads, computed as make_chars computes them; the
    same words then give the cells their text. The finder's result is None
    when it failed.
    """
    from pymupdf import table as finder

    words: list[tuple] = []

    def word_chars(page, clip=None):
        textpage = page.get_textpage(clip=clip, flags=_TEXT_FLAGS)
        words.extend(textpage.extractWORDS())
        a, b, c, d, e, f = page.transformation_matrix
        entries = []
        for x0, y0, x1, y1, word, *_ in words:
            ys = (b * x0 + d * y0 + f, b * x1 + d * y0 + f, b * x0 + d * y1 + f, b * x1 + d * y1 + f)
            entries.append({"x0": x0, "x1": x1, "top": y0, "bottom": y1, "y0": min(ys), "y1": max(ys),
                            "text": word, "width": x1 - x0, "height": y1 - y0, "upright": True,
                            "page_number": page.number + 1})
        finder.CHARS.extend(entries)
        return textpage

    make_chars = getattr(finder, "make_chars", None)
    patch = make_chars is not None and hasattr(finder, "CHARS")  # else another PyMuPDF: its own, slower way
    # The finder reads a page turned upright as displayed (/Rotate); the text lines are read as stored.
    # Shown as stored for the call (in memory only, never saved), both see the same page.
    rotation = page.rotation
    if rotation:
        page.set_rotation(0)
    if patch:
        finder.make_chars = word_chars
    try:
        found = page.find_tables(clip=clip, use_layout=False)
        if not patch:
            words.extend(page.get_text("words", flags=_TEXT_FLAGS, clip=clip))
    finally:
        if patch:
            finder.make_chars = make_chars
        if rotation:
            page.set_rotation(rotation)
    return found, words


def page_tables(page, region: RuledRegion) -> list[PageTable]:
    """Ruled tables inside `region` of a page, each as Markdown (see `table_markdown`); a "table" with
    `_FIGURE_MIN_STROKES` slanted lines or curves inside is a chart or diagram and stays text.

    PyMuPDF finds the grid (`_find_tables`, clipped to the ruled region).
    Cell text comes from MuPDF's words, which keep the spaces that the table
    finder's own character grouping loses; a cell holds the words whose
    centre lies in it.
    """
    import pymupdf

    clip = pymupdf.Rect(region.bbox) + (-2, -2, 2, 2)
    found, words = _find_tables(page, clip)
    out: list[PageTable] = []
    if found is None or not found.tables:
        return out
    for table in found.tables:
        tx0, ty0, tx1, ty1 = table.bbox
        if sum(1 for r in region.strokes if r[0] >= tx0 - 1 and r[1] >= ty0 - 1 and r[2] <= tx1 + 1
               and r[3] <= ty1 + 1) >= _FIGURE_MIN_STROKES:
            continue
        grid: list[list[str]] = []
        cells: list[tuple[float, float, float, float]] = []
        for row in table.rows:
            texts = []
            for cell in row.cells:
                if cell is None:  # covered by a merged cell to its left or above
                    texts.append("")
                    continue
                x0, y0, x1, y1 = cell
                inside = [w for w in words if x0 <= (w[0] + w[2]) / 2 <= x1 and y0 <= (w[1] + w[3]) / 2 <= y1]
                texts.append(_cell_text(inside))
                cells.append(tuple(cell))
            grid.append(texts)
        markdown = table_markdown(grid)
        if markdown is None:
            continue
        out.append(PageTable((tx0, ty0, tx1, ty1), markdown, cells))
    return out


def place_tables(lines: list[Line], tables: list[PageTable], page_number: int) -> list[Line]:
    """Lines of a page with the text inside each table's cells replaced by one table line at the table's place.

    A line belongs to a table when its centre lies in one of the table's cells;
    text in the table's box but outside every cell (a caption between rules)
    stays prose. The table line takes the font size most of its text had, so
    body-size and heading detection see the page as before.
    """
    if not tables:
        return lines
    kept: list[Line] = []
    taken: list[list[Line]] = [[] for _ in tables]
    for ln in lines:
        cx, cy = (ln.x0 + ln.x1) / 2, (ln.y0 + ln.y1) / 2
        for k, t in enumerate(tables):
            if any(c[0] - 1 <= cx <= c[2] + 1 and c[1] - 1 <= cy <= c[3] + 1 for c in t.cells):
                taken[k].append(ln)
                break
        else:
            kept.append(ln)
    for t, inside in zip(tables, taken):
        sizes: Counter = Counter()
        for ln in inside:
            sizes[ln.size] += len(ln.text)
        size = sizes.most_common(1)[0][0] if sizes else 0.0
        x0, y0, x1, y1 = t.bbox
        kept.append(Line(page_number, x0, y0, x1, y1, t.markdown, size, False, table=True))
    return kept


# ---------------------------------------------------------------------------
# Reading order
# ---------------------------------------------------------------------------

_GUTTER_MIN_WIDTH = 5.0  # pt; a word space is 2-3 pt, but voters are whole lines, so no word gap can vote

def find_gutters(lines: list[Line]) -> list[tuple[float, float]]:
    """Vertical strips (x0, x1) that separate text columns; [] for a single-column page.

    Only column-like lines (15-62% of the text width) vote, so headings, short
    paragraph endings and table cells neither make nor hide a gutter. A strip
    is a gutter when no voting line crosses it, it is at least `_GUTTER_MIN_WIDTH`
    wide, lies inside the text area and has at least three voting lines on each
    side. The strips are the exact gaps between the voters' extents: justified
    columns set close (the Federal Register's three columns are 6.5 pt apart)
    have a narrow gutter but a clean one.
    """
    if len(lines) < 6:
        return []
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    width = right - left
    if width <= 0:
        return []
    voters = [ln for ln in lines if 0.15 * width <= ln.x1 - ln.x0 <= 0.62 * width]
    if len(voters) < 6:
        return []
    gutters = []
    reach = None  # right end of the voters' covered extent so far
    for ln in sorted(voters, key=lambda l: l.x0):
        if reach is not None and ln.x0 - reach >= _GUTTER_MIN_WIDTH \
                and left + 0.1 * width < reach and ln.x0 < left + 0.9 * width:
            g0, g1 = reach, ln.x0
            if sum(1 for v in voters if v.x1 <= g0) >= 3 and sum(1 for v in voters if v.x0 >= g1) >= 3:
                gutters.append((g0, g1))
        reach = ln.x1 if reach is None else max(reach, ln.x1)
    return gutters


def _row_lead(left: Line, right: Line) -> str:
    """The bold words a merged row starts with: the left line's, or all of it when a bold label was set
    as a line of its own ("SUMMARY:" then "The FAA proposes ..." on the same baseline)."""
    if left.lead:
        return left.lead
    return left.text if left.bold and not right.bold else ""


def _rows(lines: list[Line]) -> list[Line]:
    """Merge lines that share a baseline ('4.2' and 'Validation' set apart by a tab) into rows."""
    rows: list[Line] = []
    for ln in sorted(lines, key=lambda l: (l.y0, l.x0)):
        if rows and not ln.table and not rows[-1].table:
            r = rows[-1]
            overlap = min(r.y1, ln.y1) - max(r.y0, ln.y0)
            same_row = overlap > 0.5 * min(r.y1 - r.y0, ln.y1 - ln.y0)
            # a number set a little lower than its heading's words ("I." then "INTRODUCTION") sorts after
            # them: it still goes first when it lies wholly to their left
            if same_row and (ln.x0 >= r.x0 or ln.x1 <= r.x0):
                bold = r.bold and ln.bold
                size = r.size if len(r.text) >= len(ln.text) else ln.size
                text = f"{r.text} {ln.text}" if ln.x0 >= r.x0 else f"{ln.text} {r.text}"
                rows[-1] = Line(r.page, min(r.x0, ln.x0), min(r.y0, ln.y0), max(r.x1, ln.x1), max(r.y1, ln.y1),
                                text, size, bold, lead=_row_lead(r, ln) if ln.x0 >= r.x0 else _row_lead(ln, r))
                continue
        rows.append(Line(ln.page, ln.x0, ln.y0, ln.x1, ln.y1, ln.text, ln.size, ln.bold, table=ln.table,
                         lead=ln.lead))
    return rows


# a table's or figure's caption starts its own paragraph ("Table 5a. Limits for ..."), even set close
# under the paragraph before it
_CAPTION = re.compile(r"^(?:(?:Table|Figure|Fig\.|Exhibit|Chart)\s+[A-Z]?\d+[a-z]?(?:\.\d+)*[.:]?"
                      r"|(?:Annex|Appendix)\s+(?:[A-Z]|\d+)[.:])\s+[A-Z]")
# a list item's or a numbered clause's label ("a)", "iv.", "2.1.", "1.10.", a bullet): the lines under it may hang
# indented
_LIST_LABEL = re.compile(r"^(?:\(?[a-z0-9ivx]{1,4}[.)]|\d{1,2}(?:\.\d{1,3}){1,3}\.?|[\u2022\u25aa\u2013\u2014*-])\s")
_CLAUSE = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s+[A-Z][a-z]")  # a numbered clause ("4.2 Validation ...")


def _bold_term(row: Line) -> bool:
    """A line that opens with a term in bold and a colon ("Life cycle: All phases ..."): a glossary entry."""
    if not row.lead:
        return False
    colon = row.text.find(":")
    return 2 <= colon <= len(row.lead) + 1 and len(row.text[:colon].split()) <= 6


def _mark_paragraphs(rows: list[Line], col_right: float, col_width: float) -> None:
    """Set `full` and `para_break`: a new paragraph after a vertical gap, after a short line
    ending a sentence, at an outdent (the next list item) or at an indented first line."""
    # Wide leading (line spacing 160%: 0.6 line heights between every two lines of a paragraph) is not a
    # paragraph break: when most gaps of the column are one wide gap, only a gap clearly wider than it is.
    gaps = [max(0.0, b.y0 - a.y1) for a, b in zip(rows, rows[1:]) if not a.table and not b.table and b.y0 > a.y0]
    heights = sorted(r.y1 - r.y0 for r in rows if not r.table) or [1.0]
    height = max(1.0, heights[len(heights) // 2])
    leading = 0.0
    if len(gaps) >= 6:
        common, n = Counter(round(g * 2) / 2 for g in gaps).most_common(1)[0]
        if 2 * n >= len(gaps) and common >= 0.5 * height:
            leading = min(common, 0.8 * height)
    for i, r in enumerate(rows):
        r.full = r.x1 >= col_right - 0.12 * col_width
        if i:
            prev = rows[i - 1]
            gap = r.y0 - prev.y1
            # back from an indented first line ("   You may examine the docket on" / "the internet at ...") is
            # the same paragraph; an outdent after a paragraph's second line is the next list item
            first_line_indent = ((i == 1 or prev.para_break) and prev.x0 - r.x0 <= 40
                                 and not _LIST_LABEL.match(prev.text))
            r.para_break = (gap > max(0.6 * max(1.0, prev.y1 - prev.y0), leading + 0.4 * height)
                            or (prev.text[-1:] in ".:;!?" and (not prev.full or _LIST_LABEL.match(r.text)))
                            or (r.x0 < prev.x0 - 8 and not first_line_indent)
                            or (r.x0 > prev.x0 + 8 and not _LIST_LABEL.match(prev.text))
                            or bool(_CAPTION.match(r.text))
                            or bool(_CLAUSE.match(r.text))
                            or _bold_term(r)
                            or (not prev.full and bool(_CAPTION.match(prev.text))))  # a one-line caption ends


# "7 Ethiopian ...", "* ...", "(1) OJ L 4, 7.1.2019, p. 43." (the Official Journal's mark)
_FOOTNOTE_START = re.compile(r"^(?:\d{1,3}(?![\d,.])|\(\d{1,3}\)(?=\s)|[*\u2020\u2021])\s*\S")


def _mark_footnotes(rows: list[Line], body_size: float, continued: bool) -> bool:
    """Mark the footnotes at the foot of a column: the rows after its last body-size row, in a type
    smaller than the body, the first of them numbered ("7 Ethiopian Aircraft ...") or carrying on a
    footnote from the column before (`continued`). Returns whether the column ends in a footnote."""
    k = len(rows)
    # smaller: 8.5 pt under 9.5 pt body (the Official Journal) is smaller, and headings are not at the foot
    while k > 0 and not rows[k - 1].table and 0 < rows[k - 1].size <= 0.9 * body_size:
        k -= 1
    if k == len(rows) or k == 0:
        return False
    if not (continued or _FOOTNOTE_START.match(rows[k].text)):
        return False
    for r in rows[k:]:
        r.note = True
        if _FOOTNOTE_START.match(r.text):
            r.para_break = True
    return True


def _body_size(lines: list[Line]) -> float:
    sizes: Counter = Counter()
    for ln in lines:
        sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def reading_order(lines: list[Line], body_size: float | None = None) -> tuple[list[Line], int]:
    """Rows of a page in reading order, and the number of columns found. Footnotes at the foot of a
    column are marked (`note`), so that the body's sentences can be read across them. `body_size`:
    the document's body type size (a page may hold more footnote text than body text); by default
    the page's own."""
    if not lines:
        return [], 0
    gutters = find_gutters(lines)
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines)
    body_size = body_size or _body_size(lines)
    if not gutters:
        rows = _rows(lines)
        _mark_paragraphs(rows, right, right - left)
        _mark_footnotes(rows, body_size, False)
        return rows, 1
    centres = [(g0 + g1) / 2 for g0, g1 in gutters]
    edges = [left] + centres + [right]

    def column(ln: Line) -> int:
        return sum(1 for c in centres if ln.x0 >= c)

    def spans_gutter(ln: Line) -> bool:
        return any(ln.x0 < c - 1 and ln.x1 > c + 1 for c in centres)

    ordered: list[Line] = []
    band: list[Line] = []
    in_note = False

    def flush() -> None:
        nonlocal in_note
        for col in range(len(centres) + 1):
            rows = _rows([ln for ln in band if column(ln) == col])
            if rows:
                col_right = max(r.x1 for r in rows)
                _mark_paragraphs(rows, col_right, edges[col + 1] - edges[col])
                # a column continues the previous one's paragraph unless that ended short
                body = [r for r in ordered if not r.note]
                rows[0].para_break = bool(body) and not body[-1].full
                in_note = _mark_footnotes(rows, body_size, in_note)
                ordered.extend(rows)
        band.clear()

    for ln in sorted(lines, key=lambda l: (l.y0, l.x0)):
        if spans_gutter(ln):
            flush()
            band.append(ln)
            flush()
        else:
            band.append(ln)
    flush()
    return ordered, len(centres) + 1


# ---------------------------------------------------------------------------
# Headings and sections
# ---------------------------------------------------------------------------

@dataclass
class _Style:
    body_size: float
    body_bold: bool


def body_style(rows: list[Line]) -> _Style:
    sizes: Counter = Counter()
    bold: Counter = Counter()
    for r in rows:
        sizes[r.size] += len(r.text)
    size = sizes.most_common(1)[0][0] if sizes else 0.0
    for r in rows:
        if r.size == size:
            bold[r.bold] += len(r.text)
    return _Style(size, bold[True] > bold[False])


def is_heading(row: Line, style: _Style) -> bool:
    if row.table:
        return False
    text = row.text
    if not 2 <= len(text) <= 150 or text[-1] in ",;":
        return False
    words = text.split()
    if len(words) > 16 or not _LETTER.search(text) or _PAGE_NUMBER.match(text):
        return False
    if text[0] == "(" and text[-1] == ")":  # a note on what precedes it: "(Text with EEA relevance)"
        return False
    larger = style.body_size > 0 and row.size >= style.body_size * 1.12
    bolder = row.bold and not style.body_bold
    if larger or bolder:
        return True
    # ALL CAPS; not a parenthesised abbreviation ending a sentence ("(NPRM).")
    if text == text.upper() and len(words) <= 12 and len(_LETTER.findall(text)) >= 4 and text[0] != "(":
        return True
    # a numbered line in a smaller type than the body is a footnote ("2 62 FR 13430"), not a heading
    smaller = style.body_size > 0 and row.size < style.body_size * 0.92
    return (bool(_NUMBERED_HEADING.match(text)) and not row.full and len(words) <= 10 and text[-1] not in ".:"
            and not smaller)


_SENTENCE_END = re.compile(r"[.:;!?][\"\u201d\u2019)]?\d{0,2}$")  # "... submission.2": a footnote mark may follow


def _join_rows(rows: list[Line]) -> str:
    """Rows to text: paragraphs separated by newlines, words re-joined across hyphenated breaks,
    a Markdown table set apart by a blank line before and after it."""
    out: list[str] = []
    tables: list[bool] = []
    body = [r for r in rows if not r.note]
    if len(body) < len(rows):  # footnotes after the text they interrupted, each its own paragraph
        notes = [r for r in rows if r.note]
        notes[0].para_break = True
        rows = body + notes
    last = None
    for r in rows:
        if r.table:
            out.append(r.text)
            tables.append(True)
            continue
        # a new page after a short line that ended a sentence starts a paragraph (the page's first line
        # has no line above it to measure a gap from)
        new_page = (last is not None and r.page != last.page and not last.full and not r.note
                    and bool(_SENTENCE_END.search(last.text)))
        last = r
        if not out or r.para_break or tables[-1] or new_page:
            out.append(r.text)
            tables.append(False)
            continue
        prev = out[-1]
        # "non-" + "binding": one word; after a capital the hyphen stays ("FAA-" + "approved")
        if len(prev) > 2 and prev[-1] == "-" and prev[-2].islower() and r.text[:1].islower():
            out[-1] = prev[:-1] + r.text
        elif len(prev) > 2 and ((prev[-1] in "-\u2013" and prev[-2].isalnum() and r.text[:1].isalnum())
                                or (prev[-1] == "/" and not r.text[:1].isspace())):
            # a dash that stays (a name, "737\u20139", a docket number), a web address broken after a
            # slash ("https://" + "www.regulations.gov"), "and/" + "or"
            out[-1] = prev + r.text
        else:
            out[-1] = prev + " " + r.text
    return _join_blocks(out, tables)


def _join_blocks(blocks: list[str], tables: list[bool]) -> str:
    text = ""
    for k, (block, is_table) in enumerate(zip(blocks, tables)):
        if k:
            text += "\n\n" if is_table or tables[k - 1] else "\n"
        text += block
    return text


def _text_blocks(text: str) -> tuple[list[str], list[bool]]:
    """Paragraphs and Markdown tables of a section text (blank lines dropped), and which are tables."""
    lines = text.split("\n")
    blocks: list[str] = []
    tables: list[bool] = []
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and _MD_SEPARATOR.match(lines[i + 1]):
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                j += 1
            blocks.append("\n".join(lines[i:j]))
            tables.append(True)
            i = j
            continue
        if lines[i]:
            blocks.append(lines[i])
            tables.append(False)
        i += 1
    return blocks, tables


def _split_table(table: str, limit: int) -> list[str]:
    """A Markdown table cut between rows into pieces of at most `limit` characters, each starting with the
    header and separator rows. A single row too long for that still goes whole, with the header."""
    rows = table.split("\n")
    head = "\n".join(rows[:2])
    pieces: list[str] = []
    piece = head
    for row in rows[2:]:
        if piece != head and len(piece) + 1 + len(row) > limit:
            pieces.append(piece)
            piece = head
        piece += "\n" + row
    if piece != head or not pieces:
        pieces.append(piece)
    return pieces


def _split_long(text: str, limit: int) -> list[str]:
    """Split at paragraph, then sentence boundaries so each part is at most `limit` characters.

    A Markdown table is never cut inside a row: it goes whole into a part when
    it fits, else it is split between rows and every piece repeats the header.
    """
    if len(text) <= limit:
        return [text]
    blocks, is_table = _text_blocks(text)
    pieces: list[tuple[str, bool]] = []
    for para, table in zip(blocks, is_table):
        if table:
            pieces += [(t, True) for t in ([para] if len(para) <= limit else _split_table(para, limit))]
            continue
        if len(para) <= limit:
            pieces.append((para, False))
            continue
        sentence = ""
        for s in re.split(r"(?<=[.;:!?])\s+", para):
            while len(s) > limit:  # one endless "sentence" (a list or table that was not ruled)
                pieces.append((s[:limit], False))
                s = s[limit:]
            if sentence and len(sentence) + 1 + len(s) > limit:
                pieces.append((sentence, False))
                sentence = s
            else:
                sentence = f"{sentence} {s}" if sentence else s
        if sentence:
            pieces.append((sentence, False))
    parts: list[tuple[list[str], list[bool]]] = []
    size = 0
    for p, table in pieces:
        sep = 2 if table or (parts and parts[-1][1][-1]) else 1
        if parts and size + sep + len(p) <= limit:
            parts[-1][0].append(p)
            parts[-1][1].append(table)
            size += sep + len(p)
        else:
            parts.append(([p], [table]))
            size = len(p)
    return [_join_blocks(b, t) for b, t in parts]


# a table-of-contents line: dot (or middle-dot/ellipsis) leaders before a page number
_DOT_LEADER = re.compile(r"(?:\.\s?){4,}\s*(?:\d{1,4}|[ivxlc]{1,6})\s*$|(?:…|·){3,}\s*\d{0,4}\s*$", re.I)
_FOOTNOTE_MARK = re.compile(r"(?<=[a-z)])\d{1,2}(?=\s|$)")
_TOC_PAGE_ENTRIES = 5  # leader lines that make a page (part) a table of contents
_TOC_HEADING = re.compile(r"^(?:table of contents|contents|toc)$", re.I)
# a run-in label in bold capitals heads a section ("SUMMARY:", "FOR FURTHER INFORMATION CONTACT:"); a remark
# inside a section ("NOTE:", "EXAMPLE:") does not
_RUN_IN_LABEL = re.compile(r"^(?!(?:NOTES?|EXAMPLES?|WARNING|CAUTION|IMPORTANT|TIP|REMARKS?|E\.G|I\.E)\s*:)"
                           r"([A-Z][A-Z ,/&'’-]{2,}[A-Z])\s*:$")
# sections that are about the document, not what it requires: left out of training, counted by reason
_BOILERPLATE_HEADING = re.compile(
    r"^(?:additional copies|paperwork reduction act(?: of 1995)?|for further information contact|"
    r"comments and suggestions|public comment|how to comment|comments invited|addresses|copyright|legal notice|"
    r"document history|status of the document|reasons for changes|(?:deadline|date) for coming into operation|"
    r"contact(?: information| us)?|acknowledg(?:e)?ments?)\b", re.I)
_BOILERPLATE_TEXT = re.compile(
    r"additional copies (?:are|of this)|(?:submit|send) (?:electronic|written|your) comments|"
    r"comments and suggestions regarding this (?:draft )?document|for questions (?:regarding|about) this "
    r"(?:draft )?(?:document|guidance)|all rights reserved|reproduction is authori[sz]ed provided|"
    r"this document (?:is|may be) (?:available|downloaded)|paperwork reduction act|"
    r"this section of the federal register contains", re.I)
# a document's standard statement about itself: the disclaimer box of FDA guidances ("It does not create or confer
# any rights for or on any person"), an ICH guideline's step statement and step history. A section of nothing else
# is front matter; where the statement opens a section with content after it, the section stays
_STANDARD_STATEMENT = re.compile(
    r"does not (?:create or confer|establish) any rights for (?:or on )?any person"
    r"|has been developed by the appropriate ich expert working group|approval by the steering committee"
    r"|having reached step \d of the ich process|recommended for adoption to the (?:three )?regulatory", re.I)
# a section that opens with the document's own legal and status block (an EU GMP part's cover): front matter
# whatever its length (its "Reasons for changes" can run long)
_FRONT_MATTER_START = re.compile(r"^\s*\|?\s*(?:legal (?:basis|context) for publishing the detailed guidelines|"
                                 r"document history\b|status of the document\s*:|reasons for changes\s*:|"
                                 r"(?:deadline|date) for coming into operation\b)", re.I)


# a line of a contact block: a web or mail address, a phone number, a mail code ("HFD-240"), an "or"
# between addresses, or an office's name ("Division of Drug Information", "Center for ...")
_CONTACT_LINE = re.compile(
    r"https?://|\bwww\.|@[\w-]+\.[a-z]{2,}|\b(?:tel|phone|fax|telephone)\b|\(\d{3}\)|\b\d{3}[-. ]\d{3}[-. ]\d{4}\b"
    r"|\bHF[A-Z]-?\d+|^(?:or|and)$|^(?:division|center|centre|office|communications?|department|branch)\b", re.I)
_PHONE_OR_OFFICE = re.compile(r"\b(?:tel|phone|fax|telephone)\b|\(\d{3}\)|\b\d{3}[-. ]\d{3}[-. ]\d{4}\b|\bHF[A-Z]-?\d+"
                              r"|^(?:division|office) of\b", re.I)


# a document's status and history block: "Status of the document: Revision.", "Reasons for changes: ...",
# "Deadline for coming into operation: ...", EMA's "Adopted by CHMP ..." / "Date for coming into effect ..."
_HISTORY_LINE = re.compile(r"^(?:status of the document|reasons? for (?:the )?changes?|deadline for coming into "
                           r"(?:operation|effect)|date for coming into (?:effect|operation)|(?:final )?adoption by|"
                           r"(?:draft )?(?:adopted|agreed) by (?:the )?[A-Z]|start of (?:public )?consultation|"
                           r"end of (?:public )?consultation|keywords)\b", re.I)
_PHONE_LABEL = re.compile(r"\b(?:tel|phone|telephone|fax)\s*[:.]", re.I)
_COLOPHON_LINE = re.compile(r"^(?:publication(?: date)?|published by|publisher|editor(?:ial)?|edited by|printed by|"
                            r"isbn|issn)\b", re.I)


def boilerplate_reason(heading: str | None, text: str) -> str | None:
    """Why a section is boilerplate (contents, comments, contacts, copyright), or None for content."""
    if heading and _TOC_HEADING.match(heading.strip()):
        return "contents"
    # a number, or a guideline's code ("Q9 Document History"), may come before the heading's words
    if heading and _BOILERPLATE_HEADING.match(re.sub(r"^(?:[\dIVX.§\s]+|[A-Z]\d{1,2}[A-Z]?(?:\(R\d\))?\s+)", "",
                                                     heading).strip()):
        return "front matter"
    head = text[:400]
    if (len(text) < 1200 and _BOILERPLATE_TEXT.search(head)) or _FRONT_MATTER_START.match(text):
        return "front matter"
    if len(text) < 1500 and _STANDARD_STATEMENT.search(text):
        paragraphs = [p for p in text.split("\n") if p.strip()]
        if all(_STANDARD_STATEMENT.search(p) or len(p) < 120 for p in paragraphs):
            return "front matter"
    # a short section that ends with whom to call (a disclaimer page closing with "Tel :" and "Fax :")
    if len(text) < 1500 and len(_PHONE_LABEL.findall(text[-300:])) >= 2:
        return "front matter"
    # a colophon: who published, edited, printed the document
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    # (the block may be a ruled table, now Markdown: "| Adopted by CHMP ... | 23 July 2015 |")
    if len(text) < 2000 and sum(1 for ln in lines if _HISTORY_LINE.match(ln.lstrip("| "))) >= 2:
        return "front matter"
    if len(text) < 600 and sum(1 for ln in lines if _COLOPHON_LINE.match(ln)) >= max(2, len(lines) // 2):
        return "front matter"
    if len(text) < 2500:
        # where to get copies or whom to call, without a heading that says so (a title page's verso)
        lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
        if (len(lines) >= 4 and sum(1 for ln in lines if _CONTACT_LINE.search(ln)) >= 0.7 * len(lines)
                and sum(1 for ln in lines if _PHONE_OR_OFFICE.search(ln)) >= 2):  # not a list of web references
            return "contacts"
    return None


def split_sections(rows: list[Line], options: ExtractOptions,
                   dropped: Counter | None = None) -> tuple[list[Section], int]:
    """Sections at headings; returns (kept sections, number skipped for too little text).

    Table-of-contents lines are dropped; sections that are boilerplate (see
    `boilerplate_reason`) are left out and counted in `dropped` by reason.
    """
    leader = [i for i, r in enumerate(rows) if _DOT_LEADER.search(r.text)]
    if leader:
        toc = set(leader)
        # a contents page: entries wrapped over two lines have their leader on the last line only, and
        # a number may stand apart ("IV." then the entry); everything between the page's first and last
        # leader line is the contents
        by_page: dict[int, list[int]] = defaultdict(list)
        for i in leader:
            by_page[rows[i].page].append(i)
        for page, idx in by_page.items():
            if len(idx) >= _TOC_PAGE_ENTRIES:
                first = idx[0]
                # the first entry's own first line, when it wraps: just above, not a sentence's end
                if first and rows[first - 1].page == page and not _TOC_HEADING.match(rows[first - 1].text.strip()):
                    above, below = rows[first - 1], rows[first]
                    height = max(above.y1 - above.y0, 1.0)
                    if -0.5 * height <= below.y0 - above.y1 <= 0.8 * height \
                            and above.text.rstrip()[-1:] not in ".:;!?":
                        first -= 1
                toc.update(i for i in range(first, idx[-1] + 1) if rows[i].page == page and not rows[i].table)
        rows = [r for i, r in enumerate(rows) if i not in toc]
        if dropped is not None:
            dropped["toc lines"] += len(toc)
    rows = _drop_bare_contents(rows, dropped)
    style = body_style(rows)
    rows, labelled = _division_headings(rows, style)
    groups: list[tuple[Line | None, list[Line]]] = [(None, [])]
    for r in rows:
        label = _RUN_IN_LABEL.match(r.lead) if r.lead and r.text.startswith(r.lead) else None
        if label and not r.table and not is_heading(r, style):
            # a run-in label in bold capitals starts a section ("SUMMARY: The FAA proposes ...")
            rest = r.text[len(r.lead):].strip()
            body = [Line(r.page, r.x0, r.y0, r.x1, r.y1, rest, r.size, False, full=r.full)] if rest else []
            groups.append((Line(r.page, r.x0, r.y0, r.x1, r.y1, label.group(1), r.size, True), body))
            continue
        if id(r) in labelled or is_heading(r, style):
            head, body = groups[-1]
            # a heading wrapped onto a second line: same style, close below, not numbered itself
            if (head is not None and not body and head.page == r.page and abs(head.size - r.size) < 0.6
                    and head.bold == r.bold and 0 <= r.y0 - head.y1 <= 0.8 * max(r.size, 1.0)
                    and not _NUMBERED_HEADING.match(r.text)):
                groups[-1] = (Line(head.page, head.x0, head.y0, max(head.x1, r.x1), r.y1, f"{head.text} {r.text}",
                                   head.size, head.bold), body)
                continue
            groups.append((r, []))
        else:
            groups[-1][1].append(r)
    sections: list[Section] = []
    skipped = 0
    # "Document History" in heading type, then the document's title over the history table: the title's
    # section is front matter too (a front-matter heading with nothing under it passes that on, same page)
    inherited: tuple[str, int] | None = None
    for head, body in groups:
        if head is None and not body:
            continue
        heading = re.sub(r"\s*[.:]$", "", head.text).strip() if head is not None else None
        if heading:
            heading = _FOOTNOTE_MARK.sub("", heading)  # "Guidance for Industry1": a footnote mark, not text
        if not body:
            reason = boilerplate_reason(heading, "x" * options.min_section_chars)
            inherited = (reason, head.page) if reason == "front matter" else None
        text = _join_rows(body)
        if len(text) < options.min_section_chars:
            skipped += 1
            continue
        reason = boilerplate_reason(heading, text)
        if reason is None and inherited and head.page == inherited[1] and not _NUMBERED_HEADING.match(heading):
            reason = inherited[0]
        inherited = None
        if reason:
            if dropped is not None:
                dropped[reason] += 1
            continue
        pages = [r.page for r in body] + ([head.page] if head is not None else [])
        parts = _split_long(text, options.max_section_chars)
        for k, part in enumerate(parts, 1):
            sections.append(Section(heading, part, min(pages), max(pages), len(sections), k, len(parts)))
    return sections, skipped


def _contents_entry(row: Line, after_entry: bool) -> bool:
    """A line of a contents list without leaders or page numbers: short, not a sentence, numbered ("1.1
    Objective", "Annex 2") or a few words carrying on the numbered entry above it ("Materials")."""
    text = row.text.strip()
    if row.table or not 0 < len(text) <= 100 or len(text.split()) > 12 or text[-1] in ".;:,!?" \
            or not _LETTER.search(text):
        return False
    return bool(_ENTRY_START.match(text) or _DIVISION_LABEL.match(text)) or (after_entry and len(text.split()) <= 6)


_ENTRY_START = re.compile(r"^(?:\d{1,2}(?:\.\d{1,3})*\.?|[A-Z]\.|[IVX]{1,5}\.)\s+\S")


def _drop_bare_contents(rows: list[Line], dropped: Counter | None) -> list[Line]:
    """A table of contents without dot leaders or page numbers ("Table of Contents", then "1 Introduction",
    "1.1 Objective", ... over three pages): the numbered lines that follow a contents heading, up to the
    first line of prose. The last of them, when on the prose's page, is the first body heading: it stays."""
    drop: set[int] = set()
    for t, head in enumerate(rows):
        if head.table or not _TOC_HEADING.match(head.text.strip()):
            continue
        j = t + 1
        while j < len(rows) and rows[j].page <= head.page + 5 and _contents_entry(rows[j], j > t + 1):
            j += 1
        if j < len(rows) and j > t + 1 and rows[j - 1].page == rows[j].page:
            j -= 1  # "1 Introduction" over "This guideline was published ..."
        if j - (t + 1) >= _TOC_PAGE_ENTRIES:
            drop.update(range(t + 1, j))
    if not drop:
        return rows
    if dropped is not None:
        dropped["toc lines"] += len(drop)
    return [r for i, r in enumerate(rows) if i not in drop]


# a division's number on a line of its own, its name (if any) on the line below ("Article 2" over
# "Definitions", "CHAPTER I" over "GENERAL PROVISIONS")
_DIVISION_LABEL = re.compile(r"^(?:Article|Chapter|Annex|Appendix|Part|Section|Title)\s+"
                             r"(?:\d{1,3}[a-z]?|[IVXLC]{1,6}|[A-Z])\.?$", re.IGNORECASE)


def _division_headings(rows: list[Line], style: _Style) -> tuple[list[Line], set[int]]:
    """Division labels set alone on a line become headings, joined with the heading line under them:
    "Article 2" + "Definitions" -> "Article 2 Definitions". Returns the rows and the ids of such headings."""
    out: list[Line] = []
    labelled: set[int] = set()
    i = 0
    while i < len(rows):
        r = rows[i]
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if r.table or not _DIVISION_LABEL.match(r.text.strip()) or r.full:
            out.append(r)
            i += 1
            continue
        if (nxt is not None and not nxt.table and nxt.page == r.page and 0 <= nxt.y0 - r.y1 <= 2.5 * max(r.size, 1.0)
                and is_heading(nxt, style) and not _NUMBERED_HEADING.match(nxt.text)
                and not _DIVISION_LABEL.match(nxt.text.strip())):
            head = Line(r.page, min(r.x0, nxt.x0), r.y0, max(r.x1, nxt.x1), nxt.y1, f"{r.text.strip()} {nxt.text}",
                        nxt.size, nxt.bold, para_break=True)
            out.append(head)
            labelled.add(id(head))
            i += 2
            continue
        if r.para_break and (nxt is None or nxt.para_break or nxt.page != r.page):
            labelled.add(id(r))  # "Article 3" over its first paragraph
        out.append(r)
        i += 1
    return out, labelled


# cover-page lines in title type that name the kind of document, not the document
_GENERIC_TITLE = re.compile(
    r"^(?:draft )?guidance(?: document)?(?: for industry)?(?:,? (?:and|&) (?:fda |review )?staff)?$"
    r"|^(?:and|&) (?:fda |review )?staff$|^draft(?: guidance)?$|^(?:ich )?harmoni[sz]ed (?:tripartite )?guideline$"
    r"|^(?:notices?|rules?|proposed rules?)$"
    r"|^(?:current )?step \d(?: version)?$"  # the ICH step an EMA or ICH guideline has reached
    # the lines that name a collection, not the part of it the document is (EudraLex Volume 4 covers), and a
    # language code in large type ("EN" on a European Commission cover)
    r"|^eudralex$|^the rules governing medicinal products in the european union$|^volume \d{1,2}\b.*"
    r"|^(?:eu )?guidelines?(?: (?:for|to))?$|^good manufacturing practice(?: for)?$"
    r"|^medicinal products for human and veterinary use$|^european commission$|^[A-Z]{2}(?: [A-Z]{2})*$", re.I)


_PART_TITLE = re.compile(r"^(?:Annex|Chapter|Part|Appendix)\s+(?:\d{1,2}|[IVX]{1,5})\s*[:.\u2013\u2014-]\s*\w", re.I)
# a part of a collection: "Annex 15: Qualification and Validation", "Chapter 3", "ANNEX 8", "CHAPTER 9 SELF INSPECTION"
_PART_LINE = re.compile(r"^(Annex|Chapter|Part)\s+(\d{1,2}|[IVX]{1,5})\b\s*[:.\u2013\u2014-]?\s*(.*)$", re.I)
# the collection a part belongs to, on its cover: the EU GMP guide (EudraLex Volume 4)
_EUDRALEX = re.compile(r"\bEudraLex\b|The Rules Governing Medicinal Products in the European Union", re.I)
# what follows a part's title on its cover: the status block, the document history, the first heading
_AFTER_PART_TITLE = re.compile(r"^(?:legal (?:basis|context)|document history|status of the document|principle"
                               r"|table of contents|contents|introduction|scope)\b", re.I)


def collection_part_title(rows: list[Line], style: "_Style") -> str:
    """The title of a part of a collection ("Annex 14: Manufacture of Medicinal Products Derived from Human Blood
    or Plasma") from its cover: on the first two pages, the last of consecutive part lines ("Part 1" above
    "Chapter 3: Premises and Equipment") after the collection's name (EudraLex, Volume 4), or the first line in
    title type; a part line without a name takes the bold lines right under it. "" if there is none."""
    if not rows:
        return ""
    pages = [r for r in rows if r.page <= rows[0].page + 1]
    seen_collection = False
    for i, r in enumerate(pages):
        text = r.text.strip()
        if r.table:
            continue
        if _EUDRALEX.search(text):
            seen_collection = True
        m = _PART_LINE.match(text)
        title_type = r.bold or r.size >= style.body_size * 1.12
        if not m or not title_type or (not seen_collection and r.page != rows[0].page):
            continue
        if not seen_collection and any(p.size >= style.body_size * 1.12 and p.page == r.page
                                       for p in pages[:i] if not p.table):
            continue  # something in title type came before it: a cover without the collection's name
        # the last of consecutive part lines is the most specific
        j = i
        while j + 1 < len(pages) and _PART_LINE.match(pages[j + 1].text.strip()) and pages[j + 1].page == r.page:
            j += 1
        r = pages[j]
        head = normalise_text(r.text)
        name = _PART_LINE.match(head).group(3)
        if not name:
            words: list[str] = []
            prev = r
            for nxt in pages[j + 1:j + 4]:
                if (nxt.page != r.page or nxt.table or not (nxt.bold or nxt.size >= style.body_size * 1.12)
                        or abs(nxt.size - r.size) >= 2.5 or nxt.y0 - prev.y1 > 3.0 * max(nxt.size, 1.0)
                        or _AFTER_PART_TITLE.match(nxt.text.strip()) or _PART_LINE.match(nxt.text.strip())
                        or (words and nxt.y0 - prev.y1 > 1.2 * max(nxt.size, 1.0))):
                    break
                words.append(nxt.text.strip())
                prev = nxt
            if words:
                head = f"{head.rstrip(':.')}: {normalise_text(' '.join(words))}"
        return head[:200]
    return ""


def federal_register_title(first: list[Line]) -> str:
    """A Federal Register document's title: the bold rows right above its "AGENCY:" line (the page's
    large type is the section banner, "Proposed Rules" or "Notices")."""
    for i, r in enumerate(first):
        if r.text.startswith("AGENCY:"):
            title: list[Line] = []
            for above in reversed(first[:i]):
                if not above.bold or (title and (abs(above.size - title[0].size) >= 0.6
                                                 or title[0].y0 - above.y1 > 1.0 * max(above.size, 1.0))):
                    break
                title.insert(0, above)
            return normalise_text(" ".join(t.text for t in title))[:200] if title else ""
    return ""


def first_page_title(rows: list[Line]) -> str:
    """The title on the first page: the first run of rows in title type (larger than the body) that is not
    a generic cover line ("Guidance for Industry", "Draft Guidance"); a short code set apart in title
    type right after it ("Q9") is added."""
    first = [r for r in rows if r.page == rows[0].page] if rows else []
    if not first:
        return ""
    fr_title = federal_register_title(first)
    if fr_title:
        return fr_title
    style = body_style(rows)
    part = collection_part_title(rows, style)
    if part:
        return part
    groups: list[list] = []  # [size, texts] of consecutive rows in one title size
    prev = None
    for r in first:
        # a generic cover line in title type ("(Guidance for Industry)") ends the title
        generic = bool(_GENERIC_TITLE.match(r.text.strip().strip("()").strip()))
        if r.table or r.size < style.body_size * 1.12 or style.body_size <= 0 or generic:
            if groups and groups[-1][0] is not None:
                groups.append([None, []])
            prev = None
            continue
        if (groups and groups[-1][0] is not None and abs(groups[-1][0] - r.size) < 0.6
                and prev is not None and r.y0 - prev.y1 <= 1.2 * r.size):  # a wide gap: the next block
            groups[-1][1].append(r.text)
        else:
            groups.append([r.size, [r.text]])
        prev = r
    titles = [normalise_text(" ".join(texts)) for size, texts in groups if size is not None]
    titles = [t for t in titles if t and not _GENERIC_TITLE.match(t)]
    if not titles:
        # no title type: a part of a collection names itself in bold at body size ("Annex 11: Computerised
        # Systems" under "EudraLex ... Volume 4")
        part = next((r.text for r in first if r.bold and not r.table and _PART_TITLE.match(r.text)), "")
        return normalise_text(part)[:200]
    title = titles[0]
    # a code has a digit ("Q9", "E6(R2)"); a short heading in title type ("Principle") is the body's first
    if len(titles) > 1 and len(titles[1].split()) <= 2 and len(titles[1]) <= 12 and re.search(r"\d", titles[1]):
        title = f"{title} {titles[1]}"
    return title[:200]


# ---------------------------------------------------------------------------
# One file
# ---------------------------------------------------------------------------

def _sniff(path: Path, result: PdfExtraction) -> bool:
    """Cheap checks before the parser sees the file; False (and result failed) if it is not worth opening."""
    size = path.stat().st_size
    result.size_bytes = size
    if size == 0:
        result.fail("empty: the file has 0 bytes")
        return False
    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%PDF-" not in head:
        kind = ("HTML" if head.lstrip()[:1] == b"<" else "a ZIP/Office file" if head[:2] == b"PK"
                else "text" if all(32 <= b < 127 or b in (9, 10, 13) for b in head[:64]) else "binary data")
        result.fail(f"not-a-pdf: no %PDF header (the file looks like {kind})")
        return False
    if b"%%EOF" not in tail:
        result.fail(f"truncated: no %%EOF end marker; the file ends after {size} bytes (incomplete copy?)")
        return False
    return True


def extract_pdf(path: str, options: ExtractOptions | None = None, display_name: str | None = None) -> PdfExtraction:
    """Read one PDF. Never raises for a bad file; see PdfExtraction.status/reason."""
    from imi_lib.core.storage import sha256_file

    start, cpu_start = time.perf_counter(), time.process_time()
    options = options or ExtractOptions()
    p = Path(path)
    result = PdfExtraction(file=display_name or p.name)
    result.sha256 = sha256_file(p)
    try:
        if _sniff(p, result):
            _extract_opened(p, options, result)
    finally:
        result.seconds = round(time.perf_counter() - start, 4)
        result.cpu_seconds = round(time.process_time() - cpu_start, 4)
    return result


def _extract_opened(path: Path, options: ExtractOptions, result: PdfExtraction) -> None:
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)  # reasons go to the report, not to stderr
    pymupdf.TOOLS.mupdf_display_warnings(False)
    try:
        doc = pymupdf.open(str(path), filetype="pdf")
    except (pymupdf.FileDataError, pymupdf.EmptyFileError, RuntimeError, ValueError) as e:
        result.fail(f"damaged: pymupdf cannot open it ({e})")
        return
    with doc:
        if doc.needs_pass:
            result.fail("encrypted: a password is required to open it")
            return
        if doc.is_repaired:
            result.warnings.append("damaged cross-reference table, repaired while opening")
        result.pages = doc.page_count
        if doc.page_count == 0:
            result.fail("empty: the document has no pages")
            return
        result.pages_read = min(doc.page_count, max(1, options.max_pages))
        if result.pages_read < doc.page_count:
            result.warnings.append(f"page cap: read the first {result.pages_read} of {doc.page_count} pages")
        metadata = doc.metadata or {}

        raw_pages: list[list[Line]] = []
        heights: list[float] = []
        script_dropped: Counter = Counter()
        for i in range(result.pages_read):
            try:
                page = doc.load_page(i)
                height = page.rect.height
                vectors: list[dict] = []
                lines = page_lines(page, i + 1, vectors, script_dropped)
                region = table_region(page, vectors) if lines and vectors else None
            except MemoryError:
                raise
            except Exception as e:  # one bad page costs that page only
                heights.append(1.0)
                raw_pages.append([])
                result.warnings.append(f"page {i + 1}: text could not be read ({type(e).__name__}: {e})")
                continue
            heights.append(height)
            raw_pages.append(lines)
            if region is not None:
                result.table_finder_pages += 1
                try:
                    tables = page_tables(page, region)
                except MemoryError:
                    raise
                except Exception as e:  # a table the finder chokes on stays prose
                    result.warnings.append(f"page {i + 1}: tables could not be read ({type(e).__name__}: {e})")
                    continue
                result.tables += len(tables)
                raw_pages[-1] = place_tables(lines, tables, i + 1)

        result.other_script_lines_removed = script_dropped["other script"]
        if not any(raw_pages) and result.other_script_lines_removed:
            result.fail(f"other-script: all {result.other_script_lines_removed} text lines are in a script other "
                        "than Latin (records are English)")
            return
        if not any(raw_pages):
            has_images = any(doc.load_page(i).get_images() for i in range(result.pages_read))
            if has_images:
                result.fail(f"image-only: no text layer on any of {result.pages_read} page(s) "
                            "(scanned? OCR is not supported)")
            else:
                result.fail(f"no-text: {result.pages_read} page(s) without any text")
            return
        blank = sum(1 for lines in raw_pages if not lines)
        if blank:
            result.warnings.append(f"{blank} page(s) without a text layer were skipped")

        repeated = running_header_footer_keys(raw_pages, heights)
        body_size = _body_size([ln for lines in raw_pages for ln in lines])
        rows: list[Line] = []
        last_number = None
        for lines, height in zip(raw_pages, heights):
            kept, removed = strip_headers_footers(lines, height, repeated, body_size)
            result.header_footer_lines_removed += removed
            kept, numbers, last_number = strip_line_numbers(kept, last_number)
            result.line_numbers_removed += numbers
            page_rows, columns = reading_order(kept, body_size)
            result.columns_pages += columns > 1
            rows.extend(page_rows)

    # running heads are good family evidence ("Food and Drug Administration, HHS"), so the raw lines
    first_text = " ".join(ln.text for lines in raw_pages[:2] for ln in lines)
    result.family, result.family_evidence = detect_family(path.name, metadata, first_text)
    result.title = choose_title(clean_metadata_title(metadata.get("title")), first_page_title(rows)) \
        or _title_from_name(path)
    if result.family == "gmp" and _EU_ANNEX.search(first_text[:3000]):
        result.family, result.family_evidence = "ema", "first page (EU GMP annex)"
    elif result.family != "ema" and _EUDRALEX.search(first_text[:4000]):
        # the cover names the collection the document is part of; other issuers' names on it are references
        # ("In view of the ICH Q10 guideline" in an EU GMP chapter's reasons for changes)
        result.family, result.family_evidence = "ema", "first page (EudraLex)"
    result.short_name = short_document_name(result.title, result.family, first_text)
    dropped: Counter = Counter()
    result.sections, result.sections_skipped_short = split_sections(rows, options, dropped)
    # a section headed by the document's own title (a title set bold at body size over the text) is the
    # document's opening: its questions ask about the document, not about a section named like it (a
    # numbered heading names a section even where the title was taken from it, and so does a glossary term
    # far into the document that the title starts with: "Quality Risk Management" in ICH Q9)
    for sec in result.sections:
        if (sec.heading and sec.first_page <= 2 and not _NUMBERED_HEADING.match(sec.heading)
                and _names_document(sec.heading, result.title)):
            sec.heading = None
    result.toc_lines_removed = dropped.pop("toc lines", 0)
    result.boilerplate_sections = dict(sorted(dropped.items()))
    if not result.sections:
        result.warnings.append(f"no section has at least {options.min_section_chars} characters of text")


def _names_document(heading: str, title: str) -> bool:
    h, t = " ".join(heading.casefold().split()), " ".join(title.casefold().split())
    return bool(h) and (h == t or (len(h) >= 20 and t.startswith(h)) or (len(t) >= 20 and h.startswith(t)))


def choose_title(metadata_title: str, visible_title: str) -> str:
    """The visible first-page title (the largest text at the top of page 1) when there is one, else the
    metadata title: metadata is often stale, copied from a template or another document ("ICH E10" on
    ICH Q9, "Annex 11 Final 0910")."""
    return visible_title or metadata_title


_ICH_CODE = re.compile(r"\b((?:Q|E|M|S)\d{1,2}[A-F]?)(?:\s*(\(R\d\)))?(?![\w(])")
_EU_ANNEX = re.compile(r"(?:EudraLex|EU GMP|European Commission|EU Guidelines)[\s\S]{0,400}?\bAnnex\s+(\d{1,2})\b"
                       r"|\bAnnex\s+(\d{1,2})\b[\s\S]{0,400}?(?:EudraLex|EU GMP|European Commission)", re.I)
# an EU legal act by its number: "Commission Implementing Regulation (EU) 2025/2091", "Directive 2001/83/EC",
# "Commission Delegated Regulation (EU) No 1252/2014"
_EU_ACT = re.compile(r"^((?:(?:Commission|Council)\s+)?(?:(?:Implementing|Delegated)\s+)?"
                     r"(?:Regulation|Directive|Decision)\s+(?:\((?:EU|EC|EEC|Euratom)\)\s+)?(?:No\.?\s*)?"
                     r"\d{1,4}/\d{1,4}(?:/(?:EU|EC|EEC))?)\b", re.I)
# a part or chapter of the EU GMP guide named by its own title ("Part II: Basic Requirements for ...")
_CFR_PART = re.compile(r"\b21\s*CFR\s*(?:Part\s*)?(\d{1,4})\b", re.I)
_WHO_TRS = re.compile(r"(?:WHO\s+)?Technical Report Series,?\s+No\.\s*(\d{3,4})", re.I)


def short_document_name(title: str, family: str, first_text: str) -> str:
    """How a question names the document: "ICH Q9(R1)", "EU GMP Annex 11", "21 CFR Part 11",
    "WHO TRS 1033", "FDA guidance 'General Principles of Software Validation'", else the short title."""
    head = f"{title}\n{first_text[:3000]}"
    if family == "ich":
        m = _ICH_CODE.search(title) or _ICH_CODE.search(first_text[:3000])
        if m:
            return f"ICH {m.group(1)}{m.group(2) or ''}"
    if family == "ema" and re.search(r"\bICH\b|international (?:council|conference) (?:for|on) harmoni[sz]ation",
                                     head, re.I):
        # an ICH guideline as the EMA publishes it ("EMA/CHMP/ICH/135/1995", "Guideline for good clinical
        # practice E6(R2)"): its ICH code names it
        m = _ICH_CODE.search(title)
        if m:
            return f"ICH {m.group(1)}{m.group(2) or ''}"
    act = _EU_ACT.match(title.strip())
    if act:
        return normalise_text(act.group(1))
    if family in ("ema", "gmp"):
        part = _PART_LINE.match(title)
        if part and (family == "ema" or _EUDRALEX.search(head) or re.search(r"\bPIC/S\b", head)):
            # a part of a GMP guide: "EU GMP Chapter 3", "EU GMP Part II", "PIC/S GMP Annex 1"
            guide = "PIC/S GMP" if re.search(r"\bPIC/S\b", head) and not _EUDRALEX.search(head) else "EU GMP"
            return f"{guide} {part.group(1).capitalize()} {part.group(2).upper()}"
        m = _EU_ANNEX.search(head)
        if m:
            return f"EU GMP Annex {m.group(1) or m.group(2)}"
    banner = re.search(r"Federal Register\s*/\s*Vol[^\n]{0,80}?/\s*(Notices|Proposed Rules|Rules and Regulations)"
                       r"|(?:^|\s)(Notices|Proposed Rules|Rules and Regulations)\s+Federal Register\b", first_text)
    if banner or re.search(r"Federal Register\s*/\s*Vol", first_text[:2000]):
        kind = (banner.group(1) or banner.group(2)) if banner else "Notices"
        kind = {"Proposed Rules": "proposed rule", "Rules and Regulations": "rule"}.get(kind, "notice")
        return f"Federal Register {kind} '{_cut(title, 70)}'"
    if family == "fda":
        m = _CFR_PART.search(title)
        if m:
            return f"21 CFR Part {m.group(1)}"
        if re.search(r"\bguidance\b", head, re.I):
            name = re.split(r"\s*(?::|Guidance for|Draft Guidance)", title, maxsplit=1)[0].strip() or title
            return f"FDA guidance '{_cut(name, 70)}'"
    if family == "who":
        m = _WHO_TRS.search(head)
        if m:
            return f"WHO TRS {m.group(1)}"
    return _cut(title, 80)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    # one ellipsis character: "..." before a question's full stop reads as a dot leader ("....")
    return text[:limit - 1].rsplit(" ", 1)[0] + "\u2026"


def _title_from_name(path: Path) -> str:
    return re.sub(r"[_\-]+", " ", path.stem).strip()
