"""The system programs some tests need; a missing one fails the test with the install command.

`scripts/system-deps` (run by `make test`) installs the same Debian packages.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Tool:
    command: str
    package: str


TOOLS = {
    "chromium": Tool("chromium", "chromium"),
    "redis-server": Tool("redis-server", "redis-server"),
    "msgfmt": Tool("msgfmt", "gettext"),
    "zbarimg": Tool("zbarimg", "zbar-tools"),
    "caddy": Tool("caddy", "caddy"),
    "openssl": Tool("openssl", "openssl"),
    "systemd-analyze": Tool("systemd-analyze", "systemd"),
}


def missing_message(command: str) -> str:
    """What to do when `command` is not on PATH: the script, or the apt-get line."""
    tool = TOOLS[command]
    return (
        f"{tool.command} is not installed — run scripts/system-deps "
        f"(or: sudo apt-get install -y {tool.package})"
    )


def require(command: str) -> str:
    """The path of `command`; fails the test (never skips it) when it is not installed."""
    path = shutil.which(TOOLS[command].command)
    if path is None:
        pytest.fail(missing_message(command), pytrace=False)
    return path
