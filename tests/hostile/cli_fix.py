"""``lint --fix`` under faults: a read-only file, a read-only directory, ``RLIMIT_FSIZE``
below the rewritten file's size (a full disk), a symlinked fixture, in JSON, YAML (with
comments and anchors) and NDJSON. A fix that cannot be made leaves every file in the
directory exactly as it was (no half-written file, no temporary file left behind), says
so (``fix.failed``, exit 1), and never prints a traceback; with no fault the fix is made.
"""

from __future__ import annotations

import json
import os
from typing import Any

from .base import Case, example, pick_quick, rng
from .cli_files import FORMATS


def _fixable(pad: int) -> dict[str, Any]:
    body = example()
    body["candidate"]["gender"] = "male"  # canonical: MALE
    body["candidate"]["location"]["country"] = "Germany"  # canonical: DE
    body["remote_fields"] = {"note": "x" * pad}
    return body


def _fixtures(pad: int) -> dict[str, tuple[str, bytes]]:
    body = _fixable(pad)
    yaml_lines = [
        "# a comment that must survive",
        "candidate:",
        "  first_name: Ada",
        "  last_name: Lovelace",
        "  email_address: ada@example.com",
        "  gender: female",
        "  location: &loc",
        "    country: Germany",
        f"remote_fields: {{note: {'x' * pad}}}",
    ]
    return {
        "json": ("f.json", json.dumps(body, indent=2).encode()),
        "json_one_line": ("f.json", json.dumps(body).encode()),
        "yaml": ("f.yaml", "\n".join(yaml_lines).encode() + b"\n"),
        "ndjson": ("f.ndjson", (json.dumps(body) + "\n").encode() * 3),
        "crlf_json": ("f.json", json.dumps(body, indent=2).replace("\n", "\r\n").encode()),
    }


FAULTS = ("none", "ro_file", "ro_dir", "fsize", "fsize_tiny", "ro_file_and_dir")


def fix_case(
    kind: str, fault: str, fmt: str, link: bool, extra: tuple[str, ...], quick: bool = False
) -> Case:
    def make(tmp: str) -> dict[str, Any]:
        pad = 100_000 if fault.startswith("fsize") else 100
        name, data = _fixtures(pad)[kind]
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        target = os.path.join(work, name)
        with open(target, "wb") as f:
            f.write(data)
        arg = os.path.join("work", name)
        if link:  # the fixture is a link to the file; the file is replaced, the link kept
            arg = os.path.join("work", "link" + os.path.splitext(name)[1])
            os.symlink(name, os.path.join(tmp, arg))
        if fault in ("ro_file", "ro_file_and_dir"):
            os.chmod(target, 0o444)
        if fault in ("ro_dir", "ro_file_and_dir"):
            os.chmod(work, 0o555)
        spec: dict[str, Any] = {
            "argv": ["lint", "--fix", *extra, "--format", fmt, arg],
            "permissions": True,  # as root: without CAP_DAC_OVERRIDE, so that 0o444 binds
            "stdout_format": fmt,
        }
        if fault.startswith("fsize"):
            spec["fsize"] = 50_000 if fault == "fsize" else 1
            spec["argv"].insert(2, "--quiet")  # keep stdout under the file size limit
        if fault != "none":
            spec["unchanged"] = work
            spec["exit"] = {1}
        else:
            spec["exit"] = {0, 1} if "--strict" in extra else {0}  # strict: warnings fail
            spec["fixed"] = target
        return spec

    return Case(
        f"{kind}/{fault}/{fmt}{'/link' if link else ''}{''.join(extra)}", "cli", make, quick=quick
    )


def cases() -> list[Case]:
    r = rng("cli_fix")
    out: list[Case] = []
    for kind in _fixtures(0):
        for fault in FAULTS:
            for fmt in ["text", r.choice(FORMATS[1:])]:
                for link in (False, True):
                    extra = r.choice([(), (), ("--strict",), ("--jobs", "2")])
                    quick = fmt == "text" and not link and kind in ("json", "yaml")
                    out.append(fix_case(kind, fault, fmt, link, extra, quick=quick))
    return pick_quick(out, 1000)
