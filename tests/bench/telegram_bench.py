"""Telegram webhook benchmark: the floor and `putokaz serve`, each a process on one core,
against the fake Bot API over real HTTP; sessions in SQLite and in Redis.

Every row is a fresh server process: warmed up, then one load (a fixed offered rate, or
flat out from 50 clients), so its CPU seconds and peak RSS are that load's alone. The
floor (tests/bench/floor.py) runs the same loads; "× floor" is Putokaz's CPU per update
over the floor's at the same load. The last rows repeat 200 updates/s with 100,000 other
live sessions in the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.config import load_config
from bot.engine.model import NodeId
from bot.engine.session import Session
from bot.service.runtime import load_flows
from tests.bench.load import (
    SECRET,
    Conversations,
    Run,
    cpu_seconds,
    match_replies,
    offered_load,
    peak_rss,
    percentile,
    rss,
    saturation,
)
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.redis_server import RedisServer
from tests.support.server import REPO, ServerProcess, free_port

TOKEN = "123456:BENCH-token"
SCALE = float(os.environ.get("PUTOKAZ_BENCH_SCALE", "1"))
"""Shorter runs for trying the benchmark out (e.g. 0.2); the recorded numbers use 1."""
WARM_UP = 300
SATURATION_UPDATES = int(4_000 * SCALE)
CLIENTS = 50
LOADS: tuple[tuple[float, float], ...] = (
    (50, 6.0 * SCALE),
    (200, 8.0 * SCALE),
    (500, 6.0 * SCALE),
)
"""(updates/s offered, seconds)."""
LIVE_SESSIONS = int(100_000 * SCALE)
STATE_LOAD = (200.0, 8.0 * SCALE)


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@dataclass(frozen=True)
class Row:
    label: str
    store: str
    run: Run
    cpu: float
    peak: int
    calls: int
    store_cpu: float | None = None
    store_rss: int | None = None

    @property
    def per_update(self) -> float:
        return self.cpu / len(self.run.trips)


CORES = sorted(os.sched_getaffinity(0))


def pin(pid: int) -> bool:
    """The server on the first core, this process (clients and fake) on the others."""
    cores = CORES
    if len(cores) < 2:
        return False
    os.sched_setaffinity(pid, {cores[0]})
    os.sched_setaffinity(0, set(cores[1:]))
    return True


@contextlib.contextmanager
def putokaz(fake: FakeTelegramAPI, data: Path, redis: RedisServer | None) -> Iterator[Server]:
    env = {
        "PUTOKAZ_TELEGRAM_TOKEN": TOKEN,
        "PUTOKAZ_TELEGRAM_SECRET": SECRET,
        "PUTOKAZ_TELEGRAM_API_URL": fake.base_url,
        "PUTOKAZ_PUBLIC_URL": "https://putokaz.test",
        # One log handler (stderr, which ServerProcess sends to a file), as under systemd;
        # the tests' extra log file would write every line twice.
        "PUTOKAZ_LOG_FILE": "",
    }
    if redis is not None:
        env["PUTOKAZ_REDIS_URL"] = redis.url
    with ServerProcess(data, env=env) as server:
        assert server.process is not None
        yield Server(f"{server.url}/telegram", server.process.pid)


@contextlib.contextmanager
def floor(fake: FakeTelegramAPI) -> Iterator[Server]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.floor", str(port), f"{fake.base_url}{TOKEN}"],
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the floor server did not start") from None
                time.sleep(0.05)
        yield Server(f"http://127.0.0.1:{port}/telegram", process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)


def load_once(
    server: Server,
    fake: FakeTelegramAPI,
    supply: Conversations,
    offered: tuple[float, float] | None,
) -> tuple[Run, float, int]:
    """Warm up, then one load; the run, the server's CPU seconds for it, Bot API calls."""
    asyncio.run(saturation(server.url, supply.chats(WARM_UP), CLIENTS))
    since = len(fake.calls)
    cpu = cpu_seconds(server.pid)
    if offered is None:
        run = asyncio.run(saturation(server.url, supply.chats(SATURATION_UPDATES), CLIENTS))
    else:
        run = asyncio.run(offered_load(server.url, supply, *offered))
    cpu = cpu_seconds(server.pid) - cpu
    time.sleep(0.05)  # the last replies' calls are recorded by the fake's thread
    calls = len(fake.calls) - since
    return match_replies(run, fake, since), cpu, calls


