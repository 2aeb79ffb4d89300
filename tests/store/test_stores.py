"""One conformance suite for every store: memory, SQLite and Redis."""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.engine.model import NodeId
from bot.engine.session import Session
from bot.store.base import DELIVERY_MEMORY, Delivery, Tally
from bot.store.memory import MemoryStore
from bot.store.pseudonym import Pseudonymizer, SessionKey, load_pepper
from bot.store.redis import RedisStore
from bot.store.sqlite import SQLiteStore, migrate

NOW = 1_800_000_000.0
TTL = 3600.0


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[object]:
    if request.param == "memory":
        made: object = MemoryStore(ttl=TTL)
    elif request.param == "sqlite":
        made = SQLiteStore(tmp_path / "s.db", ttl=TTL)
    else:
        server = request.getfixturevalue("redis_server")
        made = RedisStore(server.url, ttl=TTL, prefix=f"t{uuid.uuid4().hex}:")
    yield made
    await made.close()  # type: ignore[attr-defined]


def session(node: str = "rights.start", updated: float = NOW) -> Session:
    return Session(
        language="fa",
        node=NodeId(node),
        back=(NodeId("welcome.menu"),),
        topics=("rights",),
        message_ids=(5, 6),
        created=NOW,
        updated=updated,
    )


KEY = SessionKey("a" * 64)


async def test_a_stored_session_comes_back_equal(store) -> None:  # type: ignore[no-untyped-def]
    await store.save(KEY, session())
    assert await store.get(KEY, NOW) == session()


async def test_a_missing_session_is_none(store) -> None:  # type: ignore[no-untyped-def]
    assert await store.get(SessionKey("b" * 64), NOW) is None


async def test_saving_no_session_deletes_it_at_once(store) -> None:  # type: ignore[no-untyped-def]
    await store.save(KEY, session())
    await store.save(KEY, None)
    assert await store.get(KEY, NOW) is None
    assert await store.count() == 0


async def test_an_idle_session_expires(store) -> None:  # type: ignore[no-untyped-def]
    await store.save(KEY, session(updated=NOW - TTL - 1))
    assert await store.get(KEY, NOW) is None


async def test_purge_removes_idle_sessions_only(store) -> None:  # type: ignore[no-untyped-def]
    await store.save(KEY, session(updated=NOW - TTL - 1))
    fresh = SessionKey("c" * 64)
    await store.save(fresh, session())
    await store.purge(NOW)
    assert await store.get(fresh, NOW) is not None
    assert await store.count() == 1


async def test_a_delivery_is_answered_once_saved_with_its_session(store) -> None:  # type: ignore[no-untyped-def]
    assert await store.answered("telegram", "100") is False
    await store.save(KEY, session(), Delivery("telegram", "100", NOW))
    assert await store.answered("telegram", "100") is True
    assert await store.answered("viber", "100") is False
    assert await store.get(KEY, NOW) == session()


async def test_a_delivery_saved_with_a_deleted_session_is_answered(store) -> None:  # type: ignore[no-untyped-def]
    await store.save(KEY, session())
    await store.save(KEY, None, Delivery("viber", "7", NOW))
    assert await store.answered("viber", "7") is True
    assert await store.get(KEY, NOW) is None


async def test_screens_shown_are_counted_per_day_language_and_node(store) -> None:  # type: ignore[no-untyped-def]
    shown = Tally.of(NOW, "fa", "rights.start")
    await store.save(KEY, session(), Delivery("telegram", "1", NOW), shown)
    await store.save(KEY, session(), Delivery("telegram", "2", NOW), shown)
    await store.save(KEY, None, None, Tally.of(NOW, "sr-Latn", "navigation.exited"))
    next_day = Tally.of(NOW + 86400, "fa", "rights.start")
    await store.save(KEY, None, None, next_day)
    assert await store.tallies(shown.day) == {
        ("fa", "rights.start"): 2,
        ("sr-Latn", "navigation.exited"): 1,
    }
    assert await store.tallies(next_day.day) == {("fa", "rights.start"): 1}
    assert shown.day == "2027-01-15"


async def test_counts_keep_the_channel_and_the_campaign_and_sum_over_them(store) -> None:  # type: ignore[no-untyped-def]
    web = Tally.of(NOW, "fa", "rights.start", "web", "bus1")
    await store.save(KEY, session(), None, web)
    await store.save(KEY, session(), None, web)
    await store.save(KEY, session(), None, Tally.of(NOW, "fa", "rights.start", "viber", ""))
    assert await store.tally_counts(web.day) == {
        web: 2,
        Tally(web.day, "fa", "rights.start", "viber", ""): 1,
    }
    assert await store.tallies(web.day) == {("fa", "rights.start"): 3}


async def test_failed_deliveries_are_counted_per_delivery(store) -> None:  # type: ignore[no-untyped-def]
    assert await store.delivery_failed("telegram", "5", NOW) == 1
    assert await store.delivery_failed("telegram", "5", NOW) == 2
    assert await store.delivery_failed("viber", "5", NOW) == 1
    assert await store.answered("telegram", "5") is False


