"""One conformance suite for every isolation implementation (memory now; Redis drops in)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.store.isolation import Isolation, MemoryIsolation
from bot.store.pseudonym import SessionKey

ONE, OTHER = SessionKey("a" * 64), SessionKey("b" * 64)


@pytest.fixture(params=["memory"])
async def isolation(request: pytest.FixtureRequest) -> AsyncIterator[Isolation]:
    made = MemoryIsolation()
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
    await asyncio.sleep(0)
    async with isolation.lock(OTHER):  # would hang if OTHER waited for ONE
        inside.set()
    await held


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
