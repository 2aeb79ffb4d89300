"""The web chat page drawn on the server: one screen of forms, so it works without JavaScript.

chat.js draws the same markup from the JSON reply; both keep numbers whole and left-to-right.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib import resources

from bot.engine.model import Flows, MsgKey, NodeId
from bot.engine.reply import Button, Reply

STATIC = resources.files("bot.channels.webchat") / "static"
NAV_BUTTONS = frozenset({"hotline", "back", "menu", "exit"})
NUMBER = re.compile("\u2066[^\u2069]*\u2069|\\+?\\d[\\d \u00a0]{4,}\\d")
# A neutral mark, inline so the page makes no favicon request (and no 404 in a log).
FAVICON = (
    "data:image/svg+xml;base64,"
    + base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
        b'<circle cx="8" cy="8" r="7" fill="#1f5f8b"/></svg>'
    ).decode()
)
LABEL_KEYS = {
    "exit": "navigation.footer.exit",
    "input": "navigation.notice.input_label",
    "send": "navigation.notice.web_send",
    "offline": "navigation.notice.web_offline",
    "retry": "navigation.notice.web_retry",
    "copy": "navigation.notice.web_copy",
    "copied": "navigation.notice.web_copied",
    "larger": "navigation.notice.web_larger",
    "smaller": "navigation.notice.web_smaller",
}


@dataclass(frozen=True)
class Hotline:
    shown: str
    tel: str


def page_labels(flows: Flows, language: str) -> dict[str, str]:
    """The page's own words in `language` (a missing key gives an empty label)."""
    return {
        name: flows.text(language, MsgKey(key)).value if MsgKey(key) in flows.source_texts else ""
        for name, key in LABEL_KEYS.items()
    }


def hotline(flows: Flows) -> Hotline:
    """The hotline's number, from the first `tel:` button of the hotline screen."""
    for option in flows.node(flows.navigation.hotline).options:
        if option.url and option.url.startswith("tel:"):
            tel = option.url.removeprefix("tel:")
            for contact in flows.contacts.values():
                if re.sub(r"[^\d+]", "", contact.value) == tel:
                    return Hotline(contact.value, tel)
            return Hotline(tel, tel)
    return Hotline("", "")


def rich_text(text: str, code: str | None = None) -> str:
    """Paragraphs of a message as HTML; numbers whole, the hand-off code on its own line."""
    parts: list[str] = []
    for paragraph in text.split("\n\n"):
        html, at = [], 0
        for match in NUMBER.finditer(paragraph):
            html.append(escape(paragraph[at : match.start()]))
            number = match.group(0).strip("\u2066\u2069").replace(" ", "\u00a0")
            html.append(f'<bdi class="num">{escape(number)}</bdi>')
            at = match.end()
        html.append(escape(paragraph[at:]))
        parts.append(f"<p>{''.join(html)}</p>")
        if code and code in paragraph:
            parts.append(code_block(code))
    return "".join(parts)


def code_block(code: str) -> str:
    return f'<div class="code"><bdi class="num">{escape(code)}</bdi></div>'


def screen_html(reply: Reply, *, notices: tuple[str, ...] = (), ended: bool = False) -> str:
    """One screen: its notices, messages and button forms posting to /chat."""
    out = [
        f'<section class="screen" data-node="{escape(reply.node or "")}" '
        f'data-screen="{reply.screen}">'
    ]
    out.extend(f'<p class="notice">{escape(n)}</p>' for n in (*notices, *reply.notices))
    for index, message in enumerate(reply.messages):
        focus = ' tabindex="-1"' if index == 0 else ""
        out.append(f'<div class="msg"{focus}>{rich_text(message.text, reply.code)}</div>')
        if message.buttons:
            out.append(_buttons(reply, message.buttons, ended))
    out.append("</section>")
    return "".join(out)


def _buttons(reply: Reply, buttons: tuple[Button, ...], ended: bool) -> str:
    # After Forget any button starts again, in the same language.
    action = "start" if ended else "choose"
    out = [
        '<form class="buttons" method="post" action="/chat">',
        f'<input type="hidden" name="action" value="{action}">',
        f'<input type="hidden" name="node" value="{escape(reply.node or "")}">',
        f'<input type="hidden" name="screen" value="{reply.screen}">',
        f'<input type="hidden" name="language" value="{escape(reply.language)}">',
    ]
    if reply.previous:
        out.append(f'<input type="hidden" name="previous" value="{escape(reply.previous)}">')
    for button in buttons:
        nav = ' class="nav"' if button.option_id in NAV_BUTTONS else ""
        label = escape(button.label)
        option = escape(button.option_id, quote=True)
        if button.url:
            out.append(
                f'<a{nav} href="{escape(button.url, quote=True)}" rel="noreferrer" '
                f'data-option="{option}">{label}</a>'
            )
        else:
            out.append(
                f'<button{nav} type="submit" name="option" value="{option}" '
                f'data-option="{option}">{label}</button>'
            )
    out.append("</form>")
    return "".join(out)


@cache
def _template() -> str:
    return (STATIC / "chat.html").read_text(encoding="utf-8")


def page_html(
    flows: Flows,
    reply: Reply,
    *,
    exit_url: str,
    screen: str,
    resume: bool,
) -> str:
    """The whole page around `screen`, every label in the reply's language."""
    labels = page_labels(flows, reply.language)
    number = hotline(flows)
    values = {
        "lang": reply.language,
        "dir": reply.direction,
        "favicon": FAVICON,
        "exit_url": exit_url,
        "resume": "1" if resume else "0",
        "exit_label": labels["exit"],
        "input_label": labels["input"],
        "send_label": labels["send"],
        "offline": labels["offline"],
        "retry": labels["retry"],
        "copy": labels["copy"],
        "copied": labels["copied"],
        "larger": labels["larger"],
        "smaller": labels["smaller"],
        "hotline_tel": number.tel,
        "hotline_number": number.shown.replace(" ", "\u00a0"),
    }
    html = _template()
    for name, value in values.items():
        html = html.replace("{{" + name + "}}", escape(value, quote=True))
    return html.replace("{{screen}}", screen)


def is_ending(flows: Flows, node: NodeId | None) -> bool:
    """The screens after Forget: the session is gone, the next tap starts again."""
    return node == flows.navigation.forgotten
