"""Every conversation script, in every language, straight through the engine."""

from __future__ import annotations

import pytest

from bot.engine import Flows
from tests.conversations.drivers import EngineDriver
from tests.conversations.script import load_scripts, run_script

SCRIPTS = load_scripts()


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.path.stem for s in SCRIPTS])
async def test_script_through_engine(script, flows: Flows, languages: list[str]) -> None:
    for language in languages:
        await run_script(script, flows, language, EngineDriver(flows))


def test_there_are_scripts_for_each_required_behaviour() -> None:
    names = {s.path.stem for s in SCRIPTS}
    required = {
        "rights_in_two_taps",
        "reflection_period",
        "back_and_menu",
        "stale_button",
        "quick_exit",
        "forget",
        "selfcheck_none",
        "selfcheck_some",
        "hotline_handoff",
    }
    assert required <= names
