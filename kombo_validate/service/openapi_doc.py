"""The service's own OpenAPI 3.1 document (``GET /openapi.json``)."""

from __future__ import annotations

from typing import Any

from .._version import __version__
from .registry import Registry

__all__ = ["document"]

_ISSUE = {
    "type": "object",
    "required": ["path", "code", "severity", "message"],
    "properties": {
        "path": {"type": "string", "description": "JSON Pointer (#path/… for parameters)"},
        "code": {"type": "string", "examples": ["email.invalid"]},
        "severity": {"enum": ["error", "warning"]},
        "message": {"type": "string"},
    },
}
_REPORT = {
    "type": "object",
    "required": ["operation", "ok", "issues", "changes", "body"],
    "properties": {
        "operation": {"type": "string"},
        "ok": {"type": "boolean"},
        "issues": {"type": "array", "items": {"$ref": "#/components/schemas/Issue"}},
        "changes": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "path": {"type": "string"},
                    "before": {},
                    "after": {},
                    "reason": {"type": "string"},
                    "removed": {"type": "boolean"},
                },
            },
        },
        "body": {"type": ["object", "null"], "description": "the wire-ready body, or null"},
        "format": {
            "enum": ["json", "yaml"],
            "description": "with text: how the text was read",
        },
        "lines": {
            "type": "object",
            "additionalProperties": {"type": "integer"},
            "description": "with text: the 1-based line of each issue's and change's path "
            "(a missing member: the line of its nearest parent that is there)",
        },
    },
}
_REQUEST = {
    "type": "object",
    "oneOf": [{"required": ["body"]}, {"required": ["text"]}],
    "additionalProperties": False,
    "properties": {
        "operation": {
            "type": "string",
            "description": "operationId or 'METHOD /path' (default: Create application)",
        },
        "body": {"description": "the request body to check"},
        "text": {
            "type": "string",
            "description": "instead of body: the body as JSON or YAML text (YAML loaded "
            "safely, plain scalars read as JSON reads them); the report then has lines",
        },
        "format": {"enum": ["auto", "json", "yaml"], "description": "of text (default: auto)"},
        "questions": {"description": "the job's screening_questions (or the job)"},
        "questions_text": {
            "type": "string",
            "description": "instead of questions: them as JSON or YAML text",
        },
        "restrictions": {"description": "attachment_restrictions of the integration"},
    },
}
_ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}


def _json(ref: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


def _post(summary: str, ok: str, extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "requestBody": {"required": True, **_json("CheckRequest", "")},
            "responses": {
                "200": _json("Report", ok),
                **extra,
                "400": _json("Error", "not JSON, wrong shape, unknown operation, bad context"),
                "413": _json("Error", "larger than --max-body-mb"),
                "503": _json("Error", "--max-inflight-mb of bodies held already (Retry-After)"),
            },
        }
    }


def document(registry: Registry, proxying: bool) -> dict[str, Any]:
    ops = ", ".join(r.id or f"{r.method.upper()} {r.path}" for r in registry.refs[:20])
    proxy = (
        "Every other path is forwarded to the configured upstream (checked first when it is "
        "a write operation of the spec)."
        if proxying
        else "No upstream is configured: only these paths are served."
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "kombo-validate serve",
            "version": __version__,
            "description": f"Checks Kombo request bodies against {registry.source} ({ops}). "
            + proxy,
        },
        "paths": {
            "/v1/check": _post("Check a body: the report, whatever the verdict", "the report", {}),
            "/v1/prepare": _post(
                "The wire-ready body of a valid request",
                "the report of a valid body",
                {"422": _json("Report", "the body has errors")},
            ),
            "/v1/operations": {
                "get": {
                    "summary": "The write operations of the loaded spec",
                    "responses": {"200": {"description": "the operations"}},
                }
            },
            "/healthz": {
                "get": {"summary": "Liveness", "responses": {"200": {"description": "up"}}}
            },
        },
        "components": {
            "schemas": {
                "CheckRequest": _REQUEST,
                "Report": _REPORT,
                "Issue": _ISSUE,
                "Error": _ERROR,
            }
        },
    }
