"""Published catalogs in staff.db, numbered per language like flow versions, and the
publish of one: stored, written as .po and compiled to .mo with Babel, the running flows
rebuilt at once (other replicas on the content number's notice), audited, restorable."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from bot.admin.audit import AuditEntry
from bot.admin.keys import CONTENT_VERSIONS, LIVE, SETTINGS, STAFF_DATA, staff_session
from bot.i18n.layout import mo_path, po_path
from bot.i18n.pofiles import read_catalog, write_compiled
from bot.logs import log_event


@dataclass(frozen=True)
class CatalogVersion:
    locale: str
    number: int
    author: str
    created: float
    message: str
    restored_from: int | None
    po: str


class CatalogVersions:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def add(
        self,
        locale: str,
        po: str,
        author: str,
        message: str,
        created: float,
        restored_from: int | None = None,
    ) -> CatalogVersion:
        self._conn.execute("begin immediate")
        try:
            row = self._conn.execute(
                "select max(number) from catalog_versions where locale = ?", (locale,)
            ).fetchone()
            number = int(row[0] or 0) + 1
            self._conn.execute(
                "insert into catalog_versions (locale, number, author, created, message, po, "
                "restored_from) values (?, ?, ?, ?, ?, ?, ?)",
                (locale, number, author, created, message, po, restored_from),
            )
            self._conn.execute("commit")
        except BaseException:
            self._conn.execute("rollback")
            raise
        return CatalogVersion(locale, number, author, created, message, restored_from, po)

    def get(self, locale: str, number: int) -> CatalogVersion | None:
        row = self._conn.execute(
            "select locale, number, author, created, message, restored_from, po "
            "from catalog_versions where locale = ? and number = ?",
            (locale, number),
        ).fetchone()
        return CatalogVersion(*row) if row else None

    def latest_each(self) -> list[CatalogVersion]:
        """The newest version of every language that has one."""
        rows = self._conn.execute(
            "select locale, number, author, created, message, restored_from, po "
            "from catalog_versions where (locale, number) in "
            "(select locale, max(number) from catalog_versions group by locale)"
        ).fetchall()
        return [CatalogVersion(*row) for row in rows]

    def history(self, locale: str, limit: int = 50) -> list[CatalogVersion]:
        rows = self._conn.execute(
            "select locale, number, author, created, message, restored_from, po "
            "from catalog_versions where locale = ? order by number desc limit ?",
            (locale, limit),
        ).fetchall()
        return [CatalogVersion(*row) for row in rows]


def write_catalog(locales_dir: Path, locale: str, po: bytes) -> Path:
    """The .po written and compiled to its .mo (newer than the .po, so it is the one read)."""
    path = po_path(locales_dir, locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".po.tmp")
    temporary.write_bytes(po)
    os.replace(temporary, path)
    compiled = mo_path(locales_dir, locale)
    write_compiled(compiled, read_catalog(path, locale))
    po_time = path.stat().st_mtime_ns
    if compiled.stat().st_mtime_ns <= po_time:
        os.utime(compiled, ns=(po_time + 1000, po_time + 1000))
    return path


def sync_catalogs(conn: sqlite3.Connection, locales_dir: Path | None) -> list[str]:
    """Write each language's newest published catalog where this replica's file is older
    than it (another replica published it); a file changed here since (`putokaz i18n
    update`) is kept. Returns the locales written."""
    if locales_dir is None:
        return []
    written = []
    for version in CatalogVersions(conn).latest_each():
        path = po_path(locales_dir, version.locale)
        po = version.po.encode("utf-8")
        if path.is_file() and (path.read_bytes() == po or path.stat().st_mtime > version.created):
            continue
        write_catalog(locales_dir, version.locale, po)
        written.append(version.locale)
    return written


async def publish_catalog(
    request: web.Request,
    locale: str,
    po: bytes,
    message: str,
    action: str = "translation published",
    restored_from: int | None = None,
) -> CatalogVersion:
    settings = request.config_dict[SETTINGS]
    if settings.locales_dir is None:
        raise web.HTTPConflict(text="this server has no locales folder (PUTOKAZ_LOCALES)")
    data = request.config_dict[STAFF_DATA]
    author = staff_session(request).account.name
    now = settings.clock()
    version = CatalogVersions(data.conn).add(
        locale, po.decode("utf-8"), author, message, now, restored_from
    )
    write_catalog(Path(settings.locales_dir), locale, po)
    live = request.config_dict[LIVE]
    latest = data.versions.latest()
    if latest is not None:
        await live.apply(latest)
    data.audit.record(
        AuditEntry(now, author, action, f"{locale} catalog version {version.number}", message)
    )
    number = await request.config_dict[CONTENT_VERSIONS].bump()
    log_event(
        "catalog_published", count=number, version=version.number, kind=action.replace(" ", "_")
    )
    return version
