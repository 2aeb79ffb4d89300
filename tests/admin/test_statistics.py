"""Statistics after a scripted load of 1,000 conversations across languages and channels
(in-process, through the real conversation service and SQLite store): the page and the
CSV say the counts the script implies, small cells say "<5", and neither the counts'
table nor the CSV holds a session key."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections import Counter
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.admin.statistics import CSV_COLUMNS
from bot.channels.base import Outcome, Turn
from bot.engine import Flows
from bot.engine.events import Choose, Exit, Start
from bot.engine.payload import make_payload
from bot.service.runtime import Services
from bot.store.base import Tally
from bot.web.app import create_app
from bot.web.keys import CONVERSATIONS
from tests.admin.staff_client import Staff, add_accounts, staff_config
from tests.fakes.outbox import RecordingOutbox

NOW = 1_800_000_000.0
DAY = Tally.of(NOW, "en", "x").day
CHANNELS = ("telegram", "viber", "webchat")
RARE = "poster7"
"""A campaign tag only three conversations come from: its cell must say "<5"."""


def plan(languages: list[str]) -> list[dict[str, object]]:
    people = []
    for i in range(1000):
        language = languages[i % len(languages)]
        topic = "rights" if i % 2 == 0 else "reflection"
        campaign = RARE if i in (11, 12, 13) else ("bus1" if i % 10 == 0 else None)
        people.append(
            {
                "id": 900_000 + i,
                "channel": CHANNELS[i % 3],
                "language": language,
                "topic": topic,
                "campaign": campaign,
                "hotline": i % 3 == 0,
                "exit": i % 7 == 0,
            }
        )
    return people


def expected(people: list[dict[str, object]]) -> dict[str, Counter[tuple[str, ...]]]:
    out: dict[str, Counter[tuple[str, ...]]] = {
        k: Counter() for k in ("channels", "handoffs", "exits", "campaigns", "funnel")
    }
    for p in people:
        out["channels"][(DAY, str(p["channel"]))] += 1
        out["funnel"][("started",)] += 1
        topic = "saw rights" if p["topic"] == "rights" else "saw the reflection period"
        out["funnel"][(topic,)] += 1
        if p["campaign"]:
            out["campaigns"][(DAY, str(p["campaign"]))] += 1
        if p["hotline"]:
            out["handoffs"][(DAY, str(p["language"]))] += 1
            out["funnel"][("hand-off",)] += 1
        if p["exit"]:
            out["exits"][(DAY, str(p["language"]))] += 1
    return out


def shown(n: int) -> str:
    return "<5" if 0 < n < 5 else str(n)


async def test_a_thousand_conversations_are_counted_and_small_cells_hidden(
    tmp_path: Path, flows: Flows
) -> None:
    config = staff_config(tmp_path / "data")
    add_accounts(config)
    languages = [lang.code for lang in flows.languages]
    people = plan(languages)
    client = TestClient(TestServer(create_app(config, Services(clock=lambda: NOW))))
    await client.start_server()
    try:
        service = client.server.app[CONVERSATIONS]
        deliveries = Counter[str]()
        for p in people:
            channel = str(p["channel"])
            payload = make_payload(str(p["language"]), str(p["topic"]), p["campaign"])  # type: ignore[arg-type]
            events: list[object] = [Start(payload)]
            if p["hotline"]:
                events.append(Choose("hotline", f"{p['topic']}.start"))  # type: ignore[arg-type]
            if p["exit"]:
                events.append(Exit())
            for event in events:
                deliveries[channel] += 1
                result = await service.run(
                    channel,
                    Turn(p["id"], event, str(deliveries[channel])),
                    RecordingOutbox(),  # type: ignore[arg-type]
                )
                assert result.outcome is Outcome.ANSWERED
        staff = Staff(client)
        await staff.login("vera")
        status, page = await staff.get("/admin/stats?days=1")
        assert status == 200
        response = await client.get("/admin/stats.csv?days=1")
        assert response.status == 200
        table = list(csv.DictReader(io.StringIO(await response.text())))
    finally:
        await client.close()

    want = expected(people)
    {k: Counter() for k in want}
    names = {
        "started by channel": ("channels", ("day", "channel")),
        "hand-offs": ("handoffs", ("day", "language")),
        "quick exits": ("exits", ("day", "language")),
        "started by campaign": ("campaigns", ("day", "campaign")),
        "funnel": ("funnel", ("screen",)),
    }
    shown_got: dict[str, dict[tuple[str, ...], str]] = {k: {} for k in want}
    for row in table:
        if row["table"] in names:
            kind, fields = names[row["table"]]
            shown_got[kind][tuple(row[f] for f in fields)] = row["count"]
    for kind, counts in want.items():
        assert shown_got[kind] == {k: shown(n) for k, n in counts.items()}, kind
    assert shown_got["campaigns"][(DAY, RARE)] == "<5"
    assert shown_got["funnel"][("started",)] == "1000"
    assert all(
        row["count"] == "<5" or int(row["count"]) >= 5 or row["count"] == "0" for row in table
    )

    # The page says the same, cell by cell, for the small campaign and the funnel.
    campaigns = page[page.index('id="campaigns"') :]
    assert re.search(rf"<td>{RARE}</td><td class=\"num\">&lt;5</td>", campaigns)
    assert '<td>started</td><td class="num">1000</td>' in page

    # No session key anywhere: not in the counts' schema, rows, the page or the CSV.
    keys = [str(service.pseudonyms.key(str(p["channel"]), p["id"]).value) for p in people[:50]]  # type: ignore[arg-type]
    db = sqlite3.connect(config.database)
    columns = [r[1] for r in db.execute("pragma table_info(tallies)")]
    assert columns == ["day", "language", "node", "channel", "origin", "count"]
    stored = " ".join(str(v) for row in db.execute("select * from tallies") for v in row)
    csv_text = " ".join(" ".join(r.values()) for r in table)
    for key in keys:
        assert key not in stored
        assert key not in csv_text
        assert key not in page
    assert tuple(table[0].keys()) == CSV_COLUMNS
    assert not any(str(p["id"]) in csv_text for p in people)
