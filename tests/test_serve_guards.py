"""The proxy's checked write reads its headers as the httpx transport does: the
raw-header lookup (no ``httpx.Request`` on the proxy's hot path) against
``httpx.Headers.get`` on the same raw list."""

from __future__ import annotations

import httpx
import pytest

from kombo_validate.service.guards import _lookup

CASES = [
    [(b"x-integration-id", b"join:abc")],
    [(b"X-Integration-Id", b"join:abc")],
    [(b"x-integration-id", b"a"), (b"via", b"1.1 x"), (b"X-INTEGRATION-ID", b"b")],
    [(b"x-integration-id", "caf\u00e9".encode())],  # UTF-8
    [(b"x-integration-id", b"caf\xe9")],  # not UTF-8: Latin-1
    [(b"via", b"1.1 kombo-validate")],  # absent
    [],
]


@pytest.mark.parametrize("raw", CASES)
@pytest.mark.parametrize("name", ["X-Integration-Id", "x-integration-id"])
def test_the_raw_lookup_reads_a_header_as_httpx_does(
    raw: list[tuple[bytes, bytes]], name: str
) -> None:
    assert _lookup(raw)(name) == httpx.Headers(raw).get(name)
