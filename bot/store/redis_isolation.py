"""Isolation across replicas: a short Redis lock per session key, with a token and safe release.

A lock lives LOCK_TTL seconds unless its holder renews it, so a replica that dies holding
one blocks that person for at most LOCK_TTL. Why a lock and not check-and-set: docs/SCALING.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import secrets
from collections.abc import AsyncIterator
from typing import Any

from bot.logs import log_event
from bot.store.base import UNAVAILABLE
from bot.store.isolation import MemoryIsolation
from bot.store.pseudonym import SessionKey
from bot.store.redis import PREFIX, connect

LOCK_TTL = 3.0
"""Seconds a lock outlives a holder that stopped renewing it (a replica killed mid-turn)."""
RENEW_EVERY = 1.0
"""How often the locks still held are extended back to LOCK_TTL (turns over a second)."""
FIRST_WAIT, LONGEST_WAIT = 0.002, 0.05
"""Polling a lock held elsewhere: from 2 ms, doubling, to 50 ms between tries."""

# Delete or extend the lock only while it still holds our token: after an expiry another
# replica may hold it, and a plain DEL would free *its* lock.
RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""
RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
return 0
"""


class RedisIsolation:
    """One turn per session key at a time across every replica sharing the Redis."""

    def __init__(
        self,
        url: str,
        prefix: str = PREFIX,
        ttl: float = LOCK_TTL,
        renew_every: float = RENEW_EVERY,
    ) -> None:
        self.prefix = prefix
        self.ttl = ttl
        self.renew_every = renew_every
        self._redis: Any = connect(url)
        self._release = self._redis.register_script(RELEASE)
        self._renew = self._redis.register_script(RENEW)
        # Turns of one key in this process queue here, so only one of them polls Redis.
        self._local = MemoryIsolation()
        self._held: dict[str, str] = {}
        self._renewer: asyncio.Task[None] | None = None

    @contextlib.asynccontextmanager
    async def lock(self, key: SessionKey) -> AsyncIterator[None]:
        """Hold `key` here and in Redis until the block ends."""
        async with self._local.lock(key):
            name = f"{self.prefix}l:{key.value}"
            token = secrets.token_hex(16)
            await self._acquire(name, token)
            self._held[name] = token
            self._start_renewing()
            try:
                yield
            finally:
                del self._held[name]
                # Shielded: a cancelled turn still frees the person at once, not in LOCK_TTL.
                await asyncio.shield(self._release(keys=[name], args=[token]))

    async def _acquire(self, name: str, token: str) -> None:
        wait = FIRST_WAIT
        ttl_ms = int(self.ttl * 1000)
        while not await self._redis.set(name, token, nx=True, px=ttl_ms):
            await asyncio.sleep(wait * random.uniform(0.5, 1.0))  # noqa: S311 -- jitter
            wait = min(wait * 2, LONGEST_WAIT)

    def _start_renewing(self) -> None:
        if self._renewer is None or self._renewer.done():
            self._renewer = asyncio.create_task(self._renew_forever())

    async def _renew_forever(self) -> None:
        ttl_ms = int(self.ttl * 1000)
        while True:
            await asyncio.sleep(self.renew_every)
            held = list(self._held.items())
            if not held:
                continue
            try:
                async with self._redis.pipeline(transaction=False) as pipe:
                    for name, token in held:
                        await self._renew(keys=[name], args=[token, ttl_ms], client=pipe)
                    kept = await pipe.execute()
            except UNAVAILABLE as error:  # the turns holding them fail on their own writes
                log_event("lock_renewal_failed", error=type(error).__name__)
                continue
            # A lock released while the renewal was on its way is not lost.
            lost = sum(
                1
                for (name, token), ok in zip(held, kept, strict=True)
                if not ok and self._held.get(name) == token
            )
            if lost:
                # Only if this process stalled for longer than LOCK_TTL: say so, keep going.
                log_event("lock_lost", count=lost)

    async def close(self) -> None:
        """Stop renewing and close the connection; held locks expire on their own."""
        if self._renewer is not None:
            self._renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._renewer
        await self._redis.aclose()
