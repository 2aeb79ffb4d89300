"""The form of one node: its text and its buttons with their targets; saving puts the
change into the staff member's draft and shows the check of the file at once."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.admin.flow_view import flow_view
from bot.admin.node_edit import (
    TARGET_KINDS,
    EditError,
    NodeEdit,
    OptionEdit,
    apply_edit,
    node_fields,
)
from bot.admin.permissions import require
from bot.admin.roles import Permission
from bot.admin.workspace import save_file, workspace
from bot.engine.model import Action

MAX_OPTIONS = 24
NODE_PATH = "/flows/{flow:[a-z][a-z0-9_]*}/nodes/{node:[a-z][a-z0-9_]*}"


def add_routes(app: web.Application) -> None:
    app.router.add_get(NODE_PATH, node_page)
    app.router.add_post(NODE_PATH, save_node)


def _page(request: web.Request, error: str = "", edit: NodeEdit | None = None) -> dict[str, Any]:
    flow, node = request.match_info["flow"], request.match_info["node"]
    space = workspace(request)
    view = flow_view(space, flow)
    if view is None:
        raise web.HTTPNotFound(text="there is no such flow")
    node_id = f"{flow}.{node}"
    if edit is None:
        try:
            edit = node_fields(space.files[view.file_name], node)
        except EditError as problem:
            raise web.HTTPNotFound(text=str(problem)) from None
    mark = view.marks.get(node_id)
    return {
        "space": space,
        "view": view,
        "node": node,
        "node_id": node_id,
        "edit": edit,
        "file_problems": view.problems,
        "gaps": mark.gaps if mark else (),
        "kinds": TARGET_KINDS,
        "actions": [a.value for a in Action],
        "targets": sorted(view.known),
        "saved": request.query.get("saved") == "1",
        "error": error,
    }


@aiohttp_jinja2.template("node.html")
async def node_page(request: web.Request) -> dict[str, Any]:
    return _page(request)


def form_edit(form: Any) -> NodeEdit:
    say = tuple(str(text) for text in form.getall("say", []))
    options = []
    for i in range(min(int(form.get("option_count", "0") or 0), MAX_OPTIONS)):
        option_id = str(form.get(f"opt-{i}-id", "")).strip()
        if not option_id or form.get(f"opt-{i}-remove"):
            continue
        options.append(
            OptionEdit(
                id=option_id,
                label=str(form.get(f"opt-{i}-label", "")),
                kind=str(form.get(f"opt-{i}-kind", "goto")),
                target=str(form.get(f"opt-{i}-target", "")),
            )
        )
    return NodeEdit(say, tuple(options))


async def save_node(request: web.Request) -> web.StreamResponse:
    require(request, Permission.EDIT)
    flow, node = request.match_info["flow"], request.match_info["node"]
    form = await request.post()
    edit = form_edit(form)
    space = workspace(request)
    file_name = f"{flow}.yaml"
    if file_name not in space.files:
        raise web.HTTPNotFound(text="there is no such flow")
    try:
        text = apply_edit(space.files[file_name], node, edit)
    except EditError as problem:
        context = _page(request, str(problem), edit)
        return aiohttp_jinja2.render_template("node.html", request, context, status=422)
    save_file(request, file_name, text)
    raise web.HTTPSeeOther(f"/admin/flows/{flow}/nodes/{node}?saved=1")
