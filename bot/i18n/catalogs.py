"""Attach the compiled catalogs to loaded flows, once: one text table per language,
English with the fallback notice wherever a translation is missing, fuzzy or broken.
"""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.catalog import Catalog

from bot.engine.model import Flows, MsgKey
from bot.engine.texts import Lookup, localize
from bot.i18n.coverage import usable_translations
from bot.i18n.languages import LanguageEntry, read_manifest
from bot.i18n.layout import manifest_path, mo_path, po_path
from bot.i18n.pofiles import read_catalog, read_compiled


def attach_catalogs(flows: Flows, locales_dir: str | os.PathLike[str] | None) -> Flows:
    """`flows` speaking every language of `languages.yaml` that has a catalog, except
    drafts the operators keep back (`offer_draft: false`).

    No locales folder or manifest: English only. A broken manifest or catalog
    raises `CatalogError` naming the file and line.
    """
    if locales_dir is None:
        return flows
    folder = Path(locales_dir)
    if not manifest_path(folder).is_file():
        return flows
    offered = [
        e for e in read_manifest(manifest_path(folder)) if e.offered and _has_catalog(folder, e)
    ]
    tables = {
        entry.code: usable_translations(load_catalog(folder, entry), flows.source_texts)
        for entry in offered
        if not entry.is_source
    }

    def lookup(code: str) -> Lookup:
        table = tables[code]

        def find(key: MsgKey, source: str) -> str | None:
            return table.get(key)

        return find

    return localize(flows, tuple(entry.language for entry in offered), lookup)


def load_catalog(locales_dir: Path, entry: LanguageEntry) -> Catalog:
    """The compiled .mo, or the .po compiled in memory when the .mo is missing or older."""
    po, mo = po_path(locales_dir, entry.locale), mo_path(locales_dir, entry.locale)
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime_ns > po.stat().st_mtime_ns):
        return read_compiled(mo)
    return read_catalog(po, entry.locale)


def _has_catalog(locales_dir: Path, entry: LanguageEntry) -> bool:
    if entry.is_source:
        return True
    return (
        po_path(locales_dir, entry.locale).is_file() or mo_path(locales_dir, entry.locale).is_file()
    )
