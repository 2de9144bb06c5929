"""Odd keys: non-string keys, lone surrogates, NULs, bidi and zero-width characters,
pointer metacharacters, near-misses of real properties, 1 MB keys — in every object."""

from __future__ import annotations

import decimal
from typing import Any

from .base import QID, Case, answered, api_case, minimal, pick_quick, question, rng


class StrKey(str):
    def __hash__(self) -> int:
        return str.__hash__(self)

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("StrKey.__eq__ ran")

    def __str__(self) -> str:
        raise RuntimeError("StrKey.__str__ ran")


FIXED: dict[str, Any] = {
    "int": lambda: 1,
    "zero": lambda: 0,
    "none": lambda: None,
    "true": lambda: True,
    "float": lambda: 1.5,
    "nan": lambda: float("nan"),
    "tuple": lambda: ("first_name",),
    "frozenset": lambda: frozenset({"a"}),
    "bytes": lambda: b"first_name",
    "object": lambda: object(),
    "decimal": lambda: decimal.Decimal("1"),
    "str_sub": lambda: StrKey("middle_name"),  # no other key shares its hash: eq never runs
    "surrogate": lambda: "\ud800",
    "surrogate_pair_halves": lambda: "first\udc00name",
    "nul": lambda: "\x00",
    "nul_in_name": lambda: "first_name\x00",
    "bidi": lambda: "\u202eeman_tsrif",
    "zero_width": lambda: "first\u200bname",
    "bom": lambda: "\ufefffirst_name",
    "empty": lambda: "",
    "space": lambda: " first_name ",
    "slash": lambda: "a/b",
    "tilde": lambda: "~1~0~",
    "pointer": lambda: "/candidate/first_name",
    "newline": lambda: "first_name\n::error::x",
    "ansi": lambda: "\x1b[31mred\x1b[0m",
    "typo": lambda: "first_nmae",
    "case": lambda: "First_Name",
    "nfd": lambda: "cafe\u0301",
    "emoji": lambda: "😀" * 50,
    "long_1k": lambda: "k" * 1000,
    "long_1MB": lambda: "k" * 1_000_000,
    "long_1MB_bidi": lambda: "\u202e" * 1_000_000,
    "near_1MB": lambda: "first_name" + "x" * 1_000_000,
}

_ALPHABET = "ab_Z0-./~ \x00\x1b\u202e\u200b\ud800\udfff😀é\u0301\n\t\"'\\{}[]:"


def _places() -> dict[str, Any]:
    def q(key: Any, value: Any) -> dict[str, Any]:
        raw = question(QID, {"type": "TEXT"})
        raw[key] = value
        return {"body": answered("x"), "questions": [raw]}

    def fmt(key: Any, value: Any) -> dict[str, Any]:
        return {"body": answered("x"), "questions": [question(QID, {"type": "TEXT", key: value})]}

    def restr(key: Any, value: Any) -> dict[str, Any]:
        return {"body": answered("x"), "restrictions": {"types": {"CV": {key: value}}}}

    def restr_types(key: Any, value: Any) -> dict[str, Any]:
        return {"body": answered("x"), "restrictions": {"types": {key: {"is_supported": True}}}}

    return {
        "root": lambda k, v: {"body": {**minimal(), k: v}},
        "candidate": lambda k, v: {
            "body": {
                "candidate": {
                    "first_name": "A",
                    "last_name": "B",
                    "email_address": "a@example.com",
                    k: v,
                }
            }
        },
        "location": lambda k, v: {"body": minimal(location={"city": "X", k: v})},
        "salary": lambda k, v: {"body": minimal(salary_expectations={"amount": 1, k: v})},
        "attachment": lambda k, v: {
            "body": {
                **minimal(),
                "attachments": [
                    {"name": "a", "type": "CV", "data_url": "https://example.com/a", k: v}
                ],
            }
        },
        "answer_item": lambda k, v: {
            "body": {
                **minimal(),
                "screening_question_answers": [{"question_id": QID, "answer": "x", k: v}],
            }
        },
        "answer_value": lambda k, v: {"body": answered({k: v})},
        "remote_fields": lambda k, v: {"body": {**minimal(), "remote_fields": {k: v}}},
        "gdpr": lambda k, v: {"body": {**minimal(), "gdpr_consent": {"given": True, k: v}}},
        "source": lambda k, v: {"body": {**minimal(), "source": {"name": "x", k: v}}},
        "question": q,
        "format": fmt,
        "restriction": restr,
        "restriction_types": restr_types,
    }


def cases() -> list[Case]:
    r = rng("keys")
    out: list[Case] = []
    places = _places()
    values: tuple[Any, ...] = ("Ada", 1, None, {"a": 1}, [1], "\ud800")
    for kname, mk in FIXED.items():
        for place, put in places.items():
            value = r.choice(values)

            def build(mk: Any = mk, put: Any = put, value: Any = value) -> dict[str, Any]:
                key = mk()
                inputs = put(key, value)
                if type(key) is str and len(key) > 40:
                    inputs["personal"] = [key]
                return inputs

            kinds = dict.fromkeys(["check", r.choice(["prepare", "python", "request", "check"])])
            core = kname in ("int", "surrogate", "long_1MB", "str_sub") and place in (
                "candidate",
                "remote_fields",
                "question",
            )
            out += api_case(f"{kname}/{place}", build, kinds=kinds, quick=core)
    # seeded random keys, several in one object
    for i in range(300):
        place = r.choice(list(places))
        keys = [
            "".join(r.choice(_ALPHABET) for _ in range(r.randint(0, 60)))
            for _ in range(r.randint(1, 4))
        ]

        def build_random(keys: list[str] = keys, put: Any = places[place]) -> dict[str, Any]:
            inputs = put(keys[0], "v")
            for k in keys[1:]:
                put_more = inputs["body"]
                put_more[k] = "w"
            return {**inputs, "personal": [k for k in keys if len(k) > 40]}

        out += api_case(f"random{i}/{place}", build_random, kinds=("check",))
    # the same key written twice in different forms (NFC/NFD, surrogate halves)
    for a, b in (("caf\u00e9", "cafe\u0301"), ("\ud83d\ude00", "😀"), ("a", "a\x00")):
        for place in ("candidate", "remote_fields", "root"):

            def twins(a: str = a, b: str = b, put: Any = places[place]) -> dict[str, Any]:
                inputs = put(a, 1)
                inputs["body"][b] = 2
                return inputs

            out += api_case(f"twins/{a!a}/{place}", twins, kinds=("check", "prepare"))
    return pick_quick(out, 24)
