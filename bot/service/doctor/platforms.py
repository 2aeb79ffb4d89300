"""Checks that ask Telegram and Viber, and the public URL as they will reach it."""

from __future__ import annotations

import re
from typing import Any

import aiohttp

from bot.config import Config
from bot.service.doctor.findings import Finding, fail, ok, skip, warn

TELEGRAM_PATH = "/telegram"
VIBER_PATH = "/viber"
TIMEOUT = aiohttp.ClientTimeout(total=10)
TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
RECENT_ERROR = 15 * 60
"""Seconds: a webhook error newer than this fails the check; an older one (Telegram keeps
the last until the next) is a warning, e.g. from a restart that is over."""
MAKE_A_SECRET = 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"'  # noqa: S105 -- a command


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
