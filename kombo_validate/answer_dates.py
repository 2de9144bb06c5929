"""DATE answers, checked by the body's own date rule: :class:`AnswerDates`.

A ``DATE`` screening answer takes what the spec's date fields take: the first
``date-time`` string schema of the request (its pattern; not a field's prose,
so never a plain date field's), checked and normalised by the same rule.
:meth:`Questions.check_answers <kombo_validate.Questions.check_answers>` calls
:meth:`AnswerDates.check` and :meth:`AnswerDates.wire`; :attr:`AnswerDates.strict`
is the fragment under which the rule leaves an answer alone, for
:meth:`Questions.proves <kombo_validate.Questions.proves>`.
"""

from __future__ import annotations

from typing import Any

from .context import Ctx
from .rules import Where
from .rules.dates import make_date_plain, make_date_rule
from .strict_schema import strict_leaf

__all__ = ["AnswerDates", "date_schema_of"]


def date_schema_of(schema: dict[str, Any]) -> dict[str, Any]:
    """The spec's own date schema: the first date-time string schema with a pattern."""
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("format") == "date-time" and "pattern" in node:
                # the form of a date-time, not a field's prose (a plain date field's)
                return {k: v for k, v in node.items() if k != "description"}
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return {"type": "string", "format": "date-time"}


class AnswerDates:
    """The date rule of one request schema, as DATE answers use it (immutable)."""

    __slots__ = ("_plain", "_rule", "strict")

    def __init__(self, request_schema: dict[str, Any]) -> None:
        schema = date_schema_of(request_schema)
        self._rule = make_date_rule(schema)
        self._plain = make_date_plain(schema)
        #: answers the rule leaves alone, as the fast path's fragment (False: never proven)
        self.strict: dict[str, Any] | bool = strict_leaf(schema, Where())

    def check(self, value: str) -> str | None:
        """An error message unless ``value`` is a date the rule takes (as it is, or
        converted: see :meth:`wire`)."""
        if self._plain is not None and self._plain(value):
            return None  # the date rule would leave it alone and say nothing
        probe = Ctx()
        self._rule(value, (), probe)
        return probe.issues[0].message if probe.issues else None

    def wire(self, value: str) -> tuple[str, str] | None:
        """``(wire form, reason)`` where the rule would change ``value`` (a UTC offset
        converted), else None."""
        if self._plain is not None and self._plain(value):
            return None
        probe = Ctx()
        after = self._rule(value, (), probe)
        if probe.issues or after == value:
            return None
        return after, probe.changes[0].reason if probe.changes else "date converted"
