"""The simulator: the draft (or the published version) run through the engine in any
language, inside the admin page. Its conversation lives in the staff session, so no
live session is read or written and no hand-off is posted."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.admin.keys import SETTINGS, STAFF_DATA, staff_session
from bot.admin.workspace import workspace
from bot.engine import Back, Choose, Menu, Reply, Start, StepContext, render, step
from bot.engine.events import ChooseLanguage, Event
from bot.engine.model import SOURCE_LANGUAGE, Flows
from bot.engine.payload import make_payload
from bot.engine.session import Session

PREVIEW_CODE = "TEST"
"""The hand-off code the simulator shows: plainly not a real one."""


def add_routes(app: web.Application) -> None:
    app.router.add_get("/preview", preview_page)
    app.router.add_post("/preview", preview_step)


def _context(
    request: web.Request,
    flows: Flows | None,
    reply: Reply | None,
    language: str,
    flow: str,
    ended: bool = False,
) -> dict[str, Any]:
    space = workspace(request)
    return {
        "space": space,
        "flows": flows,
        "reply": reply,
        "language": language,
        "flow": flow,
        "flow_names": space.flow_names(),
        "languages": flows.languages if flows else (),
        "errors": space.checked.errors,
        "ended": ended,
    }


def _choice(request: web.Request, flows: Flows | None, language: str | None) -> str:
    if flows is None:
        return SOURCE_LANGUAGE
    codes = {lang.code for lang in flows.languages}
    return language if language in codes else SOURCE_LANGUAGE


@aiohttp_jinja2.template("preview.html")
async def preview_page(request: web.Request) -> dict[str, Any]:
    flows = workspace(request).checked.flows
    session = staff_session(request).preview
    remembered = session.language if session else None
    language = _choice(request, flows, request.query.get("lang") or remembered)
    flow = request.query.get("flow", "")
    reply = None
    if flows is not None and session is not None and session.node in flows.nodes:
        reply = render(flows, session.node, session.language, PREVIEW_CODE)  # type: ignore[arg-type]
    return _context(request, flows, reply, language, flow)


async def preview_step(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    flows = workspace(request).checked.flows
    language = _choice(request, flows, str(form.get("lang", "")))
    flow = str(form.get("flow", ""))
    if flows is None:
        context = _context(request, None, None, language, flow)
        return aiohttp_jinja2.render_template("preview.html", request, context, status=422)
    session: Session | None = staff_session(request).preview
    event = _event(str(form.get("action", "start")), form, language, flow, flows)
    if isinstance(event, Start):
        session = None  # a new conversation each time the staff member starts one
    now = request.config_dict[SETTINGS].clock()
    after, reply = step(flows, session, event, StepContext(now, PREVIEW_CODE))
    request.config_dict[STAFF_DATA].sessions.set_preview(staff_session(request).token_hash, after)
    context = _context(request, flows, reply, reply.language, flow, ended=after is None)
    return aiohttp_jinja2.render_template("preview.html", request, context)


def _event(action: str, form: Any, language: str, flow: str, flows: Flows) -> Event:
    if action == "choose":
        node = form.get("node")
        return Choose(str(form.get("option", ""))[:32], str(node) if node else None)
    if action == "back":
        return Back()
    if action == "menu":
        return Menu()
    if action == "language":
        return ChooseLanguage()
    topic = flow if f"{flow}.start" in flows.nodes else None
    return Start(make_payload(language, topic))
