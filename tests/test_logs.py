"""Log lines: key=value text or one JSON object per line, the same whitelisted fields in both."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.logs import configure_logging, log_event

PLANTED = ("777000111", "PlantedFirstName", "planted words someone typed")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers:
        handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


def write_events(log_file: Path, log_format: str) -> list[str]:
    configure_logging(log_file, log_format=log_format)
    log_event(
        "reply",
        channel="telegram",
        node="rights.start",
        lang="fa",
        ms=0.42,
        count=3,
        chat_id=PLANTED[0],  # not whitelisted: must be dropped
        first_name=PLANTED[1],
        text=PLANTED[2],
    )
    log_event("telegram_refused", logging.WARNING, status=403, reason="secret")
    for handler in logging.getLogger().handlers:
        handler.flush()
    return log_file.read_text(encoding="utf-8").splitlines()


def test_text_lines_keep_only_whitelisted_fields(tmp_path: Path, restore_logging: None) -> None:
    lines = write_events(tmp_path / "text.log", "text")
    assert lines[0].endswith(
        "INFO event=reply channel=telegram node=rights.start lang=fa ms=0.42 count=3"
    )
    assert lines[1].endswith("WARNING event=telegram_refused status=403 reason=secret")
    assert not any(secret in line for line in lines for secret in PLANTED)


def test_json_lines_carry_the_same_fields(tmp_path: Path, restore_logging: None) -> None:
    lines = write_events(tmp_path / "json.log", "json")
    first, second = (json.loads(line) for line in lines)
    assert set(first) == {"time", "level", "event", "channel", "node", "lang", "ms", "count"}
    assert first["event"] == "reply"
    assert (first["ms"], first["count"], first["lang"]) == (0.42, 3, "fa")
    assert first["time"].endswith("Z")
    assert second == {
        "time": second["time"],
        "level": "WARNING",
        "event": "telegram_refused",
        "status": 403,
        "reason": "secret",
    }
    assert not any(secret in line for line in lines for secret in PLANTED)


def test_an_unknown_log_format_names_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"PUTOKAZ_LOG_FORMAT='xml' .* text or json"):
        load_config(env={"PUTOKAZ_LOG_FORMAT": "xml"})


def test_a_library_record_in_json_is_its_source_and_error_type_only(
    tmp_path: Path, restore_logging: None
) -> None:
    log_file = tmp_path / "json.log"
    configure_logging(log_file, log_format="json")
    try:
        raise ValueError("Cookie: putokaz_chat=" + PLANTED[1])
    except ValueError:
        logging.getLogger("aiohttp.server").exception("Error handling request from 127.0.0.1")
    for handler in logging.getLogger().handlers:
        handler.flush()
    line = json.loads(log_file.read_text(encoding="utf-8").splitlines()[-1])
    assert line == {
        "time": line["time"],
        "level": "ERROR",
        "event": "library_error",
        "source": "aiohttp.server",
        "error": "ValueError",
    }


def test_text_lines_are_what_logging_formatter_writes() -> None:
    from bot.logs import TextFormatter

    standard = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    ours = TextFormatter()
    for created in (1764633599.9995, 1764633600.0, 1764633600.25, 1764633601.5, 1764633600.75):
        record = logging.makeLogRecord(
            {"msg": "event=reply channel=telegram", "levelname": "INFO", "levelno": 20}
        )
        record.created, record.msecs = created, (created - int(created)) * 1000
        assert ours.format(record) == standard.format(record)
