"""The fast path's copy of a body: generated code, one function per Validator.

One generated function copies every typed container of a body (dict.copy and
list.copy, strings shared), nested code rather than a call per container. What
is not the container its place expects is left as it is: the strict schema
rejects it and the repair walks it. A tuple where an array goes raises
:class:`Bail` (jsonschema-rs would take it for an array), as does a string over
the size limit where a convert rule goes (``CopyNode.measured``: a file's
content), before marshal copies it through UTF-8.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from .codegen import define

__all__ = ["Bail", "CopyNode", "generate_copy"]


class Bail(Exception):
    """The copy met something only the full walk can handle (a tuple where a list goes)."""


class CopyNode(Protocol):
    """What the copy reads of the fast path's node of one container position."""

    @property
    def kind(self) -> str:
        """ "object", "array", "any" (anyOf/oneOf) or "free" (free-form data)."""

    @property
    def children(self) -> tuple[tuple[str, CopyNode], ...]:
        """An object's container properties, in the plan's order."""

    @property
    def item(self) -> CopyNode | None:
        """An array's item node, if its items are containers."""

    @property
    def branches(self) -> Mapping[type, CopyNode]:
        """An anyOf's container branches by Python type."""

    @property
    def measured(self) -> tuple[str, ...]:
        """An object's properties whose strings are measured."""


class _CopyWriter:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.serial = itertools.count()

    def name(self, prefix: str) -> str:
        return f"{prefix}{next(self.serial)}"

    def line(self, indent: int, text: str) -> None:
        self.lines.append("    " * indent + text)

    def node(self, node: CopyNode, x: str, target: str, indent: int) -> None:
        """Source that sets ``target`` to the copy of ``x`` (a local name); ``target``
        is left alone when ``x`` is not the container its place expects."""
        if node.kind == "object":
            self.line(indent, f"if type({x}) is dict:")
            self.object(node, x, target, indent + 1)
        elif node.kind == "array":
            self.line(indent, f"if type({x}) is list:")
            self.array(node, x, target, indent + 1)
            self.line(indent, f"elif type({x}) is tuple:")
            self.line(indent + 1, "raise BAIL")
        elif node.kind == "any":
            kind = self.name("t")
            self.line(indent, f"{kind} = type({x})")
            self.line(indent, f"if {kind} is tuple:")
            self.line(indent + 1, "raise BAIL")
            for py_type, child in node.branches.items():
                self.line(indent, f"elif {kind} is {py_type.__name__}:")
                if child.kind == "object":
                    self.object(child, x, target, indent + 1)
                elif child.kind == "array":
                    self.array(child, x, target, indent + 1)
                else:  # free-form data: shared as it is (the strict schema rejects it)
                    self.line(indent + 1, "pass")

    def object(self, node: CopyNode, x: str, target: str, indent: int) -> None:
        """Copies the dict ``x``."""
        for name in node.measured:
            item = self.name("s")
            self.line(indent, f"{item} = {x}.get({name!r})")
            self.line(indent, f"if type({item}) is str and len({item}) > LIMIT:")
            self.line(indent + 1, "raise BAIL")
        out = self.name("o")
        self.line(indent, f"{out} = {x}.copy()")
        for name, child in node.children:
            if child.kind == "free" or (child.kind == "any" and not child.branches):
                if child.kind == "any":  # only the tuple check
                    self.line(indent, f"if type({out}.get({name!r})) is tuple:")
                    self.line(indent + 1, "raise BAIL")
                continue
            value = self.name("v")
            self.line(indent, f"{value} = {out}.get({name!r})")  # None: no container
            self.node(child, value, f"{out}[{name!r}]", indent)
        self.line(indent, f"{target} = {out}")

    def array(self, node: CopyNode, x: str, target: str, indent: int) -> None:
        """Copies the list ``x``."""
        item = node.item
        if item is None or item.kind == "free":
            self.line(indent, f"{target} = {x}.copy()")
        elif item.kind == "object" and not item.children and not item.measured:
            y = self.name("y")
            self.line(
                indent, f"{target} = [{y}.copy() if type({y}) is dict else {y} for {y} in {x}]"
            )
        else:
            out, y = self.name("o"), self.name("y")
            self.line(indent, f"{out} = []")
            self.line(indent, f"for {y} in {x}:")
            self.node(item, y, y, indent + 1)
            self.line(indent + 1, f"{out}.append({y})")
            self.line(indent, f"{target} = {out}")


def generate_copy(root: CopyNode, limit: int) -> Callable[[Any], Any]:
    """The copy of a body at ``root``; raises :class:`Bail` where only the full walk
    can take it (a tuple where an array goes, a string over ``limit`` where a convert
    rule goes)."""
    writer = _CopyWriter()
    writer.node(root, "value", "value", 1)
    source = "\n".join(["def copy_body(value):", *writer.lines, "    return value", ""])
    env: dict[str, Any] = {"LIMIT": limit, "BAIL": Bail}
    copy: Callable[[Any], Any] = define(source, "fast path copy", env)
    return copy
