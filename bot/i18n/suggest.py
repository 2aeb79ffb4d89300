"""A language to suggest from what the device says (Accept-Language, Telegram's
language_code, Viber's user.language); used once, at the start, never stored as such.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.engine.model import Language

TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
SAME_AS = {"prs": "fa", "zh-TW": "zh-Hans", "zh-HK": "zh-Hans", "sr-ME": "sr-Latn"}
"""Tags that are best served by one of ours with another code (Dari → Farsi)."""


def ranked_tags(header: str | None) -> list[str]:
    """The language tags of an Accept-Language header (or one bare tag), best first."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if TAG.match(tag) and quality > 0:
            weighted.append((-quality, index, tag))
    return [tag for _, _, tag in sorted(weighted)]


def suggest_language(header: str | None, languages: Iterable[Language]) -> str | None:
    """Our best language for what the device prefers: exact tag, then script, then base."""
    offered = [language.code for language in languages]
    by_lower = {code.lower(): code for code in offered}
    for tag in ranked_tags(header):
        tag = SAME_AS.get(tag, tag)
        parts = tag.lower().split("-")
        for size in range(len(parts), 1, -1):  # sr-Cyrl-RS → sr-Cyrl before sr
            exact = by_lower.get("-".join(parts[:size]))
            if exact:
                return exact
        base = tag.split("-")[0].lower()
        base = SAME_AS.get(base, base)
        for code in offered:
            if code.split("-")[0].lower() == base:
                return code
    return None
