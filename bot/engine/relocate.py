"""Fit a session saved under older flows to the flows running now (after a publish).

A person on a node that no longer exists goes on from that flow's start; nodes that
are gone leave the back stack. Pure, and cheap when nothing changed (two lookups).
"""

from __future__ import annotations

from dataclasses import replace

from bot.engine.model import Flows, NodeId
from bot.engine.session import Session


def relocate(flows: Flows, session: Session | None) -> Session | None:
    """`session` with every node it names present in `flows`."""
    if session is None:
        return None
    nodes = flows.nodes
    node = session.node
    node_ok = node is None or node in nodes
    if node_ok and all(n in nodes for n in session.back):
        return session
    if not node_ok:
        node = flow_start(flows, node, session.language)  # type: ignore[arg-type]
    back = tuple(n for n in session.back if n in nodes)
    return replace(session, node=node, back=back)


def flow_start(flows: Flows, node_id: str, language: str | None) -> NodeId:
    """The start of the flow `node_id` belonged to; the menu (or the first screen) when
    that whole flow is gone."""
    start = NodeId(f"{node_id.split('.', 1)[0]}.start")
    if start in flows.nodes:
        return start
    return flows.navigation.menu if language else flows.navigation.start
