"""Shared fixtures and the Hypothesis profiles (``ci``, ``dev``, ``thorough``)."""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

# keep the on-disk spec cache of this test run out of the user's home
os.environ.setdefault("KOMBO_VALIDATE_CACHE_DIR", tempfile.mkdtemp(prefix="kombo-validate-cache-"))

import kombo_validate
from kombo_validate import Validator

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # pragma: no cover - the hypothesis extra is not installed
    pass
else:
    settings.register_profile(
        "ci",
        derandomize=True,
        max_examples=60,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    settings.register_profile("dev", max_examples=100, deadline=None)
    settings.register_profile(
        "thorough",
        max_examples=1000,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parent.parent
FULL_SPEC = ROOT.parent / "shared" / "seed" / "kombo-openapi.json"


@pytest.fixture(scope="session")
def full_spec_path() -> Path:
    """The older 103-path Kombo spec; tests that need it skip when it is absent."""
    if not FULL_SPEC.is_file():
        pytest.skip("the full Kombo spec (../shared/seed/kombo-openapi.json) is absent")
    return FULL_SPEC


@pytest.fixture(scope="session", params=["rust", "python"])
def validator(request: pytest.FixtureRequest) -> Validator:
    """A Validator per schema engine: the corpus runs through both."""
    return Validator(engine=request.param)


@pytest.fixture(scope="session")
def spec_example() -> dict[str, Any]:
    example = kombo_validate.api.default_validator().spec.request_example
    assert example is not None
    return example


@pytest.fixture
def example(spec_example: dict[str, Any]) -> dict[str, Any]:
    """A fresh deep copy of the spec's example request body, to modify."""
    return copy.deepcopy(spec_example)


# ------------------------------------------------------------------ the serve tests
# A serve test module defines ``stack``, its (fake upstream, server) pair started once
# (``test_serve_support.proxying``); these two hand each of its tests the parts.


@pytest.fixture
def fake(stack: Any) -> Any:
    """The module's fake upstream, its record of what it received emptied for this test."""
    from .test_serve_support import fresh

    return fresh(stack[0])


@pytest.fixture
def served(stack: Any) -> Any:
    """The module's running ``kombo-validate serve``."""
    return stack[1]
