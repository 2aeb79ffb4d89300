"""A person on a phone taps through to the reflection period and quick-exits."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import BrowserContext, expect

from tests.support.server import ServerProcess

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_reflection_period_then_quick_exit_leaves_nothing(
    phone: BrowserContext, web: ServerProcess, screenshots: Path
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/")
    await page.get_by_role("button", name="English").click()
    await page.locator('[data-option="reflection"]').click()
    await expect(page.locator(".msg").last).to_contain_text("reflection")
    await page.locator('[data-option="how_long"]').click()
    await expect(page.locator(".msg").last).to_contain_text("at least 30 days")
    await page.screenshot(path=str(screenshots / "webchat-reflection.png"))

    await page.locator("#quick-exit").click()
    await page.wait_for_url("about:blank")
    assert "30 days" not in await page.content()

    await page.go_back()
    assert "30 days" not in await page.content()
    assert "reflection" not in (await page.content()).lower()


async def test_escape_key_is_a_quick_exit(phone: BrowserContext, web: ServerProcess) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/?start=en-rights")
    await expect(page.locator(".msg").first).to_be_visible()
    assert page.url.endswith("/"), "the escalation payload is removed from the address bar"
    await page.keyboard.press("Escape")
    await page.wait_for_url("about:blank")


async def test_typed_text_is_cleared_and_never_sent(
    phone: BrowserContext, web: ServerProcess
) -> None:
    page = await phone.new_page()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url + (r.post_data or "")))
    await page.goto(f"{web.url}/?start=en")
    await expect(page.locator(".msg").first).to_be_visible()
    await page.fill("#typed-input", "my secret words zebra-42")
    await page.press("#typed-input", "Enter")
    await expect(page.locator("#typed-notice")).to_be_visible()
    assert await page.input_value("#typed-input") == ""
    assert not any("zebra" in body for body in sent)
