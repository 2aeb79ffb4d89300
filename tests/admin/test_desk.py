"""The hotline's desk: an operator finds the code a person was shown in a Telegram
conversation (`putokaz serve` against the fake Bot API); after the retention the code is
gone from the page and from staff.db (a fixed clock); links, QR codes and the poster."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.admin.desk import DAY
from bot.config import Config
from bot.service.handoff import CODE_ALPHABET
from bot.service.runtime import Services
from bot.web.app import create_app
from tests.admin.staff_client import Staff, add_accounts, staff_config
from tests.channels.telegram.test_channel import TOKEN, message, post_update, server_env, tap
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.server import ServerProcess
from tests.support.system_tools import require

PERSON = 5_400_000_001
CODE = re.compile(f"\\b([{CODE_ALPHABET}]{{4}})\\b")


@pytest.fixture
def fake() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI(token=TOKEN).run_in_thread() as api:
        yield api


@asynccontextmanager
async def staff_app(config: Config, now: float) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    client = TestClient(TestServer(create_app(config, Services(clock=lambda: now))))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()


def texts_to_person(fake: FakeTelegramAPI, bodies: list[str]) -> str:
    calls = [
        str(c.params.get("text", ""))
        for c in fake.calls
        if str(c.params.get("chat_id")) == str(PERSON)
    ]
    replies = [str(json.loads(b).get("text", "")) for b in bodies if b]
    return "\n".join(calls + replies)


async def test_the_operator_finds_the_code_shown_on_telegram_and_it_expires(
    tmp_path: Path, fake: FakeTelegramAPI, http: aiohttp.ClientSession
) -> None:
    data = tmp_path / "data"
    config = staff_config(data)
    add_accounts(config)
    bodies = []
    with ServerProcess(data, env=server_env(fake, webhook=True)) as server:
        for update in (
            message(PERSON, "/start fa-reflection"),
            tap(PERSON, 1, "1|reflection.start|hotline"),
        ):
            status, body = await post_update(http, server, update)
            assert status == 200
            bodies.append(body)
        deadline = time.monotonic() + 10
        while (
            not sqlite3.connect(data / "staff.db")
            .execute("select count(*) from desk_codes")
            .fetchone()[0]
        ):
            assert time.monotonic() < deadline, "the hand-off never reached the desk"
            time.sleep(0.02)
    shown = texts_to_person(fake, bodies)
    codes = set(CODE.findall(shown))
    assert codes, shown
    now = time.time()

    async with staff_app(config, now) as client:
        staff = Staff(client)
        assert await staff.login("hana") == 303
        (code,) = codes
        status, page = await staff.get(f"/admin/desk?code={code.lower()}")
        assert status == 200
        row = re.search(f'<tr data-code="{code}">(.*?)</tr>', page)
        assert row, page
        assert "fa" in row.group(1)
        assert "reflection" in row.group(1)
        assert str(PERSON) not in page

    async with staff_app(config, now + 7 * DAY + 120) as client:
        staff = Staff(client)
        await staff.login("hana")
        _, page = await staff.get(f"/admin/desk?code={code}")
        assert f'data-code="{code}"' not in page
    rows = sqlite3.connect(data / "staff.db").execute("select count(*) from desk_codes").fetchone()
    assert rows[0] == 0, "the expired code was not purged"


def test_the_desk_table_holds_only_code_language_topics_and_time(tmp_path: Path) -> None:
    config = staff_config(tmp_path / "data")
    add_accounts(config)
    columns = [
        r[1]
        for r in sqlite3.connect(config.staff_database).execute("pragma table_info(desk_codes)")
    ]
    assert columns == ["code", "language", "topics", "at"]


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Staff]:
    config = replace(
        staff_config(tmp_path / "data"), telegram_username="PutokazBot", viber_uri="putokaz"
    )
    add_accounts(config)
    async with staff_app(config, time.time()) as client:
        staff = Staff(client)
        await staff.login("hana")
        yield staff


async def test_links_come_with_qr_codes_that_decode_to_the_link(
    desk: Staff, tmp_path: Path
) -> None:
    status, page = await desk.get("/admin/desk/links?lang=fa&topic=reflection&campaign=bus1")
    assert status == 200
    assert "https://t.me/PutokazBot?start=fa-reflection-bus1" in page
    assert "viber://pa?chatURI=putokaz&amp;context=fa-reflection-bus1" in page
    web = re.search(r"http://127\.0\.0\.1:\d+/\?s=([A-Z0-9]{4,8})", page)
    assert web, page
    assert "reflection" not in web.group(0)
    response = await desk.client.get(
        "/admin/desk/qr.png?lang=fa&topic=reflection&campaign=bus1&channel=telegram"
    )
    assert response.status == 200
    png = tmp_path / "qr.png"
    png.write_bytes(await response.read())
    decoded = subprocess.run(
        [require("zbarimg"), "-q", "--raw", str(png)], capture_output=True, text=True
    )
    assert decoded.stdout.strip() == "https://t.me/PutokazBot?start=fa-reflection-bus1"


async def test_the_poster_has_a_neutral_title_and_the_hotline_number(desk: Staff) -> None:
    status, page = await desk.get("/admin/desk/poster?lang=en&topic=reflection&channel=web")
    assert status == 200
    assert "+381 61 63 84 071" in page
    title = re.search(r"<h1>(.*?)</h1>", page)
    assert title
    for word in ("traffick", "victim", "exploit"):
        assert word not in page.lower()


async def test_a_translator_cannot_open_the_desk(tmp_path: Path) -> None:
    config = staff_config(tmp_path / "data")
    add_accounts(config)
    async with staff_app(config, time.time()) as client:
        staff = Staff(client)
        await staff.login("tara")
        status, _ = await staff.get("/admin/desk")
    assert status == 403
