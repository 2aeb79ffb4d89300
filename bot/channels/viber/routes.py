"""The Viber channel: `POST /viber` callbacks in, send_message calls out.

Callbacks are signed with the bot token; what a person typed is never stored, logged
or echoed — a message is only a button token, one of a few commands, or "some text".
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.channels.base import NO_REPLY, Blocked, Ignored, Inbound, NotSent, Turn, Unreachable
from bot.channels.body import BodyRefused, parse_json, read_body
from bot.channels.viber.api import ViberClient, ViberError
from bot.channels.viber.outbound import render_reply, welcome_message
from bot.engine.choice_token import decode_choice
from bot.engine.events import Back, Choose, ChooseLanguage, Event, Exit, Forget, Menu, Start, Text
from bot.engine.model import Action, Flows
from bot.engine.reply import Reply
from bot.engine.session import Session
from bot.logs import log_event
from bot.service.conversations import Conversations, ReplyNotSent
from bot.web.keys import CONFIG, CONVERSATIONS, HTTP

CHANNEL = "viber"
PATH = "/viber"
MAX_CALLBACK_BYTES = 30 * 1024
"""Viber's own limit for a request body; anything larger is not from Viber."""
SIGNATURE_HEADER = "X-Viber-Content-Signature"
MAX_ID_CHARS = 128
MAX_TOKEN_DIGITS = 32
MAX_COMMAND_CHARS = 16

EVENT_TYPES = ["failed", "subscribed", "unsubscribed", "conversation_started"]
"""Callbacks to ask for in set_webhook; "message" and "webhook" always come.
delivered and seen are left out: the bot has no use for read receipts."""

COMMANDS: Mapping[str, Event] = {
    "/start": Start(),
    "/menu": Menu(),
    "/back": Back(),
    "/exit": Exit(),
    "/forget": Forget(),
    "/language": ChooseLanguage(),
}
"""Typed commands, as on Telegram; compared, never kept. Anything else typed is Text()."""

PAIRED_ACTIONS = frozenset({Action.BACK, Action.MENU, Action.EXIT})


class Skip(Exception):
    """The callback is signed but not something to act on; `reason` goes to the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Callback:
    """One callback: what the service acts on, and whether the reply rides in the answer."""

    inbound: Inbound
    welcome: bool = False
    """conversation_started: Viber takes the one welcome message in the webhook's answer."""


def add_routes(app: web.Application) -> None:
    app.router.add_post(PATH, webhook)


async def webhook(request: web.Request) -> web.StreamResponse:
    """Check size and signature, then act on the callback; never a 5xx for bad input."""
    if request.headers.get("Content-Encoding", "identity").lower() != "identity":
        # Viber sends plain JSON; decoding anything else before the signature check
        # would be work done for anyone who asks.
        return _rejected(request, 415, "encoding")
    try:
        raw = await read_body(request, MAX_CALLBACK_BYTES)
    except BodyRefused as refused:
        return _rejected(request, refused.status, refused.reason)
    token = request.app[CONFIG].viber_token or ""
    if not signature_ok(raw, request.headers.get(SIGNATURE_HEADER), token):
        return _rejected(request, 403, "signature")
    try:
        data = parse_json(raw)
    except BodyRefused as refused:
        return _rejected(request, refused.status, refused.reason)
    if not isinstance(data, dict):
        return _rejected(request, 400, "shape")
    conversations = request.app[CONVERSATIONS]
    try:
        callback = parse_callback(data, conversations.flows)
    except Skip as skipped:
        conversations.metrics.update(CHANNEL, "ignored")
        log_event("viber_ignored", channel=CHANNEL, reason=skipped.reason)
        return web.Response(status=200)
    return await _act(request, conversations, callback)


def signature_ok(raw: bytes, signature: str | None, token: str) -> bool:
    """Whether `signature` is the hex HMAC-SHA256 of the raw body keyed with the token."""
    if not signature or not token:
        return False
    expected = hmac.new(token.encode("utf-8"), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("utf-8", "replace"))


def parse_callback(data: Mapping[str, Any], flows: Flows) -> Callback:
    """The callback as the channel sees it; raises Skip for shapes it cannot use."""
    kind = data.get("event")
    if kind == "message":
        sender = _mapping(data, "sender")
        user_id = _identifier(sender.get("id"))
        event = message_event(data.get("message"), flows)
        if event is None:
            return Callback(Ignored("url_echo"))
        return Callback(Turn(user_id, event, _token(data)))
    if kind == "conversation_started":
        user = _mapping(data, "user")
        user_id = _identifier(user.get("id"))
        context, language = data.get("context"), user.get("language")
        payload = context if isinstance(context, str) else None
        device = language if isinstance(language, str) else None
        return Callback(Turn(user_id, Start(payload, device), _token(data)), welcome=True)
    if kind == "unsubscribed":
        return Callback(Blocked(_identifier(data.get("user_id")), "unsubscribed"))
    if kind == "failed":
        log_event("viber_delivery_failed", channel=CHANNEL)
    if kind in ("webhook", "subscribed", "delivered", "seen", "failed"):
        return Callback(Ignored(str(kind)))
    raise Skip("unknown_event")


