"""The web chat served in-process for these tests."""

from __future__ import annotations

import pytest

from tests.support.app_server import AppServer


@pytest.fixture
def server(app_server: AppServer) -> AppServer:
    """Here the process boundary is not what is tested: the app runs in this process."""
    return app_server
