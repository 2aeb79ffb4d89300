"""Log in and out: throttled per account and per address; a new session on every login."""

from __future__ import annotations

import math

import aiohttp_jinja2
from aiohttp import web

from bot.admin import csrf
from bot.admin.audit import AuditEntry
from bot.admin.keys import SETTINGS, STAFF_DATA, staff_session
from bot.admin.middleware import COOKIE, PATH
from bot.admin.staff_sessions import StaffSession
from bot.logs import log_event

LOGIN_COOKIE_AGE = 3600


def add_routes(app: web.Application) -> None:
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)


async def login_page(request: web.Request) -> web.StreamResponse:
    return _form(request, status=200)


def _form(
    request: web.Request, status: int, error: str = "", name: str = "", minutes: int = 0
) -> web.Response:
    """The login page; `error` is "wrong" or "locked" (the template words it)."""
    token = csrf.new_login_token()
    response = aiohttp_jinja2.render_template(
        "login.html",
        request,
        {"login_csrf": token, "error": error, "name": name, "minutes": minutes},
        status=status,
    )
    response.set_cookie(
        csrf.LOGIN_COOKIE,
        token,
        path=PATH,
        max_age=LOGIN_COOKIE_AGE,
        httponly=True,
        samesite="Strict",
        secure=_secure(request),
    )
    return response


def _secure(request: web.Request) -> bool:
    return request.config_dict[SETTINGS].secure_cookies or request.secure


async def login(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    given = form.get(csrf.FIELD)
    cookie = request.cookies.get(csrf.LOGIN_COOKIE)
    if not cookie or not csrf.same(given if isinstance(given, str) else None, cookie):
        log_event("staff_login", status="csrf_refused")
        raise web.HTTPForbidden(text="the login form is out of date — reload it and try again")
    name = str(form.get("name", "")).strip().lower()[:64]
    password = str(form.get("password", ""))
    data = request.config_dict[STAFF_DATA]
    now = request.config_dict[SETTINGS].clock()
    address = request.remote or "unknown"
    wait = data.throttle.wait(name, address, now)
    if wait > 0:
        log_event("staff_login", status="locked")
        minutes = math.ceil(wait / 60)
        return _form(request, 429, "locked", name, minutes)
    account = await data.accounts.authenticate(name, password) if name and password else None
    if account is None:
        data.throttle.failed(name, address, now)
        log_event("staff_login", status="refused")
        return _form(request, 401, "wrong", name)
    data.throttle.succeeded(name)
    token = data.sessions.open(account, now)
    data.audit.record(AuditEntry(now, account.name, "logged_in", account.name))
    log_event("staff_login", status="ok")
    response = web.HTTPSeeOther("/admin/")
    response.set_cookie(
        COOKIE, token, path=PATH, httponly=True, samesite="Strict", secure=_secure(request)
    )
    response.del_cookie(csrf.LOGIN_COOKIE, path=PATH)
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    session: StaffSession = staff_session(request)
    request.config_dict[STAFF_DATA].sessions.close(session.token_hash)
    log_event("staff_logout")
    response = web.HTTPSeeOther("/admin/login")
    response.del_cookie(COOKIE, path=PATH)
    raise response
