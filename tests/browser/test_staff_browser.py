"""The staff area end to end in headless Chromium: an editor changes a sentence of the
reflection period, breaks a button and sees the located error, fixes it, previews it in
Farsi, publishes; the web chat and Telegram (the fake Bot API) say the new sentence from
the same server process; restoring version 1 brings the old one back."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from bot.admin.roles import Role
from bot.engine import Flows
from tests.admin.staff_client import PASSWORD
from tests.browser.conftest import PHONE
from tests.channels.telegram.test_channel import TOKEN, Mode, TelegramDriver
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.server import ServerProcess

pytestmark = pytest.mark.asyncio(loop_scope="session")

NEW = "The period lasts at least 30 days, and you can ask for more."
LAPTOP = {"viewport": {"width": 1280, "height": 900}}


def old_sentence(flows: Flows) -> str:
    return flows.node("reflection.how_long").say[0].split(". ")[0] + "."


@pytest.fixture
def telegram() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI(token=TOKEN).run_in_thread() as fake:
        yield fake


@pytest.fixture
def staff_server(tmp_path: Path, telegram: FakeTelegramAPI) -> Iterator[ServerProcess]:
    """`putokaz serve` with Telegram by long polling against the fake, and one editor."""
    data = tmp_path / "data"
    data.mkdir()
    from bot.admin.database import open_staff_data
    from bot.store.pseudonym import load_pepper

    staff = open_staff_data(data / "staff.db", load_pepper(data))
    staff.accounts.add("erin", Role.EDITOR, PASSWORD, 0.0)
    staff.accounts.add("adam", Role.ADMIN, PASSWORD, 0.0)
    staff.close()
    env = {"PUTOKAZ_TELEGRAM_TOKEN": TOKEN, "PUTOKAZ_TELEGRAM_API_URL": telegram.base_url}
    with ServerProcess(data, env=env) as server:
        yield server


async def accept_dialogs(page: Page) -> None:
    page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))


async def web_chat_says(browser: Browser, url: str) -> str:
    """What a new visitor of the web chat reads on "How long is it?"."""
    context = await browser.new_context(**PHONE)
    page = await context.new_page()
    await page.goto(f"{url}/?start=en-reflection")
    await page.locator('[data-option="how_long"]').click()
    await expect(page.locator(".msg").last).to_contain_text("30 days")
    text = await page.locator(".msg").last.inner_text()
    await context.close()
    return text


async def telegram_says(server: ServerProcess, fake: FakeTelegramAPI, flows: Flows) -> str:
    """The text of the Bot API calls answering a new Telegram chat's "How long is it?"."""
    driver = TelegramDriver(Mode(server, fake, webhook=False), flows)
    await driver.act({"start": "en-reflection"})
    observed = await driver.act({"choose": "how_long"})
    return "\n".join(observed.texts)


