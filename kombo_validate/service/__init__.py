"""``kombo-validate serve``: the check API, a validating proxy and the playground (the
``serve`` extra: Starlette on uvicorn with httptools and uvloop). Modules:
:mod:`.config` (options), :mod:`.registry` (the spec's write operations, their
Validators and routes), :mod:`.guards` (one proxied request checked), :mod:`.budget`
(request bodies within ``--max-body-mb`` and ``--max-inflight-mb``), :mod:`.proxy`,
:mod:`.upstream` (its keep-alive HTTP/1.1 client), :mod:`.check_api`, :mod:`.textinput`
(JSON/YAML text with lines), :mod:`.playground` (``GET /``), :mod:`.context_cache`
(``--fetch-context``), :mod:`.coalesce` (one write per response), :mod:`.app`
(wiring, uvicorn).

Nothing here is imported by ``import kombo_validate`` or the other commands.
"""

from __future__ import annotations

try:
    import starlette  # noqa: F401
    import uvicorn  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "kombo-validate serve needs the serve extra: pip install 'kombo_validate[serve]'"
    ) from exc
