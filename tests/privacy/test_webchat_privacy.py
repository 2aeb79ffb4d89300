"""After a web-chat conversation, no persisted byte or log line holds the cookie or typed text."""

from __future__ import annotations

import aiohttp

from bot.channels.webchat.routes import COOKIE
from bot.engine import Flows
from tests.conversations.drivers import WebChatDriver
from tests.conversations.script import load_scripts, run_script
from tests.support.privacy import find_leaks
from tests.support.server import ServerProcess

TYPED = "my secret words zebra-42"


async def test_no_cookie_or_typed_text_at_rest_or_in_logs(
    server: ServerProcess, flows: Flows
) -> None:
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        driver = WebChatDriver(server.url, http)
        for script in load_scripts():
            if script.path.stem in {"free_text", "selfcheck_some", "rights_all_screens"}:
                await run_script(script, flows, "en", driver)
        await driver.act({"text": TYPED})
        cookie = next(c.value for c in jar if c.key == COOKIE)
    server.stop()
    files = sorted(p for p in server.data_dir.rglob("*") if p.is_file())
    assert any(p.name.endswith(".db") for p in files)
    assert any(p.name == "server.log" and p.stat().st_size > 0 for p in files)
    assert find_leaks(files, [cookie, TYPED, "zebra-42"]) == []


async def test_wal_file_is_scanned_while_the_server_runs(
    server: ServerProcess, flows: Flows
) -> None:
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        driver = WebChatDriver(server.url, http)
        await driver.act({"start": "en"})
        await driver.act({"text": TYPED})
        cookie = next(c.value for c in jar if c.key == COOKIE)
        wal = list(server.data_dir.rglob("*-wal"))
        assert wal, "SQLite runs in WAL mode, so a -wal file exists while serving"
        assert find_leaks(list(server.data_dir.rglob("*")), [cookie, TYPED]) == []
