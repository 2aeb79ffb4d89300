"""Every library's log record goes through the whitelist: one event line, never its text."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logs import configure_logging, log_event

PLANTED = "Cookie: putokaz_chat=planted_username_q7 from 127.0.0.1"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    path = tmp_path / "server.log"
    configure_logging(path)
    yield path
    for handler in root.handlers:
        handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.parametrize(
    "source", ["aiohttp.server", "aiohttp.web", "aiohttp.access", "asyncio", "httpx", "httpcore"]
)
def test_a_library_record_is_one_line_with_its_source_and_error_type(
    log_file: Path, source: str
) -> None:
    try:
        raise ValueError(PLANTED)
    except ValueError:
        logging.getLogger(source).exception("Error handling request from %s", "127.0.0.1")

    written = log_file.read_text()
    assert written.splitlines()[-1].endswith(
        f"ERROR event=library_error source={source} error=ValueError"
    )
    assert "Traceback" not in written
    assert "planted" not in written
    assert "127.0.0.1" not in written


def test_a_library_warning_without_an_error_keeps_no_text(log_file: Path) -> None:
    logging.getLogger("aiohttp.web").warning("request from %s with %s", "127.0.0.1", PLANTED)
    assert log_file.read_text().split(" ", 3)[3] == "event=library_log source=aiohttp.web\n"


def test_our_own_events_pass_unchanged(log_file: Path) -> None:
    log_event("reply", channel="webchat", node="rights.start", ms=0.4)
    assert log_file.read_text().endswith(
        "INFO event=reply channel=webchat node=rights.start ms=0.4\n"
    )
