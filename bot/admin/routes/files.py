"""The raw YAML editor of one flow file, with every problem of the file at its line."""

from __future__ import annotations

from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.admin.permissions import require
from bot.admin.roles import Permission
from bot.admin.workspace import save_file, workspace

FILE_PATH = "/files/{name:[a-z][a-z0-9_]*\\.yaml}"
MAX_FILE = 256 * 1024


def add_routes(app: web.Application) -> None:
    app.router.add_get(FILE_PATH, file_page)
    app.router.add_post(FILE_PATH, save)


@aiohttp_jinja2.template("file.html")
async def file_page(request: web.Request) -> dict[str, Any]:
    space = workspace(request)
    name = request.match_info["name"]
    if name not in space.files:
        raise web.HTTPNotFound(text="there is no such flow file")
    text = space.files[name]
    return {
        "space": space,
        "name": name,
        "text": text,
        "lines": len(text.splitlines()),
        "problems": space.problems_of(name),
        "elsewhere": [p for p in space.checked.problems if p not in space.problems_of(name)],
        "saved": request.query.get("saved") == "1",
        "flow": name.removesuffix(".yaml"),
    }


async def save(request: web.Request) -> web.StreamResponse:
    require(request, Permission.EDIT)
    name = request.match_info["name"]
    form = await request.post()
    text = str(form.get("text", ""))
    if len(text.encode()) > MAX_FILE:
        raise web.HTTPRequestEntityTooLarge(MAX_FILE, len(text.encode()))
    save_file(request, name, text)
    raise web.HTTPSeeOther(f"/admin/files/{name}?saved=1")
