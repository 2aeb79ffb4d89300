"""python-telegram-bot's `BaseRequest` on the app's pooled aiohttp `ClientSession`, and the
same request made directly for the calls that answer people.

One HTTP client for every platform call; measured ~25x less CPU per call than PTB's
default httpx client under 50 concurrent updates (tests/bench/telegram_bench.py).
`AiohttpRequest.call` skips PTB's `Bot._post` wrapper (per-parameter JSON encoding,
defaults, RequestData) and parses the answer only when the caller needs it; errors are
PTB's exceptions, raised as PTB raises them, so the retry policy is the same.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from functools import lru_cache
from http import HTTPStatus
from typing import Any

import aiohttp
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
from telegram.request import BaseRequest, RequestData

from bot.channels import json_codec
from bot.metrics import Metrics

JSON_HEADERS = {"Content-Type": "application/json", "User-Agent": BaseRequest.USER_AGENT}


class AiohttpRequest(BaseRequest):
    """Sends each Bot API call as one JSON POST; errors carry no URL (it holds the token)."""

    def __init__(
        self,
        session: aiohttp.ClientSession | None = None,
        *,
        read_timeout: float = 10.0,
        connect_timeout: float = 5.0,
        metrics: Metrics | None = None,
    ) -> None:
        self._metrics = metrics
        self._session = session
        self._owns_session = session is None
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or (self._owns_session and self._session.closed):
            self._session = aiohttp.ClientSession()
            self._owns_session = True

    async def shutdown(self) -> None:
        if self._owns_session and self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if request_data is not None and request_data.contains_files:
            raise TelegramError("Putokaz sends no files; this request type cannot upload them")
        if self._session is None:
            await self.initialize()
        assert self._session is not None
        timeout = _timeout(
            _given(connect_timeout, self._connect_timeout), _given(read_timeout, self._read_timeout)
        )
        body = _payload(request_data) if request_data is not None else None
        return await self._send(url, method, body, timeout)

    async def call(self, url: str, data: Mapping[str, Any], *, result: bool = True) -> Any:
        """POST one Bot API call as JSON; its `result` (None when `result` is False and the
        call succeeded: its answer is not parsed). Raises what PTB's `Bot._post` raises."""
        if self._session is None:
            await self.initialize()
        timeout = _timeout(self._connect_timeout, self._read_timeout)
        status, raw = await self._send(url, "POST", json_codec.dumps(data), timeout)
        if HTTPStatus.OK <= status <= 299 and not result:
            return None
        if HTTPStatus.OK <= status <= 299:
            answer = self.parse_json_payload(raw)
            if not answer.get("ok"):
                raise TelegramError("Invalid server response")
            return answer.get("result")
        raise _error(status, raw)

    async def _send(
        self, url: str, method: str, body: bytes | None, timeout: aiohttp.ClientTimeout
    ) -> tuple[int, bytes]:
        assert self._session is not None
        try:
            async with self._session.request(
                method, url, data=body, headers=JSON_HEADERS, timeout=timeout
            ) as response:
                status, raw = response.status, await response.read()
        except TimeoutError as error:
            self._count(url, "timeout")
            raise TimedOut from error
        except asyncio.TimeoutError as error:  # noqa: UP041 -- aiohttp may raise either
            self._count(url, "timeout")
            raise TimedOut from error
        except aiohttp.ClientError as error:
            self._count(url, "network")
            raise NetworkError(f"aiohttp.{type(error).__name__}") from error
        if status >= 300:
            self._count(url, status)
        return status, raw

    def _count(self, url: str, status: int | str) -> None:
        if self._metrics is not None:
            # The method is the URL's last segment; the token before it never leaves here.
            self._metrics.platform_error("telegram", url.rpartition("/")[2], status)

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        # PTB's version logs the payload when it does not parse; it may hold chat data.
        try:
            data = json_codec.loads(payload)
        except (ValueError, RecursionError) as error:
            raise TelegramError("Invalid server response") from error
        if not isinstance(data, dict):
            raise TelegramError("Invalid server response")
        return data


def _payload(request_data: RequestData) -> bytes:
    """The JSON body as UTF-8: PTB's json_payload escapes every non-ASCII character, which
    makes a Persian or Russian screen three times the bytes to encode, send and parse."""
    return json_codec.dumps(request_data.json_parameters)


def _error(status: int, raw: bytes) -> TelegramError:
    """The exception PTB's BaseRequest raises for a non-2xx answer (its _request_wrapper)."""
    try:
        message = f"{HTTPStatus(status).phrase} ({status})"
    except ValueError:
        message = f"Unknown HTTPError ({status})"
    try:
        answer = AiohttpRequest.parse_json_payload(raw)
    except TelegramError:
        answer = {}
    description = answer.get("description")
    if isinstance(description, str) and description:
        message = description
    parameters = answer.get("parameters")
    if isinstance(parameters, dict):
        if migrated := parameters.get("migrate_to_chat_id"):
            return ChatMigrated(migrated)
        if retry_after := parameters.get("retry_after"):
            return RetryAfter(retry_after)
    if status == HTTPStatus.FORBIDDEN:
        return Forbidden(message)
    if status in (HTTPStatus.NOT_FOUND, HTTPStatus.UNAUTHORIZED):
        return InvalidToken(message)
    if status == HTTPStatus.BAD_REQUEST:
        return BadRequest(message)
    if status == HTTPStatus.CONFLICT:
        return Conflict(message)
    return NetworkError(message)


@lru_cache(maxsize=16)
def _timeout(connect: float | None, read: float | None) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=read)


def _given(value: Any, default: float | None) -> float | None:
    """A timeout passed by the caller, or ours when PTB passed its DEFAULT_NONE marker."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return float(value) if value is not None else None
    return default
