"""Batches of payloads: a plain loop, a Dask partition, a Dask bag.

One result per record, in input order, each a plain dict that pickles and
serialises anywhere::

    {"ok": True, "issues": [{"path", "code", "severity", "message"}, ...]}
    # with wire=True also "changes" (dicts) and "body" (the wire dict, None unless ok)

A record is a payload (a dict, as :meth:`Validator.check` takes it) or its JSON
text (``str`` or UTF-8 ``bytes``, one NDJSON line say). Text that does not parse
is a result with one ``record.not_json`` issue at ``""``, never a failed task.

The Validator travels to Dask workers as its recipe (the spec, the operation,
the engine) and is built **once per worker process**, never per record or per
partition: :class:`Shipped` carries it and a small per-process table, keyed by
the recipe's digest, keeps what was built. Dask itself is imported only by
:func:`check_bag` (the ``dask`` extra).
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from .api import Validator, default_validator
from .issues import Issue, excerpt
from .jsontext import loads

__all__ = ["Shipped", "check_bag", "check_partition", "check_record", "check_records"]

#: how many distinct Validators one worker process keeps (recipes of one run: usually 1)
_KEPT = 4
_built: OrderedDict[str, Validator] = OrderedDict()
_built_lock = threading.Lock()


class Shipped:
    """A :class:`Validator` that pickles as its recipe and is built once per process.

    ``Shipped(v).get()`` in the process that made it is ``v`` itself; in a
    worker, the first ``get()`` builds the Validator from the recipe and later
    ones (every partition, every task of the run) return that same object.
    """

    __slots__ = ("_digest", "_recipe", "_validator")

    def __init__(self, validator: Validator) -> None:
        recipe = validator.__reduce__()
        self._recipe: tuple[Any, ...] = recipe
        self._digest = hashlib.sha256(pickle.dumps(recipe[1], protocol=4)).hexdigest()
        self._validator: Validator | None = validator

    def __reduce__(self) -> tuple[Any, ...]:
        return (_unship, (self._recipe, self._digest))

    def __repr__(self) -> str:
        return f"<Shipped {self._digest[:12]}>"

    def __dask_tokenize__(self) -> str:
        return self._digest

    @property
    def digest(self) -> str:
        """The recipe's SHA-256: equal for Validators of the same spec, operation and engine."""
        return self._digest

    def get(self) -> Validator:
        """The Validator, built on first use in this process."""
        if self._validator is None:
            self._validator = _validator_for(self._recipe, self._digest)
        return self._validator


def _unship(recipe: tuple[Any, ...], digest: str) -> Shipped:
    shipped = Shipped.__new__(Shipped)
    shipped._recipe, shipped._digest, shipped._validator = recipe, digest, None
    return shipped


def _validator_for(recipe: tuple[Any, ...], digest: str) -> Validator:
    with _built_lock:
        validator = _built.get(digest)
        if validator is None:
            build, args = recipe
            validator = build(*args)
            _built[digest] = validator
            while len(_built) > _KEPT:
                _built.popitem(last=False)
        else:
            _built.move_to_end(digest)
        return validator


def check_record(
    record: Any,
    validator: Validator | None = None,
    *,
    wire: bool = False,
    questions: Any = None,
    restrictions: Any = None,
) -> dict[str, Any]:
    """The result dict of one record (see the module docstring)."""
    v = validator if validator is not None else default_validator()
    if isinstance(record, (str, bytes, bytearray)):
        try:
            record = loads(bytes(record) if isinstance(record, bytearray) else record)
        except (ValueError, RecursionError) as exc:
            return _not_json(record, exc, wire)
        report = v._check_decoded(record, questions=questions, restrictions=restrictions)
    else:
        report = v.check(record, questions=questions, restrictions=restrictions)
    result: dict[str, Any] = {"ok": report.ok, "issues": [i.to_dict() for i in report.issues]}
    if wire:
        result["changes"] = [c.to_dict() for c in report.changes]
        result["body"] = report.body
    return result


def _not_json(record: str | bytes | bytearray, exc: Exception, wire: bool) -> dict[str, Any]:
    what = "UTF-8 JSON" if isinstance(record, (bytes, bytearray)) else "JSON"
    reason = str(exc).split(":", 1)[0] if isinstance(exc, ValueError) else "nested too deeply"
    issue = Issue(
        "",
        "record.not_json",
        f"The record is not {what} ({reason}): {excerpt(record)}.",
    )
    result: dict[str, Any] = {"ok": False, "issues": [issue.to_dict()]}
    if wire:
        result["changes"], result["body"] = [], None
    return result


def check_records(
    records: Iterable[Any],
    validator: Validator | None = None,
    *,
    wire: bool = False,
    questions: Any = None,
    restrictions: Any = None,
) -> Iterator[dict[str, Any]]:
    """One result per record, lazily, in order: the sequential loop."""
    v = validator if validator is not None else default_validator()
    for record in records:
        yield check_record(record, v, wire=wire, questions=questions, restrictions=restrictions)


def check_partition(
    records: Iterable[Any],
    validator: Validator | Shipped | None = None,
    *,
    wire: bool = False,
    questions: Any = None,
    restrictions: Any = None,
) -> list[dict[str, Any]]:
    """The results of one partition, for ``bag.map_partitions`` or Spark's ``mapPartitions``.

    Pass a :class:`Shipped` (or a Validator: it is wrapped) so that a worker
    builds the Validator once for all its partitions.
    """
    if isinstance(validator, Shipped):
        v: Validator | None = validator.get()
    else:
        v = validator
    return list(
        check_records(records, v, wire=wire, questions=questions, restrictions=restrictions)
    )


def check_bag(
    bag: Any,
    validator: Validator | None = None,
    *,
    wire: bool = False,
    questions: Any = None,
    restrictions: Any = None,
) -> Any:
    """A ``dask.bag.Bag`` of results, one per record of ``bag``, in its order.

    ``bag`` holds records (dicts or JSON text: ``dask.bag.read_text("*.ndjson")``
    gives lines). Nothing runs until you compute the result (``.compute()``,
    ``.to_textfiles()``, ``client.compute``); on a ``dask.distributed`` cluster
    the Validator is built once per worker process.
    """
    import dask.bag  # noqa: F401  (the dask extra; a clear ImportError without it)

    shipped = Shipped(validator if validator is not None else default_validator())
    return bag.map_partitions(
        check_partition,
        shipped,
        wire=wire,
        questions=questions,
        restrictions=restrictions,
    )
