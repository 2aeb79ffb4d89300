"""One module per page of the staff area, each with `add_routes(app)`."""

from __future__ import annotations

from bot.admin.routes import files, flows, login, nodes

ROUTE_MODULES = (login, flows, nodes, files)
