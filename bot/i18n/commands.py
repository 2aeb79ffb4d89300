"""`putokaz i18n extract | update | compile | coverage` as library functions over
Babel's Python API; the CLI prints what they return.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from bot.engine.model import Location, MsgKey
from bot.engine.problems import Problem
from bot.i18n.coverage import Coverage, measure
from bot.i18n.errors import CatalogError
from bot.i18n.extract import build_template
from bot.i18n.languages import LanguageEntry, read_manifest
from bot.i18n.layout import manifest_path, mo_path, po_path, shown, template_path
from bot.i18n.merge import MergeResult, merge
from bot.i18n.pofiles import (
    ReviewedCatalog,
    read_catalog,
    render_po,
    stamp_review,
    write_compiled,
    write_if_changed,
)

TRANSLATOR_ROLE = "Putokaz translators"
BUGS_ADDRESS = "see docs/TRANSLATING.md"


@dataclass(frozen=True)
class Extracted:
    path: Path
    messages: int
    written: bool


@dataclass(frozen=True)
class Updated:
    entry: LanguageEntry
    path: Path
    result: MergeResult
    created: bool


@dataclass(frozen=True)
class Compiled:
    entry: LanguageEntry
    path: Path
    translated: int
    total: int


def extract(flows_dir: Path, locales_dir: Path) -> Extracted:
    """Write `locales/messages.pot` from the flows (unchanged content: file untouched)."""
    template = build_template(flows_dir, locales_dir.parent)
    path = template_path(locales_dir)
    if path.is_file():
        # Same strings, same file: keep the old creation date so nothing churns.
        template.creation_date = read_catalog(path).creation_date
    written = write_if_changed(path, render_po(template))
    return Extracted(path, sum(1 for m in template if m.id), written)


def update(locales_dir: Path) -> list[Updated]:
    """Merge messages.pot into each language's .po, creating missing ones."""
    pot = template_path(locales_dir)
    if not pot.is_file():
        raise CatalogError(
            [Problem(Location(shown(pot), 0), "no template — run `putokaz i18n extract` first")]
        )
    template = read_catalog(pot)
    done: list[Updated] = []
    for entry in _target_languages(locales_dir):
        path = po_path(locales_dir, entry.locale)
        created = not path.is_file()
        catalog = _new_catalog(entry, template) if created else read_catalog(path, entry.locale)
        result = merge(catalog, template)
        stamp_review(catalog, entry)
        write_if_changed(path, render_po(catalog))
        done.append(Updated(entry, path, result, created))
    return done


def compile_catalogs(locales_dir: Path) -> list[Compiled]:
    """A .mo next to each .po; fuzzy and untranslated entries are left out."""
    done: list[Compiled] = []
    for entry in _target_languages(locales_dir):
        po = po_path(locales_dir, entry.locale)
        if not po.is_file():
            continue
        catalog = read_catalog(po, entry.locale)
        stamp_review(catalog, entry)
        write_compiled(mo_path(locales_dir, entry.locale), catalog)
        entries = [m for m in catalog if m.id]
        translated = sum(1 for m in entries if m.string and not m.fuzzy)
        done.append(Compiled(entry, mo_path(locales_dir, entry.locale), translated, len(entries)))
    return done


def coverage(flows_dir: Path, locales_dir: Path) -> list[Coverage]:
    """Per language: translations usable for the current English text, fuzzy, missing."""
    template = build_template(flows_dir, locales_dir.parent)
    source = {MsgKey(str(m.context)): str(m.id) for m in template if m.id}
    source_language = [e for e in read_manifest(manifest_path(locales_dir)) if e.is_source]
    # The source language is complete by definition; listed so the table names all of them.
    rows = [Coverage(entry, len(source), 0, 0) for entry in source_language]
    for entry in _target_languages(locales_dir):
        po = po_path(locales_dir, entry.locale)
        catalog = read_catalog(po, entry.locale) if po.is_file() else None
        rows.append(measure(entry, catalog, source))
    return rows


def _target_languages(locales_dir: Path) -> list[LanguageEntry]:
    manifest = manifest_path(locales_dir)
    if not manifest.is_file():
        raise CatalogError(
            [
                Problem(
                    Location(shown(manifest), 0),
                    "no language manifest — create it (see docs/TRANSLATING.md)",
                )
            ]
        )
    return [entry for entry in read_manifest(manifest) if not entry.is_source]


def _new_catalog(entry: LanguageEntry, template: Catalog) -> ReviewedCatalog:
    return ReviewedCatalog(
        locale=entry.locale,
        project=template.project,
        version=template.version,
        creation_date=template.creation_date,
        revision_date=datetime.datetime.now(datetime.UTC),
        language_team=f"{entry.name} translators",
        # A role, never a name: the repository is public (docs/TRANSLATING.md).
        last_translator=TRANSLATOR_ROLE,
        msgid_bugs_address=BUGS_ADDRESS,
        charset="utf-8",
        fuzzy=False,
    )
