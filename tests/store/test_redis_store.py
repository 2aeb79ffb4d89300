"""What only the Redis store promises: one command per write, expiry by Redis TTL, and
`count`/`purge` that never read a session."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from bot.engine.model import NodeId
from bot.engine.session import Session
from bot.store.base import Delivery, Tally
from bot.store.pseudonym import Pseudonymizer, SessionKey
from bot.store.redis import PepperMismatch, RedisStore
from tests.support.redis_server import RedisServer

NOW = 1_800_000_000.0
TTL = 3600.0
KEY = SessionKey("d" * 64)


@pytest.fixture
async def store(redis_server: RedisServer) -> AsyncIterator[RedisStore]:
    made = RedisStore(redis_server.url, ttl=TTL, prefix=f"r{uuid.uuid4().hex}:")
    yield made
    await made.close()


def commands(server: RedisServer) -> dict[str, int]:
    """Calls per command since the last CONFIG RESETSTAT (INFO commandstats)."""
    info = server.command("INFO", "commandstats").decode()
    counts = {}
    for line in info.splitlines():
        if line.startswith("cmdstat_"):
            name, _, rest = line.partition(":")
            counts[name.removeprefix("cmdstat_")] = int(rest.split(",")[0].split("=")[1])
    counts.pop("config|resetstat", None)
    counts.pop("info", None)
    return counts


def session(updated: float = NOW) -> Session:
    return Session(language="fa", node=NodeId("rights.start"), created=NOW, updated=updated)


async def test_an_answered_update_is_one_command_to_redis(
    store: RedisStore, redis_server: RedisServer
) -> None:
    await store.save(KEY, session())  # the first call loads the script
    redis_server.command("CONFIG", "RESETSTAT")
    await store.save(KEY, session(), Delivery("telegram", "1", NOW), Tally.of(NOW, "fa", "x.y"))
    # One EVALSHA from the client; Redis also counts the writes the script made inside it.
    assert commands(redis_server) == {"evalsha": 1, "set": 2, "zadd": 1, "hincrby": 1}
    assert await store.answered("telegram", "1")
    assert await store.tallies(Tally.of(NOW, "fa", "x.y").day) == {("fa", "x.y"): 1}


async def test_sessions_expire_by_redis_ttl(store: RedisStore, redis_server: RedisServer) -> None:
    await store.save(KEY, session())
    left = int(redis_server.command("TTL", f"{store.prefix}s:{KEY.value}").split(b"\r\n")[0][1:])
    assert 0 < left <= TTL


async def test_count_and_purge_read_no_session(
    store: RedisStore, redis_server: RedisServer
) -> None:
    for letter in "abc":
        await store.save(SessionKey(letter * 64), session())
    await store.save(SessionKey("e" * 64), session(updated=NOW - TTL - 1))
    redis_server.command("CONFIG", "RESETSTAT")
    assert await store.purge(NOW) == 1
    assert await store.count() == 3
    assert commands(redis_server) == {"zremrangebyscore": 1, "zcount": 1}


async def test_a_deleted_session_leaves_the_count(store: RedisStore) -> None:
    await store.save(KEY, session())
    assert await store.count() == 1
    await store.save(KEY, None, Delivery("telegram", "2", NOW))
    assert await store.count() == 0


async def test_a_replica_with_another_pepper_is_refused(redis_server: RedisServer) -> None:
    prefix = f"pp{uuid.uuid4().hex}:"
    first, second, third = (RedisStore(redis_server.url, prefix=prefix) for _ in range(3))
    await first.claim_pepper(Pseudonymizer(b"a" * 32).fingerprint())
    await second.claim_pepper(Pseudonymizer(b"a" * 32).fingerprint())  # the same: fine
    with pytest.raises(PepperMismatch, match="set the same PUTOKAZ_PEPPER on every replica"):
        await third.claim_pepper(Pseudonymizer(b"b" * 32).fingerprint())
    for store in (first, second, third):
        await store.close()


async def test_a_burst_of_concurrent_turns_waits_for_a_connection_instead_of_failing(
    store: RedisStore,
) -> None:
    keys = [SessionKey(f"{number:064x}") for number in range(600)]
    await asyncio.gather(*(store.save(key, session()) for key in keys))
    found = await asyncio.gather(*(store.get(key, NOW) for key in keys))
    assert found == [session()] * len(keys)
