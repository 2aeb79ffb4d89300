"""`create_app(config, services)`: the aiohttp application, its shared state and lifecycles.

The service is built once; each channel's routes are bound to its own objects; the HTTP
client, the channels' API clients and the store open and close in one `cleanup_ctx`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Coroutine
from dataclasses import replace
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.typedefs import Handler

from bot.admin.app import add_admin
from bot.admin.catalog_versions import sync_catalogs
from bot.admin.content import LiveFlows, published_flows
from bot.admin.database import open_staff
from bot.admin.desk import DeskCodes, DeskSink
from bot.admin.keys import CONTENT_VERSIONS, LIVE, STAFF_DATA, AdminSettings
from bot.channels.base import ChannelRoutes
from bot.channels.webchat.routes import WebChatRoutes
from bot.config import Config
from bot.logs import configure_logging, log_event
from bot.service.conversations import Conversations
from bot.service.handoff import WebhookSink
from bot.service.reload import follow
from bot.service.runtime import (
    Services,
    check_store,
    conversations_for,
    open_content_versions,
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
    """`{"status": "ok", "nodes": N}` while the flows are loaded."""
    conversations = request.app[CONVERSATIONS]
    return web.json_response(
        {"status": "ok", "nodes": len(conversations.flows.nodes)},
        headers={"Cache-Control": "no-store"},
    )


def create_app(config: Config, services: Services | None = None) -> web.Application:
    """The whole web app; `services` hands in flows, store, clock or HTTP client (tests)."""
    services = services or Services()
    # What the bot says is the newest version in staff.db (flows/ seeds a new installation);
    # flows handed in (tests) are spoken until the first publish.
    staff = open_staff(config)
    # Catalogs another replica published, before anything reads them.
    sync_catalogs(staff.conn, config.locales_dir)
    if services.flows is None:
        flows, number = published_flows(
            staff.versions, config.flows_dir, config.locales_dir, time.time()
        )
        services = replace(services, flows=flows)
    else:
        number = staff.versions.latest_number()
    conversations = conversations_for(config, services)
    versions = open_content_versions(config)
    app = web.Application(
        client_max_size=MAX_BODY, middlewares=[security_headers, unreadable_requests]
    )
    app[CONFIG] = config
    app[CONVERSATIONS] = conversations
    app[STAFF_DATA] = staff
    app[LIVE] = LiveFlows(
        conversations, staff.versions, config.locales_dir, number, config.flows_dir
    )
    app[CONTENT_VERSIONS] = versions
    stopping = app[STOPPING] = asyncio.Event()
    app.on_shutdown.append(_stopping)
    app.router.add_get("/healthz", healthz)
    metrics.add_routes(app)
    channels: list[ChannelRoutes] = [WebChatRoutes(conversations, config)]
    telegram = None
    if config.telegram_token:
        from bot.channels.telegram.routes import TelegramRoutes

        telegram = TelegramRoutes(conversations, config, stopping)
        channels.append(telegram)
    if config.viber_token:
        from bot.channels.viber.routes import ViberRoutes

        channels.append(ViberRoutes(conversations, config))
    for channel in channels:
        app.add_routes(channel.routes())
    add_admin(
        app,
        AdminSettings(
            flows_dir=config.flows_dir,
            locales_dir=config.locales_dir,
            secure_cookies=config.public_url is not None,
            staff_idle=config.staff_idle,
            clock=services.clock or time.time,
            data_dir=config.data_dir,
            public_url=config.public_url,
            telegram_username=config.telegram_username,
            viber_uri=config.viber_uri,
            code_days=config.handoff_code_days,
        ),
    )

    async def resources(app: web.Application) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            stack.callback(staff.close)
            http = services.http
            if http is None:
                timeout = aiohttp.ClientTimeout(total=15)
                http = await stack.enter_async_context(aiohttp.ClientSession(timeout=timeout))
            app[HTTP] = http
            if services.store is None:
                stack.push_async_callback(conversations.store.close)
            await check_store(conversations.store, conversations.pseudonyms)
            if services.isolation is None:
                stack.push_async_callback(conversations.isolation.close)
            for channel in channels:
                await stack.enter_async_context(channel.running(http))
            stack.push_async_callback(_drain, conversations)  # before the clients close
            # Both hand-off sinks are wired here, once every client they need is open.
            if config.handoff_webhook:
                conversations.handoffs.add(WebhookSink(config.handoff_webhook, http))
            if telegram is not None and config.handoff_telegram_chat is not None:
                from bot.channels.telegram.routes import StaffChatSink

                sink = StaffChatSink(telegram.channel.api, config.handoff_telegram_chat)
                conversations.handoffs.add(sink)
            # The hotline's desk keeps the same document for its look-up page.
            conversations.handoffs.add(DeskSink(DeskCodes(staff.conn)))
            await stack.enter_async_context(_background(_purge_forever(conversations)))
            # Published content reloads without a restart, on every replica.
            stack.push_async_callback(versions.close)
            live = app[LIVE]

            async def reload(number: int) -> None:
                sync_catalogs(staff.conn, config.locales_dir)
                await live.reload(number)

            await stack.enter_async_context(_background(follow(versions, reload)))
            flows = conversations.flows
            log_event("started", nodes=len(flows.nodes), languages=len(flows.languages))
            yield
        log_event("stopped")

    app.cleanup_ctx.append(resources)
    return app


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """No sniffing, no referrer, no framing, on every response."""
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


async def _stopping(app: web.Application) -> None:
    """SIGTERM: the listening socket is closed; requests in flight are still being answered."""
    log_event("stopping")
    app[STOPPING].set()


async def _drain(conversations: Conversations) -> None:
    """Hand-offs still being posted get HANDOFF_DRAIN_TIMEOUT seconds at shutdown."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(conversations.handoffs.drain(), HANDOFF_DRAIN_TIMEOUT)


@contextlib.asynccontextmanager
async def _background(work: Coroutine[Any, Any, None]) -> AsyncIterator[None]:
    """Run `work` while the app runs; cancel it at shutdown."""
    task = asyncio.create_task(work)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


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
