"""Where a JSON Pointer lands in JSON text: :mod:`kombo_validate.jsonpos`, which sits
below the CLI so the service can use it too."""

from __future__ import annotations

from ..jsonpos import duplicate_keys, line_col, locate_span, split_pointer

__all__ = ["duplicate_keys", "line_col", "locate_span", "split_pointer"]
