"""What ``kombo-validate serve`` was asked for, in one :class:`ServiceConfig`.

The config travels to uvicorn's worker processes as JSON in an environment
variable (:data:`ENV_VAR`), so it holds only plain values: the questions and
restrictions are file paths, read (and compiled) by each worker, and first by
:func:`check_config` in the parent so a bad file stops the command before it binds.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from ipaddress import ip_address
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

__all__ = ["ENV_VAR", "ConfigError", "ServiceConfig", "read_data_file", "upstream_problem"]

ENV_VAR = "KOMBO_VALIDATE_SERVE_CONFIG"


class ConfigError(Exception):
    """An option of the service names something unusable (the command's exit code 2)."""


@dataclass(frozen=True)
class ServiceConfig:
    """The service's options (see ``kombo-validate serve --help``)."""

    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    #: the base URL requests are forwarded to (its path is the prefix); None: check API only
    upstream: str | None = None
    allow_insecure_upstream: bool = False
    spec: str | None = None
    questions: str | None = None
    restrictions: str | None = None
    max_body_bytes: int = 25 * 1024 * 1024
    #: request-body bytes one worker holds at once, beyond which it answers 503
    max_inflight_bytes: int = 256 * 1024 * 1024
    upstream_timeout: float = 30.0
    fetch_context: bool = False
    #: seconds in-flight requests get to finish after SIGTERM
    graceful_timeout: float = 30.0

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, environ: Any = None) -> ServiceConfig:
        raw = (os.environ if environ is None else environ).get(ENV_VAR)
        if not raw:
            raise ConfigError(f"{ENV_VAR} is not set: start the service with kombo-validate serve")
        return cls(**json.loads(raw))


def upstream_problem(url: str, allow_insecure: bool) -> str | None:
    """Why ``url`` cannot be the upstream, or None: an absolute https URL (http only
    with ``allow_insecure``), no credentials, query or fragment in it."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return f"not a URL ({exc})"
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "must be an absolute http(s) URL, like https://api.kombo.dev/v1"
    if parts.scheme == "http" and not allow_insecure:
        return "is plain http: credentials would travel unencrypted (--allow-insecure-upstream)"
    if parts.username is not None or parts.password is not None:
        return "must not hold credentials: the callers' own are forwarded"
    if parts.query or parts.fragment:
        return "must not have a query or fragment"
    return None


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the service on this machine."""
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    """``host`` as the host part of a URL: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host else host


def read_data_file(path: str, option: str) -> Any:
    """One JSON or YAML document from a regular file, or :class:`ConfigError`."""
    from .. import jsontext
    from ..files import read_regular

    try:
        raw = read_regular(Path(path))
    except FileNotFoundError:
        raise ConfigError(f"{option} {path}: no such file") from None
    except OSError as exc:
        raise ConfigError(f"{option} {path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
        if path.lower().endswith(".json"):
            return jsontext.loads(text)
        import yaml

        return yaml.safe_load(text)
    except Exception as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError(f"{option} {path}: not JSON/YAML: {reason}") from None
