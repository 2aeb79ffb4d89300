"""The web chat channel: the page at `/`, its forms (`POST /chat`) and JSON (`POST /api/chat`).

The session key is the HMAC of a random cookie; typed text never leaves the page. Every
screen is drawn on the server, so the chat works without JavaScript; chat.js then
answers taps in place.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
from aiohttp import web

from bot.channels.base import Turn
from bot.channels.body import BodyRefused, read_body, read_json
from bot.channels.commands import COMMANDS
from bot.channels.webchat.page import (
    STATIC,
    is_ending,
    page_html,
    page_labels,
    screen_html,
)
from bot.channels.webchat.schema import InvalidRequest, body_error, check_request
from bot.config import Config
from bot.engine.events import Choose, Event, Start, Text
from bot.engine.model import SOURCE_LANGUAGE, Flows, MsgKey, NodeId
from bot.engine.reply import NO_CODE, Effect, Reply
from bot.engine.session import Session
from bot.engine.step import draft_notice, public_node, render
from bot.i18n.suggest import suggest_language
from bot.logs import log_event
from bot.service.conversations import Conversations
from bot.service.web_links import WebLinks

CHANNEL = "webchat"
COOKIE = "putokaz_chat"
VIEW_COOKIE = "putokaz_view"
"""One-shot: what the page after a form post shows (an answer is never stored as the node)."""
MAX_CHAT_BODY = 4096

INPUT_LABEL = MsgKey("navigation.notice.input_label")
"""Optional notice naming the text box; without it the box has no label text."""
COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{43}")
NODE = r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*"
VIEW_VALUE = re.compile(rf"^({NODE})~([A-Za-z-]{{2,12}})~([a-z]{{0,4}})~({NODE})?$")
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'self'",
}


class BadRequest(Exception):
    """The request cannot be understood; the message says how to send it."""


@dataclass(frozen=True)
class View:
    node: str
    language: str
    typed: bool = False
    draft: bool = False
    """The screen carried the draft-language notice (shown once, so kept through the redirect)."""
    previous: str | None = None
    """Where Back on a self-check question leads (the page remembers it, the session not)."""

    def cookie(self) -> str:
        flags = ("t" if self.typed else "") + ("d" if self.draft else "")
        return f"{self.node}~{self.language}~{flags}~{self.previous or ''}"

    @classmethod
    def parse(cls, raw: str | None) -> View | None:
        match = VIEW_VALUE.match(raw or "")
        if match is None:
            return None
        flags = match.group(3)
        return cls(match.group(1), match.group(2), "t" in flags, "d" in flags, match.group(4))


@dataclass(frozen=True)
class Site:
    """What the web chat's handlers use: the service, the settings, the short links."""

    conversations: Conversations
    config: Config
    links: WebLinks


class WebChatRoutes:
    """The page, its forms, `/api/chat` and the static files, bound to one `Site`."""

    def __init__(self, conversations: Conversations, config: Config) -> None:
        self.site = Site(conversations, config, WebLinks(config.data_dir))

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/", self.page),
            web.post("/chat", self.form_post),
            web.post("/api/chat", self.chat),
            web.get("/static/{name}", static_file),
        ]

    @contextlib.asynccontextmanager
    async def running(self, http: aiohttp.ClientSession) -> AsyncIterator[None]:
        """Nothing to open: every reply is a response."""
        yield

    async def page(self, request: web.Request) -> web.StreamResponse:
        return await page(self.site, request)

    async def form_post(self, request: web.Request) -> web.StreamResponse:
        return await form_post(self.site, request)

    async def chat(self, request: web.Request) -> web.Response:
        return await chat(self.site, request)


async def static_file(request: web.Request) -> web.Response:
    """chat.js and chat.css, from the package."""
    name = request.match_info["name"]
    types = {"chat.js": "application/javascript", "chat.css": "text/css"}
    if name not in types:
        raise web.HTTPNotFound()
    body = (STATIC / name).read_text(encoding="utf-8")
    response = web.Response(
        text=body, content_type=types[name], headers={"Cache-Control": "no-cache"}
    )
    response.enable_compression()  # prepaid data: a third of the bytes
    return response


def _cookie(request: web.Request) -> str | None:
    cookie = request.cookies.get(COOKIE)
    return cookie if cookie is not None and COOKIE_VALUE.fullmatch(cookie) else None


def _idle(site: Site) -> float:
    return float(site.config.web_idle)


