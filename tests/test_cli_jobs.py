"""``lint --jobs``: the pool's results are the serial ones, whatever the workers send back."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from kombo_validate import Validator


def _bad(example: dict[str, Any]) -> dict[str, Any]:
    body = copy.deepcopy(example)
    body["candidate"]["email_address"] = "not an email"
    return body


def test_lint_files_in_a_pool_give_the_serial_results(
    tmp_path: Path, example: dict[str, Any]
) -> None:
    """Workers send a clean file back as its payload count: the results are the same."""
    from kombo_validate.cli.lint import LintOptions, State, lint_files

    files = []
    for i in range(12):
        body = _bad(example) if i % 4 == 0 else example
        path = tmp_path / f"{i:02d}.json"
        path.write_text(json.dumps(body), encoding="utf-8")
        files.append(str(path))
    state = State(LintOptions(), Validator(), None, None)
    serial = list(lint_files(files, state, 1))
    pooled = list(lint_files(files, state, 2))
    assert pooled == serial
    assert [r.payloads for r in pooled] == [1] * 12
    assert [bool(r.findings) for r in pooled] == [i % 4 == 0 for i in range(12)]
    assert ("/candidate/email_address", "email.invalid") in [
        (f.path, f.code) for f in pooled[0].findings
    ]
