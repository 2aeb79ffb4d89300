"""An in-memory store for tests and `putokaz chat`; gone when the process ends."""

from __future__ import annotations

from bot.engine.session import Session
from bot.store.base import DELIVERY_MEMORY, Delivery, Tally, expired, sum_by_screen
from bot.store.pseudonym import SessionKey


class MemoryStore:
    """Sessions and deliveries in dicts: one replica, no persistence."""

    def __init__(self, ttl: float = 24 * 3600) -> None:
        self.ttl = ttl
        self._sessions: dict[str, Session] = {}
        self._deliveries: dict[tuple[str, str], float] = {}
        self._failures: dict[tuple[str, str], tuple[int, float]] = {}
        self._tallies: dict[str, dict[Tally, int]] = {}

    async def get(self, key: SessionKey, now: float) -> Session | None:
        session = self._sessions.get(key.value)
        if session is not None and expired(session, now, self.ttl):
            del self._sessions[key.value]
            return None
        return session

    async def save(
        self,
        key: SessionKey,
        session: Session | None,
        delivery: Delivery | None = None,
        tally: Tally | None = None,
    ) -> None:
        if session is None:
            self._sessions.pop(key.value, None)
        else:
            self._sessions[key.value] = session
        if delivery is not None:
            self._deliveries.setdefault((delivery.channel, delivery.id), delivery.at)
        if tally is not None:
            day = self._tallies.setdefault(tally.day, {})
            day[tally] = day.get(tally, 0) + 1

    async def answered(self, channel: str, delivery_id: str) -> bool:
        return (channel, delivery_id) in self._deliveries

    async def delivery_failed(self, channel: str, delivery_id: str, now: float) -> int:
        count = self._failures.get((channel, delivery_id), (0, now))[0] + 1
        self._failures[(channel, delivery_id)] = (count, now)
        return count

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

    async def tallies(self, day: str) -> dict[tuple[str, str], int]:
        return sum_by_screen(self._tallies.get(day, {}))

    async def tally_counts(self, day: str) -> dict[Tally, int]:
        return dict(self._tallies.get(day, {}))

    async def close(self) -> None:
        self._sessions.clear()
