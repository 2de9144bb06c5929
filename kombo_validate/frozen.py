"""Objects whose fields are set once, when they are made, and never after.

``Questions`` and ``Restrictions`` (and whatever else needs it) subclass
:class:`Immutable`, declare their ``__slots__`` and set their fields with
:meth:`Immutable._init`; assigning or deleting one afterwards raises
``AttributeError("<Class> is immutable")``.
"""

from __future__ import annotations

__all__ = ["Immutable"]

_set = object.__setattr__


class Immutable:
    """A base for slotted objects that refuse ``setattr`` and ``delattr`` once made."""

    __slots__ = ()

    def _init(self, **fields: object) -> None:
        """Set ``fields`` (while the object is being made: the one way in)."""
        for name, value in fields.items():
            _set(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")
