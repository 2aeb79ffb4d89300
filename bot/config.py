"""Settings from the environment (and `.env` when present), validated once.

Names and defaults are listed in README.md and deploy/.env.example.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org/bot"
DEFAULT_VIBER_API_URL = "https://chatapi.viber.com/pa"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOG_FORMATS = ("text", "json")


class ConfigError(Exception):
    """A setting has a value Putokaz cannot use; the message names it and the fix."""


@dataclass(frozen=True)
class Config:
    data_dir: Path = Path("var")
    flows_dir: Path = PROJECT_ROOT / "flows"
    locales_dir: Path = PROJECT_ROOT / "locales"
    host: str = "127.0.0.1"
    port: int = 8080
    session_ttl: int = 24 * 3600
    web_idle: int = 30 * 60
    pepper: str | None = None
    telegram_token: str | None = None
    telegram_secret: str | None = None
    telegram_api_url: str = DEFAULT_TELEGRAM_API_URL
    viber_token: str | None = None
    viber_api_url: str = DEFAULT_VIBER_API_URL
    public_url: str | None = None
    redis_url: str | None = None
    handoff_webhook: str | None = None
    handoff_telegram_chat: int | None = None
    exit_url: str = "https://www.google.com/search?q=weather"
    log_file: Path | None = None
    log_format: str = "text"
    metrics_token: str | None = None
    shutdown_timeout: int = 20
    staff_idle: int = 30 * 60
    """Seconds without a request after which a staff session at /admin ends."""
    handoff_code_days: int = 7
    """Days the hotline's desk keeps a hand-off code before it is purged."""
    telegram_username: str | None = None
    viber_uri: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def database(self) -> Path:
        return self.data_dir / "putokaz.db"

    @property
    def staff_database(self) -> Path:
        """Flow versions, staff accounts and the audit log (never a person's data)."""
        return self.data_dir / "staff.db"


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file; comments and blank lines skipped."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip().strip('"').strip("'")
    return values


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number — e.g. {name}={default}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={value} is outside {low}..{high} — e.g. {name}={default}")
    return value


def _chat_id(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(
            f"PUTOKAZ_HANDOFF_TELEGRAM_CHAT={raw!r} is not a chat id — use the staff group's "
            "numeric id, e.g. -1001234567890"
        ) from None


def load_config(env: Mapping[str, str] | None = None, dotenv: Path | None = None) -> Config:
    """Build the configuration from `env` (default: os.environ over `.env`)."""
    if env is None:
        merged = read_dotenv(dotenv or Path(".env"))
        merged.update(os.environ)
        env = merged

    def get(name: str) -> str | None:
        value = env.get(name)
        return value if value else None

    public_url = get("PUTOKAZ_PUBLIC_URL")
    if public_url and not public_url.startswith("https://"):
        raise ConfigError(
            f"PUTOKAZ_PUBLIC_URL={public_url!r} must start with https:// "
            "(Telegram and Viber only call HTTPS webhooks)"
        )
    log_format = (get("PUTOKAZ_LOG_FORMAT") or "text").lower()
    if log_format not in LOG_FORMATS:
        raise ConfigError(
            f"PUTOKAZ_LOG_FORMAT={log_format!r} is not a log format — use "
            + " or ".join(LOG_FORMATS)
            + " (json: one object per line, for log collectors)"
        )
    return Config(
        data_dir=Path(get("PUTOKAZ_DATA") or "var"),
        flows_dir=Path(get("PUTOKAZ_FLOWS") or PROJECT_ROOT / "flows"),
        locales_dir=Path(get("PUTOKAZ_LOCALES") or PROJECT_ROOT / "locales"),
        host=get("PUTOKAZ_HOST") or "127.0.0.1",
        port=_int(env, "PUTOKAZ_PORT", 8080, 0, 65535),
        session_ttl=_int(env, "PUTOKAZ_SESSION_TTL", 24 * 3600, 60, 30 * 24 * 3600),
        web_idle=_int(env, "PUTOKAZ_WEB_IDLE", 30 * 60, 1, 30 * 24 * 3600),
        pepper=get("PUTOKAZ_PEPPER"),
        telegram_token=get("PUTOKAZ_TELEGRAM_TOKEN"),
        telegram_secret=get("PUTOKAZ_TELEGRAM_SECRET"),
        telegram_api_url=get("PUTOKAZ_TELEGRAM_API_URL") or DEFAULT_TELEGRAM_API_URL,
        viber_token=get("PUTOKAZ_VIBER_TOKEN"),
        viber_api_url=get("PUTOKAZ_VIBER_API_URL") or DEFAULT_VIBER_API_URL,
        public_url=public_url.rstrip("/") if public_url else None,
        redis_url=get("PUTOKAZ_REDIS_URL"),
        handoff_webhook=get("PUTOKAZ_HANDOFF_WEBHOOK"),
        handoff_telegram_chat=_chat_id(get("PUTOKAZ_HANDOFF_TELEGRAM_CHAT")),
        exit_url=get("PUTOKAZ_EXIT_URL") or "https://www.google.com/search?q=weather",
        log_file=Path(p) if (p := get("PUTOKAZ_LOG_FILE")) else None,
        log_format=log_format,
        metrics_token=get("PUTOKAZ_METRICS_TOKEN"),
        shutdown_timeout=_int(env, "PUTOKAZ_SHUTDOWN_TIMEOUT", 20, 1, 600),
        staff_idle=_int(env, "PUTOKAZ_STAFF_IDLE", 30 * 60, 60, 24 * 3600),
        handoff_code_days=_int(env, "PUTOKAZ_HANDOFF_CODE_DAYS", 7, 1, 90),
        telegram_username=get("PUTOKAZ_TELEGRAM_USERNAME"),
        viber_uri=get("PUTOKAZ_VIBER_URI"),
    )
