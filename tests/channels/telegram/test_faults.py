"""Bot API faults never lose or double an answer.

The fake Bot API answers a share of calls with 429 (retry_after), 500, a dropped
connection, or not before the bot gives up (a timeout); every update comes twice, all
in shuffled order (duplicates, some at the same time, and later updates of a chat
first); what got no 200 is delivered again, as Telegram does. Every update is answered
exactly once, and the SQLite file passes integrity_check.
"""

from __future__ import annotations

import itertools
import random
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp

from tests.channels.telegram.test_channel import TOKEN, delivered, message, post_update, server_env
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.crash import deliver_all
from tests.support.server import ServerProcess
from tests.support.sessions import integrity

CHATS = 60
STARTS_PER_CHAT = 2
PAST_THE_BOTS_TIMEOUT = 10.5
"""The bot waits 10 s for a Bot API answer (bot/channels/telegram/api.py make_requests)."""

_chats = itertools.count(9_300_000_001)


async def test_faults_duplicates_and_reordering_answer_every_update_exactly_once(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    async with FakeTelegramAPI(token=TOKEN) as fake, aiohttp.ClientSession() as http:
        with ServerProcess(data, env=server_env(fake, webhook=True)) as server:
            first = message(next(_chats), "/start en")
            assert (await post_update(http, server, first))[0] == 200
            per_reply = len(delivered(fake, first["message"]["chat"]["id"]))
            assert per_reply >= 1

            chats = [next(_chats) for _ in range(CHATS)]
            updates = [message(c, "/start en") for c in chats for _ in range(STARTS_PER_CHAT)]
            deliveries = updates * 2
            random.Random(5).shuffle(deliveries)

            async def post(update: dict[str, Any]) -> int:
                return (await post_update(http, server, update))[0]

            fake.fail(None, 429, ratio=0.1, retry_after=1, seed=1)
            fake.fail(None, 500, ratio=0.1, seed=2)
            fake.drop(None, ratio=0.1, seed=3)
            fake.hang(None, PAST_THE_BOTS_TIMEOUT, times=2)
            statuses = await deliver_all([partial(post, u) for u in deliveries])
            fake.reset_faults()

        failed = {call.status for call in fake.calls_to("sendMessage")} - {200}
        assert failed == {0, 429, 500}, "every kind of fault was injected"
        assert set(statuses) == {200}
        answers = {c: len(delivered(fake, c)) for c in chats}
        wrong = {c: n for c, n in answers.items() if n != STARTS_PER_CHAT * per_reply}
        assert wrong == {}, f"chats answered other than once per update: {wrong}"
    assert integrity(data) == "ok"
