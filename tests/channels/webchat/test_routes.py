"""The web chat's HTTP surface: health, the page, bad requests answered clearly."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from bot.channels.webchat.routes import COOKIE
from bot.engine import Flows
from tests.fakes.pausing_store import PausingStore
from tests.support.inprocess import in_process
from tests.support.server import ServerProcess


async def test_healthz_answers(server: ServerProcess) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{server.url}/healthz") as response:
        assert response.status == 200
        assert (await response.json())["status"] == "ok"


async def test_the_page_needs_no_external_resources(server: ServerProcess) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{server.url}/") as response:
        html = await response.text()
        assert response.status == 200
        assert "quick-exit" in html
        assert "http://" not in html.replace('data-exit-url="about:blank"', "")
        assert "https://" not in html
        assert response.headers["Cache-Control"] == "no-store"
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]


async def test_bad_requests_get_a_clear_400(server: ServerProcess) -> None:
    async with aiohttp.ClientSession() as http:
        for body, fragment in [
            (b"not json", "not JSON"),
            (b'{"action": "dance"}', "unknown action"),
            (b'{"action": "choose"}', 'needs "option"'),
            (b"[1, 2]", "JSON object"),
        ]:
            async with http.post(f"{server.url}/api/chat", data=body) as response:
                assert response.status == 400
                assert fragment in (await response.json())["error"]
        async with http.post(f"{server.url}/api/chat", data=b"x" * 5000) as response:
            assert response.status == 413


async def test_a_new_visitor_gets_a_random_http_only_cookie(server: ServerProcess) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.post(f"{server.url}/api/chat", json={"action": "start"}) as response:
            cookie = response.cookies["putokaz_chat"]
            assert cookie["httponly"]
            assert cookie["samesite"] == "Strict"
            assert len(cookie.value) == 43
        async with http.post(f"{server.url}/api/chat", json={"action": "exit"}) as response:
            assert response.cookies["putokaz_chat"].value == ""
            assert (await response.json())["exit_url"] == "about:blank"


async def test_a_forged_cookie_is_replaced_not_a_crash(server: ServerProcess) -> None:
    async with aiohttp.ClientSession() as http:
        for cookie in ["x" * 43 + "é", "%FF" * 15, "short"]:
            headers = {"Cookie": f"putokaz_chat={cookie}"}
            async with http.post(
                f"{server.url}/api/chat", json={"action": "start"}, headers=headers
            ) as response:
                assert response.status == 200
                assert len(response.cookies["putokaz_chat"].value) == 43
    assert "Traceback" not in server.log_file.read_text()


async def test_the_browser_language_is_suggested_first(server: ServerProcess) -> None:
    headers = {"Accept-Language": "ar-SY,ar;q=0.9,en;q=0.5"}
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{server.url}/api/chat", json={"action": "start"}, headers=headers) as response,
    ):
        reply = await response.json()
    assert reply["language"] == "ar"
    assert reply["direction"] == "rtl"
    assert reply["messages"][-1]["buttons"][0]["id"] == "@ar"


async def test_a_tap_racing_a_quick_exit_cannot_bring_the_session_back(
    tmp_path: Path, flows: Flows
) -> None:
    async with in_process(tmp_path, flows, {}, wrap=PausingStore) as chat:
        paused = chat.store
        assert isinstance(paused, PausingStore)
        started = await chat.client.post("/api/chat", json={"action": "start", "payload": "en"})
        cookie = started.cookies[COOKIE].value
        headers = {"Cookie": f"{COOKIE}={cookie}"}
        paused.pause_next_save()  # the tap's reply is built, its save waits
        tap = {"action": "choose", "option": "rights", "node": "welcome.menu"}
        tapping = asyncio.create_task(chat.client.post("/api/chat", json=tap, headers=headers))
        await paused.paused.wait()
        leaving = asyncio.create_task(
            chat.client.post("/api/chat", json={"action": "exit"}, headers=headers)
        )
        for _ in range(20):  # every chance for the exit to overtake the tap's save
            await asyncio.sleep(0.01)
        paused.release()
        answers = await asyncio.gather(tapping, leaving)
        assert [a.status for a in answers] == [200, 200]
        assert "exit_url" in await answers[1].json()
        assert chat.sessions("webchat", cookie) == 0


async def test_a_turn_is_one_write_and_a_page_view_writes_nothing(
    tmp_path: Path, flows: Flows
) -> None:
    async with in_process(tmp_path, flows, {}) as chat:
        changes = chat.changes
        assert (await chat.client.get("/")).status == 200
        assert chat.changes == changes
        await chat.client.post("/api/chat", json={"action": "start", "payload": "en"})
        # The session row and the screen's count, in one transaction (no delivery id here).
        assert chat.changes - changes == 2
