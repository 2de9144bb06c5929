"""kombo_validate: check and normalise Kombo "Create application" payloads before sending them.

>>> import kombo_validate
>>> report = kombo_validate.check({"candidate": {"first_name": "Ada"}})
>>> report.ok
False
>>> [(i.path, i.code) for i in report.errors][0]
('/candidate/last_name', 'schema.required')
"""

from ._version import __version__
from .api import Validator, check, prepare
from .issues import Change, ContextError, Issue, PayloadError, Report, SpecError

# ``typing`` costs ~5 ms of a ~50 ms cold start (``_artifacts``): annotations only
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .questions import Questions
    from .request import prepare_request
    from .responses import check_response
    from .restrictions import Restrictions
    from .spec import operations
del TYPE_CHECKING  # not part of the package's namespace

__all__ = [
    "Change",
    "ContextError",
    "Issue",
    "PayloadError",
    "Questions",
    "Report",
    "Restrictions",
    "SpecError",
    "Validator",
    "__version__",
    "check",
    "check_response",
    "operations",
    "prepare",
    "prepare_request",
]


_LAZY = {
    "Questions": "questions",
    "Restrictions": "restrictions",
    "prepare_request": "request",
    "check_response": "responses",
    "operations": "spec",
}


def __getattr__(name: str) -> "Any":
    # job context and request/response helpers load on first use: a light import
    module = _LAZY.get(name)
    if module is not None:
        import importlib

        return getattr(importlib.import_module(f".{module}", __name__), name)
    raise AttributeError(f"module 'kombo_validate' has no attribute {name!r}")


def __dir__() -> list[str]:
    # the public API (lazy names included), not the submodules and helpers
    return sorted(__all__)
