"""Sessions saved under older flows go on under new ones: a gone node becomes its flow's
start, gone nodes leave the back stack."""

from __future__ import annotations

from dataclasses import replace

from bot.engine import Flows, Session
from bot.engine.model import NodeId
from bot.engine.relocate import relocate


def test_a_session_on_existing_nodes_is_the_same_object(flows: Flows) -> None:
    session = Session(
        language="en", node=NodeId("reflection.how_long"), back=(NodeId("welcome.menu"),)
    )
    assert relocate(flows, session) is session


def test_a_gone_node_lands_on_its_flows_start(flows: Flows) -> None:
    session = Session(language="fa", node=NodeId("reflection.gone"), back=(NodeId("welcome.menu"),))
    moved = relocate(flows, session)
    assert moved == replace(session, node=NodeId("reflection.start"))


def test_a_gone_flow_lands_on_the_menu_or_first_screen(flows: Flows) -> None:
    nav = flows.navigation
    assert relocate(flows, Session(language="en", node=NodeId("old.start"))).node == nav.menu  # type: ignore[union-attr]
    assert relocate(flows, Session(node=NodeId("old.start"))).node == nav.start  # type: ignore[union-attr]


def test_gone_nodes_leave_the_back_stack(flows: Flows) -> None:
    session = Session(
        language="en",
        node=NodeId("reflection.decide"),
        back=(NodeId("welcome.menu"), NodeId("reflection.gone"), NodeId("reflection.start")),
    )
    moved = relocate(flows, session)
    assert moved is not None
    assert moved.back == (NodeId("welcome.menu"), NodeId("reflection.start"))
    assert moved.node == "reflection.decide"


def test_no_session_stays_none(flows: Flows) -> None:
    assert relocate(flows, None) is None
