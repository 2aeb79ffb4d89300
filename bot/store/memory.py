"""An in-memory store for tests and `putokaz chat`; gone when the process ends."""

from __future__ import annotations

from bot.engine.session import Session
from bot.store.base import DELIVERY_MEMORY, expired
from bot.store.pseudonym import SessionKey


class MemoryStore:
    def __init__(self, ttl: float = 24 * 3600) -> None:
        self.ttl = ttl
        self._sessions: dict[str, Session] = {}
        self._deliveries: dict[tuple[str, str], float] = {}
        self._failures: dict[tuple[str, str], tuple[int, float]] = {}

    async def get(self, key: SessionKey, now: float) -> Session | None:
        session = self._sessions.get(key.value)
        if session is not None and expired(session, now, self.ttl):
            del self._sessions[key.value]
            return None
        return session

    async def put(self, key: SessionKey, session: Session) -> None:
        self._sessions[key.value] = session

    async def delete(self, key: SessionKey) -> None:
        self._sessions.pop(key.value, None)

    async def purge(self, now: float) -> int:
        stale = [k for k, s in self._sessions.items() if expired(s, now, self.ttl)]
        for k in stale:
            del self._sessions[k]
        old = [m for m, seen in self._deliveries.items() if seen + DELIVERY_MEMORY < now]
        for marker in old:
            del self._deliveries[marker]
        for marker in [
            m for m, (_, seen) in self._failures.items() if seen + DELIVERY_MEMORY < now
        ]:
            del self._failures[marker]
        return len(stale)

    async def count(self) -> int:
        return len(self._sessions)

    async def first_delivery(self, channel: str, delivery_id: str, now: float) -> bool:
        marker = (channel, delivery_id)
        if marker in self._deliveries:
            return False
        self._deliveries[marker] = now
        self._failures.pop(marker, None)
        return True

    async def answered(self, channel: str, delivery_id: str) -> bool:
        return (channel, delivery_id) in self._deliveries

    async def delivery_failed(self, channel: str, delivery_id: str, now: float) -> int:
        marker = (channel, delivery_id)
        count = self._failures.get(marker, (0, now))[0] + 1
        self._failures[marker] = (count, now)
        return count

    async def close(self) -> None:
        self._sessions.clear()
