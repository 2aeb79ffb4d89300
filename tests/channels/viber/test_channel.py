"""One Viber callback through the service, in-process (aiohttp.test_utils) against the fake
Viber API: one person's turns are isolated, and a duplicate callback writes nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.engine import Flows
from bot.engine.choice_token import encode_choice
from tests.channels.viber.test_routes import TOKEN, message, new_user, sends_to, started
from tests.fakes.pausing_store import PausingStore
from tests.fakes.viber_api import FakeViberAPI, post_callback
from tests.support.inprocess import InProcess, in_process


@pytest.fixture
async def fake() -> AsyncIterator[FakeViberAPI]:
    async with FakeViberAPI(auth_token=TOKEN) as api:
        yield api


@pytest.fixture
async def bot(tmp_path: Path, flows: Flows, fake: FakeViberAPI) -> AsyncIterator[InProcess]:
    env = {"PUTOKAZ_VIBER_TOKEN": TOKEN, "PUTOKAZ_VIBER_API_URL": fake.base_url}
    async with in_process(tmp_path, flows, env, wrap=PausingStore) as running:
        yield running


@pytest.fixture
def paused(bot: InProcess) -> PausingStore:
    assert isinstance(bot.store, PausingStore)
    return bot.store


async def test_a_tap_racing_a_quick_exit_cannot_bring_the_session_back(
    bot: InProcess, fake: FakeViberAPI, paused: PausingStore
) -> None:
    user = new_user()
    await post_callback(bot.client, started(user, "en"), TOKEN)
    paused.pause_next_save()  # the tap's reply goes out, its save waits
    tap = message(user, encode_choice("welcome.menu", "rights"))
    tapping = asyncio.create_task(post_callback(bot.client, tap, TOKEN))
    await paused.paused.wait()
    sent = len(sends_to(fake, user))
    leaving = asyncio.create_task(post_callback(bot.client, message(user, "/exit"), TOKEN))
    for _ in range(50):  # every chance for the exit to overtake the tap's save
        if len(sends_to(fake, user)) > sent:
            break
        await asyncio.sleep(0.01)
    paused.release()
    answers = await asyncio.gather(tapping, leaving)
    assert [a.status for a in answers] == [200, 200]
    assert bot.sessions("viber", user) == 0


async def test_a_duplicate_callback_sends_and_writes_nothing(
    bot: InProcess, fake: FakeViberAPI
) -> None:
    user = new_user()
    await post_callback(bot.client, started(user, "en"), TOKEN)
    event = message(user, encode_choice("welcome.menu", "rights"))
    assert (await post_callback(bot.client, event, TOKEN)).status == 200
    calls, changes = len(fake.calls), bot.changes
    assert (await post_callback(bot.client, event, TOKEN)).status == 200
    assert len(fake.calls) == calls
    assert bot.changes == changes
