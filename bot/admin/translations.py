"""A language's catalog as the translation editor shows it: every string with its English,
translation, where it appears, its limit and its review status; edits, imports and diffs.

The review status lives in the .po file itself, as a translator comment that Poedit and
Weblate keep: `# Review: reviewed (translator, 2026-12-02)` — a role and a date, never a
person's name. An entry made for older English (fuzzy, or a msgid that is not the current
English) needs review again whatever its comment says; the old English is its `#|` msgid.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from babel.messages.catalog import Message
from babel.messages.pofile import PoFileError, PoFileParser

from bot.engine.model import MsgKey
from bot.i18n.coverage import mismatches
from bot.i18n.pofiles import ReviewedCatalog, _recover_previous, render_po

DRAFT, REVIEWED, SURVIVOR_REVIEWED = "draft", "reviewed", "survivor-reviewed"
REVIEW_STATES = (DRAFT, REVIEWED, SURVIVOR_REVIEWED)
MISSING, FUZZY = "missing", "fuzzy"
STATES = (MISSING, FUZZY, DRAFT, REVIEWED, SURVIVOR_REVIEWED)
"""Every status an entry can be in, worst first."""
REVIEW_PREFIX = "Review:"
REVIEW_COMMENT = re.compile(
    r"^Review:\s*(draft|reviewed|survivor-reviewed)\s*(?:\(([a-z-]+),\s*(\d{4}-\d{2}-\d{2})\))?\s*$"
)
LIMIT = re.compile(r"Limit:\s*(\d+)\s+characters(.*)$")
SCREEN = re.compile(r'^(?:Screen|Button on screen) "([^"]+)"')


class ImportRefused(ValueError):
    """An uploaded .po that cannot be taken; the message says why and how to fix it."""


@dataclass(frozen=True)
class Review:
    status: str
    role: str | None = None
    on: str | None = None

    @property
    def comment(self) -> str:
        if self.role and self.on:
            return f"{REVIEW_PREFIX} {self.status} ({self.role}, {self.on})"
        return f"{REVIEW_PREFIX} {self.status}"


@dataclass(frozen=True)
class Entry:
    """One string of one language."""

    key: str
    english: str
    translation: str
    status: str
    review: Review
    old_english: str | None
    """The English the translation was made for, when it is not the current English."""
    where: tuple[str, ...]
    """The editor's notes of the catalog: screen, button, limit, sources."""
    screen: str
    limit: int | None
    problems: tuple[str, ...]

    @property
    def placeholders(self) -> str:
        return " ".join(sorted(set(re.findall(r"\{[a-z_][a-z0-9_]*\}", self.english))))


def review_of(message: Message) -> Review:
    for comment in message.user_comments:
        found = REVIEW_COMMENT.match(comment.strip())
        if found:
            return Review(found.group(1), found.group(2), found.group(3))
    return Review(DRAFT)


def set_review(message: Message, review: Review) -> None:
    kept = [c for c in message.user_comments if not c.strip().startswith(REVIEW_PREFIX)]
    message.user_comments = [review.comment, *kept]


def entries(catalog: ReviewedCatalog, english: Mapping[MsgKey, str]) -> list[Entry]:
    """Every current English string with its translation in `catalog`, in catalog order
    first, then strings the catalog does not have yet."""
    by_key = {str(m.context): m for m in catalog if m.id and m.context}
    order = [k for k in by_key if k in english] + sorted(k for k in english if k not in by_key)
    return [_entry(key, english[MsgKey(key)], by_key.get(key)) for key in order]


def _entry(key: str, english: str, message: Message | None) -> Entry:
    if message is None:
        return Entry(key, english, "", MISSING, Review(DRAFT), None, (), key, None, ())
    translation = str(message.string or "")
    review = review_of(message)
    stale = str(message.id) != english
    if not translation.strip():
        status = MISSING
    elif message.fuzzy or stale:
        status = FUZZY
    else:
        status = review.status
    old = None
    if stale:
        old = str(message.id)
    elif message.fuzzy and message.previous_id:
        old = str(message.previous_id[0])
    notes = tuple(str(c) for c in message.auto_comments)
    limit = None
    screen = key
    for note in notes:
        if (found := LIMIT.search(note)) is not None and limit is None:
            limit = int(found.group(1))
        if (found := SCREEN.match(note)) is not None:
            screen = found.group(1)
    problems = tuple(mismatches(english, translation)) if translation.strip() else ()
    return Entry(key, english, translation, status, review, old, notes, screen, limit, problems)


def coverage(items: Iterable[Entry]) -> dict[str, int]:
    """How many strings are in each status, every status present (0 when none)."""
    counts = Counter(e.status for e in items)
    return {state: counts.get(state, 0) for state in STATES}


def apply_edit(
    catalog: ReviewedCatalog,
    english: Mapping[MsgKey, str],
    key: str,
    translation: str,
    review: Review,
) -> None:
    """Set the translation of `key` for the current English, with its review status; the
    entry is no longer fuzzy and forgets the old English it was made for."""
    current = english.get(MsgKey(key))
    if current is None:
        raise KeyError(f"{key} is not a string of the flows — reload the page")
    old = next((m for m in catalog if m.id and str(m.context) == key), None)
    if old is not None and str(old.id) != current:
        catalog.delete(old.id, context=key)
    message = catalog.get(current, context=key)
    if message is None:
        message = catalog.add(
            current,
            translation,
            context=key,
            auto_comments=list(old.auto_comments) if old else [],
            user_comments=list(old.user_comments) if old else [],
            locations=list(old.locations) if old else [],
        )
    message.string = translation
    message.flags.discard("fuzzy")
    message.previous_id = []
    set_review(message, review)


def parse_po(data: bytes, locale: str) -> ReviewedCatalog:
    """An uploaded .po; `ImportRefused` naming the line Babel cannot read."""
    catalog = ReviewedCatalog(locale=locale)
    try:
        PoFileParser(catalog, abort_invalid=True).parse(io.BytesIO(data))
    except PoFileError as error:
        raise ImportRefused(
            f"line {error.lineno + 1} is not a valid .po entry — save the file from Poedit "
            "again, or export a fresh copy and redo the change"
        ) from None
    except UnicodeDecodeError:
        raise ImportRefused("the file is not UTF-8 — save it as UTF-8 (Poedit does)") from None
    for message in [*catalog._messages.values(), *catalog.obsolete.values()]:
        _recover_previous(message)
    said = str(catalog.locale_identifier or "") if catalog.locale is not None else ""
    if said and said.replace("-", "_").lower() != locale.lower():
        raise ImportRefused(f"this catalog is for {said}, not {locale} — open that language's page")
    return catalog


@dataclass(frozen=True)
class Change:
    key: str
    english: str
    before: str
    after: str
    status_before: str
    status_after: str
    problems: tuple[str, ...]


def diff_catalogs(
    before: ReviewedCatalog, after: ReviewedCatalog, english: Mapping[MsgKey, str]
) -> list[Change]:
    """The strings whose translation or status an import changes."""
    old = {e.key: e for e in entries(before, english)}
    changes = []
    for entry in entries(after, english):
        was = old.get(entry.key)
        if was is None:
            continue
        if (was.translation, was.status) != (entry.translation, entry.status):
            changes.append(
                Change(
                    entry.key,
                    entry.english,
                    was.translation,
                    entry.translation,
                    was.status,
                    entry.status,
                    entry.problems,
                )
            )
    return changes


def po_bytes(catalog: ReviewedCatalog) -> bytes:
    return render_po(catalog)
