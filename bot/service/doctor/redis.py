"""The Redis check: it answers, and records no other replica's pepper than this one's."""

from __future__ import annotations

import contextlib
from urllib.parse import urlsplit, urlunsplit

from bot.config import Config
from bot.service.doctor.findings import Finding, fail, ok, skip
from bot.store.pseudonym import PEPPER_FILE
from bot.store.redis import PREFIX as REDIS_PREFIX

PEPPER_KEY = f"{REDIS_PREFIX}pepper"
"""Where the Redis store records the replicas' pepper fingerprint (RedisStore.claim_pepper)."""


async def check_redis(config: Config) -> Finding:
    what = "redis"
    if not config.redis_url:
        return skip(what, "PUTOKAZ_REDIS_URL is not set: sessions are in SQLite")
    shown = _without_password(config.redis_url)
    try:
        recorded = await _ping(config.redis_url)
    except ImportError:
        return fail(what, "the redis package is missing", "pip install 'putokaz[redis]'")
    except Exception as error:  # redis-py raises its own ConnectionError, TimeoutError, ...
        return fail(
            what,
            f"{shown} does not answer PING ({type(error).__name__})",
            "start Redis (docker compose up -d redis / systemctl start redis-server) or "
            "correct PUTOKAZ_REDIS_URL",
        )
    mine = _pepper_fingerprint(config)
    if recorded is not None and mine is not None and recorded != mine:
        return fail(
            what,
            f"{shown} records another pepper than this one: putokaz serve will refuse to start",
            "set the same PUTOKAZ_PEPPER on every replica; after rotating it on purpose: "
            f"redis-cli DEL {PEPPER_KEY}",
        )
    return ok(what, f"{shown} answers")


async def _ping(url: str) -> str | None:
    """PING; then the pepper fingerprint the replicas recorded, if any."""
    import redis.asyncio as redis_asyncio

    client = redis_asyncio.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        await client.ping()
        recorded = await client.get(PEPPER_KEY)
    finally:
        with contextlib.suppress(Exception):
            await client.aclose()
    if isinstance(recorded, bytes):
        return recorded.decode()
    return recorded


def _pepper_fingerprint(config: Config) -> str | None:
    """This installation's pepper fingerprint, when the pepper exists (never creates it)."""
    from bot.store.pseudonym import Pseudonymizer

    if config.pepper:
        pepper = config.pepper.encode()
    else:
        path = config.data_dir.resolve() / PEPPER_FILE
        try:
            pepper = path.read_text().strip().encode()
        except OSError:
            return None
    try:
        return Pseudonymizer(pepper).fingerprint()
    except ValueError:  # too short: check_pepper says so
        return None


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
