"""Malformed questions and restrictions: negative limits, NaN/inf bounds, str-subclass
ids, 1,000-deep nesting, 10,000-long precondition chains and cycles, 100,000 options and
accepted MIME types, and seeded random mutations of every field of a valid job and a
valid ``attachment_restrictions``. A ``ContextError`` is the documented outcome."""

from __future__ import annotations

import copy
from typing import Any

from .base import OPT, OPT2, QID, Case, kombo_id, minimal, pick_quick, question, rng


class Id(str):
    def __hash__(self) -> int:
        raise RuntimeError("Id.__hash__ ran")

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("Id.__eq__ ran")


def job() -> list[dict[str, Any]]:
    """One question of every format type, two with preconditions."""
    opts = [
        {"id": OPT, "remote_id": "a", "name": "Python"},
        {"id": OPT2, "remote_id": "b", "name": "Rust"},
    ]
    fmts: list[Any] = [
        {"type": "TEXT", "max_length": 20, "display_type": "EMAIL"},
        {"type": "NUMBER", "min": 0, "max": 10},
        {
            "type": "FILE",
            "accepted_mime_types": ["application/pdf", "image/*"],
            "max_file_size_bytes": 1000,
        },
        {"type": "SINGLE_SELECT", "options": opts},
        {"type": "MULTI_SELECT", "options": copy.deepcopy(opts)},
        {"type": "BOOLEAN"},
        {"type": "DATE"},
        {"type": "INFORMATION"},
        {"type": "UNKNOWN", "raw_question": {"a": [1, 2]}},
        None,
    ]
    qs = [question(kombo_id(i + 1), f, required=i % 2 == 0, index=i) for i, f in enumerate(fmts)]
    qs[6].update(precondition_question_id=kombo_id(4), precondition_options=[OPT])
    qs[1].update(precondition_question_id=kombo_id(6), precondition_options=[True])
    return qs


def answers() -> list[dict[str, Any]]:
    return [
        {"question_id": kombo_id(1), "answer": "ada@example.com"},
        {"question_id": kombo_id(2), "answer": 5},
        {
            "question_id": kombo_id(3),
            "answer": {"name": "a.pdf", "data": "QUFB", "content_type": "application/pdf"},
        },
        {"question_id": kombo_id(4), "answer": "python"},
        {"question_id": kombo_id(5), "answer": [OPT, "Rust"]},
        {"question_id": kombo_id(6), "answer": True},
        {"question_id": kombo_id(7), "answer": "2021-01-01"},
    ]


def restrictions() -> dict[str, Any]:
    cv = {
        "is_supported": True,
        "min_amount": 1,
        "max_amount": 1,
        "max_file_size_bytes": 1000,
        "accepted_mime_types": ["application/pdf", "text/plain"],
    }
    return {
        "total_size_bytes": 2000,
        "types": {"CV": cv, "COVER_LETTER": dict(cv), "OTHER": {"is_supported": False}},
    }


def body() -> dict[str, Any]:
    return {
        **minimal(),
        "screening_question_answers": answers(),
        "attachments": [
            {"name": "cv.txt", "type": "CV", "data": "QUFB", "content_type": "text/plain"}
        ],
    }


HOSTILE: dict[str, Any] = {
    "neg": lambda: -1,
    "neg_big": lambda: -(10**30),
    "zero": lambda: 0,
    "nan": lambda: float("nan"),
    "inf": lambda: float("inf"),
    "neg_inf": lambda: float("-inf"),
    "huge_int": lambda: 10**400,
    "float": lambda: 1.5,
    "true": lambda: True,
    "none": lambda: None,
    "empty_str": lambda: "",
    "str": lambda: "TEXT",
    "lower": lambda: "text",
    "surrogate": lambda: "\ud800",
    "nul": lambda: "\x00",
    "list": lambda: [],
    "list_none": lambda: [None],
    "dict": lambda: {},
    "id_sub": lambda: Id(QID),
    "bytes": lambda: b"x",
    "set": lambda: {1},
    "tuple": lambda: ("a",),
    "object": lambda: object(),
    "long_str": lambda: "x" * 100_000,
    "deep": lambda: _deep(1000),
    "many_strs": lambda: ["a/b"] * 100_000,
    "wildcard": lambda: ["*/*"],
    "bare_ext": lambda: ["pdf", ".docx"],
    "other_id": lambda: kombo_id(99),
    "self_id": lambda: kombo_id(1),
}


