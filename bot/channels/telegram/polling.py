"""Long polling (getUpdates) for a server without a public URL, e.g. `make run` on a laptop.

The loop survives every error: it logs the kind, backs off, and asks again. When `stop`
is set it answers the updates it has already fetched, confirms them, and returns.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError

from bot.channels.telegram.api import TelegramAPI, retry_after_seconds
from bot.logs import log_event
from bot.service.conversations import ReplyNotSent

CONFIRM_TIMEOUT = 3.0
"""Seconds for the last getUpdates that tells Telegram the handled updates are done."""
FIRST_BACKOFF = 1.0
MAX_BACKOFF = 60.0
Handler = Callable[[Any], Awaitable[object]]
T = TypeVar("T")


async def poll_forever(
    api: TelegramAPI,
    handle: Handler,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    stop: asyncio.Event | None = None,
) -> None:
    """Fetch updates and hand each to `handle`, in order, until cancelled or `stop` is set."""
    stop = stop if stop is not None else asyncio.Event()
    offset: int | None = None
    backoff = FIRST_BACKOFF
    log_event("telegram_polling", channel="telegram", mode="polling")
    while not stop.is_set():
        try:
            fetched = await _unless_stopped(api.updates(offset), stop)
        except asyncio.CancelledError:
            raise
        except RetryAfter as error:
            await _unless_stopped(sleep(retry_after_seconds(error)), stop)
            continue
        except (TelegramError, OSError, ValueError) as error:
            log_event("telegram_poll_failed", error=type(error).__name__, reason=_why(error))
            await _unless_stopped(sleep(backoff), stop)
            backoff = min(backoff * 2, MAX_BACKOFF)
            continue
        if fetched is None:
            break
        updates = fetched
        backoff = FIRST_BACKOFF
        for update in updates:
            try:
                await handle(update)
            except asyncio.CancelledError:
                raise
            except ReplyNotSent:
                # Not confirmed: the next getUpdates from this offset brings it again.
                await sleep(FIRST_BACKOFF)
                break
            except Exception as error:
                log_event("telegram_update_failed", error=type(error).__name__)
            update_id = update.get("update_id") if isinstance(update, dict) else None
            if isinstance(update_id, int) and not isinstance(update_id, bool):
                offset = max(offset or 0, update_id + 1)
    if offset is not None:
        # Without this Telegram sends the handled updates again at the next start (the
        # store would answer them once, but a restart should not redo work).
        with contextlib.suppress(TelegramError, OSError, ValueError, TimeoutError):
            await asyncio.wait_for(api.updates(offset, timeout=0), CONFIRM_TIMEOUT)
    log_event("telegram_polling_stopped", channel="telegram", mode="polling")


async def _unless_stopped(work: Awaitable[T], stop: asyncio.Event) -> T | None:
    """`work`'s result, or None (with `work` cancelled) when `stop` is set first."""
    task = asyncio.ensure_future(work)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return None


def _why(error: BaseException) -> str | None:
    if isinstance(error, Conflict):
        return "webhook_set_or_other_poller"  # run `putokaz telegram delete-webhook`
    if isinstance(error, InvalidToken):
        return "token_rejected"  # check PUTOKAZ_TELEGRAM_TOKEN
    return None
