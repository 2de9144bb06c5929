"""``Validator._check_decoded``: :meth:`check` of a body ``json.loads`` just made and the
caller gives up (lint's files, the check API's requests, batch records). A wire-ready
body is proven without the copy and is the report's body itself; anything else is
``check()``'s answer, issue for issue, and the body is never changed."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kombo_validate import Validator, _artifacts
from kombo_validate.batch import check_record
from kombo_validate.fastpath import MAX_FAST_BYTES
from kombo_validate.strategies import invalid_bodies, wire_bodies

from .helpers import outcome


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KOMBO_VALIDATE_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def proofs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Validator, Any]]:
    """A built Validator and the cached proof (``ColdProof``) it wrote."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KOMBO_VALIDATE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        built = Validator()
        names = _artifacts.names(None, None)
        assert names is not None
        proof = _artifacts.load(names[1])
        assert proof is not None
        yield built, proof


def _decoded(body: Any) -> Any:
    return json.loads(json.dumps(body))


def _validator(cold: bool) -> Validator:
    built = Validator()
    if not cold:
        return built
    v = Validator()  # the second one starts from the cache the first wrote
    assert v._cold is not None
    return v


@pytest.mark.parametrize("cold", [False, True], ids=["built", "cold"])
def test_a_wire_ready_body_is_its_own_report_body(
    cache: Path, example: dict[str, Any], cold: bool
) -> None:
    v = _validator(cold)
    body = _decoded(example)
    report = v._check_decoded(body)
    assert report.body is body  # no copy
    assert report.ok and report.issues == () and report.changes == ()
    assert (v._cold is not None) is cold  # proven without building anything
    again = v.check(body)
    assert again.body == body and again.body is not body  # check() copies


@pytest.mark.parametrize("cold", [False, True], ids=["built", "cold"])
@pytest.mark.parametrize(
    ("where", "value", "path", "code"),
    [
        ("email_address", "not an email", "/candidate/email_address", "email.invalid"),
        ("availability_date", "2021-02-30", "/candidate/availability_date", "date.invalid"),
        ("first_name", "\ud800", "/candidate/first_name", "string.invalid_unicode"),
        ("first_name", ["Ada"], "/candidate/first_name", "schema.type"),
    ],
)
def test_a_body_with_an_issue_gets_what_check_gives(
    cache: Path, example: dict[str, Any], cold: bool, where: str, value: Any, path: str, code: str
) -> None:
    body = _decoded(example)
    body["candidate"][where] = value
    before = copy.deepcopy(body)
    expected = outcome(Validator(fast_path=False).check(before))
    assert (path, code) in [(p, c) for p, c, *_ in expected[1]]
    report = _validator(cold)._check_decoded(body)
    assert outcome(report) == expected
    assert body == before  # never changed


@pytest.mark.parametrize("cold", [False, True], ids=["built", "cold"])
def test_a_change_is_made_on_a_copy(cache: Path, example: dict[str, Any], cold: bool) -> None:
    body = _decoded(example)
    body["candidate"]["location"] = {"country": "germany"}
    before = copy.deepcopy(body)
    report = _validator(cold)._check_decoded(body)
    assert [(c.path, c.after) for c in report.changes] == [("/candidate/location/country", "DE")]
    assert report.body is not None and report.body is not body
    assert body == before


@pytest.mark.parametrize("cold", [False, True], ids=["built", "cold"])
def test_an_ed_byte_that_is_no_surrogate_is_proven(
    cache: Path, example: dict[str, Any], cold: bool
) -> None:
    body = _decoded(example)
    body["candidate"]["first_name"] = "\ud7a3"  # UTF-8 ED 9E A3
    report = _validator(cold)._check_decoded(body)
    assert report.body is body and report.issues == () and report.changes == ()


@pytest.mark.parametrize("cold", [False, True], ids=["built", "cold"])
def test_a_body_past_the_fast_size_is_walked(
    cache: Path, example: dict[str, Any], cold: bool
) -> None:
    body = _decoded(example)
    data = "QUJD" * (MAX_FAST_BYTES // 4 + 1)
    body["attachments"] = [{"name": "a.txt", "content_type": "text/plain", "data": data}]
    expected = outcome(Validator(fast_path=False).check(copy.deepcopy(body)))
    report = _validator(cold)._check_decoded(body)
    assert outcome(report) == expected
    assert report.body is not body  # the walk's wire copy: the proof did not take it


def test_a_batch_record_as_text_gets_what_check_gives(example: dict[str, Any]) -> None:
    v = Validator()
    result = check_record(json.dumps(example), v, wire=True)
    assert result == {"ok": True, "issues": [], "changes": [], "body": example}
    bad = dict(example, stage_id=7)
    result = check_record(json.dumps(bad), v)
    assert [(i["path"], i["code"]) for i in result["issues"]] == [("/stage_id", "schema.type")]


@given(st.one_of(wire_bodies(), invalid_bodies().map(lambda drawn: drawn[0])))
def test_the_copy_free_proof_is_the_proof(proofs: tuple[Validator, Any], body: Any) -> None:
    built, proof = proofs
    try:
        decoded = _decoded(body)
    except (TypeError, ValueError):  # bytes, dates, NaN: not what json.loads makes
        return
    fast = built._fast
    assert fast is not None
    proven = fast.prove(decoded)[1] is True
    assert fast.proves_decoded(decoded) is proven
    assert proof.proves_decoded(decoded) is (proof.prove(decoded) is not None)
    report = built._check_decoded(decoded)
    assert outcome(report) == outcome(built.check(decoded))
    assert (report.body is decoded) is proven
