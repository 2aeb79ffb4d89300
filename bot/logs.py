"""Structured log lines without personal data: `event=reply channel=webchat node=x ms=0.4`.

Only fields named in ALLOWED_FIELDS are written; anything else is dropped, so a
careless call cannot leak an id or a message into the log. PUTOKAZ_LOG_FORMAT=json
writes the same fields as one JSON object per line, for log collectors.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

ALLOWED_FIELDS = frozenset(
    {
        "channel",
        "node",
        "lang",
        "ms",
        "status",
        "method",
        "reason",
        "count",
        "attempt",
        "wait",
        "kind",
        "path",
        "port",
        "host",
        "mode",
        "code_status",
        "flows",
        "nodes",
        "languages",
        "effect",
        "error",
    }
)

logger = logging.getLogger("putokaz")


def _value(value: object) -> str:
    text = str(value)
    if not text or any(c.isspace() for c in text) or "=" in text:
        return '"' + text.replace('"', "'") + '"'
    return text


class Event:
    """One event and its whitelisted fields; printed as `event=x k=v`, or read by JsonFormatter."""

    __slots__ = ("event", "fields")

    def __init__(self, event: str, fields: dict[str, object]) -> None:
        self.event = event
        self.fields = fields

    def __str__(self) -> str:
        parts = [f"event={self.event}"]
        parts.extend(f"{k}={_value(v)}" for k, v in self.fields.items())
        return " ".join(parts)


def log_event(event: str, level: int = logging.INFO, **fields: object) -> None:
    """Log one event with whitelisted key=value fields."""
    if not logger.isEnabledFor(level):
        return
    kept = {k: v for k, v in fields.items() if k in ALLOWED_FIELDS and v is not None}
    logger.log(level, Event(event, kept))


class JsonFormatter(logging.Formatter):
    """`{"time": ..., "level": ..., "event": ..., <whitelisted fields>}`, one per line."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        line: dict[str, object] = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
        }
        if isinstance(record.msg, Event):
            line["event"] = record.msg.event
            line.update((k, _json_value(v)) for k, v in record.msg.fields.items())
        else:  # another library's record: as much as the text format shows of it
            line["logger"] = record.name
            line["message"] = record.getMessage()
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def _json_value(value: object) -> object:
    if isinstance(value, bool | int | float):
        return value
    return str(value)


def configure_logging(
    log_file: Path | None = None, level: int = logging.INFO, log_format: str = "text"
) -> None:
    """Log to stderr, and to `log_file` as well when given; `log_format` text or json."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    formatter: logging.Formatter = (
        JsonFormatter()
        if log_format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    )
    for handler in handlers:
        handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(level)
    # Third-party libraries log request URLs, which carry bot tokens and chat ids.
    for noisy in ("httpx", "httpcore", "telegram", "aiohttp.access", "hpack"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
