"""Spec loading: bundled, from files, from mappings, the full spec, and clear SpecErrors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from kombo_validate import SpecError, Validator, _cache
from kombo_validate.spec import bundled_spec_path, load_spec

from .helpers import minimal, pairs


def bundled_doc() -> dict[str, Any]:
    return yaml.safe_load(bundled_spec_path().read_text(encoding="utf-8"))


def test_bundled_spec_is_found() -> None:
    info = load_spec()
    assert info.path == "/ats/jobs/{job_id}/applications" and info.method == "post"
    assert info.request_schema["required"] == ["candidate"]
    assert [s["url"] for s in info.servers] == [
        "https://api.kombo.dev/v1",
        "https://api.us.kombo.dev/v1",
    ]
    assert set(info.responses) >= {"200", "default"}


def test_refs_are_resolved() -> None:
    info = load_spec()
    assert "$ref" not in json.dumps(info.request_schema)
    assert "$ref" not in json.dumps(info.responses)


def test_yaml_and_json_files_and_mappings(tmp_path: Path) -> None:
    doc = bundled_doc()
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(doc))
    for spec in (str(bundled_spec_path()), bundled_spec_path(), path, doc):
        assert pairs(Validator(spec).check(minimal(gender="x"))) == [
            ("/candidate/gender", "schema.enum")
        ]


def test_spec_follows_the_document(tmp_path: Path) -> None:
    # a new enum value in the spec flows through: nothing is copied into the code
    doc = bundled_doc()
    gender = doc["components"]["schemas"]["PostAtsJobsJobIdApplicationsRequestBody"]["properties"][
        "candidate"
    ]["properties"]["gender"]
    gender["enum"].append("DIVERSE")
    assert Validator(doc).check(minimal(gender="diverse")).body == minimal(gender="DIVERSE")


def test_operation_found_by_path_without_operation_id() -> None:
    doc = bundled_doc()
    del doc["paths"]["/ats/jobs/{job_id}/applications"]["post"]["operationId"]
    assert Validator(doc).check(minimal()).ok


def test_full_103_path_spec(full_spec_path: Path) -> None:
    v = Validator(full_spec_path)
    assert v.check(minimal()).ok
    assert pairs(v.check(minimal(location={"country": "XX"}))) == [
        ("/candidate/location/country", "country.unknown")
    ]


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (None, "missing.yaml", "no such file"),
        ("a: [unclosed", "broken.yaml", "not valid YAML"),
        ("{", "broken.json", "not valid JSON"),
        ("- just a list", "list.yaml", "must be a mapping"),
        ("openapi: 3.1.0\ninfo: {}\n", "nopaths.yaml", "no 'paths'"),
        ("swagger: '2.0'\npaths: {}\n", "swagger.yaml", "not an OpenAPI 3"),
        ("openapi: 3.1.0\npaths: {/x: {get: {}}}\n", "other.yaml", "not found"),
    ],
)
def test_spec_errors_name_file_and_reason(
    tmp_path: Path, content: str | None, name: str, reason: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(SpecError) as info:
        Validator(path)
    assert str(path) in str(info.value) and reason in str(info.value)


def test_unresolvable_ref() -> None:
    doc = bundled_doc()
    op = doc["paths"]["/ats/jobs/{job_id}/applications"]["post"]
    op["requestBody"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Nope"
    }
    with pytest.raises(SpecError, match="cannot resolve"):
        Validator(doc)


def test_a_recursive_ref_is_loaded_and_walked_by_reference() -> None:
    doc = bundled_doc()
    schemas = doc["components"]["schemas"]
    schemas["Loop"] = {
        "type": "object",
        "properties": {"next": {"$ref": "#/components/schemas/Loop"}},
    }
    op = doc["paths"]["/ats/jobs/{job_id}/applications"]["post"]
    op["requestBody"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Loop"
    }
    v = Validator(doc)  # no longer a SpecError (issue 14): the cycle is kept as a $defs ref
    assert v.request_schema["properties"]["next"] == {"$ref": "#/$defs/Loop"}
    assert v.check({"next": {"next": {"next": {}}}}).ok
    assert [(i.path, i.code) for i in v.check({"next": {"next": 5}}).errors] == [
        ("/next/next", "schema.type")
    ]


def test_wrong_spec_argument_type() -> None:
    with pytest.raises(SpecError, match="must be None, a path or a mapping"):
        Validator(42)  # type: ignore[arg-type]


def test_validate_spec_on_request() -> None:
    assert Validator(validate_spec=True).check(minimal()).ok
    doc = bundled_doc()
    doc["paths"]["/ats/jobs/{job_id}/applications"]["post"]["responses"] = "nope"
    with pytest.raises(SpecError, match="not a valid OpenAPI document"):
        Validator(doc, validate_spec=True)


def test_spec_cache_is_used_and_keyed_by_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kombo_validate import spec as spec_module

    monkeypatch.setenv("KOMBO_VALIDATE_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "spec.yaml"
    source.write_bytes(bundled_spec_path().read_bytes())
    first = load_spec(source)
    assert len(list((tmp_path / "cache").glob("spec-*.json"))) == 1

    def no_yaml(text: str) -> Any:
        raise AssertionError("the YAML should not be parsed again")

    monkeypatch.setattr(spec_module, "_yaml_load", no_yaml)
    second = load_spec(source)
    assert second.request_schema == first.request_schema and second.source == str(source)

    # a changed file is a new key: parsed again
    source.write_text(source.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    with pytest.raises(SpecError, match="should not be parsed"):
        load_spec(source)


MULTI = Path(__file__).resolve().parent / "data" / "multi-operation.openapi.yaml"


def _uncached(monkeypatch: pytest.MonkeyPatch, *args: Any, **kwargs: Any) -> Any:
    """``load_spec(*args, **kwargs)`` with the cache off: what a cache hit must equal."""
    with monkeypatch.context() as m:
        m.setenv("KOMBO_VALIDATE_CACHE_DIR", "off")
        return load_spec(*args, **kwargs)


def _with_header(entry: Path, edit: Any, body: Any = None) -> None:
    """Rewrite ``entry``'s header as ``edit`` changes it (and its payload as ``body``
    returns it), the digest recomputed: a well-formed file that only ``edit`` makes wrong."""
    head, _, payload = entry.read_bytes().partition(b"\n")
    if body is not None:
        payload = json.dumps(body(json.loads(payload))).encode()
    header = {**json.loads(head), "digest": _cache.digest(payload)}
    edit(header)
    entry.write_bytes(json.dumps(header).encode() + b"\n" + payload)


def _changed_value(entry: Path) -> None:
    head, _, payload = entry.read_bytes().partition(b"\n")
    data = json.loads(payload)
    data["summary"] = "Edited in the cache"
    entry.write_bytes(head + b"\n" + json.dumps(data).encode())


def _foreign(entry: Path) -> None:
    load_spec(MULTI, operation="PostAtsCandidates")
    other = _cache.key(MULTI.read_bytes(), "PostAtsCandidates")
    entry.write_bytes((entry.parent / f"{other}.json").read_bytes())


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"{not json"),
        lambda p: p.write_text("[1, 2]", encoding="utf-8"),
        lambda p: _with_header(p, lambda h: None, body=lambda d: [d]),
        _changed_value,
        _foreign,
        lambda p: _with_header(p, lambda h: h.update(format="3")),
        lambda p: _with_header(p, lambda h: h.update(version="0.0.9")),
        lambda p: _with_header(p, lambda h: h.update(cache="routes")),
        lambda p: p.write_bytes(b""),
        lambda p: p.write_bytes(p.read_bytes()[:-40]),
        lambda p: p.write_bytes(p.read_bytes().partition(b"\n")[0]),
    ],
    ids=[
        "not-json",
        "not-a-dict",
        "payload-not-a-dict",
        "value-changed",
        "foreign",
        "other-format",
        "other-version",
        "other-cache",
        "empty",
        "truncated",
        "header-only",
    ],
)
def test_spec_cache_damaged_is_ignored_and_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Any
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("KOMBO_VALIDATE_CACHE_DIR", str(cache))
    expected = _uncached(monkeypatch)
    name = _cache.key(bundled_spec_path().read_bytes(), "")
    entry = cache / f"{name}.json"
    assert load_spec() == expected
    good = entry.read_bytes()
    assert _cache.read(name) is not None

    damage(entry)
    assert entry.read_bytes() != good
    assert _cache.read(name) is None  # not trusted
    assert load_spec() == expected
    assert entry.read_bytes() == good  # rewritten
    assert _cache.read(name) is not None  # and it verifies

    # the cold Validator reads the entry beside its cached proof: as untrusting
    Validator()  # the proof cached
    damage(entry)
    assert Validator().spec == expected
    assert entry.read_bytes() == good


def test_spec_cache_name_follows_package_version_and_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kombo_validate import _version

    cache = tmp_path / "cache"
    monkeypatch.setenv("KOMBO_VALIDATE_CACHE_DIR", str(cache))
    raw = bundled_spec_path().read_bytes()
    name = _cache.key(raw)
    assert name == _cache.key(raw) and name.startswith(f"spec-{_cache.FORMAT}-")
    load_spec()
    monkeypatch.setattr(_version, "__version__", "9.9.9")
    newer = _cache.key(raw)
    assert newer != name
    assert _cache.read(name) is None  # another version's file, even under its own name
    load_spec()
    assert sorted(p.stem for p in cache.glob("spec-*.json")) == sorted([name, newer])
    monkeypatch.setattr(_cache, "FORMAT", "99")
    assert _cache.key(raw) not in (name, newer)
    assert _cache.read(newer) is None


def test_spec_cache_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kombo_validate.routing import OperationTable

    for folder in ("home", "xdg", "cwd"):
        (tmp_path / folder).mkdir()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path / "cwd")
    monkeypatch.setenv("KOMBO_VALIDATE_CACHE_DIR", "off")
    assert _cache.cache_dir() is None
    other = tmp_path / "other.yaml"
    other.write_bytes(bundled_spec_path().read_bytes() + b"\n")
    load_spec(other)
    load_spec(MULTI, operation="PostAtsCandidates")
    assert Validator(other).check(minimal()).ok
    assert Validator(other).check(minimal()).ok  # no proof was cached to start cold from
    assert OperationTable(MULTI).refs
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert written == ["cwd", "home", "other.yaml", "xdg"]
