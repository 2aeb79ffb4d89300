"""Telegram webhook benchmark: `putokaz serve` as a process against the fake Bot API.

5,000 generated updates (/start and taps on real buttons) from 50 concurrent clients;
prints updates/s, latency and the server's CPU time per update (from /proc/PID/stat).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bot.config import load_config
from bot.engine import Choose, Flows, Start, StepContext, step
from bot.engine.choice_token import encode_choice
from bot.service.runtime import load_flows
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.server import ServerProcess

TOKEN = "123456:BENCH-token"
SECRET = "bench-secret"
UPDATES = 5_000
ROUNDS = 3
WARM_UP = 250
CLIENTS = 50
TAPS_PER_CHAT = 4
SKIPPED = frozenset({"exit", "forget"})
"""Buttons the generated walks do not tap: they end the conversation."""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pin(server_pid: int) -> bool:
    """The server on one core, this process (clients and fake) on the others, if there are."""
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        return False
    os.sched_setaffinity(server_pid, {cores[0]})
    os.sched_setaffinity(0, set(cores[1:]))
    return True


def person(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Bench", "language_code": "en"}


def start_update(update_id: int, chat_id: int, language: str) -> dict[str, Any]:
    text = f"/start {language.replace('-', '_')}"
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1_000_000 + update_id,
            "from": person(chat_id),
            "chat": {"id": chat_id, "first_name": "Bench", "type": "private"},
            "date": 1767261607,
            "text": text,
            "entities": [{"offset": 0, "length": 6, "type": "bot_command"}],
        },
    }


def tap_update(update_id: int, chat_id: int, data: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": str(update_id * 10 + 1),
            "from": person(chat_id),
            "message": {
                "message_id": 1,
                "from": {"id": 123456, "is_bot": True, "first_name": "Putokaz"},
                "chat": {"id": chat_id, "first_name": "Bench", "type": "private"},
                "date": 1767261607,
                "text": "…",
            },
            "chat_instance": "-5384165712374016129",
            "data": data,
        },
    }


def conversations(flows: Flows, count: int, seed: int = 11) -> list[list[bytes]]:
    """`count` updates as conversations of one /start and taps on buttons the bot showed."""
    rng = random.Random(seed)
    languages = [language.code for language in flows.languages]
    chats: list[list[bytes]] = []
    update_id = 1
    while sum(len(c) for c in chats) < count:
        chat_id = 6_000_000_000 + len(chats)
        language = rng.choice(languages)
        session, reply = step(flows, None, Start(language.replace("-", "_")), StepContext(0.0))
        updates = [start_update(update_id, chat_id, language)]
        update_id += 1
        for _ in range(TAPS_PER_CHAT):
            buttons = [b for b in reply.buttons if b.url is None and b.option_id not in SKIPPED]
            if not buttons or reply.node is None:
                break
            button = rng.choice(buttons)
            updates.append(
                tap_update(update_id, chat_id, encode_choice(reply.node, button.option_id))
            )
            update_id += 1
            session, reply = step(
                flows, session, Choose(button.option_id, reply.node), StepContext(1.0)
            )
        chats.append([json.dumps(u).encode() for u in updates])
    return chats


async def fire(url: str, chats: list[list[bytes]]) -> tuple[float, list[float], int]:
    """Post every conversation (in order within it) from CLIENTS workers; wall s, latencies."""
    queue: asyncio.Queue[list[bytes]] = asyncio.Queue()
    for chat in chats:
        queue.put_nowait(chat)
    latencies: list[float] = []
    failures = 0
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    connector = aiohttp.TCPConnector(limit=CLIENTS)

    async with aiohttp.ClientSession(connector=connector) as http:

        async def worker() -> None:
            nonlocal failures
            while not queue.empty():
                for body in queue.get_nowait():
                    started = time.perf_counter()
                    async with http.post(url, data=body, headers=headers) as response:
                        await response.read()
                        failures += response.status != 200
                    latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
        return time.perf_counter() - started, latencies, failures


def rounds(chats: list[list[bytes]], sizes: list[int]) -> list[list[list[bytes]]]:
    """Split conversations into consecutive groups of at least `sizes[i]` updates each."""
    groups: list[list[list[bytes]]] = []
    rest = iter(chats)
    for size in sizes:
        group: list[list[bytes]] = []
        while sum(len(c) for c in group) < size:
            group.append(next(rest))
        groups.append(group)
    return groups


def main() -> list[str]:
    """Warm up, then three rounds of UPDATES; the median round is reported."""
    flows = load_flows(load_config(env={}))
    sizes = [WARM_UP] + [UPDATES] * ROUNDS
    warm, *measured = rounds(conversations(flows, sum(sizes) + 10 * ROUNDS), sizes)
    results = []
    cores = os.sched_getaffinity(0)
    with (
        FakeTelegramAPI(token=TOKEN).run_in_thread() as fake,
        tempfile.TemporaryDirectory() as folder,
    ):
        env = {
            "PUTOKAZ_TELEGRAM_TOKEN": TOKEN,
            "PUTOKAZ_TELEGRAM_SECRET": SECRET,
            "PUTOKAZ_TELEGRAM_API_URL": fake.base_url,
            "PUTOKAZ_PUBLIC_URL": "https://putokaz.test",
        }
        with ServerProcess(Path(folder) / "data", env=env) as server:
            assert server.process is not None
            pinned = "yes" if pin(server.process.pid) else "no"
            url = f"{server.url}/telegram"
            asyncio.run(fire(url, warm))
            for chats in measured:
                updates = sum(len(c) for c in chats)
                calls_before = len(fake.calls)
                cpu_before = cpu_seconds(server.process.pid)
                own_before = cpu_seconds(os.getpid())
                wall, latencies, failures = asyncio.run(fire(url, chats))
                cpu = cpu_seconds(server.process.pid) - cpu_before
                own = cpu_seconds(os.getpid()) - own_before
                calls = len(fake.calls) - calls_before
                results.append(
                    (updates / wall, cpu / updates, updates, latencies, failures, calls, own)
                )
    os.sched_setaffinity(0, cores)
    results.sort(key=lambda r: r[0])
    rate, per_update, updates, latencies, failures, calls, own = results[len(results) // 2]
    return [
        "| measurement (median of 3 rounds) | value |",
        "|---|---:|",
        f"| server pinned to one core, load generator on the other(s) | {pinned} |",
        f"| updates through POST /telegram per round ({CLIENTS} clients, 1/5 /start, "
        f"4/5 taps) | {updates} |",
        f"| throughput | {rate:,.0f} updates/s |",
        f"| throughput, all rounds | {' · '.join(f'{r[0]:,.0f}' for r in results)} |",
        f"| latency median | {statistics.median(latencies) * 1000:.1f} ms |",
        f"| latency p99 | {percentile(latencies, 0.99) * 1000:.1f} ms |",
        f"| server CPU per update | {per_update * 1e6:.0f} µs |",
        f"| server capacity on one core (1 / CPU per update) | {1 / per_update:,.0f} updates/s |",
        f"| CPU per update of this process (clients + fake Bot API) | "
        f"{own / updates * 1e6:.0f} µs |",
        f"| Bot API calls per update | {calls / updates:.2f} |",
        f"| non-200 answers | {failures} |",
    ]


if __name__ == "__main__":
    print("\n".join(main()))
