"""The isolation port: one person's turns run one at a time (aiogram's BaseEventIsolation).

Deliveries overlap (concurrent webhooks, redeliveries); without this a tap racing a quick
exit would save back the session the exit deleted. Memory here; Redis for replicas.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Protocol

from bot.store.pseudonym import SessionKey


class Isolation(Protocol):
    """`async with isolation.lock(key)`: turns with the same key wait for each other."""

    def lock(self, key: SessionKey) -> AbstractAsyncContextManager[None]:
        """Hold `key` until the block ends."""
        ...

    async def close(self) -> None:
        """Release what the implementation holds open."""
        ...


@dataclass(slots=True)
class _Held:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0


class MemoryIsolation:
    """Locks in this process's memory, only while a turn runs: right for one replica."""

    def __init__(self) -> None:
        self._held: dict[str, _Held] = {}

    @contextlib.asynccontextmanager
    async def lock(self, key: SessionKey) -> AsyncIterator[None]:
        """Hold `key`; a key no turn waits for is forgotten at once."""
        held = self._held.get(key.value)
        if held is None:
            held = self._held[key.value] = _Held()
        held.waiting += 1
        try:
            async with held.lock:
                yield
        finally:
            held.waiting -= 1
            if held.waiting == 0:
                del self._held[key.value]

    def __len__(self) -> int:
        return len(self._held)

    async def close(self) -> None:
        """Nothing to release: locks live only while their turns run."""
