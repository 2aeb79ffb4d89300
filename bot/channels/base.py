"""The channel port: what a channel hands the service, and how a reply goes back out.

A channel turns a platform payload into one `Inbound` value and a `Reply` into platform
calls through its `Outbox`; the service (`Conversations.run`) does everything between.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import aiohttp
from aiohttp import web

from bot.engine.events import Event
from bot.engine.reply import Reply
from bot.engine.session import Session

PlatformId = str | int
"""The platform's id of the person (Telegram chat id, Viber user id, web chat cookie);
lives only while its update is answered, and reaches the store only as an HMAC."""


@dataclass(frozen=True, slots=True)
class Turn:
    """A message or a tap from a person in a private chat: step the engine and answer."""

    platform_id: PlatformId
    event: Event
    delivery_id: str | None = None
    """The platform's id of this delivery (update_id, message_token), answered once;
    None where the platform never delivers twice (the web chat)."""
    idle_limit: float | None = None
    """A session idle this many seconds or more starts again as a new one (the web chat's
    PUTOKAZ_WEB_IDLE; 0 for a tab that was just opened); None: only the store's TTL."""


@dataclass(frozen=True, slots=True)
class Blocked:
    """The person blocked the bot or unsubscribed: drop their session."""

    platform_id: PlatformId
    reason: str


@dataclass(frozen=True, slots=True)
class Group:
    """A group, supergroup or channel: the channel leaves it; nothing is stored."""

    chat_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class Ignored:
    """Nothing to do (an edit, a read receipt, a malformed payload); `reason` is logged."""

    reason: str


Inbound = Turn | Blocked | Group | Ignored


class Outbox(Protocol):
    """Sends one reply to the person the update came from."""

    async def deliver(self, reply: Reply, before: Session | None, now: float) -> Sequence[int]:
        """Send `reply`; the platform message ids to keep for quick exit (often none).

        `before` is the session as it was (e.g. which message is the latest); raises
        `Unreachable` when the person cannot be reached any more and `NotSent` when the
        reply could not go out after the retries but may later.
        """
        ...


class _NoReply:
    """The outbox for inbound values that are not turns: nothing is ever sent for them."""

    async def deliver(self, reply: Reply, before: Session | None, now: float) -> Sequence[int]:
        raise RuntimeError("the service sends a reply only for a Turn")


NO_REPLY: Outbox = _NoReply()


class Unreachable(Exception):
    """The person blocked the bot or left: the session is dropped."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the person cannot be reached ({reason}); their session is dropped")
        self.reason = reason


class NotSent(Exception):
    """The reply did not go out after the retries (rate limit, 5xx, timeout); it may later."""

    def __init__(self, error: str) -> None:
        super().__init__(f"the reply was not sent ({error}); the platform may deliver it again")
        self.error = error


class Outcome(StrEnum):
    """What became of one inbound value (a fixed set, fit for a metric label)."""

    ANSWERED = "answered"
    DUPLICATE = "duplicate"
    DROPPED = "dropped"
    IGNORED = "ignored"
    GIVEN_UP = "given_up"
    """The reply kept failing; the delivery is recorded so the platform stops retrying."""


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome, and for an answered turn the reply and whether the session ended."""

    outcome: Outcome
    reply: Reply | None = None
    ended: bool = False


class ChannelRoutes(Protocol):
    """What a channel gives the web app: routes bound to its own objects, and what it
    opens (API clients, a poller) while the app runs, on the app's one HTTP client."""

    def routes(self) -> list[web.RouteDef]:
        """The channel's routes; none when its settings do not allow any."""
        ...

    def running(self, http: aiohttp.ClientSession) -> AbstractAsyncContextManager[None]:
        """Open the channel's clients for the app's lifetime."""
        ...
