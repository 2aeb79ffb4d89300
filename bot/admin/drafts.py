"""Each staff account's draft of the flows: a whole set of files based on one published
version, edited in the browser, checked and previewed, then published or discarded.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from bot.store.versions import FlowFiles


@dataclass(frozen=True)
class Draft:
    name: str
    base: int
    """The published version the draft started from."""
    files: FlowFiles


class Drafts:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def get(self, name: str) -> Draft | None:
        row = self._conn.execute(
            "select base, files from flow_drafts where name = ?", (name,)
        ).fetchone()
        if row is None:
            return None
        return Draft(name, int(row[0]), json.loads(row[1]))

    def save(self, draft: Draft, now: float) -> None:
        files = json.dumps(dict(sorted(draft.files.items())), ensure_ascii=False)
        self._conn.execute(
            "insert into flow_drafts (name, base, files, updated) values (?, ?, ?, ?) "
            "on conflict(name) do update set base = excluded.base, files = excluded.files, "
            "updated = excluded.updated",
            (draft.name, draft.base, files, now),
        )

    def discard(self, name: str) -> None:
        self._conn.execute("delete from flow_drafts where name = ?", (name,))
