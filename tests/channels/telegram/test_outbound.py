"""Replies as Telegram messages: keyboard layout, button kinds, text limits, command menus."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from bot.channels.telegram.outbound import (
    COMMAND_NOTICES,
    MAX_TEXT,
    command_menus,
    footer_ids,
    keyboard,
    render_reply,
)
from bot.channels.text import split_text
from bot.engine import Flows, render
from bot.engine.choice_token import TELEGRAM_CALLBACK_LIMIT, decode_choice
from bot.engine.model import NodeId
from bot.engine.reply import Button, Message, Reply


def rows(markup: str | None) -> list[list[dict[str, str]]]:
    assert markup is not None
    return json.loads(markup)["inline_keyboard"]


def test_content_buttons_one_per_row_and_the_footer_two_per_row(flows: Flows) -> None:
    reply = render(flows, NodeId("reflection.start"), "en")
    [message] = render_reply(reply, footer_ids(flows))

    layout = [
        [decode_choice(b["callback_data"]).option_id for b in row] for row in rows(message.markup)
    ]  # type: ignore[union-attr]
    assert layout == [
        ["how_long"],
        ["decide"],
        ["help"],
        ["expel"],
        ["citizens"],
        ["hotline", "back"],
        ["menu", "exit"],
    ]


def test_callback_data_is_the_versioned_choice_token_of_the_shown_node(flows: Flows) -> None:
    reply = render(flows, NodeId("welcome.menu"), "en")
    [message] = render_reply(reply, footer_ids(flows))

    for row in rows(message.markup):
        for button in row:
            token = decode_choice(button["callback_data"])
            assert token is not None
            assert token.node == "welcome.menu"
            assert len(button["callback_data"].encode()) <= TELEGRAM_CALLBACK_LIMIT


def test_tel_links_are_dropped_and_web_links_kept(flows: Flows) -> None:
    buttons = (
        Button("call", "Call now", "tel:+381616384071"),
        Button("site", "Website", "https://atina.org.rs"),
        Button("bot", "Other bot", "tg://resolve?domain=example"),
        Button("mail", "Mail", "mailto:x@example.org"),
        Button("next", "Next"),
    )
    shown = rows(keyboard("hotline.start", buttons, frozenset()))

    assert shown == [
        [{"text": "Website", "url": "https://atina.org.rs"}],
        [{"text": "Other bot", "url": "tg://resolve?domain=example"}],
        [{"text": "Next", "callback_data": "1|hotline.start|next"}],
    ]


def test_every_dropped_phone_button_has_its_number_in_the_text_or_the_hotline_button(
    flows: Flows,
) -> None:
    """Telegram shows no tel: button; the number must be tappable in the text, or the
    hotline screen (which shows it) one tap away."""
    for node_id in flows.nodes:
        reply = render(flows, node_id, "en")
        text = re.sub(r"\D", "", " ".join(m.text for m in reply.messages))
        ids = {b.option_id for b in reply.buttons}
        for button in reply.buttons:
            if button.url and button.url.startswith("tel:"):
                number = re.sub(r"\D", "", button.url)
                assert number in text or "hotline" in ids, (node_id, button.option_id)


def test_notices_come_first_in_plain_text(flows: Flows) -> None:
    reply = replace(render(flows, NodeId("procedure.start"), "en"), notices=("Notice one.", "Two."))
    [message] = render_reply(reply, footer_ids(flows))

    assert message.text.startswith("Notice one.\n\nTwo.\n\n")
    assert message.text.endswith(reply.messages[0].text)


def test_several_messages_carry_their_own_buttons(flows: Flows) -> None:
    reply = Reply(
        node=NodeId("welcome.menu"),
        language="en",
        direction="ltr",
        messages=(Message("First."), Message("Second.", (Button("rights", "Your rights"),))),
    )
    first, second = render_reply(reply, footer_ids(flows))

    assert (first.text, first.markup) == ("First.", None)
    assert rows(second.markup) == [
        [{"text": "Your rights", "callback_data": "1|welcome.menu|rights"}]
    ]


def test_a_text_over_telegrams_limit_is_cut_at_paragraphs() -> None:
    paragraphs = ["word " * 300] * 10
    text = "\n\n".join(p.strip() for p in paragraphs)
    pieces = split_text(text, MAX_TEXT)

    assert len(pieces) > 1
    assert all(len(piece) <= MAX_TEXT for piece in pieces)
    assert "\n\n".join(pieces) == text
    assert split_text("x" * (MAX_TEXT * 2 + 5), MAX_TEXT) == [
        "x" * MAX_TEXT,
        "x" * MAX_TEXT,
        "x" * 5,
    ]


def test_the_keyboard_of_a_long_text_rides_on_its_last_piece(flows: Flows) -> None:
    button = Button("rights", "Your rights")
    reply = Reply(NodeId("welcome.menu"), "en", "ltr", (Message("y" * (MAX_TEXT + 10), (button,)),))
    first, last = render_reply(reply, footer_ids(flows))
    assert first.markup is None
    assert last.markup is not None


def test_command_menus_come_from_the_flows_in_every_language_telegram_knows(
    flows: Flows,
) -> None:
    menus = command_menus(flows)

    assert (menus[0].telegram_code, menus[0].language) == ("", "en")
    codes = [menu.telegram_code for menu in menus]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z]{2}", code) for code in codes[1:])
    for menu in menus:
        assert [name for name, _ in menu.commands] == [
            "start",
            "help",
            "language",
            "exit",
            "forget",
        ]
        for (_, notice), (_, text) in zip(COMMAND_NOTICES, menu.commands, strict=True):
            assert text == flows.text(menu.language, flows.navigation.notices[notice]).value
            assert 1 <= len(text) <= 256


def test_a_missing_command_description_names_the_notice_to_add(flows: Flows) -> None:
    notices = {k: v for k, v in flows.navigation.notices.items() if k != "command_exit"}
    broken = replace(flows, navigation=replace(flows.navigation, notices=notices))
    with pytest.raises(ValueError, match=r"flows/navigation\.yaml: notices needs command_exit"):
        command_menus(broken)
