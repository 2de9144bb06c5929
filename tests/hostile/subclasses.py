"""Hostile subclasses: dict/list/tuple/str/int/float/bytes/datetime subclasses whose
methods raise or lie, objects whose ``__class__`` claims a JSON type, ``MagicMock(spec=…)``,
timezones whose ``utcoffset`` misbehaves, and memoryview slices as attachment data.

None of their code may run (the library reads values through the built-in types' own
methods) and none of it may escape as an exception, hang or mutate anything.
"""

from __future__ import annotations

import array
import datetime as dt
from collections.abc import Callable
from typing import Any
from unittest.mock import MagicMock

from .base import (
    QID,
    Case,
    answered,
    api_case,
    minimal,
    pick_quick,
    question,
)
from .subclass_places import PLACES, body_with

BEHAVIOURS = ("raise", "raise_value", "lie")

METHODS: dict[type, tuple[str, ...]] = {
    dict: (
        "items",
        "keys",
        "values",
        "__iter__",
        "__len__",
        "get",
        "__getitem__",
        "__contains__",
        "copy",
        "__eq__",
        "__repr__",
        "__bool__",
    ),
    list: (
        "__iter__",
        "__len__",
        "__getitem__",
        "__contains__",
        "__eq__",
        "index",
        "copy",
        "__reversed__",
        "__repr__",
    ),
    tuple: ("__iter__", "__len__", "__getitem__", "__eq__"),
    str: (
        "__str__",
        "__repr__",
        "__len__",
        "__getitem__",
        "strip",
        "lower",
        "upper",
        "__eq__",
        "__hash__",
        "__contains__",
        "encode",
        "split",
        "startswith",
        "endswith",
        "__iter__",
        "replace",
        "casefold",
        "isascii",
        "__format__",
        "partition",
    ),
    int: (
        "__index__",
        "__int__",
        "__repr__",
        "__str__",
        "__eq__",
        "__hash__",
        "__lt__",
        "__gt__",
        "__float__",
        "__bool__",
        "bit_length",
        "__format__",
    ),
    float: ("__float__", "__repr__", "__eq__", "__lt__", "is_integer", "__hash__", "__str__"),
    bytes: ("__len__", "decode", "__bytes__", "hex", "__getitem__"),
}

_LIES: dict[str, Any] = {
    "items": lambda self: iter([("first_name", "Eve")]),
    "keys": lambda self: iter(["nope"]),
    "values": lambda self: iter([None]),
    "__iter__": lambda self: iter(["first_name"]),
    "__len__": lambda self: 0,
    "get": lambda self, *a: "lie",
    "__getitem__": lambda self, k: "lie",
    "__contains__": lambda self, k: True,
    "copy": lambda self: {"candidate": None},
    "__eq__": lambda self, o: True,
    "__hash__": lambda self: 0,
    "__bool__": lambda self: False,
    "__index__": lambda self: 10**100,
    "__int__": lambda self: -1,
    "__float__": lambda self: float("nan"),
    "bit_length": lambda self: 0,
    "is_integer": lambda self: "yes",
    "__lt__": lambda self, o: True,
    "__gt__": lambda self, o: True,
    "encode": lambda self, *a, **k: b"\xff\xfe",
    "split": lambda self, *a, **k: [],
    "partition": lambda self, *a: ("", "", ""),
    "startswith": lambda self, *a: True,
    "endswith": lambda self, *a: True,
    "isascii": lambda self: False,
    "decode": lambda self, *a, **k: "\ud800",
    "__bytes__": lambda self: b"",
    "index": lambda self, *a: 10**9,
    "__reversed__": lambda self: iter([]),
}


def hostile(base: type, method: str, behaviour: str) -> type:
    """A subclass of ``base`` whose ``method`` raises, or returns a plausible lie."""

    def boom(*args: Any, **kw: Any) -> Any:
        raise (RuntimeError if behaviour == "raise" else ValueError)(f"{method} ran")

    impl = _LIES.get(method, lambda self, *a, **k: "lie") if behaviour == "lie" else boom
    return type(f"Hostile{base.__name__.title()}", (base,), {method: impl})


def _claims(kind: type) -> Any:
    cls = type(f"Claims{kind.__name__.title()}", (), {"__class__": property(lambda self: kind)})
    return cls()


def _tz(behaviour: str) -> dt.tzinfo:
    class Tz(dt.tzinfo):
        def utcoffset(self, when: Any) -> Any:
            if behaviour == "raise":
                raise RuntimeError("utcoffset ran")
            return {
                "huge": dt.timedelta(hours=25),
                "none": None,
                "str": "+02:00",
                "fraction": dt.timedelta(microseconds=1),
                "neg": dt.timedelta(hours=-23, minutes=-59),
            }[behaviour]

        def dst(self, when: Any) -> Any:
            raise RuntimeError("dst ran")

        def tzname(self, when: Any) -> Any:
            raise RuntimeError("tzname ran")

    return Tz()


