"""The cached fast-path artifacts (``_artifacts``): a cold start proves a valid body
without building the plan, gives exactly what a built Validator gives, and never
trusts a corrupt or foreign cache file (it is ignored and rebuilt)."""

from __future__ import annotations

import base64
import copy
import json
import marshal
from pathlib import Path
from typing import Any

import pytest

from kombo_validate import Validator, _artifacts, _cache, api
from kombo_validate.spec import bundled_spec_path, load_spec

from .helpers import outcome, run_python


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KOMBO_VALIDATE_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a Validator built its plan, engine and fast path."""
    calls: list[int] = []
    real = api.Validator._build

    def counting(self: Validator, engine: str, fast_path: bool) -> None:
        calls.append(1)
        real(self, engine, fast_path)

    monkeypatch.setattr(api.Validator, "_build", counting)
    return calls


def _key() -> str:
    found = _artifacts.names(None, None)
    assert found is not None
    return found[1]


def _bad(example: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(example)
    body["candidate"]["email_address"] = "not an email"
    body["candidate"]["availability_date"] = "2021-02-30"
    return body


def test_second_validator_proves_from_the_cache_and_builds_on_first_need(
    cache: Path, builds: list[int], example: dict[str, Any]
) -> None:
    first = Validator()
    assert len(builds) == 1
    assert len(list(cache.glob("fast-*.json"))) == 1
    expected_ok = outcome(first.check(example))
    expected_bad = outcome(first.check(_bad(example)))

    cold = Validator()
    assert len(builds) == 1  # nothing built: the cached proof is enough so far
    assert outcome(cold.check(example)) == expected_ok
    assert len(builds) == 1
    got = outcome(cold.check(_bad(example)))
    assert len(builds) == 2  # the first body it could not prove built the rest
    assert got == expected_bad
    assert ("/candidate/email_address", "email.invalid") in [(p, c) for p, c, *_ in got[1]]
    assert outcome(cold.check(example)) == expected_ok


def test_cold_validator_builds_for_questions_and_properties(
    cache: Path, builds: list[int], example: dict[str, Any]
) -> None:
    Validator()
    cold = Validator()
    assert cold.fast_path is True and len(builds) == 1
    assert str(cold.operation) == "POST /ats/jobs/{job_id}/applications"
    assert len(builds) == 2
    assert cold.check(example, questions=[]).ok is True


def test_cold_proof_agrees_with_the_fast_path(cache: Path, example: dict[str, Any]) -> None:
    built = Validator()
    proof = _artifacts.load(_key())
    assert proof is not None
    wire = proof.prove(example)
    assert wire == built.check(example).body and wire is not example
    assert proof.prove(_bad(example)) is None
    assert proof.prove({"candidate": ("tuple",)}) is None  # not plain JSON: the full walk
    assert proof.prove({"candidate": {"first_name": "\ud800"}}) is None  # a lone surrogate
    hangul = copy.deepcopy(example)
    hangul["candidate"]["first_name"] = "\ud7a3"  # UTF-8 ED 9E A3: an ED byte, no surrogate
    report = built.check(hangul)
    assert report.ok and report.changes == ()
    assert proof.prove(hangul) == report.body


def _rewrite(path: Path, change: Any, redigest: bool = True) -> None:
    """Change the header and payload of a cache file (the digest recomputed, unless not)."""
    head, _, body = path.read_bytes().partition(b"\n")
    header, payload = json.loads(head), json.loads(body)
    change(header, payload)
    new_body = json.dumps(payload).encode("utf-8")
    if redigest:
        header["digest"] = _cache.digest(new_body)
    path.write_bytes(json.dumps(header).encode("utf-8") + b"\n" + new_body)


def _foreign_key(header: dict[str, Any], payload: dict[str, Any]) -> None:
    header["key"] = "fast-1-0.0.0-" + "0" * 32  # another spec's file under this name


def _loose_schema(header: dict[str, Any], payload: dict[str, Any]) -> None:
    payload["strict"] = {}  # would prove anything


def _loose_foreign(header: dict[str, Any], payload: dict[str, Any]) -> None:
    payload["strict"]["additionalProperties"] = True
    header["key"] = "somebody else's"


def _dunder_copy(header: dict[str, Any], payload: dict[str, Any]) -> None:
    payload["copy"] = "def copy_body(value):\n    return value.__class__\n"


def _foreign_code(header: dict[str, Any], payload: dict[str, Any]) -> None:
    code = compile("def copy_body(value):\n    return breakpoint_hook(value)\n", "x", "exec")
    payload["code"] = base64.b64encode(marshal.dumps(code)).decode("ascii")


def _not_code(header: dict[str, Any], payload: dict[str, Any]) -> None:
    payload["code"] = base64.b64encode(marshal.dumps(42)).decode("ascii")


def _dunder_valid(header: dict[str, Any], payload: dict[str, Any]) -> None:
    payload["valid"] = "def valid(body):\n    return body.__class__ is dict\n"


def _foreign_valid_code(header: dict[str, Any], payload: dict[str, Any]) -> None:
    code = compile("def valid(body):\n    return accept_all(body)\n", "x", "exec")
    payload["valid_code"] = base64.b64encode(marshal.dumps(code)).decode("ascii")


def _valid_not_code(header: dict[str, Any], payload: dict[str, Any]) -> None:
    payload["valid_code"] = base64.b64encode(marshal.dumps("valid")).decode("ascii")


def _valid_without_code(header: dict[str, Any], payload: dict[str, Any]) -> None:
    payload["valid_code"] = None


def _float_limit(header: dict[str, Any], payload: dict[str, Any]) -> None:
    payload["limit"] = 1e300


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"\x00garbage{"),
        lambda p: p.write_text("[1, 2]", encoding="utf-8"),
        lambda p: p.write_text(p.read_text(encoding="utf-8")[:-40], encoding="utf-8"),
        lambda p: _rewrite(p, _foreign_key),
        lambda p: _rewrite(p, _loose_schema, redigest=False),
        lambda p: _rewrite(p, _loose_foreign),
        lambda p: _rewrite(p, _dunder_copy),
        lambda p: _rewrite(p, _float_limit),
        lambda p: _rewrite(p, _foreign_code),
        lambda p: _rewrite(p, _not_code),
        lambda p: _rewrite(p, _dunder_valid),
        lambda p: _rewrite(p, _foreign_valid_code),
        lambda p: _rewrite(p, _valid_not_code),
        lambda p: _rewrite(p, _valid_without_code),
    ],
    ids=[
        "binary",
        "not-json",
        "truncated",
        "foreign",
        "tampered",
        "foreign-tampered",
        "dunder",
        "limit",
        "foreign-code",
        "not-code",
        "valid-dunder",
        "valid-foreign-code",
        "valid-not-code",
        "valid-no-code",
    ],
)
def test_corrupt_or_foreign_cache_is_ignored_and_rebuilt(
    cache: Path, builds: list[int], example: dict[str, Any], damage: Any
) -> None:
    expected_bad = outcome(Validator().check(_bad(example)))
    (entry,) = cache.glob("fast-*.json")
    damage(entry)
    assert _artifacts.load(_key()) is None

    again = Validator()
    assert len(builds) == 2  # not trusted: built from the spec
    assert outcome(again.check(_bad(example))) == expected_bad
    assert again.check(example).ok is True
    assert _artifacts.load(_key()) is not None  # and rebuilt


def test_names_follow_spec_bytes_operation_and_code(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _artifacts.names(None, None)
    assert found is not None
    spec_name, proof = found
    assert spec_name.startswith("spec-") and proof.startswith("fast-")
    assert _artifacts.names(None, "PostAtsJobsJobIdApplications") not in (None, found)
    copy_of = tmp_path / "spec.yaml"
    copy_of.write_bytes(bundled_spec_path().read_bytes())
    assert _artifacts.names(copy_of, None) == found  # the same bytes
    copy_of.write_bytes(bundled_spec_path().read_bytes() + b"\n# edited\n")
    assert _artifacts.names(copy_of, None) not in (None, found)
    assert _artifacts.names(tmp_path / "missing.yaml", None) is None
    monkeypatch.setattr(_artifacts, "_fingerprint", lambda: "edited code")
    assert _artifacts.names(None, None) not in (None, found)


def test_bundled_spec_found_as_spec_finds_it() -> None:
    from kombo_validate import spec

    assert _artifacts.SPEC_FILE == spec.SPEC_FILE
    assert _artifacts._bundled() == str(spec.bundled_spec_path())


def test_cold_validator_gives_the_spec_as_loaded(
    cache: Path, builds: list[int], tmp_path: Path, example: dict[str, Any]
) -> None:
    copy_of = tmp_path / "my-spec.yaml"
    copy_of.write_bytes(bundled_spec_path().read_bytes())
    for spec_arg in (None, copy_of, str(copy_of)):
        Validator(spec_arg)
        built = len(builds)
        cold = Validator(spec_arg)
        assert len(builds) == built  # cold
        assert cold.check(example).ok is True
        assert cold.spec == load_spec(spec_arg)
        assert cold.request_schema == load_spec(spec_arg).request_schema
        assert len(builds) == built  # the spec alone builds nothing
        assert repr(cold) == repr(Validator(spec_arg, fast_path=False))


def test_cache_off_builds_every_time(
    monkeypatch: pytest.MonkeyPatch, builds: list[int], example: dict[str, Any]
) -> None:
    monkeypatch.setenv("KOMBO_VALIDATE_CACHE_DIR", "off")
    assert _artifacts.names(None, None) is None
    Validator()
    assert Validator().check(example).ok is True
    assert len(builds) == 2


def test_api_names_the_engines_the_engine_module_has() -> None:
    from kombo_validate import engine

    assert api.ENGINES == engine.ENGINES
    with pytest.raises(ValueError, match="unknown engine 'go': choose one of rust, python"):
        Validator(engine="go")


# ------------------------------------------------ the strict schema in Python (strict_py)


def test_cold_proof_asks_python_then_jsonschema_rs(
    cache: Path, example: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cached Python form proves the first PY_PROOFS bodies, jsonschema-rs the rest
    (a long-lived process), each exactly as the built fast path."""
    monkeypatch.setattr(_artifacts, "PY_PROOFS", 2)
    built = Validator()
    proof = _artifacts.load(_key())
    assert proof is not None and proof._valid is not None and proof._checked is None
    expected = built.check(example).body
    asked: list[Any] = []
    python = proof._valid
    proof._valid = lambda body: asked.append(body) or python(body)
    assert proof.prove(example) == expected
    assert proof.prove(_bad(example)) is None
    assert len(asked) == 2 and proof._checked is None  # the first two: Python
    assert proof.prove(_bad(example)) is None
    assert proof.prove(example) == expected
    assert len(asked) == 2 and proof._checked is not None  # then jsonschema-rs


