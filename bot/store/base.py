"""The store port: sessions by pseudonymous key, and delivery ids seen once.

Implementations keep no platform id, name or text; only what `Session` holds.
"""

from __future__ import annotations

from typing import Protocol

from bot.engine.session import Session
from bot.store.pseudonym import SessionKey

DELIVERY_MEMORY = 7 * 24 * 3600
"""How long a delivery id is remembered (Telegram retries for about a day)."""


class Store(Protocol):
    ttl: float

    async def get(self, key: SessionKey, now: float) -> Session | None:
        """The session, or None when there is none or it has been idle past the TTL."""

    async def put(self, key: SessionKey, session: Session) -> None: ...

    async def delete(self, key: SessionKey) -> None: ...

    async def purge(self, now: float) -> int:
        """Delete idle sessions and old delivery ids; return how many sessions went."""

    async def count(self) -> int: ...

    async def first_delivery(self, channel: str, delivery_id: str, now: float) -> bool:
        """Record a platform delivery id as answered; False when it was recorded before."""

    async def answered(self, channel: str, delivery_id: str) -> bool:
        """Whether the delivery id was recorded as answered (a redelivery is a duplicate)."""

    async def delivery_failed(self, channel: str, delivery_id: str, now: float) -> int:
        """Count one delivery whose reply could not be sent; the count so far, this one included."""

    async def close(self) -> None: ...


def expired(session: Session, now: float, ttl: float) -> bool:
    return session.updated + ttl < now
