"""The strict schema compiled to Python: a cold start proves a body without jsonschema-rs.

``python -c "import jsonschema_rs"`` alone costs some 3.5 times a bare
``python -c pass`` (the extension's dlopen, and the modules it imports: typing,
decimal, email.utils, socket, ipaddress, urllib.parse...), so a cold start that
must prove one body cannot afford it. The strict schema (``strict_schema``) is our
own output, its keywords a small known subset: :func:`compile_strict` writes it as
Python source of one function ``valid(body) -> bool`` that the cached proof
(``_artifacts``) runs instead, accepting exactly what jsonschema-rs 0.61 accepts on
the same schema (with ``validate_formats=True`` and the rules' custom formats).

Where exactness cannot be had the generated code raises ``UNSURE`` and ``valid``
answers False (the caller then builds the Validator, whose fast path asks
jsonschema-rs): a value of no JSON type (tuple, bytes...), an object with a key that
is no ``str``, a float NaN or infinity, an int beyond ``±2**1100`` (jsonschema-rs
has its own ideas about ints of over 4,300 digits). Compiling refuses (None) any
keyword, pattern syntax, format or value it does not know: ``$ref``, ``uniqueItems``,
``patternProperties``, ``\\s``, a backreference... Regular expressions are ECMA-262
as jsonschema-rs runs them: ``\\d``/``\\w`` ASCII, ``.`` stops at ``\\n``, ``\\r``,
U+2028 and U+2029, ``$`` only at the very end; lengths in code points; ``1.0`` is
an integer, ``True`` is no number; ``date``/``date-time`` as jsonschema-rs checks them.

Why not ``fastjsonschema`` (2.22.3, which compiles a schema to Python source):
importing it costs 55 ms of ``-X importtime`` here (typing, decimal, urllib.parse,
its four draft generators), its generated code imports ``decimal``; it knows
neither ``dependentRequired`` nor ``dependentSchemas`` (silently ignored: it would
accept what jsonschema-rs refuses), checks ``date`` by a regex (``2021-02-30``
passes), and runs patterns in Python's dialect (``\\d`` takes ``٣``, ``.`` takes
``\\r``). This module is the subset we emit, nothing more.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

from .ecma_regex import Untranslatable, ecma_to_python

# ``typing`` costs ~5 ms of a ~50 ms cold start (``_artifacts``): annotations only
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["BUILTINS", "Unsure", "bind", "compile_strict", "predicate"]

#: keywords jsonschema-rs does not assert (annotations, OpenAPI's own): ignored
_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "example",
        "examples",
        "deprecated",
        "externalDocs",
        "default",
        "readOnly",
        "writeOnly",
        "$comment",
        "nullable",
    }
)
_TYPES = {
    "string": ("string",),
    "boolean": ("boolean",),
    "null": ("null",),
    "object": ("object",),
    "array": ("array",),
    "number": ("int", "float"),
    "integer": ("int",),  # and an integral float: see _type_test
}
#: ints beyond this (either sign) are not decided here
BIG = 2**1100

#: the builtins the generated code uses
BUILTINS: dict[str, Any] = {"type": type, "len": len, "str": str, "dict": dict, "list": list}
BUILTINS.update({"int": int, "float": float, "bool": bool, "Exception": Exception})
BUILTINS.update({"all": all, "map": map})

#: jsonschema-rs's ``date`` and ``date-time`` formats (format.rs) and the value kinds
_PRELUDE = """
def kind(x):
    t = type(x)
    if t is str:
        return "string"
    if t is dict:
        for k in x:
            if type(k) is not str:
                raise UNSURE
        return "object"
    if t is list:
        return "array"
    if t is bool:
        return "boolean"
    if t is int:
        if -BIG <= x <= BIG:
            return "int"
        raise UNSURE
    if t is float:
        if x - x == 0.0:
            return "float"
        raise UNSURE
    if x is None:
        return "null"
    raise UNSURE


def rx(i):
    found = SEARCH[i]
    if found is None:
        found = SEARCH[i] = COMPILE(PATTERNS[i]).search
    return found


def is_date(s):
    if len(s) != 10 or not s.isascii() or s[4] != "-" or s[7] != "-":
        return False
    y, m, d = s[0:4], s[5:7], s[8:10]
    if not (y.isdigit() and m.isdigit() and d.isdigit()):
        return False
    y, m, d = int(y), int(m), int(d)
    if m < 1 or m > 12 or d == 0:
        return False
    if m == 2:
        return d <= (29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28)
    return d <= (30 if m in (4, 6, 9, 11) else 31)


