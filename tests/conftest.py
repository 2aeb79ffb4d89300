"""Shared fixtures: the real flows, a running `putokaz serve`, free ports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import aiohttp
import pytest

from bot.config import PROJECT_ROOT, load_config
from bot.engine import Flows
from bot.service.runtime import Services, load_flows
from tests.support.app_server import AppServer
from tests.support.server import ServerProcess

FLOWS_DIR = PROJECT_ROOT / "flows"


@pytest.fixture(scope="session")
def flows() -> Flows:
    """The project's flows with every catalog attached, loaded once."""
    return load_flows(load_config(env={}))


@pytest.fixture(scope="session")
def languages(flows: Flows) -> list[str]:
    return [language.code for language in flows.languages]


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp client for talking to servers and fakes on loopback."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """`putokaz serve` as a process with its own data folder and log file."""
    with ServerProcess(tmp_path / "data") as running:
        yield running


@pytest.fixture
def app_server(tmp_path: Path, flows: Flows) -> Iterator[AppServer]:
    """The same web app in this process (the session's flows, SQLite in its own folder)."""
    with AppServer(tmp_path / "data", services=Services(flows=flows)) as running:
        yield running