async def page(site: Site, request: web.Request) -> web.StreamResponse:
    """The current screen, drawn on the server; `?s=` codes and old `?start=` links redirect."""
    if request.query_string:
        return await _from_link(site, request)
    conversations = site.conversations
    flows = conversations.flows
    cookie = _cookie(request)
    view = View.parse(request.cookies.get(VIEW_COOKIE))
    session = await conversations.peek(CHANNEL, cookie, _idle(site)) if cookie else None
    notices: tuple[str, ...] = ()
    ended = False
    previous: str | None = None
    if view is not None and is_ending(flows, NodeId(view.node)) and flows.language(view.language):
        reply, ended = render(flows, NodeId(view.node), view.language), True
    elif session is not None and session.node is not None and session.node in flows.nodes:
        node = session.node
        if view is not None and view.node in flows.nodes:
            shown = NodeId(view.node)
            # An answer is stored as its topic's start: show the answer the tap led to.
            if public_node(flows, shown) == node:
                node, previous = shown, view.previous
            if view.typed:
                key = flows.navigation.notices["free_text"]
                notices = (flows.text(session.language or SOURCE_LANGUAGE, key).value,)
            draft = draft_notice(flows, session.language) if view.draft else None
            if draft is not None:
                notices = (draft, *notices)
        reply = render(flows, node, session.language, session.handoff_code or NO_CODE)
        back_to = NodeId(previous) if previous else None
        reply = replace(reply, screen=session.screen, previous=back_to)
    else:
        language = suggest_language(request.headers.get("Accept-Language"), flows.languages)
        reply = render(flows, flows.navigation.start, language)
    # A page drawn from an existing session in a new tab is replaced by the neutral first
    # screen (chat.js); after a tap or a link in this tab (the view cookie) it is not.
    resume = session is not None and view is None
    html = page_html(
        flows,
        reply,
        exit_url=site.config.exit_url,
        screen=screen_html(reply, notices=notices, ended=ended),
        resume=resume,
    )
    response = web.Response(text=html, content_type="text/html", headers=PAGE_HEADERS)
    response.enable_compression()
    if view is not None:
        response.del_cookie(VIEW_COOKIE, path="/")
    return response


async def _from_link(site: Site, request: web.Request) -> web.StreamResponse:
    """`/?s=K7QX` (and the old `/?start=fa-reflection`): start there, then show `/`."""
    query = request.query
    payload: str | None = None
    link = site.links.find(query.get("s"))
    if link is not None:
        payload = link.payload
    elif "start" in query:
        payload = query.get("start") or None
    response = web.Response(status=303, headers={"Location": "/", **PAGE_HEADERS})
    if link is None and "start" not in query:
        return response  # anything else (an old `?t=` of typed text) is dropped
    cookie = _cookie(request) or secrets.token_urlsafe(32)
    event = Start(payload, request.headers.get("Accept-Language"))
    answer = await _run(site, cookie, event, _idle(site))
    _set_session_cookie(response, cookie)
    _set_view(response, _view(site.conversations.flows, answer.reply))
    return response


def parse_event(data: Any, device_languages: str | None = None) -> Event:
    """Turn the page's JSON (or form fields) into an engine event; free text is dropped here."""
    if not isinstance(data, dict):
        raise BadRequest('send a JSON object like {"action": "start"}')
    action = data.get("action")
    if action == "start":
        payload = data.get("payload")
        language = data.get("language")
        # After Forget the page asks to start again in the language it was showing.
        suggested = language if isinstance(language, str) and language else device_languages
        return Start(payload if isinstance(payload, str) else None, suggested)
    if action == "choose":
        option, node, screen = data.get("option"), data.get("node"), data.get("screen")
        if not isinstance(option, str) or not option:
            raise BadRequest('"choose" needs "option": the id of the button')
        if isinstance(screen, str) and screen.isdigit() and len(screen) < 8:
            screen = int(screen)
        if not isinstance(screen, int) or isinstance(screen, bool):
            screen = None
        previous = data.get("previous")
        previous = previous[:64] if isinstance(previous, str) and previous else None
        return Choose(option[:32], node if isinstance(node, str) else None, screen, previous)
    if action == "text":
        return Text()
    if isinstance(action, str) and action in COMMANDS:
        return COMMANDS[action]
    raise BadRequest(
        f"unknown action {str(action)[:20]!r} — use start, choose, text, back, menu, "
        "language, exit or forget"
    )


def input_label(flows: Flows, language: str) -> str:
    if INPUT_LABEL not in flows.source_texts:
        return ""
    return flows.text(language, INPUT_LABEL).value


