"""The statistics page and its CSV: counts only, small cells shown as "<5"."""

from __future__ import annotations

from collections import Counter
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.admin.charts import bar_chart
from bot.admin.keys import LIVE, SETTINGS
from bot.admin.permissions import require
from bot.admin.roles import Permission
from bot.admin.statistics import Statistics, compute, day_names, gather, shown, to_csv
from bot.web.keys import CONVERSATIONS

MAX_DAYS = 92


def add_routes(app: web.Application) -> None:
    app.router.add_get("/stats", stats_page)
    app.router.add_get("/stats.csv", stats_csv)


async def _stats(request: web.Request) -> Statistics:
    require(request, Permission.STATS)
    try:
        days = max(1, min(MAX_DAYS, int(request.query.get("days", "14"))))
    except ValueError:
        raise web.HTTPBadRequest(text="days must be a number of days, e.g. 14") from None
    names = day_names(request.config_dict[SETTINGS].clock(), days)
    counts = await gather(request.config_dict[CONVERSATIONS].store, names)
    return compute(request.config_dict[LIVE].target.flows, counts, names)


@aiohttp_jinja2.template("stats.html")
async def stats_page(request: web.Request) -> dict[str, Any]:
    stats = await _stats(request)
    languages: Counter[str] = Counter()
    for row in stats.screens:
        languages[row.language] += row.count
    per_day: Counter[str] = Counter()
    for row in stats.screens:
        per_day[row.day] += row.count
    return {
        "stats": stats,
        "funnel_chart": bar_chart([(r.screen, r.count, r.shown) for r in stats.funnel]),
        "language_chart": bar_chart([(k, v, shown(v)) for k, v in sorted(languages.items())]),
        "day_chart": bar_chart([(d, per_day[d], shown(per_day[d])) for d in stats.days]),
        "days": len(stats.days),
    }


async def stats_csv(request: web.Request) -> web.StreamResponse:
    stats = await _stats(request)
    return web.Response(
        text=to_csv(stats),
        content_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="putokaz-statistics.csv"'},
    )
