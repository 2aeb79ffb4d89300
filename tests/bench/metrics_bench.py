"""Metrics benchmark: what counting one answered update costs (`make bench`).

An answered Telegram update makes one `answered()` call (a counter and a histogram); the
budget for everything per update is ~600 µs of CPU (DESIGN.md, speed budget).
"""

from __future__ import annotations

import timeit
from collections.abc import Callable

from bot.metrics import Metrics

ROUNDS = 200_000


def per_call_ns(action: Callable[[], object], number: int = ROUNDS) -> float:
    """The best of five runs, in nanoseconds per call."""
    return min(timeit.repeat(action, number=number, repeat=5)) / number * 1e9


def main() -> list[str]:
    metrics = Metrics()
    rows = [
        (
            "latency(channel, seconds): histogram",
            lambda: metrics.latency("telegram", 0.004),
        ),
        ("update(channel, outcome): counter", lambda: metrics.update("viber", "ignored")),
        ("duplicate(channel)", lambda: metrics.duplicate("telegram")),
        (
            "platform_error(platform, method, status)",
            lambda: metrics.platform_error("telegram", "sendMessage", 502),
        ),
        ("exposition() of the whole registry", lambda: metrics.exposition(12)),
    ]
    lines = ["| call | ns per call |", "|---|---:|"]
    for name, action in rows:
        number = 2_000 if name.startswith("exposition") else ROUNDS
        lines.append(f"| {name} | {per_call_ns(action, number):,.0f} |")
    return lines


if __name__ == "__main__":
    print("\n".join(main()))
