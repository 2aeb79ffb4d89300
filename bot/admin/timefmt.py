"""Template filters: times in UTC, as staff in several offices read them alike."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def utc(moment: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(moment))


FILTERS: dict[str, Callable[..., Any]] = {"utc": utc}
