"""Every language is complete, and every machine-made catalog says it is a draft."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.engine import Flows

LOCALES = Path(__file__).parents[2] / "locales"


def test_all_fourteen_languages_are_offered(flows: Flows) -> None:
    codes = {language.code for language in flows.languages}
    assert codes == {
        "en",
        "sr-Latn",
        "sr-Cyrl",
        "ar",
        "fa",
        "ps",
        "ur",
        "hi",
        "vi",
        "zh-Hans",
        "tr",
        "fr",
        "uk",
        "ru",
    }


def test_every_string_is_translated_in_every_language(flows: Flows) -> None:
    for language, table in flows.texts.items():
        gaps = [key for key, text in table.items() if text.fallback]
        assert gaps == [], f"{language} falls back to English for {gaps[:5]}"


def test_no_translation_claims_a_review_it_did_not_have() -> None:
    manifest = yaml.safe_load((LOCALES / "languages.yaml").read_text())
    for entry in manifest["languages"]:
        if entry["code"] == "en":
            continue
        assert entry["review"]["status"] == "draft", entry["code"]
        po = (LOCALES / entry["locale"] / "LC_MESSAGES" / "messages.po").read_text()
        assert "X-Putokaz-Review: draft" in po
        assert "DRAFT machine translation" in po


def test_right_to_left_languages_are_marked(flows: Flows) -> None:
    rtl = {language.code for language in flows.languages if language.direction == "rtl"}
    assert rtl == {"ar", "fa", "ps", "ur"}
