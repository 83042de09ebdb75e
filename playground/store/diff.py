"""What differs between runs' configs, said in one sentence: "only lr and optimizer differ".

The question a student asks when two curves part ways, and that no tracker answers:
the configs are compared field by field, and the fields where every run agrees are
left out. Pure functions on plain dicts (``RunConfig.to_dict()``).
"""
from __future__ import annotations

from dataclasses import dataclass

MISSING = "(not set)"


@dataclass(frozen=True)
class Difference:
    field: str
    values: tuple          # one per run, in the order given


def config_diff(configs: list[dict]) -> list[Difference]:
    """The fields whose values are not all equal, in the configs' own field order."""
    if len(configs) < 2:
        return []
    fields: list[str] = []
    for c in configs:
        fields.extend(k for k in c if k not in fields)
    out = []
    for name in fields:
        values = tuple(c.get(name, MISSING) for c in configs)
        if any(v != values[0] for v in values[1:]):
            out.append(Difference(name, values))
    return out


def sentence(diffs: list[Difference], n_runs: int) -> str:
    """"only `lr` and `optimizer` differ", "these 2 runs have identical settings", …"""
    if n_runs < 2:
        return ""
    if not diffs:
        return f"These {n_runs} runs have identical settings (differences are chance alone)."
    names = [f"`{d.field}`" for d in diffs]
    if len(names) == 1:
        return f"Only {names[0]} differs."
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    return (f"Only {listed} differ." if len(names) <= 4
            else f"{len(names)} settings differ: {listed}.")
