"""JSON for platform payloads: orjson where it is installed, else the standard library.

Measured per Telegram update (tests/bench/compare.py): parsing the update and the Bot
API's answer and encoding the call took ~30 µs with `json`, ~8 µs with orjson.
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson  # type: ignore[import-not-found, unused-ignore]

    ORJSON = True
except ImportError:  # a dependency, but a venv made before it was still works
    ORJSON = False


def loads(raw: bytes) -> Any:
    """The JSON value of UTF-8 `raw`; ValueError when it is not JSON (or not UTF-8), and
    RecursionError when it nests deeper than the parser goes, with either library."""
    if not ORJSON:
        return json.loads(raw)
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        if str(error).startswith(("depth limit", "recursion limit")):
            raise RecursionError(str(error)) from None
        raise


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON (non-ASCII as is: a Persian screen stays a third of the bytes)."""
    if not ORJSON:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return orjson.dumps(value)
