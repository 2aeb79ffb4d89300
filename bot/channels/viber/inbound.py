"""Read one Viber callback into an inbound value for the service.

What a person typed is never stored, logged or echoed: a message is only a button
token, one of a few commands, or "some text".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.channels.base import Blocked, Ignored, Inbound, Turn
from bot.channels.commands import command_event
from bot.channels.compiled import PerFlows
from bot.engine.choice_token import decode_choice
from bot.engine.events import Choose, Event, Start, Text
from bot.engine.model import Flows
from bot.logs import log_event

CHANNEL = "viber"
MAX_ID_CHARS = 128
MAX_TOKEN_DIGITS = 32


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
    if text in _web_urls(flows):
        return None
    return command_event(text)


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


def _find_web_urls(flows: Flows) -> frozenset[str]:
    """Web links of url buttons: Viber posts the URL back as a message when one is tapped."""
    return frozenset(
        option.url
        for options in flows.options_by_node.values()
        for option in options.values()
        if option.url is not None and option.url.startswith(("https://", "http://"))
    )


_web_urls = PerFlows(_find_web_urls)
