"""A request whose body cannot be read is a 400 on every route, with one log line.

Channel routes read bodies through bot.channels.body and answer themselves; this catches
what any other route (e.g. a form read with request.post()) lets through.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp.web_protocol import RequestPayloadError

from bot.logs import log_event


@web.middleware
async def unreadable_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except RequestPayloadError:
        reason = "unreadable_body"
    except (ConnectionError, EOFError):
        reason = "hang_up"
    log_event("request_refused", status=400, reason=reason)
    return web.Response(status=400)
