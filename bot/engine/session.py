"""The conversation state a store keeps between events.

Only what the engine needs: no name, no chat id, nothing the person typed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

try:  # a session is read and written on every update: orjson is ~3x faster at both
    import orjson  # type: ignore[import-not-found, unused-ignore]

    def _dumps(value: Any) -> str:
        return orjson.dumps(value).decode()

    _loads: Any = orjson.loads
except ImportError:

    def _dumps(value: Any) -> str:
        return json.dumps(value, separators=(",", ":"))

    _loads = json.loads

from bot.engine.model import NodeId

BACK_STACK_LIMIT = 8
SCREEN_MODULO = 1000
MESSAGE_ID_LIMIT = 60
TOPIC_LIMIT = 12


@dataclass(frozen=True)
class Session:
    language: str | None = None
    node: NodeId | None = None
    back: tuple[NodeId, ...] = ()
    topics: tuple[str, ...] = ()
    message_ids: tuple[int, ...] = ()
    message_times: tuple[float, ...] = ()
    """When each of `message_ids` was sent (same order): platforms delete only recent ones."""
    created: float = 0.0
    updated: float = 0.0
    screen: int = 0
    """Counts the screens shown (modulo SCREEN_MODULO): a tap names the screen it was made on."""
    handoff_code: str | None = None
    """The hand-off code of this session: shown again on every visit, sent to staff once."""

    def with_messages(self, *message_ids: int) -> Session:
        """Remember the platform ids of messages in this chat (quick exit deletes them)."""
        kept = (self.message_ids + tuple(message_ids))[-MESSAGE_ID_LIMIT:]
        times = (self._times() + (self.updated,) * len(message_ids))[-MESSAGE_ID_LIMIT:]
        return replace(self, message_ids=kept, message_times=times)

    def messages_since(self, moment: float) -> tuple[int, ...]:
        """The ids of messages sent at or after `moment`."""
        return tuple(i for i, t in zip(self.message_ids, self._times(), strict=True) if t >= moment)

    def _times(self) -> tuple[float, ...]:
        # Sessions saved before message_times existed: count their messages as created then.
        count = len(self.message_ids)
        if count == 0:
            return ()
        missing = count - len(self.message_times)
        return (self.created,) * missing + self.message_times[-count:]

    def to_json(self) -> str:
        # The same JSON as json.dumps(asdict(self)), without asdict's recursive deep
        # copy: 6x faster, and it runs once per update (DESIGN.md "Speed budget").
        return _dumps(
            {
                "language": self.language,
                "node": self.node,
                "back": self.back,
                "topics": self.topics,
                "message_ids": self.message_ids,
                "message_times": self.message_times,
                "created": self.created,
                "updated": self.updated,
                "screen": self.screen,
                "handoff_code": self.handoff_code,
            }
        )

    @classmethod
    def from_json(cls, raw: str | bytes) -> Session:
        data = _loads(raw)
        return cls(
            language=data.get("language"),
            node=data.get("node"),
            back=tuple(data.get("back", ())),
            topics=tuple(data.get("topics", ())),
            message_ids=tuple(data.get("message_ids", ())),
            message_times=tuple(data.get("message_times", ())),
            created=float(data.get("created", 0.0)),
            updated=float(data.get("updated", 0.0)),
            screen=int(data.get("screen", 0)),
            handoff_code=data.get("handoff_code"),
        )
