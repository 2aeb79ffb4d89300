"""Which translations a catalog really provides for the current English text, and
the per-language coverage table of `putokaz i18n coverage`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from babel.messages.catalog import Catalog

from bot.engine.model import MsgKey
from bot.engine.texts import PLACEHOLDER, placeholders
from bot.i18n.languages import REVIEWED, LanguageEntry

DIGIT_RUN = re.compile(r"\d+")


def usable_translations(catalog: Catalog, source_texts: Mapping[MsgKey, str]) -> dict[MsgKey, str]:
    """msgctxt → translation, for entries the bot may show: translated, not fuzzy, made
    for the current English text, and keeping its placeholders and numbers."""
    table: dict[MsgKey, str] = {}
    for message in catalog:
        if not message.id or not message.context or message.fuzzy:
            continue
        text = message.string
        if not isinstance(text, str) or not text.strip():
            continue
        key = MsgKey(message.context)
        if source_texts.get(key) != message.id or mismatches(str(message.id), text):
            continue
        table[key] = text
    return table


def mismatches(source: str, translation: str) -> list[str]:
    """What a translation breaks, as sentence ends: placeholders dropped or added,
    numbers changed (compared as a multiset, since word order may move them)."""
    found: list[str] = []
    wanted, got = Counter(placeholders(source)), Counter(placeholders(translation))
    for name in wanted:
        if got[name] < wanted[name]:
            found.append(f"drops placeholder {{{name}}} — keep every {{name}} of the English text")
    for name in got:
        if got[name] > wanted[name]:
            allowed = ", ".join(f"{{{n}}}" for n in wanted) or "none"
            found.append(
                f"adds placeholder {{{name}}}, which the English text does not have — "
                f"use only its placeholders ({allowed})"
            )
    numbers, translated = digit_runs(source), digit_runs(translation)
    if sorted(numbers) != sorted(translated):
        found.append(
            f"changes the numbers: the English text has {', '.join(numbers) or 'none'}, the "
            f"translation {', '.join(translated) or 'none'} — keep every number of the English text"
        )
    return found


def digit_runs(text: str) -> list[str]:
    """Runs of digits outside placeholders, in ASCII (Persian ۳۰ counts as 30)."""
    bare = PLACEHOLDER.sub(" ", text)
    return ["".join(str(unicodedata.decimal(ch)) for ch in run) for run in DIGIT_RUN.findall(bare)]


@dataclass(frozen=True)
class Coverage:
    """How much of the English text one language's catalog covers."""

    entry: LanguageEntry
    translated: int
    fuzzy: int
    missing: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.missing

    @property
    def percent(self) -> int:
        return _percent(self.translated, self.total)

    @property
    def reviewed_percent(self) -> int:
        """Share reviewed by a native speaker: the review covers the whole catalog."""
        return self.percent if self.entry.status == REVIEWED else 0

    @property
    def gaps(self) -> int:
        return self.fuzzy + self.missing


def measure(
    entry: LanguageEntry, catalog: Catalog | None, source_texts: Mapping[MsgKey, str]
) -> Coverage:
    """Count translated (usable), fuzzy (marked, or made for older English) and missing."""
    usable = usable_translations(catalog, source_texts) if catalog is not None else {}
    stale = {
        key
        for m in (catalog or ())
        if m.id
        and m.string
        and (key := MsgKey(str(m.context))) in source_texts
        and (m.fuzzy or m.id != source_texts[key])
    }
    translated = sum(1 for key in source_texts if key in usable)
    fuzzy = sum(1 for key in source_texts if key not in usable and key in stale)
    return Coverage(entry, translated, fuzzy, len(source_texts) - translated - fuzzy)


def coverage_table(rows: Iterable[Coverage]) -> str:
    """A plain-text table, names last so right-to-left scripts cannot shift columns."""
    lines = [
        f"{'code':<9}{'translated':>12}{'fuzzy':>7}{'missing':>9}{'reviewed':>10}"
        f"  {'status':<9}{'published':<10}name"
    ]
    for row in rows:
        translated = f"{row.translated} {row.percent}%"
        lines.append(
            f"{row.entry.code:<9}{translated:>12}{row.fuzzy:>7}{row.missing:>9}"
            f"{str(row.reviewed_percent) + '%':>10}  {row.entry.status:<9}"
            f"{'yes' if row.entry.published else 'no':<10}{row.entry.name}"
        )
    return "\n".join(lines)


def _percent(part: int, whole: int) -> int:
    return 100 if whole == 0 else part * 100 // whole
