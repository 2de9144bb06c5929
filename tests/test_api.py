"""The public API: Report, prepare, PayloadError, ordering, messages, and the Validator's guarantees."""

from __future__ import annotations

import copy
import pickle
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import pytest

import kombo_validate
from kombo_validate import Issue, PayloadError, Report, Validator

from .helpers import minimal, pairs, with_attachment


def test_public_surface() -> None:
    assert set(kombo_validate.__all__) >= {
        "check",
        "prepare",
        "Validator",
        "Report",
        "Issue",
        "Change",
        "PayloadError",
        "SpecError",
        "ContextError",
    }
    for name in kombo_validate.__all__:
        assert getattr(kombo_validate, name) is not None
    for exc in (kombo_validate.PayloadError, kombo_validate.SpecError, kombo_validate.ContextError):
        assert issubclass(exc, ValueError)


def test_prepare_returns_the_wire_body(example: dict[str, Any]) -> None:
    assert kombo_validate.prepare(example) == example


def test_prepare_raises_with_the_errors_of_check() -> None:
    body = minimal(email_address="nope", location={"country": "XX"})
    body["attachmnets"] = []
    with pytest.raises(PayloadError) as info:
        kombo_validate.prepare(body)
    assert info.value.issues == kombo_validate.check(body).errors
    assert [(i.path, i.code) for i in info.value.issues] == [
        ("/candidate/email_address", "email.invalid"),
        ("/candidate/location/country", "country.unknown"),
    ]
    assert isinstance(info.value, ValueError)


def test_report_parts() -> None:
    body = {**minimal(gender="x"), "attachmnets": []}
    report = kombo_validate.check(body)
    assert not report.ok and not report
    assert report.body is None
    assert [i.code for i in report.errors] == ["schema.enum"]
    assert [i.code for i in report.warnings] == ["key.unknown"]
    data = report.to_dict()
    assert data["ok"] is False and data["issues"][0] == {
        "path": "/candidate/gender",
        "code": "schema.enum",
        "severity": "error",
        "message": report.errors[0].message,
    }


def test_warnings_keep_the_body() -> None:
    report = kombo_validate.check({**minimal(), "extra": 1})
    assert report.ok and report.body == {**minimal(), "extra": 1}


def test_issues_in_document_order() -> None:
    body = {
        "screening_question_answers": [{"question_id": "q", "answer": None}],
        "candidate": {"email_address": "bad", "first_name": "A", "last_name": "B", "gender": "?"},
        "attachments": [{"name": "a", "type": "CV"}],
    }
    assert pairs(kombo_validate.check(body)) == [
        ("/screening_question_answers/0/answer", "schema.any_of"),
        ("/candidate/email_address", "email.invalid"),
        ("/candidate/gender", "schema.enum"),
        ("/attachments/0", "attachment.no_data"),
    ]


def test_pointers_escape_slash_and_tilde() -> None:
    body = {**minimal(), "remote_fields": {"lever": {"candidate": {"a/b~c": {1, 2}}}}}
    assert pairs(kombo_validate.check(body)) == [
        ("/remote_fields/lever/candidate/a~1b~0c", "json.not_json")
    ]


def test_messages_never_echo_long_values() -> None:
    secret = "x" * 500 + "@example"
    report = kombo_validate.check(minimal(email_address=secret, first_name=["private"] * 3))
    for issue in report.issues:
        assert len(issue.message) < 200
        assert "x" * 100 not in issue.message


def test_input_is_never_mutated(example: dict[str, Any]) -> None:
    example["candidate"]["gender"] = "male"
    example["candidate"]["location"]["country"] = "germany"
    example["attachments"][0]["content_type"] = "Text/Plain"
    example["attachments"].append({"name": "x.pdf", "type": "OTHER", "data": b"%PDF"})
    before = copy.deepcopy(example)
    report = kombo_validate.check(example)
    assert report.ok
    assert example == before
    assert report.body is not None
    report.body["candidate"]["first_name"] = "Changed"
    report.body["attachments"].clear()
    assert example == before


