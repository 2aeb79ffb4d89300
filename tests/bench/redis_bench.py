"""Redis per-update costs, in-process against a real redis-server: the isolation lock
next to optimistic check-and-set, and the store's read and one-command write.

Run with `make bench`; prints a Markdown table (docs/SCALING.md explains the choice).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.engine.model import NodeId
from bot.engine.session import Session
from bot.store.base import Delivery, Tally
from bot.store.pseudonym import SessionKey
from bot.store.redis import RedisStore
from bot.store.redis_isolation import RedisIsolation
from tests.support.redis_server import RedisServer

ROUNDS = 3_000
SESSION = Session(language="fa", node=NodeId("rights.start"), created=1.0, updated=1.0)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def timed(action: Callable[[int], Awaitable[Any]]) -> tuple[list[float], float]:
    """Wall µs per call, and CPU µs per call of this process (client side)."""
    for number in range(200):
        await action(-number - 1)
    samples = []
    cpu = time.process_time()
    for number in range(ROUNDS):
        started = time.perf_counter()
        await action(number)
        samples.append((time.perf_counter() - started) * 1e6)
    return samples, (time.process_time() - cpu) / ROUNDS * 1e6


async def measure(url: str) -> list[str]:
    store = RedisStore(url, prefix="bench:")
    isolation = RedisIsolation(url, prefix="bench:")
    raw: Any = store._redis
    key = SessionKey("b" * 64)
    name = "bench:s:" + key.value

    async def lock(_: int) -> None:
        async with isolation.lock(key):
            pass

    async def read(_: int) -> None:
        await store.get(key, 2.0)

    async def write(number: int) -> None:
        delivery = Delivery("telegram", str(number), 1.0)
        await store.save(key, SESSION, delivery, Tally("2026-12-01", "fa", "rights.start"))

    async def check_and_set(_: int) -> None:
        # The alternative: WATCH the session, read it, write it in MULTI/EXEC (retry on
        # conflict). Measured uncontended, its best case.
        async with raw.pipeline(transaction=True) as pipe:
            await pipe.watch(name)
            await pipe.get(name)
            pipe.multi()
            pipe.set(name, SESSION.to_json(), ex=86400)
            await pipe.execute()

    rows = ["| operation (one client, no contention) | round trips | median | p99 | client CPU |"]
    rows.append("|---|---:|---:|---:|---:|")
    for label, trips, action in (
        ("lock: SET NX PX, then release by token (EVALSHA)", 2, lock),
        ("read: GET session", 1, read),
        ("write: session + delivery id + count (EVALSHA)", 1, write),
        ("check-and-set instead: WATCH, GET, MULTI/SET/EXEC", 3, check_and_set),
    ):
        samples, cpu = await timed(action)
        rows.append(
            f"| {label} | {trips} | {statistics.median(samples):.0f} µs | "
            f"{percentile(samples, 0.99):.0f} µs | {cpu:.0f} µs |"
        )
    await isolation.close()
    await store.close()
    return rows


def main() -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        server = RedisServer(Path(folder)).start()
        try:
            return asyncio.run(measure(server.url))
        finally:
            server.stop()


if __name__ == "__main__":
    print("\n".join(main()))
