"""`POST /telegram` in-process (aiohttp.test_utils) against the fake Bot API: the HTTP
answers, the isolation of one chat's turns, and what an update writes to SQLite."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Flows
from bot.engine.choice_token import encode_choice
from tests.channels.telegram.test_channel import (
    HEADER,
    PUBLIC_URL,
    SECRET,
    TOKEN,
    message,
    tap,
)
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.inprocess import InProcess, in_process

CHAT = 6_100_000_001


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI(token=TOKEN) as api:
        yield api


@pytest.fixture
async def bot(tmp_path: Path, flows: Flows, fake: FakeTelegramAPI) -> AsyncIterator[InProcess]:
    env = {
        "PUTOKAZ_TELEGRAM_TOKEN": TOKEN,
        "PUTOKAZ_TELEGRAM_SECRET": SECRET,
        "PUTOKAZ_TELEGRAM_API_URL": fake.base_url,
        "PUTOKAZ_PUBLIC_URL": PUBLIC_URL,
    }
    async with in_process(tmp_path, flows, env) as running:
        yield running


async def post(
    bot: InProcess, update: Any, secret: str | None = SECRET, raw: bytes | None = None
) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[HEADER] = secret
    body = raw if raw is not None else json.dumps(update).encode()
    async with bot.client.post("/telegram", data=body, headers=headers) as response:
        await response.read()
        return response.status


def sends(fake: FakeTelegramAPI, chat: int) -> list[str]:
    return [
        c.method
        for c in fake.calls
        if c.method in ("sendMessage", "editMessageText", "deleteMessages")
        and str(c.params.get("chat_id")) == str(chat)
    ]


async def started(bot: InProcess, fake: FakeTelegramAPI) -> int:
    """/start in English; the id of the bot's message with the keyboard."""
    assert await post(bot, message(CHAT, "/start en")) == 200
    return max(mid for chat, mid in fake.messages if chat == CHAT)


async def test_a_tap_racing_a_quick_exit_cannot_bring_the_session_back(
    bot: InProcess, fake: FakeTelegramAPI
) -> None:
    latest = await started(bot, fake)
    fake.delay("editMessageText", 0.3)
    tapping = asyncio.create_task(
        post(bot, tap(CHAT, latest, encode_choice("welcome.menu", "rights")))
    )
    while not fake.calls_to("editMessageText"):  # the tap's reply is on its way
        await asyncio.sleep(0.005)
    leaving = asyncio.create_task(post(bot, message(CHAT, "/exit")))
    assert await asyncio.gather(tapping, leaving) == [200, 200]
    assert sends(fake, CHAT)[-2:] == ["deleteMessages", "sendMessage"], "the exit ran last"
    assert bot.sessions("telegram", CHAT) == 0


async def test_a_duplicate_update_sends_and_writes_nothing(
    bot: InProcess, fake: FakeTelegramAPI
) -> None:
    update = message(CHAT, "/start en")
    assert await post(bot, update) == 200
    calls, changes = len(fake.calls), bot.changes
    assert await post(bot, update) == 200
    assert fake.calls[calls:] == []
    assert bot.changes == changes


async def test_an_answered_update_is_one_write_of_session_and_update_id(
    bot: InProcess, fake: FakeTelegramAPI
) -> None:
    latest = await started(bot, fake)
    statements: list[str] = []
    bot.sqlite._conn.set_trace_callback(statements.append)
    changes = bot.changes
    assert await post(bot, tap(CHAT, latest, encode_choice("welcome.menu", "rights"))) == 200
    bot.sqlite._conn.set_trace_callback(None)
    writes = [s.split()[0].lower() for s in statements if not s.lower().startswith("select")]
    assert writes == ["begin", "insert", "insert", "insert", "commit"]  # one transaction
    assert bot.changes - changes == 3  # the session row, the update id, the screen's count


async def test_wrong_or_missing_secret_is_403_and_nothing_happens(
    bot: InProcess, fake: FakeTelegramAPI
) -> None:
    statuses = [
        await post(bot, message(CHAT, "/start"), secret=secret)
        for secret in (None, "", "wrong", SECRET + "x", SECRET[:-1], "\xe9" * 8)
    ]
    assert statuses == [403] * 6
    assert fake.calls == []
    assert bot.sessions("telegram", CHAT) == 0


async def test_body_over_one_megabyte_is_413(bot: InProcess, fake: FakeTelegramAPI) -> None:
    update = message(CHAT, "/start")
    update["padding"] = "p" * (1024 * 1024)
    body = json.dumps(update).encode()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 65536):
            yield body[start : start + 65536]

    headers = {HEADER: SECRET, "Content-Type": "application/json"}
    async with bot.client.post("/telegram", data=chunks(), headers=headers) as response:
        chunked = response.status
    assert (await post(bot, None, raw=body), chunked) == (413, 413)
    assert fake.calls == []


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"\xff\xfe\x00", b"[" * 20_000, b"1" * 5000],
    ids=["broken", "empty", "not utf-8", "deep nesting", "huge number"],
)
async def test_malformed_json_is_400(bot: InProcess, body: bytes) -> None:
    assert await post(bot, None, raw=body) == 400
