"""`putokaz doctor`: check an installation the way the running service will need it.

Each check gives a Finding: what was looked at, what was found, and how to fix it. The
checks call Telegram, Viber, Redis and the public URL; nothing here changes anything.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from bot.config import Config
from bot.store.pseudonym import PEPPER_FILE

TELEGRAM_PATH = "/telegram"
VIBER_PATH = "/viber"
TIMEOUT = aiohttp.ClientTimeout(total=10)
TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
MIN_PEPPER_BYTES = 16
RECENT_ERROR = 15 * 60
"""Seconds: a webhook error newer than this fails the check; an older one (Telegram keeps
the last until the next) is a warning, e.g. from a restart that is over."""
MAKE_A_SECRET = 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"'  # noqa: S105 -- a command


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "FAIL"
    SKIP = "skip"


@dataclass(frozen=True)
class Finding:
    """One check: `what` was looked at, `detail` what was found, `fix` how to repair it."""

    what: str
    status: Status
    detail: str
    fix: str = ""

    def lines(self) -> list[str]:
        shown = [f"{self.status.value:<4}  {self.what}: {self.detail}"]
        if self.fix:
            shown.append(f"      fix: {self.fix}")
        return shown


def ok(what: str, detail: str) -> Finding:
    return Finding(what, Status.OK, detail)


def fail(what: str, detail: str, fix: str) -> Finding:
    return Finding(what, Status.FAIL, detail, fix)


def warn(what: str, detail: str, fix: str) -> Finding:
    return Finding(what, Status.WARN, detail, fix)


def skip(what: str, detail: str) -> Finding:
    return Finding(what, Status.SKIP, detail)


async def diagnose(
    config: Config, http: aiohttp.ClientSession, now: float | None = None
) -> list[Finding]:
    """Every check, in the order an operator fixes them: files, content, platforms, Redis."""
    findings = [*check_data_dir(config), check_pepper(config), *check_content(config)]
    findings += await check_telegram(config, http, time.time() if now is None else now)
    findings += await check_viber(config, http)
    findings.append(await check_public_url(config, http))
    findings.append(await check_redis(config))
    return findings


def healthy(findings: list[Finding]) -> bool:
    return not any(f.status is Status.FAIL for f in findings)


# --- files -----------------------------------------------------------------------------


def check_data_dir(config: Config) -> list[Finding]:
    what = "data directory"
    path = config.data_dir.resolve()
    if not path.exists():
        parent = _existing_parent(path)
        if parent is None or not os.access(parent, os.W_OK | os.X_OK):
            return [
                fail(
                    what,
                    f"{path} does not exist and cannot be created",
                    f"mkdir -m 700 -p {path} as a user who may, then chown it to the service user",
                )
            ]
        return [
            warn(
                what,
                f"{path} does not exist yet (putokaz serve creates it)",
                f"mkdir -m 700 -p {path}",
            )
        ]
    if not path.is_dir():
        return [fail(what, f"{path} is not a directory", "set PUTOKAZ_DATA to a directory")]
    info = path.stat()
    mode = stat.S_IMODE(info.st_mode)
    findings = [_writable(what, path, mode)]
    if mode != 0o700:
        findings.append(
            fail(
                f"{what} mode",
                f"{path} has mode {mode:04o}; the database and pepper must be private",
                f"chmod 700 {path}",
            )
        )
    else:
        findings.append(ok(f"{what} mode", "0700"))
    return findings


def _writable(what: str, path: Path, mode: int) -> Finding:
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".doctor-"):
            pass
    except OSError as error:
        return fail(
            what,
            f"{path} is not writable ({error.strerror})",
            f"chown the directory to the user that runs putokaz serve, then chmod 700 {path}",
        )
    if mode & 0o300 != 0o300:
        # Root writes anywhere; the service user, the directory's owner, cannot.
        return fail(
            what,
            f"{path} is not writable by its owner (mode {mode:04o})",
            f"chmod 700 {path}",
        )
    return ok(what, f"{path} is writable")


def _existing_parent(path: Path) -> Path | None:
    for parent in path.parents:
        if parent.exists():
            return parent if parent.is_dir() else None
    return None


def check_pepper(config: Config) -> Finding:
    what = "pepper"
    if config.pepper:
        if len(config.pepper.encode()) < MIN_PEPPER_BYTES:
            return fail(
                what,
                f"PUTOKAZ_PEPPER is shorter than {MIN_PEPPER_BYTES} bytes",
                f"use a long random value, e.g. $({MAKE_A_SECRET})",
            )
        return ok(what, "from PUTOKAZ_PEPPER")
    path = config.data_dir.resolve() / PEPPER_FILE
    if not path.exists():
        return warn(
            what,
            f"{path} does not exist yet (putokaz serve creates it, mode 0600)",
            "start putokaz serve once, then back the file up (docs/OPERATIONS.md)",
        )
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode != 0o600:
        return fail(what, f"{path} has mode {mode:04o}", f"chmod 600 {path}")
    try:
        size = len(path.read_bytes().strip())
    except OSError as error:
        return fail(
            what, f"{path} cannot be read ({error.strerror})", "chown it to the service user"
        )
    if size < MIN_PEPPER_BYTES:
        return fail(
            what,
            f"{path} holds fewer than {MIN_PEPPER_BYTES} bytes",
            "restore it from the backup; a new one ends every session (docs/OPERATIONS.md)",
        )
    return ok(what, f"{path}, mode 0600")


def check_content(config: Config) -> list[Finding]:
    return [check_catalogs(config.locales_dir), check_flows(config)]


def check_catalogs(locales_dir: Path) -> Finding:
    from bot.i18n.languages import read_manifest
    from bot.i18n.layout import manifest_path, mo_path, po_path

    what = "catalogs"
    fix = f"putokaz i18n compile --locales {locales_dir}"
    try:
        entries = read_manifest(manifest_path(locales_dir))
    except Exception as error:  # the manifest's own errors name file and line
        return fail(what, str(error), "putokaz check")
    stale = []
    count = 0
    for entry in entries:
        po, mo = po_path(locales_dir, entry.locale), mo_path(locales_dir, entry.locale)
        if entry.is_source or not po.is_file():
            continue
        count += 1
        if not mo.is_file() or mo.stat().st_mtime_ns <= po.stat().st_mtime_ns:
            stale.append(entry.code)
    if stale:
        return fail(
            what,
            f"not compiled or older than their .po: {', '.join(stale)} "
            "(served from the .po, compiled at every start)",
            fix,
        )
    return ok(what, f"{count} compiled and current")


def check_flows(config: Config) -> Finding:
    from bot.service.checks import run_checks

    problems, summary = run_checks(config.flows_dir, config.locales_dir)
    errors = [p for p in problems if p.severity.value == "error"]
    if errors:
        first = str(errors[0])
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return fail("flows", f"{first}{more}", "putokaz check — it lists each with its fix")
    warnings = len(problems) - len(errors)
    return ok("flows", summary + (f", {warnings} warning(s)" if warnings else ""))


# --- Telegram --------------------------------------------------------------------------


async def check_telegram(config: Config, http: aiohttp.ClientSession, now: float) -> list[Finding]:
    if not config.telegram_token:
        return [skip("telegram", "PUTOKAZ_TELEGRAM_TOKEN is not set")]
    base = f"{config.telegram_api_url}{config.telegram_token}"
    try:
        status, me = await _telegram_call(http, base, "getMe")
    except (aiohttp.ClientError, TimeoutError) as error:
        return [
            fail(
                "telegram token",
                f"cannot reach the Bot API ({type(error).__name__})",
                f"check the network and PUTOKAZ_TELEGRAM_API_URL ({config.telegram_api_url})",
            )
        ]
    if status in (401, 404) or not me.get("ok"):
        return [
            fail(
                "telegram token",
                f"Telegram rejected the token (HTTP {status})",
                "copy the token again from @BotFather (/mybots → API Token) into "
                "PUTOKAZ_TELEGRAM_TOKEN; after /revoke only the new one works",
            )
        ]
    username = (me.get("result") or {}).get("username", "?")
    findings = [ok("telegram token", f"valid, the bot is @{username}")]
    findings.append(_telegram_secret(config))
    _, info = await _telegram_call(http, base, "getWebhookInfo")
    findings.append(_telegram_webhook(config, info.get("result") or {}, now))
    return findings


async def _telegram_call(
    http: aiohttp.ClientSession, base: str, method: str
) -> tuple[int, dict[str, Any]]:
    # The URL holds the token: it is never logged or shown, only the status is.
    async with http.post(f"{base}/{method}", json={}, timeout=TIMEOUT) as response:
        try:
            body = await response.json(content_type=None)
        except ValueError:
            body = {}
        return response.status, body if isinstance(body, dict) else {}


def _telegram_secret(config: Config) -> Finding:
    what = "telegram secret"
    if not config.public_url:
        return skip(what, "not needed for long polling (no PUTOKAZ_PUBLIC_URL)")
    secret = config.telegram_secret
    if not secret:
        return fail(
            what,
            "PUTOKAZ_TELEGRAM_SECRET is not set: the webhook answers every update 403",
            f"PUTOKAZ_TELEGRAM_SECRET=$({MAKE_A_SECRET}), then putokaz telegram set-webhook",
        )
    if not TELEGRAM_SECRET.fullmatch(secret):
        return fail(
            what,
            "PUTOKAZ_TELEGRAM_SECRET is not 1-256 characters of A-Z a-z 0-9 _ -",
            f"make a new one: $({MAKE_A_SECRET}), then putokaz telegram set-webhook",
        )
    return ok(what, "set")


def _telegram_webhook(config: Config, info: dict[str, Any], now: float) -> Finding:
    what = "telegram webhook"
    url = str(info.get("url") or "")
    if not config.public_url:
        if url:
            return fail(
                what,
                f"Telegram sends updates to {url}, but without PUTOKAZ_PUBLIC_URL the "
                "server polls, and Telegram refuses polling while a webhook is set",
                "putokaz telegram delete-webhook, or set PUTOKAZ_PUBLIC_URL",
            )
        return ok(what, "none: the server uses long polling")
    expected = f"{config.public_url}{TELEGRAM_PATH}"
    if not url:
        return fail(
            what, "not set: Telegram sends this bot no updates", "putokaz telegram set-webhook"
        )
    if url != expected:
        return fail(
            what,
            f"points at {url}, not {expected}",
            "putokaz telegram set-webhook (it uses PUTOKAZ_PUBLIC_URL)",
        )
    last_error = info.get("last_error_message")
    if last_error:
        when = info.get("last_error_date")
        ago = now - when if isinstance(when, int | float) else 0.0
        detail = f"set to {expected}, but a delivery failed {ago / 60:.0f} min ago: {last_error}"
        fix = (
            "check DNS, the TLS certificate and the proxy for that address; "
            "putokaz telegram webhook-info shows when it works again"
        )
        return fail(what, detail, fix) if ago < RECENT_ERROR else warn(what, detail, fix)
    pending = info.get("pending_update_count") or 0
    return ok(what, f"{expected}, {pending} update(s) waiting")


# --- Viber -----------------------------------------------------------------------------


async def check_viber(config: Config, http: aiohttp.ClientSession) -> list[Finding]:
    from bot.channels.viber.api import ViberClient, ViberError

    what = "viber webhook"
    if not config.viber_token:
        return [skip("viber", "PUTOKAZ_VIBER_TOKEN is not set")]
    client = ViberClient(http, config.viber_token, config.viber_api_url, tries=1)
    try:
        info = await client.account_info()
    except ViberError as error:
        if error.kind == "viber" and error.reason == "invalidAuthToken":
            return [
                fail(
                    "viber token",
                    "Viber rejected PUTOKAZ_VIBER_TOKEN",
                    "copy the token again from the bot's page in the Viber admin panel",
                )
            ]
        return [
            fail(
                "viber token",
                error.describe(),
                f"check the network and PUTOKAZ_VIBER_API_URL ({config.viber_api_url})",
            )
        ]
    findings = [ok("viber token", f"valid, the bot is {info.get('name', '?')}")]
    webhook = str(info.get("webhook") or "")
    if not config.public_url:
        findings.append(
            fail(
                what,
                "Viber only calls webhooks, and PUTOKAZ_PUBLIC_URL is not set",
                "set PUTOKAZ_PUBLIC_URL to the server's https:// address, then "
                "putokaz viber set-webhook",
            )
        )
        return findings
    expected = f"{config.public_url}{VIBER_PATH}"
    if not webhook:
        findings.append(
            fail(what, "not set: Viber sends this bot nothing", "putokaz viber set-webhook")
        )
    elif webhook != expected:
        findings.append(
            fail(what, f"points at {webhook}, not {expected}", "putokaz viber set-webhook")
        )
    else:
        findings.append(ok(what, expected))
    return findings


# --- reachability and Redis ------------------------------------------------------------


async def check_public_url(config: Config, http: aiohttp.ClientSession) -> Finding:
    what = "public URL"
    if not config.public_url:
        return skip(what, "PUTOKAZ_PUBLIC_URL is not set (web chat and polling on this machine)")
    url = f"{config.public_url}/healthz"
    try:
        async with http.get(url, timeout=TIMEOUT) as response:
            body = await response.json(content_type=None) if response.status == 200 else {}
            status = response.status
    except aiohttp.ClientSSLError as error:
        return fail(
            what,
            f"{url}: the TLS certificate is not accepted ({type(error).__name__})",
            "let the proxy (Caddy) get a certificate for the name: DNS must point at this "
            "server and ports 80 and 443 must be open",
        )
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        return fail(
            what,
            f"{url} cannot be reached ({type(error).__name__})",
            "check the DNS A/AAAA record, the firewall (443) and that the proxy forwards "
            f"to putokaz serve on {config.host}:{config.port}",
        )
    if status != 200 or not isinstance(body, dict) or body.get("status") != "ok":
        return fail(
            what,
            f"{url} answered HTTP {status}, not Putokaz's health answer",
            "point the proxy at putokaz serve (deploy/Caddyfile)",
        )
    return ok(what, f"{url} answers")


async def check_redis(config: Config) -> Finding:
    what = "redis"
    if not config.redis_url:
        return skip(what, "PUTOKAZ_REDIS_URL is not set: sessions are in SQLite")
    shown = _without_password(config.redis_url)
    try:
        await _ping(config.redis_url)
    except ImportError:
        return fail(what, "the redis package is missing", "pip install 'putokaz[redis]'")
    except Exception as error:  # redis-py raises its own ConnectionError, TimeoutError, ...
        return fail(
            what,
            f"{shown} does not answer PING ({type(error).__name__})",
            "start Redis (docker compose up -d redis / systemctl start redis-server) or "
            "correct PUTOKAZ_REDIS_URL",
        )
    return ok(what, f"{shown} answers")


async def _ping(url: str) -> None:
    import redis.asyncio as redis_asyncio

    client = redis_asyncio.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        await client.ping()
    finally:
        with contextlib.suppress(Exception):
            await client.aclose()


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
