"""Calls to the Viber REST API: statuses named, retries only where they help."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.channels.viber.api import ViberClient, ViberError, status_name
from tests.fakes.viber_api import FakeViberAPI
from tests.support.server import free_port

TOKEN = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"
MESSAGE = {
    "receiver": "01234567890A=planted",
    "min_api_version": 1,
    "sender": {"name": "Putokaz"},
    "type": "text",
    "text": "Здраво — مرحبا",
}


@pytest.fixture
async def fake() -> AsyncIterator[FakeViberAPI]:
    async with FakeViberAPI(auth_token=TOKEN) as api:
        yield api


class Sleeps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(http: aiohttp.ClientSession, url: str, sleeps: Sleeps, **options: float) -> ViberClient:
    return ViberClient(http, TOKEN, url, sleep=sleeps, **options)  # type: ignore[arg-type]


async def test_send_message_carries_the_token_and_utf8_text(fake, http) -> None:
    answer = await client(http, fake.base_url, Sleeps()).send_message(MESSAGE)

    assert answer["status"] == 0
    assert fake.sent_texts() == [MESSAGE["text"]]
    assert fake.calls[0].headers["X-Viber-Auth-Token"] == TOKEN


async def test_rate_limit_is_retried_with_growing_waits(fake, http) -> None:
    sleeps = Sleeps()
    fake.fail("send_message", 12, times=2)

    answer = await client(http, fake.base_url, sleeps).send_message(MESSAGE)

    assert answer["status"] == 0
    assert sleeps == [0.5, 1.0]
    assert len(fake.calls) == 3


async def test_three_tries_at_most(fake, http) -> None:
    fake.fail("send_message", 12)
    with pytest.raises(ViberError) as raised:
        await client(http, fake.base_url, Sleeps()).send_message(MESSAGE)

    assert (raised.value.kind, raised.value.status, raised.value.reason) == (
        "viber",
        12,
        "tooManyRequests",
    )
    assert len(fake.calls) == 3


async def test_server_errors_are_retried(fake, http) -> None:
    fake.fail("send_message", 0, times=1, http_status=502)
    answer = await client(http, fake.base_url, Sleeps()).send_message(MESSAGE)
    assert answer["status"] == 0
    assert [c.http_status for c in fake.calls] == [502, 200]


async def test_timeouts_are_retried_then_reported(fake, http) -> None:
    fake.delay("send_message", 0.3)
    with pytest.raises(ViberError) as raised:
        await client(http, fake.base_url, Sleeps(), timeout=0.05).send_message(MESSAGE)
    assert raised.value.kind == "timeout"
    assert "did not answer send_message" in str(raised.value)


async def test_unreachable_network_is_reported_after_three_tries(http) -> None:
    sleeps = Sleeps()
    url = f"http://127.0.0.1:{free_port()}/pa"
    with pytest.raises(ViberError) as raised:
        await client(http, url, sleeps).send_message(MESSAGE)
    assert raised.value.kind == "network"
    assert len(sleeps) == 2


@pytest.mark.parametrize(
    ("status", "reason", "unreachable"),
    [
        (6, "receiverNotSubscribed", True),
        (5, "receiverNotRegistered", True),
        (3, "badData", False),
        (2, "invalidAuthToken", False),
    ],
)
async def test_other_statuses_fail_at_once_and_are_named(
    fake, http, status: int, reason: str, unreachable: bool
) -> None:
    fake.fail("send_message", status)
    with pytest.raises(ViberError) as raised:
        await client(http, fake.base_url, Sleeps()).send_message(MESSAGE)

    assert (raised.value.status, raised.value.reason) == (status, reason)
    assert raised.value.unreachable is unreachable
    assert len(fake.calls) == 1
    assert f"status {status} {reason}" in str(raised.value)


async def test_wrong_token_is_status_2(fake, http) -> None:
    wrong = ViberClient(http, "wrong", fake.base_url)
    with pytest.raises(ViberError) as raised:
        await wrong.account_info()
    assert raised.value.reason == "invalidAuthToken"


def test_unknown_status_is_a_general_error() -> None:
    assert status_name(99) == "generalError"
    assert status_name(12) == "tooManyRequests"