def message_event(message: Any, flows: Flows) -> Event | None:
    """A keyboard reply becomes Choose, a command its event, any other message Text().

    None means the message is Viber's echo of an open-url button and needs no answer.
    """
    if not isinstance(message, Mapping):
        raise Skip("shape")
    text = message.get("text")
    if message.get("type") != "text" or not isinstance(text, str):
        return Text()
    choice = decode_choice(text)
    if choice is not None:
        return Choose(choice.option_id, choice.node)
    if len(text) <= MAX_COMMAND_CHARS:
        command = COMMANDS.get(text.strip().lower())
        if command is not None:
            return command
    if text in _web_urls(flows):
        return None
    return Text()


async def _act(
    request: web.Request, conversations: Conversations, callback: Callback
) -> web.StreamResponse:
    inbound = callback.inbound
    if not isinstance(inbound, Turn):
        await conversations.run(CHANNEL, inbound, NO_REPLY)
        return web.Response(status=200)
    config = request.app[CONFIG]
    client = ViberClient(
        request.app[HTTP],
        config.viber_token or "",
        config.viber_api_url,
        metrics=conversations.metrics,
    )
    outbox = ViberOutbox(client, str(inbound.platform_id), _paired_ids(conversations.flows))
    outbox.welcome = callback.welcome
    try:
        await conversations.run(CHANNEL, inbound, outbox)
    except ReplyNotSent:
        return web.Response(status=503)
    if outbox.answer is not None:
        body = json.dumps(outbox.answer, ensure_ascii=False)
        return web.Response(body=body.encode("utf-8"), content_type="application/json")
    return web.Response(status=200)


class ViberOutbox:
    """Sends one reply to one subscriber, or puts the welcome message in the answer."""

    def __init__(self, client: ViberClient, user_id: str, pairs: frozenset[str]) -> None:
        self.client = client
        self.user_id = user_id
        self.pairs = pairs
        self.welcome = False
        self.answer: dict[str, Any] | None = None
        """The welcome message, answered in the webhook's response body."""

    async def deliver(self, reply: Reply, before: Session | None, now: float) -> Sequence[int]:
        """Send the reply's messages in order; stop at a failure. Viber deletes nothing,
        so no message id is kept."""
        if self.welcome:
            self.answer = welcome_message(reply, self.pairs)
            return ()
        for body in render_reply(reply, self.pairs):
            try:
                await self.client.send_message({"receiver": self.user_id, **body})
            except ViberError as error:
                log_event(
                    "viber_send_failed",
                    channel=CHANNEL,
                    method=error.method,
                    kind=error.kind,
                    status=error.status,
                    reason=error.reason,
                )
                if error.unreachable:
                    raise Unreachable(error.reason) from None
                if error.transient:
                    raise NotSent(error.reason) from None
                return ()
        return ()


def _rejected(request: web.Request, status: int, reason: str) -> web.Response:
    request.app[CONVERSATIONS].metrics.update(CHANNEL, "refused")
    log_event("viber_rejected", channel=CHANNEL, status=status, reason=reason)
    return web.Response(status=status)


def _mapping(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if not isinstance(value, Mapping):
        raise Skip("shape")
    return value


def _identifier(value: Any) -> str:
    """A Viber user id: short printable ASCII (base64 with "="), as Viber sends them."""
    if not isinstance(value, str) or not 0 < len(value) <= MAX_ID_CHARS:
        raise Skip("user")
    if not (value.isascii() and value.isprintable()):
        raise Skip("user")
    return value


def _token(data: Mapping[str, Any]) -> str:
    """The callback's message_token as text, for answering each delivery once."""
    value = data.get("message_token")
    text = ""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value) if 0 <= value < 10**MAX_TOKEN_DIGITS else ""
    elif isinstance(value, str):
        text = value
    if not (text.isascii() and text.isdigit() and len(text) <= MAX_TOKEN_DIGITS):
        raise Skip("token")
    return text


class _PerFlows:
    """A value computed once per loaded `Flows` (published content replaces the object)."""

    def __init__(self, compute: Callable[[Flows], frozenset[str]]) -> None:
        self.compute = compute
        self.flows: Flows | None = None
        self.value: frozenset[str] = frozenset()

    def __call__(self, flows: Flows) -> frozenset[str]:
        if flows is not self.flows:
            self.flows, self.value = flows, self.compute(flows)
        return self.value


def _find_web_urls(flows: Flows) -> frozenset[str]:
    """Web links of url buttons: Viber posts the URL back as a message when one is tapped."""
    return frozenset(
        option.url
        for options in flows.options_by_node.values()
        for option in options.values()
        if option.url is not None and option.url.startswith(("https://", "http://"))
    )


def _find_paired_ids(flows: Flows) -> frozenset[str]:
    return frozenset(o.id for o in flows.navigation.footer if o.action in PAIRED_ACTIONS)


_web_urls = _PerFlows(_find_web_urls)
_paired_ids = _PerFlows(_find_paired_ids)
