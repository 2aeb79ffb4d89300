"""The language manifest, `locales/languages.yaml`: each language's code, catalog
folder, name in its own script, direction, review state and whether it is published.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError

from bot.engine.load.yaml_source import LocatedDict, LocatedList, parse
from bot.engine.model import SOURCE_LANGUAGE, Language, Location
from bot.engine.problems import Problem, did_you_mean
from bot.i18n.errors import CatalogError
from bot.i18n.layout import shown

MANIFEST_VERSION = 1
DRAFT = "draft"
REVIEWED = "reviewed"
STATUSES = (DRAFT, REVIEWED)
DIRECTIONS = ("ltr", "rtl")
ENTRY_KEYS = ("code", "locale", "name", "direction", "published", "offer_draft", "review", "note")
REVIEW_KEYS = ("status", "reviewer_role", "date")
CODE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|\d{3}))?$")
LOCALE = re.compile(r"^[a-z]{2,3}(_[A-Z][a-z]{3})?(_(?:[A-Z]{2}|\d{3}))?$")


@dataclass(frozen=True)
class LanguageEntry:
    """One language of the manifest; `locale` names its catalog folder (sr_Latn)."""

    code: str
    locale: str
    name: str
    direction: str = "ltr"
    status: str = DRAFT
    published: bool = False
    offer_draft: bool = True
    reviewer_role: str | None = None
    reviewed_on: str | None = None
    location: Location | None = None

    @property
    def is_source(self) -> bool:
        return self.code == SOURCE_LANGUAGE

    @property
    def offered(self) -> bool:
        """Whether people are offered it: a draft only while `offer_draft` is true."""
        return self.status != DRAFT or self.offer_draft

    @property
    def language(self) -> Language:
        return Language(self.code, self.name, self.direction, self.status)


def load_languages(path: Path) -> tuple[Language, ...]:
    """The engine's `Language` for every entry of the manifest at `path`."""
    return tuple(entry.language for entry in read_manifest(path))


def read_manifest(path: Path) -> tuple[LanguageEntry, ...]:
    """Parse `languages.yaml`; raise `CatalogError` listing every mistake."""
    reader = _Reader(shown(path))
    try:
        data, duplicates = parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        reader.error(0, f"cannot read it ({exc}) — save it as UTF-8 text")
        raise CatalogError(reader.problems) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        detail = getattr(exc, "problem", None) or str(exc)
        reader.error(
            mark.line + 1 if mark else 0,
            f"this is not valid YAML ({detail}) — check indentation and quotes",
        )
        raise CatalogError(reader.problems) from None
    for dup in duplicates:
        reader.error(dup.line, f'"{dup.key}" appears twice (first at line {dup.first_line})')
    entries = reader.entries(data)
    if reader.problems:
        raise CatalogError(reader.problems)
    return entries


class _Reader:
    """Checks the parsed manifest, collecting every problem with its line."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.problems: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(Location(self.where, line), message))

    def entries(self, data: Any) -> tuple[LanguageEntry, ...]:
        if not isinstance(data, LocatedDict) or data.get("version") != MANIFEST_VERSION:
            self.error(1, f"start with `version: {MANIFEST_VERSION}` and a `languages:` list")
            return ()
        items = data.get("languages")
        if not isinstance(items, LocatedList) or not items:
            self.error(data.key_lines.get("languages", 1), "`languages:` must be a list")
            return ()
        entries: list[LanguageEntry] = []
        first_line: dict[str, int] = {}
        for item, line in zip(items, items.item_lines, strict=True):
            entry = self.entry(item, line)
            if entry is None:
                continue
            if entry.code in first_line:
                self.error(
                    line,
                    f'language "{entry.code}" is listed twice (first at line '
                    f"{first_line[entry.code]}) — keep one",
                )
                continue
            first_line[entry.code] = line
            entries.append(entry)
        if entries and SOURCE_LANGUAGE not in first_line:
            self.error(items.line, f'the source language "{SOURCE_LANGUAGE}" is missing — add it')
        return tuple(entries)

    def entry(self, item: Any, line: int) -> LanguageEntry | None:
        if not isinstance(item, LocatedDict):
            self.error(line, "each language must be a mapping: code, name, direction, review")
            return None
        before = len(self.problems)
        for key in item:
            if key not in ENTRY_KEYS:
                hint = did_you_mean(key, ENTRY_KEYS)
                self.error(item.key_lines[key], f'unknown key "{key}"{hint}')
        code = item.get("code")
        if not isinstance(code, str) or not CODE.match(code):
            shown_code = f'code "{code}"' if code is not None else "`code:` is missing; it"
            self.error(line, f"{shown_code} is not a BCP 47 tag like fa, sr-Latn or zh-Hans")
            return None
        locale = item.get("locale", code.replace("-", "_"))
        if not isinstance(locale, str) or not LOCALE.match(locale):
            self.error(line, f'language "{code}": locale "{locale}" must look like sr_Latn')
        elif not _babel_knows(locale):
            self.error(line, f'language "{code}": Babel does not know locale "{locale}"')
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            self.error(line, f'language "{code}" needs `name:` in its own script, e.g. Srpski')
        direction = item.get("direction", "ltr")
        if direction not in DIRECTIONS:
            hint = did_you_mean(str(direction), DIRECTIONS)
            self.error(line, f'language "{code}": direction "{direction}" is unknown{hint}')
        published = item.get("published", False)
        if not isinstance(published, bool):
            self.error(line, f'language "{code}": `published:` must be true or false')
        offer_draft = item.get("offer_draft", True)
        if not isinstance(offer_draft, bool):
            self.error(line, f'language "{code}": `offer_draft:` must be true or false')
        status, role, date = self.review(item, line, code)
        if len(self.problems) > before:
            return None
        return LanguageEntry(
            code=code,
            locale=str(locale),
            name=str(name).strip(),
            direction=str(direction),
            status=status,
            published=bool(published),
            offer_draft=bool(offer_draft),
            reviewer_role=role,
            reviewed_on=date,
            location=Location(self.where, line),
        )

    def review(self, item: LocatedDict, line: int, code: str) -> tuple[str, str | None, str | None]:
        review = item.get("review") or {}
        if not isinstance(review, dict):
            self.error(
                line, f'language "{code}": `review:` must be {{status, reviewer_role, date}}'
            )
            return DRAFT, None, None
        for key in review:
            if key not in REVIEW_KEYS:
                hint = did_you_mean(key, REVIEW_KEYS)
                self.error(line, f'language "{code}": unknown review key "{key}"{hint}')
        status = review.get("status", DRAFT)
        if status not in STATUSES:
            hint = did_you_mean(str(status), STATUSES)
            self.error(line, f'language "{code}": review status "{status}" is unknown{hint}')
        role, date = review.get("reviewer_role"), review.get("date")
        if isinstance(date, datetime.date):
            date = date.isoformat()
        if status == REVIEWED and code != SOURCE_LANGUAGE and not (role and date):
            self.error(
                line,
                f'language "{code}" is marked reviewed — add review.reviewer_role (a role, not '
                "a name) and review.date (YYYY-MM-DD) of the native-speaker review",
            )
        return str(status), (str(role) if role else None), (str(date) if date else None)


def _babel_knows(locale: str) -> bool:
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return False
    return True
