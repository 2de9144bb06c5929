"""Shared sub-objects: ``a = {"l": a0, "r": a0}`` up to 60 levels (2**60 paths, 60 objects),
in the body, in ``remote_fields``, in answers and in a question's ``raw_question``."""

from __future__ import annotations

from typing import Any

from .base import PLACES, QID, Case, answered, api_case, pick_quick, question, rng

LEVELS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 17, 30, 60)
SHAPES = ("dict", "list", "tuple", "wide", "mixed")
#: from this many levels on the unfolded tree nears or passes the 100,000-object budget, and
#: a walk that unfolds it hangs: a few places and shapes only, so that a run stays short
HEAVY = 10
HEAVY_PLACES = ("root", "candidate", "remote_fields", "answer")
HEAVY_SHAPES = ("dict", "wide")


def dag(levels: int, shape: str, leaf: Any) -> Any:
    a = leaf
    for i in range(levels):
        if shape == "dict":
            a = {"l": a, "r": a}
        elif shape == "list":
            a = [a, a]
        elif shape == "tuple":
            a = (a, a)
        elif shape == "wide":
            a = [a, a, a, a]
        else:
            a = {"l": a, "r": [a]} if i % 2 else [a, {"x": a}]
    return a


def _ctx() -> dict[str, Any]:
    def raw_question(v: Any) -> dict[str, Any]:
        return {
            "body": answered("x"),
            "questions": [question(QID, {"type": "UNKNOWN", "raw_question": v})],
        }

    def raw_question_answered(v: Any) -> dict[str, Any]:
        return {
            "body": answered(v),
            "questions": [question(QID, {"type": "UNKNOWN", "raw_question": v})],
        }

    def restrictions(v: Any) -> dict[str, Any]:
        return {"body": answered("x"), "restrictions": {"types": {"OTHER": v}}}

    return {
        "raw_question": raw_question,
        "raw_question+answer": raw_question_answered,
        "restrictions": restrictions,
    }


def cases() -> list[Case]:
    r = rng("dags")
    out: list[Case] = []
    ctx = _ctx()
    leaves: tuple[Any, ...] = ("x", 1, None, "ada@example.com", 2.5)
    for levels in LEVELS:
        for shape in SHAPES:
            heavy = levels >= HEAVY
            if heavy and shape not in HEAVY_SHAPES:
                continue
            for place, put in PLACES.items():
                if heavy and place not in HEAVY_PLACES:
                    continue
                leaf = r.choice(leaves)

                def build(
                    levels: int = levels, shape: str = shape, leaf: Any = leaf, put: Any = put
                ):
                    return {"body": put(dag(levels, shape, leaf))}

                kinds = (
                    ["check"] if heavy else ["check", r.choice(["prepare", "python", "request"])]
                )
                core = levels == 60 and shape == "dict" and place in ("remote_fields", "answer")
                out += api_case(f"{place}/{shape}/{levels}", build, kinds=kinds, quick=core)
            for place, put in ctx.items():

                def build_ctx(levels: int = levels, shape: str = shape, put: Any = put):
                    return put(dag(levels, shape, "x"))

                core = levels == 60 and shape == "dict" and place == "raw_question"
                out += api_case(f"{place}/{shape}/{levels}", build_ctx, quick=core)
    return pick_quick(out, 23)