def is_time(t):
    n = len(t)
    if n < 9 or t[2] != ":" or t[5] != ":":
        return False
    h, m, s = t[0:2], t[3:5], t[6:8]
    if not (h.isdigit() and m.isdigit() and s.isdigit()):
        return False
    h, m, s = int(h), int(m), int(s)
    if h > 23 or m > 59 or s > 60:
        return False
    i = 8
    if t[i] == ".":
        i += 1
        start = i
        while i < n and t[i].isdigit():
            i += 1
        if i == start:
            return False
    if i == n:
        return False
    c = t[i]
    if c == "Z" or c == "z":
        return i == n - 1 and (s != 60 or (h == 23 and m == 59))
    if c != "+" and c != "-":
        return False
    if n - i != 6 or t[i + 3] != ":":
        return False
    oh, om = t[i + 1 : i + 3], t[i + 4 : i + 6]
    if not (oh.isdigit() and om.isdigit()):
        return False
    oh, om = int(oh), int(om)
    if oh > 23 or om > 59:
        return False
    if s != 60:
        return True
    if c == "+":
        h, m = h - oh, m - om
    else:
        h, m = h + oh, m + om
    if m >= 60:
        h, m = h + 1, m - 60
    elif m < 0:
        h, m = h - 1, m + 60
    return (h + 24) % 24 == 23 and m == 59


def is_date_time(s):
    if not s.isascii():
        return False
    at, lower = s.find("T"), s.find("t")
    if at == -1 or (lower != -1 and lower < at):
        at = lower
    return at != -1 and is_date(s[:at]) and is_time(s[at + 1 :])


def valid(v):
    try:
        return s0(v)
    except Exception:  # UNSURE, RecursionError, a custom format's own
        return False
