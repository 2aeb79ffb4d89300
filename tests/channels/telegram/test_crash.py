"""A crash never loses an answer: SIGKILL `putokaz serve` under load, restart it on the
same data, and redeliver what got no 200, as Telegram does.

Every update is a /start in its own chat, so the replies to a chat count its answers.
"""

from __future__ import annotations

import itertools
from functools import partial
from pathlib import Path

import aiohttp

from tests.channels.telegram.test_channel import TOKEN, delivered, message, post_update, server_env
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.crash import post_until_killed, redeliver
from tests.support.server import ServerProcess
from tests.support.sessions import integrity

UPDATES = 300
KILL_AFTER = 100
"""200s received before the SIGKILL: the rest are in flight or not sent yet."""

_chats = itertools.count(9_100_000_001)


async def test_sigkill_under_load_loses_no_answer_and_doubles_none_that_got_a_200(
    tmp_path: Path,
) -> None:
    async with FakeTelegramAPI(token=TOKEN) as fake, aiohttp.ClientSession() as http:
        env = server_env(fake, webhook=True)
        data = tmp_path / "data"
        chats = [next(_chats) for _ in range(UPDATES)]
        updates = [message(chat, "/start en") for chat in chats]

        server = ServerProcess(data, env=env).start()
        first = message(next(_chats), "/start en")
        assert (await post_update(http, server, first))[0] == 200
        per_reply = len(delivered(fake, first["message"]["chat"]["id"]))
        assert per_reply >= 1

        async def post(update: dict[str, object], to: ServerProcess) -> int:
            return (await post_update(http, to, update))[0]

        # Some calls fail once or twice (500, 429, a dropped connection): their updates wait
        # in the retry backoff, stepped but not sent, when the kill comes, as under a Bot
        # API hiccup.
        fake.fail("sendMessage", 500, ratio=0.2, seed=7)
        fake.fail("sendMessage", 429, ratio=0.1, retry_after=1, seed=8)
        fake.drop("sendMessage", ratio=0.1, seed=9)
        posts = [partial(post, u, server) for u in updates]
        statuses = await post_until_killed(server, posts, kill_after=KILL_AFTER)
        fake.reset_faults()
        acknowledged = {i for i, status in statuses.items() if status == 200}
        assert KILL_AFTER <= len(acknowledged) < UPDATES, "the kill came too late to test"
        assert integrity(data) == "ok", "the kill left a corrupt database"

        with ServerProcess(data, env=env) as restarted:
            for index, update in enumerate(updates):
                if index not in acknowledged:
                    assert await redeliver(partial(post, update, restarted)) == 200

    assert integrity(data) == "ok"
    unanswered = [c for c in chats if len(delivered(fake, c)) < per_reply]
    assert unanswered == [], f"{len(unanswered)} of {UPDATES} updates were never answered"
    doubled = [i for i in acknowledged if len(delivered(fake, chats[i])) != per_reply]
    assert doubled == [], f"{len(doubled)} updates that got a 200 were answered twice"
