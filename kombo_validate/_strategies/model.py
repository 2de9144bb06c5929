"""The request schema read into a small tree of nodes that the generators walk.

Built from a Validator's dereferenced request schema at runtime, so the
strategies follow the spec: enums, required sets, patterns, nullability and
properties come from it, and each string or object gets its domain role
(date, country, email, URI, attachment, ...) from the same shape predicates
the core attaches its rules with (``kombo_validate.rules.RULES``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..rules import RULES, Where
from ..rules.attachment import is_attachment_schema
from ..rules.dates import is_plain_date
from ..rules.requires import requirements
from ..schemas import merge_all_of, schema_types
from ..spec import DEFS_REF

if TYPE_CHECKING:
    from ..api import Validator

__all__ = [
    "BY_RULE",
    "AnyNode",
    "AnyOfNode",
    "ArrNode",
    "BoolNode",
    "ConstNode",
    "Model",
    "Node",
    "NumNode",
    "ObjNode",
    "Prop",
    "RefNode",
    "StrNode",
    "model_of",
]


def _in_data_url(where: Where) -> bool:
    return (
        where.name == "data_url" and where.parent is not None and is_attachment_schema(where.parent)
    )


def _always(role: str) -> Callable[[dict[str, Any], Where], str]:
    return lambda schema, where: role


#: rule name -> the role of a place where the plan builds that rule (how each role is
#: drawn and broken: ``roles.ROLES``; "plain": drawn from the schema's own pattern, as
#: a string no rule attaches to); both "date" rules give "date"
BY_RULE: dict[str, Callable[[dict[str, Any], Where], str]] = {
    "date": lambda schema, where: "plain_date" if is_plain_date(schema) else "date",
    "attachment-data": _always("data"),
    "enum": _always("enum"),
    "country": _always("country"),
    "email": _always("email"),
    "uri": lambda schema, where: "http_url" if _in_data_url(where) else "uri",
    "content-type": _always("content_type"),
    "attachment": _always("attachment"),
    "requires": _always("paired"),
}


@dataclass(frozen=True, eq=False, kw_only=True)
class Node:
    #: the schema admits null here
    nullable: bool = False


@dataclass(frozen=True, eq=False, kw_only=True)
class AnyNode(Node):
    """No constraint: any JSON value (a passthrough)."""


@dataclass(frozen=True, eq=False, kw_only=True)
class ConstNode(Node):
    values: tuple[Any, ...]


@dataclass(frozen=True, eq=False, kw_only=True)
class BoolNode(Node):
    pass


@dataclass(frozen=True, eq=False, kw_only=True)
class NumNode(Node):
    integer: bool = False
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None


@dataclass(frozen=True, eq=False, kw_only=True)
class StrNode(Node):
    #: "plain", or the role :data:`BY_RULE` gives (enum, date, country, email, uri, ...)
    role: str = "plain"
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    min_length: int = 0
    max_length: int | None = None
    #: the code a value outside ``enum`` gets: the country rule's when it applies here
    #: too (it runs before the schema layer: a country with an enum of alpha-2 codes)
    off_enum: str = "schema.enum"


@dataclass(frozen=True, eq=False, kw_only=True)
class Prop:
    name: str
    node: Node
    #: ``None`` given here is dropped by the normaliser (optional and not nullable)
    droppable: bool


@dataclass(frozen=True, eq=False, kw_only=True)
class ObjNode(Node):
    props: tuple[Prop, ...] = ()
    required: frozenset[str] = frozenset()
    #: schema of extra keys when the object admits them without a warning, else None
    extra: Node | None = None
    #: the role of an object rule that applies here ("attachment", "paired"), else "plain"
    role: str = "plain"
    #: ``(field, needed)``: a field given needs its sibling (``rules.requires``)
    pairs: tuple[tuple[str, str], ...] = ()

    @property
    def attachment(self) -> bool:
        """Attachment-shaped (``data`` and ``data_url``): the core's attachment rule applies."""
        return self.role == "attachment"

    def prop(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)


@dataclass(frozen=True, eq=False, kw_only=True)
class ArrNode(Node):
    items: Node
    min_items: int = 0
    max_items: int | None = None


