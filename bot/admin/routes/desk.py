"""The hotline's desk (role `hotline`, and admins): the recent hand-off codes, escalation
links with their QR codes, and the printable poster per language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from markupsafe import Markup

from bot.admin.desk import DeskCodes
from bot.admin.keys import LIVE, SETTINGS, STAFF_DATA
from bot.admin.permissions import require
from bot.admin.posters import PosterError, poster, qr_png, qr_svg
from bot.admin.roles import Permission
from bot.engine import Flows
from bot.service.links import CHANNELS, LinkError, escalation_link
from bot.service.topics import topics
from bot.service.web_links import WebLinks


def add_routes(app: web.Application) -> None:
    app.router.add_get("/desk", codes_page)
    app.router.add_get("/desk/links", links_page)
    app.router.add_get("/desk/qr.{kind:svg|png}", qr_file)
    app.router.add_get("/desk/poster", poster_page)


@aiohttp_jinja2.template("desk.html")
async def codes_page(request: web.Request) -> dict[str, Any]:
    require(request, Permission.DESK)
    settings = request.config_dict[SETTINGS]
    asked = request.query.get("code", "").strip().upper()
    codes = DeskCodes(request.config_dict[STAFF_DATA].conn).recent(
        settings.clock(), settings.code_days, asked or None
    )
    return {"codes": codes, "asked": asked, "days": settings.code_days}


@dataclass(frozen=True)
class Choice:
    language: str
    topic: str | None
    campaign: str | None


def _flows(request: web.Request) -> Flows:
    flows: Flows = request.config_dict[LIVE].target.flows
    return flows


def _choice(request: web.Request) -> Choice:
    return Choice(
        request.query.get("lang", "en") or "en",
        request.query.get("topic") or None,
        request.query.get("campaign") or None,
    )


def _link(request: web.Request, channel: str, choice: Choice) -> str:
    settings = request.config_dict[SETTINGS]
    web_url = settings.public_url or f"{request.scheme}://{request.host}"
    data_dir = settings.data_dir or Path("var")
    return escalation_link(
        channel,
        _flows(request),
        language=choice.language,
        topic=choice.topic,
        campaign=choice.campaign,
        telegram_username=settings.telegram_username,
        viber_uri=settings.viber_uri,
        web_url=web_url,
        web_code=WebLinks(data_dir).code_for,
    )


@aiohttp_jinja2.template("links.html")
async def links_page(request: web.Request) -> dict[str, Any]:
    require(request, Permission.DESK)
    flows = _flows(request)
    choice = _choice(request)
    results = []
    if "lang" in request.query:
        for channel in CHANNELS:
            try:
                link = _link(request, channel, choice)
            except LinkError as error:
                results.append({"channel": channel, "link": "", "error": str(error), "qr": ""})
                continue
            results.append(
                {"channel": channel, "link": link, "error": "", "qr": Markup(qr_svg(link))}  # noqa: S704 — segno's own SVG
            )
    return {
        "languages": flows.languages,
        "topics": topics(flows, choice.language if flows.language(choice.language) else "en"),
        "choice": choice,
        "results": results,
        "query": request.query_string,
    }


async def qr_file(request: web.Request) -> web.StreamResponse:
    require(request, Permission.DESK)
    channel = request.query.get("channel", "web")
    try:
        link = _link(request, channel, _choice(request))
    except LinkError as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    name = f"putokaz-{channel}.{request.match_info['kind']}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if request.match_info["kind"] == "png":
        return web.Response(body=qr_png(link), content_type="image/png", headers=headers)
    return web.Response(text=qr_svg(link), content_type="image/svg+xml", headers=headers)


@aiohttp_jinja2.template("poster.html")
async def poster_page(request: web.Request) -> dict[str, Any]:
    require(request, Permission.DESK)
    choice = _choice(request)
    channel = request.query.get("channel", "web")
    try:
        link = _link(request, channel, choice)
        made = poster(_flows(request), choice.language, choice.topic, link)
    except (LinkError, PosterError) as error:
        raise web.HTTPBadRequest(text=str(error)) from None
    return {"poster": made, "qr": Markup(qr_svg(link, scale=10))}  # noqa: S704 — segno's own SVG
