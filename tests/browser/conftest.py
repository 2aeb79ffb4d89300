"""Headless Debian Chromium driven by Playwright (its own browser download is not used).

One browser for the whole run and one server per test module keep the browser tests fast;
each test opens its own context (cookies, storage) so tests stay independent.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, async_playwright

from bot.engine import Flows
from bot.service.runtime import Services
from tests.support.app_server import AppServer
from tests.support.system_tools import require

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


DOCS_SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """docs/screenshots with `make screenshots`; a temporary folder otherwise, so a test
    run leaves the checkout unchanged."""
    if os.environ.get("PUTOKAZ_UPDATE_SCREENSHOTS") == "1":
        return DOCS_SCREENSHOTS
    return tmp_path


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Playwright's async API: its sync API would take over the event loop of the test run."""
    executable = require("chromium")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@pytest.fixture
def server(app_server: AppServer) -> AppServer:
    """Here the process boundary is not what is tested: the app runs in this process."""
    return app_server


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory, flows: Flows) -> Iterator[AppServer]:
    """One web app (in this process) for the tests of a module (each has its own cookies)."""
    with AppServer(tmp_path_factory.mktemp("web"), services=Services(flows=flows)) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="session")
async def phone(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A 360×740 touch phone with a fresh profile."""
    context = await browser.new_context(**PHONE)
    yield context
    await context.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test runs in the session's event loop, where the shared browser lives."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.asyncio(loop_scope="session"), append=False)
