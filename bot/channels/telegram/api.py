"""The Bot API calls the Telegram channel makes, with python-telegram-bot's errors, with retries.

429 waits `retry_after`; 5xx and timeouts back off exponentially, three tries in all;
then the call gives up with a log event. Nothing here logs an id, a name or a text.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any, TypeVar

import aiohttp

# Opt in to PTB's timedelta periods (PTB >= 22.2), so RetryAfter does not warn.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.channels.retry import RetryPolicy, Transient
from bot.channels.retry import with_retries as retried
from bot.channels.telegram.outbound import Outgoing
from bot.channels.telegram.request import AiohttpRequest
from bot.logs import log_event
from bot.metrics import Metrics

T = TypeVar("T")

TRIES = 3
"""Tries for a call that fails with a 5xx or a timeout."""
RATE_LIMITED_TRIES = 5
"""Tries for a call Telegram keeps answering with 429."""
MAX_RETRY_AFTER = 60.0
DELETE_CHUNK = 100
"""deleteMessages takes 1-100 message ids."""
POLL_TIMEOUT = 25
NOT_MODIFIED = "message is not modified"
ALLOWED_UPDATES = ("message", "callback_query", "my_chat_member")
"""Update types the bot asks for, by webhook and by polling."""
NO_PREVIEW = {"link_preview_options": '{"is_disabled":true}'}
"""No link previews: less data on cheap phones, nothing fetched from a page."""


class RawBot(Bot):
    """PTB's Bot with one addition: a call whose result stays raw JSON.

    The channel needs one field of a result (a message_id) and never the rest; building
    PTB objects for it cost more CPU than the whole engine step. And `Bot.get_updates`
    logs the raw updates (chat ids, names, texts) when one fails to parse, so the channel
    reads getUpdates raw, like the webhook's.
    """

    async def raw(
        self, endpoint: str, data: dict[str, Any], read_timeout: float | None = None
    ) -> Any:
        if read_timeout is None:
            return await self._post(endpoint, data)
        return await self._post(endpoint, data, read_timeout=read_timeout)


def make_requests(
    http: aiohttp.ClientSession | None, metrics: Metrics | None = None
) -> tuple[AiohttpRequest, AiohttpRequest]:
    """Requests for calls and for long polling, both on the one pooled aiohttp client."""
    return (
        AiohttpRequest(http, read_timeout=10.0, metrics=metrics),
        AiohttpRequest(http, read_timeout=POLL_TIMEOUT + 10, metrics=metrics),
    )


def retry_after_seconds(error: RetryAfter) -> float:
    value = error.retry_after
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return max(0.0, min(seconds, MAX_RETRY_AFTER))


async def with_retries(
    method: str,
    call: Callable[[], Awaitable[T]],
    *,
    backoff: float = 0.5,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    metrics: Metrics | None = None,
) -> T:
    """Run `call`, retrying 429 after `retry_after` and 5xx/timeouts with backoff."""
    policy = RetryPolicy(TRIES, RATE_LIMITED_TRIES, backoff)
    return await retried(
        "telegram", method, call, transient, policy=policy, sleep=sleep, metrics=metrics
    )


def transient(error: Exception) -> Transient | None:
    """Which Bot API failures a later try may get past: 429, 5xx, timeouts, the network."""
    if isinstance(error, RetryAfter):
        return Transient("rate_limited", {"reason": "rate_limited"}, retry_after_seconds(error))
    if isinstance(error, BadRequest | Forbidden | InvalidToken | Conflict | ChatMigrated):
        return None
    if isinstance(error, NetworkError):  # 5xx, timeouts, connection errors
        return Transient(_retry_reason(error), {"error": type(error).__name__})
    return None


def _retry_reason(error: NetworkError) -> str:
    if isinstance(error, TimedOut):
        return "timeout"
    if error.message.startswith("aiohttp."):  # AiohttpRequest: no connection
        return "network"
    return "server_error"


class TelegramAPI:
    """The calls the channel makes; every one retried as `with_retries` says."""

    def __init__(
        self,
        token: str,
        base_url: str,
        http: aiohttp.ClientSession | None = None,
        backoff: float = 0.5,
        metrics: Metrics | None = None,
    ) -> None:
        self.metrics = metrics
        self.requests = make_requests(http, metrics)
        calls, polls = self.requests
        self.bot = RawBot(token, base_url=base_url, request=calls, get_updates_request=polls)
        self.backoff = backoff

    async def _call(self, method: str, data: dict[str, Any], *, result: bool = False) -> Any:
        """One Bot API call with the retry policy; its raw JSON result when `result`.

        Straight on the pooled session, not through `Bot._post`: for these calls PTB's
        wrapper only cost CPU (~6 % of an update, tests/bench/profile.py)."""
        url = f"{self.bot.base_url}/{method}"
        calls = self.requests[0]
        return await with_retries(
            method,
            lambda: calls.call(url, data, result=result),
            backoff=self.backoff,
            metrics=self.metrics,
        )

    async def send(self, chat_id: int, out: Outgoing) -> int:
        """Send one message as plain text (any script survives); its message id."""
        data: dict[str, Any] = {"chat_id": chat_id, "text": out.text, **NO_PREVIEW}
        if out.markup is not None:
            data["reply_markup"] = out.markup
        result = await self._call("sendMessage", data, result=True)
        return int(result["message_id"])

    async def edit(self, chat_id: int, message_id: int, out: Outgoing) -> None:
        """Replace a message's text and keyboard; unchanged content is fine."""
        data: dict[str, Any] = {
            "chat_id": chat_id,
            "message_id": message_id,
            "text": out.text,
            **NO_PREVIEW,
        }
        if out.markup is not None:
            data["reply_markup"] = out.markup
        try:
            await self._call("editMessageText", data)
        except BadRequest as error:
            if NOT_MODIFIED not in str(error).lower():
                raise

    async def delete(self, chat_id: int, message_ids: Sequence[int]) -> int:
        """Delete messages in chunks of 100; how many chunks Telegram refused."""
        refused = 0
        ids = sorted(set(message_ids))
        for start in range(0, len(ids), DELETE_CHUNK):
            data: dict[str, Any] = {
                "chat_id": chat_id,
                "message_ids": ids[start : start + DELETE_CHUNK],
            }
            try:
                await self._call("deleteMessages", data)
            except Forbidden:
                raise
            except TelegramError as error:
                refused += 1
                log_event(
                    "telegram_delete_refused", method="deleteMessages", error=type(error).__name__
                )
        return refused

    async def answer_callback(self, callback_id: str) -> None:
        data = {"callback_query_id": callback_id}
        await self._call("answerCallbackQuery", data)

    async def leave(self, chat_id: int) -> None:
        await self._call("leaveChat", {"chat_id": chat_id})

    async def updates(self, offset: int | None, timeout: int = POLL_TIMEOUT) -> list[Any]:
        """Raw updates from getUpdates (one long poll); retried by the polling loop itself."""
        data: dict[str, Any] = {"timeout": timeout, "allowed_updates": list(ALLOWED_UPDATES)}
        if offset is not None:
            data["offset"] = offset
        result = await self.bot.raw("getUpdates", data, read_timeout=timeout + 10)
        return result if isinstance(result, list) else []

    async def close(self) -> None:
        # The Bot is never initialize()d (that calls getMe, so start-up would need
        # Telegram); its request objects are closed here instead.
        await asyncio.gather(*(request.shutdown() for request in self.requests))
