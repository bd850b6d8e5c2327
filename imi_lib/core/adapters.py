"""The six domain adapters and their training defaults (the guide's table)."""

from __future__ import annotations

from dataclasses import dataclass

ADAPTERS: tuple[str, ...] = (
    "patient_triage",
    "clinical_pharmacist",
    "clinical_decision",
    "education",
    "regulatory_qa",
    "research",
)


@dataclass(frozen=True)
class AdapterDefaults:
    lora_r: int
    lora_alpha: int
    learning_rate: float
    epochs: int


# IMI Training Guide, "Training Configuration". Reasoning-heavy domains
# (clinical_decision, research) get a lower learning rate and one more epoch.
ADAPTER_DEFAULTS: dict[str, AdapterDefaults] = {
    "patient_triage": AdapterDefaults(16, 32, 2e-4, 3),
    "clinical_pharmacist": AdapterDefaults(16, 32, 2e-4, 3),
    "clinical_decision": AdapterDefaults(16, 32, 1e-4, 4),
    "education": AdapterDefaults(16, 32, 2e-4, 3),
    "regulatory_qa": AdapterDefaults(16, 32, 2e-4, 3),
    "research": AdapterDefaults(16, 32, 1e-4, 4),
}


def resolve_adapters(spec: str | list[str] | tuple[str, ...]) -> list[str]:
    """Turn `all`, a name, a comma list or a list into known adapter names.

    Raises ValueError naming the unknown adapter and the valid choices.
    """
    if isinstance(spec, str):
        names = [s.strip() for s in spec.split(",") if s.strip()]
    else:
        names = [str(s).strip() for s in spec]
    if not names:
        raise ValueError(f"no adapter given; choose 'all' or one of: {', '.join(ADAPTERS)}")
    if names == ["all"]:
        return list(ADAPTERS)
    unknown = [n for n in names if n not in ADAPTERS]
    if unknown:
        raise ValueError(
            f"unknown adapter {', '.join(repr(u) for u in unknown)}; choose 'all' or one of: {', '.join(ADAPTERS)}"
        )
    # keep the caller's order, drop repeats
    return list(dict.fromkeys(names))
