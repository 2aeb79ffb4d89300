"""Crash a server under load: POST many deliveries at once and SIGKILL it mid-way; or
deliver many, each again until it got a 2xx, as the platforms do under faults.

Shared by the Telegram and Viber crash tests; which delivery got which answer is what
the platform would know, and what it would deliver again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

import aiohttp

from tests.support.server import ServerProcess

Post = Callable[[], Awaitable[int]]
"""POST one delivery to the server; its HTTP status."""


async def post_until_killed(
    server: ServerProcess, posts: Sequence[Post], *, kill_after: int, in_flight: int = 30
) -> dict[int, int]:
    """Run `posts` `in_flight` at a time; SIGKILL the server once `kill_after` got a 200.

    Returns index -> status for every post that got an answer; the rest got none.
    """
    statuses: dict[int, int] = {}
    waiting = list(range(len(posts)))
    killed = asyncio.Event()

    async def worker() -> None:
        while waiting and not killed.is_set():
            index = waiting.pop(0)
            try:
                statuses[index] = await posts[index]()
            except (aiohttp.ClientError, OSError):
                continue
            if sum(s == 200 for s in statuses.values()) >= kill_after and not killed.is_set():
                killed.set()
                server.kill()

    try:
        await asyncio.gather(*(worker() for _ in range(in_flight)))
    finally:
        server.kill()
    return statuses


async def redeliver(post: Post, tries: int = 3) -> int:
    """Deliver again until a 2xx, as the platforms do (here a few times, not for a day)."""
    status = 0
    for _ in range(tries):
        status = await post()
        if 200 <= status < 300:
            break
    return status


async def deliver_all(posts: Sequence[Post], *, in_flight: int = 20, tries: int = 6) -> list[int]:
    """Deliver every post `in_flight` at a time, in the order given, each again until it got
    a 2xx (a dropped connection counts as no answer), as a platform does; the last statuses."""
    statuses = [0] * len(posts)
    waiting = list(range(len(posts)))

    async def worker() -> None:
        while waiting:
            index = waiting.pop(0)
            for _ in range(tries):
                try:
                    statuses[index] = await posts[index]()
                except (aiohttp.ClientError, OSError):
                    statuses[index] = -1
                    continue
                if 200 <= statuses[index] < 300:
                    break

    await asyncio.gather(*(worker() for _ in range(in_flight)))
    return statuses
