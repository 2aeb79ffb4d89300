"""Two replicas' services in one process, sharing one real redis-server: a person's turns
are applied one at a time across them, and a duplicate is answered once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.channels.base import Outcome, Turn
from bot.engine import Flows
from bot.engine.events import Choose, Exit, Start
from bot.service.conversations import Conversations, ReplyNotSent, StoreUnavailable
from bot.store.pseudonym import Pseudonymizer
from bot.store.redis import RedisStore
from bot.store.redis_isolation import RedisIsolation
from tests.fakes.outbox import RecordingOutbox
from tests.support.redis_server import RedisServer
from tests.support.server import free_port

CHANNEL = "telegram"
PERSON = 4343
PEPPER = b"q" * 32


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
async def replicas(
    flows: Flows, redis_server: RedisServer, tmp_path: Path
) -> AsyncIterator[list[Conversations]]:
    prefix = f"p{uuid.uuid4().hex}:"
    made = [
        Conversations(
            flows,
            RedisStore(redis_server.url, prefix=prefix),
            Pseudonymizer(PEPPER),
            isolation=RedisIsolation(redis_server.url, prefix=prefix),
        )
        for _ in range(2)
    ]
    yield made
    for one in made:
        await one.isolation.close()
        await one.store.close()


async def test_a_tap_on_one_replica_racing_a_quick_exit_on_the_other_leaves_no_session(
    replicas: list[Conversations],
) -> None:
    a, b = replicas
    opened = RecordingOutbox()
    await a.run(CHANNEL, Turn(PERSON, Start("en"), "1"), opened)
    release = asyncio.Event()
    slow = RecordingOutbox(hold=release)
    tap = asyncio.create_task(
        a.run(CHANNEL, Turn(PERSON, Choose("rights", opened.replies[0].node), "2"), slow)
    )
    await slow.delivering.wait()  # the tap is being answered on A, its save still to come
    leave = asyncio.create_task(b.run(CHANNEL, Turn(PERSON, Exit(), "3"), RecordingOutbox()))
    await asyncio.sleep(0.05)  # every chance for B's exit to overtake A's tap
    release.set()
    results = await asyncio.wait_for(asyncio.gather(tap, leave), 30)
    assert [r.outcome for r in results] == [Outcome.ANSWERED, Outcome.ANSWERED]
    key = a.pseudonyms.key(CHANNEL, PERSON)
    assert await a.store.get(key, a.clock()) is None
    assert await b.store.get(key, b.clock()) is None


async def test_copies_of_one_delivery_on_both_replicas_are_answered_once(
    replicas: list[Conversations],
) -> None:
    release = asyncio.Event()
    outboxes = [RecordingOutbox(hold=release) for _ in range(6)]
    runs = [
        asyncio.create_task(replicas[i % 2].run(CHANNEL, Turn(PERSON, Start("en"), "9"), box))
        for i, box in enumerate(outboxes)
    ]
    await asyncio.sleep(0.05)
    release.set()
    results = await asyncio.wait_for(asyncio.gather(*runs), 30)
    assert sorted(r.outcome for r in results) == sorted(
        [Outcome.ANSWERED] + [Outcome.DUPLICATE] * 5
    )
    assert sum(len(box.replies) for box in outboxes) == 1


async def test_an_unreachable_redis_defers_the_update_for_redelivery(flows: Flows) -> None:
    nowhere = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    service = Conversations(
        flows,
        RedisStore(nowhere),
        Pseudonymizer(PEPPER),
        isolation=RedisIsolation(nowhere),
    )
    outbox = RecordingOutbox()
    with pytest.raises(StoreUnavailable, match="the store is unavailable") as raised:
        await service.run(CHANNEL, Turn(PERSON, Start("en"), "1"), outbox)
    assert isinstance(raised.value, ReplyNotSent), "channels answer it 503, as Telegram retries"
    assert outbox.replies == []
    await service.isolation.close()
    await service.store.close()
