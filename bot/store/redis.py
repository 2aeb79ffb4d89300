"""The Redis store, for several replicas: sessions expire by Redis TTL.

Keys hold only the HMAC pseudonym or a platform delivery id, never a person's id.
"""

from __future__ import annotations

from typing import Any

from bot.engine.session import Session
from bot.store.base import DELIVERY_MEMORY, Delivery, expired
from bot.store.pseudonym import SessionKey

PREFIX = "putokaz:"


class RedisStore:
    """Sessions and deliveries in Redis, shared by every replica."""

    def __init__(self, url: str, ttl: float = 24 * 3600, prefix: str = PREFIX) -> None:
        try:
            import redis.asyncio as redis_asyncio
        except ImportError:
            raise RuntimeError(
                "PUTOKAZ_REDIS_URL is set but the redis package is missing — "
                "pip install 'putokaz[redis]'"
            ) from None
        self.ttl = ttl
        self.prefix = prefix
        self._redis: Any = redis_asyncio.from_url(url)

    def _session(self, key: SessionKey) -> str:
        return f"{self.prefix}s:{key.value}"

    async def get(self, key: SessionKey, now: float) -> Session | None:
        raw = await self._redis.get(self._session(key))
        if raw is None:
            return None
        session = Session.from_json(raw)
        if expired(session, now, self.ttl):
            await self._redis.delete(self._session(key))
            return None
        return session

    async def save(
        self, key: SessionKey, session: Session | None, delivery: Delivery | None = None
    ) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:  # MULTI/EXEC: both or neither
            if session is None:
                pipe.delete(self._session(key))
            else:
                pipe.set(self._session(key), session.to_json(), ex=int(self.ttl))
            if delivery is not None:
                name = f"{self.prefix}d:{delivery.channel}:{delivery.id}"
                pipe.set(name, "1", nx=True, ex=DELIVERY_MEMORY)
            await pipe.execute()

    async def purge(self, now: float) -> int:
        purged = 0
        async for name in self._redis.scan_iter(match=f"{self.prefix}s:*", count=500):
            raw = await self._redis.get(name)
            if raw is not None and expired(Session.from_json(raw), now, self.ttl):
                purged += await self._redis.delete(name)
        return purged

    async def count(self) -> int:
        total = 0
        async for _ in self._redis.scan_iter(match=f"{self.prefix}s:*", count=500):
            total += 1
        return total

    async def answered(self, channel: str, delivery_id: str) -> bool:
        return bool(await self._redis.exists(f"{self.prefix}d:{channel}:{delivery_id}"))

    async def delivery_failed(self, channel: str, delivery_id: str, now: float) -> int:
        name = f"{self.prefix}f:{channel}:{delivery_id}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, DELIVERY_MEMORY)
            count, _ = await pipe.execute()
        return int(count)

    async def close(self) -> None:
        await self._redis.aclose()
