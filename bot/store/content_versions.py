"""The published-content number: bumped when flows or catalogs are published, watched by
every replica so it reloads. Memory, SQLite (polled) and Redis (pub/sub notice + check).

The number says only *that* content changed; what to load is the publisher's business
(the staff area's newest version in staff.db, bot/admin/content.py `LiveFlows.reload`).
"""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any, Protocol

from bot.logs import log_event
from bot.store.base import UNAVAILABLE
from bot.store.redis import PREFIX, connect

SQLITE_POLL = 1.0
"""SQLite has no notice: a replica reads the number this often (one indexed read)."""


class ContentVersions(Protocol):
    """`current()`, `bump()` and `wait()`: every implementation passes tests/store."""

    async def current(self) -> int:
        """The published number; 0 before anything was published."""
        ...

    async def bump(self) -> int:
        """Record that new content is published and tell every replica; the new number."""
        ...

    async def wait(self, known: int, timeout: float) -> int:
        """The number once it differs from `known`, or after `timeout` seconds at most."""
        ...

    async def close(self) -> None:
        """Stop listening; the object is not used afterwards."""
        ...


class MemoryContentVersions:
    """One process: the number in memory, waiters woken at once."""

    def __init__(self) -> None:
        self._number = 0
        self._changed = asyncio.Event()

    async def current(self) -> int:
        return self._number

    async def bump(self) -> int:
        self._number += 1
        self._changed.set()
        self._changed = asyncio.Event()
        return self._number

    async def wait(self, known: int, timeout: float) -> int:
        if self._number == known:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout)
        return self._number

    async def close(self) -> None:
        """Nothing held open."""


class SQLiteContentVersions:
    """The number in the store's SQLite file; every process on the host reads it."""

    def __init__(self, path: Path, poll: float = SQLITE_POLL) -> None:
        from bot.store.sqlite import open_database

        self.poll = poll
        self._conn = open_database(path).conn

    async def current(self) -> int:
        row = self._conn.execute("select number from content_version where id = 1").fetchone()
        return 0 if row is None else int(row[0])

    async def bump(self) -> int:
        row = self._conn.execute(
            "insert into content_version (id, number) values (1, 1) "
            "on conflict(id) do update set number = number + 1 returning number"
        ).fetchone()
        return int(row[0])

    async def wait(self, known: int, timeout: float) -> int:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (number := await self.current()) == known and loop.time() < deadline:
            await asyncio.sleep(min(self.poll, max(deadline - loop.time(), 0)))
        return number

    async def close(self) -> None:
        self._conn.close()


# INCR and PUBLISH in one step, so no replica can read the new number and miss its notice.
BUMP = """
local number = redis.call('incr', KEYS[1])
redis.call('publish', KEYS[1], number)
return number
"""


class RedisContentVersions:
    """The number in Redis; a PUBLISH on the same name wakes every replica at once, and
    `wait`'s read after its timeout catches up a replica that missed a notice."""

    def __init__(self, url: str, prefix: str = PREFIX) -> None:
        self.name = f"{prefix}content"
        self._redis: Any = connect(url)
        self._bump = self._redis.register_script(BUMP)
        self._notice = asyncio.Event()
        self._listener: asyncio.Task[None] | None = None

    async def current(self) -> int:
        return int(await self._redis.get(self.name) or 0)

    async def bump(self) -> int:
        return int(await self._bump(keys=[self.name]))

    async def wait(self, known: int, timeout: float) -> int:
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen())
        number = await self.current()
        if number != known:
            return number
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._notice.wait(), timeout)
        self._notice.clear()
        return await self.current()

    async def _listen(self) -> None:
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.name)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._notice.set()
            except UNAVAILABLE as error:
                # Redis restarted or the network blinked: the next read catches up.
                log_event("content_notice_lost", error=type(error).__name__)
                await asyncio.sleep(1.0)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._redis.aclose()