"""


class Unsure(Exception):
    """The generated code cannot decide a value exactly: not proven."""


class _Refuse(Exception):
    """The schema holds what this compiler does not know."""


# ------------------------------------------------------------------ the compiler


_BOUNDS = {"minimum": "<", "maximum": ">", "exclusiveMinimum": "<=", "exclusiveMaximum": ">="}
_SIZES = {"minLength": ("string", "<"), "maxLength": ("string", ">")}
_SIZES.update({"minItems": ("array", "<"), "maxItems": ("array", ">")})
#: every keyword known, in the order checks are written (the cheap and decisive first)
_KNOWN = ("type", "enum", "const", "required", *_SIZES, "pattern", "format", *_BOUNDS)
_KNOWN += ("dependentRequired", "dependentSchemas", "properties", "additionalProperties")
_KNOWN += ("items", "allOf", "anyOf", "oneOf", "not", "if", "then", "else")


class _Writer:
    """Writes one function ``sN(x) -> bool`` per distinct (sub)schema."""

    def __init__(self, formats: frozenset[str]) -> None:
        self.formats = formats
        self.functions: list[str] = []
        self.patterns: list[str] = []
        self.tables: list[str] = []  # name sets, and property -> function tables
        self.named: dict[str, str] = {}

    def function(self, schema: Any) -> str:
        text = json.dumps(schema, sort_keys=True)
        if text not in self.named:
            self.named[text] = name = f"s{len(self.named)}"
            self.functions.append(f"def {name}(x):\n{self.body(schema)}")
        return self.named[text]

    def table(self, text: str) -> str:
        if text not in self.tables:
            self.tables.append(text)
        return f"T{self.tables.index(text)}"

    def pattern(self, pattern: Any) -> int:
        if not isinstance(pattern, str):
            raise _Refuse("pattern")
        try:
            python = ecma_to_python(pattern)
        except Untranslatable as exc:
            raise _Refuse(str(exc)) from None
        try:
            re.compile(python)
        except re.error as exc:
            raise _Refuse(f"pattern {pattern!r}") from exc
        if python not in self.patterns:
            self.patterns.append(python)
        return self.patterns.index(python)

    def body(self, schema: Any) -> str:
        """The function body of ``schema``: False when ``x`` fails it."""
        if schema is True or schema is False:
            return f"    return {schema}"
        if not isinstance(schema, dict):
            raise _Refuse("a schema that is no object")
        keys = {k for k in schema if k not in _ANNOTATIONS and not k.startswith("x-")}
        if keys - set(_KNOWN):
            raise _Refuse(f"keywords {sorted(keys - set(_KNOWN))}")
        fails = [t for key in sorted(keys, key=_KNOWN.index) for t in self.tests(schema, key)]
        if not fails:
            return "    return True"
        return "    k = kind(x)\n    return not (" + " or ".join(f"({t})" for t in fails) + ")"

    def tests(self, s: dict[str, Any], key: str) -> list[str]:
        """Conditions under which ``x`` (of kind ``k``) fails keyword ``key`` of ``s``."""
        value = s[key]
        if key == "type":
            names = value if isinstance(value, list) else [value]
            if not names or not all(isinstance(t, str) and t in _TYPES for t in names):
                raise _Refuse("type")
            test = f"k in {tuple(sorted({kd for t in names for kd in _TYPES[t]}))!r}"
            if "integer" in names and "number" not in names:
                test += ' or (k == "float" and x.is_integer())'
            return [f"not ({test})"]
        if key in ("enum", "const"):
            values = value if key == "enum" else [value]
            if not isinstance(values, list) or not values or not _strings(values):
                raise _Refuse(key)  # strings only: no JSON equality of numbers, objects
            return [f'k != "string" or x not in {self.table(repr(set(values)))}']
        if key in _SIZES:
            kind, op = _SIZES[key]
            return [f'k == "{kind}" and len(x) {op} {_count(value)}']
        if key == "pattern":
            return [f'k == "string" and rx({self.pattern(value)})(x) is None']
        if key == "format":
            return [f'k == "string" and not {self.format(value)}(x)']
        if key in _BOUNDS:
            if type(value) not in (int, float) or not -BIG <= value <= BIG:
                raise _Refuse(key)
            return [f'(k == "int" or k == "float") and x {_BOUNDS[key]} {value!r}']
        if key == "required":
            return [f'k == "object" and not {self.table(repr(set(_names(value))))} <= x.keys()']
        if key in ("dependentRequired", "dependentSchemas"):
            return self.dependent(value, key)
        if key in ("properties", "additionalProperties"):
            return self.properties(s, key)
        if key == "items":
            return (
                []
                if value is True
                else [f'k == "array" and not all(map({self.function(value)}, x))']
            )
        if key == "allOf":
            return [f"not {self.function(sub)}(x)" for sub in _subs(value)]
        if key in ("anyOf", "oneOf"):
            calls = [f"{self.function(sub)}(x)" for sub in _subs(value)]
            return [
                f"not ({' or '.join(calls)})" if key == "anyOf" else f"({' + '.join(calls)}) != 1"
            ]
        if key == "not":
            return [f"{self.function(value)}(x)"]
        if key == "if":
            then, other = (self.function(s.get(k, True)) for k in ("then", "else"))
            return [f"not ({then}(x) if {self.function(value)}(x) else {other}(x))"]
        return []  # then/else: with "if" (alone, jsonschema-rs ignores them)

    def format(self, name: Any) -> str:
        if name == "date":
            return "is_date"
        if name == "date-time":
            return "is_date_time"
        if isinstance(name, str) and name in self.formats:
            return f"FORMATS[{name!r}]"
        raise _Refuse(f"format {name!r}")

    def dependent(self, deps: Any, key: str) -> list[str]:
        if not isinstance(deps, dict):
            raise _Refuse(key)
        out = []
        for name, then in deps.items():
            if key == "dependentRequired":
                test = f"not {self.table(repr(set(_names(then))))} <= x.keys()"
            else:
                test = f"not {self.function(then)}(x)"
            out.append(f'k == "object" and {name!r} in x and {test}')
        return out

    def properties(self, s: dict[str, Any], key: str) -> list[str]:
        if key == "additionalProperties" and "properties" in s:
            return []  # written with "properties"
        props, extra = s.get("properties", {}), s.get("additionalProperties", True)
        if not isinstance(props, dict):
            raise _Refuse("properties")
        entries = ", ".join(f"{name!r}: {self.function(sub)}" for name, sub in props.items())
        table = self.table("{" + entries + "}")
        if extra is True:
            return [f'k == "object" and not all(f(x[n]) for n, f in {table}.items() if n in x)']
        other = self.function(extra)
        return [f'k == "object" and not all({table}.get(n, {other})(v) for n, v in x.items())']


def _strings(values: Any) -> bool:
    return all(type(v) is str for v in values)


def _names(value: Any) -> list[str]:
    if not isinstance(value, list) or not _strings(value):
        raise _Refuse("a list of names")
    return value


def _count(value: Any) -> int:
    if type(value) is not int or value < 0:
        raise _Refuse("a count")
    return value


def _subs(value: Any) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise _Refuse("a list of schemas")
    return value


def compile_strict(schema: Any, formats: Iterable[str] = ()) -> str | None:
    """Python source defining ``valid(body) -> bool`` for the strict ``schema``, or None
    when it holds anything this compiler does not know. The source uses the names
    ``UNSURE``, ``COMPILE``, ``FORMATS``, ``BIG`` and :data:`BUILTINS` (:func:`bind`
    gives them)."""
    writer = _Writer(frozenset(formats))
    try:
        writer.function(schema)
    except (_Refuse, RecursionError):
        return None
    head = [f"PATTERNS = {tuple(writer.patterns)!r}", "SEARCH = [None] * len(PATTERNS)"]
    tables = [f"T{i} = {text}" for i, text in enumerate(writer.tables)]
    return "\n".join([*head, _PRELUDE, *writer.functions, *tables, ""])


def bind(code: Any, formats: dict[str, Callable[[str], bool]]) -> Callable[[Any], bool]:
    """Run ``code`` (:func:`compile_strict`'s source, or its code object) with only the
    names it uses; its ``valid``."""
    env: dict[str, Any] = {"__builtins__": dict(BUILTINS), "UNSURE": Unsure, "BIG": BIG}
    env.update(COMPILE=re.compile, FORMATS=formats)
    exec(code, env)
    valid: Callable[[Any], bool] = env["valid"]
    return valid


def predicate(
    schema: Any, formats: dict[str, Callable[[str], bool]]
) -> Callable[[Any], bool] | None:
    """``valid`` for ``schema`` (None: not compiled); for tests and tools."""
    source = compile_strict(schema, formats)
    return None if source is None else bind(source, formats)