def _deep(n: int) -> Any:
    v: Any = "x"
    for _ in range(n):
        v = [v]
    return v


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value (containers and leaves)."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    node = value
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = new
    return value


def chain(n: int, cycle: bool) -> list[dict[str, Any]]:
    """``n`` BOOLEAN questions, each shown only if the previous one is answered true."""
    qs = [question(kombo_id(i + 1), {"type": "BOOLEAN"}, required=True) for i in range(n)]
    for i in range(1, n):
        qs[i].update(precondition_question_id=kombo_id(i), precondition_options=[True])
    if cycle:
        qs[0].update(precondition_question_id=kombo_id(n), precondition_options=[True])
    return qs


def _fixed() -> dict[str, Any]:
    def many_options(n: int) -> list[dict[str, Any]]:
        return [
            question(
                QID,
                {
                    "type": "MULTI_SELECT",
                    "options": [{"id": kombo_id(i), "name": f"o{i % 50}"} for i in range(n)],
                },
            )
        ]

    def chain_body(n: int, answered: int) -> dict[str, Any]:
        return {
            **minimal(),
            "screening_question_answers": [
                {"question_id": kombo_id(i + 1), "answer": True} for i in range(answered)
            ],
        }

    def with_q(qs: Any, b: Any = None) -> dict[str, Any]:
        return {"questions": qs, "body": b if b is not None else body()}

    def with_r(rs: Any) -> dict[str, Any]:
        return {"restrictions": rs, "body": body()}

    mimes = {
        "is_supported": True,
        "accepted_mime_types": [f"type{i}/sub{i}" for i in range(100_000)],
    }
    return {
        "chain_10000": lambda: with_q(chain(10_000, False), chain_body(10_000, 10_000)),
        "chain_10000_half": lambda: with_q(chain(10_000, False), chain_body(10_000, 5_000)),
        "chain_10000_none": lambda: with_q(chain(10_000, False), minimal()),
        "cycle_2": lambda: with_q(chain(2, True), chain_body(2, 2)),
        "cycle_10000": lambda: with_q(chain(10_000, True), chain_body(10_000, 3)),
        "self_precondition": lambda: with_q(
            [
                question(
                    QID,
                    {"type": "BOOLEAN"},
                    precondition_question_id=QID,
                    precondition_options=[True],
                )
            ]
        ),
        "options_100000": lambda: with_q(
            many_options(100_000),
            {
                **minimal(),
                "screening_question_answers": [{"question_id": QID, "answer": ["o1", "o2"]}],
            },
        ),
        "mimes_100000": lambda: with_r({"types": {"CV": mimes}}),
        "mimes_100000_question": lambda: with_q(
            [question(QID, {"type": "FILE", "accepted_mime_types": mimes["accepted_mime_types"]})],
            {
                **minimal(),
                "screening_question_answers": [
                    {
                        "question_id": QID,
                        "answer": {
                            "name": "a.pdf",
                            "data": "QUFB",
                            "content_type": "application/pdf",
                        },
                    }
                ],
            },
        ),
        "questions_deep_1000": lambda: with_q(_deep(1000)),
        "job_deep_1000": lambda: with_q({"screening_questions": _deep(1000)}),
        "restrictions_deep_1000": lambda: with_r(_deep(1000)),
        "duplicate_ids": lambda: with_q(job() + job()),
        "questions_10000": lambda: with_q(
            [question(kombo_id(i), {"type": "TEXT"}) for i in range(10_000)]
        ),
        "questions_str": lambda: with_q("not a list"),
        "questions_set": lambda: with_q({1, 2}),
        "questions_generator": lambda: with_q(iter(job())),
        "jobs_response": lambda: with_q(
            {
                "status": "success",
                "data": {"results": [{"id": "j", "screening_questions": job()}] * 50},
            }
        ),
        "restrictions_list": lambda: with_r([restrictions()]),
        "restrictions_str": lambda: with_r("CV"),
        "restrictions_min_gt_max": lambda: with_r(
            {"types": {"CV": {"is_supported": True, "min_amount": 5, "max_amount": 1}}}
        ),
    }


