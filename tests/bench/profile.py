"""Where `putokaz serve` spends its CPU under flat-out Telegram webhook load: py-spy samples
the server process while 50 clients post generated conversations (SQLite store).

`python -m tests.bench.profile [SECONDS]` prints the functions by share of samples, both
inclusive (the function and what it calls) and self; docs/BENCHMARKS.md keeps a summary.
Needs py-spy (`pip install py-spy`); not part of `make bench`. PUTOKAZ_PROFILE_RAW=FILE keeps
the collapsed stacks (for flame graphs or other summaries).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

from bot.config import load_config
from bot.service.runtime import load_flows
from tests.bench.load import Conversations, saturation
from tests.bench.telegram_bench import WARM_UP, pin, putokaz
from tests.fakes.telegram_api import FakeTelegramAPI

TOKEN = "123456:BENCH-token"
TOP = 40


def frame_name(frame: str) -> str:
    """`handle (/…/bot/channels/telegram/channel.py:50)` -> `bot/…/channel.py:handle`."""
    name, _, place = frame.partition(" (")
    place = place.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "/wt/", "/lib/python3"):
        if marker in place:
            place = place.split(marker, 1)[1]
    if place.startswith(("speed/", "main/")):
        place = place.split("/", 1)[1]
    return f"{place}:{name}"


PARTS = (
    (
        "aiohttp: serving the webhook request",
        "aiohttp/web_protocol.py:RequestHandler._handle_request",
    ),
    (
        "Putokaz's webhook handler (all below)",
        "bot/channels/telegram/routes.py:TelegramRoutes.webhook",
    ),
    ("read the body and parse the JSON", "bot/channels/body.py:read_json"),
    ("read the update", "bot/channels/telegram/inbound.py:read_update"),
    ("pseudonym (HMAC)", "bot/store/pseudonym.py:Pseudonymizer.key"),
    ("isolation lock", "bot/store/isolation.py:MemoryIsolation.lock"),
    ("SQLite: duplicate check", "bot/store/sqlite.py:SQLiteStore.answered"),
    ("SQLite: read the session", "bot/store/sqlite.py:SQLiteStore.get"),
    ("SQLite: the one write", "bot/store/sqlite.py:SQLiteStore.save"),
    ("engine step()", "bot/engine/step.py:step"),
    ("hand-off code", "bot/service/handoff.py:handoff_code"),
    ("Telegram rendering", "bot/channels/telegram/outbound.py:render_reply"),
    ("the Bot API call (retries, HTTP)", "bot/channels/telegram/api.py:with_retries"),
    ("  of which PTB's Bot._post wrapper and its JSON", "telegram/_bot.py:Bot._post"),
    ("  of which aiohttp's client request", "aiohttp/client.py:ClientSession._request"),
    ("the log line", "bot/logs.py:log_event"),
    ("metrics", "bot/metrics.py:Metrics.latency"),
)
"""Parts of one update, by the function that does each (inclusive share of samples)."""


def parts(raw: str) -> list[str]:
    """The share of the samples in each of PARTS."""
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        total += int(count)
        for name in {frame_name(f) for f in stack.split(";") if f}:
            inclusive[name] += int(count)
    rows = ["| part of an update | share of the server's samples |", "|---|---:|"]
    for label, name in PARTS:
        rows.append(f"| {label} | {inclusive[name] / max(total, 1):.1%} |")
    return rows


def summarize(raw: str) -> list[str]:
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        total += samples
        frames = [frame_name(f) for f in stack.split(";") if f and not f.startswith("process ")]
        for name in set(frames):
            inclusive[name] += samples
        if frames:
            own[frames[-1]] += samples
    rows = [f"{total} samples", "", "| inclusive | self | function |", "|---:|---:|---|"]
    for name, samples in inclusive.most_common(TOP):
        rows.append(f"| {samples / total:.1%} | {own[name] / total:.1%} | `{name}` |")
    rows += ["", "| self | function |", "|---:|---|"]
    for name, samples in own.most_common(TOP):
        rows.append(f"| {samples / total:.1%} | `{name}` |")
    return rows


def main(seconds: float = 8.0) -> list[str]:
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    flows = load_flows(load_config(env={}))
    supply = Conversations(flows)
    with (
        FakeTelegramAPI(token=TOKEN).run_in_thread() as fake,
        tempfile.TemporaryDirectory() as folder,
        putokaz(fake, Path(folder) / "data", None) as server,
    ):
        pin(server.pid)
        asyncio.run(saturation(server.url, supply.chats(WARM_UP)))
        out = Path(folder) / "profile.txt"
        record = [spy, "record", "--format", "raw", "--rate", "250", "--nonblocking"]
        command = [*record, "-o", str(out), "-d", str(int(seconds)), "-p", str(server.pid)]
        done = threading.Event()

        def load() -> None:
            while not done.is_set():
                asyncio.run(saturation(server.url, supply.chats(2_000)))

        loader = threading.Thread(target=load, daemon=True)
        loader.start()
        subprocess.run(command, check=True, capture_output=True)
        done.set()
        loader.join()
        raw = out.read_text()
        if keep := os.environ.get("PUTOKAZ_PROFILE_RAW"):
            Path(keep).write_text(raw)
        return [*parts(raw), "", *summarize(raw)]


if __name__ == "__main__":
    print("\n".join(main(float(sys.argv[1]) if len(sys.argv) > 1 else 8.0)))
