"""The ``kombo-validate`` command line: lint payload fixtures in CI and pre-commit.

Modules, each small: :mod:`.loaders` (files → documents with positions, via
:mod:`.jsonpos` and :mod:`.yamlload`), :mod:`.discover` (paths → files),
:mod:`.jobcontext` (``--questions``/``--restrictions``), :mod:`.lint` (one
file → findings, in a process pool), :mod:`.fix` (``--fix``),
:mod:`.reporters` (``--format``), :mod:`.options` (argparse) and
:mod:`.commands`; :func:`main` ties them together.
"""

from __future__ import annotations

from .main import main

__all__ = ["main"]