def test_issue_and_change_are_immutable_and_readable() -> None:
    issue = Issue("/a", "x.y", "msg")
    with pytest.raises(AttributeError):
        issue.code = "z"  # type: ignore[misc]
    assert repr(issue) == "Issue(path='/a', code='x.y', severity='error', message='msg')"
    change = kombo_validate.check(minimal(gender="male")).changes[0]
    assert "FEMALE" not in repr(change) and "'MALE'" in repr(change)
    with pytest.raises(ValueError):
        Issue("/a", "x", "m", "fatal")  # type: ignore[arg-type]


def test_report_pickles() -> None:
    report = kombo_validate.check(minimal(gender="male", first_name=1))
    again = pickle.loads(pickle.dumps(report))
    assert again.issues == report.issues and again.changes == report.changes


def test_validator_is_immutable() -> None:
    v = Validator()
    with pytest.raises(AttributeError):
        v.engine_name = "python"  # type: ignore[misc]
    assert "POST /ats/jobs/{job_id}/applications" in repr(v)


def _check_in_worker(args: tuple[Validator, dict[str, Any]]) -> list[tuple[str, str]]:
    validator, body = args
    return pairs(validator.check(body))


def test_validator_pickles_and_works_in_a_process_pool() -> None:
    v = Validator(engine="python")
    clone = pickle.loads(pickle.dumps(v))
    assert clone.engine_name == "python"
    bodies = [minimal(gender="x"), minimal()]
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_check_in_worker, [(v, b) for b in bodies]))
    assert results == [[("/candidate/gender", "schema.enum")], []]


def test_validator_from_mapping_pickles() -> None:
    import yaml

    from kombo_validate.spec import bundled_spec_path

    doc = yaml.safe_load(bundled_spec_path().read_text())
    v = pickle.loads(pickle.dumps(Validator(doc)))
    assert v.check(minimal()).ok


def _race(outcome: Any, bodies: list[Any], rounds: int) -> list[list[Any]]:
    """Eight threads, released together, each ``outcome(body)`` of ``rounds`` bodies:
    thread i takes bodies i, i+1, ... (cycling)."""
    barrier = threading.Barrier(8)

    def run(i: int) -> list[Any]:
        barrier.wait()
        return [outcome(bodies[(i + j) % len(bodies)]) for j in range(rounds)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(run, range(8)))


def test_thread_safety() -> None:
    v = Validator()
    bodies = [minimal(gender="female"), minimal(gender="bad"), with_attachment(), minimal()]
    expected = [pairs(v.check(b)) for b in bodies]
    results = _race(lambda b: pairs(v.check(b)), bodies, 200)
    for i, result in enumerate(results):
        assert result == [expected[(i + j) % 4] for j in range(200)]


def test_first_use_from_many_threads_at_once() -> None:
    # a fresh Validator builds its repairs and strict validators on first use: eight
    # threads racing to build them must get what a Validator built alone reports
    def defects() -> dict[str, Any]:
        body = minimal(availability_date="2021-02-30")
        body["candidate"]["location"] = {"country": "Germany"}
        body["attachments"] = [{"name": "a.pdf", "type": "CV", "data": "%%%", "data_url": "x"}]
        return body

    bodies = [minimal(gender="female"), defects(), with_attachment(data="not base64!"), minimal()]

    def seen(report: Report) -> tuple[Any, ...]:
        issues = [(i.path, i.code, i.message) for i in report.issues]
        return issues, [(c.path, c.after) for c in report.changes], report.body

    alone = Validator()
    expected = [seen(alone.check(b)) for b in bodies]
    assert ("/candidate/availability_date", "date.invalid") in pairs(alone.check(defects()))
    fresh = Validator()
    results = _race(lambda b: seen(fresh.check(b)), bodies, 8)
    for i, result in enumerate(results):
        assert result == [expected[(i + j) % 4] for j in range(8)]


def test_report_constructor_hides_body_when_errors() -> None:
    report = Report([Issue("", "x", "m")], [], {"a": 1})
    assert report.body is None and not report.ok
