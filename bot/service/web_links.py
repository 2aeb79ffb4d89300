"""Opaque web escalation codes: `/?s=K7QX` maps to a language, topic and campaign on the server.

A person's address bar and history then show four random letters, never a topic or a
language. Staff make codes with `putokaz link web`; they live in PUTOKAZ_DATA/web_links.json.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from bot.engine.payload import make_payload
from bot.service.handoff import CODE_ALPHABET

FILE_NAME = "web_links.json"
CODE_LENGTH = 4
CODE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH},8}}$")


@dataclass(frozen=True)
class WebLink:
    language: str
    topic: str | None = None
    campaign: str | None = None

    @property
    def payload(self) -> str:
        return make_payload(self.language, self.topic, self.campaign)


class WebLinks:
    """The code table in one JSON file; read again whenever the file changes."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FILE_NAME
        self._seen: tuple[float, dict[str, WebLink]] | None = None

    def _read(self) -> dict[str, WebLink]:
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            return {}
        if self._seen is not None and self._seen[0] == mtime:
            return self._seen[1]
        raw = json.loads(self.path.read_text(encoding="utf-8"))
        table = {
            code: WebLink(entry["language"], entry.get("topic"), entry.get("campaign"))
            for code, entry in raw.items()
        }
        self._seen = (mtime, table)
        return table

    def find(self, code: str | None) -> WebLink | None:
        """The link a code stands for, or None for anything unknown or malformed."""
        if not code or not CODE.match(code):
            return None
        return self._read().get(code)

    def code_for(self, link: WebLink) -> str:
        """The code of `link`, made (and saved) the first time it is asked for."""
        link.payload  # noqa: B018 — raises ValueError naming the part that cannot be encoded
        table = dict(self._read())
        for code, known in table.items():
            if known == link:
                return code
        code = _new_code(set(table))
        table[code] = link
        self._write(table)
        return code

    def all(self) -> dict[str, WebLink]:
        return dict(self._read())

    def _write(self, table: dict[str, WebLink]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            code: {"language": link.language, "topic": link.topic, "campaign": link.campaign}
            for code, link in sorted(table.items())
        }
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.path)
        self._seen = None


def _new_code(taken: set[str]) -> str:
    length = CODE_LENGTH
    while True:
        for _ in range(50):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
            if code not in taken:
                return code
        length += 1  # the four-letter space is crowded: go longer rather than loop
