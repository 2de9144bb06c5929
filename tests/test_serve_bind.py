"""Where ``kombo-validate serve`` binds: 127.0.0.1 unless told otherwise, and a warning for
any address beyond this machine. In process, with the server's ``run`` replaced, so
nothing binds at all (no non-loopback address is ever opened by a test).
"""

from __future__ import annotations

import io

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from kombo_validate.cli.options import parse_args
from kombo_validate.cli.serve_cmd import run_serve
from kombo_validate.service import app
from kombo_validate.service.config import ServiceConfig

STARTED = "kombo-validate: serving http://{}:8123 -> no upstream (check API only)\n"


@pytest.mark.parametrize(
    ("args", "host", "beyond"),
    [
        ((), "127.0.0.1", False),  # the default
        (("--host", "127.0.0.2"), "127.0.0.2", False),
        (("--host", "::1"), "::1", False),
        (("--host", "localhost"), "localhost", False),
        (("--host", "0.0.0.0"), "0.0.0.0", True),
        (("--host", "::"), "::", True),
        (("--host", "192.0.2.7"), "192.0.2.7", True),
        (("--host", "example.com"), "example.com", True),
    ],
)
def test_serve_binds_loopback_by_default_and_warns_beyond_it(
    monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], host: str, beyond: bool
) -> None:
    started: list[ServiceConfig] = []

    def run(config: ServiceConfig) -> int:  # instead of uvicorn: nothing binds
        started.append(config)
        return 0

    monkeypatch.setattr(app, "run", run)
    options = parse_args(["serve", "--no-upstream", "--port", "8123", *args])
    assert options.extra["host"] == host
    out, err = io.StringIO(), io.StringIO()
    assert run_serve(options, out, err) == 0
    [config] = started
    assert config.host == host
    assert app.uvicorn_options(config)["host"] == host  # what uvicorn would be told
    warning = f"kombo-validate: warning: serving on {host}, beyond this machine\n"
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address in a URL
    assert err.getvalue() == (warning if beyond else "") + STARTED.format(shown)
    assert out.getvalue() == ""
