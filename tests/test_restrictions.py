"""Attachment restrictions (GET /ats/actions/ats_create_application), driving ``Restrictions``."""

from __future__ import annotations

import base64
import copy
import json
import os
import pickle
from pathlib import Path
from typing import Any

import pytest

from kombo_validate.context import Ctx
from kombo_validate.issues import ContextError
from kombo_validate.limits import mime_accepted, mime_refused, normalise_mime_types, number_text
from kombo_validate.restrictions import ATTACHMENT_TYPES, Restrictions, TypeRestriction
from kombo_validate.rules.attachment import decoded_size

ROOT = Path(__file__).resolve().parents[1]
FULL_SPEC = Path(
    os.environ.get("KOMBO_OPENAPI", ROOT.parent / "shared" / "seed" / "kombo-openapi.json")
)
AT = "/attachments"

# the spec's example of data.attachment_restrictions
EXAMPLE: dict[str, Any] = {
    "total_size_bytes": 20,
    "types": {
        "CV": {
            "is_supported": True,
            "min_amount": 1,
            "max_amount": 1,
            "max_file_size_bytes": 10,
            "accepted_mime_types": ["application/pdf", "application/msword"],
        },
        "COVER_LETTER": {
            "is_supported": True,
            "min_amount": 0,
            "max_amount": None,
            "max_file_size_bytes": None,
            "accepted_mime_types": None,
        },
        "OTHER": {"is_supported": False},
    },
}
R = Restrictions(EXAMPLE)


def b64(n: int) -> str:
    return base64.b64encode(b"x" * n).decode()


def att(kind: str = "CV", n: int = 5, ct: str = "application/pdf", **kw: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"name": f"{kind.lower()}.pdf", "type": kind, "content_type": ct}
    item["data"] = b64(n)
    item.update(kw)
    return item


def run(r: Restrictions, attachments: Any) -> list[tuple[str, str, str]]:
    ctx = Ctx()
    r.check_uploads(attachments, ctx, ("attachments",))
    return [(i.path, i.code, i.severity) for i in ctx.issues]


# --------------------------------------------------------------------------- helpers


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 6, 7, 100, 1001])
def test_decoded_size_matches_decoding(n: int) -> None:
    data = b64(n)
    assert decoded_size(data) == n
    assert decoded_size(data.rstrip("=")) == n  # unpadded
    wrapped = "\r\n".join(data[i : i + 76] for i in range(0, len(data), 76)) + "\n"
    assert decoded_size(wrapped) == n  # MIME line breaks


def test_mime_matching() -> None:
    accepted = normalise_mime_types(["Application/PDF; q=1", "image/*", "pdf"])
    assert accepted == ("application/pdf", "image/*")
    assert mime_accepted("application/pdf", accepted)
    assert mime_accepted("APPLICATION/pdf; charset=binary", accepted)
    assert mime_accepted("image/png", accepted)
    assert not mime_accepted("imagex/png", accepted)
    assert not mime_accepted("application/msword", accepted)
    assert mime_accepted("anything/else", ("*/*",))
    assert normalise_mime_types(None) is None
    assert normalise_mime_types([]) is None  # an empty list limits nothing
    assert normalise_mime_types(["pdf", ".docx"]) is None  # nothing comparable


def test_one_mime_check_and_one_number_text_serve_both_job_contexts() -> None:
    accepted = normalise_mime_types(["application/pdf"])
    assert mime_refused("text/plain", accepted)
    assert not mime_refused("Application/PDF; q=1", accepted)
    assert not mime_refused("text/plain", None)  # no limit refuses nothing
    assert not mime_refused(12, accepted)  # not a string: the core's schema reports it
    assert number_text(10_000_000, ",") == "10,000,000" and number_text(3.0) == "3"
    assert number_text(-1.7976931348623157e308) == "-1.7976931348623157e+308"
    assert number_text(10**300) == "1e+300"  # the double Kombo reads, not 301 digits


# --------------------------------------------------------------------------- valid


def test_valid_attachments() -> None:
    assert run(R, [att("CV", 10), att("COVER_LETTER", 5, "text/plain")]) == []
    assert run(R, [att("CV", 3, "Application/MSWord")]) == []


def test_no_information_means_no_limits() -> None:
    raws: list[Any] = [None, {"total_size_bytes": None, "types": None}, {}]
    raws.append({"data": {"attachment_restrictions": None}})
    for raw in raws:
        r = Restrictions(raw)
        assert run(r, [att("OTHER", 10**4, "x/y")] * 9) == [], raw
        assert run(r, None) == []
    partial = Restrictions({"total_size_bytes": None, "types": {"CV": {"is_supported": True}}})
    assert run(partial, [att("CV", 10**4)] * 3) == []


# --------------------------------------------------------------------------- each rule


