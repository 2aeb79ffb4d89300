"""Calls to the Viber REST bot API over the shared aiohttp session, with retries.

Every call has a timeout; rate limits, 5xx and timeouts retry with backoff, other
Viber statuses fail at once with the status named (never the platform's message text).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from bot.channels.retry import RetryPolicy, Transient, with_retries
from bot.metrics import Metrics

AUTH_HEADER = "X-Viber-Auth-Token"
CALL_TIMEOUT = 5.0
TRIES = 3
BACKOFF = 0.5
"""Seconds before the second try; doubled before the third."""

STATUS_NAMES = {
    0: "ok",
    1: "invalidUrl",
    2: "invalidAuthToken",
    3: "badData",
    4: "missingData",
    5: "receiverNotRegistered",
    6: "receiverNotSubscribed",
    7: "publicAccountBlocked",
    8: "publicAccountNotFound",
    9: "publicAccountSuspended",
    10: "webhookNotSet",
    11: "receiverNoSuitableDevice",
    12: "tooManyRequests",
    13: "apiVersionNotSupported",
    14: "incompatibleWithVersion",
    15: "publicAccountNotAuthorized",
    16: "inchatReplyMessageNotAllowed",
    17: "publicAccountIsNotInline",
    18: "noPublicChat",
    19: "cannotSendBroadcast",
    20: "broadcastNotAllowed",
    21: "unsupportedCountry",
    22: "paymentUnsupported",
    23: "freeMessagesExceeded",
    24: "noBalance",
}
"""Viber's status codes (developers.viber.com/docs/api/rest-bot-api/#error-codes)."""

RATE_LIMITED = 12
UNREACHABLE = frozenset({5, 6})
"""The person is not (or no longer) a subscriber: their session is dropped."""


def status_name(status: int) -> str:
    return STATUS_NAMES.get(status, "generalError")


class ViberError(Exception):
    """A call failed; `kind` is viber (a status), http (a code), timeout or network."""

    def __init__(self, method: str, kind: str, status: int | None, message: str = "") -> None:
        self.method = method
        self.kind = kind
        self.status = status
        self.message = message
        super().__init__(self.describe())

    @property
    def reason(self) -> str:
        if self.kind == "viber" and self.status is not None:
            return status_name(self.status)
        return self.kind

    @property
    def transient(self) -> bool:
        """A later try may succeed: a timeout, the network, a 5xx or Viber's rate limit."""
        if self.kind in ("timeout", "network"):
            return True
        if self.kind == "http":
            return self.status is not None and self.status >= 500
        return self.status == RATE_LIMITED

    @property
    def unreachable(self) -> bool:
        return self.kind == "viber" and self.status in UNREACHABLE

    def describe(self) -> str:
        if self.kind == "viber":
            said = f" ({self.message})" if self.message else ""
            return f"Viber answered {self.method} with status {self.status} {self.reason}{said}"
        if self.kind == "http":
            return f"Viber answered {self.method} with HTTP {self.status}"
        if self.kind == "timeout":
            return f"Viber did not answer {self.method} within {CALL_TIMEOUT:g} s"
        return f"could not reach Viber for {self.method}: {self.message}"


def webhook_request(url: str, event_types: list[str]) -> dict[str, Any]:
    """The set_webhook body. The person's name and photo are never asked for, so Viber
    does not send them and they never reach the server."""
    return {"url": url, "event_types": event_types, "send_name": False, "send_photo": False}


class ViberClient:
    """One bot's calls; cheap to build per request around the app's pooled session."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        token: str,
        base_url: str,
        *,
        timeout: float = CALL_TIMEOUT,
        tries: int = TRIES,
        backoff: float = BACKOFF,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        metrics: Metrics | None = None,
    ) -> None:
        self.metrics = metrics
        self.http = http
        self.token = token
        self.base_url = base_url.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.tries = tries
        self.backoff = backoff
        self.sleep = sleep

    async def send_message(self, message: dict[str, Any]) -> dict[str, Any]:
        return await self.call("send_message", message)

    async def set_webhook(self, url: str, event_types: list[str]) -> dict[str, Any]:
        return await self.call("set_webhook", webhook_request(url, event_types))

    async def account_info(self) -> dict[str, Any]:
        return await self.call("get_account_info", {})

    async def call(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST `body` to `method`; the answer when its status is 0, else ViberError."""
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

        async def once() -> dict[str, Any]:
            try:
                return await self._once(method, data)
            except ViberError as error:
                self._count_error(error)
                raise

        policy = RetryPolicy(tries=self.tries, backoff=self.backoff)
        return await with_retries(
            "viber", method, once, transient, policy=policy, sleep=self.sleep, metrics=self.metrics
        )

    def _count_error(self, error: ViberError) -> None:
        if self.metrics is None:
            return
        status = error.status if error.kind == "http" and error.status else error.reason
        self.metrics.platform_error("viber", error.method, status)

    async def _once(self, method: str, data: bytes) -> dict[str, Any]:
        headers = {AUTH_HEADER: self.token, "Content-Type": "application/json"}
        url = f"{self.base_url}/{method}"
        try:
            async with self.http.post(
                url, data=data, headers=headers, timeout=self.timeout
            ) as response:
                raw = await response.read()
                http_status = response.status
        except TimeoutError:
            raise ViberError(method, "timeout", None) from None
        except aiohttp.ClientConnectionError as error:
            # A dropped pooled connection is the usual transient failure.
            raise ViberError(method, "network", None, type(error).__name__) from None
        if http_status >= 500:
            raise ViberError(method, "http", http_status)
        answer = _json_object(raw)
        if http_status != 200 or answer is None:
            raise ViberError(method, "http", http_status)
        status = answer.get("status")
        if status == 0:
            return answer
        code = status if isinstance(status, int) and not isinstance(status, bool) else -1
        message = answer.get("status_message")
        raise ViberError(method, "viber", code, message if isinstance(message, str) else "")


def transient(error: Exception) -> Transient | None:
    """Which Viber failures a later try may get past: rate limit, 5xx, timeouts, network."""
    if not isinstance(error, ViberError) or not error.transient:
        return None
    return Transient(_retry_reason(error), {"reason": error.reason, "status": error.status})


def _retry_reason(error: ViberError) -> str:
    if error.kind == "viber":
        return "rate_limited"
    if error.kind == "http":
        return "server_error"
    return error.kind


def _json_object(raw: bytes) -> dict[str, Any] | None:
    try:
        answer = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return answer if isinstance(answer, dict) else None


async def call_once(token: str, base_url: str, method: str, body: dict[str, Any]) -> dict[str, Any]:
    """One call with its own short-lived HTTP session (the CLI; the server pools its own)."""
    async with aiohttp.ClientSession() as http:
        return await ViberClient(http, token, base_url).call(method, body)
