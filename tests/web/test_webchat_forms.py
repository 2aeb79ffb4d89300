"""The web chat's server side of issue 14: forms without JavaScript, stale taps, link codes,
one hand-off per session; over real HTTP to `putokaz serve`."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.service.web_links import WebLink, WebLinks
from tests.support.server import ServerProcess


def jar() -> aiohttp.CookieJar:
    return aiohttp.CookieJar(unsafe=True)


async def chat(http: aiohttp.ClientSession, url: str, **body: Any) -> dict[str, Any]:
    async with http.post(f"{url}/api/chat", json=body) as response:
        assert response.status == 200, await response.text()
        return dict(await response.json())


async def test_a_second_tap_on_the_same_screen_is_ignored(server: ServerProcess) -> None:
    async with aiohttp.ClientSession(cookie_jar=jar()) as http:
        menu = await chat(http, server.url, action="start", payload="en")
        tap = {"action": "choose", "node": menu["node"], "screen": menu["screen"]}
        first = await chat(http, server.url, option="rights", **tap)
        second = await chat(http, server.url, option="back", **tap)
        assert first["node"] == second["node"] == "rights.start"
        assert second["screen"] == first["screen"]


async def test_form_posts_redirect_to_the_plain_page(server: ServerProcess) -> None:
    async with aiohttp.ClientSession(cookie_jar=jar()) as http:
        form = {"action": "choose", "option": "@en", "node": "welcome.start", "screen": "0"}
        async with http.post(f"{server.url}/chat", data=form, allow_redirects=False) as response:
            assert response.status == 303
            assert response.headers["Location"] == "/"
        async with http.get(f"{server.url}/") as response:
            assert 'data-node="welcome.menu"' in await response.text()
        exit_form = {"action": "exit", "option": "exit"}
        async with http.post(
            f"{server.url}/chat", data=exit_form, allow_redirects=False
        ) as response:
            assert response.status == 303
            assert response.headers["Location"] == "about:blank"
            assert response.cookies["putokaz_chat"].value == ""


async def test_link_codes_and_old_links_redirect_without_their_parts(
    server: ServerProcess,
) -> None:
    code = WebLinks(server.data_dir).code_for(WebLink("ar", "rights", "poster1"))
    async with aiohttp.ClientSession(cookie_jar=jar()) as http:
        for query in (f"s={code}", "start=ar-rights", "s=ZZZZ", "t=my+name+is"):
            async with http.get(f"{server.url}/?{query}", allow_redirects=False) as response:
                assert response.status == 303, query
                assert response.headers["Location"] == "/"
        async with http.get(f"{server.url}/?s={code}") as response:
            page = await response.text()
            assert 'data-node="rights.start"' in page
            assert '<html lang="ar" dir="rtl">' in page


def test_the_same_link_gets_the_same_code_and_codes_are_opaque(tmp_path: Any) -> None:
    links = WebLinks(tmp_path)
    code = links.code_for(WebLink("fa", "reflection"))
    assert links.code_for(WebLink("fa", "reflection")) == code
    assert links.code_for(WebLink("fa", "rights")) != code
    assert "fa" not in code.lower()
    assert WebLinks(tmp_path).find(code) == WebLink("fa", "reflection")
    assert links.find("../../etc") is None
    with pytest.raises(ValueError, match="campaign"):
        links.code_for(WebLink("fa", "rights", "bad campaign!"))


@pytest.fixture
async def hotline_inbox() -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    documents: list[dict[str, Any]] = []

    async def receive(request: web.Request) -> web.Response:
        documents.append(json.loads(await request.read()))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/handoff", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}/handoff", documents
    await runner.cleanup()


async def test_staff_are_told_once_per_session_however_often_the_hotline_is_opened(
    tmp_path: Any, hotline_inbox: tuple[str, list[dict[str, Any]]]
) -> None:
    url, documents = hotline_inbox
    env = {"PUTOKAZ_HANDOFF_WEBHOOK": url}
    with ServerProcess(tmp_path / "data", env=env) as server:
        async with aiohttp.ClientSession(cookie_jar=jar()) as http:
            reply = await chat(http, server.url, action="start", payload="en")
            codes = set()
            for _ in range(3):
                tap = {"node": reply["node"], "screen": reply["screen"]}
                reply = await chat(http, server.url, action="choose", option="talk", **tap)
                codes.add(reply["code"])
                tap = {"node": reply["node"], "screen": reply["screen"]}
                reply = await chat(http, server.url, action="choose", option="menu", **tap)
        assert len(codes) == 1
        for _ in range(50):
            if documents:
                break
            await asyncio.sleep(0.05)
    assert [d["code"] for d in documents] == list(codes)
