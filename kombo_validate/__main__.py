"""``python -m kombo_validate``: the ``kombo-validate`` command line."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
