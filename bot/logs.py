"""Structured log lines without personal data: `event=reply channel=webchat node=x ms=0.4`.

Only fields named in ALLOWED_FIELDS are written; anything else is dropped, so a
careless call cannot leak an id or a message into the log. PUTOKAZ_LOG_FORMAT=json
writes the same fields as one JSON object per line, for log collectors.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
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
        "version",
        "source",
    }
)

logger = logging.getLogger("putokaz")


_QUOTED = re.compile(r"[\s=]")
r"""A value with whitespace (str.isspace's, as re's \s) or "=" is written in quotes."""


def _value(value: object) -> str:
    text = str(value)
    if not text or _QUOTED.search(text):
        return '"' + text.replace('"', "'") + '"'
    return text


class Event:
    """One event and its whitelisted fields; printed as `event=x k=v`, or read by JsonFormatter."""

    __slots__ = ("_text", "event", "fields")

    def __init__(self, event: str, fields: dict[str, object]) -> None:
        self.event = event
        self.fields = fields
        self._text: str | None = None

    def __str__(self) -> str:
        # Each handler (stderr, the log file) asks for the text: make it once.
        if self._text is None:
            parts = [f"event={self.event}"]
            parts.extend(f"{k}={_value(v)}" for k, v in self.fields.items())
            self._text = " ".join(parts)
        return self._text


def _event(event: str, **fields: object) -> Event:
    """The event with only the whitelisted fields that have a value."""
    return Event(event, {k: v for k, v in fields.items() if k in ALLOWED_FIELDS and v is not None})


def log_event(event: str, level: int = logging.INFO, **fields: object) -> None:
    """Log one event with whitelisted key=value fields."""
    if not logger.isEnabledFor(level):
        return
    logger.log(level, _event(event, **fields))


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_.]")


class Whitelist(logging.Filter):
    """Every record that is not one of our events (aiohttp.server, aiohttp.access,
    aiohttp.web, asyncio, telegram, httpx, ...) is rewritten to one event line: where it
    came from and the error type. Their messages and tracebacks quote raw request bytes
    (cookies, headers) and the peer's address, so none of it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "putokaz_whitelisted", False):
            return True
        error_type = record.exc_info[0] if record.exc_info else None
        if _after_the_answer(record, error_type):
            return False
        if record.name != logger.name and not record.name.startswith(logger.name + "."):
            failed = error_type is not None or record.levelno >= logging.ERROR
            record.msg = _event(
                "library_error" if failed else "library_log",
                source=_UNSAFE_NAME.sub("_", record.name)[:60],
                error=error_type.__name__ if error_type is not None else None,
            )
            record.args = None
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.putokaz_whitelisted = True
        return True


def _after_the_answer(record: logging.LogRecord, error_type: type[BaseException] | None) -> bool:
    """aiohttp reads what is left of a body after the handler answered, and logs again the
    read error the handler already logged as one line (bot/channels/body.py)."""
    return (
        record.name == "aiohttp.server"
        and record.msg == "Unhandled exception"
        and error_type is not None
        and error_type.__name__ == "RequestPayloadError"
    )


class TextFormatter(logging.Formatter):
    """`%(asctime)s %(levelname)s %(message)s`, as logging.Formatter writes it, with the
    time's seconds formatted once a second: the stdlib re-derives them for every line."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(message)s")
        self._second = -1
        self._stamp = ""

    def usesTime(self) -> bool:
        return True

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        second = int(record.created)
        if second != self._second:
            self._second = second
            self._stamp = time.strftime(self.default_time_format, self.converter(record.created))
        return f"{self._stamp},{int(record.msecs):03d}"  # logging's default_msec_format


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
        else:  # not through Whitelist (a handler of someone else's): the name only
            line["event"] = "library_log"
            line["source"] = _UNSAFE_NAME.sub("_", record.name)[:60]
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
    formatter: logging.Formatter = JsonFormatter() if log_format == "json" else TextFormatter()
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(Whitelist())
    # No line names a thread, a process or a source line: not collecting them (the logging
    # HOWTO's "Optimization") is ~a third of each log call.
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(level)
    # Third-party libraries log request URLs, which carry bot tokens and chat ids.
    for noisy in ("httpx", "httpcore", "telegram", "aiohttp.access", "hpack"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
