"""Staff accounts: a name, a role, an argon2id hash; disabled accounts cannot log in.

Changes are written to the audit log by the callers (CLI and pages), with who did them.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from bot.admin.passwords import check_new_password, hash_password, verify_password_async
from bot.admin.roles import Role

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


class AccountError(ValueError):
    """The account cannot be created or changed; the message says why and how to fix it."""


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    disabled: bool = False


def check_name(name: str) -> None:
    if not NAME.match(name):
        raise AccountError(
            f"account name {name[:40]!r} must be 2-32 lowercase letters, digits, '.', '_' or '-', "
            "starting with a letter or digit — e.g. ana.editor"
        )


class Accounts:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def add(self, name: str, role: Role, password: str, now: float) -> Account:
        check_name(name)
        check_new_password(password, name)
        if self.get(name) is not None:
            raise AccountError(
                f"account {name!r} exists — use `putokaz admin passwd {name}` to change its "
                "password"
            )
        self._conn.execute(
            "insert into staff_accounts (name, role, password, disabled, created) "
            "values (?, ?, ?, 0, ?)",
            (name, role.value, hash_password(password), now),
        )
        return Account(name, role)

    def get(self, name: str) -> Account | None:
        row = self._conn.execute(
            "select name, role, disabled from staff_accounts where name = ?", (name,)
        ).fetchone()
        return None if row is None else Account(row[0], Role(row[1]), bool(row[2]))

    def all(self) -> list[Account]:
        rows = self._conn.execute(
            "select name, role, disabled from staff_accounts order by name"
        ).fetchall()
        return [Account(r[0], Role(r[1]), bool(r[2])) for r in rows]

    def set_password(self, name: str, password: str) -> None:
        self._existing(name)
        check_new_password(password, name)
        self._conn.execute(
            "update staff_accounts set password = ? where name = ?", (hash_password(password), name)
        )

    def set_role(self, name: str, role: Role) -> None:
        self._existing(name)
        self._conn.execute("update staff_accounts set role = ? where name = ?", (role.value, name))

    def disable(self, name: str) -> None:
        self._existing(name)
        self._conn.execute("update staff_accounts set disabled = 1 where name = ?", (name,))

    async def authenticate(self, name: str, password: str) -> Account | None:
        """The account when `password` is right and it is enabled; None otherwise, in about
        the same time whether or not the name exists."""
        row = self._conn.execute(
            "select password from staff_accounts where name = ?", (name,)
        ).fetchone()
        if not await verify_password_async(row[0] if row else None, password):
            return None
        account = self.get(name)
        if account is None or account.disabled:
            return None
        return account

    def _existing(self, name: str) -> Account:
        account = self.get(name)
        if account is None:
            raise AccountError(
                f"there is no account {name!r} — create it with "
                f"`putokaz admin add-user {name} --role editor`"
            )
        return account
