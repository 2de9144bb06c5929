"""An anyOf/oneOf gives a value that is not JSON data (a ``date``, bytes) to the
branches whose walker converts such values (a ``convert`` rule applies there), as
the same schema without the anyOf would: no date notion of its own in the plan."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
import yaml

from kombo_validate import Validator
from kombo_validate.spec import bundled_spec_path

from .helpers import minimal, pairs, with_attachment


def _doc() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(bundled_spec_path().read_text(encoding="utf-8"))
    body = doc["components"]["schemas"]["PostAtsJobsJobIdApplicationsRequestBody"]
    candidate = body["properties"]["candidate"]["properties"]
    date = copy.deepcopy(candidate["availability_date"])
    candidate["birth"] = {"anyOf": [date, {"type": "null"}]}
    candidate["when"] = {"oneOf": [{"type": "integer"}, date]}
    attachment = body["properties"]["attachments"]["items"]["properties"]
    attachment["data"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    return doc


DOC = _doc()
VALIDATORS = [Validator(DOC), Validator(DOC, fast_path=False)]


@pytest.mark.parametrize("validator", VALIDATORS, ids=["fast", "walk"])
@pytest.mark.parametrize(
    ("body", "expected", "changed"),
    [
        (minimal(birth=dt.date(2024, 1, 2)), [], [("/candidate/birth", "2024-01-02")]),
        (
            minimal(birth=dt.datetime(2024, 1, 2, 3, 4)),
            [("/candidate/birth", "date.naive_datetime")],
            [],
        ),
        (minimal(birth=b"x"), [("/candidate/birth", "json.not_json")], []),
        (minimal(birth={1}), [("/candidate/birth", "json.not_json")], []),
        (minimal(when=dt.date(2024, 1, 2)), [], [("/candidate/when", "2024-01-02")]),
        (minimal(when=b"x"), [("/candidate/when", "json.not_json")], []),
        # bytes for data are base64-encoded in an anyOf as without one
        (
            with_attachment(content_type="text/plain", data=b"Hi"),
            [],
            [("/attachments/0/data", "SGk=")],
        ),
        (
            with_attachment(content_type="text/plain", data=dt.date(2024, 1, 1)),
            [("/attachments/0", "attachment.no_data"), ("/attachments/0/data", "json.not_json")],
            [],
        ),
    ],
    ids=["date", "naive", "bytes", "set", "oneOf date", "oneOf bytes", "data bytes", "data date"],
)
def test_values_that_are_not_json_go_to_the_branches_that_convert_them(
    validator: Validator, body: Any, expected: list[tuple[str, str]], changed: list[Any]
) -> None:
    report = validator.check(body)
    assert pairs(report) == expected
    assert [(c.path, c.after) for c in report.changes] == changed