async def test_old_delivery_ids_are_purged(store) -> None:  # type: ignore[no-untyped-def]
    if isinstance(store, RedisStore):
        pytest.skip("Redis forgets delivery ids by its own expiry (EX), not by purge()")
    await store.save(KEY, session(), Delivery("telegram", "9", NOW - DELIVERY_MEMORY - 1))
    await store.purge(NOW)
    assert await store.answered("telegram", "9") is False


def test_sqlite_survives_a_restart_and_migrates_once(tmp_path: Path) -> None:
    import asyncio

    async def scenario() -> None:
        first = SQLiteStore(tmp_path / "s.db", ttl=TTL)
        await first.save(KEY, session(), Delivery("telegram", "7", NOW))
        await first.close()
        second = SQLiteStore(tmp_path / "s.db", ttl=TTL)
        assert await second.get(KEY, NOW) == session()
        assert await second.answered("telegram", "7")
        assert migrate(second.db) == []
        assert second.db.execute("pragma journal_mode").fetchone()[0] == "wal"
        await second.close()

    asyncio.run(scenario())


def test_pseudonyms_are_stable_per_pepper_and_differ_across_channels() -> None:
    one = Pseudonymizer(b"x" * 32)
    assert one.key("telegram", 42) == one.key("telegram", "42")
    assert one.key("telegram", 42) != one.key("viber", 42)
    assert one.key("telegram", 42) != Pseudonymizer(b"y" * 32).key("telegram", 42)
    assert "42" not in one.key("telegram", 42).value


def test_the_pepper_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    first = load_pepper(tmp_path)
    assert load_pepper(tmp_path) == first
    mode = stat.S_IMODE((tmp_path / "pepper").stat().st_mode)
    assert mode == 0o600
    assert load_pepper(tmp_path, "given-pepper-from-env-123") == b"given-pepper-from-env-123"


async def test_sqlite_writes_a_session_and_its_delivery_in_one_transaction(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db", ttl=TTL)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    await store.save(KEY, session(), Delivery("telegram", "1", NOW))
    store.db.conn.set_trace_callback(None)
    verbs = [s.split()[0].lower() for s in statements]
    assert verbs == ["begin", "insert", "insert", "commit"]
    statements.clear()
    store.db.conn.set_trace_callback(statements.append)
    await store.save(KEY, session(), Delivery("telegram", "2", NOW), Tally.of(NOW, "fa", "x.y"))
    store.db.conn.set_trace_callback(None)
    assert [s.split()[0].lower() for s in statements] == [
        "begin",
        "insert",
        "insert",
        "insert",
        "commit",
    ]
    await store.close()


async def test_the_sqlite_files_are_readable_by_the_service_user_only(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        store = SQLiteStore(tmp_path / "putokaz.db", ttl=TTL)
        await store.save(KEY, session())
        files = sorted(tmp_path.glob("putokaz.db*"))
        assert [f.name for f in files] == ["putokaz.db", "putokaz.db-shm", "putokaz.db-wal"]
        for file in files:
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
        await store.close()
    finally:
        os.umask(previous)


def test_an_existing_sqlite_file_is_made_private_too(tmp_path: Path) -> None:
    (tmp_path / "putokaz.db").touch(mode=0o644)
    SQLiteStore(tmp_path / "putokaz.db", ttl=TTL).db.conn.close()
    assert stat.S_IMODE((tmp_path / "putokaz.db").stat().st_mode) == 0o600


async def test_a_new_data_folder_is_private(tmp_path: Path) -> None:
    from bot.store.sqlite import SQLiteStore

    store = SQLiteStore(tmp_path / "by-store" / "putokaz.db")
    await store.close()
    load_pepper(tmp_path / "by-pepper")
    for data in (tmp_path / "by-store", tmp_path / "by-pepper"):
        assert stat.S_IMODE(data.stat().st_mode) == 0o700


async def test_opening_the_file_again_in_the_process_keeps_writes_visible_to_others(
    tmp_path: Path,
) -> None:
    """Closing any descriptor of an open SQLite file drops this process's POSIX locks on it;
    another process (here the sqlite3 shell) must still see every write afterwards."""
    import subprocess

    from bot.store.content_versions import SQLiteContentVersions

    path = tmp_path / "putokaz.db"

    def rows() -> str:
        shell = ["sqlite3", str(path), "select count(*) from sessions"]
        return subprocess.run(shell, capture_output=True, text=True, check=True).stdout.strip()

    store = SQLiteStore(path, ttl=TTL)
    await store.save(KEY, session())
    assert rows() == "1"
    versions = SQLiteContentVersions(path)
    again = SQLiteStore(path, ttl=TTL)
    await again.close()
    await store.save(KEY, None)
    assert rows() == "0"
    await store.save(SessionKey("f" * 64), session())
    assert rows() == "1"
    await versions.close()
    await store.close()
