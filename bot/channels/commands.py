"""The one table of typed commands, for every channel: `/menu`, `/back`, `/exit`…

What a person types is only compared with these names, never kept; anything else typed
is `Text()`. The web chat's page sends the same names as its actions.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.engine.events import Back, ChooseLanguage, Event, Exit, Forget, Menu, Start, Text
from bot.engine.payload import PAYLOAD

COMMANDS: Mapping[str, Event] = {
    "menu": Menu(),
    "help": Menu(),
    "back": Back(),
    "language": ChooseLanguage(),
    "exit": Exit(),
    "forget": Forget(),
}
"""Commands besides /start, by name; `help` is Telegram's customary name for the menu."""


def command_event(text: str, device_language: str | None = None) -> Event:
    """The event for a typed message: a known command, else Text() (the content is dropped).

    `/start PAYLOAD` starts there when the payload is a valid deep link; `/name@bot` is
    the command of a bot mention; `device_language` is what the phone says, for /start.
    """
    text = text.strip()
    if not text.startswith("/"):
        return Text()
    head, _, rest = text.partition(" ")
    name = head[1:].partition("@")[0].lower()
    if name == "start":
        payload = rest.strip()
        return Start(payload if PAYLOAD.fullmatch(payload) else None, device_language)
    return COMMANDS.get(name, Text())
