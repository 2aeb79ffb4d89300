"""The application service every channel uses: load the session, step, save, hand off.

`begin()` and `commit()` are split so a channel can send the reply (and add its message
ids) before the single write of the update; the delivery id is recorded with that write,
so a crash before it leaves the update to be answered when the platform redelivers it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace

from bot.engine import Flows, Reply, Session, StepContext, step
from bot.engine.events import Event, Start
from bot.engine.reply import Effect
from bot.engine.step import public_node
from bot.i18n.suggest import suggest_language
from bot.logs import log_event
from bot.metrics import Metrics
from bot.service.delivery import DELIVERY_ATTEMPTS, ReplyNotSent
from bot.service.handoff import Handoffs, handoff_code
from bot.service.isolation import KeyedLocks
from bot.store.base import Store
from bot.store.pseudonym import Pseudonymizer, SessionKey


@dataclass
class Turn:
    channel: str
    key: SessionKey
    before: Session | None
    after: Session | None
    reply: Reply
    started: float
    delivery: str | None = None
    """The platform's delivery id, recorded as answered by `commit()`."""


class Conversations:
    def __init__(
        self,
        flows: Flows,
        store: Store,
        pseudonyms: Pseudonymizer,
        clock: Callable[[], float] = time.time,
        handoffs: Handoffs | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.flows = flows
        self.store = store
        self.pseudonyms = pseudonyms
        self.clock = clock
        self.handoffs = handoffs if handoffs is not None else Handoffs()
        self.metrics = metrics if metrics is not None else Metrics()
        self.locks = KeyedLocks()

    def key(self, channel: str, platform_id: str | int) -> SessionKey:
        return self.pseudonyms.key(channel, platform_id)

    def one_at_a_time(
        self, channel: str, platform_id: str | int
    ) -> AbstractAsyncContextManager[None]:
        """Hold one person's turns apart: deliveries may overlap (webhooks, redeliveries),
        and a later save must not bring back what an exit deleted or answer a duplicate."""
        return self.locks.hold(self.key(channel, platform_id).value)

    async def answered(self, channel: str, delivery_id: str) -> bool:
        """Whether this delivery was answered before; ask inside `one_at_a_time()`."""
        if await self.store.answered(channel, delivery_id):
            self.metrics.duplicate(channel)
            return True
        return False

    async def begin(
        self, channel: str, platform_id: str | int, event: Event, delivery: str | None = None
    ) -> Turn:
        started = time.perf_counter()
        key = self.key(channel, platform_id)
        now = self.clock()
        if isinstance(event, Start) and event.suggested:
            # Channels pass what the device says (Accept-Language, language_code); the
            # engine gets one of our codes or nothing.
            event = replace(
                event, suggested=suggest_language(event.suggested, self.flows.languages)
            )
        before = await self.store.get(key, now)
        after, reply = step(self.flows, before, event, StepContext(now, handoff_code()))
        return Turn(channel, key, before, after, reply, started, delivery)

    async def commit(self, turn: Turn) -> None:
        """Save the session, then record the delivery as answered; call once the reply
        went out or its failure is final."""
        if turn.after is None:
            await self.store.delete(turn.key)
        else:
            await self.store.put(turn.key, turn.after)
        if turn.delivery is not None:
            await self.store.first_delivery(turn.channel, turn.delivery, self.clock())
        if turn.reply.handoff is not None:
            self.handoffs.post(turn.reply.handoff, self.clock())
            self.metrics.handoff(turn.channel)
        if Effect.QUICK_EXIT in turn.reply.effects:
            self.metrics.quick_exit(turn.channel)
        seconds = time.perf_counter() - turn.started
        self.metrics.answered(turn.channel, seconds)
        log_event(
            "reply",
            channel=turn.channel,
            node=public_node(self.flows, turn.reply.node),
            lang=turn.reply.language,
            effect=",".join(e.value for e in turn.reply.effects) or None,
            ms=round(seconds * 1000, 2),
        )

    async def reply_failed(self, turn: Turn) -> None:
        """The reply could not be sent after the retries: raise ReplyNotSent so the platform
        delivers the update again, or, after DELIVERY_ATTEMPTS, commit without a reply."""
        if turn.delivery is not None:
            attempt = await self.store.delivery_failed(turn.channel, turn.delivery, self.clock())
            if attempt < DELIVERY_ATTEMPTS:
                if turn.after is None:  # an exit or forget deletes the session even so
                    await self.store.delete(turn.key)
                self.metrics.update(turn.channel, "failed")
                log_event("reply_deferred", logging.WARNING, channel=turn.channel, attempt=attempt)
                raise ReplyNotSent(turn.channel, attempt)
            log_event("reply_given_up", logging.WARNING, channel=turn.channel, attempt=attempt)
        await self.commit(turn)

    async def handle(self, channel: str, platform_id: str | int, event: Event) -> Turn:
        """Step and save in one go (channels that need nothing between the two)."""
        turn = await self.begin(channel, platform_id, event)
        await self.commit(turn)
        return turn

    async def drop(self, channel: str, platform_id: str | int, reason: str) -> None:
        """Delete a session because the person left the platform conversation."""
        await self.store.delete(self.key(channel, platform_id))
        self.metrics.update(channel, "blocked")
        log_event("session_dropped", channel=channel, reason=reason)
