"""The web app in the test's own event loop, on aiohttp.test_utils: no process, real HTTP.

The store is a real SQLite file the test can look into (statements, total_changes).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.config import load_config
from bot.engine import Flows
from bot.service.runtime import Services
from bot.store.base import Store
from bot.store.pseudonym import Pseudonymizer, load_pepper
from bot.store.sqlite import SQLiteStore
from bot.web.app import create_app


@dataclass
class InProcess:
    """A running app: its client, its SQLite store and its data folder."""

    client: TestClient[Any, Any]
    sqlite: SQLiteStore
    store: Store
    """What the app was given: the SQLite store, or what `wrap` made of it."""
    data_dir: Path

    def key(self, channel: str, platform_id: str | int) -> str:
        """The session key the app uses for this person."""
        return Pseudonymizer(load_pepper(self.data_dir)).key(channel, platform_id).value

    def sessions(self, channel: str, platform_id: str | int) -> int:
        """Session rows for one person (0 or 1)."""
        query = "select count(*) from sessions where key = ?"
        row = self.sqlite._conn.execute(query, (self.key(channel, platform_id),)).fetchone()
        return int(row[0])

    @property
    def changes(self) -> int:
        """Rows written so far (SQLite's total_changes)."""
        return self.sqlite._conn.total_changes


@contextlib.asynccontextmanager
async def in_process(
    data_dir: Path,
    flows: Flows,
    env: dict[str, str],
    wrap: Callable[[SQLiteStore], Store] | None = None,
) -> AsyncIterator[InProcess]:
    """`create_app(config, services)` served by TestServer on SQLite (or `wrap(sqlite)`)."""
    config = load_config(
        env={"PUTOKAZ_DATA": str(data_dir), "PUTOKAZ_EXIT_URL": "about:blank"} | env
    )
    sqlite = SQLiteStore(config.database)
    store = wrap(sqlite) if wrap is not None else sqlite
    app = create_app(config, Services(flows=flows, store=store))
    try:
        async with TestClient(TestServer(app)) as client:
            yield InProcess(client, sqlite, store, data_dir)
    finally:
        await sqlite.close()
