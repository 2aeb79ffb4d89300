"""A real store that can hold its next save until released: to race two turns in a test."""

from __future__ import annotations

import asyncio

from bot.engine.session import Session
from bot.store.base import Delivery, Store
from bot.store.pseudonym import SessionKey


class PausingStore:
    """Delegates to `store`; `pause_next_save()` makes the next save wait for `release()`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.ttl = store.ttl
        self.paused = asyncio.Event()
        """Set while a save waits."""
        self._gate = asyncio.Event()
        self._armed = False

    def pause_next_save(self) -> None:
        self._gate.clear()
        self._armed = True

    def release(self) -> None:
        self._gate.set()

    async def get(self, key: SessionKey, now: float) -> Session | None:
        return await self.store.get(key, now)

    async def save(
        self, key: SessionKey, session: Session | None, delivery: Delivery | None = None
    ) -> None:
        if self._armed:
            self._armed = False
            self.paused.set()
            await self._gate.wait()
        await self.store.save(key, session, delivery)

    async def answered(self, channel: str, delivery_id: str) -> bool:
        return await self.store.answered(channel, delivery_id)

    async def delivery_failed(self, channel: str, delivery_id: str, now: float) -> int:
        return await self.store.delivery_failed(channel, delivery_id, now)

    async def purge(self, now: float) -> int:
        return await self.store.purge(now)

    async def count(self) -> int:
        return await self.store.count()

    async def close(self) -> None:
        await self.store.close()
