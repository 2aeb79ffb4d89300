"""Turn an engine `Reply` into Telegram messages: plain text and an inline keyboard.

Buttons carry the versioned choice token as callback_data; `tel:` links are dropped,
because Telegram only opens http(s) and tg:// URLs (it makes numbers in text tappable).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from bot.channels.compiled import PerFlows
from bot.channels.text import PARAGRAPH, split_text
from bot.engine.choice_token import TELEGRAM_CALLBACK_LIMIT, encode_choice
from bot.engine.model import Flows
from bot.engine.reply import Button, Reply

MAX_TEXT = 4096
"""Telegram's limit for one message's text, in characters."""
URL_SCHEMES = ("https://", "http://", "tg://")


@dataclass(frozen=True, slots=True)
class Outgoing:
    text: str
    markup: str | None = None
    """The InlineKeyboardMarkup as JSON, or None for no keyboard."""


def find_footer_ids(flows: Flows) -> frozenset[str]:
    """Ids of the buttons under every screen (hotline, back, menu, exit): two per row."""
    return frozenset(option.id for option in flows.navigation.footer)


footer_ids = PerFlows(find_footer_ids)


def render_reply(reply: Reply, footer: frozenset[str]) -> list[Outgoing]:
    """The messages to send for `reply`, in order; notices go in front of the first."""
    out: list[Outgoing] = []
    for index, message in enumerate(reply.messages):
        text = message.text
        if index == 0 and reply.notices:
            text = PARAGRAPH.join((*reply.notices, text))
        markup = keyboard(reply.node or "", message.buttons, footer) if message.buttons else None
        pieces = split_text(text, MAX_TEXT)
        for number, piece in enumerate(pieces):
            out.append(Outgoing(piece, markup if number == len(pieces) - 1 else None))
    return out


@lru_cache(maxsize=4096)
def keyboard(node: str, buttons: tuple[Button, ...], footer: frozenset[str]) -> str | None:
    """The keyboard as JSON: content buttons one per row, then the footer two per row.

    Cached: flows and their translations are compiled once, so a node's keyboard in
    a language is the same every time it is shown.
    """
    rows: list[list[dict[str, str]]] = []
    pair: list[dict[str, str]] = []
    for button in buttons:
        rendered = inline_button(node, button)
        if rendered is None:
            continue
        if button.option_id in footer and button.url is None:
            pair.append(rendered)
            if len(pair) == 2:
                rows.append(pair)
                pair = []
        else:
            rows.append([rendered])
    if pair:
        rows.append(pair)
    if not rows:
        return None
    return json.dumps({"inline_keyboard": rows}, ensure_ascii=False, separators=(",", ":"))


def inline_button(node: str, button: Button) -> dict[str, str] | None:
    """The Telegram button, or None for one Telegram cannot show (tel:, a token too long)."""
    if button.url is not None:
        if button.url.lower().startswith(URL_SCHEMES):
            return {"text": button.label, "url": button.url}
        return None
    data = encode_choice(node, button.option_id)
    if len(data.encode()) > TELEGRAM_CALLBACK_LIMIT:
        return None
    return {"text": button.label, "callback_data": data}


COMMAND_NOTICES = (
    ("start", "command_start"),
    ("help", "command_help"),
    ("language", "command_language"),
    ("exit", "command_exit"),
    ("forget", "command_forget"),
)
"""Commands in Telegram's menu and the `navigation.notices` entry describing each."""
MAX_COMMAND_DESCRIPTION = 256


@dataclass(frozen=True, slots=True)
class CommandMenu:
    language: str
    telegram_code: str
    """Telegram's language_code (ISO 639-1, two letters); "" for the default menu."""
    commands: tuple[tuple[str, str], ...]


def command_menus(flows: Flows) -> list[CommandMenu]:
    """The command menu for the default and each language Telegram can tell apart.

    Telegram knows two-letter codes only: sr-Latn and sr-Cyrl share "sr", and the
    first language in languages.yaml wins. Raises ValueError naming a missing notice.
    """
    nav = flows.navigation
    missing = [notice for _, notice in COMMAND_NOTICES if notice not in nav.notices]
    if missing:
        raise ValueError(
            f"flows/navigation.yaml: notices needs {', '.join(missing)} — the descriptions "
            'of the Telegram commands, e.g. command_help: "Main menu"'
        )
    menus: list[CommandMenu] = []
    seen: set[str] = set()
    for index, language in enumerate(flows.languages):
        texts = [flows.text(language.code, nav.notices[n]) for _, n in COMMAND_NOTICES]
        if index == 0:
            code = ""
        else:
            code = language.code.split("-")[0].lower()
            if len(code) != 2 or code in seen or all(t.fallback for t in texts):
                continue
        seen.add(code)
        commands = tuple(
            (name, text.value[:MAX_COMMAND_DESCRIPTION])
            for (name, _), text in zip(COMMAND_NOTICES, texts, strict=True)
        )
        menus.append(CommandMenu(language.code, code, commands))
    return menus
