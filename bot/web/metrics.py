"""`GET /metrics`: the app's Prometheus metrics, for a scraper only.

With PUTOKAZ_METRICS_TOKEN a scraper sends `Authorization: Bearer TOKEN`; without it only
a request made on this machine (loopback, not forwarded by a proxy) is answered.
"""

from __future__ import annotations

import hmac
import ipaddress

from aiohttp import web

from bot.metrics import CONTENT_TYPE
from bot.web.keys import CONFIG, CONVERSATIONS

PATH = "/metrics"
FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def add_routes(app: web.Application) -> None:
    app.router.add_get(PATH, metrics)


async def metrics(request: web.Request) -> web.Response:
    token = request.app[CONFIG].metrics_token
    if token is not None:
        given = request.headers.get("Authorization", "")
        expected = f"Bearer {token}"
        if not hmac.compare_digest(
            given.encode("utf-8", "surrogateescape"), expected.encode("utf-8")
        ):
            return web.Response(
                status=401,
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
                text="send Authorization: Bearer <PUTOKAZ_METRICS_TOKEN>\n",
            )
    elif not _from_this_machine(request):
        return web.Response(
            status=403,
            text="/metrics answers only on this machine; set PUTOKAZ_METRICS_TOKEN to scrape "
            "it from elsewhere\n",
        )
    conversations = request.app[CONVERSATIONS]
    body = conversations.metrics.exposition(await conversations.store.count())
    return web.Response(
        body=body, headers={"Content-Type": CONTENT_TYPE, "Cache-Control": "no-store"}
    )


def _from_this_machine(request: web.Request) -> bool:
    if any(name in request.headers for name in FORWARDING_HEADERS):
        return False  # a proxy on this machine passing on someone else's request
    peer = request.remote
    if peer is None:
        return False
    try:
        return ipaddress.ip_address(peer).is_loopback
    except ValueError:
        return False
