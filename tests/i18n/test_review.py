"""`putokaz i18n review`: one sheet per language, every legal text with its source,
English, translation and back-translation; the sheets in docs/review are current."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bot.config import PROJECT_ROOT
from bot.i18n.pofiles import read_catalog, render_po
from bot.i18n.review import BACK_TRANSLATION, render_sheet, review_sheets
from tests.i18n.workspace import prepared_workspace

FLOWS = PROJECT_ROOT / "flows"
LOCALES = PROJECT_ROOT / "locales"
SHEETS = PROJECT_ROOT / "docs" / "review"


def test_the_review_sheets_in_docs_are_current() -> None:
    sheets = review_sheets(FLOWS, LOCALES)
    assert len(sheets) == 13
    for locale, sheet in sheets.items():
        path = SHEETS / f"{locale}.md"
        assert path.is_file(), f"{path} is missing — run `putokaz i18n review`"
        assert path.read_text(encoding="utf-8") == render_sheet(sheet), (
            f"{path} is out of date — run `putokaz i18n review`"
        )
    assert {p.stem for p in SHEETS.glob("*.md")} == set(sheets)


def test_every_legal_text_has_a_current_translation_and_a_back_translation() -> None:
    for locale, sheet in review_sheets(FLOWS, LOCALES).items():
        gaps = [(line.key, line.state, bool(line.back)) for line in sheet.gaps]
        assert gaps == [], f"{locale}: legal texts not ready for review: {gaps}"


def test_a_sheet_shows_source_english_translation_and_back_translation(tmp_path: Path) -> None:
    space = prepared_workspace(tmp_path, "fa:fa:rtl")
    catalog = read_catalog(space.po("fa"))
    entry = next(m for m in catalog if m.context == "rights.start.say")
    entry.string = "[fa] translation"
    entry.user_comments = [f"{BACK_TRANSLATION} What the Persian says, in English."]
    space.po("fa").write_bytes(render_po(catalog))

    from bot.cli import main

    out = tmp_path / "review"
    result = CliRunner().invoke(
        main,
        [
            "i18n",
            "review",
            "--flows",
            str(space.flows),
            "--locales",
            str(space.locales),
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "fa: " in result.output
    sheet = (out / "fa.md").read_text(encoding="utf-8")
    section = sheet.split("## `rights.start.say`", 1)[1].split("\n## ", 1)[0]
    assert "Source: CETS 197" in section
    assert "> You have at least 30 days to recover and decide." in section
    assert "> [fa] translation" in section
    assert "> What the Persian says, in English." in section

    space.edit_flow("rights.yaml", "to recover and decide", "to rest and decide")
    from bot.i18n.commands import extract, update

    extract(space.flows, space.locales)
    update(space.locales)
    [sheet_now] = review_sheets(space.flows, space.locales).values()
    line = next(line for line in sheet_now.lines if line.key == "rights.start.say")
    assert line.state == "fuzzy"
    assert line.back == "What the Persian says, in English."
    assert line in sheet_now.gaps
