"""languages.yaml: the project's fourteen languages, and located errors for bad entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.engine.model import Language
from bot.i18n.errors import CatalogError
from bot.i18n.languages import load_languages, read_manifest

MANIFEST = PROJECT_ROOT / "locales" / "languages.yaml"


def test_the_project_manifest_lists_the_fourteen_languages() -> None:
    entries = read_manifest(MANIFEST)
    assert [(e.code, e.locale) for e in entries] == [
        ("en", "en"),
        ("sr-Latn", "sr_Latn"),
        ("sr-Cyrl", "sr_Cyrl"),
        ("ar", "ar"),
        ("fa", "fa"),
        ("ps", "ps"),
        ("ur", "ur"),
        ("hi", "hi"),
        ("vi", "vi"),
        ("zh-Hans", "zh_Hans"),
        ("tr", "tr"),
        ("fr", "fr"),
        ("uk", "uk"),
        ("ru", "ru"),
    ]
    assert {e.code for e in entries if e.direction == "rtl"} == {"ar", "fa", "ps", "ur"}
    assert [e.code for e in entries if e.status == "reviewed"] == ["en"]
    drafts = [e for e in entries if not e.is_source]
    assert all(e.reviewer_role is None and e.reviewed_on is None for e in drafts)


def test_names_are_written_in_their_own_script() -> None:
    names = {language.code: language.name for language in load_languages(MANIFEST)}
    assert names["sr-Cyrl"] == "Српски"
    assert names["fa"] == "فارسی"
    assert names["zh-Hans"] == "中文（简体）"


def test_load_languages_gives_engine_languages() -> None:
    assert load_languages(MANIFEST)[4] == Language("fa", "فارسی", "rtl", "draft")


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "languages.yaml"
    path.write_text("version: 1\nlanguages:\n" + body, encoding="utf-8")
    return path


def test_every_bad_entry_is_reported_with_its_line_and_fix(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "  - {code: en, name: English}\n"
        "  - {code: fa, name: فارسی, direction: rlt}\n"
        "  - {code: ar, name: العربية, direction: rtl, publish: true}\n"
        "  - {code: fr, name: Français, review: {status: reviewed}}\n"
        "  - {code: Sr_latn, name: Srpski}\n"
        "  - {code: fr, name: Français}\n"
        "  - {code: xx, name: X}\n",
    )
    with pytest.raises(CatalogError) as caught:
        read_manifest(path)
    lines = [line.split("languages.yaml:", 1)[1] for line in str(caught.value).splitlines()]
    assert lines == [
        '4: language "fa": direction "rlt" is unknown — did you mean "rtl"?',
        '5: unknown key "publish" — did you mean "published"?',
        '6: language "fr" is marked reviewed — add review.reviewer_role (a role, not a name) '
        "and review.date (YYYY-MM-DD) of the native-speaker review",
        '7: code "Sr_latn" is not a BCP 47 tag like fa, sr-Latn or zh-Hans',
        '9: language "xx": Babel does not know locale "xx"',
    ]


def test_a_duplicate_code_and_a_missing_source_language_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "  - {code: fa, name: فارسی}\n  - {code: fa, name: Farsi}\n")
    with pytest.raises(CatalogError) as caught:
        read_manifest(path)
    lines = [line.split("languages.yaml:", 1)[1] for line in str(caught.value).splitlines()]
    assert lines == [
        '3: the source language "en" is missing — add it',
        '4: language "fa" is listed twice (first at line 3) — keep one',
    ]


def test_operators_can_keep_a_draft_language_from_being_offered(tmp_path: Path) -> None:
    from bot.engine import load_dir
    from bot.i18n.catalogs import attach_catalogs
    from tests.i18n.workspace import prepared_workspace

    space = prepared_workspace(tmp_path, "fa:fa:rtl", "fr:fr:ltr", "uk:uk:ltr:reviewed")
    manifest = space.locales / "languages.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("name: Name-fa,", "name: Name-fa, offer_draft: false,")
    text = text.replace("name: Name-uk,", "name: Name-uk, offer_draft: false,")
    manifest.write_text(text, encoding="utf-8")
    entries = {e.code: e for e in read_manifest(manifest)}
    assert (entries["fa"].offered, entries["fr"].offered, entries["uk"].offered) == (
        False,
        True,
        True,
    )
    flows = attach_catalogs(load_dir(space.flows), space.locales)
    assert [language.code for language in flows.languages] == ["en", "fr", "uk"]


def test_offer_draft_must_be_true_or_false(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "  - {code: en, name: English, review: {status: reviewed}}\n"
        "  - {code: fa, name: فارسی, offer_draft: maybe}\n",
    )
    with pytest.raises(CatalogError, match=r"offer_draft:` must be true or false"):
        read_manifest(path)
