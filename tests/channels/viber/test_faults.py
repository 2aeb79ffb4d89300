"""Viber API faults never lose or double an answer.

The fake Viber API answers a share of calls with status 12 (rate limited), HTTP 500, a
dropped connection, or not before the bot gives up (a timeout); every callback comes
twice, all in shuffled order; what got no 200 is delivered again, as Viber does. Every
callback is answered exactly once, and the SQLite file passes integrity_check.
"""

from __future__ import annotations

import itertools
import random
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp

from bot.channels.viber.api import CALL_TIMEOUT
from tests.channels.viber.test_routes import TOKEN, message, sends_to
from tests.fakes.viber_api import FakeViberAPI, post_callback
from tests.support.crash import deliver_all
from tests.support.server import ServerProcess
from tests.support.sessions import integrity

USERS = 60
MESSAGES_PER_USER = 2

_users = itertools.count(1)


def user() -> str:
    return f"fault{next(_users):07d}AAAA=="


async def test_faults_duplicates_and_reordering_answer_every_callback_exactly_once(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    fake = FakeViberAPI(auth_token=TOKEN)
    with fake.run_in_thread():
        env = {"PUTOKAZ_VIBER_TOKEN": TOKEN, "PUTOKAZ_VIBER_API_URL": fake.base_url}
        async with aiohttp.ClientSession() as http:
            with ServerProcess(data, env=env) as server:

                async def post(event: dict[str, Any]) -> int:
                    answer = await post_callback(http, event, TOKEN, path=f"{server.url}/viber")
                    return answer.status

                first = user()
                assert await post(message(first, "hello")) == 200
                per_reply = len(sends_to(fake, first))
                assert per_reply >= 1

                users = [user() for _ in range(USERS)]
                callbacks = [message(u, "hello") for u in users for _ in range(MESSAGES_PER_USER)]
                deliveries = callbacks * 2
                random.Random(5).shuffle(deliveries)
                fake.fail("send_message", 12, ratio=0.1, seed=1)
                fake.fail("send_message", 1, ratio=0.1, http_status=500, seed=2)
                fake.drop("send_message", ratio=0.1, seed=3)
                fake.hang("send_message", CALL_TIMEOUT + 0.5, times=2)
                statuses = await deliver_all([partial(post, c) for c in deliveries])
                fake.reset_faults()

        assert set(statuses) == {200}
        answers = {u: len(sends_to(fake, u)) for u in users}
        wrong = {u: n for u, n in answers.items() if n != MESSAGES_PER_USER * per_reply}
        assert wrong == {}, f"users answered other than once per callback: {wrong}"
        refused = {(c.http_status, c.response.get("status")) for c in fake.calls} - {(200, 0)}
        assert refused == {(200, 12), (500, 1)}, "rate limits and 500s were injected"
    assert integrity(data) == "ok"
