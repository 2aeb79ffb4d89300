"""`putokaz serve` on SIGTERM: it stops accepting, answers every update in flight, saves,
and exits 0 — by webhook and by long polling, against the fake Bot API."""

from __future__ import annotations

import asyncio
import copy
import json
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.server import ServerProcess

TOKEN = "123456:SHUTDOWN-token_for-the-fake"
SECRET = "shutdown-secret_4Kp"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "telegram"
IN_FLIGHT = 100
SEND_DELAY = 1.5
"""Seconds the fake holds each sendMessage, so all updates are mid-answer at SIGTERM."""
SHUTDOWN_TIMEOUT = 20


def start_update(chat_id: int, update_id: int) -> dict[str, Any]:
    update: dict[str, Any] = json.loads((FIXTURES / "message_start.json").read_text())
    update = copy.deepcopy(update)
    update["update_id"] = update_id
    update["message"]["message_id"] = 10
    update["message"]["text"] = "/start en"
    update["message"].pop("entities", None)
    update["message"]["chat"]["id"] = chat_id
    update["message"]["from"]["id"] = chat_id
    return update


def server_env(fake: FakeTelegramAPI, webhook: bool) -> dict[str, str]:
    env = {
        "PUTOKAZ_TELEGRAM_TOKEN": TOKEN,
        "PUTOKAZ_TELEGRAM_API_URL": fake.base_url,
        "PUTOKAZ_SHUTDOWN_TIMEOUT": str(SHUTDOWN_TIMEOUT),
    }
    if webhook:
        env |= {"PUTOKAZ_TELEGRAM_SECRET": SECRET, "PUTOKAZ_PUBLIC_URL": "https://putokaz.test"}
    return env


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("not reached in time")
        await asyncio.sleep(0.01)


def chats_being_answered(fake: FakeTelegramAPI) -> set[int]:
    return {int(call.params["chat_id"]) for call in fake.calls_to("sendMessage")}


def chats_answered(fake: FakeTelegramAPI) -> set[int]:
    return {int(c.params["chat_id"]) for c in fake.calls_to("sendMessage") if c.status == 200}


async def wait_for_exit(server: ServerProcess) -> int:
    assert server.process is not None
    deadline = time.monotonic() + SHUTDOWN_TIMEOUT + 10
    while server.process.poll() is None:
        assert time.monotonic() < deadline, "putokaz serve did not exit after SIGTERM"
        await asyncio.sleep(0.05)
    return server.process.returncode


def saved_sessions(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "putokaz.db") as db:
        return int(db.execute("select count(*) from sessions").fetchone()[0])


async def test_sigterm_answers_every_webhook_update_in_flight_and_exits_0(tmp_path: Path) -> None:
    async with FakeTelegramAPI(TOKEN) as fake:
        server = ServerProcess(tmp_path / "data", env=server_env(fake, webhook=True)).start()
        try:
            fake.delay("sendMessage", SEND_DELAY)
            chats = [6_000_000_001 + n for n in range(IN_FLIGHT)]
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            connector = aiohttp.TCPConnector(limit=0)
            async with aiohttp.ClientSession(connector=connector) as http:

                async def post(number: int, chat: int) -> int:
                    update = start_update(chat, 700_000_000 + number)
                    async with http.post(
                        f"{server.url}/telegram", json=update, headers=headers
                    ) as response:
                        return response.status

                posts = [asyncio.create_task(post(n, c)) for n, c in enumerate(chats)]
                await until(lambda: chats_being_answered(fake) == set(chats))
                assert not chats_answered(fake)  # every update is mid-answer now
                assert server.process is not None
                server.process.send_signal(signal.SIGTERM)
                statuses = await asyncio.gather(*posts)
                code = await wait_for_exit(server)
            refused_after = await _new_connection_refused(server.url)
        finally:
            server.stop()
    assert statuses == [200] * IN_FLIGHT
    assert code == 0, server.stderr()
    assert chats_answered(fake) == set(chats)
    assert all(call.status == 200 for call in fake.calls_to("sendMessage"))
    assert saved_sessions(tmp_path / "data") == IN_FLIGHT
    assert refused_after
    log = server.log_file.read_text()
    assert "event=stopping" in log
    assert log.rstrip().endswith("event=stopped")


async def test_sigterm_while_polling_finishes_the_fetched_updates_and_exits_0(
    tmp_path: Path,
) -> None:
    async with FakeTelegramAPI(TOKEN) as fake:
        chats = [6_100_000_001 + n for n in range(10)]
        fake.delay("sendMessage", 0.3)
        server = ServerProcess(tmp_path / "data", env=server_env(fake, webhook=False)).start()
        try:
            for number, chat in enumerate(chats):
                fake.queue_update(start_update(chat, 800_000_000 + number))
            await until(lambda: bool(chats_being_answered(fake)))
            assert server.process is not None
            server.process.send_signal(signal.SIGTERM)
            code = await wait_for_exit(server)
        finally:
            server.stop()
    assert code == 0, server.stderr()
    assert chats_answered(fake) == set(chats)  # the whole fetched batch, in order
    assert fake.pending_update_count == 0  # confirmed: not sent again at the next start
    assert "event=telegram_polling_stopped" in server.log_file.read_text()


async def _new_connection_refused(url: str) -> bool:
    try:
        async with aiohttp.ClientSession() as http, http.get(f"{url}/healthz") as response:
            await response.read()
    except aiohttp.ClientConnectionError:
        return True
    return False
