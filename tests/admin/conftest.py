"""Fixtures of the staff area: an app with a fresh database and one account per role."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from bot.config import Config
from tests.admin.staff_client import Staff, add_accounts, running, staff_config


@pytest.fixture
def config(tmp_path: Path) -> Config:
    config = staff_config(tmp_path / "data")
    add_accounts(config)
    return config


@pytest.fixture
async def client(config: Config) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    async with running(config) as client:
        yield client


@pytest.fixture
def staff(client: TestClient) -> Staff:  # type: ignore[type-arg]
    return Staff(client)
