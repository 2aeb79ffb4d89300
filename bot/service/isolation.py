"""One person's turns run one at a time: an in-memory lock per session key.

Held only while a turn runs; a key with no turn waiting is forgotten at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field


@dataclass(slots=True)
class _Held:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0


class KeyedLocks:
    """`async with locks.hold(key)`: turns with the same key wait for each other."""

    def __init__(self) -> None:
        self._held: dict[str, _Held] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        held = self._held.get(key)
        if held is None:
            held = self._held[key] = _Held()
        held.waiting += 1
        try:
            async with held.lock:
                yield
        finally:
            held.waiting -= 1
            if held.waiting == 0:
                del self._held[key]

    def __len__(self) -> int:
        return len(self._held)