def loads() -> list[tuple[str, tuple[float, float] | None]]:
    return [(f"{rate:.0f}/s", (rate, seconds)) for rate, seconds in LOADS] + [("saturation", None)]


def fill_sqlite(data: Path, count: int) -> None:
    """`count` live sessions written as the store writes them (other people's, idle)."""
    from bot.store.sqlite import SQLiteStore

    store = SQLiteStore(load_config(env={"PUTOKAZ_DATA": str(data)}).database)
    now = time.time()
    rows = [(f"{number:064x}", _session(now).to_json(), now) for number in range(1, count + 1)]
    with store._conn:
        store._conn.execute("begin")
        store._conn.executemany("insert into sessions (key, data, updated) values (?, ?, ?)", rows)
    asyncio.run(store.close())


def fill_redis(url: str, count: int) -> None:
    from bot.store.pseudonym import SessionKey
    from bot.store.redis import RedisStore

    async def fill() -> None:
        store = RedisStore(url)
        now = time.time()
        for start in range(1, count + 1, 5_000):
            async with store._redis.pipeline(transaction=False) as pipe:
                for number in range(start, min(start + 5_000, count + 1)):
                    key = SessionKey(f"{number:064x}")
                    session = _session(now)
                    await store._save(
                        keys=[store._session(key), store._index, "", ""],
                        args=[session.to_json(), int(store.ttl), now, key.value, 0, ""],
                        client=pipe,
                    )
                await pipe.execute()
        await store.close()

    asyncio.run(fill())


def _session(now: float) -> Session:
    return Session(
        language="fa",
        node=NodeId("rights.start"),
        back=(NodeId("welcome.menu"),),
        message_ids=(1_000_001, 1),
        message_times=(now, now),
        created=now,
        updated=now,
        screen=3,
    )


def measure() -> tuple[list[Row], list[str]]:
    flows = load_flows(load_config(env={}))
    supply = Conversations(flows)
    rows: list[Row] = []
    notes: list[str] = []
    with (
        FakeTelegramAPI(token=TOKEN).run_in_thread() as fake,
        tempfile.TemporaryDirectory() as folder,
    ):
        root = Path(folder)
        pinned = True
        for label, offered in [loads()[2], loads()[3]]:
            with floor(fake) as server:
                pinned &= pin(server.pid)
                run, cpu, calls = load_once(server, fake, supply, offered)
                rows.append(Row(label, "floor", run, cpu, peak_rss(server.pid), calls))
        for number, (label, offered) in enumerate(loads()):
            with putokaz(fake, root / f"sqlite-{number}", None) as server:
                pin(server.pid)
                run, cpu, calls = load_once(server, fake, supply, offered)
                rows.append(Row(label, "SQLite", run, cpu, peak_rss(server.pid), calls))
        redis = RedisServer(root / "redis").start()
        try:
            assert redis.process is not None
            for label, offered in loads():
                redis.command("FLUSHALL")
                with putokaz(fake, root / f"redis-{label}", redis) as server:
                    pin(server.pid)
                    os.sched_setaffinity(redis.process.pid, os.sched_getaffinity(0))
                    before = cpu_seconds(redis.process.pid)
                    run, cpu, calls = load_once(server, fake, supply, offered)
                    row = Row(label, "Redis", run, cpu, peak_rss(server.pid), calls)
                    rows.append(_with_store(row, redis, before))
            state = root / "sqlite-state"
            started = time.monotonic()
            fill_sqlite(state / "data", LIVE_SESSIONS)
            notes.append(f"filled SQLite in {time.monotonic() - started:.1f} s")
            with putokaz(fake, state / "data", None) as server:
                pin(server.pid)
                run, cpu, calls = load_once(server, fake, supply, STATE_LOAD)
                label = f"{STATE_LOAD[0]:.0f}/s, {LIVE_SESSIONS:,} live sessions"
                rows.append(Row(label, "SQLite", run, cpu, peak_rss(server.pid), calls))
            redis.command("FLUSHALL")
            started = time.monotonic()
            fill_redis(redis.url, LIVE_SESSIONS)
            notes.append(f"filled Redis in {time.monotonic() - started:.1f} s")
            with putokaz(fake, root / "redis-state", redis) as server:
                pin(server.pid)
                before = cpu_seconds(redis.process.pid)
                run, cpu, calls = load_once(server, fake, supply, STATE_LOAD)
                row = Row(label, "Redis", run, cpu, peak_rss(server.pid), calls)
                rows.append(_with_store(row, redis, before))
        finally:
            redis.stop()
    os.sched_setaffinity(0, set(CORES))
    notes.insert(0, f"server pinned to one core, load generator and fake on the other: {pinned}")
    return rows, notes


