"""Dates and hours in every language of the manifest, through Babel's CLDR data."""

from __future__ import annotations

import datetime

import pytest

from bot.config import PROJECT_ROOT
from bot.i18n.formatting import babel_locale, format_day, format_hours
from bot.i18n.languages import read_manifest

CODES = [entry.code for entry in read_manifest(PROJECT_ROOT / "locales" / "languages.yaml")]
DAY = datetime.date(2009, 4, 14)


@pytest.mark.parametrize("code", CODES)
def test_every_language_formats_a_day_and_hours(code: str) -> None:
    assert "2009" in format_day(DAY, code) or "۲۰۰۹" in format_day(DAY, code)
    assert format_hours(datetime.time(9), datetime.time(17), code)


def test_codes_map_to_the_right_babel_locales() -> None:
    assert str(babel_locale("sr-Latn")) == "sr_Latn"
    assert str(babel_locale("zh-Hans")) == "zh_Hans_CN"
    assert str(babel_locale("en")) == "en_GB"


def test_serbian_scripts_differ_and_english_is_british() -> None:
    assert format_day(DAY, "en") == "14 April 2009"
    assert format_day(DAY, "sr-Latn") == "14. april 2009."
    assert format_day(DAY, "sr-Cyrl") == "14. април 2009."
    assert format_day(DAY, "zh-Hans") == "2009年4月14日"
