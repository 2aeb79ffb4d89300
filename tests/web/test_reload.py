"""Published content reaches every replica without a restart: `putokaz reload` on one
bumps the number in the store, and the others serve the new text within a second.

While no staff member has published, a changed flows folder becomes the next version at
the reload (the staff area's publish bumps the same number: tests/admin).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from bot.config import PROJECT_ROOT
from tests.support.redis_server import RedisServer
from tests.support.server import ServerProcess

OLD = "Here you can read about your rights in Serbia"
NEW = "Here you can now read about your rights in Serbia"
WITHIN = 1.0
"""The issue's bound from a publish to the other replicas' replies, beyond the time the
replica spends loading the flows and catalogs (~0.1 s of CPU on a quiet core; several times
that when the machine is shared, so that part is read from the replica's log)."""


def flows_copy(folder: Path) -> Path:
    copy = folder / "flows"
    shutil.copytree(PROJECT_ROOT / "flows", copy)
    return copy


def publish(flows: Path, env: dict[str, str], data: Path) -> float:
    """Change the menu's first sentence and run `putokaz reload`; when it returned."""
    welcome = flows / "welcome.yaml"
    text = welcome.read_text(encoding="utf-8")
    assert OLD in text
    welcome.write_text(text.replace(OLD, NEW), encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PUTOKAZ_")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "reload"],
        env=clean | env | {"PUTOKAZ_DATA": str(data)},
        capture_output=True,
        text=True,
        check=True,
        cwd=data,
    )
    assert "every replica reloads" in done.stdout
    return time.monotonic()


def log_of(server: ServerProcess) -> str:
    return server.log_file.read_text(encoding="utf-8")


async def menu_text(server: ServerProcess) -> str:
    async with aiohttp.ClientSession() as http:
        body = {"action": "start", "payload": "en"}
        async with http.post(f"{server.url}/api/chat", json=body) as response:
            assert response.status == 200
            data = await response.json()
    return str(data["messages"][0]["text"])


async def until_new(server: ServerProcess, guard: float = 20.0) -> float:
    deadline = time.monotonic() + guard
    while NEW not in await menu_text(server):
        assert time.monotonic() < deadline, "the replica never served the published text"
        await asyncio.sleep(0.02)
    return time.monotonic()


async def test_a_publish_on_one_replica_reaches_the_other_within_a_second(
    tmp_path: Path,
) -> None:
    flows = flows_copy(tmp_path)
    redis = RedisServer(tmp_path / "redis").start()
    env = {
        "PUTOKAZ_REDIS_URL": redis.url,
        "PUTOKAZ_PEPPER": "reload-test-pepper-0123456789",
        "PUTOKAZ_FLOWS": str(flows),
    }
    servers = [ServerProcess(tmp_path / f"replica{i}", env=env) for i in range(2)]
    try:
        for server in servers:
            await asyncio.to_thread(server.start)
        for server in servers:
            assert OLD in await menu_text(server)
        published = publish(flows, env, servers[0].data_dir)
        other = await until_new(servers[1])
        await until_new(servers[0])
    finally:
        for server in servers:
            await asyncio.to_thread(server.stop)
        redis.stop()
    loading = re.search(r"event=flows_reloaded count=1 nodes=\d+ ms=([\d.]+)", log_of(servers[1]))
    assert loading is not None
    notice_and_swap = other - published - float(loading.group(1)) / 1000
    assert notice_and_swap < WITHIN, f"{other - published:.2f} s, {loading.group(1)} ms loading"


async def test_a_single_server_on_sqlite_reloads_on_its_next_check(tmp_path: Path) -> None:
    flows = flows_copy(tmp_path)
    env = {"PUTOKAZ_FLOWS": str(flows)}
    with ServerProcess(tmp_path / "data", env=env) as server:
        assert OLD in await menu_text(server)
        publish(flows, env, server.data_dir)
        await until_new(server)


async def test_a_staff_publish_on_one_replica_reaches_the_other_within_a_second(
    tmp_path: Path,
) -> None:
    # Replicas on one host share the data folder (staff.db holds the published versions);
    # sessions, locks and the content number are in Redis.
    flows = flows_copy(tmp_path)
    shared = tmp_path / "shared"
    redis = RedisServer(tmp_path / "redis").start()
    env = {
        "PUTOKAZ_REDIS_URL": redis.url,
        "PUTOKAZ_PEPPER": "reload-test-pepper-0123456789",
        "PUTOKAZ_DATA": str(shared),
    }
    servers = [ServerProcess(tmp_path / f"replica{i}", env=env) for i in range(2)]
    try:
        await asyncio.to_thread(servers[0].start)
        await asyncio.to_thread(servers[1].start)
        assert OLD in await menu_text(servers[1])
        edited = tmp_path / "edited"
        shutil.copytree(flows, edited)
        welcome = edited / "welcome.yaml"
        welcome.write_text(welcome.read_text(encoding="utf-8").replace(OLD, NEW), "utf-8")
        clean = {k: v for k, v in os.environ.items() if not k.startswith("PUTOKAZ_")}
        done = subprocess.run(
            [sys.executable, "-m", "bot", "flows", "import", str(edited), "-m", "reload test"],
            env=clean | env,
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        published = time.monotonic()
        other = await until_new(servers[1])
    finally:
        for server in servers:
            await asyncio.to_thread(server.stop)
        redis.stop()
    loading = re.search(r"event=flows_reloaded count=1 nodes=\d+ ms=([\d.]+)", log_of(servers[1]))
    assert loading is not None, log_of(servers[1])
    notice_and_swap = other - published - float(loading.group(1)) / 1000
    assert notice_and_swap < WITHIN, f"{other - published:.2f} s, {loading.group(1)} ms loading"
