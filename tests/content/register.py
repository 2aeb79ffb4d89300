"""The phrasings the content register forbids, read from forbidden_phrasings.yaml,
and the search for them in the loaded flows (English source and catalogs)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.engine import Flows
from bot.engine.model import SOURCE_LANGUAGE

PHRASINGS = Path(__file__).parent / "forbidden_phrasings.yaml"


@dataclass(frozen=True)
class Phrasing:
    language: str
    pattern: re.Pattern[str]
    why: str
    say: str


@dataclass(frozen=True)
class Finding:
    language: str
    key: str
    found: str
    phrasing: Phrasing

    def __str__(self) -> str:
        return (
            f'{self.key} in {self.language} says "{self.found}": {self.phrasing.why} — '
            f'say "{self.phrasing.say}" instead'
        )


def load_phrasings(path: Path = PHRASINGS) -> tuple[Phrasing, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        Phrasing(language, re.compile(item["pattern"], re.IGNORECASE), item["why"], item["say"])
        for language, items in data["phrasings"].items()
        for item in items
    )


def forbidden_in(flows: Flows, phrasings: tuple[Phrasing, ...]) -> list[Finding]:
    """Every forbidden phrasing shown: English source text, and each catalog's own
    translations (English fallbacks are checked once, as English)."""
    findings = []
    for phrasing in phrasings:
        if phrasing.language == SOURCE_LANGUAGE:
            texts = dict(flows.source_texts)
        else:
            table = flows.texts.get(phrasing.language, {})
            texts = {k: t.value for k, t in table.items() if not t.fallback}
        for key, text in texts.items():
            found = phrasing.pattern.search(text)
            if found:
                findings.append(Finding(phrasing.language, key, found.group(0), phrasing))
    return findings