def test_unsupported_type_is_an_error_at_its_type() -> None:
    assert run(R, [att("CV"), att("OTHER")]) == [
        (f"{AT}/1/type", "attachment.type_unsupported", "error")
    ]


@pytest.mark.parametrize("attachments", [None, [], [att("COVER_LETTER")]])
def test_too_few_is_an_error_at_the_array_also_when_absent(attachments: Any) -> None:
    assert run(R, attachments) == [(AT, "attachments.too_few", "error")]


def test_too_many_is_an_error_at_the_first_extra_one() -> None:
    assert run(R, [att("CV", 1), att("COVER_LETTER", 1), att("CV", 1), att("CV", 1)]) == [
        (f"{AT}/2", "attachments.too_many", "error")
    ]


def test_max_amount_zero() -> None:
    r = Restrictions({"types": {"OTHER": {"is_supported": True, "max_amount": 0}}})
    assert run(r, [att("OTHER")]) == [(f"{AT}/0", "attachments.too_many", "error")]


def test_file_too_large_at_its_data() -> None:
    assert run(R, [att("CV", 11)]) == [(f"{AT}/0/data", "attachment.too_large", "error")]


def test_data_url_cannot_be_sized_a_warning_at_the_attachment() -> None:
    item = {"name": "cv.pdf", "type": "CV", "data_url": "https://files.example.com/cv.pdf"}
    assert run(R, [item]) == [(f"{AT}/0", "attachment.size_unchecked", "warning")]
    item["content_type"] = "image/png"
    assert run(R, [item]) == [
        (f"{AT}/0", "attachment.size_unchecked", "warning"),
        (f"{AT}/0/content_type", "attachment.mime_type", "error"),
    ]


def test_content_type_outside_accepted_at_its_content_type() -> None:
    assert run(R, [att("CV", 5, "image/png")]) == [
        (f"{AT}/0/content_type", "attachment.mime_type", "error")
    ]


def test_wildcard_accepted_types() -> None:
    r = Restrictions(
        {"types": {"OTHER": {"is_supported": True, "accepted_mime_types": ["image/*"]}}}
    )
    assert run(r, [att("OTHER", 1, "image/jpeg")]) == []
    assert run(r, [att("OTHER", 1, "video/mp4")]) == [
        (f"{AT}/0/content_type", "attachment.mime_type", "error")
    ]


def test_total_size_at_the_array() -> None:
    assert run(R, [att("CV", 10), att("COVER_LETTER", 10)]) == []
    assert run(R, [att("CV", 10), att("COVER_LETTER", 11)]) == [
        (AT, "attachments.total_too_large", "error")
    ]


def test_everything_at_once_in_document_order() -> None:
    got = run(R, [att("OTHER", 1), att("COVER_LETTER", 25, "text/plain")])
    assert got == [
        (AT, "attachments.too_few", "error"),
        (AT, "attachments.total_too_large", "error"),
        (f"{AT}/0/type", "attachment.type_unsupported", "error"),
    ]


def test_messages() -> None:
    ctx = Ctx()
    R.check_uploads([att("CV", 11, "image/png")], ctx, ("attachments",))
    assert [i.message for i in ctx.issues] == [
        "This CV file is 11 bytes; the integration accepts at most 10 bytes.",
        "This integration does not accept 'image/png' for CV attachments; "
        "accepted: application/pdf, application/msword.",
    ]


# --------------------------------------------------------------------------- junk


@pytest.mark.parametrize("attachments", ["cv.pdf", 3, {"type": "CV"}])
def test_attachments_that_are_not_a_list_are_left_to_the_core(attachments: Any) -> None:
    assert run(R, attachments) == []


def test_junk_items_are_left_to_the_core() -> None:
    junk: list[Any] = [None, 1, "x", [], {"type": "RESUME"}, {"type": 3}, {"type": "CV", "data": 5}]
    assert run(R, junk) == []  # the junk CV counts: no too_few
    got = run(R, [{"type": "CV", "content_type": None, "data": None, "data_url": None}])
    assert got == []


# --------------------------------------------------------------------------- input shapes


def test_accepts_the_whole_response_or_its_data() -> None:
    whole = {"status": "success", "data": {"attachment_restrictions": EXAMPLE}}
    assert Restrictions(whole) == R == Restrictions(whole["data"])
    assert Restrictions({"status": "success", "data": {"attachment_restrictions": None}}) == (
        Restrictions(None)
    )


def test_accepts_the_types_without_their_wrapper() -> None:
    assert Restrictions({"total_size_bytes": 20, **EXAMPLE["types"]}) == R
    assert Restrictions(EXAMPLE["types"]).for_type("CV") == R.for_type("CV")


