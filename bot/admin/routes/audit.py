"""The audit log page (admins): who published, restored, imported or changed an account."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.admin.keys import STAFF_DATA
from bot.admin.permissions import require
from bot.admin.roles import Permission


def add_routes(app: web.Application) -> None:
    app.router.add_get("/audit", audit_page)


@aiohttp_jinja2.template("audit.html")
async def audit_page(request: web.Request) -> dict[str, Any]:
    require(request, Permission.AUDIT)
    return {"entries": request.config_dict[STAFF_DATA].audit.recent()}
