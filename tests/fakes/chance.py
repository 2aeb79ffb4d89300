"""When an injected fault fires: every call, the next `times` calls, or a seeded share.

Shared by the fake Telegram and Viber APIs so both count faults the same way.
"""

from __future__ import annotations

import random
from typing import Protocol


class Chance(Protocol):
    times: int | None
    ratio: float | None
    rng: random.Random


def fires(chance: Chance) -> bool:
    """Whether this call is hit; counts `times` down only when it is."""
    if chance.times is not None and chance.times <= 0:
        return False
    if chance.ratio is not None and chance.rng.random() >= chance.ratio:
        return False
    if chance.times is not None:
        chance.times -= 1
    return True
