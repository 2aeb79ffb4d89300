"""Dates and opening hours written the way each language writes them, with Babel's
CLDR data; our BCP 47 codes map to Babel locales here.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_interval

# Where a territory's conventions matter; every other code just swaps - for _
# (sr-Latn → sr_Latn). The flows are written in British English ("14 April 2009").
BABEL_LOCALES = {
    "en": "en_GB",
    "zh-Hans": "zh_Hans_CN",
}


@lru_cache(maxsize=64)
def babel_locale(code: str) -> Locale:
    """The Babel `Locale` for one of our language codes (sr-Latn → sr_Latn)."""
    return Locale.parse(BABEL_LOCALES.get(code, code.replace("-", "_")))


def format_day(day: datetime.date, language: str) -> str:
    """A date as the language writes it in full: "14 April 2009", "14. april 2009."."""
    return format_date(day, format="long", locale=babel_locale(language))


def format_hours(opens: datetime.time, closes: datetime.time, language: str) -> str:
    """An opening-hours range on a 24-hour clock, e.g. "09:00–17:00"."""
    return format_interval(opens, closes, skeleton="Hm", locale=babel_locale(language))
