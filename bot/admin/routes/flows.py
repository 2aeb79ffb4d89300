"""The flows list with lint status and translation gaps; each flow as a graph."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web
from markupsafe import Markup

from bot.admin.flow_view import flow_view
from bot.admin.graph import render_svg
from bot.admin.workspace import severity_of, translation_gaps, workspace


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", flows_list)
    app.router.add_get("/flows/{flow:[a-z][a-z0-9_]*}", flow_graph)


@aiohttp_jinja2.template("flows.html")
async def flows_list(request: web.Request) -> dict[str, Any]:
    space = workspace(request)
    flows = space.checked.flows
    rows = []
    for name in space.flow_names():
        problems = space.problems_of(f"{name}.yaml")
        nodes = [n for n in flows.nodes.values() if n.flow == name] if flows else []
        gaps = sum(1 for n in nodes if flows and translation_gaps(flows, n))
        rows.append(
            {
                "name": name,
                "nodes": len(nodes),
                "status": severity_of(problems),
                "errors": sum(1 for p in problems if p.severity.value == "error"),
                "warnings": sum(1 for p in problems if p.severity.value == "warning"),
                "gaps": gaps,
            }
        )
    return {"space": space, "rows": rows, "elsewhere": space.problems_elsewhere()}


@aiohttp_jinja2.template("flow.html")
async def flow_graph(request: web.Request) -> dict[str, Any]:
    space = workspace(request)
    view = flow_view(space, request.match_info["flow"])
    if view is None:
        raise web.HTTPNotFound(text="there is no such flow")
    svg = render_svg(view.name, view.nodes, view.marks, view.known) if view.nodes else ""
    # render_svg escapes every text and attribute it writes.
    return {"space": space, "view": view, "svg": Markup(svg)}  # noqa: S704
