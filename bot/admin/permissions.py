"""`require(request, permission)`: a 403 page when the staff member's role lacks it."""

from __future__ import annotations

from aiohttp import web

from bot.admin.keys import staff_session
from bot.admin.roles import Permission, can
from bot.logs import log_event


def require(request: web.Request, permission: Permission) -> None:
    role = staff_session(request).account.role
    if not can(role, permission):
        log_event("staff_forbidden", path=request.path, kind=permission.value)
        raise web.HTTPForbidden(
            text=f"the {role.value} role cannot {permission.value} — ask an admin or an editor"
        )
