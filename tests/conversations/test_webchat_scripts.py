"""Every conversation script through the web chat, over real HTTP to `putokaz serve`."""

from __future__ import annotations

import aiohttp

from bot.engine import Flows
from tests.conversations.drivers import WebChatDriver
from tests.conversations.script import load_scripts, run_script
from tests.support.server import ServerProcess


async def test_every_script_in_every_language_over_the_web_chat(
    server: ServerProcess, flows: Flows, languages: list[str]
) -> None:
    scripts = load_scripts()
    for language in languages:
        for script in scripts:
            jar = aiohttp.CookieJar(unsafe=True)
            async with aiohttp.ClientSession(cookie_jar=jar) as http:
                await run_script(script, flows, language, WebChatDriver(server.url, http))
