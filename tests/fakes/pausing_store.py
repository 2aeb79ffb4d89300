"""A real store that can hold its next save until released: to race two turns in a test."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.engine.session import Session
from bot.store.base import Store
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

    async def save(self, key: SessionKey, session: Session | None, *rest: Any) -> None:
        if self._armed:
            self._armed = False
            self.paused.set()
            await self._gate.wait()
        await self.store.save(key, session, *rest)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)
