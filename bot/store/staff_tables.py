"""The staff area's SQLite file (`staff.db`, apart from the people's sessions): published
flow versions, staff accounts and sessions, drafts, login failures and the audit log.
Staff names only, nothing of a person who used the bot.

Kept in its own file because it is kept differently: sessions are purged within a day,
versions and the audit log are kept for good (and backed up).
"""

from __future__ import annotations

import sqlite_utils

from bot.store.sqlite import Migrations


def m001_flow_versions(db: sqlite_utils.Database) -> None:
    db.execute(
        "create table flow_versions ("
        " number integer primary key,"
        " author text not null,"
        " created real not null,"
        " message text not null,"
        " files text not null,"  # JSON: file name -> YAML text
        " restored_from integer)"
    )


def m002_staff_accounts(db: sqlite_utils.Database) -> None:
    db.execute(
        "create table staff_accounts ("
        " name text primary key,"
        " role text not null,"
        " password text not null,"  # an argon2id hash, never the password
        " disabled integer not null default 0,"
        " created real not null)"
    )


def m003_staff_sessions(db: sqlite_utils.Database) -> None:
    db.execute(
        "create table staff_sessions ("
        " token_hash text primary key,"  # SHA-256 of the cookie value, never the value
        " name text not null,"
        " csrf text not null,"
        " created real not null,"
        " seen real not null,"
        " preview text)"  # the simulator's Session JSON: a staff member's test, never a person's
    )
    db.execute("create index staff_sessions_name on staff_sessions (name)")


def m004_staff_audit(db: sqlite_utils.Database) -> None:
    db.execute(
        "create table staff_audit ("
        " id integer primary key,"
        " at real not null,"
        " actor text not null,"
        " action text not null,"
        " subject text not null,"
        " detail text not null default '')"
    )


def m005_login_failures(db: sqlite_utils.Database) -> None:
    db.execute(
        "create table login_failures ("
        " subject text primary key,"  # "account:NAME" or "address:HMAC"
        " count integer not null,"
        " first real not null,"
        " locked_until real not null)"
    )


def m006_flow_drafts(db: sqlite_utils.Database) -> None:
    db.execute(
        "create table flow_drafts ("
        " name text primary key,"  # the staff account editing it
        " base integer not null,"
        " files text not null,"
        " updated real not null)"
    )


def m007_catalog_versions(db: sqlite_utils.Database) -> None:
    db.execute(
        "create table catalog_versions ("
        " id integer primary key,"
        " locale text not null,"
        " number integer not null,"
        " author text not null,"
        " created real not null,"
        " message text not null,"
        " po text not null,"  # the whole .po file as published
        " restored_from integer,"
        " unique (locale, number))"
    )


def m008_desk_codes(db: sqlite_utils.Database) -> None:
    # Exactly what the hotline receives (code, language, topics, minute): no session key,
    # nothing that joins back to a person; purged after the configured days.
    db.execute(
        "create table desk_codes ("
        " code text not null,"
        " language text not null,"
        " topics text not null,"  # JSON list of topic names
        " at real not null)"
    )
    db.execute("create index desk_codes_at on desk_codes (at)")


STAFF_MIGRATIONS: Migrations = (
    ("001_flow_versions", m001_flow_versions),
    ("002_staff_accounts", m002_staff_accounts),
    ("003_staff_sessions", m003_staff_sessions),
    ("004_staff_audit", m004_staff_audit),
    ("005_login_failures", m005_login_failures),
    ("006_flow_drafts", m006_flow_drafts),
    ("007_catalog_versions", m007_catalog_versions),
    ("008_desk_codes", m008_desk_codes),
)
