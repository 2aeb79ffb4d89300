"""Reading request bodies for every webhook and the web chat: one reader for every route.

Every way a body can be unreadable (too large, a Content-Encoding that does not decode,
broken chunked framing, a client hanging up, JSON that is not JSON or nests too deep)
becomes one `BodyRefused` with a status and a reason for the route's one log line.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.web_protocol import RequestPayloadError

from bot.channels import json_codec


class BodyRefused(Exception):
    """The body cannot be used; `status` is the answer, `reason` goes to the log."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"request body refused with HTTP {status}: {reason}")
        self.status = status
        self.reason = reason


async def read_body(request: web.Request, limit: int) -> bytes:
    """The whole body, at most `limit` bytes after decoding; BodyRefused otherwise."""
    if request.content_length is not None and request.content_length > limit:
        raise BodyRefused(413, "too_large")
    body = bytearray()
    try:
        # read() alone may return part of the body; read until EOF or past the limit.
        while chunk := await request.content.read(limit + 1 - len(body)):
            body += chunk
            if len(body) > limit:
                raise BodyRefused(413, "too_large")
    except RequestPayloadError:  # a Content-Encoding that does not decode, broken framing
        raise BodyRefused(400, "unreadable_body") from None
    except (ConnectionError, EOFError):  # the client hung up mid-body
        raise BodyRefused(400, "hang_up") from None
    return bytes(body)


def parse_json(raw: bytes) -> Any:
    """The JSON value of `raw`; BodyRefused when it is not UTF-8 JSON or nests too deep."""
    try:
        return json_codec.loads(raw)
    except RecursionError:
        raise BodyRefused(400, "nesting") from None
    except ValueError:  # JSONDecodeError and UnicodeDecodeError
        raise BodyRefused(400, "json") from None


async def read_json(request: web.Request, limit: int) -> Any:
    """`read_body` and `parse_json` in one."""
    return parse_json(await read_body(request, limit))


async def read_limited(request: web.Request, limit: int) -> bytes | None:
    """The whole body, or None once it passes `limit`; other read errors raise BodyRefused."""
    try:
        return await read_body(request, limit)
    except BodyRefused as refused:
        if refused.status == 413:
            return None
        raise
