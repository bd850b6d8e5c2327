"""Synthetic case generators for `imi synthesize`, one module per case type.

Each generator is a pure function `generate(rng) -> Example`: everything it
draws comes from the `random.Random` it is given, so a (seed, index) pair
always yields the same example. The clinical and regulatory tables the
generators draw from live beside them (`conditions.py` is shared by the
clinical-decision and USMLE generators) and are the generators' own rules:
every label a generator writes is derived from those tables, never drawn at
random independently of the case.
"""
