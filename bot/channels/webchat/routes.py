"""The web chat channel: the page at `/` and its JSON endpoint `/api/chat`.

The session key is the HMAC of a random cookie; typed text never leaves the page.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Sequence
from html import escape
from importlib import resources
from typing import Any

from aiohttp import web

from bot.channels.base import Turn
from bot.channels.body import read_limited
from bot.engine.events import Back, Choose, ChooseLanguage, Event, Exit, Forget, Menu, Start, Text
from bot.engine.model import SOURCE_LANGUAGE, Flows, MsgKey
from bot.engine.reply import Effect, Reply
from bot.engine.session import Session
from bot.web.keys import CONFIG, CONVERSATIONS

CHANNEL = "webchat"
COOKIE = "putokaz_chat"
MAX_CHAT_BODY = 4096
STATIC = resources.files("bot.channels.webchat") / "static"


INPUT_LABEL = MsgKey("navigation.notice.input_label")
"""Optional notice naming the text box; without it the box has no label text."""
COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{43}")


class BadRequest(Exception):
    """The request cannot be understood; the message says how to send it."""


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", page)
    app.router.add_post("/api/chat", chat)
    app.router.add_get("/static/{name}", static_file)


def _page_template() -> str:
    return (STATIC / "chat.html").read_text(encoding="utf-8")


async def page(request: web.Request) -> web.Response:
    flows = request.app[CONVERSATIONS].flows
    exit_label = flows.text(SOURCE_LANGUAGE, MsgKey("navigation.footer.exit")).value
    html = (
        _page_template()
        .replace("{{exit_label}}", escape(exit_label))
        .replace("{{input_label}}", escape(input_label(flows, SOURCE_LANGUAGE)))
        .replace("{{exit_url}}", escape(request.app[CONFIG].exit_url, quote=True))
    )
    return web.Response(
        text=html,
        content_type="text/html",
        headers={
            "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
            "style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'self'",
        },
    )


async def static_file(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    types = {"chat.js": "application/javascript", "chat.css": "text/css"}
    if name not in types:
        raise web.HTTPNotFound()
    body = (STATIC / name).read_text(encoding="utf-8")
    return web.Response(text=body, content_type=types[name], headers={"Cache-Control": "no-cache"})


def parse_event(data: Any, device_languages: str | None = None) -> Event:
    """Turn the page's JSON into an engine event; free text content is dropped here."""
    if not isinstance(data, dict):
        raise BadRequest('send a JSON object like {"action": "start"}')
    action = data.get("action")
    if action == "start":
        payload = data.get("payload")
        return Start(payload if isinstance(payload, str) else None, device_languages)
    if action == "choose":
        option, node = data.get("option"), data.get("node")
        if not isinstance(option, str) or not option:
            raise BadRequest('"choose" needs "option": the id of the button')
        return Choose(option[:32], node if isinstance(node, str) else None)
    simple: dict[str, Event] = {
        "text": Text(),
        "back": Back(),
        "menu": Menu(),
        "exit": Exit(),
        "forget": Forget(),
        "language": ChooseLanguage(),
    }
    if action in simple:
        return simple[action]
    raise BadRequest(
        f"unknown action {str(action)[:20]!r} — use start, choose, text, back, menu, "
        "language, exit or forget"
    )


def input_label(flows: Flows, language: str) -> str:
    if INPUT_LABEL not in flows.source_texts:
        return ""
    return flows.text(language, INPUT_LABEL).value


def reply_json(reply: Reply, exit_url: str, input_label: str = "") -> dict[str, Any]:
    """The reply as the page draws it; `input_label` names the text box in the same language."""
    body: dict[str, Any] = {
        "node": reply.node,
        "input_label": input_label,
        "language": reply.language,
        "direction": reply.direction,
        "notices": list(reply.notices),
        "effects": [e.value for e in reply.effects],
        "messages": [
            {
                "text": m.text,
                "buttons": [{"id": b.option_id, "label": b.label, "url": b.url} for b in m.buttons],
            }
            for m in reply.messages
        ],
    }
    if Effect.QUICK_EXIT in reply.effects:
        body["exit_url"] = exit_url
    return body


async def chat(request: web.Request) -> web.Response:
    raw = await read_limited(request, MAX_CHAT_BODY)
    if raw is None:
        return _error(413, f"the request is over {MAX_CHAT_BODY} bytes")
    try:
        event = parse_event(json.loads(raw or b"null"), request.headers.get("Accept-Language"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(400, 'the body is not JSON — send {"action": "start"}')
    except BadRequest as error:
        return _error(400, str(error))
    cookie = request.cookies.get(COOKIE, "")
    fresh = COOKIE_VALUE.fullmatch(cookie) is None
    if fresh:
        cookie = secrets.token_urlsafe(32)
    conversations = request.app[CONVERSATIONS]
    result = await conversations.run(CHANNEL, Turn(cookie, event), PAGE)
    if result.reply is None:  # a turn without a delivery id is always answered
        raise RuntimeError(f"the web chat turn ended {result.outcome} without a reply")
    response = web.json_response(
        reply_json(
            result.reply,
            request.app[CONFIG].exit_url,
            input_label(conversations.flows, result.reply.language),
        ),
        headers={"Cache-Control": "no-store"},
    )
    if result.ended:
        response.del_cookie(COOKIE, path="/")
    elif fresh:
        response.set_cookie(COOKIE, cookie, path="/", httponly=True, samesite="Strict")
    return response


class PageOutbox:
    """The web chat's reply is the response body the route builds from the result."""

    async def deliver(self, reply: Reply, before: Session | None, now: float) -> Sequence[int]:
        return ()


PAGE = PageOutbox()


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)