def test_a_strict_schema_it_cannot_compile_is_proven_in_jsonschema_rs(
    cache: Path, example: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kombo_validate import strict_py

    monkeypatch.setattr(strict_py, "compile_strict", lambda schema, formats=(): None)
    built = Validator()
    (entry,) = cache.glob("fast-*.json")
    payload = json.loads(entry.read_bytes().partition(b"\n")[2])
    assert payload["valid"] is None and payload["valid_code"] is None
    proof = _artifacts.load(_key())
    assert proof is not None and proof._valid is None and proof._checked is not None
    assert proof.prove(example) == built.check(example).body
    assert proof.prove(_bad(example)) is None


_NO_RS = """
import sys
{run}
assert "jsonschema_rs" not in sys.modules, "jsonschema_rs imported"
print("ok")
"""


@pytest.mark.parametrize("run", ["check", "lint"])
def test_a_warm_cold_start_proves_a_valid_body_without_jsonschema_rs(
    cache: Path, tmp_path: Path, example: dict[str, Any], run: str
) -> None:
    Validator()  # the cache warm
    one = tmp_path / "one.json"
    one.write_text(json.dumps(example), encoding="utf-8")
    code = {
        "check": f"import kombo_validate as k\nassert k.check({example!r}).ok",
        "lint": f"from kombo_validate.cli import main\nassert main(['lint', {str(one)!r}]) == 0",
    }[run]
    tree = str(Path(api.__file__).parents[1])
    done = run_python(_NO_RS.format(run=code), tmp_path, PYTHONPATH=tree)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "ok"


def test_a_warm_cold_check_of_a_valid_body_does_not_import_typing(
    cache: Path, tmp_path: Path, example: dict[str, Any]
) -> None:
    """``typing`` is some 5 ms of a 50 ms start: the cold path names it for mypy only.
    Blocked here (an import of it raises), the check must still prove the body."""
    Validator()  # the cache warm
    code = (
        "import sys\nsys.modules['typing'] = None  # importing it now raises\n"
        f"import kombo_validate as k\nassert k.check({example!r}).ok\nprint('ok')"
    )
    done = run_python(code, tmp_path, PYTHONPATH=str(Path(api.__file__).parents[1]))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "ok"
