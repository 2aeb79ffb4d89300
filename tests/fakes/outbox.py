"""A recording outbox: the replies a channel would have sent, for service tests.

It can hold a delivery until released (to race two turns) and fail like a platform.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from bot.channels.base import NotSent, Unreachable
from bot.engine.reply import Reply
from bot.engine.session import Session


class RecordingOutbox:
    """Records each delivered reply; ids 1, 2, 3… stand for the messages it "sent"."""

    def __init__(
        self,
        *,
        hold: asyncio.Event | None = None,
        fail: Exception | None = None,
    ) -> None:
        self.replies: list[Reply] = []
        self.befores: list[Session | None] = []
        self.hold = hold
        self.fail = fail
        self.delivering = asyncio.Event()
        """Set once a delivery has begun (and is waiting for `hold`, if given)."""
        self._next_id = 0

    async def deliver(self, reply: Reply, before: Session | None, now: float) -> Sequence[int]:
        self.delivering.set()
        if self.hold is not None:
            await self.hold.wait()
        if self.fail is not None:
            raise self.fail
        self.replies.append(reply)
        self.befores.append(before)
        ids = []
        for _ in reply.messages:
            self._next_id += 1
            ids.append(self._next_id)
        return ids


def not_sent() -> NotSent:
    """What a platform's outbox raises after its retries ran out."""
    return NotSent("NetworkError")


def unreachable() -> Unreachable:
    """What a platform's outbox raises when the person blocked the bot."""
    return Unreachable("blocked")
