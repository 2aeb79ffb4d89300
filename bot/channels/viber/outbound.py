"""Turn an engine `Reply` into Viber send_message bodies: text within Viber's limits, keyboard last.

Reply buttons carry the versioned choice token; `tel:` links become reply buttons that
show the number, because Viber documents open-url only for web URLs.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from bot.channels.compiled import PerFlows
from bot.channels.text import PARAGRAPH, split_text
from bot.engine.choice_token import encode_choice
from bot.engine.model import LANGUAGE_OPTION_PREFIX, Action, Flows
from bot.engine.reply import Button, Reply
from bot.engine.texts import isolate

SENDER_NAME = "Putokaz"
"""Shown as the sender of every message (Viber allows 28 characters); says nothing of the topic."""

MAX_TEXT_CHARS = 7000
MAX_BODY_BYTES = 30 * 1024
ENVELOPE_BYTES = 1024
"""Room kept for receiver, sender and the other fields around the text and keyboard."""
MAX_BUTTON_TEXT = 250

KEYBOARD_BG = "#FFFFFF"
BUTTON_BG = "#DCE9F7"
FOOTER_BG = "#ECEFF1"
TEXT_COLOR = "#102A43"
"""Dark text on light buttons: readable in Viber's light and dark themes alike."""

KEYBOARD_LEVELS = {
    "CustomDefaultHeight": 3,
    "HeightScale": 3,
    "ButtonsGroupColumns": 4,
    "ButtonsGroupRows": 4,
    "InputFieldState": 4,
    "FavoritesMetadata": 6,
}
BUTTON_LEVELS = {
    "InternalBrowser": 3,
    "TextPaddings": 4,
    "BgMediaScaleType": 6,
    "ImageScaleType": 6,
    "TextShouldFit": 6,
    "Map": 6,
    "Frame": 6,
    "MediaPlayer": 6,
}
"""API levels of keyboard parameters above level 1 (Viber keyboard docs)."""

WEB_SCHEMES = ("https://", "http://")
PAIRED_ACTIONS = frozenset({Action.BACK, Action.MENU, Action.EXIT})
"""Footer buttons shown two to a row."""


def render_reply(reply: Reply, pair_ids: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """The send_message bodies (without receiver) for `reply`, in sending order.

    Notices go in front of the first message; the keyboard rides on the last body.
    """
    keyboard = build_keyboard(reply, pair_ids)
    bodies: list[dict[str, Any]] = []
    last = len(reply.messages) - 1
    for index, message in enumerate(reply.messages):
        text = message.text
        if index == 0 and reply.notices:
            text = PARAGRAPH.join((*reply.notices, text))
        bodies.extend(_bodies(text, keyboard if index == last else None))
    return bodies


def welcome_message(reply: Reply, pair_ids: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The one message Viber lets a bot answer `conversation_started` with.

    Every text of the screen goes in it; a screen over Viber's limit keeps its first piece.
    """
    text = PARAGRAPH.join((*reply.notices, *(m.text for m in reply.messages)))
    return _bodies(text, build_keyboard(reply, pair_ids))[0]


def build_keyboard(reply: Reply, pair_ids: frozenset[str] = frozenset()) -> dict[str, Any] | None:
    """The keyboard for the reply's buttons, or None when it has none."""
    buttons = reply.buttons
    if not buttons or reply.node is None:
        return None
    widths = _columns([_pairs(b, pair_ids) for b in buttons])
    rtl = reply.direction == "rtl"
    return {
        "Type": "keyboard",
        "DefaultHeight": False,
        "BgColor": KEYBOARD_BG,
        "Buttons": [
            _button(reply.node, b, width, _pairs(b, pair_ids), rtl)
            for b, width in zip(buttons, widths, strict=True)
        ],
    }


def api_level(keyboard: dict[str, Any] | None) -> int:
    """The min_api_version the keyboard's parameters need (1 when there is none)."""
    if keyboard is None:
        return 1
    levels = [KEYBOARD_LEVELS.get(key, 1) for key in keyboard]
    for button in keyboard["Buttons"]:
        levels.extend(BUTTON_LEVELS.get(key, 1) for key in button)
    return max(levels, default=1)


def button_text(label: str) -> str:
    """The HTML Viber shows on a button: escaped, coloured, within 250 characters."""
    opening, closing = f'<font color="{TEXT_COLOR}">', "</font>"
    room = MAX_BUTTON_TEXT - len(opening) - len(closing)
    shown = escape(label, quote=False)
    if len(shown) > room:
        while label and len(escape(label, quote=False)) >= room:
            label = label[:-1]
        shown = escape(label, quote=False) + "…"
    return f"{opening}{shown}{closing}"


def _bodies(text: str, keyboard: dict[str, Any] | None) -> list[dict[str, Any]]:
    keyboard_bytes = len(_encode(keyboard)) if keyboard is not None else 0
    budget = MAX_BODY_BYTES - ENVELOPE_BYTES - keyboard_bytes
    pieces = split_text(text, MAX_TEXT_CHARS, budget)
    bodies = [_body(piece, None) for piece in pieces[:-1]]
    bodies.append(_body(pieces[-1], keyboard))
    return bodies


def _body(text: str, keyboard: dict[str, Any] | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "min_api_version": api_level(keyboard),
        "sender": {"name": SENDER_NAME},
        "type": "text",
        "text": text,
    }
    if keyboard is not None:
        body["keyboard"] = keyboard
    return body


def _button(node: str, button: Button, columns: int, footer: bool, rtl: bool) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "Columns": columns,
        "Rows": 1,
        "BgColor": FOOTER_BG if footer else BUTTON_BG,
        "TextSize": "regular",
        "TextVAlign": "middle",
        "TextHAlign": "center",
        # Without Silent, Viber writes each tap into the chat as the person's own message:
        # their answers (self-check "yes") would stay on the phone for anyone to read.
        "Silent": True,
    }
    url = button.url
    if url is not None and url.startswith(WEB_SCHEMES):
        # Viber still posts the URL back as a message; the channel ignores that echo.
        action = {"ActionType": "open-url", "ActionBody": url}
        return shape | action | {"Text": button_text(button.label)}
    label = button.label
    if url is not None:
        number = url.split(":", 1)[-1]
        label = f"{label} · {isolate(number) if rtl else number}"
    action = {"ActionType": "reply", "ActionBody": encode_choice(node, button.option_id)}
    return shape | action | {"Text": button_text(label)}


def _pairs(button: Button, pair_ids: frozenset[str]) -> bool:
    """Short buttons (back, menu, exit, a language) sit two to a row."""
    return button.url is None and (
        button.option_id in pair_ids or button.option_id.startswith(LANGUAGE_OPTION_PREFIX)
    )


def _columns(pairable: list[bool]) -> list[int]:
    """6 columns each, except runs of short buttons, paired at 3; an odd last one gets 6."""
    widths = [6] * len(pairable)
    run: list[int] = []
    for index, short in enumerate([*pairable, False]):
        if short:
            run.append(index)
            continue
        for position in range(0, len(run) - 1, 2):
            widths[run[position]] = widths[run[position + 1]] = 3
        run = []
    return widths


def _encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def find_paired_ids(flows: Flows) -> frozenset[str]:
    """Ids of the footer buttons shown two to a row (back, menu, exit)."""
    return frozenset(o.id for o in flows.navigation.footer if o.action in PAIRED_ACTIONS)


paired_ids = PerFlows(find_paired_ids)
