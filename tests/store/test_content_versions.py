"""One conformance suite for the published-content number (memory, SQLite, Redis), and the
follower that reloads when it moves."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.service.reload import follow
from bot.store.content_versions import (
    ContentVersions,
    MemoryContentVersions,
    RedisContentVersions,
    SQLiteContentVersions,
)
from tests.support.redis_server import RedisServer

GUARD = 20.0
"""Only against a hang: no test here measures time."""


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def pair(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[ContentVersions, ContentVersions]]:
    """Two replicas' views of one published number."""
    made: tuple[ContentVersions, ContentVersions]
    if request.param == "memory":
        one = MemoryContentVersions()
        made = (one, one)
    elif request.param == "sqlite":
        path = tmp_path / "putokaz.db"
        made = (SQLiteContentVersions(path, poll=0.01), SQLiteContentVersions(path, poll=0.01))
    else:
        url = request.getfixturevalue("redis_server").url
        prefix = f"v{uuid.uuid4().hex}:"
        made = (RedisContentVersions(url, prefix), RedisContentVersions(url, prefix))
    yield made
    for versions in {id(v): v for v in made}.values():
        await versions.close()


async def test_nothing_published_is_number_zero_and_each_bump_counts_one(
    pair: tuple[ContentVersions, ContentVersions],
) -> None:
    publisher, replica = pair
    assert await replica.current() == 0
    assert await publisher.bump() == 1
    assert await publisher.bump() == 2
    assert await replica.current() == 2


async def test_a_waiting_replica_learns_of_a_bump_elsewhere(
    pair: tuple[ContentVersions, ContentVersions],
) -> None:
    publisher, replica = pair
    known = await replica.current()
    waiting = asyncio.create_task(replica.wait(known, GUARD * 3))
    await asyncio.sleep(0.05)  # the replica is waiting (and, on Redis, subscribed)
    number = await publisher.bump()
    # Woken by the bump itself: the wait's own timeout is far longer than the guard.
    assert await asyncio.wait_for(waiting, GUARD) == number


async def test_a_wait_without_a_bump_returns_the_known_number(
    pair: tuple[ContentVersions, ContentVersions],
) -> None:
    _, replica = pair
    assert await replica.wait(await replica.current(), 0.05) == 0


async def test_a_redis_replica_that_missed_the_notice_catches_up_on_its_next_check(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    replica = RedisContentVersions(redis_server.url, f"m{uuid.uuid4().hex}:")
    assert await replica.wait(0, 0.01) == 0
    redis_server.command("INCR", replica.name)  # published, but no notice was sent
    assert await replica.wait(0, 0.2) == 1
    await replica.close()


async def test_the_follower_reloads_once_per_new_number() -> None:
    versions = MemoryContentVersions()
    reloaded: list[int] = []
    seen = asyncio.Event()

    async def reload(number: int) -> None:
        reloaded.append(number)
        seen.set()

    follower = asyncio.create_task(follow(versions, reload, every=0.01))
    await asyncio.sleep(0.02)
    for _ in range(2):
        seen.clear()
        await versions.bump()
        await asyncio.wait_for(seen.wait(), GUARD)
    await asyncio.sleep(0.05)
    follower.cancel()
    assert reloaded == [1, 2]


async def test_a_failing_reload_keeps_the_follower_going() -> None:
    versions = MemoryContentVersions()
    reloaded: list[int] = []
    done = asyncio.Event()

    async def reload(number: int) -> None:
        if number == 1:
            raise ValueError("the flows do not load")
        reloaded.append(number)
        done.set()

    follower = asyncio.create_task(follow(versions, reload, every=0.01))
    await asyncio.sleep(0.02)
    await versions.bump()
    await asyncio.sleep(0.05)
    await versions.bump()
    await asyncio.wait_for(done.wait(), GUARD)
    follower.cancel()
    assert reloaded == [2]
