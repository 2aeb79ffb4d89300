"""`make bench`: run every benchmark and print its table, with the machine it ran on."""

from __future__ import annotations

import os
import platform
import time

from tests.bench import engine_bench


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(
                line.split(":", 1)[1].strip() for line in info if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def load_average() -> str:
    """The machine's 1/5/15-minute load averages: other work competing for the cores."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def run() -> None:
    started = time.monotonic()
    print(f"machine: {machine()}")
    print("command: make bench (python -m tests.bench)")
    print(f"load average at the start: {load_average()}\n")
    print("## Engine\n")
    print("\n".join(engine_bench.main()))
    for name in (
        "telegram_bench",
        "viber_bench",
        "flowset_bench",
        "metrics_bench",
        "redis_bench",
    ):
        try:
            module = __import__(f"tests.bench.{name}", fromlist=["main"])
        except ImportError:
            continue
        print(f"\n## {name.removesuffix('_bench').title()}\n", flush=True)
        print("\n".join(module.main()), flush=True)
    print(f"\nload average at the end: {load_average()}")
    print(f"make bench took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    run()
