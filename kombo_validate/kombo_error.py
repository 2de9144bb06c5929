"""Kombo's own error body (``PLATFORM.INPUT_INVALID``) for a report's errors.

Built from the result types alone, so :meth:`Report.to_kombo_error
<kombo_validate.Report.to_kombo_error>` and the adapters (responses, the
transport, a proxy) share it without reaching up the layers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .issues import Issue, PayloadError, Report

__all__ = ["ERROR_CODE", "ERROR_LIMIT", "ERROR_TITLE", "to_kombo_error"]

ERROR_CODE = "PLATFORM.INPUT_INVALID"
ERROR_TITLE = "The request input is invalid."
#: problems spelt out in a Kombo error message before "and N more"
ERROR_LIMIT = 5
_MESSAGE_CHARS = 160
_PATH_CHARS = 80


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_kombo_error(
    source: Report | PayloadError | Iterable[Issue], *, limit: int = ERROR_LIMIT
) -> dict[str, Any]:
    """The errors of ``source`` as Kombo's error body (valid against ``ErrorResponseATS``).

    ``{"status": "error", "error": {"code": "PLATFORM.INPUT_INVALID", "title": ...,
    "message": ..., "log_url": None}}``; the message names the first ``limit``
    problems with their paths, then "and N more". Messages are the issues' own
    (values quoted as short excerpts only), each clipped. Raises ValueError when
    there is no error to report.
    """
    if isinstance(source, Report):
        errors = source.errors
    elif isinstance(source, PayloadError):
        errors = [i for i in source.issues if i.is_error]
    else:
        errors = [i for i in source if i.is_error]
    if not errors:
        raise ValueError("nothing to report: there is no error")
    shown = [
        f"{_clip(i.path or '/', _PATH_CHARS)}: {_clip(i.message, _MESSAGE_CHARS)}"
        for i in errors[: max(limit, 1)]
    ]
    more = len(errors) - len(shown)
    noun = "problem" if len(errors) == 1 else "problems"
    message = f"{len(errors)} {noun} in the request: " + "; ".join(shown)
    if more:
        message += f"; and {more} more"
    return {
        "status": "error",
        "error": {
            "code": ERROR_CODE,
            "title": ERROR_TITLE,
            "message": message,
            "log_url": None,
        },
    }
