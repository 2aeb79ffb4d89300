"""A crash never loses an answer: SIGKILL `putokaz serve` under load, restart it on the
same data, and redeliver what got no 200, as Telegram does.

Every update is a /start in its own chat, so the replies to a chat count its answers.
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import Any

import aiohttp

from tests.channels.telegram.test_channel import TOKEN, delivered, message, post_update, server_env
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.server import ServerProcess

UPDATES = 300
IN_FLIGHT = 30
KILL_AFTER = 100
"""200s received before the SIGKILL: the rest are in flight or not sent yet."""

_chats = itertools.count(9_100_000_001)


async def _post_all(
    http: aiohttp.ClientSession, server: ServerProcess, updates: list[dict[str, Any]]
) -> dict[int, int]:
    """POST each update (IN_FLIGHT at a time) until the server dies; update_id -> status."""
    statuses: dict[int, int] = {}
    queue = list(updates)
    killed = asyncio.Event()

    async def worker() -> None:
        while queue and not killed.is_set():
            update = queue.pop(0)
            try:
                status, _ = await post_update(http, server, update)
            except (aiohttp.ClientError, OSError):
                continue
            statuses[update["update_id"]] = status
            if sum(s == 200 for s in statuses.values()) >= KILL_AFTER and not killed.is_set():
                killed.set()
                server.kill()

    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))
    return statuses


async def test_sigkill_under_load_loses_no_answer_and_doubles_none_that_got_a_200(
    tmp_path: Path,
) -> None:
    async with FakeTelegramAPI(token=TOKEN) as fake:
        # Slow replies keep many updates between "stepped" and "sent" when the kill comes.
        fake.delay("sendMessage", 0.01)
        env = server_env(fake, webhook=True)
        data = tmp_path / "data"
        chats = [next(_chats) for _ in range(UPDATES)]
        updates = [message(chat, "/start en") for chat in chats]
        async with aiohttp.ClientSession() as http:
            server = ServerProcess(data, env=env).start()
            try:
                first = message(next(_chats), "/start en")
                assert (await post_update(http, server, first))[0] == 200
                per_reply = len(delivered(fake, first["message"]["chat"]["id"]))
                statuses = await _post_all(http, server, updates)
            finally:
                server.kill()
            acknowledged = {uid for uid, status in statuses.items() if status == 200}
            assert KILL_AFTER <= len(acknowledged) < UPDATES, "the kill came too late to test"

            with ServerProcess(data, env=env) as restarted:
                for update in updates:
                    if update["update_id"] in acknowledged:
                        continue
                    for _ in range(3):  # Telegram retries until it gets a 2xx
                        status, _ = await post_update(http, restarted, update)
                        if status == 200:
                            break
                    assert status == 200

        assert per_reply >= 1
        unanswered = [c for c in chats if len(delivered(fake, c)) < per_reply]
        assert unanswered == [], f"{len(unanswered)} of {UPDATES} updates were never answered"
        doubled = [
            u["update_id"]
            for u, chat in zip(updates, chats, strict=True)
            if u["update_id"] in acknowledged and len(delivered(fake, chat)) != per_reply
        ]
        assert doubled == [], f"{len(doubled)} updates that got a 200 were answered twice"