@dataclass(frozen=True, eq=False, kw_only=True)
class AnyOfNode(Node):
    branches: tuple[Node, ...]
    #: the keyword that joins the branches: "anyOf", "oneOf", or "type" (``type: [a, b]``)
    keyword: str = "anyOf"


@dataclass(frozen=True, eq=False, kw_only=True)
class RefNode(Node):
    """A back-edge of a recursive schema: the node of ``$defs[name]``, built once per
    property name it sits at and shared by reference (the tree is then a graph: the
    generators follow it to a bounded depth, see ``bodies``)."""

    name: str
    #: the target node, set once it is built (the cycle refers to it meanwhile)
    cell: list[Node] = field(default_factory=list, repr=False)

    @property
    def target(self) -> Node:
        return self.cell[0] if self.cell else AnyNode(nullable=True)


@dataclass(frozen=True, eq=False)
class Model:
    """The request body's node tree, with the handles the generators need."""

    root: ObjNode
    #: the top-level arrays the operation takes screening answers and attachments in
    answers_key: str | None = None
    uploads_key: str | None = None

    @property
    def answers(self) -> ArrNode | None:
        prop = None if self.answers_key is None else self.root.prop(self.answers_key)
        return prop.node if prop is not None and isinstance(prop.node, ArrNode) else None

    @property
    def uploads(self) -> ArrNode | None:
        prop = None if self.uploads_key is None else self.root.prop(self.uploads_key)
        if prop is None or not isinstance(prop.node, ArrNode):
            return None
        items = prop.node.items
        return prop.node if isinstance(items, ObjNode) and items.attachment else None

    def answer_branches(self) -> tuple[Node, ...]:
        """The spec's answer shapes (the ``anyOf`` of an answer item's ``answer``)."""
        arr = self.answers
        item = arr.items if arr is not None else None
        prop = item.prop("answer") if isinstance(item, ObjNode) else None
        if prop is None:
            return ()
        node = prop.node
        return node.branches if isinstance(node, AnyOfNode) else (node,)


@lru_cache(maxsize=8)
def model_of(validator: Validator) -> Model:
    """The node tree of ``validator``'s request schema (cached per Validator)."""
    schema = validator.spec.request_schema
    defs = schema.get("$defs")
    token = _DEFS.set((defs, {}) if isinstance(defs, dict) else None)
    try:
        root = build(schema, Where())
    finally:
        _DEFS.reset(token)
    if not isinstance(root, ObjNode):  # pragma: no cover - load_spec refuses these
        raise ValueError("the request body schema is not an object schema")
    operation = validator.operation
    return Model(root, operation.answers, operation.uploads)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if abs(value) <= sys.float_info.max else None


#: while a model is built: the request schema's ``$defs`` and the RefNodes made for
#: them, by (name, property name); None: the schema has no cycle
_DEFS: ContextVar[tuple[dict[str, Any], dict[tuple[str, str | None], RefNode]] | None] = ContextVar(
    "kombo_validate_model_defs", default=None
)


def _ref(name: str, where: Where) -> Node:
    """The node of a back-edge to ``$defs[name]`` (see :class:`RefNode`)."""
    found = _DEFS.get()
    if found is None or not isinstance(found[0].get(name), dict):
        return AnyNode(nullable=True)  # pragma: no cover - load_spec writes the table
    defs, refs = found
    node = refs.get((name, where.name))
    if node is None:
        node = refs[(name, where.name)] = RefNode(name=name)
        node.cell.append(build(defs[name], where))
    return node


