"""kombo_validate: check and normalise Kombo "Create application" payloads before sending them.

>>> import kombo_validate
>>> report = kombo_validate.check({"candidate": {"first_name": "Ada"}})
>>> report.ok
False
>>> [(i.path, i.code) for i in report.errors][0]
('/candidate/last_name', 'schema.required')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .api import Validator, check, prepare
from .issues import Change, ContextError, Issue, PayloadError, Report, SpecError

if TYPE_CHECKING:
    from .questions import Questions
    from .restrictions import Restrictions

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
    "prepare",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # job context types load on first use, keeping `import kombo_validate` light
    if name == "Questions":
        from .questions import Questions

        return Questions
    if name == "Restrictions":
        from .restrictions import Restrictions

        return Restrictions
    raise AttributeError(f"module 'kombo_validate' has no attribute {name!r}")
