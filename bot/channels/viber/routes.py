"""The Viber channel in the web app: `POST /viber` callbacks, signed with the bot token.

Size and signature are checked before anything is parsed; bad input is never a 5xx.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web

from bot.channels.body import BodyRefused, parse_json, read_body
from bot.channels.viber.api import ViberClient
from bot.channels.viber.channel import ViberChannel
from bot.channels.viber.inbound import CHANNEL, Skip, parse_callback
from bot.config import Config
from bot.logs import log_event
from bot.service.conversations import Conversations, ReplyNotSent

PATH = "/viber"
MAX_CALLBACK_BYTES = 30 * 1024
"""Viber's own limit for a request body; anything larger is not from Viber."""
SIGNATURE_HEADER = "X-Viber-Content-Signature"

EVENT_TYPES = ["failed", "subscribed", "unsubscribed", "conversation_started"]
"""Callbacks to ask for in set_webhook; "message" and "webhook" always come.
delivered and seen are left out: the bot has no use for read receipts."""


class ViberRoutes:
    """`POST /viber` for one bot token, and its API client while the app runs."""

    def __init__(self, conversations: Conversations, config: Config) -> None:
        self.conversations = conversations
        self.config = config
        self.token = config.viber_token or ""
        self._channel: ViberChannel | None = None

    @property
    def channel(self) -> ViberChannel:
        """The channel, once the app runs (it needs the app's HTTP client)."""
        if self._channel is None:
            raise RuntimeError("the Viber channel runs only while the web app does")
        return self._channel

    def routes(self) -> list[web.RouteDef]:
        return [web.post(PATH, self.webhook)]

    @contextlib.asynccontextmanager
    async def running(self, http: aiohttp.ClientSession) -> AsyncIterator[None]:
        """One API client for every callback, on the app's pooled HTTP client."""
        client = ViberClient(
            http, self.token, self.config.viber_api_url, metrics=self.conversations.metrics
        )
        self._channel = ViberChannel(self.conversations, client)
        try:
            yield
        finally:
            self._channel = None

    async def webhook(self, request: web.Request) -> web.StreamResponse:
        """Check size and signature, then act on the callback; never a 5xx for bad input."""
        if request.headers.get("Content-Encoding", "identity").lower() != "identity":
            # Viber sends plain JSON; decoding anything else before the signature check
            # would be work done for anyone who asks.
            return self._rejected(415, "encoding")
        try:
            raw = await read_body(request, MAX_CALLBACK_BYTES)
        except BodyRefused as refused:
            return self._rejected(refused.status, refused.reason)
        if not signature_ok(raw, request.headers.get(SIGNATURE_HEADER), self.token):
            return self._rejected(403, "signature")
        try:
            data = parse_json(raw)
        except BodyRefused as refused:
            return self._rejected(refused.status, refused.reason)
        if not isinstance(data, dict):
            return self._rejected(400, "shape")
        try:
            callback = parse_callback(data, self.conversations.flows)
        except Skip as skipped:
            self.conversations.metrics.update(CHANNEL, "ignored")
            log_event("viber_ignored", channel=CHANNEL, reason=skipped.reason)
            return web.Response(status=200)
        try:
            answer = await self.channel.handle(callback)
        except ReplyNotSent:
            return web.Response(status=503)
        if answer is None:
            return web.Response(status=200)
        body = json.dumps(answer, ensure_ascii=False)
        return web.Response(body=body.encode("utf-8"), content_type="application/json")

    def _rejected(self, status: int, reason: str) -> web.Response:
        self.conversations.metrics.update(CHANNEL, "refused")
        log_event("viber_rejected", channel=CHANNEL, status=status, reason=reason)
        return web.Response(status=status)


def signature_ok(raw: bytes, signature: str | None, token: str) -> bool:
    """Whether `signature` is the hex HMAC-SHA256 of the raw body keyed with the token."""
    if not signature or not token:
        return False
    expected = hmac.new(token.encode("utf-8"), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace"))
