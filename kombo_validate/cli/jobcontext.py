"""``--questions FILE [--job-id ID]`` and ``--restrictions FILE`` → ``check``'s context.

The files are JSON or YAML, read with the fixture loaders. ``--questions``
takes the job's ``screening_questions`` list, a job object, a list of jobs,
or a whole ``GET /ats/jobs`` response (``data.results``): with several jobs,
``--job-id`` picks one by ``id`` (or ``remote_id``). ``--restrictions`` takes
``data.attachment_restrictions`` of ``GET /ats/actions/ats_create_application``
or that whole response. Anything wrong here is a usage error
(:class:`OptionError`, exit code 2): the fixtures were never checked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .loaders import FILE_CODES, kind_of, load_file

__all__ = ["OptionError", "load_context_file", "pick_questions"]


class OptionError(Exception):
    """A command-line option names something unusable (exit code 2)."""


def load_context_file(path: str, option: str) -> object:
    """The one JSON/YAML document in ``path``, or :class:`OptionError`."""
    kind = kind_of(path)
    loaded = load_file(path, "json" if kind == "json" else "yaml")
    errors = [f for f in loaded.findings if f.is_error]
    if errors:
        first = errors[0]
        where = "" if first.code in FILE_CODES else f":{first.line}:{first.column}"
        raise OptionError(f"{option} {path}{where}: {first.message}")
    if len(loaded.documents) != 1:
        raise OptionError(f"{option} {path}: expected one document, found {len(loaded.documents)}")
    return loaded.documents[0].data


def _jobs(data: object) -> list[Any] | None:
    """The jobs in a GET /ats/jobs response (or its ``data``, or a list of jobs)."""
    if isinstance(data, Mapping):
        inner = data.get("data")
        results = (inner if isinstance(inner, Mapping) else data).get("results")
        if isinstance(results, list):
            return results
        return None
    if (
        isinstance(data, list)
        and data
        and all(isinstance(job, Mapping) and "screening_questions" in job for job in data)
    ):
        return data
    return None


def pick_questions(data: object, job_id: str | None, path: str) -> object:
    """What to pass as ``questions=``: the chosen job's ``screening_questions``."""
    jobs = _jobs(data)
    if jobs is None:
        if isinstance(data, Mapping) and "screening_questions" in data:
            jobs = [data]
        elif job_id is not None:
            raise OptionError(f"--job-id {job_id}: {path} holds questions, not jobs")
        else:
            return data
    if job_id is not None:
        chosen = [
            job
            for job in jobs
            if isinstance(job, Mapping) and job_id in (job.get("id"), job.get("remote_id"))
        ]
        if not chosen:
            raise OptionError(f"--job-id {job_id}: no such job among the {len(jobs)} in {path}")
        job = chosen[0]
    elif len(jobs) == 1:
        job = jobs[0]
    else:
        raise OptionError(f"--questions {path} holds {len(jobs)} jobs: pick one with --job-id")
    if not isinstance(job, Mapping) or "screening_questions" not in job:
        raise OptionError(f"--questions {path}: the job has no screening_questions")
    return job["screening_questions"]
