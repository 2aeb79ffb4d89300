"""`putokaz doctor`: check an installation the way the running service will need it.

Each check gives a Finding: what was looked at, what was found, and how to fix it. The
checks call Telegram, Viber, Redis and the public URL; nothing here changes anything.
"""

from __future__ import annotations

import time

import aiohttp

from bot.config import Config
from bot.service.doctor.files import check_content, check_data_dir, check_pepper
from bot.service.doctor.findings import Finding, Status, healthy
from bot.service.doctor.platforms import check_public_url, check_telegram, check_viber
from bot.service.doctor.redis import check_redis

__all__ = ["Finding", "Status", "diagnose", "healthy"]


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
