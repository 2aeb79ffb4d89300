"""The hotline's desk: the recent hand-off codes, exactly as the hotline receives them
(code, language, topics, minute) and nothing else, kept a configurable number of days.

`DeskSink` is one more hand-off sink (bot/service/handoff.py): it is sent the same
document as the webhook and the staff Telegram chat, in the background, never on a reply's
path. Rows older than the retention are not shown and are purged.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.service.handoff import HandoffDocument

DEFAULT_DAYS = 7
DAY = 24 * 3600


@dataclass(frozen=True)
class DeskCode:
    code: str
    language: str
    topics: tuple[str, ...]
    at: float


class DeskCodes:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def record(self, document: HandoffDocument) -> None:
        moment = datetime.fromisoformat(str(document["time"]).replace("Z", "+00:00"))
        topics = document.get("topics") or []
        assert isinstance(topics, list)
        self._conn.execute(
            "insert into desk_codes (code, language, topics, at) values (?, ?, ?, ?)",
            (
                str(document["code"]),
                str(document["language"]),
                json.dumps([str(t) for t in topics]),
                moment.timestamp(),
            ),
        )

    def recent(self, now: float, days: int, code: str | None = None) -> list[DeskCode]:
        """The codes of the last `days`, newest first; those of `code` only when given."""
        query = "select code, language, topics, at from desk_codes where at >= ?"
        params: list[object] = [now - days * DAY]
        if code:
            query += " and code = ?"
            params.append(code.strip().upper())
        rows = self._conn.execute(query + " order by at desc limit 500", params).fetchall()
        return [DeskCode(c, lang, tuple(json.loads(t)), at) for c, lang, t, at in rows]

    def purge(self, now: float, days: int) -> int:
        cursor = self._conn.execute("delete from desk_codes where at < ?", (now - days * DAY,))
        return cursor.rowcount


class DeskSink:
    """Keeps each hand-off document for the desk page."""

    name = "desk"

    def __init__(self, codes: DeskCodes) -> None:
        self.codes = codes

    async def send(self, document: HandoffDocument) -> None:
        self.codes.record(document)
