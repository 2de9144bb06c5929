"""Deep nesting: dicts, lists, tuples and mixtures from 1 to 100,000 levels, everywhere
a value can go (body, answers, a question's ``raw_question``, restrictions)."""

from __future__ import annotations

from typing import Any

from .base import PLACES, QID, Case, answered, api_case, pick_quick, question, rng

DEPTHS = (1, 2, 8, 63, 64, 65, 100, 1_000, 5_000, 20_000, 100_000)
SHAPES = ("dict", "list", "tuple", "mixed", "dict_sub", "wide")
#: 100,000 levels cost the harness ~1 s of snapshots a case: only these get past 5,000
DEEPEST = ("root", "candidate", "remote_fields", "answer", "attachments", "unknown_key")
DEEPEST_SHAPES = ("dict", "list", "mixed")
LEAVES: tuple[Any, ...] = ("x", None, 1, 1.5, True, {}, [], "2021-01-01")


class Sub(dict):  # a dict subclass whose overrides must never run
    def items(self) -> Any:
        raise RuntimeError("Sub.items ran")

    def __iter__(self) -> Any:
        raise RuntimeError("Sub.__iter__ ran")


def nest(depth: int, shape: str, leaf: Any) -> Any:
    v = leaf
    for i in range(depth):
        if shape == "dict":
            v = {"a": v}
        elif shape == "list":
            v = [v]
        elif shape == "tuple":
            v = (v,)
        elif shape == "mixed":
            v = {"k": v} if i % 2 else [v, 0]
        elif shape == "dict_sub":
            v = Sub(a=v)
        else:  # wide: a few siblings at every level, only one of them deep
            v = {"a": 1, "b": [1, 2], "c": v, "d": "x"}
    return v


def _context_places() -> dict[str, Any]:
    def raw_question(v: Any) -> dict[str, Any]:
        fmt = {"type": "UNKNOWN", "raw_question": v}
        return {"body": answered("x"), "questions": [question(QID, fmt)]}

    def description(v: Any) -> dict[str, Any]:
        return {"body": answered("x"), "questions": [question(QID, {"type": "TEXT"}, title=v)]}

    def restrictions(v: Any) -> dict[str, Any]:
        return {"body": answered("x"), "restrictions": {"types": {"CV": v}}}

    def job(v: Any) -> dict[str, Any]:  # the questions list itself, deep
        return {"body": answered("x"), "questions": v}

    return {
        "raw_question": raw_question,
        "question_title": description,
        "restrictions": restrictions,
        "questions_list": job,
    }


def cases() -> list[Case]:
    r = rng("nesting")
    out: list[Case] = []
    ctx = _context_places()
    for depth in DEPTHS:
        for shape in SHAPES:
            for place, put in PLACES.items():
                if depth >= 20_000 and (shape not in DEEPEST_SHAPES or place not in DEEPEST):
                    continue
                leaf = r.choice(LEAVES)
                kinds = ["check", r.choice(["prepare", "python", "request", "check"])]
                if depth >= 20_000 and kinds[1] == "python":
                    kinds[1] = "prepare"

                def build(depth: int = depth, shape: str = shape, leaf: Any = leaf, put: Any = put):
                    return {"body": put(nest(depth, shape, leaf))}

                core = (
                    depth == 100_000 and shape == "mixed" and place in ("remote_fields", "answer")
                )
                name = f"{place}/{shape}/{depth}/{type(leaf).__name__}"
                out += api_case(name, build, kinds=dict.fromkeys(kinds), quick=core)
            for place, put in ctx.items():
                if depth == 100_000 and shape not in DEEPEST_SHAPES:
                    continue
                leaf = r.choice(LEAVES)

                def build_ctx(
                    depth: int = depth, shape: str = shape, leaf: Any = leaf, put: Any = put
                ):
                    return put(nest(depth, shape, leaf))

                name = f"{place}/{shape}/{depth}"
                core = (
                    depth == 100_000
                    and shape == "mixed"
                    and place in ("raw_question", "questions_list")
                )
                out += api_case(name, build_ctx, kinds=("check",), quick=core)
    return pick_quick(out, 37, also=["questions_list/dict_sub/1:check"])
