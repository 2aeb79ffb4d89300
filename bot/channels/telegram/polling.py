"""Long polling (getUpdates) for a server without a public URL, e.g. `make run` on a laptop.

The loop survives every error: it logs the kind, backs off, and asks again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError

from bot.channels.telegram.api import TelegramAPI, retry_after_seconds
from bot.logs import log_event
from bot.service.conversations import ReplyNotSent

FIRST_BACKOFF = 1.0
MAX_BACKOFF = 60.0
Handler = Callable[[Any], Awaitable[object]]


async def poll_forever(
    api: TelegramAPI,
    handle: Handler,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Fetch updates and hand each to `handle`, in order, until cancelled."""
    offset: int | None = None
    backoff = FIRST_BACKOFF
    log_event("telegram_polling", channel="telegram", mode="polling")
    while True:
        try:
            updates = await api.updates(offset)
        except asyncio.CancelledError:
            raise
        except RetryAfter as error:
            await sleep(retry_after_seconds(error))
            continue
        except (TelegramError, OSError, ValueError) as error:
            log_event("telegram_poll_failed", error=type(error).__name__, reason=_why(error))
            await sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
            continue
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


def _why(error: BaseException) -> str | None:
    if isinstance(error, Conflict):
        return "webhook_set_or_other_poller"  # run `putokaz telegram delete-webhook`
    if isinstance(error, InvalidToken):
        return "token_rejected"  # check PUTOKAZ_TELEGRAM_TOKEN
    return None
