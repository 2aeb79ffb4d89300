"""Language codes as staff type them (`--lang fa`): a wrong one is an error listing the right ones.

Used by `putokaz chat` and `putokaz link`.
"""

from __future__ import annotations

from bot.engine import Flows


class UnknownLanguage(ValueError):
    """The code names no language of the flows; the message lists the codes."""


def check_language(flows: Flows, code: str | None) -> None:
    """Raise UnknownLanguage unless `code` is None or a language of `flows`."""
    if code is not None and flows.language(code) is None:
        known = ", ".join(language.code for language in flows.languages)
        raise UnknownLanguage(f"unknown language {code!r} — use one of: {known}")