def build(schema: Any, where: Where) -> Node:
    if schema is True or not isinstance(schema, dict):
        return AnyNode(nullable=True)
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(DEFS_REF):
        return _ref(ref[len(DEFS_REF) :], where)
    s = merge_all_of(schema)
    keyword = "anyOf" if isinstance(s.get("anyOf"), list) else "oneOf"
    branches = s.get(keyword)
    if isinstance(branches, list):
        return AnyOfNode(branches=tuple(build(b, where) for b in branches), keyword=keyword)
    types = set(schema_types(s))
    nullable = "null" in types or s.get("nullable") is True
    if isinstance(s.get("enum"), list) and None not in s["enum"]:
        nullable = False  # ``type: [string, null]`` with an enum of strings: null is no value
    types.discard("null")
    if "const" in s:
        return ConstNode(values=(s["const"],))
    if "enum" in s and types != {"string"}:
        return ConstNode(values=tuple(s["enum"]), nullable=nullable)
    if not types:
        return AnyNode(nullable=True) if not nullable else ConstNode(values=(None,))
    if len(types) > 1:
        alts = tuple(build({**s, "type": t}, where) for t in sorted(types))
        return AnyOfNode(branches=alts, nullable=nullable, keyword="type")
    (kind,) = types
    if kind == "object":
        return _object(s, where, nullable)
    if kind == "array":
        return ArrNode(
            items=build(s.get("items"), Where()),
            min_items=int(s.get("minItems", 0)),
            max_items=s.get("maxItems"),
            nullable=nullable,
        )
    if kind == "string":
        return _string(s, where, nullable)
    if kind in ("number", "integer"):
        return NumNode(
            integer=kind == "integer",
            minimum=_number(s.get("minimum")),
            maximum=_number(s.get("maximum")),
            exclusive_minimum=_number(s.get("exclusiveMinimum")),
            exclusive_maximum=_number(s.get("exclusiveMaximum")),
            nullable=nullable,
        )
    if kind == "boolean":
        return BoolNode(nullable=nullable)
    return AnyNode(nullable=True)


def _nullable(schema: Any) -> bool:
    """Whether the (merged) schema admits null: the normaliser keeps ``None`` there."""
    found = _DEFS.get()
    ref = schema.get("$ref") if isinstance(schema, dict) and found is not None else None
    if found is not None and isinstance(ref, str) and ref.startswith(DEFS_REF):
        schema = found[0].get(ref[len(DEFS_REF) :])  # a back-edge: its target's
    if not isinstance(schema, dict):
        return True
    s = merge_all_of(schema)
    if isinstance(s.get("anyOf"), list) or isinstance(s.get("oneOf"), list):
        return True
    types = schema_types(s)
    return not types or "null" in types or s.get("nullable") is True


def _object(s: dict[str, Any], where: Where, nullable: bool) -> ObjNode:
    raw_props = s.get("properties")
    raw_props = raw_props if isinstance(raw_props, dict) else {}
    required = frozenset(r for r in s.get("required") or () if isinstance(r, str))
    props = tuple(
        Prop(
            name=name,
            node=build(sub, Where(name, s)),
            droppable=name not in required and not _nullable(sub),
        )
        for name, sub in raw_props.items()
    )
    additional = s.get("additionalProperties")
    extra: Node | None = None
    if additional is True or (additional is None and not props):
        extra = AnyNode(nullable=True)
    elif isinstance(additional, dict):
        extra = build(additional, Where())
    return ObjNode(
        props=props,
        required=required,
        extra=extra,
        role=_role(s, where, ("object",)),
        pairs=requirements(s),
        nullable=nullable,
    )


def _string(s: dict[str, Any], where: Where, nullable: bool) -> StrNode:
    pattern = s.get("pattern") if isinstance(s.get("pattern"), str) else None
    enum = tuple(v for v in s.get("enum", ()) if isinstance(v, str))
    country = any(r.name == "country" and r.applies(s, where) for r in RULES)
    return StrNode(
        role=_role(s, where, ("string", "convert")),
        enum=enum,
        pattern=pattern,
        min_length=int(s.get("minLength", 0)),
        max_length=s.get("maxLength"),
        nullable=nullable,
        off_enum="country.unknown" if country else "schema.enum",
    )


def _role(s: dict[str, Any], where: Where, kinds: tuple[str, ...]) -> str:
    """The domain role of a schema, by the core's own rules: the first of ``kinds`` (a
    string rule before a converter) that the plan builds here, in ``RULES`` order."""
    for kind in kinds:
        for rule in RULES:
            role = BY_RULE.get(rule.name)  # every rule has one (tests/test_strategy_roles.py)
            if role and rule.kind == kind and rule.applies(s, where) and rule.build(s, where):
                return role(s, where)
    return "plain"
