"""`Conversations.run`: isolation, duplicates, the single write, failures, hand-off."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.channels.base import Blocked, Ignored, Outcome, Turn
from bot.engine import Flows
from bot.engine.events import Choose, Exit, Start
from bot.service.conversations import DELIVERY_ATTEMPTS, Conversations, ReplyNotSent
from bot.store.base import Tally
from bot.store.pseudonym import Pseudonymizer
from bot.store.sqlite import SQLiteStore
from tests.fakes.outbox import RecordingOutbox, not_sent, unreachable

CHANNEL = "telegram"
PERSON = 4242
NOW = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        self.now += 1
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteStore]:
    opened = SQLiteStore(tmp_path / "putokaz.db")
    yield opened
    opened._conn.close()


@pytest.fixture
async def service(flows: Flows, store: SQLiteStore) -> AsyncIterator[Conversations]:
    conversations = Conversations(flows, store, Pseudonymizer(b"p" * 32), clock=Clock())
    yield conversations
    await conversations.handoffs.drain()


def turn(event: object, delivery: str | None) -> Turn:
    return Turn(PERSON, event, delivery)  # type: ignore[arg-type]


async def started(service: Conversations) -> RecordingOutbox:
    outbox = RecordingOutbox()
    result = await service.run(CHANNEL, turn(Start("en"), "1"), outbox)
    assert result.outcome is Outcome.ANSWERED
    return outbox


def key(service: Conversations) -> object:
    return service.pseudonyms.key(CHANNEL, PERSON)


async def test_a_tap_racing_a_quick_exit_cannot_bring_the_session_back(
    service: Conversations, store: SQLiteStore
) -> None:
    first = await started(service)
    node = first.replies[0].node
    release = asyncio.Event()
    slow = RecordingOutbox(hold=release)
    tap = asyncio.create_task(service.run(CHANNEL, turn(Choose("rights", node), "2"), slow))
    await slow.delivering.wait()  # the tap is being answered, its save still to come
    leave = asyncio.create_task(service.run(CHANNEL, turn(Exit(), "3"), RecordingOutbox()))
    for _ in range(20):  # every chance for the exit to overtake the tap
        await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(tap, leave)
    assert [r.outcome for r in results] == [Outcome.ANSWERED, Outcome.ANSWERED]
    assert results[1].ended
    assert await store.get(key(service), NOW + 100) is None  # type: ignore[arg-type]


async def test_one_answered_update_is_one_transaction_on_sqlite(
    service: Conversations, store: SQLiteStore
) -> None:
    await started(service)
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    changes = store._conn.total_changes
    await service.run(CHANNEL, turn(Choose("rights", None), "2"), RecordingOutbox())
    store._conn.set_trace_callback(None)
    writes = [s.split()[0].lower() for s in statements if not s.lower().startswith("select")]
    # session + delivery id + the screen's count
    assert writes == ["begin", "insert", "insert", "insert", "commit"]
    assert store._conn.total_changes - changes == 3


async def test_a_duplicate_delivery_is_not_answered_and_writes_nothing(
    service: Conversations, store: SQLiteStore
) -> None:
    await started(service)
    changes = store._conn.total_changes
    again = RecordingOutbox()
    result = await service.run(CHANNEL, turn(Start("en"), "1"), again)
    assert result.outcome is Outcome.DUPLICATE
    assert again.replies == []
    assert store._conn.total_changes == changes


async def test_concurrent_copies_of_one_delivery_are_answered_once(
    service: Conversations,
) -> None:
    release = asyncio.Event()
    outboxes = [RecordingOutbox(hold=release) for _ in range(5)]
    runs = [asyncio.create_task(service.run(CHANNEL, turn(Start("en"), "9"), o)) for o in outboxes]
    for _ in range(20):  # every copy gets the chance to start before the first is answered
        await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(*runs)
    assert sorted(r.outcome for r in results) == sorted(
        [Outcome.ANSWERED] + [Outcome.DUPLICATE] * 4
    )
    assert sum(len(o.replies) for o in outboxes) == 1


async def test_sent_message_ids_are_kept_for_quick_exit(
    service: Conversations, store: SQLiteStore
) -> None:
    first = await started(service)
    session = await store.get(key(service), NOW + 100)  # type: ignore[arg-type]
    assert session is not None
    assert session.message_ids == tuple(range(1, len(first.replies[0].messages) + 1))


async def test_a_reply_not_sent_leaves_the_delivery_open_then_is_given_up(
    service: Conversations, store: SQLiteStore
) -> None:
    for attempt in range(1, DELIVERY_ATTEMPTS):
        with pytest.raises(ReplyNotSent, match=f"attempt {attempt} of {DELIVERY_ATTEMPTS}"):
            await service.run(CHANNEL, turn(Start("en"), "1"), RecordingOutbox(fail=not_sent()))
        assert not await store.answered(CHANNEL, "1")
        assert await store.get(key(service), NOW + 100) is None  # type: ignore[arg-type]
    result = await service.run(CHANNEL, turn(Start("en"), "1"), RecordingOutbox(fail=not_sent()))
    assert result.outcome is Outcome.GIVEN_UP
    assert await store.answered(CHANNEL, "1")


async def test_a_person_who_blocked_the_bot_loses_the_session(
    service: Conversations, store: SQLiteStore
) -> None:
    await started(service)
    result = await service.run(
        CHANNEL, turn(Choose("rights", None), "2"), RecordingOutbox(fail=unreachable())
    )
    assert result.outcome is Outcome.DROPPED
    assert await store.get(key(service), NOW + 100) is None  # type: ignore[arg-type]
    assert await store.answered(CHANNEL, "2")


async def test_blocked_drops_the_session_and_ignored_writes_nothing(
    service: Conversations, store: SQLiteStore
) -> None:
    outbox = await started(service)
    changes = store._conn.total_changes
    assert (await service.run(CHANNEL, Ignored("edited"), outbox)).outcome is Outcome.IGNORED
    assert store._conn.total_changes == changes
    result = await service.run(CHANNEL, Blocked(PERSON, "blocked"), outbox)
    assert result.outcome is Outcome.DROPPED
    assert await store.get(key(service), NOW + 100) is None  # type: ignore[arg-type]


async def test_each_answered_screen_is_counted_without_a_key(
    service: Conversations, store: SQLiteStore
) -> None:
    first = await started(service)
    await service.run(CHANNEL, turn(Exit(), "2"), RecordingOutbox())
    day = Tally.of(NOW, "en", "x").day
    counts = await store.tallies(day)
    assert counts[("en", str(first.replies[0].node))] == 1
    assert sum(counts.values()) == 2
    assert list(store._conn.execute("select * from tallies").fetchall()[0]) == [
        day,
        "en",
        str(first.replies[0].node),
        CHANNEL,
        "direct",
        1,
    ]
