"""The bundled sample data the embedded default (`imi run`) trains on, shipped as package data.

    hub/   a mirror of the five source datasets in the Hugging Face hub's layout (a few dozen rows each),
           read by `imi collect --hub-mirror` exactly as the hub itself would be
    pdfs/  five regulatory-style PDFs for `imi ingest`

The tests use the same files. `tests/fixtures/make_hub_fixtures.py` and `make_pdfs.py` regenerate them.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent
HUB = ROOT / "hub"
PDFS = ROOT / "pdfs"
