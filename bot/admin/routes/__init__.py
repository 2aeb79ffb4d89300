"""One module per page of the staff area, each with `add_routes(app)`."""

from __future__ import annotations

from bot.admin.routes import (
    audit,
    desk,
    draft,
    files,
    flows,
    history,
    login,
    nodes,
    preview,
    stats,
    translations,
)

ROUTE_MODULES = (
    login,
    flows,
    nodes,
    files,
    draft,
    preview,
    history,
    audit,
    translations,
    desk,
    stats,
)
