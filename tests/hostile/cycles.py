"""Cycles: dicts and lists that contain themselves (directly or through a ring of up to
50 containers), in the body, in answers, in questions and in restrictions."""

from __future__ import annotations

from typing import Any

from .base import PLACES, QID, Case, answered, api_case, pick_quick, question, rng

SHAPES = ("dict", "list", "dict_list", "list_dict", "tuple_list", "key_ring")
RINGS = (1, 2, 3, 7, 50)


def ring(shape: str, length: int, pad: Any) -> Any:
    """A ring of ``length`` containers, the last one holding the first."""
    if shape == "key_ring":  # a dict whose value is a list holding that dict, beside data
        head: Any = {"pad": pad}
        node = head
        for _ in range(length - 1):
            nxt: Any = {"pad": pad}
            node["next"] = [nxt]
            node = nxt
        node["next"] = [head]
        return head
    kinds = {
        "dict": ["dict"],
        "list": ["list"],
        "dict_list": ["dict", "list"],
        "list_dict": ["list", "dict"],
        "tuple_list": ["list", "tuple"],
    }[shape]
    first: Any = {"pad": pad} if kinds[0] == "dict" else [pad]
    nodes = [first]
    for i in range(1, length):
        k = kinds[i % len(kinds)]
        nodes.append({"pad": pad} if k == "dict" else [pad] if k == "list" else None)
    # link back to front; a tuple can only be built around what it holds
    link: Any = first
    for i in range(length - 1, 0, -1):
        k = kinds[i % len(kinds)]
        if k == "tuple":
            link = (pad, link)
        else:
            node = nodes[i]
            if k == "dict":
                node["next"] = link
            else:
                node.append(link)
            link = node
    if kinds[0] == "dict":
        first["next"] = link
    else:
        first.append(link)
    return first


def _q_places() -> dict[str, Any]:
    def raw_question(v: Any) -> dict[str, Any]:
        return {
            "body": answered("x"),
            "questions": [question(QID, {"type": "UNKNOWN", "raw_question": v})],
        }

    def options(v: Any) -> dict[str, Any]:
        fmt = {"type": "SINGLE_SELECT", "options": v}
        return {"body": answered("x"), "questions": [question(QID, fmt)]}

    def format_(v: Any) -> dict[str, Any]:
        return {"body": answered("x"), "questions": [question(QID, v)]}

    def question_list(v: Any) -> dict[str, Any]:
        return {"body": answered("x"), "questions": [question(QID, {"type": "TEXT"}), v]}

    def restriction(v: Any) -> dict[str, Any]:
        return {"body": answered("x"), "restrictions": {"types": {"CV": v}}}

    def restriction_mimes(v: Any) -> dict[str, Any]:
        cv = {"is_supported": True, "accepted_mime_types": v}
        return {"body": answered("x"), "restrictions": {"types": {"CV": cv}}}

    return {
        "raw_question": raw_question,
        "options": options,
        "format": format_,
        "question_list": question_list,
        "restrictions": restriction,
        "restriction_mimes": restriction_mimes,
    }


def cases() -> list[Case]:
    r = rng("cycles")
    out: list[Case] = []
    qp = _q_places()
    pads: tuple[Any, ...] = ("x", 1, None, "2021-02-30", {"a": 1}, ["de"])
    for shape in SHAPES:
        for length in RINGS:
            for place, put in PLACES.items():
                pad = r.choice(pads)

                def build(shape: str = shape, length: int = length, pad: Any = pad, put: Any = put):
                    return {"body": put(ring(shape, length, pad))}

                kinds = dict.fromkeys(["check", r.choice(["prepare", "python", "request"])])
                core = length == 1 and place in ("root", "answer")
                out += api_case(f"{place}/{shape}/{length}", build, kinds=kinds, quick=core)
            for place, put in qp.items():
                pad = r.choice(pads)

                def build_q(
                    shape: str = shape, length: int = length, pad: Any = pad, put: Any = put
                ):
                    return put(ring(shape, length, pad))

                kinds = dict.fromkeys(["check", r.choice(["prepare", "request"])])
                core = length == 1 and place in ("raw_question", "restrictions")
                out += api_case(f"{place}/{shape}/{length}", build_q, kinds=kinds, quick=core)

            # the cycle both in the body and in the questions
            def both(shape: str = shape, length: int = length) -> dict[str, Any]:
                c = ring(shape, length, "x")
                fmt = {"type": "UNKNOWN", "raw_question": c}
                return {"body": answered(c), "questions": [question(QID, fmt)]}

            out += api_case(f"both/{shape}/{length}", both, kinds=("check", "prepare"))

            # Questions() and Restrictions() on their own
            def q_alone(shape: str = shape, length: int = length) -> dict[str, Any]:
                return {
                    "questions": [
                        question(QID, {"type": "UNKNOWN", "raw_question": ring(shape, length, 1)})
                    ]
                }

            def r_alone(shape: str = shape, length: int = length) -> dict[str, Any]:
                return {"restrictions": ring(shape, length, 1)}

            out.append(Case(f"Questions/{shape}/{length}", "questions", q_alone))
            out.append(Case(f"Restrictions/{shape}/{length}", "restrictions", r_alone))
    return pick_quick(out, 50)
