"""The web chat with JavaScript off: every screen is a server page, every button a form.

Problem 4 of issue 14: with JavaScript off the page was blank and Enter put the typed
text into the address bar and history.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, expect

from bot.engine import Flows
from bot.engine.model import MsgKey
from tests.browser.conftest import PHONE
from tests.support.server import ServerProcess

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest_asyncio.fixture(loop_scope="session")
async def no_js(browser: Browser) -> AsyncIterator[BrowserContext]:
    context = await browser.new_context(java_script_enabled=False, **PHONE)
    yield context
    await context.close()


async def on_screen(page: Page, node: str) -> None:
    await expect(page.locator(f'.screen[data-node="{node}"]')).to_be_visible()


async def test_welcome_language_rights_hotline_without_javascript(
    no_js: BrowserContext, web: ServerProcess, screenshots: Path
) -> None:
    page = await no_js.new_page()
    posted: list[str] = []
    page.on("request", lambda r: posted.append(f"{r.method} {r.url}"))
    await page.goto(f"{web.url}/")
    await on_screen(page, "welcome.start")
    await expect(page.locator("noscript a.noscript-exit")).to_be_visible()
    await expect(page.locator("noscript a.num-link")).to_have_attribute("href", "tel:+381616384071")
    await page.get_by_role("button", name="English").click()
    await on_screen(page, "welcome.menu")
    assert page.url == f"{web.url}/", "redirect after post: the address is the plain page"
    await page.locator('[data-option="rights"]').click()
    await on_screen(page, "rights.start")
    await page.locator('[data-option="hotline"]').click()
    await on_screen(page, "hotline.start")
    await expect(page.locator(".msg").first).to_contain_text(
        "+381\u00a061\u00a063\u00a084\u00a0071"
    )
    await expect(page.locator(".code .num")).to_have_text(
        await page.locator(".code .num").inner_text()
    )
    assert len((await page.locator(".code .num").inner_text()).strip()) == 4
    await expect(page.locator('a[data-option="call"]')).to_have_attribute(
        "href", "tel:+381616384071"
    )
    await page.screenshot(path=str(screenshots / "webchat-nojs-hotline-en.png"))

    before = len(posted)
    await page.reload()  # a reload after a post shows the screen again, it posts nothing
    await on_screen(page, "hotline.start")
    assert [line for line in posted[before:] if line.startswith("POST")] == []


async def test_typed_text_never_reaches_a_url_or_the_server(
    no_js: BrowserContext, web: ServerProcess, flows: Flows
) -> None:
    page = await no_js.new_page()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url + " " + (r.post_data or "")))
    await page.goto(f"{web.url}/")
    await page.fill("#typed-input", "my name is zebra")
    await page.press("#typed-input", "Enter")
    await expect(page.locator(".notice").first).to_have_text(
        flows.text("en", MsgKey("navigation.notice.free_text")).value
    )
    assert page.url == f"{web.url}/"
    assert not [line for line in sent if "zebra" in line]
    history = await page.evaluate("history.length")
    assert history <= 3


async def test_answers_quick_exit_and_forget_work_without_javascript(
    no_js: BrowserContext, web: ServerProcess
) -> None:
    page = await no_js.new_page()
    await page.goto(f"{web.url}/?start=ar-selfcheck")
    await on_screen(page, "selfcheck.start")
    await page.locator('[data-option="begin"]').click()
    await on_screen(page, "selfcheck.q1")
    await page.locator('[data-option="yes"]').click()
    await on_screen(page, "selfcheck.q2_yes")
    await page.locator('[data-option="back"]').click()
    await on_screen(page, "selfcheck.q1")

    await page.goto(f"{web.url}/?start=ar-safety")
    await page.locator('[data-option="forget"]').click()
    await on_screen(page, "safety.forgotten")
    assert await page.evaluate("document.documentElement.lang") == "ar"
    await page.locator('[data-option="again"]').click()
    await on_screen(page, "welcome.start")
    assert await page.evaluate("document.documentElement.lang") == "ar"

    await page.get_by_role("button", name="English").click()
    await on_screen(page, "welcome.menu")
    # The exit form clears the session and redirects to the exit page (the test server's
    # is about:blank, which a redirect cannot open: tests/web checks the Location).
    await page.locator("#quick-exit").click()
    await page.wait_for_load_state()
    assert not [c for c in await no_js.cookies() if c["name"] == "putokaz_chat"]
    again = await no_js.new_page()
    await again.goto(f"{web.url}/")
    await on_screen(again, "welcome.start")
