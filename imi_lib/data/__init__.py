"""data: the stages that build the training records. May import core only.

sources + collect (open datasets from the hub or a mirror), ingest + pdf_text
(regulatory PDFs), synthesize + synthetic/ (generated cases; the clinical
tables are YAML in synthetic/tables/), prepare + phi (merge, PHI scrub,
dedupe, contamination guard, the train/val split per adapter).
"""
