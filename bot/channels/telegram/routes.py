"""The Telegram channel in the web app: `POST /telegram` (webhook) or long polling.

With PUTOKAZ_PUBLIC_URL the webhook, checked against PUTOKAZ_TELEGRAM_SECRET; without
it long polling, so a laptop with only a token works. Both hand updates to one channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from collections.abc import AsyncIterator

from aiohttp import web

from bot.channels.body import BodyRefused, read_json
from bot.channels.telegram.api import TelegramAPI
from bot.channels.telegram.channel import CHANNEL, TelegramChannel
from bot.channels.telegram.outbound import Outgoing
from bot.channels.telegram.polling import poll_forever
from bot.logs import log_event
from bot.service.conversations import ReplyNotSent
from bot.service.handoff import HandoffDocument
from bot.web.keys import CONFIG, CONVERSATIONS, HTTP, STOPPING

PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 -- a header name
MAX_UPDATE_BYTES = 1024 * 1024
TELEGRAM = web.AppKey("telegram", TelegramChannel)


def add_routes(app: web.Application) -> None:
    """The webhook route (only with a secret) and the bot's lifecycle."""
    # python-telegram-bot logs raw payloads (chat ids, names, texts) when a response
    # fails to parse; nothing of it may reach our log.
    logging.getLogger("telegram").setLevel(logging.CRITICAL + 1)
    config = app[CONFIG]
    if config.public_url:
        if config.telegram_secret:
            app.router.add_post(PATH, webhook)
        else:
            log_event(
                "telegram_webhook_refused",
                logging.WARNING,
                channel=CHANNEL,
                reason="PUTOKAZ_TELEGRAM_SECRET_is_not_set",
            )
    app.cleanup_ctx.append(_telegram)


async def _telegram(app: web.Application) -> AsyncIterator[None]:
    config = app[CONFIG]
    api = TelegramAPI(
        config.telegram_token or "",
        config.telegram_api_url,
        app[HTTP],
        metrics=app[CONVERSATIONS].metrics,
    )
    channel = TelegramChannel(app[CONVERSATIONS], api, config.handoff_telegram_chat)
    app[TELEGRAM] = channel
    if config.handoff_telegram_chat is not None:
        app[CONVERSATIONS].handoffs.add(StaffChatSink(api, config.handoff_telegram_chat))
    poller: asyncio.Task[None] | None = None
    stop = app[STOPPING]
    if config.public_url:
        log_event("telegram_webhook", channel=CHANNEL, mode="webhook", path=PATH)
    else:
        poller = asyncio.create_task(
            poll_forever(api, lambda update: channel.handle(update, webhook=False), stop=stop)
        )
    try:
        yield
    finally:
        if poller is not None:
            # Finish the updates already fetched, within the shutdown bound, then give up.
            stop.set()
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(poller, config.shutdown_timeout)
        await api.close()


class StaffChatSink:
    """Posts each hand-off to the hotline staff's Telegram group, one line, no id."""

    name = "telegram_staff_chat"

    def __init__(self, api: TelegramAPI, chat_id: int) -> None:
        self.api = api
        self.chat_id = chat_id

    async def send(self, document: HandoffDocument) -> None:
        await self.api.send(self.chat_id, Outgoing(staff_line(document), None))


def staff_line(document: HandoffDocument) -> str:
    """`K7F3 · fa · reflection, rights · 2026-11-26T09:14Z`: the document, nothing else."""
    topics = document["topics"]
    shown = ", ".join(str(t) for t in topics) if isinstance(topics, list) else ""
    return " · ".join(
        (str(document["code"]), str(document["language"]), shown or "-", str(document["time"]))
    )


async def webhook(request: web.Request) -> web.StreamResponse:
    """Check the secret and the size, then act; a bad update is answered 200 and ignored.

    Telegram retries non-2xx answers for a long time, so only a wrong secret (403), an
    oversized body (413), an unreadable body or broken JSON (400) and a reply that
    could not be sent yet (503, so that Telegram delivers the update again) get one.
    """
    secret = request.app[CONFIG].telegram_secret or ""
    given = request.headers.get(SECRET_HEADER, "")
    if not secret or not hmac.compare_digest(
        given.encode("utf-8", "surrogateescape"), secret.encode("utf-8")
    ):
        return _refused(request, 403, "secret")
    try:
        data = await read_json(request, MAX_UPDATE_BYTES)
    except BodyRefused as refused:
        return _refused(request, refused.status, refused.reason)
    try:
        answer = await request.app[TELEGRAM].handle(data, webhook=True)
    except ReplyNotSent:
        return web.Response(status=503)
    except Exception as error:
        request.app[CONVERSATIONS].metrics.update(CHANNEL, "failed")
        log_event("telegram_update_failed", channel=CHANNEL, error=type(error).__name__)
        answer = None
    if answer is None:
        return web.Response(status=200)
    return web.json_response(answer)


def _refused(request: web.Request, status: int, reason: str) -> web.Response:
    request.app[CONVERSATIONS].metrics.update(CHANNEL, "refused")
    log_event("telegram_refused", channel=CHANNEL, status=status, reason=reason)
    return web.Response(status=status)
