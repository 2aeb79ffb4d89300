"""A person on a phone taps through to the reflection period and quick-exits."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.browser.conftest import PHONE
from tests.support.server import ServerProcess

DOCS = Path(__file__).parents[2] / "docs"


def test_reflection_period_then_quick_exit_leaves_nothing(
    browser: Browser, server: ServerProcess
) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/")
    page.get_by_role("button", name="English").click()
    page.locator('[data-option="reflection"]').click()
    expect(page.locator(".msg").last).to_contain_text("reflection")
    page.locator('[data-option="how_long"]').click()
    expect(page.locator(".msg").last).to_contain_text("at least 30 days")
    page.screenshot(path=str(DOCS / "screenshots" / "webchat-reflection.png"), full_page=True)

    page.locator("#quick-exit").click()
    page.wait_for_url("about:blank")
    assert "30 days" not in page.content()

    page.go_back()
    assert "30 days" not in page.content()
    assert "reflection" not in page.content().lower()
    context.close()


def test_escape_key_is_a_quick_exit(browser: Browser, server: ServerProcess) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{server.url}/?start=en-rights")
    expect(page.locator(".msg").first).to_be_visible()
    assert page.url.endswith("/"), "the escalation payload is removed from the address bar"
    page.keyboard.press("Escape")
    page.wait_for_url("about:blank")
    context.close()


def test_typed_text_is_cleared_and_never_sent(browser: Browser, server: ServerProcess) -> None:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.post_data or "") if r.method == "POST" else None)
    page.goto(f"{server.url}/?start=en")
    expect(page.locator(".msg").first).to_be_visible()
    page.fill("#typed-input", "my secret words zebra-42")
    page.press("#typed-input", "Enter")
    expect(page.locator(".notice")).to_be_visible()
    assert page.input_value("#typed-input") == ""
    assert not any("zebra" in body for body in sent)
    context.close()
