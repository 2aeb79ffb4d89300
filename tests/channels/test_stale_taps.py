"""Telegram and Viber buttons name the screen they were on, as the web chat's do: a tap on
an older message (or the second tap of a double tap) shows the current screen again."""

from __future__ import annotations

import json

from bot.channels.base import Turn
from bot.channels.telegram.inbound import read_update
from bot.channels.telegram.outbound import render_reply as telegram_reply
from bot.channels.viber.inbound import message_event
from bot.channels.viber.outbound import build_keyboard
from bot.engine import Flows, StepContext, step
from bot.engine.events import Choose, Start
from bot.engine.reply import Reply

NOW = 1_800_000_000.0


def telegram_tap(reply: Reply, option: str) -> Choose:
    for call in telegram_reply(reply, frozenset()):
        markup = json.loads(call.markup or "{}")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if button.get("callback_data", "").endswith(f"|{option}"):
                    update = {
                        "update_id": 1,
                        "callback_query": {
                            "id": "9",
                            "from": {"id": 5, "is_bot": False, "first_name": "x"},
                            "data": button["callback_data"],
                            "message": {
                                "message_id": 3,
                                "date": 0,
                                "chat": {"id": 5, "type": "private"},
                            },
                        },
                    }
                    inbound = read_update(update).inbound
                    assert isinstance(inbound, Turn)
                    assert isinstance(inbound.event, Choose)
                    return inbound.event
    raise AssertionError(f"no Telegram button {option}")


def viber_tap(reply: Reply, option: str, flows: Flows) -> Choose:
    keyboard = build_keyboard(reply)
    assert keyboard is not None
    for button in keyboard["Buttons"]:
        if button.get("ActionBody", "").endswith(f"|{option}"):
            event = message_event({"type": "text", "text": button["ActionBody"]}, flows)
            assert isinstance(event, Choose)
            return event
    raise AssertionError(f"no Viber button {option}")


def test_an_older_button_shows_the_current_screen_on_telegram_and_viber(flows: Flows) -> None:
    context = StepContext(NOW, "K7F3")
    session, menu = step(flows, None, Start("en"), context)
    for tap in (telegram_tap(menu, "rights"), viber_tap(menu, "rights", flows)):
        moved, rights = step(flows, session, tap, context)
        assert rights.node == "rights.start"
        _, again = step(flows, moved, tap, context)  # the same button, tapped again later
        assert again.node == "rights.start", "the old menu button does not move on"
        _, other = step(flows, moved, telegram_tap(menu, "reflection"), context)
        assert other.node == "rights.start"
