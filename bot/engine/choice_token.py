"""The compact, versioned token a button carries: `1|rights.start|shelter`.

Telegram's callback_data and Viber's ActionBody both carry it; an old or forged
token decodes to None or to a choice the engine treats as stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHOICE_FORMAT = "1"
TELEGRAM_CALLBACK_LIMIT = 64
CHOICE = re.compile(r"^1\|([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\|(@?[A-Za-z0-9_-]{1,24})$")


@dataclass(frozen=True)
class ChoiceToken:
    node: str
    option_id: str


def encode_choice(node: str, option_id: str) -> str:
    return f"{CHOICE_FORMAT}|{node}|{option_id}"


def decode_choice(token: str | None) -> ChoiceToken | None:
    """The node and option a button named, or None when the token is not ours."""
    if not token or len(token) > TELEGRAM_CALLBACK_LIMIT:
        return None
    match = CHOICE.match(token)
    if match is None:
        return None
    return ChoiceToken(match.group(1), match.group(2))
