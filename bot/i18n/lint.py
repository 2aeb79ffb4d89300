"""Catalog lint for `putokaz check`: translations that drop a placeholder or change a
number are errors (the bot shows English instead); gaps in published languages warn.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bot.engine.model import Location, MsgKey
from bot.engine.problems import Problem, Severity
from bot.i18n.coverage import measure, mismatches
from bot.i18n.errors import CatalogError
from bot.i18n.languages import read_manifest
from bot.i18n.layout import manifest_path, po_path, shown
from bot.i18n.pofiles import read_catalog


def lint_catalogs(locales_dir: Path, source_texts: Mapping[MsgKey, str]) -> list[Problem]:
    """Every problem of every catalog named in `languages.yaml`, errors and warnings."""
    if not manifest_path(locales_dir).is_file():
        return []
    try:
        entries = read_manifest(manifest_path(locales_dir))
    except CatalogError as error:
        return list(error.problems)
    problems: list[Problem] = []
    for entry in entries:
        if entry.is_source:
            continue
        path = po_path(locales_dir, entry.locale)
        if not path.is_file():
            if entry.published:
                problems.append(
                    Problem(
                        entry.location,
                        f'language "{entry.code}" is published but has no catalog {shown(path)}'
                        " — run `putokaz i18n update`, or set published: false",
                        Severity.WARNING,
                    )
                )
            continue
        try:
            catalog = read_catalog(path, entry.locale)
        except CatalogError as error:
            problems.extend(error.problems)
            continue
        for message in catalog:
            if not message.id or message.fuzzy or not isinstance(message.string, str):
                continue
            if not message.string.strip():
                continue
            name = message.context or str(message.id)[:40]
            problems.extend(
                Problem(
                    Location(shown(path), message.lineno or 0),
                    f'translation of "{name}" {broken}',
                )
                for broken in mismatches(str(message.id), message.string)
            )
        gaps = measure(entry, catalog, source_texts)
        if entry.published and gaps.gaps:
            problems.append(
                Problem(
                    Location(shown(path), 0),
                    f"{entry.code} is published but {gaps.missing} of {gaps.total} "
                    f"translations are missing and {gaps.fuzzy} fuzzy — people see English "
                    "there; translate them, or set published: false in languages.yaml",
                    Severity.WARNING,
                )
            )
    return problems
