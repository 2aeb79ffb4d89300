"""The one command table: the same typed commands on Telegram and Viber."""

from __future__ import annotations

import pytest

from bot.channels.commands import command_event
from bot.engine.events import Back, ChooseLanguage, Exit, Forget, Menu, Start, Text


@pytest.mark.parametrize(
    ("text", "event"),
    [
        ("/start", Start(None)),
        ("/start fa-reflection-poster1", Start("fa-reflection-poster1")),
        ("/start@putokaz_bot sr_Latn-rights", Start("sr_Latn-rights")),
        ("/start my secret words", Start(None)),
        ("/start " + "a" * 65, Start(None)),
        ("/START", Start(None)),
        ("/help", Menu()),
        ("/menu", Menu()),
        ("/back", Back()),
        ("  /Back  ", Back()),
        ("/help@putokaz_bot", Menu()),
        ("/language", ChooseLanguage()),
        ("/exit", Exit()),
        ("/forget", Forget()),
        ("/unknown", Text()),
        ("/", Text()),
        ("hello /start", Text()),
        ("my secret words zebra-42", Text()),
    ],
)
def test_every_channel_reads_commands_and_typed_text_alike(text: str, event: object) -> None:
    assert command_event(text) == event
