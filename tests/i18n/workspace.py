"""A throwaway project for i18n tests: the fixture flows and a languages.yaml in a
tmp folder, plus a way to put translations into a catalog as a translator would.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.i18n.commands import extract, update
from bot.i18n.layout import mo_path, po_path
from bot.i18n.pofiles import read_catalog, render_po

FIXTURES = Path(__file__).parents[1] / "fixtures" / "i18n"
FIXTURE_FLOWS = FIXTURES / "flows"

MANIFEST_HEAD = """version: 1
languages:
  - {code: en, locale: en, name: English, direction: ltr, published: true,
     review: {status: reviewed, reviewer_role: content editors, date: null}}
"""


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def flows(self) -> Path:
        return self.root / "flows"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    def po(self, locale: str) -> Path:
        return po_path(self.locales, locale)

    def mo(self, locale: str) -> Path:
        return mo_path(self.locales, locale)

    def translate(self, locale: str, texts: Mapping[str, str], fuzzy: Iterable[str] = ()) -> None:
        """Fill msgstr by msgctxt, as Poedit saves it: an edited entry is no longer
        fuzzy, unless listed in `fuzzy`."""
        catalog = read_catalog(self.po(locale))
        marked = set(fuzzy)
        for message in catalog:
            if message.context in texts:
                message.string = texts[message.context]
                message.flags.discard("fuzzy")
                message.previous_id = []
            if message.context in marked:
                message.flags.add("fuzzy")
        self.po(locale).write_bytes(render_po(catalog))

    def edit_flow(self, name: str, old: str, new: str) -> None:
        path = self.flows / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")


def prepared_workspace(root: Path, *languages: str) -> Workspace:
    """A workspace whose template and (untranslated) catalogs exist already."""
    space = make_workspace(root, languages)
    extract(space.flows, space.locales)
    update(space.locales)
    return space


def make_workspace(
    root: Path, languages: Iterable[str] = (), flows: Path = FIXTURE_FLOWS
) -> Workspace:
    """Copy `flows` to root/flows and write root/locales/languages.yaml.

    Each language is "code:locale:direction[:published][:reviewed]", e.g. "fa:fa:rtl".
    """
    shutil.copytree(flows, root / "flows")
    lines = [MANIFEST_HEAD]
    for spec in languages:
        code, locale, direction, *flags = spec.split(":")
        review = (
            "{status: reviewed, reviewer_role: native-speaker caseworker, date: 2026-01-15}"
            if "reviewed" in flags
            else "{status: draft, reviewer_role: null, date: null}"
        )
        lines.append(
            f"  - {{code: {code}, locale: {locale}, name: Name-{code}, direction: {direction},\n"
            f"     published: {'true' if 'published' in flags else 'false'}, review: {review}}}\n"
        )
    (root / "locales").mkdir()
    (root / "locales" / "languages.yaml").write_text("".join(lines), encoding="utf-8")
    return Workspace(root)
