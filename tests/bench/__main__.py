"""`make bench`: run every benchmark and print its table, with the machine it ran on."""

from __future__ import annotations

import os
import platform
import sys

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


def run() -> None:
    print(f"machine: {machine()}")
    print(f"command: make bench ({' '.join(sys.argv)})\n")
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
        print(f"\n## {name.removesuffix('_bench').title()}\n")
        print("\n".join(module.main()))


if __name__ == "__main__":
    run()
