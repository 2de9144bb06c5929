"""The command line against special files and encodings: FIFOs, ``/dev/zero`` behind a
``.json`` name, symlink loops under a globbed directory, UTF-16/UTF-32/latin-1/BOM files,
NUL bytes, CRLF, a 10 MB single-line JSON, 100,000-deep arrays, YAML bombs and odd
file names — through ``lint``, ``check`` and ``prepare`` in every ``--format``.

Never a traceback, an exit status outside 0/1/2, or a hang; ``--format json``/``sarif``
print one JSON document and ``junit`` one XML document whatever the files hold.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from typing import Any

from .base import Case, example, pick_quick, rng

VALID = json.dumps(example()).encode()
FIXABLE = json.dumps({**example(), "candidate": {**example()["candidate"], "gender": "male"}})
ERR = {1}
ANY = None


def write(tmp: str, name: str, data: bytes) -> str:
    path = os.path.join(tmp, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return name


def _fifo(tmp: str, name: str) -> str:
    os.makedirs(os.path.dirname(os.path.join(tmp, name)), exist_ok=True)
    os.mkfifo(os.path.join(tmp, name))
    return name


def _link(tmp: str, name: str, target: str) -> str:
    os.makedirs(os.path.dirname(os.path.join(tmp, name)), exist_ok=True)
    os.symlink(target, os.path.join(tmp, name))
    return name


def _deep_json(n: int) -> bytes:
    return b"[" * n + b"]" * n


def _files() -> dict[str, tuple[Callable[[str], list[str]], Any]]:
    """name -> (setup(tmp) -> the path arguments, the exit statuses it may end with)."""
    w = write
    big = json.dumps(
        {
            **example(),
            "attachments": [
                {
                    "name": "a.txt",
                    "type": "CV",
                    "content_type": "text/plain",
                    "data": base64.b64encode(b"\x00" * 7_400_000).decode(),
                }
            ],
        }
    ).encode()
    return {
        "valid": (lambda t: [w(t, "ok.json", VALID)], {0}),
        "fifo": (lambda t: [_fifo(t, "pipe.json")], ERR),
        "fifo_in_dir": (
            lambda t: [w(t, "d/ok.json", VALID), _fifo(t, "d/pipe.json"), "d"][-1:],
            ERR,
        ),
        "fifo_glob": (lambda t: [_fifo(t, "g/p.json"), "g/*.json"][-1:], ERR),
        "dev_zero_link": (lambda t: [_link(t, "zero.json", "/dev/zero")], ERR),
        "dev_urandom_link": (lambda t: [_link(t, "random.yaml", "/dev/urandom")], ERR),
        "dev_null_link": (lambda t: [_link(t, "null.json", "/dev/null")], ERR),
        "dev_zero": (lambda t: ["/dev/zero"], ERR),
        "proc_self": (lambda t: ["/proc/self/status"], ERR),
        "link_loop_glob": (
            lambda t: [
                w(t, "l/a/ok.json", VALID),
                _link(t, "l/a/loop", ".."),
                _link(t, "l/self", "."),
                "l/**/*.json",
            ][-1:],
            {0},
        ),
        "link_loop_dir": (
            lambda t: [w(t, "m/ok.json", VALID), _link(t, "m/up", ".."), "m"][-1:],
            {0},
        ),
        "link_cycle_file": (
            lambda t: [_link(t, "a.json", "b.json"), _link(t, "b.json", "a.json"), "a.json"][-1:],
            ERR,
        ),
        "dangling_link": (lambda t: [_link(t, "gone.json", "nowhere.json")], ERR),
        "dir_named_json": (lambda t: [os.makedirs(os.path.join(t, "x.json")) or "x.json"], ANY),
        "utf16_bom": (lambda t: [w(t, "u16.json", VALID.decode().encode("utf-16"))], ERR),
        "utf16_le": (lambda t: [w(t, "u16le.json", VALID.decode().encode("utf-16-le"))], ERR),
        "utf32": (lambda t: [w(t, "u32.json", VALID.decode().encode("utf-32"))], ERR),
        "utf16_yaml": (
            lambda t: [w(t, "u16.yaml", b"candidate: {}\n".decode().encode("utf-16"))],
            ERR,
        ),
        "latin1": (
            lambda t: [w(t, "l1.json", VALID.replace(b"Frank", "Zoë".encode("latin-1")))],
            ERR,
        ),
        "utf8_bom": (lambda t: [w(t, "bom.json", b"\xef\xbb\xbf" + VALID)], ANY),
        "utf8_bom_yaml": (lambda t: [w(t, "bom.yaml", b"\xef\xbb\xbfcandidate: {}\n")], ERR),
        "cesu_surrogate": (
            lambda t: [w(t, "s.json", VALID.replace(b"Frank", b"\xed\xa0\x80"))],
            ERR,
        ),
        "escaped_surrogate": (lambda t: [w(t, "e.json", VALID.replace(b"Frank", b"\\ud800"))], ERR),
        "overlong_utf8": (lambda t: [w(t, "o.json", VALID.replace(b"Frank", b"\xc0\xaf"))], ERR),
        "nul_bytes": (lambda t: [w(t, "nul.json", VALID + b"\x00\x00")], ERR),
        "nul_in_string": (lambda t: [w(t, "nul2.json", VALID.replace(b"Frank", b"Fr\x00nk"))], ERR),
        "nul_escaped": (
            lambda t: [w(t, "nul3.json", VALID.replace(b"Frank", b"Fr\\u0000nk"))],
            ANY,
        ),
        "nul_yaml": (lambda t: [w(t, "nul.yaml", b"candidate:\n  first_name: a\x00b\n")], ERR),
        "crlf_json": (
            lambda t: [
                w(t, "crlf.json", json.dumps(example(), indent=2).encode().replace(b"\n", b"\r\n"))
            ],
            {0},
        ),
        "crlf_yaml": (lambda t: [w(t, "crlf.yaml", b"candidate:\r\n  first_name: A\r\n")], ERR),
        "crlf_ndjson": (lambda t: [w(t, "crlf.ndjson", VALID + b"\r\n" + VALID + b"\r\n")], {0}),
        "cr_only": (lambda t: [w(t, "cr.yaml", b"candidate:\r  first_name: A\r")], ERR),
        "big_single_line": (lambda t: [w(t, "big.json", big)], ANY),
        "deep_json_100k": (lambda t: [w(t, "deep.json", _deep_json(100_000))], ERR),
        "deep_yaml_10k": (lambda t: [w(t, "deep.yaml", b"[" * 10_000 + b"]" * 10_000)], ERR),
        "deep_ndjson": (lambda t: [w(t, "deep.ndjson", _deep_json(50_000) + b"\n" + VALID)], ERR),
        "billion_laughs": (lambda t: [w(t, "bomb.yaml", _laughs())], ERR),
        "python_tag": (
            lambda t: [w(t, "tag.yaml", b"!!python/object/apply:os.system ['true']")],
            ERR,
        ),
        "nan_literal": (lambda t: [w(t, "nan.json", VALID.replace(b"100000", b"NaN"))], ERR),
        "huge_number": (lambda t: [w(t, "n.json", VALID.replace(b"100000", b"1" * 5000))], ERR),
        "exp_number": (lambda t: [w(t, "n.json", VALID.replace(b"100000", b"1e400"))], ERR),
        "duplicate_keys": (lambda t: [w(t, "dup.json", VALID[:-1] + b', "stage_id": "x"}')], ANY),
        "empty": (lambda t: [w(t, "empty.json", b"")], ERR),
        "whitespace": (lambda t: [w(t, "ws.yaml", b" \n\t\n")], ERR),
        "null_doc": (lambda t: [w(t, "null.json", b"null")], ERR),
        "array_doc": (lambda t: [w(t, "arr.json", b"[" + VALID + b"]")], ERR),
        "truncated": (lambda t: [w(t, "cut.json", VALID[:-7])], ERR),
        "ndjson_2k": (lambda t: [w(t, "many.ndjson", (VALID + b"\n") * 2_000)], {0}),
        "yaml_1mb_key": (lambda t: [w(t, "k.yaml", b"k" * 1_000_000 + b": 1\n")], ERR),
        "name_newline": (lambda t: [w(t, "a\nb::error::x.json", VALID)], {0}),
        "name_bidi": (lambda t: [w(t, "\u202enosj.json", b"{}")], ERR),
        "name_ansi": (lambda t: [w(t, "\x1b[31mred.json", b"{}")], ERR),
        "name_long": (lambda t: [w(t, "d" * 200 + "/" + "e" * 200 + ".json", VALID)], {0}),
        "no_suffix": (lambda t: [w(t, "payload.txt", VALID)], ANY),
        "missing": (lambda t: ["nope.json"], ERR),
        "glob_nothing": (lambda t: ["none/**/*.json"], ERR),
        "stdin_utf16": (lambda t: ["-", w(t, ".stdin", VALID.decode().encode("utf-16"))][:1], ERR),
        "stdin_nul": (lambda t: ["-", w(t, ".stdin", b"\x00" * 1000)][:1], ERR),
        "stdin_deep": (lambda t: ["-", w(t, ".stdin", _deep_json(100_000))][:1], ERR),
        "stdin_valid": (lambda t: ["-", w(t, ".stdin", VALID)][:1], {0}),
        "questions_fifo": (
            lambda t: [
                w(t, "ok.json", VALID),
                _fifo(t, "q.json"),
                "--questions",
                "q.json",
                "ok.json",
            ][2:],
            {1, 2},
        ),
        "restrictions_dev_zero": (
            lambda t: [
                w(t, "ok.json", VALID),
                _link(t, "r.json", "/dev/zero"),
                "--restrictions",
                "r.json",
                "ok.json",
            ][2:],
            {1, 2},
        ),
        "spec_utf16": (
            lambda t: [
                w(t, "ok.json", VALID),
                w(t, "s.yaml", "openapi: 3.1.0".encode("utf-16")),
                "--spec",
                "s.yaml",
                "ok.json",
            ][2:],
            {1, 2},
        ),
        "spec_url": (
            lambda t: [
                w(t, "ok.json", VALID),
                "--spec",
                "https://example.com/openapi.yaml",
                "ok.json",
            ][1:],
            {1, 2},
        ),
        "questions_url": (
            lambda t: [
                w(t, "ok.json", VALID),
                "--questions",
                "http://127.0.0.1:9/q.json",
                "ok.json",
            ][1:],
            {1, 2},
        ),
        "questions_deep": (
            lambda t: [
                w(t, "ok.json", VALID),
                w(t, "q.json", _deep_json(100_000)),
                "--questions",
                "q.json",
                "ok.json",
            ][2:],
            {1, 2},
        ),
    }


def _laughs() -> bytes:
    lines = [b'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9).encode()
        lines.append(f"a{i}: &a{i} [".encode() + refs + b"]")
    return b"\n".join(lines) + b"\n"


#: cases naming a directory or a glob (only lint walks them)
WALKED = {"link_loop_glob", "link_loop_dir"}
FORMATS = ("text", "json", "github", "sarif", "junit")


def cli_case(
    name: str,
    setup: Callable[[str], list[str]],
    command: str,
    fmt: str,
    exits: Any,
    *,
    quick: bool = False,
    extra: tuple[str, ...] = (),
) -> Case:
    if command != "lint" and exits == {0} and name in WALKED:
        exits = ERR  # check and prepare take files: a directory or glob is not one

    def make(tmp: str) -> dict[str, Any]:
        args = setup(tmp)
        spec: dict[str, Any] = {"argv": [command, *extra, "--format", fmt, *args]}
        if "-" in args:
            spec["stdin_path"] = os.path.join(tmp, ".stdin")
        if exits is not None:
            spec["exit"] = exits | ({2} if exits == {1, 2} else set())
        if command != "prepare" or fmt != "text":
            spec["stdout_format"] = fmt if command != "prepare" else None
        return spec

    return Case(f"{command}/{fmt}/{name}", "cli", make, quick=quick)


def cases() -> list[Case]:
    r = rng("cli_files")
    out: list[Case] = []
    core = {
        "fifo",
        "dev_zero_link",
        "link_loop_glob",
        "utf16_bom",
        "nul_bytes",
        "big_single_line",
        "crlf_json",
    }
    for name, (setup, exits) in _files().items():
        for command in ("lint", "check", "prepare"):
            fmts = (
                ["text", *r.sample(FORMATS[1:], 2)] if command == "lint" else r.sample(FORMATS, 1)
            )
            for fmt in fmts:
                quick = name in core and command == "lint" and fmt == "text"
                out.append(cli_case(name, setup, command, fmt, exits, quick=quick))
        extras = (("--strict",), ("--jobs", "2"), ("--quiet",), ("--input-format", "yaml"))
        for extra in r.sample(extras, 2):
            out.append(
                cli_case(
                    f"{name}{''.join(extra)}",
                    setup,
                    "lint",
                    r.choice(FORMATS),
                    exits if extra[0] != "--strict" else ANY,
                    extra=extra,
                )
            )
    return pick_quick(
        out, 60, also=["lint/text/huge_number", "check/text/huge_number", "lint/text/deep_yaml_10k"]
    )
