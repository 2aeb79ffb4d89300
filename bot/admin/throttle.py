"""Login throttling per account and per address: after a few failures, a lock that
doubles with every further failure, up to `MAX_LOCK`.

Addresses are kept only as an HMAC under the server's pepper, and forgotten with
the failures once `WINDOW` has passed.
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
from dataclasses import dataclass

WINDOW = 15 * 60
MAX_LOCK = 15 * 60


@dataclass(frozen=True)
class Limit:
    free: int
    """Failures allowed before the first lock."""
    first_lock: float


ACCOUNT_LIMIT = Limit(free=5, first_lock=30.0)
ADDRESS_LIMIT = Limit(free=20, first_lock=30.0)


class LoginThrottle:
    def __init__(self, conn: sqlite3.Connection, pepper: bytes) -> None:
        self._conn = conn
        self._pepper = pepper

    def _subjects(self, name: str, address: str) -> list[tuple[str, Limit]]:
        hashed = hmac.new(self._pepper, f"staff-address:{address}".encode(), hashlib.sha256)
        return [
            (f"account:{name[:64]}", ACCOUNT_LIMIT),
            (f"address:{hashed.hexdigest()[:32]}", ADDRESS_LIMIT),
        ]

    def wait(self, name: str, address: str, now: float) -> float:
        """Seconds until this account may try again from this address (0: now)."""
        longest = 0.0
        for subject, _ in self._subjects(name, address):
            row = self._conn.execute(
                "select locked_until from login_failures where subject = ?", (subject,)
            ).fetchone()
            if row is not None and row[0] > now:
                longest = max(longest, row[0] - now)
        return longest

    def failed(self, name: str, address: str, now: float) -> None:
        for subject, limit in self._subjects(name, address):
            row = self._conn.execute(
                "select count, first from login_failures where subject = ?", (subject,)
            ).fetchone()
            count, first = (0, now) if row is None or row[1] + WINDOW < now else row
            count += 1
            over = count - limit.free
            locked_until = (
                now + min(MAX_LOCK, limit.first_lock * 2 ** (over - 1)) if over > 0 else 0
            )
            self._conn.execute(
                "insert into login_failures (subject, count, first, locked_until) "
                "values (?, ?, ?, ?) on conflict(subject) do update set count = excluded.count, "
                "first = excluded.first, locked_until = excluded.locked_until",
                (subject, count, first, locked_until),
            )

    def succeeded(self, name: str) -> None:
        """A right password clears the account's failures (not the address's)."""
        self._conn.execute(
            "delete from login_failures where subject = ?", (f"account:{name[:64]}",)
        )

    def purge(self, now: float) -> None:
        self._conn.execute(
            "delete from login_failures where first < ? and locked_until < ?",
            (now - WINDOW, now),
        )
