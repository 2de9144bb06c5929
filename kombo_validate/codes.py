"""Every issue code, its severity and what it means: README's "Issue codes" table as data.

Reporters that describe their rules (``--format sarif``) read it, and
``tests/test_codes.py`` keeps it and README's table identical, and checks that
every code the package can emit is in it. Descriptions are Markdown (as in
README); :func:`plain` strips the code spans for plain-text consumers.

``schema.<keyword>`` stands for the family of codes made from a JSON Schema
keyword (``schema.minimum``, ``schema.const`` …): :func:`describe` answers for
any of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from .issues import Severity

__all__ = ["CODES", "SCHEMA_FAMILY", "CodeInfo", "describe", "plain"]


class CodeInfo(NamedTuple):
    severity: Severity
    description: str


#: the row standing for every ``schema.*`` code without a row of its own
SCHEMA_FAMILY = "schema.<keyword>"

_E: Severity = "error"
_W: Severity = "warning"

# In README's order; the section each group comes under is named in the comment.
_TABLE: tuple[tuple[str, Severity, str], ...] = (
    # -- always
    ("schema.type", _E, "wrong JSON type (`expected a string, got an integer`)"),
    (
        "schema.required",
        _E,
        "a required property is missing (reported at the property's own path)",
    ),
    ("schema.enum", _E, "not one of the allowed values (the message lists them)"),
    ("schema.pattern", _E, "does not match the spec's pattern"),
    (
        "schema.any_of",
        _E,
        "fits none of the accepted shapes (e.g. an answer that is `null`); when one shape "
        "fits the value's type, its own errors are reported instead",
    ),
    (SCHEMA_FAMILY, _E, "any other JSON Schema keyword (`schema.minimum`, `schema.const`, …)"),
    ("json.not_json", _E, "a value that is not JSON data (set, bytes, object, `Decimal`, …)"),
    ("json.cycle", _E, "a container that contains itself"),
    ("json.too_deep", _E, "nesting deeper than 64 levels"),
    (
        "json.too_large",
        _E,
        "more than 100,000 objects and arrays in free-form data (e.g. shared sub-objects "
        "that would unfold into an exponential tree)",
    ),
    ("json.key_not_string", _E, "an object key that is not a string"),
    (
        "string.invalid_unicode",
        _E,
        "a string or key holding a lone surrogate (`\\ud800`): it cannot be sent as UTF-8",
    ),
    ("number.not_finite", _E, "`NaN` or an infinity"),
    (
        "number.out_of_range",
        _E,
        "an integer beyond what a double holds (Kombo parses JSON numbers as doubles)",
    ),
    ("schema.engine_error", _E, "the schema engine failed on this body (reported, never raised)"),
    (
        "date.format",
        _E,
        "not the spec's date form (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[.fff]Z`)",
    ),
    ("date.invalid", _E, "the right form but no real date or time (`2021-02-30`, hour 25)"),
    ("date.naive_datetime", _E, "a `datetime` without a timezone"),
    ("country.unknown", _E, "not an ISO 3166-1 country"),
    (
        "email.invalid",
        _E,
        "not an address Kombo accepts (spaces, not exactly one `@`, no dotted domain)",
    ),
    ("uri.invalid", _E, "not an absolute URI"),
    ("attachment.data_and_data_url", _E, "both `data` and `data_url`"),
    ("attachment.no_data", _E, "neither `data` nor `data_url`"),
    (
        "attachment.content_type_missing",
        _E,
        "`data` without `content_type`, and none can be inferred",
    ),
    (
        "attachment.base64_invalid",
        _E,
        "`data` is not strict base64 (or a `data:` URI without `;base64`)",
    ),
    ("attachment.data_url_invalid", _E, "`data_url` is not an absolute http(s) URL"),
    (
        "attachment.generic_content_type",
        _W,
        "`application/octet-stream`: the docs ask for the real type",
    ),
    (
        "attachments.too_large",
        _W,
        "the decoded attachments exceed 10 MB (10,000,000 bytes) together",
    ),
    (
        "field.requires",
        _E,
        "a field given without the sibling its description says it needs (`amount` without "
        "`unit`): at the missing one",
    ),
    (
        "key.unknown",
        _W,
        "a key the spec does not define where it lists fixed properties (kept; with a suggestion)",
    ),
    # -- with questions=
    (
        "answer.required",
        _E,
        "a required, shown question has no answer (at `/screening_question_answers`, also "
        "when absent)",
    ),
    ("answer.type", _E, "the wrong kind of value for the question's format"),
    (
        "answer.too_long",
        _E,
        "TEXT longer than `max_length` (counted in UTF-16 units, as JavaScript does)",
    ),
    ("answer.email", _E, "TEXT with `display_type` EMAIL is not an email address"),
    ("answer.url", _E, "TEXT with `display_type` URL is not an absolute http(s) URL"),
    ("answer.unknown_option", _E, "neither an option id nor an option name"),
    ("answer.ambiguous_option", _E, "the name matches several options"),
    (
        "answer.duplicate_option",
        _E,
        "the same option twice in a MULTI_SELECT (at its own index)",
    ),
    ("answer.out_of_range", _E, "NUMBER below `min` or above `max`"),
    ("answer.date", _E, "not the spec's date form, or no real date"),
    ("answer.mime_type", _E, "FILE `content_type` not accepted"),
    ("answer.file_too_large", _E, "FILE larger than `max_file_size_bytes` (decoded)"),
    ("answer.duplicate", _E, "a second answer to the same question (at its `/question_id`)"),
    ("answer.not_expected", _W, "an answer to an INFORMATION block"),
    ("answer.unchecked", _W, "UNKNOWN or no format: the answer cannot be checked"),
    ("answer.unknown_question", _W, "the `question_id` is not one of the job's questions"),
    ("answer.precondition_unmet", _W, "the question is not shown, given the other answers"),
    ("answer.empty", _W, "a blank string or empty list for a required question"),
    ("answer.file_size_unchecked", _W, "a FILE given by `data_url` while a size limit exists"),
    # -- with restrictions=
    (
        "attachment.type_unsupported",
        _E,
        "the integration does not accept attachments of this `type` (at its `/type`)",
    ),
    ("attachments.too_few", _E, "fewer attachments of a type than the integration needs"),
    (
        "attachments.too_many",
        _E,
        "more attachments of a type than the integration accepts (at the first extra one)",
    ),
    (
        "attachment.too_large",
        _E,
        "a file larger than the integration accepts for its type (decoded, at its `/data`)",
    ),
    (
        "attachment.mime_type",
        _E,
        "a `content_type` the integration does not accept for this type",
    ),
    (
        "attachments.total_too_large",
        _E,
        "the attachments add up to more than the integration accepts in all",
    ),
    (
        "attachment.size_unchecked",
        _W,
        "a `data_url` while a size limit exists: the size cannot be checked before Kombo "
        "downloads the file",
    ),
    # -- requests and responses
    (
        "param.missing",
        _E,
        "a required parameter is missing (`#path/job_id`, `#header/X-Integration-Id`)",
    ),
    (
        "param.unknown",
        _E,
        "a path parameter the operation's path does not have, or an `X-Integration-Id` for an "
        "operation that takes none",
    ),
    ("param.empty", _E, "a parameter that is empty or blank (or `remote:` alone)"),
    (
        "param.format",
        _E,
        "a parameter of the wrong form: not a Kombo id or `remote:` + id, not `<tool>:<id>`, "
        "whitespace around it, a control character",
    ),
    ("param.unencoded", _E, "a path parameter (the job id…) with `/` or `#` not percent-encoded"),
    (
        "path.ambiguous",
        _E,
        "a request path that differs from a checked operation's only in case, `;` parameters "
        "or empty segments: not sent (the transport)",
    ),
    ("body.not_json", _E, "a response body that is empty or not JSON"),
    (
        "record.not_json",
        _E,
        "a batch record given as text that is not JSON (`kombo_validate.batch`)",
    ),
    ("response.status", _E, "a status code the spec defines no response for"),
    # -- the command line
    ("file.unreadable", _E, "the file cannot be read (it does not exist, no permission …)"),
    ("file.not_found", _E, "a glob that matches no fixture file"),
    ("file.not_regular", _E, "not a regular file (a FIFO, socket or device)"),
    ("file.too_large", _E, "a file larger than 64 MiB (not read)"),
    (
        "file.unsupported_type",
        _E,
        "a file named on the command line that is not `.json`, `.yaml`/`.yml` or "
        "`.ndjson`/`.jsonl`",
    ),
    ("file.encoding", _E, "not UTF-8 text"),
    ("file.parse_error", _E, "a JSON or YAML syntax error (or an undefined YAML alias)"),
    ("file.empty", _E, "no payload in the file"),
    ("file.too_deep", _E, "nesting too deep to parse"),
    ("yaml.unsafe_tag", _E, "a `!!python/…` tag: YAML is loaded safely, no tag is executed"),
    ("yaml.unsupported_tag", _E, "a tag that is not a JSON type"),
    ("yaml.bad_scalar", _E, "a scalar that is not a valid value of its explicit tag"),
    ("yaml.alias_bomb", _E, 'aliases that expand to too many nodes (a "billion laughs" file)'),
    ("yaml.recursive_alias", _E, "an alias that refers to itself"),
    ("yaml.complex_key", _E, "a mapping key that is not a string"),
    ("yaml.bad_merge", _E, "`<<` that merges something other than a mapping or a list of them"),
    ("fix.failed", _E, "`--fix` could not rewrite the file (it stays as it was)"),
    (
        "fix.refused",
        _E,
        "`--fix` cannot fix this value without losing what the author wrote (nothing was written)",
    ),
    (
        "internal.error",
        _E,
        "kombo-validate failed on this payload or file (a bug: the other files are still checked)",
    ),
    (
        "file.duplicate_key",
        _W,
        "a key that appears more than once in an object (the last value wins)",
    ),
    ("file.no_fixtures", _W, "a directory without fixture files"),
    (
        "fixture.not_canonical",
        _W,
        "`--strict`: a valid fixture that is not in canonical wire form (one per change)",
    ),
)

#: issue code → severity and Markdown description, in README's order
CODES: Mapping[str, CodeInfo] = MappingProxyType(
    {code: CodeInfo(severity, text) for code, severity, text in _TABLE}
)


def describe(code: str) -> CodeInfo | None:
    """The code's row; any ``schema.<keyword>`` code without one gets the family's."""
    info = CODES.get(code)
    if info is None and code.startswith("schema.") and len(code) > len("schema."):
        keyword = code[len("schema.") :]
        return CodeInfo("error", f"the value breaks the spec's JSON Schema keyword `{keyword}`")
    return info


def plain(description: str) -> str:
    """A description without Markdown code spans (for plain-text fields)."""
    return description.replace("`", "")
