"""Deep-link payloads: `<lang>[-<topic>[-<campaign>]]`, as in `fa-reflection`.

The same grammar serves Telegram `?start=`, Viber `context=` and web chat `?start=`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
CAMPAIGN = re.compile(r"^[A-Za-z0-9_]{1,32}$")


@dataclass(frozen=True)
class StartPayload:
    language: str | None = None
    topic: str | None = None
    campaign: str | None = None


def parse_payload(payload: str | None) -> StartPayload:
    """Split a payload; anything malformed yields an empty `StartPayload`, never an error."""
    if not payload or not PAYLOAD.match(payload):
        return StartPayload()
    parts = payload.split("-")
    language = parts[0].replace("_", "-") or None
    topic = parts[1] if len(parts) > 1 and parts[1] else None
    campaign = parts[2] if len(parts) > 2 and CAMPAIGN.match(parts[2]) else None
    return StartPayload(language, topic, campaign)


def make_payload(
    language: str | None, topic: str | None = None, campaign: str | None = None
) -> str:
    """Build a payload; raises ValueError naming the part that cannot be encoded."""
    parts = [(language or "").replace("-", "_")]
    if topic:
        parts.append(topic)
    if campaign:
        if not CAMPAIGN.match(campaign):
            raise ValueError(
                f"campaign {campaign!r} may only use A-Z a-z 0-9 _ (at most 32) — rename it"
            )
        if not topic:
            raise ValueError("a campaign needs a topic — add --topic")
        parts.append(campaign)
    payload = "-".join(parts)
    if not PAYLOAD.match(payload):
        raise ValueError(
            f"payload {payload!r} must be 1-64 characters of A-Z a-z 0-9 _ - "
            "(Telegram's limit for ?start=) — shorten the topic or campaign"
        )
    return payload
