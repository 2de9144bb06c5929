"""Emails and countries that only look right (issue 15, item 8): hidden characters,
wrappers, look-alike letters are errors; numeric codes and flags are documented features."""

from __future__ import annotations

from typing import Any

import pytest

import kombo_validate

CANDIDATE = {"first_name": "Ada", "last_name": "Lovelace", "email_address": "ada@example.com"}


def body(**candidate: Any) -> dict[str, Any]:
    return {"candidate": {**CANDIDATE, **candidate}}


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("ada\u200b@example.com", "it has U+200B before the '@'"),
        ("\u202eada@example.com", "it has U+202E before the '@'"),
        ("ada@example.com\x00", "it has U+0000 in its domain"),
        ("mailto:ada@example.com", "it has ':' before the '@'"),
        ("<ada@example.com>", "it has '<' before the '@'"),
        (
            "ada@ex\u0430mple.com",
            "it has U+0430 (cyrillic small letter a) in its domain: write an "
            "internationalised domain in its ASCII form (xn--...)",
        ),
        (
            "ada@\uff45xample.com",
            "it has U+FF45 (fullwidth latin small letter e) in its domain: write an "
            "internationalised domain in its ASCII form (xn--...)",
        ),
    ],
)
def test_addresses_that_only_look_right_are_errors(email: str, reason: str) -> None:
    report = kombo_validate.check(body(email_address=email))
    assert [(i.path, i.code) for i in report.issues] == [
        ("/candidate/email_address", "email.invalid")
    ]
    assert report.issues[0].message.endswith(f"is not a valid email address: {reason}")


@pytest.mark.parametrize(
    ("email", "wire"),
    [
        ("jöhn.o'neil+tag@example.com", "jöhn.o'neil+tag@example.com"),  # RFC 6531 local part
        ("  ada@Example.COM ", "ada@example.com"),
        ("ada@xn--exmple-cua.com", "ada@xn--exmple-cua.com"),
    ],
)
def test_real_addresses_pass(email: str, wire: str) -> None:
    report = kombo_validate.check(body(email_address=email))
    assert [(i.path, i.code) for i in report.errors] == []
    assert report.body is not None and report.body["candidate"]["email_address"] == wire


@pytest.mark.parametrize("country", ["ıt", "ſe", "\u212aE", "ＤＥ"])
def test_look_alike_letters_are_no_country(country: str) -> None:
    report = kombo_validate.check(body(location={"country": country}))
    assert [(i.path, i.code) for i in report.issues] == [
        ("/candidate/location/country", "country.unknown")
    ]


@pytest.mark.parametrize(
    ("country", "code"),
    [("🇩🇪", "DE"), ("276", "DE"), ("Türkiye", "TR"), ("Åland Islands", "AX"), ("deu", "DE")],
)
def test_numeric_codes_flags_and_names_are_normalised(country: str, code: str) -> None:
    report = kombo_validate.check(body(location={"country": country}))
    assert [(i.path, i.code) for i in report.issues] == []
    assert [(c.path, c.before, c.after) for c in report.changes] == [
        ("/candidate/location/country", country, code)
    ]
