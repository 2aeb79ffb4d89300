"""CSRF tokens: each staff session has one, sent in a hidden field of every form; the
login form, before any session, uses a random cookie repeated in the form (double submit).

SameSite=Strict cookies already keep other sites' forms out; the token holds when a
browser does not honour SameSite, and the Origin check refuses cross-site posts early.
"""

from __future__ import annotations

import hmac
import secrets

from aiohttp import web

FIELD = "csrf"
LOGIN_COOKIE = "putokaz_login_csrf"


def same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


def foreign_origin(request: web.Request) -> bool:
    """True when the browser says the form came from another site."""
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        return False  # not said (older browsers, privacy settings): the token decides
    expected = f"{request.scheme}://{request.host}"
    forwarded = request.headers.get("X-Forwarded-Proto")
    alternatives = {expected}
    if forwarded:
        alternatives.add(f"{forwarded}://{request.host}")
    return origin not in alternatives
