"""The application service every channel uses: `Conversations.run(channel, inbound, outbox)`.

For a turn: duplicate check, per-session isolation, read, step, deliver, record message
ids, one transactional write of the session, the delivery id and the screen's statistics
count, hand-off, one log line.
The delivery id is written only after the reply went out, so a crash in between leaves
the update to be answered when the platform delivers it again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace

from bot.channels.base import (
    Blocked,
    Group,
    Ignored,
    Inbound,
    NotSent,
    Outbox,
    Outcome,
    PlatformId,
    Result,
    Turn,
    Unreachable,
)
from bot.engine import Flows, Session, StepContext, step
from bot.engine.events import Start
from bot.engine.payload import parse_payload
from bot.engine.relocate import relocate
from bot.engine.reply import Effect
from bot.engine.step import public_node
from bot.i18n.suggest import suggest_language
from bot.logs import log_event
from bot.metrics import Metrics
from bot.service.handoff import Handoffs, handoff_code
from bot.store.base import UNAVAILABLE, Delivery, Store, Tally
from bot.store.isolation import Isolation, MemoryIsolation
from bot.store.pseudonym import Pseudonymizer

DELIVERY_ATTEMPTS = 5
"""Deliveries of one update whose reply could not be sent before it is given up
(recorded as answered without a reply), so a permanently failing update does not loop."""


class ReplyNotSent(Exception):
    """The reply could not be sent yet; the webhook answers 503 so the platform retries."""

    def __init__(self, channel: str, attempt: int) -> None:
        super().__init__(
            f"{channel}: the reply could not be sent (delivery attempt {attempt} of "
            f"{DELIVERY_ATTEMPTS}); the platform will deliver the update again"
        )
        self.channel = channel
        self.attempt = attempt


class StoreUnavailable(ReplyNotSent):
    """The store or the isolation could not be reached (Redis restarting, a network blip):
    answered 503 like a reply not sent, so the platform delivers the update again."""

    def __init__(self, channel: str, error: str) -> None:
        Exception.__init__(
            self,
            f"{channel}: the store is unavailable ({error}); the platform will deliver the "
            "update again — check PUTOKAZ_REDIS_URL and that Redis runs (putokaz doctor)",
        )
        self.channel = channel
        self.attempt = 0


class Conversations:
    """Flows, store, pseudonyms, clock and isolation: all a channel's updates go through."""

    def __init__(
        self,
        flows: Flows,
        store: Store,
        pseudonyms: Pseudonymizer,
        clock: Callable[[], float] = time.time,
        handoffs: Handoffs | None = None,
        isolation: Isolation | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.flows = flows
        self.store = store
        self.pseudonyms = pseudonyms
        self.clock = clock
        self.handoffs = handoffs if handoffs is not None else Handoffs()
        self.isolation = isolation if isolation is not None else MemoryIsolation()
        self.metrics = metrics if metrics is not None else Metrics()

    async def run(self, channel: str, inbound: Inbound, outbox: Outbox) -> Result:
        """Act on one inbound value; raises ReplyNotSent when the platform should retry."""
        try:
            result = await self._run(channel, inbound, outbox)
        except ReplyNotSent:
            self.metrics.update(channel, "deferred")
            raise
        except UNAVAILABLE as error:
            # Before the reply: nothing went out, the redelivery is answered. After it: the
            # person may see it twice, which is the side a crash errs on too.
            self.metrics.update(channel, "deferred")
            log_event("store_unavailable", logging.WARNING, channel=channel, error=_name(error))
            raise StoreUnavailable(channel, _name(error)) from None
        if result.outcome is Outcome.DUPLICATE:
            self.metrics.duplicate(channel)
        else:
            self.metrics.update(channel, result.outcome.value)
        return result

    async def _run(self, channel: str, inbound: Inbound, outbox: Outbox) -> Result:
        match inbound:
            case Turn():
                return await self._turn(channel, inbound, outbox)
            case Blocked(platform_id=platform_id, reason=reason):
                key = self.pseudonyms.key(channel, platform_id)
                async with self.isolation.lock(key):
                    await self.store.save(key, None)
                log_event("session_dropped", channel=channel, reason=reason)
                return Result(Outcome.DROPPED)
            case Group(reason=reason) | Ignored(reason=reason):
                log_event("ignored", channel=channel, reason=reason)
                return Result(Outcome.IGNORED)

    async def _turn(self, channel: str, turn: Turn, outbox: Outbox) -> Result:
        started = time.perf_counter()
        flows = self.flows  # published content may be swapped in meanwhile; a turn keeps its own
        key = self.pseudonyms.key(channel, turn.platform_id)
        async with self.isolation.lock(key):
            # Inside the lock: a concurrent duplicate waits, then finds this one answered.
            if turn.delivery_id is not None and await self.store.answered(
                channel, turn.delivery_id
            ):
                log_event("duplicate", channel=channel)
                return Result(Outcome.DUPLICATE)
            now = self.clock()
            delivery = (
                None if turn.delivery_id is None else Delivery(channel, turn.delivery_id, now)
            )
            # One read: a publish swaps `self.flows` whole, and this turn keeps the set it
            # started with.
            flows = self.flows
            event = turn.event
            if isinstance(event, Start) and event.suggested:
                # Channels pass what the device says (Accept-Language, language_code);
                # the engine gets one of our codes or nothing.
                suggested = suggest_language(event.suggested, flows.languages)
                event = replace(event, suggested=suggested)
            before = relocate(flows, await self.store.get(key, now))
            if before is not None and _idle(before, now, turn.idle_limit):
                before = None  # starts again as a new session; the save replaces the old one
            after, reply = step(flows, before, event, StepContext(now, handoff_code()))
            outcome = Outcome.ANSWERED
            try:
                ids = await outbox.deliver(reply, before, now)
            except Unreachable as gone:
                await self.store.save(key, None, delivery)
                log_event("session_dropped", channel=channel, reason=gone.reason)
                return Result(Outcome.DROPPED)
            except NotSent as failure:
                log_event("reply_failed", logging.WARNING, channel=channel, error=failure.error)
                if delivery is not None:
                    attempt = await self.store.delivery_failed(channel, delivery.id, now)
                    if attempt < DELIVERY_ATTEMPTS:
                        if after is None:  # an exit or forget deletes the session even so
                            await self.store.save(key, None)
                        log_event(
                            "reply_deferred", logging.WARNING, channel=channel, attempt=attempt
                        )
                        raise ReplyNotSent(channel, attempt) from None
                    log_event("reply_given_up", logging.WARNING, channel=channel, attempt=attempt)
                ids, outcome = (), Outcome.GIVEN_UP
            if after is not None and ids:
                after = after.with_messages(*ids)
            node = public_node(flows, reply.node)
            # The screen shown counts in the same write; a reply given up shows nothing.
            tally = (
                Tally.of(now, reply.language, node, channel, _origin(event))
                if node is not None and outcome is Outcome.ANSWERED
                else None
            )
            await self.store.save(key, after, delivery, tally)
        if reply.handoff is not None:
            self.handoffs.post(reply.handoff, now)
            self.metrics.handoff(channel)
        if Effect.QUICK_EXIT in reply.effects:
            self.metrics.quick_exit(channel)
        seconds = time.perf_counter() - started
        self.metrics.latency(channel, seconds)
        log_event(
            "reply",
            channel=channel,
            node=node,
            lang=reply.language,
            effect=",".join(e.value for e in reply.effects) or None,
            ms=round(seconds * 1000, 2),
        )
        return Result(outcome, reply, after is None)

    async def peek(
        self, channel: str, platform_id: PlatformId, idle_limit: float | None = None
    ) -> Session | None:
        """The stored session, without a turn (the web chat draws its page from it); None
        when there is none or it was idle for `idle_limit` seconds or more."""
        now = self.clock()
        session = await self.store.get(self.pseudonyms.key(channel, platform_id), now)
        if session is None or _idle(session, now, idle_limit):
            return None
        return session

    async def purge(self) -> int:
        """Delete idle sessions and old delivery ids now; how many sessions went."""
        return await self.store.purge(self.clock())


def _idle(session: Session, now: float, limit: float | None) -> bool:
    return limit is not None and now - session.updated >= limit


def _name(error: BaseException) -> str:
    return type(error).__name__


def _origin(event: object) -> str:
    """How a conversation was opened, for the counts: "" unless this is a start."""
    if not isinstance(event, Start):
        return ""
    return parse_payload(event.payload).campaign or "direct"
