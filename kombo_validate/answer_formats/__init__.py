"""How each screening question's format checks an answer (``questions`` compiles them).

One frozen checker per ``format.type`` of the spec (:data:`FORMATS`, in
``registry``; one module per kind of answer): ``fine`` says an answer is
plainly right and stays as it is (most answers, no call beyond it), ``strict``
says the same as a JSON Schema (``answers_fast`` proves whole answer lists with
it), and ``check`` reports into a :class:`Run` and returns the answer to send
(an option name becomes its id, say).
"""

from __future__ import annotations

from .base import LISTED_OPTIONS, DateCheck, DateWire, Format, Run, kind_of, utf16_length
from .file import File
from .registry import FORMATS, FormatType, compile_format
from .scalars import Boolean, Date, Number
from .select import Option, Select
from .text import Text
from .unchecked import Information, Unchecked

__all__ = [
    "FORMATS",
    "LISTED_OPTIONS",
    "Boolean",
    "Date",
    "DateCheck",
    "DateWire",
    "File",
    "Format",
    "FormatType",
    "Information",
    "Number",
    "Option",
    "Run",
    "Select",
    "Text",
    "Unchecked",
    "compile_format",
    "kind_of",
    "utf16_length",
]
