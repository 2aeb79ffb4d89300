"""The self-check's answers leave no trace: not in SQLite (incl. WAL), not in the log."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from bot.engine import Flows
from tests.conversations.drivers import WebChatDriver
from tests.conversations.script import load_scripts, run_script
from tests.support.privacy import find_leaks
from tests.support.server import ServerProcess

ANSWER_TRACES = [
    "q2_yes",
    "q3_yes",
    "q4_yes",
    "q5_yes",
    "selfcheck.some",
    "selfcheck.none",
    "selfcheck.q",
]


def people_files(data_dir: Path) -> list[Path]:
    """Every file of the data folder except staff.db: the published flows there name the
    self-check's nodes as content, which is no one's answer (the staff tests keep sessions
    and people's data out of it)."""
    return sorted(
        p for p in data_dir.rglob("*") if p.is_file() and not p.name.startswith("staff.db")
    )


async def test_selfcheck_answers_are_nowhere_at_rest(server: ServerProcess, flows: Flows) -> None:
    scripts = {s.path.stem: s for s in load_scripts()}
    for name in ("selfcheck_some", "selfcheck_none"):
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            await run_script(scripts[name], flows, "en", WebChatDriver(server.url, http))
    files = people_files(server.data_dir)
    assert find_leaks(files, ANSWER_TRACES) == []
    server.stop()
    files = people_files(server.data_dir)
    log = server.log_file.read_text()
    assert "node=selfcheck.start" in log, "the log records the topic, not the answer"
    assert find_leaks(files, ANSWER_TRACES) == []
