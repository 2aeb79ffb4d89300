"""Server-side staff sessions: a random cookie value whose SHA-256 is the row key.

A session ends after `idle` seconds without a request, after `lifetime` in any case,
at logout, and when the account is disabled. Each session has its own CSRF token, and
the simulator's conversation, so previewing never touches a live session.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass

from bot.admin.accounts import Account
from bot.admin.roles import Role
from bot.engine.session import Session

DEFAULT_IDLE = 30 * 60
DEFAULT_LIFETIME = 12 * 3600
TOUCH_EVERY = 30.0
"""Seconds between writes of `seen`: a page load is a read, not a write, most of the time."""


@dataclass(frozen=True)
class StaffSession:
    account: Account
    csrf: str
    token_hash: str
    preview: Session | None = None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class StaffSessions:
    def __init__(
        self,
        conn: sqlite3.Connection,
        idle: float = DEFAULT_IDLE,
        lifetime: float = DEFAULT_LIFETIME,
    ) -> None:
        self._conn = conn
        self.idle = idle
        self.lifetime = lifetime

    def open(self, account: Account, now: float) -> str:
        """A new session for `account`; returns the cookie value (never stored as such)."""
        token = secrets.token_urlsafe(32)
        self._conn.execute(
            "insert into staff_sessions (token_hash, name, csrf, created, seen) "
            "values (?, ?, ?, ?, ?)",
            (_digest(token), account.name, secrets.token_urlsafe(32), now, now),
        )
        return token

    def find(self, token: str, now: float) -> StaffSession | None:
        """The live session for a cookie value, touched; None when unknown or expired."""
        digest = _digest(token)
        row = self._conn.execute(
            "select s.name, a.role, a.disabled, s.csrf, s.created, s.seen, s.preview "
            "from staff_sessions s join staff_accounts a on a.name = s.name "
            "where s.token_hash = ?",
            (digest,),
        ).fetchone()
        if row is None:
            return None
        name, role, disabled, csrf, created, seen, preview = row
        if disabled or seen + self.idle < now or created + self.lifetime < now:
            self._conn.execute("delete from staff_sessions where token_hash = ?", (digest,))
            return None
        if now - seen > TOUCH_EVERY:
            self._conn.execute(
                "update staff_sessions set seen = ? where token_hash = ?", (now, digest)
            )
        restored = Session.from_json(preview) if preview else None
        return StaffSession(Account(name, Role(role)), csrf, digest, restored)

    def set_preview(self, token_hash: str, preview: Session | None) -> None:
        self._conn.execute(
            "update staff_sessions set preview = ? where token_hash = ?",
            (preview.to_json() if preview else None, token_hash),
        )

    def close(self, token_hash: str) -> None:
        self._conn.execute("delete from staff_sessions where token_hash = ?", (token_hash,))

    def close_all(self, name: str) -> int:
        """End every session of an account (password changed, account disabled)."""
        cursor = self._conn.execute("delete from staff_sessions where name = ?", (name,))
        return cursor.rowcount

    def purge(self, now: float) -> int:
        cursor = self._conn.execute(
            "delete from staff_sessions where seen < ? or created < ?",
            (now - self.idle, now - self.lifetime),
        )
        return cursor.rowcount
