"""A crash never loses a Viber answer: SIGKILL `putokaz serve` under load, restart it on
the same data, and redeliver what got no 200, as Viber does.

Every callback is a message from its own user, so the sends to a user count its answers.
"""

from __future__ import annotations

import itertools
from functools import partial
from pathlib import Path
from typing import Any

import aiohttp

from tests.channels.viber.test_routes import TOKEN, message, sends_to
from tests.fakes.viber_api import FakeViberAPI, post_callback
from tests.support.crash import post_until_killed, redeliver
from tests.support.server import ServerProcess
from tests.support.sessions import integrity

CALLBACKS = 200
KILL_AFTER = 60
"""200s received before the SIGKILL: the rest are in flight or not sent yet."""

_users = itertools.count(1)


def user() -> str:
    return f"crash{next(_users):07d}AAAA=="


async def test_sigkill_under_load_loses_no_viber_answer_and_doubles_none_that_got_a_200(
    tmp_path: Path,
) -> None:
    fake = FakeViberAPI(auth_token=TOKEN)
    with fake.run_in_thread():
        env = {"PUTOKAZ_VIBER_TOKEN": TOKEN, "PUTOKAZ_VIBER_API_URL": fake.base_url}
        data = tmp_path / "data"
        users = [user() for _ in range(CALLBACKS)]
        callbacks = [message(u, "hello") for u in users]

        async with aiohttp.ClientSession() as http:

            async def post(event: dict[str, Any], to: ServerProcess) -> int:
                answer = await post_callback(http, event, TOKEN, path=f"{to.url}/viber")
                return answer.status

            server = ServerProcess(data, env=env).start()
            first = user()
            assert await post(message(first, "hello"), server) == 200
            per_reply = len(sends_to(fake, first))
            assert per_reply >= 1

            # Some sends are rate limited once or twice: their callbacks wait in the retry
            # backoff, stepped but not sent, when the kill comes.
            fake.fail("send_message", 12, ratio=0.3, seed=7)
            fake.drop("send_message", ratio=0.1, seed=8)
            posts = [partial(post, c, server) for c in callbacks]
            statuses = await post_until_killed(server, posts, kill_after=KILL_AFTER)
            fake.reset_faults()
            acknowledged = {i for i, status in statuses.items() if status == 200}
            assert KILL_AFTER <= len(acknowledged) < CALLBACKS, "the kill came too late to test"
            assert integrity(data) == "ok", "the kill left a corrupt database"

            with ServerProcess(data, env=env) as restarted:
                for index, callback in enumerate(callbacks):
                    if index not in acknowledged:
                        assert await redeliver(partial(post, callback, restarted)) == 200

        assert integrity(data) == "ok"
        unanswered = [u for u in users if len(sends_to(fake, u)) < per_reply]
        assert unanswered == [], f"{len(unanswered)} of {CALLBACKS} callbacks never answered"
        doubled = [i for i in acknowledged if len(sends_to(fake, users[i])) != per_reply]
        assert doubled == [], f"{len(doubled)} callbacks that got a 200 were answered twice"
