"""Synthetic case generators for `imi synthesize`, one module per case type.

Each generator is a pure function `generate(rng) -> Example`: everything it
draws comes from the `random.Random` it is given, so a (seed, index) pair
always yields the same example. The clinical and regulatory tables the
generators draw from are data, `tables/*.yaml` (keyed, commented, readable
without Python; `conditions.yaml` is shared by the clinical-decision and USMLE
generators). Each generator module declares the schema of its file and the
cross-checks `tables.load` runs when the module is imported. The rules that
turn a case into its label (triage rules, interaction risk factors, the
compliance classification) stay in code: every label a generator writes is
derived from the tables by those rules, never drawn at random independently
of the case.
"""
