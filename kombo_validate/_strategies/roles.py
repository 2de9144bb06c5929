"""What the strategies know of each schema rule's role: how to draw a wire value for
it (with the raw forms users pass instead), and how to break it (each bad value and
the code the core reports).

:data:`.model.BY_RULE` gives each place a rule attaches to its role (the rules do not
import the strategies); :mod:`.bodies` draws by :data:`ROLES`, :mod:`.defects` breaks
by it. ``tests/test_strategy_roles.py`` proves every rule has its role and every role
its entry here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from ..patterns import to_python_regex
from ..rules.dates import date_problem
from . import leaves
from .sites import DEFAULT_MAX_BYTES, Path, at, str_enum

if TYPE_CHECKING:
    from .bodies import Gen
    from .defects import _Cases

__all__ = ["ROLES", "Role", "content_type_raw", "enum_raw", "naive"]

_URL = "https://files.example.com/cv.pdf"


@dataclass(frozen=True)
class Role:
    #: ``(gen, node, path, depth, in_any_of) -> (raw, wire)``: one value of this role
    draw: Callable[[Gen, Any, Path, int, bool], tuple[Any, Any]]
    #: offers this role's defects at ``path`` (``cases.replace(path, code, bad)``...)
    breaks: Callable[[_Cases, Path, Any], None]


# --------------------------------------------------------------------------- raw forms


def textify(gen: Gen, raw: Any) -> Any:
    """Sometimes a ``str`` subclass, as users pass them (raw mode)."""
    if gen.raw and type(raw) is str and gen.flip(6):
        return leaves.Text(raw)
    return raw


def enum_raw(gen: Gen, values: Sequence[str], wire: str) -> Any:
    folded = [v.casefold() for v in values]
    if folded.count(wire.casefold()) != 1:
        return wire  # two values differ only in case: the core keeps such values as given
    if gen.flip(4):
        return str_enum(tuple(values))(wire)
    variant = leaves.case_variant(gen.draw, wire)
    if variant.casefold() != wire.casefold():
        variant = wire
    pad = gen.draw(st.sampled_from(("", " ")))
    return pad + variant + pad


def content_type_raw(gen: Gen, wire: str) -> str:
    if not gen.flip(2):
        return wire
    params = gen.draw(st.sampled_from(("", "; charset=utf-8", ";name=cv", " ; q=1")))
    return leaves.case_variant(gen.draw, wire) + params


def naive() -> dt.datetime:
    return dt.datetime(2021, 1, 1, 9, 30)


# --------------------------------------------------------------------------- string roles

Drawn = tuple[Any, Any]


def _draw_enum(gen: Gen, node: Any, path: Path, depth: int, in_any_of: bool) -> Drawn:
    wire = gen.draw(st.sampled_from(node.enum))
    raw = enum_raw(gen, node.enum, wire) if gen.raw and not in_any_of else wire
    return textify(gen, raw), wire


def _break_enum(cases: _Cases, path: Path, node: Any) -> None:
    folded = {v.casefold() for v in node.enum}
    bogus = next(b for b in ("NOT_AN_OPTION", "__nope__") if b.casefold() not in folded)
    cases.replace(path, node.off_enum, bogus)


def _date_drawer(plain_date: bool) -> Callable[[Gen, Any, Path, int, bool], Drawn]:
    def draw(gen: Gen, node: Any, path: Path, depth: int, in_any_of: bool) -> Drawn:
        forms = leaves.date_forms(node.pattern, plain_date=plain_date)
        if gen.raw and forms and gen.flip(2):
            raw = leaves.dates_raw(
                forms,
                strings=not in_any_of,
                zone_day=leaves.zone_day(node.pattern),
                plain_date=plain_date,
            )
            pair: Drawn = gen.draw(raw)
            return pair
        wire = gen.draw(_dates(node.pattern, plain_date))
        return textify(gen, wire), wire

    return draw


@lru_cache(maxsize=32)
def _dates(pattern: str | None, plain_date: bool) -> st.SearchStrategy[str]:
    forms = leaves.date_forms(pattern, plain_date=plain_date)
    if forms:
        return leaves.dates_wire(forms)
    # a spec whose date pattern admits none of the usual forms: draw from the pattern
    source = pattern if pattern is not None else r"^\d{4}-\d{2}-\d{2}$"
    return st.from_regex(to_python_regex(source)).filter(
        lambda v: leaves.matches(pattern)(v) and date_problem(v) is None
    )


def _break_date(cases: _Cases, path: Path, node: Any) -> None:
    ok = leaves.matches(node.pattern)
    for bad in ("2021-02-30", "2021-13-01", "2021-01-01T24:00:00Z", "0000-01-01"):
        if ok(bad):
            cases.replace(path, "date.invalid", bad)
    if node.pattern is not None:
        cases.replace(path, "date.format", "01.02.2021")
    cases.replace(path, "date.naive_datetime", naive)


def _break_plain_date(cases: _Cases, path: Path, node: Any) -> None:
    """As :func:`_break_date`, but a naive datetime gives its date: no defect there."""
    ok = leaves.matches(node.pattern)
    for bad in ("2021-02-30", "2021-13-01", "2021-01-01T24:00:00Z", "0000-01-01"):
        if ok(bad):
            cases.replace(path, "date.invalid", bad)
    if node.pattern is not None:
        cases.replace(path, "date.format", "01.02.2021")


def _draw_country(gen: Gen, node: Any, path: Path, depth: int, in_any_of: bool) -> Drawn:
    wire = gen.draw(leaves.countries(node.pattern))
    raw_ok = gen.raw and not in_any_of
    raw = gen.draw(leaves.country_raw(wire)) if raw_ok and gen.flip(2) else wire
    return textify(gen, raw), wire


def _break_country(cases: _Cases, path: Path, node: Any) -> None:
    cases.replace(path, "country.unknown", "XX")
    cases.replace(path, "country.unknown", "Atlantis")


def _draw_email(gen: Gen, node: Any, path: Path, depth: int, in_any_of: bool) -> Drawn:
    wire = gen.draw(leaves.emails().filter(leaves.matches(node.pattern)))
    raw = wire
    if gen.raw and not in_any_of and gen.flip(2):
        local, _, domain = wire.rpartition("@")
        pad = gen.draw(st.sampled_from(("", " ", "\t", "\n")))
        raw = f"{pad}{local}@{leaves.case_variant(gen.draw, domain)}{pad}"
    return textify(gen, raw), wire


def _break_email(cases: _Cases, path: Path, node: Any) -> None:
    for bad in ("ada.example.com", "ada@example", "ada lovelace@example.com", "a@@b.de"):
        cases.replace(path, "email.invalid", bad)


def _draw_uri(gen: Gen, node: Any, path: Path, depth: int, in_any_of: bool) -> Drawn:
    wire = gen.draw(leaves.uris().filter(leaves.matches(node.pattern)))
    return textify(gen, wire), wire


def _break_uri(cases: _Cases, path: Path, node: Any) -> None:
    for bad in ("not a url", "//example.com/no-scheme", "http://"):
        cases.replace(path, "uri.invalid", bad)


def _draw_http_url(gen: Gen, node: Any, path: Path, depth: int, in_any_of: bool) -> Drawn:
    wire = gen.draw(leaves.http_urls().filter(leaves.matches(node.pattern)))
    return textify(gen, wire), wire


def _break_http_url(cases: _Cases, path: Path, node: Any) -> None:
    for bad in ("ftp://example.com/cv.pdf", "example.com/cv.pdf", "https://"):
        cases.replace(path, "attachment.data_url_invalid", bad)


def _draw_content_type(gen: Gen, node: Any, path: Path, depth: int, in_any_of: bool) -> Drawn:
    strategy = leaves.content_types(node.pattern)
    assert strategy is not None
    wire = gen.draw(strategy)
    raw = content_type_raw(gen, wire) if gen.raw and not in_any_of else wire
    return textify(gen, raw), wire


def _break_content_type(cases: _Cases, path: Path, node: Any) -> None:
    ok = leaves.matches(node.pattern)
    # where accepted types apply, their check reports a malformed type first
    for bad in () if cases.sized(path) else ("pdf", "text plain"):
        if not ok(bad):
            cases.replace(path, "schema.pattern", bad)


def _draw_data(gen: Gen, node: Any, path: Path, depth: int, in_any_of: bool) -> Drawn:
    wire = gen.draw(leaves.b64(DEFAULT_MAX_BYTES))[1]
    return textify(gen, wire), wire


def _break_data(cases: _Cases, path: Path, node: Any) -> None:
    bads = ("=",) if cases.sized(path) else ("=", "abc!", "data:text/plain,hello")
    for bad in bads:
        cases.replace(path, "attachment.base64_invalid", bad)


# --------------------------------------------------------------------------- object roles


def _draw_attachment(gen: Gen, node: Any, path: Path, depth: int, in_any_of: bool) -> Drawn:
    raw, wire, _ = gen.attachment(node, path, depth)
    return raw, wire


def _break_attachment(cases: _Cases, path: Path, node: Any) -> None:
    value = at(cases.body, path)

    def both(body: Any, draw: st.DrawFn) -> Any:
        obj = at(body, path)
        if "data" in obj:
            obj["data_url"] = _URL
        else:
            obj["data"] = ""
        return body

    def neither(body: Any, draw: st.DrawFn) -> Any:
        obj = at(body, path)
        obj.pop("data", None)
        obj.pop("data_url", None)
        return body

    def no_type(body: Any, draw: st.DrawFn) -> Any:
        obj = at(body, path)
        del obj["content_type"]
        obj["name"] = "resume"  # no extension: nothing to infer the type from
        return body

    cases.add(path, "attachment.data_and_data_url", both)
    cases.add(path, "attachment.no_data", neither)
    if "data" in value and "content_type" in value and "name" in value:
        cases.add((*path, "content_type"), "attachment.content_type_missing", no_type)


def _draw_paired(gen: Gen, node: Any, path: Path, depth: int, in_any_of: bool) -> Drawn:
    """An object whose paired fields (``rules.requires``) come both or neither."""
    raw, wire = gen.fields(node, path, depth)
    for field, needed in node.pairs:
        if wire.get(field) is None or wire.get(needed) is not None:
            continue
        prop = node.prop(needed)
        if prop is not None and gen.flip(2):
            raw[needed], wire[needed] = gen.value(prop.node, (*path, needed), depth + 1)
            if wire[needed] is not None:
                continue
        for obj in (raw, wire):  # else the field goes: neither is given
            obj.pop(field, None)
    return raw, wire


def _break_paired(cases: _Cases, path: Path, node: Any) -> None:
    """Each pair given both: its needed field removed (``field.requires`` there)."""
    value = at(cases.body, path)
    for field, needed in node.pairs:
        if value.get(field) is None or value.get(needed) is None:
            continue

        def without(body: Any, draw: st.DrawFn, needed: str = needed) -> Any:
            del at(body, path)[needed]
            return body

        cases.add((*path, needed), "field.requires", without)


#: role name -> how to draw and break it ("plain", no rule's role, is the bodies' own)
ROLES: dict[str, Role] = {
    "enum": Role(_draw_enum, _break_enum),
    "date": Role(_date_drawer(plain_date=False), _break_date),
    "plain_date": Role(_date_drawer(plain_date=True), _break_plain_date),
    "country": Role(_draw_country, _break_country),
    "email": Role(_draw_email, _break_email),
    "uri": Role(_draw_uri, _break_uri),
    "http_url": Role(_draw_http_url, _break_http_url),
    "content_type": Role(_draw_content_type, _break_content_type),
    "data": Role(_draw_data, _break_data),
    "attachment": Role(_draw_attachment, _break_attachment),
    "paired": Role(_draw_paired, _break_paired),
}
