"""The draft page: what changed against the published version, every problem, and the
publish and discard buttons."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.admin.diff import diff_files
from bot.admin.keys import STAFF_DATA, staff_session
from bot.admin.permissions import require
from bot.admin.publishing import NotPublishable, publish
from bot.admin.roles import Permission
from bot.admin.workspace import published_files, workspace

MAX_MESSAGE = 300


def add_routes(app: web.Application) -> None:
    app.router.add_get("/draft", draft_page)
    app.router.add_post("/draft/publish", publish_draft)
    app.router.add_post("/draft/discard", discard_draft)


def _context(request: web.Request, error: str = "", message: str = "") -> dict[str, Any]:
    require(request, Permission.VIEW)
    space = workspace(request)
    latest, published = published_files(request)
    return {
        "space": space,
        "diffs": diff_files(published, space.files) if space.draft else [],
        "latest": latest,
        "moved": space.draft is not None and space.draft.base != latest,
        "problems": space.checked.problems,
        "errors": space.checked.errors,
        "error": error,
        "message": message,
    }


@aiohttp_jinja2.template("draft.html")
async def draft_page(request: web.Request) -> dict[str, Any]:
    return _context(request)


async def publish_draft(request: web.Request) -> web.StreamResponse:
    require(request, Permission.PUBLISH)
    form = await request.post()
    message = " ".join(str(form.get("message", "")).split())[:MAX_MESSAGE]
    space = workspace(request)
    if space.draft is None:
        raise web.HTTPSeeOther("/admin/draft")
    latest, _ = published_files(request)
    if not message:
        return _refuse(request, "missing_message", message)
    if space.draft.base != latest and form.get("over") != str(latest):
        return _refuse(request, "moved", message)
    try:
        info = await publish(request, space.draft.files, message)
    except NotPublishable:
        return _refuse(request, "errors", message)
    request.config_dict[STAFF_DATA].drafts.discard(staff_session(request).account.name)
    raise web.HTTPSeeOther(f"/admin/history/{info.number}?published=1")


def _refuse(request: web.Request, error: str, message: str) -> web.Response:
    context = _context(request, error, message)
    return aiohttp_jinja2.render_template("draft.html", request, context, status=422)


async def discard_draft(request: web.Request) -> web.StreamResponse:
    require(request, Permission.EDIT)
    request.config_dict[STAFF_DATA].drafts.discard(staff_session(request).account.name)
    raise web.HTTPSeeOther("/admin/")
