"""Typed keys for the staff area's state (set on the bot's app, read through the /admin
sub-application) and for its requests."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from bot.admin.content import LiveFlows
from bot.admin.database import StaffData
from bot.admin.staff_sessions import StaffSession
from bot.store.content_versions import ContentVersions


@dataclass(frozen=True)
class AdminSettings:
    flows_dir: Path
    locales_dir: Path | None
    secure_cookies: bool = False
    """Cookies marked Secure: the site is served over HTTPS (PUTOKAZ_PUBLIC_URL is set)."""
    clock: Callable[[], float] = field(default=time.time)
    staff_idle: float = 30 * 60
    data_dir: Path | None = None
    """Where the web link codes live (PUTOKAZ_DATA/web_links.json)."""
    public_url: str | None = None
    telegram_username: str | None = None
    viber_uri: str | None = None
    code_days: int = 7
    """Days the hotline's desk keeps a hand-off code (PUTOKAZ_HANDOFF_CODE_DAYS)."""


SETTINGS = web.AppKey("admin_settings", AdminSettings)
STAFF_DATA = web.AppKey("staff_data", StaffData)
LIVE = web.AppKey("live_flows", LiveFlows)
CONTENT_VERSIONS = web.AppKey("content_versions", ContentVersions)
STAFF = web.RequestKey("staff_session", StaffSession)
"""Where the middleware leaves the request's `StaffSession`."""


def staff_session(request: web.Request) -> StaffSession:
    session: StaffSession = request[STAFF]
    return session
