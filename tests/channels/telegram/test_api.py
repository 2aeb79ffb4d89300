"""The Bot API layer: PTB errors from the aiohttp request, and the retry policy."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.telegram.api import TelegramAPI, with_retries
from bot.channels.telegram.outbound import Outgoing
from tests.fakes.telegram_api import FakeTelegramAPI

TOKEN = "123456:API-test"
CHAT = 5_100_000_001


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI(token=TOKEN) as api:
        yield api


@pytest_asyncio.fixture
async def api(fake: FakeTelegramAPI) -> AsyncIterator[TelegramAPI]:
    async with aiohttp.ClientSession() as http:
        client = TelegramAPI(TOKEN, fake.base_url, http, backoff=0.01)
        yield client
        await client.close()


def failing(
    *errors: Exception, result: Any = "ok"
) -> tuple[Callable[[], Awaitable[Any]], list[int]]:
    """A call failing with `errors` in turn, then returning `result`; and its call count."""
    count = [0]

    async def call() -> Any:
        count[0] += 1
        if count[0] <= len(errors):
            raise errors[count[0] - 1]
        return result

    return call, count


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


async def test_rate_limits_wait_what_telegram_says() -> None:
    sleep = Sleeps()
    call, count = failing(RetryAfter(timedelta(seconds=2)), RetryAfter(timedelta(seconds=3)))
    assert await with_retries("sendMessage", call, sleep=sleep) == "ok"
    assert (count[0], sleep.waits) == (3, [2.0, 3.0])


async def test_server_errors_and_timeouts_back_off_three_tries_then_give_up(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="putokaz")
    sleep = Sleeps()
    call, count = failing(NetworkError("Bad Gateway"), TimedOut(), result="late")
    assert await with_retries("sendMessage", call, sleep=sleep, backoff=0.5) == "late"
    assert sleep.waits == [0.5, 1.0]

    sleep = Sleeps()
    call, count = failing(*(NetworkError("Internal Server Error") for _ in range(5)))
    with pytest.raises(NetworkError):
        await with_retries("editMessageText", call, sleep=sleep, backoff=0.5)
    assert (count[0], sleep.waits) == (3, [0.5, 1.0])
    assert "event=telegram_gave_up method=editMessageText error=NetworkError attempt=3" in (
        caplog.text
    )


@pytest.mark.parametrize("error", [BadRequest("chat not found"), Forbidden("blocked")])
async def test_refusals_are_not_retried(error: Exception) -> None:
    sleep = Sleeps()
    call, count = failing(error)
    with pytest.raises(type(error)):
        await with_retries("sendMessage", call, sleep=sleep)
    assert (count[0], sleep.waits) == (1, [])


async def test_a_call_telegram_keeps_refusing_with_429_gives_up() -> None:
    sleep = Sleeps()
    call, count = failing(*(RetryAfter(timedelta(seconds=1)) for _ in range(10)))
    with pytest.raises(RetryAfter):
        await with_retries("sendMessage", call, sleep=sleep)
    assert count[0] == 5


async def test_send_returns_the_message_id_and_sends_plain_text(
    api: TelegramAPI, fake: FakeTelegramAPI
) -> None:
    markup = '{"inline_keyboard":[[{"text":"Далее","callback_data":"1|rights.start|next"}]]}'
    first = await api.send(CHAT, Outgoing("سلام — здраво", markup))
    second = await api.send(CHAT, Outgoing("Second"))

    assert (first, second) == (1, 2)
    assert fake.messages[(CHAT, 1)]["text"] == "سلام — здраво"
    assert fake.messages[(CHAT, 1)]["reply_markup"]["inline_keyboard"][0][0]["text"] == "Далее"
    assert "parse_mode" not in fake.calls[0].params


async def test_editing_to_the_same_content_is_fine(api: TelegramAPI) -> None:
    message_id = await api.send(CHAT, Outgoing("Same"))
    await api.edit(CHAT, message_id, Outgoing("Same"))
    with pytest.raises(BadRequest):
        await api.edit(CHAT, message_id, Outgoing(""))


async def test_deletes_go_in_chunks_of_a_hundred(api: TelegramAPI, fake: FakeTelegramAPI) -> None:
    refused = await api.delete(CHAT, list(range(1, 251)))
    chunks = [call.params["message_ids"] for call in fake.calls_to("deleteMessages")]
    assert refused == 0
    assert [len(json.loads(c) if isinstance(c, str) else c) for c in chunks] == [
        100,
        100,
        50,
    ]


async def test_errors_arrive_as_ptb_exceptions(api: TelegramAPI, fake: FakeTelegramAPI) -> None:
    fake.fail("sendMessage", 403, times=1)
    with pytest.raises(Forbidden):
        await api.send(CHAT, Outgoing("x"))
    fake.fail("sendMessage", 400, times=1)
    with pytest.raises(BadRequest):
        await api.send(CHAT, Outgoing("x"))
    fake.fail("sendMessage", 500, times=2)
    assert await api.send(CHAT, Outgoing("after two 500s")) == 1


async def test_a_slow_or_absent_server_is_a_timeout_or_network_error(
    fake: FakeTelegramAPI,
) -> None:
    async with aiohttp.ClientSession() as http:
        api = TelegramAPI(TOKEN, fake.base_url, http, backoff=0.01)
        api.requests[0]._read_timeout = 0.2
        fake.delay("sendMessage", 1.0)
        with pytest.raises(TimedOut):
            await api.send(CHAT, Outgoing("x"))
        gone = TelegramAPI(TOKEN, "http://127.0.0.1:9/bot", http, backoff=0.01)
        with pytest.raises(NetworkError) as raised:
            await gone.send(CHAT, Outgoing("x"))
        assert TOKEN not in str(raised.value)
