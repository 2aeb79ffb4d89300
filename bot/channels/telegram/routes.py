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

import aiohttp
from aiohttp import web

from bot.channels import json_codec
from bot.channels.body import BodyRefused, read_json
from bot.channels.telegram.api import TelegramAPI
from bot.channels.telegram.channel import CHANNEL, TelegramChannel
from bot.channels.telegram.outbound import Outgoing
from bot.channels.telegram.polling import poll_forever
from bot.config import Config
from bot.logs import log_event
from bot.service.conversations import Conversations, ReplyNotSent
from bot.service.handoff import HandoffDocument

PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 -- a header name
MAX_UPDATE_BYTES = 1024 * 1024


class TelegramRoutes:
    """The webhook route (only with a secret) and the bot's lifecycle, for one bot token."""

    def __init__(
        self, conversations: Conversations, config: Config, stopping: asyncio.Event
    ) -> None:
        # python-telegram-bot logs raw payloads (chat ids, names, texts) when a response
        # fails to parse; nothing of it may reach our log.
        logging.getLogger("telegram").setLevel(logging.CRITICAL + 1)
        self.conversations = conversations
        self.config = config
        self.secret = (config.telegram_secret or "").encode("utf-8")
        self.webhook_mode = bool(config.public_url)
        self.stopping = stopping
        """Set at SIGTERM: long polling finishes the updates it fetched, then stops."""
        self._channel: TelegramChannel | None = None

    @property
    def channel(self) -> TelegramChannel:
        """The channel, once the app runs (it needs the app's HTTP client)."""
        if self._channel is None:
            raise RuntimeError("the Telegram channel runs only while the web app does")
        return self._channel

    def routes(self) -> list[web.RouteDef]:
        if not self.webhook_mode:
            return []
        if not self.secret:
            log_event(
                "telegram_webhook_refused",
                logging.WARNING,
                channel=CHANNEL,
                reason="PUTOKAZ_TELEGRAM_SECRET_is_not_set",
            )
            return []
        return [web.post(PATH, self.webhook)]

    @contextlib.asynccontextmanager
    async def running(self, http: aiohttp.ClientSession) -> AsyncIterator[None]:
        """The Bot API client on the app's HTTP client; long polling without a public URL."""
        config = self.config
        api = TelegramAPI(
            config.telegram_token or "",
            config.telegram_api_url,
            http,
            metrics=self.conversations.metrics,
        )
        channel = self._channel = TelegramChannel(
            self.conversations, api, config.handoff_telegram_chat
        )
        poller: asyncio.Task[None] | None = None
        if self.webhook_mode:
            log_event("telegram_webhook", channel=CHANNEL, mode="webhook", path=PATH)
        else:
            poller = asyncio.create_task(
                poll_forever(
                    api, lambda update: channel.handle(update, webhook=False), stop=self.stopping
                )
            )
        try:
            yield
        finally:
            if poller is not None:
                # Finish the updates already fetched, within the shutdown bound, then give up.
                self.stopping.set()
                with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                    await asyncio.wait_for(poller, config.shutdown_timeout)
            await api.close()
            self._channel = None

    async def webhook(self, request: web.Request) -> web.StreamResponse:
        """Check the secret and the size, then act; a bad update is answered 200 and ignored.

        Telegram retries non-2xx answers for a long time, so only a wrong secret (403), an
        oversized body (413), an unreadable body or broken JSON (400) and a reply that
        could not be sent yet (503, so that Telegram delivers the update again) get one.
        """
        given = request.headers.get(SECRET_HEADER, "")
        if not self.secret or not hmac.compare_digest(
            given.encode("utf-8", "surrogateescape"), self.secret
        ):
            return self._refused(403, "secret")
        try:
            data = await read_json(request, MAX_UPDATE_BYTES)
        except BodyRefused as refused:
            return self._refused(refused.status, refused.reason)
        try:
            answer = await self.channel.handle(data, webhook=True)
        except ReplyNotSent:
            return web.Response(status=503)
        except Exception as error:
            self.conversations.metrics.update(CHANNEL, "failed")
            log_event("telegram_update_failed", channel=CHANNEL, error=type(error).__name__)
            answer = None
        if answer is None:
            return web.Response(status=200)
        return web.Response(body=json_codec.dumps(answer), content_type="application/json")

    def _refused(self, status: int, reason: str) -> web.Response:
        self.conversations.metrics.update(CHANNEL, "refused")
        log_event("telegram_refused", channel=CHANNEL, status=status, reason=reason)
        return web.Response(status=status)


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
