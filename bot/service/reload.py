"""Follow the published-content number: when it moves, reload, on every replica.

A notice (Redis pub/sub) wakes the follower at once; otherwise it checks the number every
CHECK_EVERY seconds, which also catches up a replica that missed a notice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from bot.logs import log_event
from bot.store.content_versions import ContentVersions

CHECK_EVERY = 5.0

Reload = Callable[[int], Awaitable[None]]
"""What to do for a new number: load the published content and swap it in (the staff
area's `LiveFlows.reload`: the newest version in staff.db, with the catalogs as they are)."""


async def follow(versions: ContentVersions, reload: Reload, every: float = CHECK_EVERY) -> None:
    """Call `reload(number)` each time the number moves, forever; errors are logged."""
    known = await versions.current()
    while True:
        try:
            number = await versions.wait(known, every)
        except Exception as error:  # Redis away: keep serving what is loaded, try again
            log_event("content_check_failed", error=type(error).__name__)
            await asyncio.sleep(every)
            continue
        if number == known:
            continue
        try:
            await reload(number)
        except Exception as error:
            # Keep speaking the loaded content rather than stop; the log says why.
            log_event("flows_reload_failed", count=number, error=type(error).__name__)
        known = number
