"""The SQLite store (sqlite-utils, WAL, synchronous=NORMAL): one small write per update.

The schema is created by named migrations recorded in the `migrations` table.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import sqlite_utils

from bot.engine.session import Session
from bot.store.base import DELIVERY_MEMORY, Delivery, Tally
from bot.store.pseudonym import SessionKey


def _m001_sessions(db: sqlite_utils.Database) -> None:
    db["sessions"].create(  # type: ignore[union-attr]
        {"key": str, "data": str, "updated": float}, pk="key"
    )
    db["sessions"].create_index(["updated"])  # type: ignore[union-attr]


def _m002_deliveries(db: sqlite_utils.Database) -> None:
    db["deliveries"].create(  # type: ignore[union-attr]
        {"channel": str, "id": str, "seen": float}, pk=("channel", "id")
    )
    db["deliveries"].create_index(["seen"])  # type: ignore[union-attr]


def _m003_delivery_failures(db: sqlite_utils.Database) -> None:
    db["delivery_failures"].create(  # type: ignore[union-attr]
        {"channel": str, "id": str, "count": int, "seen": float}, pk=("channel", "id")
    )


def _m004_tallies(db: sqlite_utils.Database) -> None:
    # Counts only: a day, a language, a screen. No session key, nothing that joins back.
    db["tallies"].create(  # type: ignore[union-attr]
        {"day": str, "language": str, "node": str, "count": int}, pk=("day", "language", "node")
    )


def _m005_content_version(db: sqlite_utils.Database) -> None:
    # One row: the number of the published flows and catalogs (bot/store/content_versions.py).
    db["content_version"].create({"id": int, "number": int}, pk="id")  # type: ignore[union-attr]


def _m006_tally_channels(db: sqlite_utils.Database) -> None:
    # The channel and how a conversation was opened (direct, or a link's campaign tag) join
    # the count: still one row per combination, no session key, nothing that joins back.
    db.execute(
        "create table tallies_new (day text not null, language text not null, "
        "node text not null, channel text not null default '', origin text not null default '', "
        "count integer not null, primary key (day, language, node, channel, origin))"
    )
    db.execute(
        "insert into tallies_new (day, language, node, count) "
        "select day, language, node, count from tallies"
    )
    db.execute("drop table tallies")
    db.execute("alter table tallies_new rename to tallies")


Migrations = tuple[tuple[str, Callable[[sqlite_utils.Database], None]], ...]

MIGRATIONS: Migrations = (
    ("001_sessions", _m001_sessions),
    ("002_deliveries", _m002_deliveries),
    ("003_delivery_failures", _m003_delivery_failures),
    ("004_tallies", _m004_tallies),
    ("005_content_version", _m005_content_version),
    ("006_tally_channels", _m006_tally_channels),
)


def migrate(db: sqlite_utils.Database, migrations: Migrations = MIGRATIONS) -> list[str]:
    """Apply the migrations not yet recorded, each in its own transaction."""
    if "migrations" not in db.table_names():
        db["migrations"].create({"name": str, "applied": str}, pk="name")  # type: ignore[union-attr]
    done = {row["name"] for row in db["migrations"].rows}
    applied = []
    for name, migration in migrations:
        if name in done:
            continue
        with db.conn:
            migration(db)
            db.execute("insert into migrations (name, applied) values (?, datetime('now'))", [name])
        applied.append(name)
    return applied


def open_database(path: Path, migrations: Migrations = MIGRATIONS) -> sqlite_utils.Database:
    """A connection to a database file (created 0600), in WAL mode, migrated: the
    sessions' file, or the staff area's with its own `migrations`."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        # Like the pepper: only the service's user may read the sessions (SQLite gives
        # the -wal and -shm files the database file's mode). Only while the file is new:
        # closing any descriptor of an open database drops the POSIX locks of every
        # connection this process has to it, and another process could then reset the WAL.
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    os.chmod(path, 0o600)
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute("pragma journal_mode=wal")
    db.execute("pragma synchronous=NORMAL")
    db.execute("pragma secure_delete=ON")
    db.execute("pragma busy_timeout=5000")
    migrate(db, migrations)
    return db


