"""The project's own catalogs: one per language, valid for GNU gettext, honest
about their review state."""

from __future__ import annotations

import subprocess

import pytest

from bot.config import PROJECT_ROOT
from bot.i18n.languages import LanguageEntry, read_manifest
from bot.i18n.layout import po_path, template_path
from bot.i18n.pofiles import read_catalog
from tests.support.system_tools import require

LOCALES = PROJECT_ROOT / "locales"
ENTRIES = [e for e in read_manifest(LOCALES / "languages.yaml") if not e.is_source]


def test_every_language_has_a_catalog_and_nothing_else_does() -> None:
    catalogs = {p.parents[1].name for p in LOCALES.glob("*/LC_MESSAGES/messages.po")}
    assert catalogs == {entry.locale for entry in ENTRIES}
    assert len(catalogs) == 13


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.code for e in ENTRIES])
def test_msgfmt_check_passes(entry: LanguageEntry) -> None:
    po = po_path(LOCALES, entry.locale)
    done = subprocess.run(
        [require("msgfmt"), "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.code for e in ENTRIES])
def test_the_header_states_the_review_state_of_languages_yaml(entry: LanguageEntry) -> None:
    catalog = read_catalog(po_path(LOCALES, entry.locale))
    assert catalog.review == entry.status, "run `putokaz i18n update` to refresh the header"
    if entry.status == "draft":
        assert "DRAFT machine translation — not reviewed by a native speaker." in (
            catalog.header_comment
        )


def test_the_template_has_msgctxt_on_every_entry() -> None:
    template = read_catalog(template_path(LOCALES))
    entries = [m for m in template if m.id]
    assert len(entries) > 100
    assert all(m.context and m.locations[0][0].startswith("flows/") for m in entries)
