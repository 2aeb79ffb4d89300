"""Rendering replies as Viber messages: every screen within Viber's documented limits."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.channels.text import split_text
from bot.channels.viber.outbound import (
    MAX_BODY_BYTES,
    MAX_BUTTON_TEXT,
    MAX_TEXT_CHARS,
    api_level,
    build_keyboard,
    button_text,
    find_paired_ids,
    render_reply,
    welcome_message,
)
from bot.engine import Flows, render
from bot.engine.choice_token import decode_choice
from bot.engine.model import NodeId
from bot.engine.reply import Button, Message, Reply
from tests.fakes.viber_api import Status, keyboard_api_level, send_status

RECEIVER = "01234567890A=planted"


def reply(*buttons: Button, texts: tuple[str, ...] = ("Hello",), direction: str = "ltr") -> Reply:
    messages = [Message(t) for t in texts]
    messages[-1] = replace(messages[-1], buttons=buttons)
    return Reply(NodeId("rights.start"), "en", direction, tuple(messages))


def size(body: dict[str, object]) -> int:
    return len(json.dumps({"receiver": RECEIVER, **body}, ensure_ascii=False).encode())


def test_every_screen_in_every_language_is_a_message_viber_accepts(
    flows: Flows, languages: list[str]
) -> None:
    pairs = find_paired_ids(flows)
    for language in languages:
        for node in flows.nodes:
            shown = render(flows, node, language)
            bodies = [*render_reply(shown, pairs), welcome_message(shown, pairs)]
            for body in bodies:
                where = f"{node} [{language}]"
                assert send_status({"receiver": RECEIVER, **body}) == Status.OK, where
                assert keyboard_api_level(body.get("keyboard", {})) <= body["min_api_version"]
                assert size(body) <= MAX_BODY_BYTES, where


def test_buttons_carry_the_choice_token_of_their_node(flows: Flows) -> None:
    shown = render(flows, NodeId("welcome.menu"), "en")
    keyboard = render_reply(shown, find_paired_ids(flows))[-1]["keyboard"]

    tokens = [decode_choice(b["ActionBody"]) for b in keyboard["Buttons"]]

    assert keyboard["Type"] == "keyboard"
    assert [t.option_id for t in tokens if t] == [b.option_id for b in shown.buttons]
    assert {t.node for t in tokens if t} == {"welcome.menu"}
    assert {b["ActionType"] for b in keyboard["Buttons"]} == {"reply"}
    assert all(b["Silent"] is True for b in keyboard["Buttons"])


def test_back_and_menu_pair_up_and_a_lone_short_button_takes_the_row(flows: Flows) -> None:
    pairs = find_paired_ids(flows)
    witness = build_keyboard(render(flows, NodeId("rights.witness"), "en"), pairs)
    menu = build_keyboard(render(flows, NodeId("welcome.menu"), "en"), pairs)
    assert witness is not None
    assert menu is not None

    by_id = {decode_choice(b["ActionBody"]).option_id: b["Columns"] for b in witness["Buttons"]}  # type: ignore[union-attr]
    assert by_id == {"next": 6, "all": 6, "hotline": 6, "back": 3, "menu": 3, "exit": 6}
    assert [b["Columns"] for b in menu["Buttons"]][-2:] == [3, 3]  # back and exit


def test_language_buttons_sit_two_to_a_row() -> None:
    languages = [Button(f"@{code}", code) for code in ("en", "fa", "ar")]
    keyboard = build_keyboard(reply(*languages, Button("hotline", "Talk")), frozenset())
    assert keyboard is not None
    assert [b["Columns"] for b in keyboard["Buttons"]] == [3, 3, 6, 6]


def test_button_label_is_escaped_for_vibers_html_and_kept_within_250() -> None:
    shown = button_text("<b>Fish & chips</b>")
    long = button_text("&" * 400)

    assert "&lt;b&gt;Fish &amp; chips&lt;/b&gt;" in shown
    assert shown.startswith("<font color=")
    assert shown.endswith("</font>")
    assert len(long) <= MAX_BUTTON_TEXT
    assert long.endswith("…</font>")
    assert "&amp;&amp;" in long
    assert "&a…" not in long


def test_tel_link_becomes_a_reply_button_showing_the_number() -> None:
    call = Button("call", "Call the hotline", "tel:+381616384071")

    ltr = build_keyboard(reply(call), frozenset())
    rtl = build_keyboard(reply(call, direction="rtl"), frozenset())
    assert ltr is not None
    assert rtl is not None

    button = ltr["Buttons"][0]
    assert button["ActionType"] == "reply"
    assert decode_choice(button["ActionBody"]).option_id == "call"  # type: ignore[union-attr]
    assert "Call the hotline · +381616384071" in button["Text"]
    assert "\u2066+381616384071\u2069" in rtl["Buttons"][0]["Text"]


def test_web_link_is_a_silent_open_url_button() -> None:
    keyboard = build_keyboard(reply(Button("site", "Website", "https://example.org/help")))
    assert keyboard is not None
    button = keyboard["Buttons"][0]
    assert button["ActionType"] == "open-url"
    assert button["ActionBody"] == "https://example.org/help"
    assert button["Silent"] is True
    assert api_level(keyboard) == 1


def test_notices_go_in_front_of_the_first_message_only() -> None:
    shown = replace(reply(texts=("One", "Two")), notices=("Please tap a button.",))
    bodies = render_reply(shown)
    assert [b["text"] for b in bodies] == ["Please tap a button.\n\nOne", "Two"]


def test_keyboard_rides_on_the_last_message_and_none_without_buttons(flows: Flows) -> None:
    exited = render_reply(render(flows, NodeId("safety.exited"), "en"))
    two = render_reply(reply(Button("next", "Next"), texts=("One", "Two")))

    assert ["keyboard" in body for body in exited] == [False]
    assert ["keyboard" in body for body in two] == [False, True]
    assert exited[0]["min_api_version"] == 1


def test_long_text_is_split_at_paragraphs_within_vibers_limits() -> None:
    paragraph = "word " * 199 + "end."
    text = "\n\n".join([paragraph] * 9)
    bodies = render_reply(reply(Button("next", "Next"), texts=(text,)))

    assert len(bodies) == 2
    assert all(len(b["text"]) <= MAX_TEXT_CHARS for b in bodies)
    assert bodies[0]["text"].endswith("end.")
    assert "keyboard" not in bodies[0]
    assert "keyboard" in bodies[1]
    assert "\n\n".join(b["text"] for b in bodies) == text


def test_four_byte_characters_are_split_by_bytes_too() -> None:
    text = "🙂" * 6000
    buttons = [Button(f"o{n}", "ж" * 200) for n in range(12)]
    bodies = render_reply(reply(*buttons, texts=(text,)))

    assert len(bodies) > 1
    assert all(size(b) <= MAX_BODY_BYTES for b in bodies)
    assert "".join(b["text"] for b in bodies) == text


@pytest.mark.parametrize("text", ["", "a", "short text", "x" * MAX_TEXT_CHARS])
def test_text_within_the_limits_is_left_exactly_as_it_is(text: str) -> None:
    assert split_text(text, MAX_TEXT_CHARS, MAX_BODY_BYTES) == [text]


def test_welcome_is_one_message_with_every_text_and_the_keyboard() -> None:
    shown = replace(reply(Button("next", "Next"), texts=("One", "Two")), notices=("Note",))
    welcome = welcome_message(shown)
    assert welcome["text"] == "Note\n\nOne\n\nTwo"
    assert "receiver" not in welcome
    assert welcome["keyboard"]["Buttons"][0]["Columns"] == 6
