"""Hot rows for operations other than Create application (``scripts/bench.py``, issue 14).

Needs Kombo's full OpenAPI document (``$KOMBO_OPENAPI``, else
``../shared/seed/kombo-openapi.json``); without it each row is a SKIP saying so.
The rows: Create candidate's spec example and Create absence's (an HRIS body),
each beside the official SDK's model for the same operation (validate +
dump_json, as the Create application rows), and Create candidate's example
beside Create application's, both from the full document (target ≤ 1.2×: another
operation costs about what the default one does).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

#: operationId -> the SDK's request-body model for it (``kombo.models``)
SDK_MODELS = {
    "PostAtsCandidates": "PostAtsCandidatesRequestBody",
    "PostHrisAbsences": "PostHrisAbsencesRequestBody",
}
LABELS = {"PostAtsCandidates": "Create candidate", "PostHrisAbsences": "Create absence (HRIS)"}
VS_APPLICATION_TARGET = 1.2


def full_spec() -> Path:
    return Path(
        os.environ.get("KOMBO_OPENAPI", ROOT.parent / "shared" / "seed" / "kombo-openapi.json")
    )


def operation_rows(s: Any, kv: Any, why: str, bench: Any) -> list[Any]:
    """The rows; ``bench`` is the bench module (its Row, skip, timing and SDK helpers)."""
    whats = [f"check() {LABELS[op]} example vs {bench.SDK_NAME}" for op in SDK_MODELS]
    vs_app = "check() Create candidate example vs Create application example"
    spec = full_spec()
    reason = why if kv is None else ""
    if not reason and not spec.is_file():
        reason = f"the full Kombo spec is absent ({spec}; set KOMBO_OPENAPI)"
    if reason:
        return [
            *(bench.skip("hot", what, reason, target=1 / 3) for what in whats),
            bench.skip("hot", vs_app, reason, target=VS_APPLICATION_TARGET),
        ]
    rows: list[Any] = []
    calls: dict[str, tuple[Callable[[], object], dict[str, Any]]] = {}

    def ours(operation: str) -> tuple[Callable[[], object], dict[str, Any]]:
        if operation not in calls:
            v = kv.Validator(spec, operation=operation)
            example = v.operation.request_example
            if example is None:
                raise LookupError(f"{operation} has no example in {spec.name}")
            calls[operation] = ((lambda: v.check(example)), example)
        return calls[operation]

    def side_by_side(
        what: str,
        operation: str,
        peer: Callable[[dict[str, Any]], tuple[Callable[[], object], str, str]],
        target: float,
    ) -> Any:
        def build() -> Any:
            call, example = ours(operation)
            theirs_call, peer_name, peer_note = peer(example)
            mine, theirs = bench.measure_side_by_side([call, theirs_call], s)
            return bench.Row(
                "hot",
                what,
                ours=mine,
                peer=theirs,
                peer_name=peer_name,
                target=target,
                note="; ".join(x for x in (bench.describe(call()), peer_note) if x),
                profile=call,
            )

        return bench.guarded("hot", what, build, target)

    for (operation, model_name), what in zip(SDK_MODELS.items(), whats, strict=True):
        try:
            from kombo import models

            model = getattr(models, model_name)
        except Exception as exc:
            rows.append(bench.skip("hot", what, f"official SDK model unavailable ({exc})"[:160]))
            continue

        def sdk(
            example: dict[str, Any], model: Any = model
        ) -> tuple[Callable[[], object], str, str]:
            outcome = "peer: " + bench.sdk_outcome(model, example)
            return bench.sdk_call(model, example), bench.SDK_NAME, outcome

        rows.append(side_by_side(what, operation, sdk, 1 / 3))

    def application(example: dict[str, Any]) -> tuple[Callable[[], object], str, str]:
        call, _ = ours("PostAtsJobsJobIdApplications")
        return call, "check() Create application example (same document)", ""

    rows.append(side_by_side(vs_app, "PostAtsCandidates", application, VS_APPLICATION_TARGET))
    return rows
