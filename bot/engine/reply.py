"""What the engine answers: channel-neutral messages, buttons and effects.

Channels turn a `Reply` into platform calls; the engine never sends anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.engine.model import NodeId


@dataclass(frozen=True)
class Button:
    option_id: str
    label: str
    url: str | None = None


@dataclass(frozen=True)
class Message:
    text: str
    buttons: tuple[Button, ...] = ()


class Effect(StrEnum):
    """Side effects a channel must carry out after sending the reply."""

    QUICK_EXIT = "quick_exit"  # delete the conversation's messages, clear the page
    FORGET = "forget"  # delete the session
    HANDOFF = "handoff"  # a new hand-off code was shown: tell staff (see Reply.handoff)


NO_CODE = "----"
"""What a screen's {code} shows where no hand-off code was drawn (previews, other screens)."""


@dataclass(frozen=True)
class Handoff:
    """What the hotline may learn: a random code, the language and topics seen."""

    code: str
    language: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Reply:
    node: NodeId | None
    language: str
    direction: str
    messages: tuple[Message, ...]
    effects: tuple[Effect, ...] = ()
    handoff: Handoff | None = None
    notices: tuple[str, ...] = field(default=())
    screen: int = 0
    """The number of this screen; buttons send it back with a tap."""
    code: str | None = None
    previous: NodeId | None = None
    """The screen this one was reached from, when neither is stored (self-check
    questions): the page sends it back with Back, so Back goes to the previous question."""
    """The hand-off code shown on this screen (`handoff` is set only the first time)."""

    @property
    def buttons(self) -> tuple[Button, ...]:
        return tuple(b for m in self.messages for b in m.buttons)
