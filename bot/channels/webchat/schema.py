"""The shape of the web chat's JSON request, checked before anything reads it.

Every field's type is checked, so a request the page would never send is a clear 400
naming the field, never an exception deeper in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FIELDS: Mapping[str, type] = {
    "action": str,
    "option": str,
    "node": str,
    "payload": str,
    "screen": int,
    "language": str,
    "fresh": bool,
    "previous": str,
}
"""Every field the page sends, with its JSON type; `action` is required."""
REQUIRED = ("action",)
EXAMPLE = '{"action": "start"}'


class InvalidRequest(Exception):
    """The JSON is not a web chat request; the message names the field and the fix."""


def check_request(data: Any) -> Mapping[str, Any]:
    """`data` when it is an object whose known fields have their types; InvalidRequest else."""
    if not isinstance(data, dict):
        raise InvalidRequest(f"send a JSON object like {EXAMPLE}, not {json_type(data)}")
    for name in REQUIRED:
        if name not in data:
            raise InvalidRequest(f'"{name}" is missing — send a JSON object like {EXAMPLE}')
    for name, wanted in FIELDS.items():
        value = data.get(name)
        if name in data and value is not None and not isinstance(value, wanted):
            raise InvalidRequest(
                f'"{name}" must be a {json_type(wanted())}, not {json_type(value)} — e.g. {EXAMPLE}'
            )
    return data


def body_error(reason: str, limit: int) -> str:
    """What the caller is told for each way a body cannot be used (BodyRefused.reason)."""
    if reason == "too_large":
        return f"the request is over {limit} bytes"
    if reason == "nesting":
        return f"the JSON nests too deep — send {EXAMPLE}"
    if reason == "unreadable_body":
        return "the body could not be read — send it without Content-Encoding"
    if reason == "hang_up":
        return "the request ended before its body"
    return f"the body is not JSON — send {EXAMPLE}"


def json_type(value: Any) -> str:
    """The JSON name of a decoded value's type: object, array, string, number, boolean, null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
