"""What every /admin response gets: a strict CSP, no caching; no page without a staff
session; no POST without the session's CSRF token."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.admin import csrf
from bot.admin.keys import SETTINGS, STAFF, STAFF_DATA
from bot.logs import log_event

COOKIE = "putokaz_staff"
PATH = "/admin"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PUBLIC = ("/admin/login", "/admin/static/")


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as error:
        response = error
        _headers(response)
        raise
    _headers(response)
    return response


def _headers(response: web.StreamResponse) -> None:
    response.headers["Content-Security-Policy"] = CSP
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["X-Content-Type-Options"] = "nosniff"
    # same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on
    # form posts, and the Origin check would learn nothing.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"


@web.middleware
async def staff_only(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path.startswith(PUBLIC):
        if request.method == "POST" and csrf.foreign_origin(request):
            raise web.HTTPForbidden(text="this form was sent from another site")
        return await handler(request)
    data = request.config_dict[STAFF_DATA]
    now = request.config_dict[SETTINGS].clock()
    token = request.cookies.get(COOKIE)
    session = data.sessions.find(token, now) if token else None
    if session is None:
        if request.method != "GET":
            raise web.HTTPForbidden(text="log in first: your staff session has ended")
        response = web.HTTPSeeOther("/admin/login")
        if token:
            response.del_cookie(COOKIE, path=PATH)
        raise response
    if request.method == "POST":
        form = await request.post()
        given = form.get(csrf.FIELD)
        if csrf.foreign_origin(request) or not csrf.same(
            given if isinstance(given, str) else None, session.csrf
        ):
            log_event("staff_csrf_refused", path=request.path)
            raise web.HTTPForbidden(
                text="this form is out of date or was not sent by this site — "
                "reload the page and send it again"
            )
    request[STAFF] = session
    return await handler(request)
