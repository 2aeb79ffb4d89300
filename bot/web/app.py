"""`create_app(config)`: the aiohttp application, its shared state and lifecycles.

Each channel adds its own routes; store, HTTP client and bots open and close in
`cleanup_ctx` context managers.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable

import aiohttp
from aiohttp import web
from aiohttp.typedefs import Handler

from bot.admin.app import add_admin
from bot.admin.content import LiveFlows, published_flows
from bot.admin.database import open_staff
from bot.admin.desk import DeskCodes, DeskSink
from bot.admin.keys import CONTENT_VERSIONS, LIVE, STAFF_DATA, AdminSettings
from bot.channels.webchat import routes as webchat
from bot.config import Config
from bot.logs import configure_logging, log_event
from bot.metrics import Metrics
from bot.service.conversations import Conversations
from bot.service.handoff import Handoffs, WebhookSink
from bot.service.reload import follow
from bot.service.runtime import (
    check_store,
    open_content_versions,
    open_isolation,
    open_store,
    pseudonymizer,
)
from bot.web import metrics
from bot.web.keys import CONFIG, CONVERSATIONS, HTTP, STOPPING
from bot.web.listen import bind, browser_url
from bot.web.unreadable import unreadable_requests

MAX_BODY = 1024 * 1024
PURGE_EVERY = 600.0
HANDOFF_DRAIN_TIMEOUT = 10.0
"""Seconds at shutdown for hand-offs still being posted to the hotline's sinks."""


async def healthz(request: web.Request) -> web.Response:
    conversations = request.app[CONVERSATIONS]
    return web.json_response(
        {"status": "ok", "nodes": len(conversations.flows.nodes)},
        headers={"Cache-Control": "no-store"},
    )


def create_app(config: Config, clock: Callable[[], float] = time.time) -> web.Application:
    """The bot's app; `clock` is the staff area's (tests fix it to see codes expire)."""
    app = web.Application(
        client_max_size=MAX_BODY, middlewares=[security_headers, unreadable_requests]
    )
    app[CONFIG] = config
    app[STOPPING] = asyncio.Event()
    app.on_shutdown.append(_stopping)
    app.cleanup_ctx.append(_resources)
    app.router.add_get("/healthz", healthz)
    metrics.add_routes(app)
    webchat.add_routes(app)
    add_admin(
        app,
        AdminSettings(
            flows_dir=config.flows_dir,
            locales_dir=config.locales_dir,
            secure_cookies=config.public_url is not None,
            staff_idle=config.staff_idle,
            clock=clock,
            data_dir=config.data_dir,
            public_url=config.public_url,
            telegram_username=config.telegram_username,
            viber_uri=config.viber_uri,
            code_days=config.handoff_code_days,
        ),
    )
    if config.telegram_token:
        from bot.channels.telegram.routes import add_routes as add_telegram_routes

        add_telegram_routes(app)
    if config.viber_token:
        from bot.channels.viber.routes import add_routes as add_viber_routes

        add_viber_routes(app)
    return app


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


async def _stopping(app: web.Application) -> None:
    """SIGTERM: the listening socket is closed; requests in flight are still being answered."""
    log_event("stopping")
    app[STOPPING].set()


async def _resources(app: web.Application) -> AsyncIterator[None]:
    config = app[CONFIG]
    # The published version in staff.db (flows/ seeds a new installation).
    staff = open_staff(config)
    flows, number = published_flows(
        staff.versions, config.flows_dir, config.locales_dir, time.time()
    )
    store = open_store(config)
    pseudonyms = pseudonymizer(config)
    await check_store(store, pseudonyms)
    isolation = open_isolation(config)
    http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
    handoffs = Handoffs()
    if config.handoff_webhook:
        handoffs.add(WebhookSink(config.handoff_webhook, http))
    handoffs.add(DeskSink(DeskCodes(staff.conn)))
    app[HTTP] = http
    app[CONVERSATIONS] = Conversations(
        flows,
        store,
        pseudonyms,
        handoffs=handoffs,
        isolation=isolation,
        metrics=Metrics(),
    )
    purger = asyncio.create_task(_purge_forever(app[CONVERSATIONS]))
    versions = open_content_versions(config)
    live = LiveFlows(
        app[CONVERSATIONS], staff.versions, config.locales_dir, number, config.flows_dir
    )
    app[STAFF_DATA], app[LIVE], app[CONTENT_VERSIONS] = staff, live, versions
    follower = asyncio.create_task(follow(versions, live.reload))
    log_event("started", nodes=len(flows.nodes), languages=len(flows.languages))
    try:
        yield
    finally:
        for task in (purger, follower):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await versions.close()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(handoffs.drain(), HANDOFF_DRAIN_TIMEOUT)
        await http.close()
        await isolation.close()
        await store.close()
        staff.close()
        log_event("stopped")


async def _purge_forever(conversations: Conversations) -> None:
    while True:
        purged = await conversations.purge()
        if purged:
            log_event("purged", count=purged)
        await asyncio.sleep(PURGE_EVERY)


def run(config: Config, host: str | None = None, port: int | None = None) -> None:
    """Serve until interrupted (`putokaz serve`); raises PortInUse before starting anything."""
    configure_logging(config.log_file, log_format=config.log_format)
    sock = bind(host or config.host, port if port is not None else config.port)
    loop = _event_loop()
    bound_host, bound_port = sock.getsockname()[:2]
    log_event(
        "listening", host=bound_host, port=bound_port, mode=type(loop).__module__.split(".")[0]
    )

    def ready(_banner: str) -> None:
        # aiohttp calls this once the app has started and the socket accepts requests.
        print(f"Putokaz is up: open {browser_url(bound_host, bound_port)}", flush=True)

    # On SIGTERM aiohttp closes the listening socket, lets the requests in flight finish
    # (cancelling what runs longer than shutdown_timeout), then runs the cleanups above.
    web.run_app(
        create_app(config),
        sock=sock,
        print=ready,
        access_log=None,
        loop=loop,
        shutdown_timeout=config.shutdown_timeout,
    )


def _event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it is installed (Linux, macOS): the same asyncio, less CPU per update."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()