def reply_json(
    reply: Reply, exit_url: str, input_label: str = "", labels: dict[str, str] | None = None
) -> dict[str, Any]:
    """The reply as the page draws it; `labels` are the page's own words in the same language."""
    body: dict[str, Any] = {
        "node": reply.node,
        "screen": reply.screen,
        "input_label": input_label,
        "language": reply.language,
        "direction": reply.direction,
        "notices": list(reply.notices),
        "effects": [e.value for e in reply.effects],
        "code": reply.code,
        "previous": reply.previous,
        "labels": labels or {},
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


async def chat(site: Site, request: web.Request) -> web.Response:
    """One turn from chat.js: its JSON in, the reply as JSON out; 4xx for bad input."""
    try:
        data = check_request(await read_json(request, MAX_CHAT_BODY))
        event = parse_event(data, request.headers.get("Accept-Language"))
    except BodyRefused as refused:
        site.conversations.metrics.update(CHANNEL, "refused")
        log_event("webchat_refused", channel=CHANNEL, status=refused.status, reason=refused.reason)
        return _error(refused.status, body_error(refused.reason, MAX_CHAT_BODY))
    except (InvalidRequest, BadRequest) as error:
        site.conversations.metrics.update(CHANNEL, "refused")
        log_event("webchat_refused", channel=CHANNEL, status=400, reason="schema")
        return _error(400, str(error))
    conversations = site.conversations
    cookie = _cookie(request)
    fresh = cookie is None
    cookie = cookie or secrets.token_urlsafe(32)
    limit = _idle(site)
    if isinstance(event, Start) and data.get("fresh") is True:
        limit = 0.0  # a new tab (or one reopened later) starts at the neutral first screen
    result = await _run(site, cookie, event, limit)
    language = result.reply.language
    response = web.json_response(
        reply_json(
            result.reply,
            site.config.exit_url,
            input_label(conversations.flows, language),
            page_labels(conversations.flows, language),
        ),
        headers={"Cache-Control": "no-store"},
    )
    if result.ended:
        response.del_cookie(COOKIE, path="/")
    elif fresh:
        _set_session_cookie(response, cookie)
    return response


async def form_post(site: Site, request: web.Request) -> web.StreamResponse:
    """A button of the page without JavaScript: step, then redirect to `/` (no resubmission)."""
    try:
        raw = await read_body(request, MAX_CHAT_BODY)
        fields = dict(parse_qsl(raw.decode("utf-8", "replace"), max_num_fields=8))
        event = parse_event(fields, request.headers.get("Accept-Language"))
    except BodyRefused as refused:
        log_event("webchat_refused", channel=CHANNEL, status=refused.status, reason=refused.reason)
        return web.Response(status=refused.status, text=body_error(refused.reason, MAX_CHAT_BODY))
    except ValueError as error:  # more fields than a page form has
        raise web.HTTPBadRequest(text=str(error)) from None
    except BadRequest as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    cookie = _cookie(request)
    fresh = cookie is None
    cookie = cookie or secrets.token_urlsafe(32)
    config = site.config
    result = await _run(site, cookie, event, _idle(site))
    reply = result.reply
    if Effect.QUICK_EXIT in reply.effects:
        response = web.Response(status=303, headers={"Location": config.exit_url, **PAGE_HEADERS})
        response.del_cookie(COOKIE, path="/")
        return response
    response = web.Response(status=303, headers={"Location": "/", **PAGE_HEADERS})
    if result.ended:
        response.del_cookie(COOKIE, path="/")
    elif fresh:
        _set_session_cookie(response, cookie)
    _set_view(response, _view(site.conversations.flows, reply, typed=isinstance(event, Text)))
    return response


def _view(flows: Flows, reply: Reply, *, typed: bool = False) -> View:
    """What the redirected page shows: the node, and the notices that were meant once."""
    draft = draft_notice(flows, reply.language)
    return View(
        reply.node or "",
        reply.language,
        typed,
        draft is not None and draft in reply.notices,
        reply.previous,
    )


def _set_session_cookie(response: web.StreamResponse, cookie: str) -> None:
    response.set_cookie(COOKIE, cookie, path="/", httponly=True, samesite="Strict")


def _set_view(response: web.StreamResponse, view: View) -> None:
    if VIEW_VALUE.match(view.cookie()):
        response.set_cookie(
            VIEW_COOKIE, view.cookie(), path="/", httponly=True, samesite="Strict", max_age=60
        )


@dataclass(frozen=True)
class Answer:
    reply: Reply
    ended: bool


async def _run(site: Site, cookie: str, event: Event, idle_limit: float) -> Answer:
    turn = Turn(cookie, event, idle_limit=idle_limit)
    result = await site.conversations.run(CHANNEL, turn, PAGE)
    if result.reply is None:  # a turn without a delivery id is always answered
        raise RuntimeError(f"the web chat turn ended {result.outcome} without a reply")
    return Answer(result.reply, result.ended)


class PageOutbox:
    """The web chat's reply is the response body the route builds from the result."""

    async def deliver(self, reply: Reply, before: Session | None, now: float) -> Sequence[int]:
        return ()


PAGE = PageOutbox()


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)
