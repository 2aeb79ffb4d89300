"""Structured log lines without personal data: `event=reply channel=webchat node=x ms=0.4`.

Only fields named in ALLOWED_FIELDS are written; anything else is dropped, so a
careless call cannot leak an id or a message into the log.
"""

from __future__ import annotations

import logging
import sys
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


def log_event(event: str, level: int = logging.INFO, **fields: object) -> None:
    """Log one event with whitelisted key=value fields."""
    if not logger.isEnabledFor(level):
        return
    parts = [f"event={event}"]
    parts.extend(
        f"{k}={_value(v)}" for k, v in fields.items() if k in ALLOWED_FIELDS and v is not None
    )
    logger.log(level, " ".join(parts))


def configure_logging(log_file: Path | None = None, level: int = logging.INFO) -> None:
    """Log to stderr, and to `log_file` as well when given."""
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s")
    for handler in handlers:
        handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(level)
    # Third-party libraries log request URLs, which carry bot tokens and chat ids.
    for noisy in ("httpx", "httpcore", "telegram", "aiohttp.access", "hpack"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
