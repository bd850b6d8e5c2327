"""Lays out real public-domain regulatory text the way the real documents are laid out, as PDFs.

    python tests/real/make_layout_pdfs.py OUT_DIR

The real PDFs cannot be committed here, so the tests build these at run time
(tests/test_ingest_real_layouts.py) from the real text below, with the
layouts that broke ingest on the real documents:

- fda_draft_guidance.pdf: an FDA draft guidance: the running head "Contains
  Nonbinding Recommendations" on every page, a cover page with the comment and
  contact boilerplate, a table of contents with dot leaders, and body pages
  with a line-number gutter in the left margin and a word hyphenated across
  lines; stale metadata (another document's title).
- federal_register_notice.pdf: a three-column page under a full-width
  running head and title, as in the Federal Register.
- ich_q9.pdf, eu_gmp_annex11.pdf: title pages whose metadata names another
  document ("ICH E10 ...", "Annex 11 Final 0910"), with BOMs in the metadata.

Text: FDA guidance documents (US government works, public domain; see
tests/real/SOURCES.md). Titles of ICH Q9 and EU GMP Annex 11 are quoted as
titles only.
"""

from __future__ import annotations

import sys
from pathlib import Path

DISCLAIMER = ("This guidance represents the current thinking of the Food and Drug Administration (FDA or Agency) on "
              "this topic. It does not establish any rights for any person and is not binding on FDA or the public. "
              "You can use an alternative approach if it satisfies the requirements of the applicable statutes and "
              "regulations. To discuss an alternative approach, contact the FDA office responsible for this guidance "
              "as listed on the title page.")
NGS_1 = ("The purpose of this technical specifications document is to provide the current thinking of FDA's Division "
         "of Antiviral Products (the Division) in regard to the submission of next generation nucleotide sequence "
         "analysis procedures and data in support of resistance assessments for the development of antiviral drug "
         "products.")
NGS_2 = ("The Division performs independent analyses of all resistance data associated with antiviral drug products "
         "being developed to ensure that the emergence of resistance is carefully characterized and explained in the "
         "label of newly approved antiviral drugs.")
CYBER_1 = ("With the increasing integration of wireless, Internet- and network-connected capabilities, portable media "
           "(e.g., USB or CD), and the frequent electronic exchange of medical device-related health information and "
           "other information, the need for robust cybersecurity controls to ensure medical device safety and "
           "effectiveness has become more important.")
CYBER_2 = ("In addition, cybersecurity threats to the healthcare sector have become more frequent and more severe, "
           "carrying increased potential for clinical impact.")
GUDID = ("The Food and Drug Administration (FDA) is responsible for protecting the public health by assuring the "
         "safety, effectiveness, and security of human and veterinary drugs, vaccines and other biological products, "
         "medical devices, the nation's food supply, cosmetics, dietary supplements, and products that give off "
         "radiation; and for regulating tobacco products.")
CMS = ("For many years, computational modeling and simulation (CM&S) studies have been used by sponsors to support "
       "device design/development and have been reported in medical device submissions.")
CSA = ("FDA is issuing this guidance to provide recommendations on computer software assurance for computers and "
       "automated data processing systems used as part of medical device production or the quality management "
       "system.")
COMMENTS = ("Comments and suggestions regarding this draft document should be submitted within 60 days of publication "
            "in the Federal Register of the notice announcing the availability of the draft guidance. Submit "
            "electronic comments to https://www.regulations.gov.")
CONTACT = ("For questions regarding this draft document, contact the Division of Drug Information at 855-543-3784 or "
           "druginfo@fda.hhs.gov.")
ADDITIONAL = ("Additional copies are available from: Office of Communications, Division of Drug Information, Center "
              "for Drug Evaluation and Research, Food and Drug Administration, 10001 New Hampshire Ave., Hillandale "
              "Bldg., 4th Floor, Silver Spring, MD 20993-0002.")

LETTER = (612, 792)


def _wrap(text: str, width: float, size: float, font: str = "helv") -> list[str]:
    import pymupdf

    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if pymupdf.get_text_length(trial, fontname=font, fontsize=size) <= width:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


class _Page:
    def __init__(self, doc, head: str | None):
        self.page = doc.new_page(width=LETTER[0], height=LETTER[1])
        self.y = 80.0
        if head:
            self.page.insert_text((200, 40), head, fontname="helv", fontsize=9)

    def text(self, x: float, line: str, size: float = 11, font: str = "helv", gutter: int | None = None) -> None:
        self.page.insert_text((x, self.y), line, fontname=font, fontsize=size)
        if gutter is not None:  # the line number, right-aligned in the left margin
            self.page.insert_text((40, self.y), f"{gutter:>3}", fontname="helv", fontsize=8)
        self.y += size * 1.35