def _with_store(row: Row, redis: RedisServer, cpu_before: float) -> Row:
    assert redis.process is not None
    return Row(
        row.label,
        row.store,
        row.run,
        row.cpu,
        row.peak,
        row.calls,
        cpu_seconds(redis.process.pid) - cpu_before,
        rss(redis.process.pid),
    )


def table(rows: list[Row], notes: list[str]) -> list[str]:
    floors = {row.label: row.per_update for row in rows if row.store == "floor"}
    lines = [
        "| load | server | updates/s | p50 | p95 | p99 | CPU s | CPU/update | × floor "
        "| peak RSS | Bot API calls/update | non-200 |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        run = row.run
        ratio = floors.get(row.label)
        times = [percentile(run.latencies, f) * 1000 for f in (0.5, 0.95, 0.99)]
        store = ""
        if row.store_cpu is not None and row.store_rss is not None:
            store = (
                f" (+ redis-server {row.store_cpu / len(run.trips) * 1e6:.0f} µs, "
                f"RSS {row.store_rss / 2**20:.0f} MB)"
            )
        lines.append(
            f"| {row.label} | {row.store} | {run.rate:,.0f} | {times[0]:.1f} ms | "
            f"{times[1]:.1f} ms | {times[2]:.1f} ms | {row.cpu:.2f} | "
            f"{row.per_update * 1e6:.0f} µs{store} | "
            f"{'—' if ratio is None or row.store == 'floor' else f'{row.per_update / ratio:.2f}'}"
            " | "
            f"{row.peak / 2**20:.0f} MB | {row.calls / len(run.trips):.2f} | "
            f"{run.failures + run.unmatched} |"
        )
    sqlite_sat = next(r for r in rows if r.store == "SQLite" and r.label == "saturation")
    floor_sat = next(r for r in rows if r.store == "floor" and r.label == "saturation")
    lines.append("")
    lines.append(
        f"Putokaz (SQLite) CPU per update over the floor's, flat out: "
        f"{sqlite_sat.per_update / floor_sat.per_update:.2f}× "
        f"({sqlite_sat.per_update * 1e6:.0f} µs vs {floor_sat.per_update * 1e6:.0f} µs); "
        f"goal ≤ 1.5×."
    )
    for store in ("SQLite", "Redis"):
        empty = next(r for r in rows if r.store == store and r.label == "200/s")
        full = next(r for r in rows if r.store == store and "live sessions" in r.label)
        ratio = percentile(full.run.latencies, 0.99) / percentile(empty.run.latencies, 0.99)
        lines.append(
            f"{store} with {LIVE_SESSIONS:,} live sessions: p99 {ratio:.2f}× the empty "
            f"store's at 200/s (goal ≤ 2×), peak RSS {full.peak / 2**20:.0f} MB (goal < 150 MB)."
        )
    lines.extend(notes)
    lines.append(
        "non-200 counts webhook answers other than 200 and updates whose reply the fake "
        "never saw; latency is from sending the update to its reply reaching the fake."
    )
    return lines


def main() -> list[str]:
    return table(*measure())


if __name__ == "__main__":
    print("\n".join(main()))
