"""Engine benchmarks: `step()` per event over the real flows, and load + lint time.

Run with `make bench`; prints a Markdown table.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from bot.config import load_config
from bot.engine import Flows, StepContext, step
from bot.engine.events import Back, Choose, Event, Menu, Start, Text
from bot.engine.lint import lint
from bot.engine.load.loader import load_dir
from bot.service.runtime import load_flows


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter_ns()
        action()
        samples.append((time.perf_counter_ns() - started) / 1000)
    return samples


def random_walk(flows: Flows, events: int, seed: int = 7) -> list[tuple[str, list[float]]]:
    """Time each event kind along a seeded random walk that taps real buttons."""
    rng = random.Random(seed)
    languages = [lang.code for lang in flows.languages]
    by_kind: dict[str, list[float]] = {}
    session, reply = step(flows, None, Start(languages[0]), StepContext(0.0))
    for number in range(events):
        roll = rng.random()
        event: Event
        if roll < 0.8 and reply.buttons:
            button = rng.choice(
                [b for b in reply.buttons if b.option_id != "exit"] or reply.buttons
            )
            event = Choose(button.option_id, reply.node)
        elif roll < 0.88:
            event = Back()
        elif roll < 0.93:
            event = Menu()
        elif roll < 0.97:
            event = Text()
        else:
            event = Start(rng.choice(languages).replace("-", "_") + "-rights")
        context = StepContext(float(number), "K7F3")
        started = time.perf_counter_ns()
        after, reply = step(flows, session, event, context)
        elapsed = (time.perf_counter_ns() - started) / 1000
        by_kind.setdefault(type(event).__name__, []).append(elapsed)
        session = after
    return sorted(by_kind.items())


def main() -> list[str]:
    config = load_config(env={})
    flows = load_flows(config)
    rows = ["| measurement | n | median | p99 |", "|---|---:|---:|---:|"]
    all_events: list[float] = []
    for kind, samples in random_walk(flows, 100_000):
        all_events.extend(samples)
        rows.append(
            f"| step() {kind} | {len(samples)} | {statistics.median(samples):.1f} µs | "
            f"{percentile(samples, 0.99):.1f} µs |"
        )
    rows.append(
        f"| step() all events | {len(all_events)} | {statistics.median(all_events):.1f} µs | "
        f"{percentile(all_events, 0.99):.1f} µs |"
    )
    loads = timed(lambda: load_dir(config.flows_dir), 20)
    rows.append(
        f"| load flows/ (YAML) | 20 | {statistics.median(loads) / 1000:.1f} ms | "
        f"{max(loads) / 1000:.1f} ms |"
    )
    with_catalogs = timed(lambda: load_flows(config), 5)
    rows.append(
        f"| load flows/ + catalogs ({len(flows.languages)} languages) | 5 | "
        f"{statistics.median(with_catalogs) / 1000:.1f} ms | {max(with_catalogs) / 1000:.1f} ms |"
    )
    lints = timed(lambda: lint(flows), 20)
    rows.append(
        f"| lint() | 20 | {statistics.median(lints) / 1000:.1f} ms | {max(lints) / 1000:.1f} ms |"
    )
    return rows
