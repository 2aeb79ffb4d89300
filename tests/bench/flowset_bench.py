"""A generated flow set of 1,000 nodes next to the real ones: load, catalogs, lint and step().

Ten generated files of 100 screens each, every screen reachable from the menu (the copied
navigation's menu opens the first of them), four buttons per screen across files. Goal from
issue 20: load + lint under 1 s.
"""

from __future__ import annotations

import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bot.config import load_config
from bot.engine import Flows, StepContext, step
from bot.engine.events import Back, Choose, Event, Start
from bot.engine.lint import lint
from bot.engine.load.loader import load_dir
from bot.i18n.catalogs import attach_catalogs
from tests.bench.load import percentile

FILES = 10
NODES_PER_FILE = 100
MENU = "  menu: welcome.menu\n"


def generated_file(number: int) -> str:
    lines = ["version: 1", f"id: gen{number:02d}", f'title: "Generated set {number}"', "nodes:"]
    for node in range(NODES_PER_FILE):
        ahead, skip = (node + 1) % NODES_PER_FILE, (node + 7) % NODES_PER_FILE
        other = f"gen{(number + 1) % FILES:02d}.n{node:03d}"
        lines += [
            f"  n{node:03d}:",
            f'    say: "Generated screen {number}.{node}: a paragraph of about the length of a '
            f'real screen, so that loading and rendering do the same work per node."',
            "    options:",
            f'      - {{id: ahead, label: "Next screen", goto: n{ahead:03d}}}',
            f'      - {{id: skip, label: "Skip ahead", goto: n{skip:03d}}}',
            f'      - {{id: other, label: "Another file", goto: {other}}}',
            '      - {id: real, label: "The real menu", goto: welcome.menu}',
        ]
    return "\n".join(lines) + "\n"


def write_flow_set(folder: Path, source: Path) -> Path:
    """The real flows plus FILES generated ones in `folder`; the menu opens the generated set."""
    target = folder / "flows"
    shutil.copytree(source, target)
    navigation = (target / "navigation.yaml").read_text()
    if MENU not in navigation:
        line = MENU.strip()
        raise RuntimeError(
            f"{source}/navigation.yaml has no line {line!r}; make "
            "tests/bench/flowset_bench.py open the generated set from the new menu"
        )
    (target / "navigation.yaml").write_text(navigation.replace(MENU, "  menu: gen00.n000\n"))
    for number in range(FILES):
        (target / f"gen{number:02d}.yaml").write_text(generated_file(number))
    return target


def timed(action: object, repeat: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of each run: on a shared machine the CPU time is the steadier."""
    samples = []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        action()  # type: ignore[operator]
        samples.append((time.perf_counter() - started, time.process_time() - cpu))
    return samples


def walk(flows: Flows, events: int, seed: int = 5) -> list[float]:
    rng = random.Random(seed)
    session, reply = step(flows, None, Start("en"), StepContext(0.0))
    samples = []
    for number in range(events):
        buttons = [b for b in reply.buttons if b.url is None and b.option_id != "exit"]
        event: Event = (
            Choose(rng.choice(buttons).option_id, reply.node)
            if buttons and rng.random() < 0.9
            else Back()
        )
        started = time.perf_counter()
        session, reply = step(flows, session, event, StepContext(float(number), "K7F3"))
        samples.append(time.perf_counter() - started)
    return samples


def main() -> list[str]:
    config = load_config(env={})
    with tempfile.TemporaryDirectory() as folder:
        flows_dir = write_flow_set(Path(folder), config.flows_dir)
        loads = timed(lambda: load_dir(flows_dir), 5)
        flows = load_dir(flows_dir)
        catalogs = timed(lambda: attach_catalogs(load_dir(flows_dir), config.locales_dir), 3)
        compiled = attach_catalogs(flows, config.locales_dir)
        problems = lint(compiled)
        lints = timed(lambda: lint(compiled), 5)
        totals = timed(lambda: lint(attach_catalogs(load_dir(flows_dir), config.locales_dir)), 3)
    generated = FILES * NODES_PER_FILE
    steps = walk(compiled, 20_000)
    errors = sum(p.severity.value == "error" for p in problems)

    def ms(samples: list[tuple[float, float]]) -> str:
        wall = [w for w, _ in samples]
        cpu = [c for _, c in samples]
        return (
            f"{statistics.median(wall) * 1000:.0f} ms | {max(wall) * 1000:.0f} ms | "
            f"{statistics.median(cpu) * 1000:.0f} ms"
        )

    return [
        f"| {len(compiled.nodes):,} nodes ({generated:,} generated), "
        f"{len(compiled.languages)} languages | median | slowest | CPU, median |",
        "|---|---:|---:|---:|",
        f"| load (YAML) | {ms(loads)} |",
        f"| load + catalogs | {ms(catalogs)} |",
        f"| lint() ({len(problems)} problems, {errors} errors) | {ms(lints)} |",
        f"| load + catalogs + lint (goal < 1 s) | {ms(totals)} |",
        f"| step(), 20,000 events, median / p99 | "
        f"{statistics.median(steps) * 1e6:.1f} µs | {percentile(steps, 0.99) * 1e6:.1f} µs | |",
    ]


if __name__ == "__main__":
    print("\n".join(main()))
