"""The Mermaid diagram shows every screen and button path, and docs/FLOWS.md is current."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from bot.cli import main
from bot.engine import Flows
from bot.engine.diagram import mermaid

FLOWS_PAGE = Path(__file__).parents[2] / "docs" / "FLOWS.md"


def test_every_screen_is_a_box_and_every_goto_an_arrow(flows: Flows) -> None:
    drawing = mermaid(flows)
    for node in flows.nodes.values():
        box = node.id.replace(".", "__")
        assert f"    {box}[" in drawing or f"    {box}([" in drawing
        for option in node.options:
            if option.goto:
                assert f"{box} -->|" in drawing
                assert f"| {option.goto.replace('.', '__')}" in drawing


def test_docs_flows_page_is_up_to_date(flows: Flows) -> None:
    page = FLOWS_PAGE.read_text()
    block = page.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert block == mermaid(flows), "run `putokaz diagram` and paste it into docs/FLOWS.md"


def test_an_unknown_flow_is_a_clear_error() -> None:
    result = CliRunner().invoke(main, ["diagram", "--flow", "nosuch"])
    assert result.exit_code == 1
    assert "there is no flow 'nosuch'" in result.output
