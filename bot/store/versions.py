"""Published flow versions in SQLite: every version kept whole, numbered 1, 2, 3…

The newest number is the published one; replicas compare it to what they run
(`latest_number()` is one indexed lookup) and reload when it moved.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

FlowFiles = Mapping[str, str]
"""A whole set of flow files: file name (`reflection.yaml`) -> YAML text."""


@dataclass(frozen=True)
class VersionInfo:
    number: int
    author: str
    created: float
    message: str
    restored_from: int | None = None


@dataclass(frozen=True)
class FlowVersion:
    info: VersionInfo
    files: FlowFiles

    @property
    def number(self) -> int:
        return self.info.number


class VersionStore:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def latest_number(self) -> int:
        """The published version's number; 0 before anything was published."""
        row = self._conn.execute("select max(number) from flow_versions").fetchone()
        return int(row[0] or 0)

    def latest(self) -> FlowVersion | None:
        return self.get(self.latest_number())

    def get(self, number: int) -> FlowVersion | None:
        row = self._conn.execute(
            "select number, author, created, message, restored_from, files "
            "from flow_versions where number = ?",
            (number,),
        ).fetchone()
        if row is None:
            return None
        return FlowVersion(VersionInfo(*row[:5]), json.loads(row[5]))

    def history(self, limit: int = 100) -> list[VersionInfo]:
        """The newest versions first."""
        rows = self._conn.execute(
            "select number, author, created, message, restored_from from flow_versions "
            "order by number desc limit ?",
            (limit,),
        ).fetchall()
        return [VersionInfo(*row) for row in rows]

    def add(
        self,
        files: FlowFiles,
        author: str,
        message: str,
        created: float,
        restored_from: int | None = None,
    ) -> VersionInfo:
        """Store `files` as the next version, numbered in one transaction (no two replicas
        publish the same number)."""
        body = json.dumps(dict(sorted(files.items())), ensure_ascii=False)
        self._conn.execute("begin immediate")
        try:
            number = self.latest_number() + 1
            self._conn.execute(
                "insert into flow_versions (number, author, created, message, files, "
                "restored_from) values (?, ?, ?, ?, ?, ?)",
                (number, author, created, message, body, restored_from),
            )
            self._conn.execute("commit")
        except BaseException:
            self._conn.execute("rollback")
            raise
        return VersionInfo(number, author, created, message, restored_from)
