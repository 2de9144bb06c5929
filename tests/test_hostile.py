"""Issue 15: the hostile corpus (``tests/hostile``), its deterministic ``--quick`` subset.

Every case runs in a worker subprocess under 2 s of wall time and 500 MB of address
space (the harness records an overrun as a hang or over-memory outcome: no timing is
asserted here). Each family's test asserts that no case raised an undocumented
exception, hung, ran out of memory, mutated its input, wrote an over-long or
over-quoting message, tried the network, or gave a wrong outcome.
``python scripts/hostile.py`` runs all ~18,000 cases and prints the table.

Families marked xfail fail today; their fixes are being made: remove a mark when
its family passes.
"""

from __future__ import annotations

import pytest

from tests.hostile import FAMILIES, SELFTEST, family_cases
from tests.hostile.harness import Outcome, Pool, run_corpus, select

#: families failing on the quick subset today, with the case that shows it
FAILING_NOW: dict[str, str] = {}


def _param(family: str) -> object:
    reason = FAILING_NOW.get(family)
    if reason is None:
        return family
    return pytest.param(family, marks=pytest.mark.xfail(strict=False, reason=reason))


@pytest.fixture(scope="module")
def outcomes() -> dict[str, list[Outcome]]:
    by_family: dict[str, list[Outcome]] = {f: [] for f in FAMILIES}
    for o in run_corpus(quick=True, jobs=2):
        by_family[o.family].append(o)
    return by_family


@pytest.mark.parametrize("family", [_param(f) for f in FAMILIES])
def test_family_survives_its_hostile_cases(outcomes: dict[str, list[Outcome]], family: str) -> None:
    ran = outcomes[family]
    assert len(ran) == len(select([family], quick=True))
    failing = [o.describe()[:300] for o in ran if o.failures]
    assert failing == []


def test_the_corpus_is_large_deterministic_and_its_quick_subset_bounded() -> None:
    names = {f: [c.name for c in family_cases(f)] for f in FAMILIES}
    assert sum(map(len, names.values())) >= 10_000
    assert 500 <= len(select(quick=True)) <= 1_000
    family_cases.cache_clear()
    assert {f: [c.name for c in family_cases(f)] for f in FAMILIES} == names


def test_the_harness_sees_every_kind_of_failure() -> None:
    with Pool(2, retries=0) as pool:
        got = pool.run(select([SELFTEST]))
    seen = {o.name: o.failures for o in got}
    assert seen == {
        "fine": [],
        "exception": ["exception"],
        "crash": ["exception"],
        "hang": ["hang"],
        "over_memory": ["over_memory"],
        "mutation": ["mutation"],
        "network": ["network"],
        "over_limit": ["over_limit"],
        "quote": ["over_limit"],
        "cli_exit": ["wrong"],
    }
