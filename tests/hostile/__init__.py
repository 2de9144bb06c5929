"""The hostile corpus (issue 15): ~10,000+ generated cases that try to crash, hang,
bloat, mutate, leak or phone home through ``kombo_validate`` and its CLI.

One module per family; each defines ``cases() -> list[Case]`` (deterministic: seeded
``random.Random``). :mod:`.harness` runs them in worker subprocesses
(:mod:`.worker`) under a per-case bound of 2 s wall and 500 MB; ``scripts/hostile.py``
prints the table and ``tests/test_hostile.py`` runs the ``--quick`` subset.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

FAMILIES: tuple[str, ...] = (
    "nesting",
    "cycles",
    "dags",
    "huge",
    "subclasses",
    "keys",
    "strings",
    "dates",
    "numbers",
    "context",
    "cli_files",
    "cli_fix",
    "concurrency",
)

#: cases that misbehave on purpose (one per failure column): the harness's own test
SELFTEST = "selftest"


@cache
def family_cases(family: str) -> list[Any]:
    """The cases of ``family``, in their fixed order (a case is named by its index)."""
    if family not in FAMILIES and family != SELFTEST:
        raise KeyError(f"unknown family {family!r}: one of {', '.join(FAMILIES)}")
    module = importlib.import_module(f"{__name__}.{family}")
    cases = module.cases()
    names = [c.name for c in cases]
    if len(set(names)) != len(names):
        raise ValueError(f"{family}: case names are not unique")
    return cases
