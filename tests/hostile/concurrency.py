"""Concurrency: 16 threads share one Validator (and one ``Questions`` or raw question
list, and one ``Restrictions``) and check the same hostile bodies in rotated orders; every
report must equal the sequential one, field for field, and no input may change."""

from __future__ import annotations

from typing import Any

from .base import Case, pick_quick, rng
from .context import body as job_body
from .context import job, restrictions
from .cycles import ring
from .dags import dag
from .dates import FIXED as DATES
from .nesting import nest
from .strings import FIELDS, _body
from .strings import FIXED as STRINGS


def _bodies(seed: int, n: int) -> list[Any]:
    """``n`` seeded bodies mixing the other families' hostile values."""
    r = rng("concurrency", seed)
    out: list[Any] = []
    for _ in range(n):
        pick = r.randrange(7)
        if pick == 0:
            out.append(_body(r.choice(FIELDS), r.choice(list(STRINGS.values()))))
        elif pick == 1:
            out.append(_body(("candidate", "availability_date"), r.choice(DATES)))
        elif pick == 2:
            out.append({**job_body(), "remote_fields": nest(r.choice((10, 70, 500)), "mixed", 1)})
        elif pick == 3:
            out.append({**job_body(), "remote_fields": ring(r.choice(("dict", "list_dict")), 3, 1)})
        elif pick == 4:
            out.append({**job_body(), "remote_fields": dag(r.choice((5, 12)), "dict", "x")})
        elif pick == 5:
            b = job_body()
            b["screening_question_answers"][r.randrange(7)]["answer"] = r.choice(
                [None, "", "x" * 50, [1, 1], {"a": 1}, float("nan"), "2021-02-30", True]
            )
            out.append(b)
        else:
            b = job_body()
            b["attachments"] = [
                {
                    "name": f"a{i}.txt",
                    "type": r.choice(["CV", "OTHER", "X"]),
                    "data": r.choice(["QUFB", "!!", "QUFB\n"]),
                    "content_type": "text/plain",
                }
                for i in range(r.randint(0, 4))
            ]
            out.append(b)
    return out


def cases() -> list[Case]:
    out: list[Case] = []
    modes = ("plain", "raw_questions", "compiled_questions", "restrictions", "both", "python")
    for seed in range(25):
        for mode in modes:

            def build(seed: int = seed, mode: str = mode) -> dict[str, Any]:
                import kombo_validate as kv

                n = 3 if mode == "python" else 6  # the pure-Python engine is ~5x slower
                spec: dict[str, Any] = {"bodies": _bodies(seed, n), "threads": 16}
                if mode in ("raw_questions", "both"):
                    spec["questions"] = job()
                if mode == "compiled_questions":
                    spec["questions"] = kv.Questions(job())
                if mode in ("restrictions", "both"):
                    spec["restrictions"] = restrictions()
                if mode == "python":
                    spec["validator"] = kv.Validator(engine="python")
                return spec

            out.append(Case(f"{mode}/{seed}", "threads", build, quick=seed < 2))
    return pick_quick(out, 1000)
