"""Numbers: NaN, ±inf, -0.0, 5,000-digit integers, 2**53 ± 1, bools where numbers go,
``Decimal``/``Fraction``/``complex``, and int/float subclasses — in amounts, NUMBER answers
and their bounds, and the limits of questions and restrictions."""

from __future__ import annotations

import decimal
import fractions
import sys
from typing import Any

from .base import QID, Case, answered, api_case, attachment_body, minimal, pick_quick, question, rng


class Int(int):
    pass


class Float(float):
    pass


VALUES: dict[str, Any] = {
    "nan": lambda: float("nan"),
    "neg_nan": lambda: -float("nan"),
    "inf": lambda: float("inf"),
    "neg_inf": lambda: float("-inf"),
    "neg_zero": lambda: -0.0,
    "zero": lambda: 0,
    "true": lambda: True,
    "false": lambda: False,
    "int_5000_digits": lambda: 10**5000 - 1,  # past int-to-str's default 4,300 digits
    "neg_int_5000_digits": lambda: -7 * (10**5000 - 1) // 9,
    "int_2_1024": lambda: 2**1024,
    "int_2_53_plus_1": lambda: 2**53 + 1,
    "int_2_63": lambda: 2**63,
    "float_max": lambda: sys.float_info.max,
    "float_min": lambda: sys.float_info.min,
    "denormal": lambda: 5e-324,
    "neg_big": lambda: -1e308,
    "decimal": lambda: decimal.Decimal("1.5"),
    "decimal_nan": lambda: decimal.Decimal("NaN"),
    "decimal_snan": lambda: decimal.Decimal("sNaN"),
    "fraction": lambda: fractions.Fraction(1, 3),
    "complex": lambda: complex(1, 0),
    "int_sub": lambda: Int(5),
    "int_sub_huge": lambda: Int(10**400),
    "float_sub_nan": lambda: Float("nan"),
    "float_sub": lambda: Float(2.5),
    "str_number": lambda: "5",
    "str_nan": lambda: "NaN",
    "bytes": lambda: b"5",
    "none": lambda: None,
    "list": lambda: [5],
}


def _places() -> dict[str, Any]:
    def q(fmt: dict[str, Any], answer: Any = "x") -> Any:
        return lambda v: {"body": answered(answer), "questions": [question(QID, fmt(v))]}

    def restr(key: str) -> Any:
        return lambda v: {
            "body": attachment_body(data="QUFB", content_type="text/plain"),
            "restrictions": {"types": {"CV": {"is_supported": True, key: v}}},
        }

    return {
        "amount": lambda v: {"body": minimal(salary_expectations={"amount": v, "period": "YEAR"})},
        "number_answer": lambda v: {
            "body": answered(v),
            "questions": [question(QID, {"type": "NUMBER", "min": 0, "max": 10})],
        },
        "unbounded_answer": lambda v: {
            "body": answered(v),
            "questions": [question(QID, {"type": "NUMBER"})],
        },
        "unchecked_answer": lambda v: {"body": answered(v)},
        "boolean_answer": lambda v: {
            "body": answered(v),
            "questions": [question(QID, {"type": "BOOLEAN"})],
        },
        "remote_int": lambda v: {
            "body": {**minimal(), "remote_fields": {"avature": {"workflow": {"step": {"id": v}}}}}
        },
        "remote_free": lambda v: {"body": {**minimal(), "remote_fields": {"x": v}}},
        "q_min": q(lambda v: {"type": "NUMBER", "min": v}, 5),
        "q_max": q(lambda v: {"type": "NUMBER", "max": v}, 5),
        "q_max_length": q(lambda v: {"type": "TEXT", "max_length": v}),
        "q_file_size": q(
            lambda v: {"type": "FILE", "max_file_size_bytes": v},
            {"name": "a.txt", "data": "QUFB", "content_type": "text/plain"},
        ),
        "q_index": lambda v: {
            "body": answered("x"),
            "questions": [question(QID, {"type": "TEXT"}, index=v)],
        },
        "r_total": lambda v: {
            "body": attachment_body(data="QUFB", content_type="text/plain"),
            "restrictions": {"total_size_bytes": v},
        },
        "r_min_amount": restr("min_amount"),
        "r_max_amount": restr("max_amount"),
        "r_file_size": restr("max_file_size_bytes"),
        "gdpr_given": lambda v: {"body": {**minimal(), "gdpr_consent": {"given": v}}},
        "attachment_data": lambda v: {"body": attachment_body(data=v, content_type="text/plain")},
    }


def cases() -> list[Case]:
    r = rng("numbers")
    out: list[Case] = []
    for pname, put in _places().items():
        for vname, mk in VALUES.items():

            def build(mk: Any = mk, put: Any = put) -> dict[str, Any]:
                return put(mk())

            kinds = dict.fromkeys(["check", r.choice(["prepare", "python", "request"])])
            core = vname in ("nan", "int_5000_digits", "neg_zero", "true") and pname in (
                "amount",
                "number_answer",
                "q_min",
                "r_file_size",
            )
            out += api_case(f"{pname}/{vname}", build, kinds=kinds, quick=core)
    # seeded mixtures: several numbers at once
    names = sorted(VALUES)
    for i in range(150):
        a, b, c = (r.choice(names) for _ in range(3))

        def build_mix(a: str = a, b: str = b, c: str = c) -> dict[str, Any]:
            body = minimal(salary_expectations={"amount": VALUES[a](), "period": "YEAR"})
            body["screening_question_answers"] = [{"question_id": QID, "answer": VALUES[b]()}]
            fmt = {"type": "NUMBER", "min": VALUES[c](), "max": 10}
            return {"body": body, "questions": [question(QID, fmt)]}

        out += api_case(f"mix{i}/{a}/{b}/{c}", build_mix, kinds=("check",))
    return pick_quick(out, 30, also=["r_total/neg_big:request", "r_file_size/neg_big:prepare"])