REFS = (
    "https://example.com/schema.json",
    "http://169.254.169.254/latest/meta-data/",
    "//example.com/x.json#/a",
    "file:///etc/passwd",
    "urn:example:x",
    "#/components/schemas/Nope",
    "#/components/schemas/PostAtsJobsJobIdApplicationsRequestBody",  # a cycle
    "other.yaml#/x",
)


def spec_with(where: str, ref: str) -> dict[str, Any]:
    """The bundled document with a ``$ref`` to ``ref`` at ``where``."""
    import yaml

    from kombo_validate.spec import bundled_spec_path

    with open(bundled_spec_path(), encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    body = doc["components"]["schemas"]["PostAtsJobsJobIdApplicationsRequestBody"]
    if where == "candidate":
        body["properties"]["candidate"] = {"$ref": ref}
    elif where == "root":
        op = doc["paths"]["/ats/jobs/{job_id}/applications"]["post"]
        op["requestBody"]["content"]["application/json"]["schema"] = {"$ref": ref}
    elif where == "request_body":
        op = doc["paths"]["/ats/jobs/{job_id}/applications"]["post"]
        op["requestBody"] = {"$ref": ref}
    else:  # an allOf beside the real properties
        body.setdefault("allOf", []).append({"$ref": ref})
    return doc


#: fixed cases whose inputs take a second or more to build and snapshot
HEAVY_FIXED = {
    "chain_10000_half",
    "chain_10000_none",
    "cycle_10000",
    "options_100000",
    "mimes_100000_question",
    "questions_10000",
}


def cases() -> list[Case]:
    r = rng("context")
    out: list[Case] = []
    for ref in REFS:
        for where in ("candidate", "root", "request_body", "all_of"):

            def build_spec(where: str = where, ref: str = ref) -> dict[str, Any]:
                return {"spec": spec_with(where, ref)}

            out.append(Case(f"spec/{where}/{ref}", "spec", build_spec, quick=where == "root"))
    for path in ("https://example.com/openapi.yaml", "http://127.0.0.1:9/spec.json", "/dev/zero"):
        out.append(Case(f"spec/path/{path}", "spec", lambda path=path: {"spec": path}))
    for name, mk in _fixed().items():
        kind = (
            "restrictions"
            if name.startswith(("mimes_100000", "restrictions")) and ("question" not in name)
            else "questions"
        )
        quick = name not in HEAVY_FIXED  # the quick run keeps one of each size
        out.append(Case(f"fixed/{name}", kind, mk, quick=quick))
        out.append(Case(f"fixed/{name}:check", "check", mk))
    q_paths, r_paths = _paths(job()), _paths(restrictions())
    hostile = sorted(HOSTILE)
    for i in range(2600):
        on_q = r.random() < 0.6
        path = r.choice(q_paths if on_q else r_paths)
        hname = r.choice(hostile)
        kind = r.choice(
            ["questions", "check", "check", "prepare", "request"]
            if on_q
            else ["restrictions", "check", "check", "prepare"]
        )

        def build(on_q: bool = on_q, path: Any = path, hname: str = hname) -> dict[str, Any]:
            if on_q:
                return {"questions": _set(job(), path, HOSTILE[hname]()), "body": body()}
            return {"restrictions": _set(restrictions(), path, HOSTILE[hname]()), "body": body()}

        where = "/".join(map(str, path))
        tags = ("slow",) if hname == "many_strs" else ()
        out.append(
            Case(f"{'q' if on_q else 'r'}{i}/{where}/{hname}:{kind}", kind, build, tags=tags)
        )
    return pick_quick(out, 50, also=["q2427/9/precondition_options/many_strs:questions"])
