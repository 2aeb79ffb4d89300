"""Every feature of the flow format appears in the minimal fixture the loader tests build on."""

from __future__ import annotations

from pathlib import Path

from bot.engine import load_dir
from bot.engine.load.flow_file import NODE_KEYS, OPTION_KEYS
from bot.engine.model import Action

MINIMAL = Path(__file__).parents[1] / "fixtures" / "flows" / "minimal"


def test_the_minimal_fixture_uses_every_node_key_option_key_and_action() -> None:
    text = "\n".join(p.read_text() for p in MINIMAL.glob("*.yaml"))
    for key in NODE_KEYS:
        assert f"{key}:" in text, f"no node in tests/fixtures/flows/minimal uses `{key}:`"
    for key in OPTION_KEYS:
        assert f"{key}:" in text, f"no option in tests/fixtures/flows/minimal uses `{key}:`"
    for action in Action:
        assert f"action: {action.value}" in text, f"no option uses `action: {action.value}`"


def test_the_minimal_fixture_loads() -> None:
    flows = load_dir(MINIMAL)
    assert not flows.node("info.question").remember
