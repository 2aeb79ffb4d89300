"""Before and after, back to back: the server's CPU per update flat out, for the code at a git
revision and for the working tree, alternating so both see the same machine load.

`python -m tests.bench.compare BEFORE [AFTER] [ROUNDS]` checks the revisions out into
temporary worktrees and runs `putokaz serve` from each (PYTHONPATH; without AFTER, from this
working tree), ROUNDS times each (default 3), alternating, with the same fake Bot API, load
generator and SQLite mode; prints the medians.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bot.config import load_config
from bot.service.runtime import load_flows
from tests.bench.load import Conversations, cpu_seconds, saturation
from tests.bench.telegram_bench import CLIENTS, TOKEN, WARM_UP, pin, putokaz
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.server import REPO

UPDATES = 4_000


def per_update(fake: FakeTelegramAPI, data: Path, supply: Conversations) -> tuple[float, float]:
    """(server CPU µs per update, updates/s) for one fresh server on one core."""
    with putokaz(fake, data, None) as server:
        pin(server.pid)
        asyncio.run(saturation(server.url, supply.chats(WARM_UP), CLIENTS))
        before = cpu_seconds(server.pid)
        run = asyncio.run(saturation(server.url, supply.chats(UPDATES), CLIENTS))
        return (cpu_seconds(server.pid) - before) / len(run.trips) * 1e6, run.rate


def main(revision: str, after: str | None = None, rounds: int = 3) -> list[str]:
    flows = load_flows(load_config(env={}))
    supply = Conversations(flows)
    later = after or "working tree"
    results: dict[str, list[tuple[float, float]]] = {revision: [], later: []}
    with (
        tempfile.TemporaryDirectory() as folder,
        FakeTelegramAPI(token=TOKEN).run_in_thread() as fake,
    ):
        trees = {revision: Path(folder) / "before", later: REPO}
        if after is not None:
            trees[later] = Path(folder) / "after"
        for label, tree in trees.items():
            if tree != REPO:
                subprocess.run(
                    ["git", "worktree", "add", "--detach", str(tree), label],
                    cwd=REPO,
                    check=True,
                    capture_output=True,
                )
        path = os.environ.get("PYTHONPATH")
        try:
            for number in range(rounds):
                for label, tree in trees.items():
                    os.environ["PYTHONPATH"] = str(tree)
                    data = Path(folder) / f"data-{number}-{tree.name}"
                    results[label].append(per_update(fake, data, supply))
        finally:
            if path is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = path
            for tree in trees.values():
                if tree != REPO:
                    subprocess.run(
                        ["git", "worktree", "remove", "--force", str(tree)],
                        cwd=REPO,
                        capture_output=True,
                    )
    rows = [
        f"| code | CPU per update, median of {rounds} (all) | updates/s, median |",
        "|---|---:|---:|",
    ]
    for label, runs in results.items():
        cpus = [c for c, _ in runs]
        rates = [r for _, r in runs]
        each = " · ".join(f"{c:.0f}" for c in cpus)
        rows.append(
            f"| {label} | {statistics.median(cpus):.0f} µs ({each}) "
            f"| {statistics.median(rates):,.0f} |"
        )
    before = statistics.median(c for c, _ in results[revision])
    now = statistics.median(c for c, _ in results[later])
    rows.append(f"\nafter / before: {now / before:.2f}")
    return rows


if __name__ == "__main__":
    words = sys.argv[1:]
    count = int(words.pop()) if len(words) > 1 and words[-1].isdigit() else 3
    print("\n".join(main(words[0], words[1] if len(words) > 1 else None, count)))
