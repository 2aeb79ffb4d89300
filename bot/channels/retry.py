"""The one retry loop for platform calls (Telegram Bot API, Viber REST API).

A rate limit waits what the platform asked for (or backs off), 5xx, timeouts and dropped
connections back off exponentially; each channel only says which of its errors pass.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from bot.logs import log_event
from bot.metrics import Metrics

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Transient:
    """A failure a later try may get past."""

    reason: str
    """For the retries metric: rate_limited, timeout, network or server_error."""
    fields: Mapping[str, object] = field(default_factory=dict)
    """What the log line names: the error type or the platform's status, never a message."""
    wait: float | None = None
    """Seconds the platform asked to wait (Telegram's retry_after); None backs off."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often to try: `tries` for failures, `rate_limited_tries` for waits asked for."""

    tries: int = 3
    rate_limited_tries: int = 5
    backoff: float = 0.5
    """Seconds before the second try; doubled before each next one."""


async def with_retries(
    channel: str,
    method: str,
    call: Callable[[], Awaitable[T]],
    transient: Callable[[Exception], Transient | None],
    *,
    policy: RetryPolicy = RetryPolicy(),
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    metrics: Metrics | None = None,
) -> T:
    """`await call()`, again while `transient(error)` says it may pass and tries are left."""
    failures = limited = 0
    while True:
        try:
            return await call()
        except Exception as error:
            passing = transient(error)
            if passing is None:
                raise
            if passing.wait is not None:
                limited += 1
                attempt, budget, wait = limited, policy.rate_limited_tries, passing.wait
            else:
                failures += 1
                attempt, budget = failures, policy.tries
                wait = policy.backoff * 2 ** (failures - 1)
            if attempt >= budget:
                fields = {**passing.fields, "attempt": attempt}
                log_event(f"{channel}_gave_up", logging.INFO, method=method, **fields)
                raise
            if metrics is not None:
                metrics.retry(channel, method, passing.reason)
            fields = {**passing.fields, "wait": wait, "attempt": attempt}
            log_event(f"{channel}_retry", logging.INFO, method=method, **fields)
            await sleep(wait)
