"""Lint over the real flows: the hotline is close from everywhere, screens fit."""

from __future__ import annotations

from bot.engine import Flows, StepContext, step
from bot.engine.events import Choose
from bot.engine.lint import HOTLINE_MAX_TAPS, lint, reachable
from bot.engine.session import Session


def test_project_flows_have_no_lint_errors(flows: Flows) -> None:
    errors = [str(p) for p in lint(flows) if p.severity.value == "error"]
    assert errors == []


def test_every_node_is_reachable_from_the_start(flows: Flows) -> None:
    assert reachable(flows) >= set(flows.nodes)


def test_hotline_is_at_most_two_real_taps_from_every_node(flows: Flows) -> None:
    """Walks the graph through step() itself, pressing the buttons each screen shows."""
    hotline = flows.navigation.hotline
    context = StepContext(1_800_000_000.0)
    for node_id in flows.nodes:
        if node_id == flows.navigation.exited:
            continue
        frontier = [(Session(language="en", node=node_id), node_id)]
        found = node_id == hotline
        for _ in range(HOTLINE_MAX_TAPS):
            if found:
                break
            next_frontier = []
            for session, shown in frontier:
                _, reply = step(flows, session, Choose("__render__", shown), context)
                for button in reply.buttons:
                    if button.url:
                        continue
                    after, result = step(flows, session, Choose(button.option_id, shown), context)
                    if result.node == hotline:
                        found = True
                    if after is not None and result.node:
                        next_frontier.append((after, result.node))
            frontier = next_frontier
        assert found, f"the hotline is more than {HOTLINE_MAX_TAPS} taps from {node_id}"


def test_every_screen_offers_a_quick_exit_or_is_the_exit(flows: Flows) -> None:
    for node in flows.nodes.values():
        if node.id == flows.navigation.exited:
            continue
        ids = set(flows.options_by_node[node.id])
        assert "exit" in ids or not node.footer, node.id
