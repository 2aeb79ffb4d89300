"""The audit log: who published, restored, imported or changed an account, and when.

Actors and subjects are staff names or version numbers, never anything of a person
who used the bot.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditEntry:
    at: float
    actor: str
    action: str
    subject: str
    detail: str = ""


class AuditLog:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def record(self, entry: AuditEntry) -> None:
        self._conn.execute(
            "insert into staff_audit (at, actor, action, subject, detail) values (?, ?, ?, ?, ?)",
            (entry.at, entry.actor, entry.action, entry.subject, entry.detail),
        )

    def recent(self, limit: int = 200) -> list[AuditEntry]:
        rows = self._conn.execute(
            "select at, actor, action, subject, detail from staff_audit order by id desc limit ?",
            (limit,),
        ).fetchall()
        return [AuditEntry(*row) for row in rows]
