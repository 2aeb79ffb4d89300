"""The hotline hand-off: a code on screen, and exactly {code, language, topics, time} to staff."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import aiohttp
from aiohttp import web

from tests.conversations.drivers import WebChatDriver
from tests.support.server import ServerProcess, free_port

CODE = re.compile(r"\b([A-Z0-9]{4})\b")


async def test_staff_webhook_receives_the_code_language_and_topics_only(tmp_path: Path) -> None:
    received: list[dict[str, object]] = []
    arrived = asyncio.Event()

    async def receive(request: web.Request) -> web.Response:
        received.append(await request.json())
        arrived.set()
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/handoff", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    server = ServerProcess(
        tmp_path / "data", env={"PUTOKAZ_HANDOFF_WEBHOOK": f"http://127.0.0.1:{port}/handoff"}
    )
    try:
        await asyncio.to_thread(server.start)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            driver = WebChatDriver(server.url, http)
            await driver.act({"start": "en-reflection"})
            await driver.act({"choose": "how_long"})
            await driver.act({"menu": True})
            await driver.act({"choose": "rights"})
            shown = await driver.act({"choose": "hotline"})
        await asyncio.wait_for(arrived.wait(), timeout=10)
    finally:
        await asyncio.to_thread(server.stop)
        await runner.cleanup()

    assert len(received) == 1
    document = received[0]
    assert set(document) == {"code", "language", "topics", "time"}
    codes = CODE.findall(" ".join(shown.texts))
    assert document["code"] in codes
    assert document["language"] == "en"
    assert document["topics"] == ["reflection", "rights"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00Z", str(document["time"]))
