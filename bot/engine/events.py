"""What a person can do, as seen by the engine.

Free text is never passed in: `Text()` only says that some text arrived.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Start:
    """Open the conversation; `payload` is a deep-link payload such as `fa-reflection`.

    `suggested` is a language the device prefers: the first screen is shown in it
    (with every language to choose from) when nothing better is known.
    """

    payload: str | None = None
    suggested: str | None = None


@dataclass(frozen=True)
class Choose:
    """A tap on a button; the id may be stale or forged.

    `node` is the node whose message carried the button and `screen` the number of
    the screen it was on, when the channel knows them: a tap on a screen that is no
    longer the current one (a double tap, an older message, another tab) is stale.
    """

    option_id: str
    node: str | None = None
    screen: int | None = None
    previous: str | None = None
    """For Back on a screen that is never stored (a self-check question): the screen
    before it, which the page remembers; used only when it really leads here."""


@dataclass(frozen=True)
class Text:
    """The person typed something instead of tapping; its content is not kept."""


@dataclass(frozen=True)
class Back:
    pass


@dataclass(frozen=True)
class Menu:
    pass


@dataclass(frozen=True)
class Exit:
    """Quick exit: clear what can be cleared and show one neutral message."""


@dataclass(frozen=True)
class Forget:
    """Delete the session now."""


@dataclass(frozen=True)
class ChooseLanguage:
    """Switch language (from a `/language` command or a language button)."""

    code: str | None = None


Event = Start | Choose | Text | Back | Menu | Exit | Forget | ChooseLanguage
