"""Count the session rows a running server keeps in its SQLite file, per person if asked."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.store.pseudonym import Pseudonymizer, load_pepper


def session_rows(data_dir: Path, channel: str, platform_id: str | int | None = None) -> int:
    """Rows in `sessions` (for one platform id of `channel`, if given: via its pseudonym)."""
    with sqlite3.connect(data_dir / "putokaz.db") as db:
        if platform_id is None:
            return int(db.execute("select count(*) from sessions").fetchone()[0])
        key = Pseudonymizer(load_pepper(data_dir)).key(channel, platform_id).value
        query = "select count(*) from sessions where key = ?"
        return int(db.execute(query, (key,)).fetchone()[0])


def integrity(data_dir: Path) -> str:
    """SQLite's verdict on the server's database file ("ok" when nothing is corrupt)."""
    with sqlite3.connect(data_dir / "putokaz.db") as db:
        return "\n".join(row[0] for row in db.execute("pragma integrity_check"))