def test_coerce() -> None:
    assert Restrictions.coerce(R) is R
    assert Restrictions.coerce(EXAMPLE) == R


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("x", "attachment restrictions must be the attachment_restrictions object"),
        ([EXAMPLE], "attachment restrictions must be"),
        ({"max_file_size_bytes": 5}, "expected total_size_bytes and types"),
        ({"data": {"results": []}}, "got keys data"),
        ({"total_size_bytes": "20MB"}, "total_size_bytes: must be a number or null, got '20MB'"),
        ({"total_size_bytes": True}, "total_size_bytes: must be a number"),
        ({"total_size_bytes": float("inf")}, "total_size_bytes: inf is not a finite number"),
        ({"types": ["CV"]}, "types: must be an object"),
        ({"types": {"CV": True}}, "types.CV: must be an object"),
        ({"types": {"CV": {}}}, "types.CV.is_supported: must be true or false, got None"),
        ({"types": {"OTHER": {"is_supported": "yes"}}}, "types.OTHER.is_supported"),
        (
            {"types": {"CV": {"is_supported": True, "max_amount": "1"}}},
            "types.CV.max_amount: must be a number or null, got '1'",
        ),
        (
            {"types": {"CV": {"is_supported": True, "accepted_mime_types": "application/pdf"}}},
            "types.CV.accepted_mime_types: must be an array of strings or null",
        ),
        (
            {"types": {"COVER_LETTER": {"is_supported": True, "accepted_mime_types": [1]}}},
            "types.COVER_LETTER.accepted_mime_types",
        ),
    ],
)
def test_malformed_restrictions_raise_context_error(raw: Any, fragment: str) -> None:
    with pytest.raises(ContextError) as info:
        Restrictions(raw)
    assert fragment in str(info.value)


def test_unsupported_types_ignore_their_other_keys() -> None:
    r = Restrictions({"types": {"OTHER": {"is_supported": False, "max_amount": "junk"}}})
    assert r.for_type("OTHER") == TypeRestriction(is_supported=False)


def test_the_callers_data_is_not_kept() -> None:
    raw = copy.deepcopy(EXAMPLE)
    r = Restrictions(raw)
    raw["types"]["CV"]["accepted_mime_types"].append("image/png")
    raw["total_size_bytes"] = 1
    assert r == R and raw != EXAMPLE


# --------------------------------------------------------------------------- the object


def test_immutable_and_picklable() -> None:
    with pytest.raises(AttributeError):
        R._total = 5
    with pytest.raises(AttributeError):
        del R._types
    tr = R.for_type("CV")
    assert tr is not None
    with pytest.raises(AttributeError):
        tr.max_amount = 5  # type: ignore[misc]
    for clone in (pickle.loads(pickle.dumps(R)), copy.deepcopy(R)):
        assert clone == R and hash(clone) == hash(R) and repr(clone) == repr(R)
        items = [att("CV", 11, "image/png"), att("OTHER")]
        assert run(clone, items) == run(R, items)


def test_accessors_and_repr() -> None:
    assert R.total_size_bytes == 20
    assert R.for_type("COVER_LETTER") == TypeRestriction(True, 0, None, None, None)
    assert R.for_type("RESUME") is None
    assert repr(R) == (
        "<Restrictions total=20 bytes; "
        "CV: min 1 max 1 ≤10 bytes application/pdf|application/msword; "
        "COVER_LETTER: min 0; OTHER: unsupported>"
    )
    assert repr(Restrictions(None)) == (
        "<Restrictions total=unknown; CV: unknown; COVER_LETTER: unknown; OTHER: unknown>"
    )


# --------------------------------------------------------------------------- drift


def test_field_names_match_the_source() -> None:
    if not FULL_SPEC.is_file():
        pytest.skip(f"Kombo's full OpenAPI document is not at {FULL_SPEC}")
    doc = json.loads(FULL_SPEC.read_text(encoding="utf-8"))
    resp = doc["components"]["schemas"]["GetAtsActionsAtsCreateApplicationPositiveResponse"]
    src = resp["properties"]["data"]["properties"]["attachment_restrictions"]
    assert sorted(src["properties"]) == ["total_size_bytes", "types"]
    types = src["properties"]["types"]
    assert tuple(types["properties"]) == ATTACHMENT_TYPES
    for kind in ATTACHMENT_TYPES:
        supported, unsupported = types["properties"][kind]["anyOf"]
        assert supported["properties"]["is_supported"]["const"] is True
        assert unsupported["properties"]["is_supported"]["const"] is False
        limits = sorted(k for k in supported["properties"] if k != "is_supported")
        assert limits == sorted(
            f for f in TypeRestriction.__dataclass_fields__ if f != "is_supported"
        )
    # the spec's own example parses, and means what EXAMPLE means
    example = resp["properties"]["data"]["examples"][0]
    assert Restrictions(example).for_type("CV") == TypeRestriction(
        True, 1, 1, 10_000_000, ("application/pdf", "application/msword")
    )
