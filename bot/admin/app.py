"""The /admin sub-application: its own middlewares (CSP, staff session, CSRF), templates,
static files and routes; mounted on the bot's aiohttp app by `add_admin`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from importlib import resources
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.admin import csrf
from bot.admin.desk import DeskCodes
from bot.admin.keys import SETTINGS, STAFF, STAFF_DATA, AdminSettings
from bot.admin.middleware import security_headers, staff_only
from bot.admin.roles import Permission, can
from bot.admin.routes import ROUTE_MODULES
from bot.admin.staff_sessions import StaffSession
from bot.admin.timefmt import FILTERS
from bot.logs import log_event

STATIC = resources.files("bot.admin") / "static"
STATIC_TYPES = {".css": "text/css", ".js": "application/javascript", ".svg": "image/svg+xml"}
PURGE_EVERY = 600.0


def admin_app(settings: AdminSettings, parent: web.Application) -> web.Application:
    """The staff area; `parent` is the bot's app, whose conversation service it feeds."""
    sub = web.Application(middlewares=[security_headers, staff_only])
    sub[SETTINGS] = settings
    env = aiohttp_jinja2.setup(
        sub,
        loader=jinja2.PackageLoader("bot.admin", "templates"),
        autoescape=jinja2.select_autoescape(default=True),
        context_processors=[_context],
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(FILTERS)
    sub.cleanup_ctx.append(lambda app: _resources(app, parent))
    sub.router.add_get("/static/{name}", static_file)
    for module in ROUTE_MODULES:
        module.add_routes(sub)
    return sub


def add_admin(app: web.Application, settings: AdminSettings) -> None:
    app.router.add_get("/admin", _to_admin)
    app.add_subapp("/admin", admin_app(settings, app))


async def _to_admin(request: web.Request) -> web.Response:
    raise web.HTTPPermanentRedirect("/admin/")


async def _context(request: web.Request) -> dict[str, Any]:
    session: StaffSession | None = request.get(STAFF)

    def allowed(permission: str) -> bool:
        return session is not None and can(session.account.role, Permission(permission))

    return {
        "staff": session.account if session else None,
        "csrf_token": session.csrf if session else "",
        "csrf_field": csrf.FIELD,
        "can": allowed,
        "path": request.path,
    }


async def static_file(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    suffix = name[name.rfind(".") :] if "." in name else ""
    resource = STATIC / name
    if "/" in name or suffix not in STATIC_TYPES or not resource.is_file():
        raise web.HTTPNotFound()
    return web.Response(
        body=resource.read_bytes(),
        content_type=STATIC_TYPES[suffix],
        headers={"Cache-Control": "no-cache"},
    )


async def _resources(app: web.Application, parent: web.Application) -> AsyncIterator[None]:
    # staff.db, the live flows and the content number are opened with the bot's own
    # resources (bot/web/app.py); the staff area only purges its expired rows.
    purger = asyncio.create_task(_purge_forever(app, parent))
    try:
        yield
    finally:
        purger.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await purger


async def _purge_forever(app: web.Application, parent: web.Application) -> None:
    while True:
        now = app[SETTINGS].clock()
        parent[STAFF_DATA].sessions.purge(now)
        parent[STAFF_DATA].throttle.purge(now)
        purged = DeskCodes(parent[STAFF_DATA].conn).purge(now, app[SETTINGS].code_days)
        if purged:
            log_event("desk_codes_purged", count=purged)
        await asyncio.sleep(PURGE_EVERY)
