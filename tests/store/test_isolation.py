"""One conformance suite for every isolation implementation (memory and Redis), and what
only Redis promises: ordering across replicas, and a dead replica's lock expires."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest

from bot.store.isolation import Isolation, MemoryIsolation
from bot.store.pseudonym import SessionKey
from bot.store.redis_isolation import RedisIsolation
from tests.support.redis_server import RedisServer

ONE, OTHER = SessionKey("a" * 64), SessionKey("b" * 64)
GUARD = 30.0
"""Only against a hang: no test here measures time."""


def prefix() -> str:
    return f"i{uuid.uuid4().hex}:"


@pytest.fixture(params=["memory", "redis"])
async def isolation(request: pytest.FixtureRequest) -> AsyncIterator[Isolation]:
    made: Isolation
    if request.param == "memory":
        made = MemoryIsolation()
    else:
        made = RedisIsolation(request.getfixturevalue("redis_server").url, prefix=prefix())
    yield made
    await made.close()


async def test_turns_with_one_key_run_one_at_a_time(isolation: Isolation) -> None:
    order: list[str] = []

    async def turn(name: str) -> None:
        async with isolation.lock(ONE):
            order.append(f"{name} in")
            for _ in range(5):
                await asyncio.sleep(0)
            order.append(f"{name} out")

    await asyncio.gather(turn("a"), turn("b"), turn("c"))
    assert order == ["a in", "a out", "b in", "b out", "c in", "c out"]


async def test_turns_with_different_keys_do_not_wait(isolation: Isolation) -> None:
    inside = asyncio.Event()

    async def holder() -> None:
        async with isolation.lock(ONE):
            await inside.wait()

    held = asyncio.create_task(holder())
    await asyncio.sleep(0.01)
    async with isolation.lock(OTHER):  # would hang if OTHER waited for ONE
        inside.set()
    await asyncio.wait_for(held, GUARD)


async def test_a_failing_turn_releases_its_key(isolation: Isolation) -> None:
    with pytest.raises(RuntimeError):
        async with isolation.lock(ONE):
            raise RuntimeError("the turn failed")
    async with isolation.lock(ONE):
        pass


def test_memory_isolation_forgets_keys_nobody_waits_for() -> None:
    async def scenario() -> int:
        isolation = MemoryIsolation()
        async with isolation.lock(ONE):
            assert len(isolation) == 1
        return len(isolation)

    assert asyncio.run(scenario()) == 0


@pytest.fixture
async def replicas(redis_server: RedisServer) -> AsyncIterator[list[RedisIsolation]]:
    """Two processes' worth of isolation on one Redis (each has its own local locks)."""
    shared = prefix()
    made = [RedisIsolation(redis_server.url, prefix=shared) for _ in range(2)]
    yield made
    for one in made:
        await one.close()


async def test_turns_of_one_key_on_two_replicas_run_one_at_a_time(
    replicas: list[RedisIsolation],
) -> None:
    inside = 0
    most = 0

    async def turn(replica: RedisIsolation) -> None:
        nonlocal inside, most
        async with replica.lock(ONE):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.005)
            inside -= 1

    await asyncio.wait_for(asyncio.gather(*(turn(replicas[i % 2]) for i in range(12))), GUARD)
    assert most == 1


async def test_a_dead_replicas_lock_expires_and_the_person_is_answered(
    redis_server: RedisServer,
) -> None:
    shared = prefix()
    dead = RedisIsolation(redis_server.url, prefix=shared, ttl=0.3)
    alive = RedisIsolation(redis_server.url, prefix=shared, ttl=0.3)
    holding = dead.lock(ONE)
    await holding.__aenter__()  # then the process "dies": no release, no renewal
    assert dead._renewer is not None
    dead._renewer.cancel()
    name = f"{shared}l:{ONE.value}"
    assert redis_server.command("EXISTS", name).startswith(b":1")
    async with asyncio.timeout(GUARD):
        async with alive.lock(ONE):
            assert redis_server.command("GET", name) != b"$-1\r\n"
    await alive.close()
    await dead._redis.aclose()


async def test_a_turn_longer_than_the_lock_ttl_keeps_its_lock_by_renewing(
    redis_server: RedisServer,
) -> None:
    shared = prefix()
    slow = RedisIsolation(redis_server.url, prefix=shared, ttl=0.2, renew_every=0.05)
    other = RedisIsolation(redis_server.url, prefix=shared, ttl=0.2, renew_every=0.05)
    order: list[str] = []
    entered = asyncio.Event()

    async def long_turn() -> None:
        async with slow.lock(ONE):
            entered.set()
            order.append("slow in")
            await asyncio.sleep(0.6)  # three lock lifetimes
            order.append("slow out")

    async def next_turn() -> None:
        await entered.wait()
        async with other.lock(ONE):
            order.append("next in")

    await asyncio.wait_for(asyncio.gather(long_turn(), next_turn()), GUARD)
    assert order == ["slow in", "slow out", "next in"]
    await slow.close()
    await other.close()


async def test_a_lock_that_expired_is_not_released_from_under_its_new_holder(
    redis_server: RedisServer,
) -> None:
    shared = prefix()
    stalled = RedisIsolation(redis_server.url, prefix=shared, ttl=0.1, renew_every=60)
    other = RedisIsolation(redis_server.url, prefix=shared)
    name = f"{shared}l:{ONE.value}"
    async with stalled.lock(ONE):
        await asyncio.sleep(0.3)  # stalled past its TTL without renewing
        new_holder = other.lock(ONE)
        await asyncio.wait_for(new_holder.__aenter__(), GUARD)
        token = redis_server.command("GET", name)
    assert redis_server.command("GET", name) == token, "the new holder keeps its lock"
    await new_holder.__aexit__(None, None, None)
    assert redis_server.command("EXISTS", name).startswith(b":0")
    await stalled.close()
    await other.close()


async def test_a_released_lock_leaves_no_key(
    replicas: list[RedisIsolation], redis_server: RedisServer
) -> None:
    async with replicas[0].lock(ONE):
        pass
    assert redis_server.command("EXISTS", f"{replicas[0].prefix}l:{ONE.value}").startswith(b":0")
