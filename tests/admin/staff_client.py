"""The bot's aiohttp app in-process with a real SQLite file, staff accounts, and a client
that logs in through the login form as a browser does."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from http.cookies import Morsel
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.admin.database import StaffData, open_staff_data
from bot.admin.middleware import COOKIE
from bot.admin.roles import Role
from bot.config import Config, load_config
from bot.store.pseudonym import load_pepper
from bot.web.app import create_app

PASSWORD = "correct horse battery"
ACCOUNTS = {
    "erin": Role.EDITOR,
    "tara": Role.TRANSLATOR,
    "vera": Role.VIEWER,
    "adam": Role.ADMIN,
    "hana": Role.HOTLINE,
}
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def staff_config(data_dir: Path, **changes: object) -> Config:
    base = load_config(env={"PUTOKAZ_DATA": str(data_dir), "PUTOKAZ_PEPPER": "p" * 32})
    return replace(base, **changes)  # type: ignore[arg-type]


def staff_data(config: Config) -> StaffData:
    return open_staff_data(config.staff_database, load_pepper(config.data_dir, config.pepper))


def add_accounts(config: Config, accounts: dict[str, Role] = ACCOUNTS) -> None:
    data = staff_data(config)
    try:
        for name, role in accounts.items():
            data.accounts.add(name, role, PASSWORD, time.time())
    finally:
        data.close()


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


@dataclass
class Staff:
    client: TestClient  # type: ignore[type-arg]
    csrf: str = ""
    cookie: Morsel[str] | None = None
    """The session cookie as the last successful login set it."""

    async def login(self, name: str, password: str = PASSWORD) -> int:
        page = await self.client.get("/admin/login")
        token = csrf_of(await page.text())
        response = await self.client.post(
            "/admin/login",
            data={"name": name, "password": password, "csrf": token},
            allow_redirects=False,
        )
        if response.status == 303:
            self.cookie = response.cookies[COOKIE]
            home = await self.client.get("/admin/")
            self.csrf = csrf_of(await home.text())
        return response.status

    async def post(self, path: str, **fields: str) -> tuple[int, str]:
        data = {"csrf": self.csrf, **fields}
        response = await self.client.post(path, data=data, allow_redirects=True)
        return response.status, await response.text()

    async def get(self, path: str) -> tuple[int, str]:
        response = await self.client.get(path)
        return response.status, await response.text()


@asynccontextmanager
async def running(config: Config) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    client = TestClient(TestServer(create_app(config)))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()
