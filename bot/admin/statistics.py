"""Anonymous statistics from the per-day counts the stores keep (bot/store/base.py `Tally`):
screens by day × language, channels, hand-offs, quick exits, link campaigns and a funnel.

Only counts exist: no session key, no id, nothing that joins back to a person. A count
under 5 is shown as "<5" on the page and in the CSV, so a rare language on a quiet day
does not point at someone. Funnel stages are screens shown, not people (nothing
follows a person from one screen to the next).
"""

from __future__ import annotations

import csv
import io
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.engine import Flows
from bot.store.base import Store, Tally

SMALL = 5
DAY = 24 * 3600
CSV_COLUMNS = ("table", "day", "language", "screen", "channel", "campaign", "count")


def shown(count: int) -> str:
    """What may be published of a count: "<5" for 1 to 4."""
    return f"<{SMALL}" if 0 < count < SMALL else str(count)


@dataclass(frozen=True)
class Row:
    table: str
    day: str = ""
    language: str = ""
    screen: str = ""
    channel: str = ""
    campaign: str = ""
    count: int = 0

    @property
    def shown(self) -> str:
        return shown(self.count)


@dataclass(frozen=True)
class Statistics:
    days: tuple[str, ...]
    screens: tuple[Row, ...]
    channels: tuple[Row, ...]
    handoffs: tuple[Row, ...]
    exits: tuple[Row, ...]
    campaigns: tuple[Row, ...]
    funnel: tuple[Row, ...]

    def rows(self) -> Iterable[Row]:
        for table in (
            self.screens,
            self.channels,
            self.handoffs,
            self.exits,
            self.campaigns,
            self.funnel,
        ):
            yield from table


def day_names(now: float, days: int) -> tuple[str, ...]:
    """The last `days` UTC days up to `now`'s, oldest first."""
    return tuple(
        time.strftime("%Y-%m-%d", time.gmtime(now - i * DAY)) for i in reversed(range(days))
    )


async def gather(store: Store, days: tuple[str, ...]) -> dict[Tally, int]:
    counts: dict[Tally, int] = {}
    for day in days:
        counts.update(await store.tally_counts(day))
    return counts


def _rows(
    table: str, counter: Counter[tuple[str, ...]], fields: tuple[str, ...]
) -> tuple[Row, ...]:
    return tuple(
        Row(table, count=n, **dict(zip(fields, key, strict=True)))
        for key, n in sorted(counter.items())
    )


def compute(flows: Flows, counts: dict[Tally, int], days: tuple[str, ...]) -> Statistics:
    nav = flows.navigation
    screens: Counter[tuple[str, ...]] = Counter()
    channels: Counter[tuple[str, ...]] = Counter()
    handoffs: Counter[tuple[str, ...]] = Counter()
    exits: Counter[tuple[str, ...]] = Counter()
    campaigns: Counter[tuple[str, ...]] = Counter()
    stages = {"started": 0, "saw rights": 0, "saw the reflection period": 0, "hand-off": 0}
    for tally, n in counts.items():
        screens[(tally.day, tally.language, tally.node)] += n
        if tally.origin:
            channels[(tally.day, tally.channel or "unknown")] += n
            stages["started"] += n
            if tally.origin != "direct":
                campaigns[(tally.day, tally.origin)] += n
        if tally.node == nav.hotline:
            handoffs[(tally.day, tally.language)] += n
            stages["hand-off"] += n
        if tally.node == nav.exited:
            exits[(tally.day, tally.language)] += n
        if tally.node == "rights.start":
            stages["saw rights"] += n
        if tally.node == "reflection.start":
            stages["saw the reflection period"] += n
    return Statistics(
        days=days,
        screens=_rows("screens", screens, ("day", "language", "screen")),
        channels=_rows("started by channel", channels, ("day", "channel")),
        handoffs=_rows("hand-offs", handoffs, ("day", "language")),
        exits=_rows("quick exits", exits, ("day", "language")),
        campaigns=_rows("started by campaign", campaigns, ("day", "campaign")),
        funnel=tuple(Row("funnel", screen=stage, count=n) for stage, n in stages.items()),
    )


def to_csv(stats: Statistics) -> str:
    """One CSV of every table; counts under 5 written as "<5"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in stats.rows():
        writer.writerow(
            [row.table, row.day, row.language, row.screen, row.channel, row.campaign, row.shown]
        )
    return buffer.getvalue()
