"""The history of published versions, each with its diff against the one before, and
restore: an old version published again as a new one."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.admin.diff import diff_files
from bot.admin.keys import STAFF_DATA
from bot.admin.permissions import require
from bot.admin.publishing import NotPublishable, publish
from bot.admin.roles import Permission


def add_routes(app: web.Application) -> None:
    app.router.add_get("/history", history_page)
    app.router.add_get("/history/{number:\\d+}", version_page)
    app.router.add_post("/history/{number:\\d+}/restore", restore)


@aiohttp_jinja2.template("history.html")
async def history_page(request: web.Request) -> dict[str, Any]:
    versions = request.config_dict[STAFF_DATA].versions
    return {"versions": versions.history(), "latest": versions.latest_number()}


def _version_context(request: web.Request, error: str = "") -> dict[str, Any]:
    versions = request.config_dict[STAFF_DATA].versions
    number = int(request.match_info["number"])
    version = versions.get(number)
    if version is None:
        raise web.HTTPNotFound(text=f"there is no version {number}")
    previous = versions.get(number - 1)
    return {
        "version": version.info,
        "diffs": diff_files(previous.files if previous else None, version.files),
        "previous": previous.info if previous else None,
        "latest": versions.latest_number(),
        "published": request.query.get("published") == "1",
        "restored": request.query.get("restored") == "1",
        "error": error,
    }


@aiohttp_jinja2.template("version.html")
async def version_page(request: web.Request) -> dict[str, Any]:
    return _version_context(request)


async def restore(request: web.Request) -> web.StreamResponse:
    require(request, Permission.PUBLISH)
    number = int(request.match_info["number"])
    version = request.config_dict[STAFF_DATA].versions.get(number)
    if version is None:
        raise web.HTTPNotFound(text=f"there is no version {number}")
    try:
        info = await publish(
            request, version.files, f"restored version {number}", "restored", restored_from=number
        )
    except NotPublishable:
        # The catalogs on the server changed since then so that it no longer passes.
        context = _version_context(request, "not_publishable")
        return aiohttp_jinja2.render_template("version.html", request, context, status=422)
    raise web.HTTPSeeOther(f"/admin/history/{info.number}?restored=1")
