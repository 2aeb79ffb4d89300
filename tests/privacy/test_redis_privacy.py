"""With sessions in Redis, neither the Redis dump nor its keys hold a cookie or typed text."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from bot.channels.webchat.routes import COOKIE
from bot.engine import Flows
from tests.conversations.drivers import WebChatDriver
from tests.conversations.script import load_scripts, run_script
from tests.support.privacy import find_leaks
from tests.support.redis_server import RedisServer
from tests.support.server import ServerProcess

TYPED = "my secret words zebra-42"


async def test_redis_dump_and_keys_hold_no_identifier(tmp_path: Path, flows: Flows) -> None:
    redis = RedisServer(tmp_path / "redis", save=True).start()
    server = ServerProcess(tmp_path / "data", env={"PUTOKAZ_REDIS_URL": redis.url})
    try:
        await asyncio.to_thread(server.start)
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as http:
            driver = WebChatDriver(server.url, http)
            scripts = {s.path.stem: s for s in load_scripts()}
            await run_script(scripts["back_and_menu"], flows, "fa", driver)
            await driver.act({"text": TYPED})
            cookie = next(c.value for c in jar if c.key == COOKIE)
        keys = redis.command("KEYS", "*").decode()
        assert "putokaz:s:" in keys, "the session lives in Redis"
        assert redis.command("SAVE").startswith(b"+OK")
    finally:
        await asyncio.to_thread(server.stop)
        redis.stop()
    assert redis.dump.stat().st_size > 0
    assert cookie not in keys
    # staff.db (flow versions, staff accounts) may exist; the sessions' file must not.
    assert not list((tmp_path / "data").glob("putokaz.db*")), "no session file with Redis"
    assert find_leaks([tmp_path], [cookie, TYPED, "zebra-42"]) == []