def _memoryviews() -> dict[str, Callable[[], Any]]:
    def released() -> Any:
        m = memoryview(b"abcd")
        m.release()
        return m

    return {
        "strided": lambda: memoryview(b"abcdef")[::2],
        "reversed": lambda: memoryview(b"abcdef")[::-1],
        "slice": lambda: memoryview(b"abcdef")[1:-1],
        "empty": lambda: memoryview(b"abcdef")[3:3],
        "cast_I": lambda: memoryview(b"abcdefgh").cast("I"),
        "2d": lambda: memoryview(b"abcdef").cast("B", (2, 3)),
        "bytearray": lambda: memoryview(bytearray(b"abcd"))[1:],
        "array_d": lambda: memoryview(array.array("d", [1.5, float("nan")])),
        "released": released,
        "10MB_strided": lambda: memoryview(bytes(20_000_000))[::2],
        "readonly_bytes": lambda: memoryview(b"x" * 1000).toreadonly(),
    }


def cases() -> list[Case]:
    out: list[Case] = []
    for base, methods in METHODS.items():
        for method in methods:
            for behaviour in BEHAVIOURS:
                for place, (plain, put) in PLACES[base].items():
                    if base is str and place == "key" and method in ("__hash__", "__eq__"):
                        continue  # cannot be put in a dict in the first place

                    def build(
                        base: type = base,
                        m: str = method,
                        b: str = behaviour,
                        plain: Any = plain,
                        put: Any = put,
                    ) -> dict[str, Any]:
                        return put(hostile(base, m, b)(plain))

                    name = f"{base.__name__}.{method}/{behaviour}/{place}"
                    out += api_case(name, build, kinds=("check",))
    # objects claiming a JSON type, and mocks, everywhere a value of that type goes
    for base, places in PLACES.items():
        for place, (_, put) in places.items():
            if base is str and place == "key":
                continue
            for claimed in (dict, list, str, int, float, bool, type(None)):

                def build_claim(claimed: type = claimed, put: Any = put) -> dict[str, Any]:
                    return put(_claims(claimed))

                out += api_case(
                    f"claims_{claimed.__name__}/{base.__name__}/{place}",
                    build_claim,
                    kinds=("check",),
                )
            for spec in (str, dict, list, int, float, bytes, dt.datetime, dt.date):

                def build_mock(spec: type = spec, put: Any = put) -> dict[str, Any]:
                    return put(MagicMock(spec=spec))

                out += api_case(
                    f"mock_{spec.__name__}/{base.__name__}/{place}",
                    build_mock,
                    kinds=("check", "prepare"),
                )
    # datetimes: subclasses, timezones that misbehave, in the body and as DATE answers
    date_q = [question(QID, {"type": "DATE"})]
    for tzb in ("raise", "huge", "none", "str", "fraction", "neg"):
        for where in ("body", "answer", "gdpr"):

            def build_tz(tzb: str = tzb, where: str = where) -> dict[str, Any]:
                v = dt.datetime(2021, 1, 1, 10, tzinfo=_tz(tzb))
                if where == "body":
                    return body_with(minimal(availability_date=v))
                if where == "gdpr":
                    return body_with(
                        {**minimal(), "gdpr_consent": {"expires_at": v, "given": True}}
                    )
                return body_with(answered(v), questions=date_q)

            out += api_case(f"tz_{tzb}/{where}", build_tz, kinds=("check", "prepare", "python"))
    for cls in (dt.datetime, dt.date):
        for method in (
            "isoformat",
            "astimezone",
            "utcoffset",
            "__str__",
            "strftime",
            "replace",
            "__format__",
            "timetuple",
            "date",
        ):
            if cls is dt.date and method in ("astimezone", "utcoffset"):
                continue
            for where in ("body", "answer"):

                def build_dt(cls: type = cls, m: str = method, where: str = where) -> Any:
                    sub = hostile(cls, m, "raise")
                    v = (
                        sub(2021, 1, 1, 10, tzinfo=dt.timezone.utc)
                        if cls is dt.datetime
                        else sub(2021, 1, 1)
                    )
                    return (
                        body_with(minimal(availability_date=v))
                        if where == "body"
                        else body_with(answered(v), questions=date_q)
                    )

                out += api_case(f"{cls.__name__}.{method}/{where}", build_dt, kinds=("check",))
    # memoryviews as attachment data and as FILE answers' data
    for mname, mk in _memoryviews().items():
        for where in ("data", "file_answer", "first_name"):

            def build_mv(mk: Any = mk, where: str = where) -> dict[str, Any]:
                return PLACES[bytes][where][1](mk())

            out += api_case(
                f"memoryview_{mname}/{where}",
                build_mv,
                kinds=("check", "prepare"),
                quick=mname in ("strided", "released", "2d"),
            )
    return pick_quick(out, 60, also=["claims_dict/list/questions:check"])
