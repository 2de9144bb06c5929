"""``kombo-validate serve``: the check API and a validating proxy (the ``serve`` extra:
Starlette on uvicorn, httpx upstream). Modules: :mod:`.config` (options),
:mod:`.registry` (the spec's write operations, their Validators and routes),
:mod:`.guards` (one proxied request checked), :mod:`.proxy`, :mod:`.check_api`,
:mod:`.context_cache` (``--fetch-context``), :mod:`.app` (wiring, uvicorn).

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
