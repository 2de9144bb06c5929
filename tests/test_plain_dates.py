"""Plain date fields: ``date-time`` schemas whose description says "This is a plain date
(i.e., `yyyy-MM-dd`), all time information is discarded" (HRIS absences, employees).

Decided (issue 14): a time of day there is normalised away with a Change, keeping the
calendar date **as written** (the offset is not applied); a ``datetime`` gives its own
date, naive or aware. The small test document's absence operation carries such a field.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kombo_validate import Validator
from kombo_validate.rules.dates import TIME_DROPPED, ZONE_DROPPED, is_plain_date

from .helpers import pairs

MULTI = Path(__file__).resolve().parent / "data" / "multi-operation.openapi.yaml"
FULL = Path(__file__).resolve().parents[2] / "shared" / "seed" / "kombo-openapi.json"


@pytest.fixture(scope="module", params=["rust", "python"])
def absences(request: pytest.FixtureRequest) -> Validator:
    return Validator(MULTI, operation="PostHrisAbsences", engine=request.param)


def body(start: object) -> dict[str, object]:
    return {"employee_id": "E1", "start_date": start}


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("2024-05-01T10:00:00Z", TIME_DROPPED),
        ("2024-05-01T23:30:00.5Z", TIME_DROPPED),
        ("2024-05-01T23:30:00", TIME_DROPPED),
        ("2024-05-01T23:30:00-05:00", TIME_DROPPED),  # the day as written, not 2024-05-02
        ("2024-05-01Z", ZONE_DROPPED),
    ],
)
def test_a_time_of_day_is_dropped_and_the_date_kept_as_written(
    absences: Validator, given: str, reason: str
) -> None:
    report = absences.check(body(given))
    assert report.ok and report.body is not None
    assert report.body["start_date"] == "2024-05-01"
    assert [(c.path, c.before, c.after, c.reason) for c in report.changes] == [
        ("/start_date", given, "2024-05-01", reason)
    ]


@pytest.mark.parametrize(
    "given",
    [
        dt.datetime(2024, 5, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        dt.datetime(2024, 5, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        dt.datetime(2024, 5, 1, 9, 0),  # naive: its date is not ambiguous
        dt.date(2024, 5, 1),
    ],
)
def test_date_and_datetime_objects_give_their_own_calendar_date(
    absences: Validator, given: object
) -> None:
    report = absences.check(body(given))
    assert report.ok and report.body is not None
    assert report.body["start_date"] == "2024-05-01"
    [change] = report.changes
    assert (change.path, change.after) == ("/start_date", "2024-05-01")


def test_a_plain_date_is_wire_form_and_bad_dates_stay_errors(absences: Validator) -> None:
    report = absences.check(body("2024-05-01"))
    assert report.ok and report.changes == () and report.body == body("2024-05-01")
    assert pairs(absences.check(body("2024-02-30T10:00:00Z"))) == [("/start_date", "date.invalid")]
    assert pairs(absences.check(body("2024-02-30"))) == [("/start_date", "date.invalid")]
    assert pairs(absences.check(body("01.05.2024"))) == [("/start_date", "date.format")]


def test_plain_date_is_read_from_the_description_or_format_date() -> None:
    said = "Start. This is a plain date (i.e., `yyyy-MM-dd`), all time information is discarded."
    assert is_plain_date({"type": "string", "format": "date-time", "description": said})
    assert is_plain_date({"type": "string", "format": "date"})
    assert not is_plain_date({"type": "string", "format": "date-time", "description": "When."})


@pytest.mark.skipif(not FULL.exists(), reason="the full Kombo spec is not here")
@pytest.mark.parametrize(
    ("operation", "field"),
    [
        ("PostHrisAbsences", "start_date"),
        ("PostHrisAbsences", "end_date"),
        ("PostHrisEmployees", "date_of_birth"),
        ("PatchHrisEmployeesEmployeeId", "termination_date"),
    ],
)
def test_kombos_plain_date_fields_drop_the_time(operation: str, field: str) -> None:
    v = Validator(FULL, operation=operation)
    example = dict(v.operation.request_example or {})
    example[field] = "2024-05-01T12:00:00Z"
    report = v.check(example)
    assert report.body is not None, report.issues
    assert report.body[field] == "2024-05-01"
    assert [(c.path, c.reason) for c in report.changes] == [(f"/{field}", TIME_DROPPED)]
