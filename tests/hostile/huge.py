"""Huge strings: values of 1, 10 and 50 MB and keys of 1 to 50 MB in every kind of field,
100,000 keys in one object, and long titles, option names and MIME lists in questions."""

from __future__ import annotations

import base64
from typing import Any

from .base import QID, Case, answered, api_case, attachment_body, minimal, pick_quick, question, rng

MB = 1_000_000
SIZES = (1 * MB, 10 * MB, 50 * MB)


def text(size: int, content: str, seed: int) -> str:
    r = rng("huge", seed)
    if content == "ascii":
        return "a" * size
    if content == "printable":
        alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-@"
    elif content == "astral":
        alphabet = "😀𝔘𐐷漢字ß"
    elif content == "spaces":
        alphabet = " \t\u00a0\u2003"
    else:  # "surrogate": printable, one lone surrogate at the very end
        return text(size - 1, "printable", seed) + "\ud800"
    block = "".join(r.choice(alphabet) for _ in range(4096))
    return (block * (size // 4096 + 1))[:size]


def _fields() -> dict[str, Any]:
    def cand(field: str) -> Any:
        return lambda v: minimal(**{field: v})

    def loc(field: str) -> Any:
        return lambda v: minimal(location={"city": "X", field: v})

    return {
        "first_name": cand("first_name"),
        "last_name": cand("last_name"),
        "email": cand("email_address"),
        "phone": cand("phone_number"),
        "company": cand("company"),
        "gender": cand("gender"),
        "availability_date": cand("availability_date"),
        "country": loc("country"),
        "zip": loc("zip_code"),
        "stage_id": lambda v: {**minimal(), "stage_id": v},
        "attachment_name": lambda v: attachment_body(name=v, data_url="https://example.com/a.pdf"),
        "content_type": lambda v: attachment_body(data="QUFB", content_type=v),
        "data_url": lambda v: attachment_body(data_url=v),
        "data": lambda v: attachment_body(data=v, content_type="text/plain"),
        "answer": lambda v: answered(v),
        "question_id": lambda v: {
            **minimal(),
            "screening_question_answers": [{"question_id": v, "answer": "x"}],
        },
        "remote_fields": lambda v: {**minimal(), "remote_fields": {"x": v}},
        "unknown_key": lambda v: {**minimal(), "extra": v},
    }


#: the fields that get 50 MB values (each such case costs the harness ~1 s)
HUGEST = {
    "printable": (
        "first_name",
        "email",
        "availability_date",
        "country",
        "data",
        "answer",
        "remote_fields",
        "data_url",
    ),
    "surrogate": ("last_name", "gender", "content_type", "question_id"),
}
PERSONAL = {"first_name", "last_name", "email", "phone", "company", "answer", "zip"}


def cases() -> list[Case]:
    out: list[Case] = []
    r = rng("huge")
    contents = ("ascii", "printable", "astral", "spaces", "surrogate")
    for size in SIZES:
        for field, put in _fields().items():
            for content in contents:
                if size > MB and content not in ("printable", "surrogate"):
                    continue
                if size == 50 * MB and field not in HUGEST[content]:
                    continue

                def build(
                    size: int = size, content: str = content, put: Any = put, field: str = field
                ):
                    v = text(size, content, size + len(field))
                    return {"body": put(v), "personal": [v] if field in PERSONAL else []}

                kinds = ["check"] if size > MB else ["check", r.choice(["prepare", "python"])]
                core = size == 50 * MB and field in ("first_name", "answer", "data")
                out += api_case(f"{field}/{content}/{size // MB}MB", build, kinds=kinds, quick=core)
    # valid base64 of 10 and 50 MB (decoded sizes past the 10 MB warning), and a data: URI
    for size in (10 * MB, 50 * MB):

        def b64(size: int = size, prefix: str = "") -> dict[str, Any]:
            data = base64.b64encode(b"\x00" * (size * 3 // 4)).decode()
            return {"body": attachment_body(data=prefix + data, content_type="application/pdf")}

        out += api_case(f"base64/{size // MB}MB", b64, kinds=("check", "prepare"))
        out += api_case(
            f"data_uri/{size // MB}MB",
            lambda size=size: b64(size, "data:application/pdf;base64,"),
            kinds=("check",),
        )
    # huge keys
    for size in (MB, 10 * MB, 50 * MB):
        for where in ("root", "candidate", "remote_fields", "location", "answer_object"):
            if size == 50 * MB and where not in ("candidate", "answer_object"):
                continue

            def keyed(size: int = size, where: str = where) -> dict[str, Any]:
                key = text(size, "printable", size)
                if where == "root":
                    return {"body": {**minimal(), key: 1}, "personal": [key]}
                if where == "candidate":
                    return {"body": minimal(**{key: 1}), "personal": [key]}
                if where == "remote_fields":
                    return {"body": {**minimal(), "remote_fields": {key: 1}}, "personal": [key]}
                if where == "location":
                    return {"body": minimal(location={key: "x"}), "personal": [key]}
                return {"body": answered({key: "x"}), "personal": [key]}

            out += api_case(
                f"key/{where}/{size // MB}MB", keyed, quick=size == 50 * MB and where == "candidate"
            )
    # many keys, many answers, many attachments
    for n in (1_000, 10_000, 100_000):

        def many_keys(n: int = n) -> dict[str, Any]:
            return {"body": minimal(**{f"first_nam{i}": i for i in range(n)})}

        def many_answers(n: int = n) -> dict[str, Any]:
            answers = [{"question_id": QID, "answer": str(i)} for i in range(n)]
            return {"body": {**minimal(), "screening_question_answers": answers}}

        def many_atts(n: int = n) -> dict[str, Any]:
            att = {"name": "a.txt", "type": "CV", "data": "QUFB", "content_type": "text/plain"}
            return {"body": {**minimal(), "attachments": [dict(att) for _ in range(n)]}}

        slow = ("slow",) if n == 100_000 else ()  # near the 2 s bound on a busy machine
        out += api_case(f"many_keys/{n}", many_keys, kinds=("check", "prepare"), tags=slow)
        out += api_case(f"many_answers/{n}", many_answers, kinds=("check",), tags=slow)
        out += api_case(f"many_attachments/{n}", many_atts, kinds=("check",), tags=slow)
    # huge texts inside questions
    for size in (MB, 10 * MB):

        def q_title(size: int = size) -> dict[str, Any]:
            t = text(size, "printable", 7)
            return {"body": answered("x"), "questions": [question(QID, {"type": "TEXT"}, title=t)]}

        def q_option(size: int = size) -> dict[str, Any]:
            name = text(size, "printable", 8)
            fmt = {"type": "SINGLE_SELECT", "options": [{"id": QID, "name": name}]}
            return {
                "body": answered(name[:-1]),
                "questions": [question(QID, fmt)],
                "personal": [name],
            }

        def q_max_length(size: int = size) -> dict[str, Any]:
            v = text(size, "printable", 9)
            fmt = {"type": "TEXT", "max_length": 10}
            return {"body": answered(v), "questions": [question(QID, fmt)], "personal": [v]}

        out += api_case(f"question_title/{size // MB}MB", q_title)
        out += api_case(f"option_name/{size // MB}MB", q_option)
        out += api_case(f"too_long_answer/{size // MB}MB", q_max_length)
    return pick_quick(out, 21, also=["gender/surrogate/50MB:check"])
