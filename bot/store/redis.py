"""The Redis store, for several replicas: sessions expire by Redis TTL, one round trip a write.

Keys hold only the HMAC pseudonym, a platform delivery id or a day, never a person's id.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bot.engine.session import Session
from bot.store.base import DELIVERY_MEMORY, Delivery, Tally, expired, sum_by_screen
from bot.store.pseudonym import SessionKey

PREFIX = "putokaz:"
POOL_SIZE = 32
"""Connections to Redis per client; one event loop keeps few commands in flight at once."""
POOL_WAIT = 10.0
"""Seconds a command waits for a free connection before the update is deferred (503)."""

# The whole answered update in one command, applied atomically: the session (or its
# deletion) with its entry in the index that `count` and `purge` read, the delivery id
# recorded as answered, and one statistics count. Optional parts are empty strings.
SAVE = """
if ARGV[1] == '' then
  redis.call('del', KEYS[1])
  redis.call('zrem', KEYS[2], ARGV[4])
else
  redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
  redis.call('zadd', KEYS[2], ARGV[3], ARGV[4])
end
if KEYS[3] ~= '' then redis.call('set', KEYS[3], '1', 'NX', 'EX', ARGV[5]) end
if KEYS[4] ~= '' then redis.call('hincrby', KEYS[4], ARGV[6], 1) end
return 1
"""


class PepperMismatch(RuntimeError):
    """Another replica on this Redis uses another pepper: their session keys would differ."""


def connect(url: str) -> Any:
    """A redis-py asyncio client for `url`, or an error that says how to install it."""
    try:
        import redis.asyncio as redis_asyncio
    except ImportError:
        raise RuntimeError(
            "PUTOKAZ_REDIS_URL is set but the redis package is missing — "
            "pip install 'putokaz[redis]'"
        ) from None
    # A bounded pool that makes a turn wait for a free connection: under a burst the default
    # one opens connections until it refuses (MaxConnectionsError), failing the update.
    pool = redis_asyncio.BlockingConnectionPool.from_url(
        url, max_connections=POOL_SIZE, timeout=POOL_WAIT
    )
    return redis_asyncio.Redis.from_pool(pool)


class RedisStore:
    """Sessions, deliveries and statistics counts in Redis, shared by every replica."""

    def __init__(
        self,
        url: str,
        ttl: float = 24 * 3600,
        prefix: str = PREFIX,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.ttl = ttl
        self.prefix = prefix
        self.clock = clock
        self._redis: Any = connect(url)
        self._save = self._redis.register_script(SAVE)
        self._index = f"{prefix}sessions"
        """A sorted set: pseudonym -> last update, so count and purge never read sessions."""

    def _session(self, key: SessionKey) -> str:
        return f"{self.prefix}s:{key.value}"

    def _tally(self, day: str) -> str:
        return f"{self.prefix}c:{day}"

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
        self,
        key: SessionKey,
        session: Session | None,
        delivery: Delivery | None = None,
        tally: Tally | None = None,
    ) -> None:
        keys = [
            self._session(key),
            self._index,
            "" if delivery is None else f"{self.prefix}d:{delivery.channel}:{delivery.id}",
            "" if tally is None else self._tally(tally.day),
        ]
        args = [
            "" if session is None else session.to_json(),
            int(self.ttl),
            0.0 if session is None else session.updated,
            key.value,
            DELIVERY_MEMORY,
            "" if tally is None else tally.field,
        ]
        await self._save(keys=keys, args=args)

    async def purge(self, now: float) -> int:
        """Sessions expire by their Redis TTL; this only trims the index (one command)."""
        return int(await self._redis.zremrangebyscore(self._index, "-inf", now - self.ttl))

    async def count(self) -> int:
        """Sessions updated within the TTL, from the index: one command, no session read."""
        return int(await self._redis.zcount(self._index, self.clock() - self.ttl, "+inf"))

    async def answered(self, channel: str, delivery_id: str) -> bool:
        return bool(await self._redis.exists(f"{self.prefix}d:{channel}:{delivery_id}"))

    async def delivery_failed(self, channel: str, delivery_id: str, now: float) -> int:
        name = f"{self.prefix}f:{channel}:{delivery_id}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, DELIVERY_MEMORY)
            count, _ = await pipe.execute()
        return int(count)

    async def tallies(self, day: str) -> dict[tuple[str, str], int]:
        raw = await self._redis.hgetall(self._tally(day))
        return sum_by_screen({Tally.from_field(day, f.decode()): int(n) for f, n in raw.items()})

    async def tally_counts(self, day: str) -> dict[Tally, int]:
        raw = await self._redis.hgetall(self._tally(day))
        return {Tally.from_field(day, f.decode()): int(n) for f, n in raw.items()}

    async def claim_pepper(self, fingerprint: str) -> None:
        """Record this replica's pepper fingerprint, or refuse to run beside another one."""
        name = f"{self.prefix}pepper"
        await self._redis.set(name, fingerprint, nx=True)
        stored = await self._redis.get(name)
        if stored is not None and stored.decode() != fingerprint:
            raise PepperMismatch(
                "PUTOKAZ_REDIS_URL is shared with a replica that uses another pepper, so the "
                "same person would get another session on each replica — set the same "
                "PUTOKAZ_PEPPER on every replica (after rotating it on all of them on purpose: "
                f"redis-cli DEL {name})"
            )

    async def close(self) -> None:
        await self._redis.aclose()