class SQLiteStore:
    """Sessions and deliveries in one SQLite file; each answered update is one transaction."""

    def __init__(self, path: Path, ttl: float = 24 * 3600) -> None:
        self.path = path
        self.ttl = ttl
        self.db = open_database(path)
        self._conn: sqlite3.Connection = self.db.conn

    async def get(self, key: SessionKey, now: float) -> Session | None:
        row = self._conn.execute(
            "select data, updated from sessions where key = ?", (key.value,)
        ).fetchone()
        if row is None:
            return None
        if row[1] + self.ttl < now:
            self._conn.execute("delete from sessions where key = ?", (key.value,))
            return None
        return Session.from_json(row[0])

    async def save(
        self,
        key: SessionKey,
        session: Session | None,
        delivery: Delivery | None = None,
        tally: Tally | None = None,
    ) -> None:
        if delivery is None and tally is None:  # one statement is its own transaction
            self._write_session(key, session)
            return
        with self._conn:  # the session, the delivery id and the count: all or none
            self._conn.execute("begin")
            self._write_session(key, session)
            if delivery is not None:
                self._conn.execute(
                    "insert or ignore into deliveries (channel, id, seen) values (?, ?, ?)",
                    (delivery.channel, delivery.id, delivery.at),
                )
            if tally is not None:
                self._conn.execute(
                    "insert into tallies (day, language, node, channel, origin, count) "
                    "values (?, ?, ?, ?, ?, 1) on conflict(day, language, node, channel, origin) "
                    "do update set count = count + 1",
                    (tally.day, tally.language, tally.node, tally.channel, tally.origin),
                )

    def _write_session(self, key: SessionKey, session: Session | None) -> None:
        if session is None:
            self._conn.execute("delete from sessions where key = ?", (key.value,))
            return
        self._conn.execute(
            "insert into sessions (key, data, updated) values (?, ?, ?) "
            "on conflict(key) do update set data = excluded.data, updated = excluded.updated",
            (key.value, session.to_json(), session.updated),
        )

    async def answered(self, channel: str, delivery_id: str) -> bool:
        row = self._conn.execute(
            "select 1 from deliveries where channel = ? and id = ?", (channel, delivery_id)
        ).fetchone()
        return row is not None

    async def delivery_failed(self, channel: str, delivery_id: str, now: float) -> int:
        row = self._conn.execute(
            "insert into delivery_failures (channel, id, count, seen) values (?, ?, 1, ?) "
            "on conflict(channel, id) do update set count = count + 1, seen = excluded.seen "
            "returning count",
            (channel, delivery_id, now),
        ).fetchone()
        return int(row[0])

    async def purge(self, now: float) -> int:
        cursor = self._conn.execute("delete from sessions where updated < ?", (now - self.ttl,))
        self._conn.execute("delete from deliveries where seen < ?", (now - DELIVERY_MEMORY,))
        self._conn.execute("delete from delivery_failures where seen < ?", (now - DELIVERY_MEMORY,))
        self._conn.execute("pragma wal_checkpoint(TRUNCATE)")
        return int(cursor.rowcount)

    async def count(self) -> int:
        return int(self._conn.execute("select count(*) from sessions").fetchone()[0])

    async def tallies(self, day: str) -> dict[tuple[str, str], int]:
        rows = self._conn.execute(
            "select language, node, sum(count) from tallies where day = ? group by language, node",
            (day,),
        ).fetchall()
        return {(language, node): int(count) for language, node, count in rows}

    async def tally_counts(self, day: str) -> dict[Tally, int]:
        rows = self._conn.execute(
            "select language, node, channel, origin, count from tallies where day = ?", (day,)
        ).fetchall()
        return {Tally(day, *row[:4]): int(row[4]) for row in rows}

    async def close(self) -> None:
        self._conn.close()
