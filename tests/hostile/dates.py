"""Dates: offsets of ±24:00 and :60, years 0001 and 9999 with offsets that leave the
calendar in UTC, leap seconds, ``2021-02-30``, ``0441-07-14Z``, non-ASCII digits, and
``date``/``datetime`` objects at the edges — in the body's date fields and DATE answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .base import QID, Case, answered, api_case, minimal, pick_quick, question, rng

YEARS = ("2021", "2020", "0001", "9999", "0000", "0441", "1582", "10000", "-001", "２０２１")
MONTH_DAYS = ("01-01", "02-29", "02-30", "12-31", "13-01", "00-10", "04-31", "1-1", "07-14")
TIMES = (
    "",
    "T00:00:00",
    "T23:59:60",
    "T23:59:61",
    "T24:00:00",
    "T10:00:00.123",
    "T10:00:00.1234567890123",
    "T10:00",
    "t10:00:00",
    " 10:00:00",
    "T10:00:00.",
)
OFFSETS = (
    "",
    "Z",
    "z",
    "+24:00",
    "-24:00",
    "+23:59",
    "-23:59",
    "+00:60",
    "+02:60",
    "+99:99",
    "+0200",
    "+02",
    "-00:00",
    "+14:00",
    "Z\n",
    "+01:00:30",
)
FIXED = (
    "0441-07-14Z",
    "2021-02-30",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:00:00-02:00",
    "9999-12-31T23:59:59.999999-00:01",
    "2016-12-31T23:59:60Z",
    "2021-W01-1",
    "2021-001",
    "20210101",
    "2021-01-01T10:00:00+02:00[Europe/Berlin]",
    "2021-01-01\x00",
    "2021-01-01 ",
    "",
    "T",
    "Z",
    "2021-01-01T" + "1" * 10_000,
    "2021-01-01T10:00:00." + "9" * 10_000 + "Z",
    "٢٠٢١-٠١-٠١",
)


def _utc_plus(hours: int, minutes: int = 0, seconds: int = 0, micro: int = 0) -> dt.timezone:
    return dt.timezone(
        dt.timedelta(hours=hours, minutes=minutes, seconds=seconds, microseconds=micro)
    )


OBJECTS: dict[str, Any] = {
    "date_min": lambda: dt.date.min,
    "date_max": lambda: dt.date.max,
    "datetime_min_plus1": lambda: dt.datetime(1, 1, 1, tzinfo=_utc_plus(1)),
    "datetime_max_minus2": lambda: dt.datetime(9999, 12, 31, 23, tzinfo=_utc_plus(-2)),
    "datetime_max_utc": lambda: dt.datetime.max.replace(tzinfo=dt.timezone.utc),
    "datetime_min_utc": lambda: dt.datetime.min.replace(tzinfo=dt.timezone.utc),
    "naive": lambda: dt.datetime(2021, 1, 1, 10),
    "fold": lambda: dt.datetime(2021, 1, 1, 10, fold=1, tzinfo=dt.timezone.utc),
    "offset_seconds": lambda: dt.datetime(2021, 1, 1, 10, tzinfo=_utc_plus(0, 0, 1)),
    "offset_micro": lambda: dt.datetime(2021, 1, 1, 10, tzinfo=_utc_plus(0, 0, 0, 1)),
    "offset_23_59": lambda: dt.datetime(2021, 1, 1, tzinfo=_utc_plus(23, 59)),
    "offset_minus_23_59": lambda: dt.datetime(2021, 1, 1, tzinfo=_utc_plus(-23, -59)),
    "microsecond": lambda: dt.datetime(2021, 1, 1, 10, 0, 0, 999999, tzinfo=dt.timezone.utc),
    "time": lambda: dt.time(10, 0),
    "timedelta": lambda: dt.timedelta(days=1),
    "year_1_date": lambda: dt.date(1, 1, 1),
}


def _places() -> dict[str, Any]:
    date_q = [question(QID, {"type": "DATE"})]
    return {
        "availability_date": lambda v: {"body": minimal(availability_date=v)},
        "gdpr_expires_at": lambda v: {
            "body": {**minimal(), "gdpr_consent": {"expires_at": v, "given": True}}
        },
        "date_answer": lambda v: {"body": answered(v), "questions": date_q},
        "unchecked_answer": lambda v: {"body": answered(v)},
        "workday_start_date": lambda v: {
            "body": {
                **minimal(),
                "remote_fields": {
                    "workday": {
                        "Candidate_Data": {
                            "Job_Application_Data": {
                                "Resume_Data": {"Experience_Data": [{"Start_Date": v}]}
                            }
                        }
                    }
                },
            }
        },
    }


def cases() -> list[Case]:
    r = rng("dates")
    texts = set(FIXED)
    while len(texts) < 420:
        texts.add(
            r.choice(YEARS) + "-" + r.choice(MONTH_DAYS) + r.choice(TIMES) + r.choice(OFFSETS)
        )
    out: list[Case] = []
    places = _places()
    for i, text in enumerate(sorted(texts)):
        for pname in r.sample(sorted(places), 3):

            def build(text: str = text, put: Any = places[pname]) -> dict[str, Any]:
                return put(text)

            kind = r.choice(["check", "check", "prepare", "python", "request"])
            core = text in FIXED[:6] and pname in ("availability_date", "date_answer")
            out += api_case(f"{pname}/{i}:{ascii(text)[:60]}", build, kinds=(kind,), quick=core)
    for oname, mk in OBJECTS.items():
        for pname, put in places.items():

            def build_obj(mk: Any = mk, put: Any = put) -> dict[str, Any]:
                return put(mk())

            out += api_case(
                f"{pname}/{oname}",
                build_obj,
                kinds=("check", "prepare", "python"),
                quick=oname.startswith("datetime_m") and pname == "date_answer",
            )
    return pick_quick(out, 30)