async def test_edit_check_preview_publish_and_restore_in_the_browser(
    browser: Browser,
    staff_server: ServerProcess,
    telegram: FakeTelegramAPI,
    flows: Flows,
    screenshots: Path,
) -> None:
    old = old_sentence(flows)
    url = staff_server.url
    pid = staff_server.process.pid if staff_server.process else None
    assert old in await web_chat_says(browser, url)
    assert old in await telegram_says(staff_server, telegram, flows)

    context: BrowserContext = await browser.new_context(**LAPTOP)
    page = await context.new_page()
    await accept_dialogs(page)

    # No page without a session: /admin/ sends to the login form.
    await page.goto(f"{url}/admin/")
    await expect(page).to_have_url(f"{url}/admin/login")
    await page.screenshot(path=str(screenshots / "staff-login.png"))
    await page.fill("#name", "erin")
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await expect(page.get_by_role("heading", name="Flows")).to_be_visible()
    await page.screenshot(path=str(screenshots / "staff-flows.png"), full_page=True)

    # The reflection flow's graph; tap the screen "how_long".
    await page.get_by_role("link", name="reflection", exact=True).click()
    await expect(page.locator(".graph svg")).to_be_visible()
    await page.screenshot(path=str(screenshots / "staff-graph.png"), full_page=True)
    await page.locator('.graph a[data-node="how_long"]').click()
    await expect(page.get_by_role("heading", name="Screen reflection.how_long")).to_be_visible()

    # Change a sentence.
    message = page.locator("#say-1")
    await message.fill((await message.input_value()).replace(old, NEW))
    await page.get_by_role("button", name="Save to draft and check").click()
    await expect(page.get_by_role("status")).to_contain_text("Saved to your draft")
    assert NEW in await page.locator("#say-1").input_value()
    await page.screenshot(path=str(screenshots / "staff-node.png"), full_page=True)

    # A goto to a node that does not exist: the error names the file and line.
    row = page.locator('input[name$="-id"][value="all"]')
    target_name = (await row.get_attribute("name") or "").replace("-id", "-target")
    await page.fill(f'input[name="{target_name}"]', "missing_node")
    await page.get_by_role("button", name="Save to draft and check").click()
    problem = page.locator("ul.problems li", has_text="reflection.missing_node")
    await expect(problem).to_contain_text("flows/reflection.yaml:")
    await expect(problem).to_contain_text("which does not exist")
    await page.screenshot(path=str(screenshots / "staff-error.png"), full_page=True)

    # Fix it in the YAML editor, reached from the problem's line link.
    await problem.get_by_role("link").click()
    await expect(page.get_by_role("heading", name="YAML of reflection.yaml")).to_be_visible()
    editor = page.locator("#yaml")
    await editor.fill((await editor.input_value()).replace("missing_node", "start"))
    await page.screenshot(path=str(screenshots / "staff-yaml.png"))
    await page.get_by_role("button", name="Save to draft and check").click()
    await expect(page.get_by_role("status")).to_contain_text("found no error")

    # Preview in Farsi: the changed English shows with the "not translated yet" notice.
    await page.goto(f"{url}/admin/preview")
    await page.select_option("#lang", "fa")
    await page.select_option("#flow", "reflection")
    await page.get_by_role("button", name="Start").click()
    await page.locator('.chat button[data-option="how_long"]').click()
    fallback = flows.text("fa", flows.navigation.notices["fallback"]).value
    await expect(page.locator(".chat .fallback")).to_have_text(fallback)
    await expect(page.locator(".chat .bubble").first).to_contain_text(NEW)
    await page.screenshot(path=str(screenshots / "staff-preview-fa.png"), full_page=True)

    # Publish.
    await page.get_by_role("navigation").get_by_role("link", name="Draft").click()
    await expect(page.locator("pre.diff")).to_contain_text(NEW)
    await page.fill("#message", "Say that one can ask for more time")
    await page.screenshot(path=str(screenshots / "staff-draft.png"), full_page=True)
    await page.get_by_role("button", name="Publish").click()
    await expect(page.get_by_role("status")).to_contain_text("Published")
    await page.screenshot(path=str(screenshots / "staff-published.png"), full_page=True)

    assert NEW in await web_chat_says(browser, url)
    assert NEW in await telegram_says(staff_server, telegram, flows)

    # Restore version 1: the old sentence returns.
    await page.get_by_role("navigation").get_by_role("link", name="History").click()
    await page.screenshot(path=str(screenshots / "staff-history.png"), full_page=True)
    await page.get_by_role("link", name="1", exact=True).click()
    await page.get_by_role("button", name="Restore version 1").click()
    await expect(page.get_by_role("status")).to_contain_text("Restored as version 3")
    assert old in await web_chat_says(browser, url)
    assert old in await telegram_says(staff_server, telegram, flows)

    # The same process all along, and no staff secret in its log.
    assert staff_server.process is not None
    assert staff_server.process.poll() is None
    assert staff_server.process.pid == pid
    cookie = next(c["value"] for c in await context.cookies() if c["name"] == "putokaz_staff")
    log = staff_server.log_file.read_text()
    assert "event=flows_published" in log
    assert PASSWORD not in log
    assert cookie not in log
    await context.close()


async def test_the_graph_and_node_form_fit_a_phone(
    browser: Browser, staff_server: ServerProcess, screenshots: Path
) -> None:
    context = await browser.new_context(**PHONE)
    page = await context.new_page()
    await page.goto(f"{staff_server.url}/admin/login")
    await page.fill("#name", "erin")
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.goto(f"{staff_server.url}/admin/flows/reflection")
    await expect(page.locator(".graph svg")).to_be_visible()
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"], "the page itself does not scroll sideways"
    await page.screenshot(path=str(screenshots / "staff-graph-phone.png"))
    await page.goto(f"{staff_server.url}/admin/flows/reflection/nodes/how_long")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"]
    await page.screenshot(path=str(screenshots / "staff-node-phone.png"), full_page=True)
    await context.close()


async def test_an_admin_reads_the_audit_log(
    browser: Browser, staff_server: ServerProcess, screenshots: Path
) -> None:
    context = await browser.new_context(**LAPTOP)
    page = await context.new_page()
    await page.goto(f"{staff_server.url}/admin/login")
    await page.fill("#name", "adam")
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.get_by_role("navigation").get_by_role("link", name="Audit").click()
    await expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    await expect(page.locator("table")).to_contain_text("logged_in")
    await page.screenshot(path=str(screenshots / "staff-audit.png"), full_page=True)
    await context.close()
