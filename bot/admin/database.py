"""Everything the staff area keeps, on one SQLite connection to `staff.db`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.admin.accounts import Accounts
from bot.admin.audit import AuditLog
from bot.admin.drafts import Drafts
from bot.admin.staff_sessions import DEFAULT_IDLE, StaffSessions
from bot.admin.throttle import LoginThrottle
from bot.config import Config
from bot.store.sqlite import open_database
from bot.store.staff_tables import STAFF_MIGRATIONS
from bot.store.versions import VersionStore


@dataclass
class StaffData:
    conn: sqlite3.Connection
    accounts: Accounts
    sessions: StaffSessions
    throttle: LoginThrottle
    audit: AuditLog
    versions: VersionStore
    drafts: Drafts

    def close(self) -> None:
        self.conn.close()


def open_staff_data(path: Path, pepper: bytes, idle: float = DEFAULT_IDLE) -> StaffData:
    conn = open_database(path, STAFF_MIGRATIONS).conn
    return StaffData(
        conn=conn,
        accounts=Accounts(conn),
        sessions=StaffSessions(conn, idle=idle),
        throttle=LoginThrottle(conn, pepper),
        audit=AuditLog(conn),
        versions=VersionStore(conn),
        drafts=Drafts(conn),
    )


def open_staff(config: Config) -> StaffData:
    """The staff data of a configuration: `staff.db` in the data folder."""
    from bot.store.pseudonym import load_pepper

    pepper = load_pepper(config.data_dir, config.pepper)
    return open_staff_data(config.staff_database, pepper, idle=config.staff_idle)