def fda_draft_guidance(path: Path) -> None:
    import pymupdf

    head = "Contains Nonbinding Recommendations"
    doc = pymupdf.open()
    p = _Page(doc, head)
    p.y = 140
    for line in ("Submitting Next Generation Sequencing Data", "to the Division of Antiviral Products"):
        p.text(110, line, size=18, font="hebo")
    p.y += 10
    p.text(110, "Guidance for Industry", size=14, font="hebo")
    p.y += 20
    for para in (COMMENTS, CONTACT):
        for line in _wrap(para, 420, 10):
            p.text(110, line, size=10)
        p.y += 8
    p = _Page(doc, head)
    p.text(72, "TABLE OF CONTENTS", size=12, font="hebo")
    p.y += 6
    for entry, page in (("I. INTRODUCTION", 1), ("II. BACKGROUND", 2), ("III. SCOPE", 3), ("IV. ADDITIONAL COPIES", 4)):
        p.text(72, f"{entry} " + "." * (80 - len(entry)) + f" {page}", size=11)
    p = _Page(doc, head)
    n = 1
    body = [("I. INTRODUCTION", [DISCLAIMER, NGS_1, NGS_2]), ("II. BACKGROUND", [CYBER_1, CYBER_2 + " The need for "
             "robust controls is a non-binding expectation that sponsors meet in their submissions.", GUDID]),
            ("III. SCOPE", [CMS, CSA]), ("IV. ADDITIONAL COPIES", [ADDITIONAL])]
    for heading, paras in body:
        if p.y > 680:
            p = _Page(doc, head)
        p.y += 6
        p.text(90, heading, size=11, font="hebo", gutter=n)
        n += 1
        for para in paras:
            lines = _wrap(para, 440, 11)
            # hyphenate "non-binding" across a line break, as typesetting does
            lines = [ln.replace("non-binding", "non-\x00binding") for ln in lines]
            flat = []
            for ln in lines:
                flat += ln.split("\x00 ") if "\x00" not in ln else [ln.split("\x00")[0], ln.split("\x00")[1]]
            for ln in flat:
                if p.y > 720:
                    p = _Page(doc, head)
                p.text(90, ln, gutter=n)
                n += 1
            p.y += 6
    doc.set_metadata({"title": "Guidance Template Rev 2", "author": "CDER"})
    doc.save(str(path))


def federal_register_notice(path: Path) -> None:
    import pymupdf

    doc = pymupdf.open()
    for page_no in range(2):
        page = doc.new_page(width=LETTER[0], height=LETTER[1])
        page.insert_text((40, 32), "Federal Register / Vol. 89, No. 12 / Thursday, January 18, 2024 / Notices",
                         fontname="helv", fontsize=8)
        y0 = 60
        if page_no == 0:
            page.insert_text((40, 70), "Medical Devices; Computer Software Assurance; Draft Guidance; Availability",
                             fontname="hebo", fontsize=13)
            y0 = 95
        paras = [GUDID, CYBER_1, CYBER_2, CMS, CSA, NGS_1, NGS_2] if page_no == 0 else [NGS_2, GUDID, CMS, CYBER_1]
        lines = []
        for para in paras:
            lines += _wrap(para, 165, 9) + [""]
        per_col = -(-len(lines) // 3)
        for col in range(3):
            x = 40 + col * 180
            y = y0
            for line in lines[col * per_col:(col + 1) * per_col]:
                if line:
                    page.insert_text((x, y), line, fontname="helv", fontsize=9)
                y += 11
    doc.set_metadata({"title": "", "author": "Federal Register"})
    doc.save(str(path))


def _title_page_doc(path: Path, title_lines: list[str], issuer: str, metadata_title: str, family_line: str) -> None:
    import pymupdf

    doc = pymupdf.open()
    p = _Page(doc, None)
    p.text(72, issuer, size=10)
    p.y = 160
    for line in title_lines:
        p.text(72, line, size=20, font="hebo")
    p.y += 20
    p.text(72, family_line, size=11)
    p.y += 30
    for heading, para in (("1. Introduction", CSA + " " + CMS), ("2. Scope", GUDID)):
        p.text(72, heading, size=12, font="hebo")
        for line in _wrap(para, 460, 11):
            p.text(72, line)
        p.y += 8
    doc.set_metadata({"title": metadata_title})
    doc.save(str(path))


def ich_q9(path: Path) -> None:
    _title_page_doc(path, ["Quality Risk Management", "Q9(R1)"],
                    "INTERNATIONAL COUNCIL FOR HARMONISATION OF TECHNICAL REQUIREMENTS FOR PHARMACEUTICALS FOR HUMAN USE",
                    "\ufeffICH E10 Choice of Control Group in Clinical Trials", "ICH HARMONISED GUIDELINE")


def eu_gmp_annex11(path: Path) -> None:
    _title_page_doc(path, ["Annex 11: Computerised Systems"], "EUROPEAN COMMISSION",
                    "\ufeffAnnex 11 Final 0910", "EudraLex The Rules Governing Medicinal Products in the European "
                    "Union Volume 4 Good Manufacturing Practice")


BUILDERS = {"fda_draft_guidance.pdf": fda_draft_guidance, "federal_register_notice.pdf": federal_register_notice,
            "ICH_Q9_quality_risk_management.pdf": ich_q9, "EU_GMP_annex11.pdf": eu_gmp_annex11}


def build_all(out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, build in BUILDERS.items():
        build(out_dir / name)
        paths[name] = out_dir / name
    return paths


if __name__ == "__main__":
    for p in build_all(Path(sys.argv[1] if len(sys.argv) > 1 else "real_layouts")).values():
        print(p)
