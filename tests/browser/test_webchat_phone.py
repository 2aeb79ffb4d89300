"""Issue 14, problem by problem: the web chat on a 360×740 touch phone in headless Chromium.

Each test names the numbered problem it guards against.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from bot.engine import Flows
from bot.engine.model import MsgKey
from bot.service.web_links import WebLink, WebLinks
from tests.browser.conftest import CHROMIUM_ARGS, PHONE
from tests.support.server import ServerProcess
from tests.support.system_tools import require

pytestmark = pytest.mark.asyncio(loop_scope="session")

HOTLINE_TEL = "tel:+381616384071"


def text(flows: Flows, language: str, key: str) -> str:
    return flows.text(language, MsgKey(key)).value


async def header_bottom(page: Page) -> float:
    box = await page.locator(".bar").bounding_box()
    assert box is not None
    return box["y"] + box["height"]


async def top_of(page: Page, selector: str) -> float:
    box = await page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is on the screen"
    return box["y"]


async def on_screen(page: Page, node: str) -> None:
    await expect(page.locator(f'.screen[data-node="{node}"]')).to_be_visible()


# 1. Every screen opened scrolled to the bottom.
async def test_each_screen_starts_at_its_first_line_below_the_header(
    phone: BrowserContext, web: ServerProcess
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/")
    bottom = await header_bottom(page)
    assert bottom <= await top_of(page, ".msg") <= bottom + 40, "the greeting is in view"
    await expect(page.locator(".msg").first).to_contain_text("192")
    await expect(page.locator(".msg").first).to_be_in_viewport()

    await page.get_by_role("button", name="English").click()
    await on_screen(page, "welcome.menu")
    await page.locator('[data-option="reflection"]').click()
    await on_screen(page, "reflection.start")
    last = page.locator(".buttons button").last
    await last.scroll_into_view_if_needed()
    assert await page.evaluate("window.scrollY") > 0, "the screen is longer than the phone"
    await page.locator('[data-option="how_long"]').click()
    await expect(page.locator(".msg").first).to_contain_text("at least 30 days")
    assert await page.evaluate("window.scrollY") == 0
    bottom = await header_bottom(page)
    assert bottom <= await top_of(page, ".screen") <= bottom + 24
    assert await top_of(page, ".msg") <= bottom + 80, "the key sentence is in view"


async def test_focus_goes_to_the_new_message_without_a_ring_and_the_choice_is_echoed(
    phone: BrowserContext, web: ServerProcess
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/")
    await page.get_by_role("button", name="English").click()
    await on_screen(page, "welcome.menu")
    label = await page.locator('[data-option="rights"]').inner_text()
    await page.locator('[data-option="rights"]').click()
    await on_screen(page, "rights.start")
    focused = await page.evaluate(
        "[document.activeElement.className, getComputedStyle(document.activeElement).outlineStyle]"
    )
    assert focused == ["msg", "none"], "the message has focus, no button looks pre-selected"
    await expect(page.locator(".echo")).to_have_text(label)


# 2. Typed text vanished without a visible answer.
async def test_typed_text_gets_a_notice_next_to_the_box(
    phone: BrowserContext, web: ServerProcess, flows: Flows
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/")
    placeholder = await page.get_attribute("#typed-input", "placeholder")
    assert placeholder == text(flows, "en", "navigation.notice.input_label")
    assert "not read" in placeholder
    await page.fill("#typed-input", "my name is zebra")
    await page.press("#typed-input", "Enter")
    notice = page.locator("#typed-notice")
    await expect(notice).to_have_text(text(flows, "en", "navigation.notice.free_text"))
    await expect(notice).to_be_in_viewport()
    box, field = await notice.bounding_box(), await page.locator("#typed-input").bounding_box()
    assert box is not None
    assert field is not None
    assert 0 <= field["y"] - (box["y"] + box["height"]) <= 16, "the notice sits on the box"
    assert "zebra" not in page.url


# 3. A tap while offline did nothing.
async def test_offline_tap_says_so_with_the_hotline_in_the_persons_language(
    phone: BrowserContext, web: ServerProcess, flows: Flows
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/?start=ar")
    await on_screen(page, "welcome.menu")
    await phone.set_offline(True)
    try:
        await page.locator('[data-option="rights"]').click()
        offline = page.locator("#offline")
        await expect(offline).to_be_visible()
        await expect(offline).to_contain_text(text(flows, "ar", "navigation.notice.web_offline"))
        assert await offline.locator("a").get_attribute("href") == HOTLINE_TEL
        await expect(offline.locator("a")).to_have_text("+381\u00a061\u00a063\u00a084\u00a0071")
        await expect(page.locator("#retry")).to_have_text(
            text(flows, "ar", "navigation.notice.web_retry")
        )
    finally:
        await phone.set_offline(False)
    await page.locator("#retry").click()
    await on_screen(page, "rights.start")
    await expect(page.locator("#offline")).to_be_hidden()


async def test_a_server_that_is_gone_gets_the_same_message(
    browser: Browser, tmp_path: Path, flows: Flows
) -> None:
    with ServerProcess(tmp_path / "gone") as server:
        context = await browser.new_context(**PHONE)
        page = await context.new_page()
        await page.goto(f"{server.url}/?start=fr")
        await on_screen(page, "welcome.menu")
        server.stop()
        await page.locator('[data-option="rights"]').click()
        await expect(page.locator("#offline")).to_contain_text(
            text(flows, "fr", "navigation.notice.web_offline")
        )
        await context.close()


# 5. "Forget me" left the conversation on screen; "Start again" switched to English.
async def test_forget_clears_the_page_and_keeps_the_language(
    phone: BrowserContext, web: ServerProcess
) -> None:
    other = await phone.new_page()  # an older tab on the same conversation
    await other.goto(f"{web.url}/?start=ar-safety")
    await on_screen(other, "safety.start")
    page = await phone.new_page()
    await page.goto(f"{web.url}/?start=ar-safety")
    await on_screen(page, "safety.start")
    await page.locator('[data-option="forget"]').click()
    await on_screen(page, "safety.forgotten")
    assert await page.locator(".screen").count() == 1
    assert await page.locator(".msg").count() == 1, "nothing of the conversation is left"
    await on_screen(other, "welcome.start")  # the other tab is cleared as well
    await page.locator('[data-option="again"]').click()
    await on_screen(page, "welcome.start")
    assert await page.evaluate("document.documentElement.lang") == "ar"


# 6. The escalation link kept topic and language readable in history.
async def test_escalation_codes_leave_no_topic_or_language_in_history(
    browser: Browser, web: ServerProcess, tmp_path: Path
) -> None:
    code = WebLinks(web.data_dir).code_for(WebLink("fa", "reflection"))
    profile = tmp_path / "profile"
    context = await browser.browser_type.launch_persistent_context(
        str(profile), executable_path=require("chromium"), args=CHROMIUM_ARGS, **PHONE
    )
    page = context.pages[0] if context.pages else await context.new_page()
    await page.goto(f"{web.url}/?s={code}")
    await on_screen(page, "reflection.start")
    assert await page.evaluate("document.documentElement.lang") == "fa"
    assert urlsplit(page.url).path == "/"
    assert urlsplit(page.url).query == ""
    entries = await page.evaluate("history.length")
    await page.locator('[data-option="how_long"]').click()
    await expect(page.locator(".msg").first).to_be_visible()
    assert await page.evaluate("history.length") == entries, "taps add no history entries"
    await context.close()
    visited = [
        row[0]
        for row in sqlite3.connect(profile / "Default" / "History").execute("SELECT url FROM urls")
    ]
    assert any(f"s={code}" in url for url in visited)
    assert not [url for url in visited if "reflection" in url or "fa" in urlsplit(url).query]


async def test_old_start_links_redirect_to_the_code_free_first_screen(
    phone: BrowserContext, web: ServerProcess
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/?start=fa-reflection")
    await on_screen(page, "reflection.start")
    assert page.url == f"{web.url}/"
    assert await page.evaluate("document.documentElement.lang") == "fa"


# 7. Quick exit in one tab left the conversation in another.
async def test_quick_exit_in_one_tab_clears_every_tab_and_the_session(
    phone: BrowserContext, web: ServerProcess
) -> None:
    first, second = await phone.new_page(), await phone.new_page()
    await first.goto(f"{web.url}/?start=en-reflection")
    await on_screen(first, "reflection.start")
    await second.goto(f"{web.url}/?start=en-reflection")
    await on_screen(second, "reflection.start")
    await first.locator("#quick-exit").click()
    await first.wait_for_url("about:blank")
    await second.wait_for_url("about:blank")
    assert "reflection" not in (await second.content()).lower()
    third = await phone.new_page()
    await third.goto(f"{web.url}/")
    await on_screen(third, "welcome.start")


# 8. A double tap went two screens forward.
async def test_a_double_tap_moves_one_screen(phone: BrowserContext, web: ServerProcess) -> None:
    page = await phone.new_page()
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    await page.goto(f"{web.url}/?start=en")
    await on_screen(page, "welcome.menu")
    await page.locator('[data-option="rights"]').dblclick()
    await on_screen(page, "rights.start")
    await page.wait_for_load_state("networkidle")
    await on_screen(page, "rights.start")
    assert len(posts) == 1, "the second tap was ignored while the reply was pending"


# 9. A closed tab reopened later showed the menu in the person's language.
async def test_a_reopened_tab_starts_at_the_neutral_first_screen(
    phone: BrowserContext, web: ServerProcess
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/")
    await page.get_by_role("button", name="Українська").click()
    await on_screen(page, "welcome.menu")
    await page.reload()
    await on_screen(page, "welcome.menu")  # the same tab carries on
    await page.close()
    reopened = await phone.new_page()
    await reopened.goto(f"{web.url}/")
    await on_screen(reopened, "welcome.start")
    await expect(reopened.locator('[data-option="rights"]')).to_have_count(0)


@pytest.fixture(scope="module")
def quick_idle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    env = {"PUTOKAZ_WEB_IDLE": "2"}
    with ServerProcess(tmp_path_factory.mktemp("idle"), env=env) as running:
        yield running


async def test_an_idle_session_starts_again_at_the_neutral_first_screen(
    phone: BrowserContext, quick_idle: ServerProcess
) -> None:
    page = await phone.new_page()
    await page.goto(f"{quick_idle.url}/?start=en-rights")
    await on_screen(page, "rights.start")
    await asyncio.sleep(2.5)  # PUTOKAZ_WEB_IDLE=2 for this server
    await page.reload()
    await on_screen(page, "welcome.start")


# 10. The smaller ones.
async def test_right_to_left_is_mirrored_whole(
    phone: BrowserContext, web: ServerProcess, flows: Flows
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/?start=ar-rights")
    await on_screen(page, "rights.start")
    assert await page.evaluate("[document.documentElement.dir, document.documentElement.lang]") == [
        "rtl",
        "ar",
    ]
    back = await page.locator('[data-option="back"]').inner_text()
    assert back.startswith("➡"), "Back points the way right-to-left text goes back"
    transform = await page.evaluate(
        "getComputedStyle(document.querySelector('.send span')).transform"
    )
    assert transform.startswith("matrix(-1"), "the send arrow is mirrored"
    assert await page.get_attribute(".send", "aria-label") == text(
        flows, "ar", "navigation.notice.web_send"
    )
    assert await page.locator(".exit-label").inner_text() == text(
        flows, "ar", "navigation.footer.exit"
    )


async def test_the_handoff_code_is_large_on_its_own_line_and_the_same_on_a_second_visit(
    phone: BrowserContext, web: ServerProcess
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/?start=en")
    await page.locator('[data-option="talk"]').click()
    await on_screen(page, "hotline.start")
    code = (await page.locator(".code .num").inner_text()).strip()
    assert len(code) == 4
    sizes = await page.evaluate(
        "[parseFloat(getComputedStyle(document.querySelector('.code .num')).fontSize),"
        " parseFloat(getComputedStyle(document.querySelector('.msg')).fontSize)]"
    )
    assert sizes[0] >= 1.5 * sizes[1]
    await expect(page.locator(".code .copy")).to_be_visible()
    await page.locator('[data-option="menu"]').click()
    await on_screen(page, "welcome.menu")
    await page.locator('[data-option="talk"]').click()
    await on_screen(page, "hotline.start")
    assert (await page.locator(".code .num").inner_text()).strip() == code


async def test_selfcheck_back_goes_to_the_previous_question(
    phone: BrowserContext, web: ServerProcess
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/?start=en-selfcheck")
    await page.locator('[data-option="begin"]').click()
    await on_screen(page, "selfcheck.q1")
    await page.locator('[data-option="yes"]').click()
    await on_screen(page, "selfcheck.q2_yes")
    await page.locator('[data-option="no"]').click()
    await on_screen(page, "selfcheck.q3_yes")
    await page.locator('[data-option="back"]').click()
    await on_screen(page, "selfcheck.q2_yes")
    await expect(page.locator(".msg").first).to_contain_text("2 of 5")
    await page.locator('[data-option="back"]').click()
    await on_screen(page, "selfcheck.q1")


async def test_esc_is_shown_only_where_a_keyboard_is_likely(
    browser: Browser, phone: BrowserContext, web: ServerProcess
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/")
    await expect(page.locator("#quick-exit kbd")).to_be_hidden()
    desktop = await browser.new_context(viewport={"width": 1024, "height": 700})
    wide = await desktop.new_page()
    await wide.goto(f"{web.url}/")
    await expect(wide.locator("#quick-exit kbd")).to_be_visible()
    await desktop.close()


async def test_the_header_quick_exit_is_first_in_the_tab_order(
    phone: BrowserContext, web: ServerProcess
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/")
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.id") == "quick-exit"


async def test_sizes_follow_the_browsers_text_size_and_200_percent_keeps_send_in_view(
    phone: BrowserContext, web: ServerProcess
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/")
    normal = await page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.msg')).fontSize)"
    )
    await page.evaluate("document.documentElement.style.fontSize = '32px'")
    doubled = await page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.msg')).fontSize)"
    )
    assert doubled == pytest.approx(2 * normal)
    await page.evaluate("document.documentElement.style.fontSize = ''")
    await page.set_viewport_size({"width": 180, "height": 370})  # 360×740 at 200 % zoom
    send = await page.locator(".send").bounding_box()
    assert send is not None
    assert send["x"] + send["width"] <= 180


async def test_text_size_buttons_are_remembered_only_for_the_open_tab(
    phone: BrowserContext, web: ServerProcess, flows: Flows
) -> None:
    page = await phone.new_page()
    await page.goto(f"{web.url}/?start=zh_Hans")
    await on_screen(page, "welcome.menu")
    larger = page.locator("#text-larger")
    assert await larger.get_attribute("aria-label") == text(
        flows, "zh-Hans", "navigation.notice.web_larger"
    )
    size = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    before = await page.evaluate(size)
    await larger.click()
    await larger.click()
    bigger = await page.evaluate(size)
    assert bigger > before
    await page.reload()
    assert await page.evaluate(size) == bigger
    await page.locator("#text-smaller").click()
    assert await page.evaluate(size) < bigger
    other = await phone.new_page()
    await other.goto(f"{web.url}/")
    assert await other.evaluate(size) == before


async def test_first_screen_is_small_and_nothing_leaves_loopback_but_the_exit(
    phone: BrowserContext, web: ServerProcess
) -> None:
    page = await phone.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r))
    await page.goto(f"{web.url}/")
    await page.wait_for_load_state("networkidle")
    loaded = list(requests)
    sizes = [await r.sizes() for r in loaded]
    transferred = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
    assert len(loaded) < 5, [r.url for r in loaded]
    assert transferred < 15_000, f"{transferred} bytes"
    assert not any("favicon" in r.url for r in loaded)

    await page.get_by_role("button", name="English").click()
    await page.locator('[data-option="talk"]').click()
    await on_screen(page, "hotline.start")
    await page.locator("#quick-exit").click()
    await page.wait_for_url("about:blank")
    hosts = {urlsplit(r.url).hostname for r in requests if r.url.startswith("http")}
    assert hosts == {"127.0.0.1"}, hosts


@pytest.mark.parametrize("language", ["en", "ar", "fa", "zh_Hans"])
async def test_screenshots_of_the_first_screen_menu_and_hotline(
    phone: BrowserContext, web: ServerProcess, language: str, screenshots: Path
) -> None:
    """docs/screenshots at 360 px for `make screenshots`; here, they must render whole."""
    page = await phone.new_page()
    name = language.split("_")[0]
    await page.goto(f"{web.url}/")
    await page.locator(f'[data-option="@{language.replace("_", "-")}"]').click()
    await on_screen(page, "welcome.menu")
    await page.screenshot(path=str(screenshots / f"webchat-menu-{name}.png"))
    await page.locator('[data-option="talk"]').click()
    await on_screen(page, "hotline.start")
    await expect(page.locator(".code .num")).to_be_in_viewport()
    await page.screenshot(path=str(screenshots / f"webchat-hotline-{name}.png"))
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scroll"
