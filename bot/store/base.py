"""The store port: sessions by pseudonymous key, and delivery ids answered once.

Implementations keep no platform id, name or text; only what `Session` holds.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from bot.engine.session import Session
from bot.store.pseudonym import SessionKey


def _unavailable() -> tuple[type[Exception], ...]:
    errors: list[type[Exception]] = [OSError, TimeoutError, sqlite3.OperationalError]
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:
        return tuple(errors)
    return (*errors, RedisConnectionError, RedisTimeoutError)


UNAVAILABLE = _unavailable()
"""What a store or isolation raises when it cannot be reached right now (Redis restarting,
SQLite busy): the update is worth delivering again."""

DELIVERY_MEMORY = 7 * 24 * 3600
"""How long a delivery id is remembered (Telegram retries for about a day)."""


@dataclass(frozen=True, slots=True)
class Delivery:
    """A platform delivery (Telegram update_id, Viber message_token) being answered."""

    channel: str
    id: str
    at: float


@dataclass(frozen=True, slots=True)
class Tally:
    """One anonymous statistics count: a screen shown on a day in a language on a channel,
    and for the first screen of a conversation how it was opened; no key, nothing else."""

    day: str
    """The UTC day, e.g. 2026-12-01."""
    language: str
    node: str
    channel: str = ""
    origin: str = ""
    """"" after a tap or a message; on a start: "direct", or the link's campaign tag."""

    @classmethod
    def of(cls, now: float, language: str, node: str, channel: str = "", origin: str = "") -> Tally:
        """The count for a screen shown at `now` (seconds since the epoch)."""
        return cls(_utc_day(int(now // 86400)), language, node, channel, origin)

    @property
    def field(self) -> str:
        """`language|node|channel|origin`: one counter within the day (none holds a `|`)."""
        if not self.channel and not self.origin:
            return f"{self.language}|{self.node}"
        return f"{self.language}|{self.node}|{self.channel}|{self.origin}"

    @staticmethod
    def parse_field(field: str) -> tuple[str, str]:
        """(language, node) back from `field`."""
        language, _, rest = field.partition("|")
        return language, rest.split("|", 1)[0]

    @classmethod
    def from_field(cls, day: str, field: str) -> Tally:
        parts = [*field.split("|"), "", ""]
        return cls(day, parts[0], parts[1], parts[2], parts[3])


def sum_by_screen(counts: dict[Tally, int]) -> dict[tuple[str, str], int]:
    """(language, node) -> screens shown, over channels and origins."""
    out: dict[tuple[str, str], int] = {}
    for tally, n in counts.items():
        out[(tally.language, tally.node)] = out.get((tally.language, tally.node), 0) + n
    return out


class Store(Protocol):
    """Sessions and answered deliveries; every implementation passes tests/store."""

    ttl: float

    async def get(self, key: SessionKey, now: float) -> Session | None:
        """The session, or None when there is none or it has been idle past the TTL."""
        ...

    async def save(
        self,
        key: SessionKey,
        session: Session | None,
        delivery: Delivery | None = None,
        tally: Tally | None = None,
    ) -> None:
        """One transactional write: the session (deleted when None), the delivery
        recorded as answered and one statistics count, all or none."""
        ...

    async def answered(self, channel: str, delivery_id: str) -> bool:
        """Whether the delivery id was recorded as answered (a redelivery is a duplicate)."""
        ...

    async def delivery_failed(self, channel: str, delivery_id: str, now: float) -> int:
        """Count one delivery whose reply could not be sent; the count so far, this one included."""
        ...

    async def purge(self, now: float) -> int:
        """Delete idle sessions and old delivery ids; return how many sessions went."""
        ...

    async def count(self) -> int:
        """How many sessions are stored."""
        ...

    async def tallies(self, day: str) -> dict[tuple[str, str], int]:
        """The statistics counts of one UTC day: (language, node) -> screens shown."""
        ...

    async def tally_counts(self, day: str) -> dict[Tally, int]:
        """Every count of one UTC day, by language, screen, channel and origin."""
        ...

    async def close(self) -> None:
        """Close connections; the store is not used afterwards."""
        ...


def expired(session: Session, now: float, ttl: float) -> bool:
    """Whether `session` has been idle longer than `ttl` at `now`."""
    return session.updated + ttl < now


@lru_cache(maxsize=4)
def _utc_day(days: int) -> str:
    """`2026-12-02` for a day number since the epoch: the same all day, so made once a day."""
    return time.strftime("%Y-%m-%d", time.gmtime(days * 86400))
