"""`/metrics`: Prometheus text that Prometheus' own parser reads, counters that move with a
conversation, label values only from fixed sets, and access only for a scraper."""

from __future__ import annotations

import copy
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from bot.config import Config, load_config
from bot.engine.choice_token import encode_choice
from bot.metrics import (
    CHANNELS,
    FAILURES,
    HTTP_STATUSES,
    METHODS,
    OTHER,
    OUTCOMES,
    PLATFORMS,
    PUBLISH_KINDS,
    RETRY_REASONS,
    VIBER_STATUSES,
    Metrics,
)
from bot.web.app import create_app
from tests.fakes.telegram_api import FakeTelegramAPI

TOKEN = "123456:METRICS-token_for-the-fake"
SECRET = "metrics-secret_9Xq"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "telegram"
PLANTED_CHAT = 777000111
PLANTED = {
    str(PLANTED_CHAT),
    "PlantedFirstName",
    "PlantedLastName",
    "planted_username_q7",
    "planted words someone typed",
    TOKEN,
    SECRET,
}
ALLOWED_LABEL_VALUES = {
    *CHANNELS,
    *OUTCOMES,
    *PLATFORMS,
    *METHODS,
    *HTTP_STATUSES,
    *FAILURES,
    *VIBER_STATUSES,
    *RETRY_REASONS,
    *PUBLISH_KINDS,
    OTHER,
}


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return data


class Updates:
    """Telegram updates for the planted chat, each with a new update_id."""

    def __init__(self) -> None:
        self.next_id = 910_000_000
        self.next_message = 50_000

    def _numbered(self, update: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        update["update_id"] = self.next_id
        return update

    def text(self, text: str) -> dict[str, Any]:
        update = copy.deepcopy(fixture("message_text"))
        self.next_message += 1
        update["message"]["message_id"] = self.next_message
        update["message"]["text"] = text
        update["message"].pop("entities", None)
        return self._numbered(update)

    def tap(self, node: str, option: str, message_id: int) -> dict[str, Any]:
        update = copy.deepcopy(fixture("callback_query"))
        update["callback_query"]["data"] = encode_choice(node, option)
        update["callback_query"]["message"]["message_id"] = message_id
        update["callback_query"]["id"] = str(self.next_id * 10 + 7)
        return self._numbered(update)


def app_config(tmp_path: Path, fake: FakeTelegramAPI | None = None, **extra: str) -> Config:
    env = {"PUTOKAZ_DATA": str(tmp_path / "data"), "PUTOKAZ_EXIT_URL": "about:blank", **extra}
    if fake is not None:
        env |= {
            "PUTOKAZ_TELEGRAM_TOKEN": TOKEN,
            "PUTOKAZ_TELEGRAM_SECRET": SECRET,
            "PUTOKAZ_TELEGRAM_API_URL": fake.base_url,
            "PUTOKAZ_PUBLIC_URL": "https://putokaz.test",
        }
    return load_config(env=env)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI(TOKEN) as running:
        yield running


async def serve(config: Config) -> TestClient[Any, Any]:
    client: TestClient[Any, Any] = TestClient(TestServer(create_app(config), host="127.0.0.1"))
    await client.start_server()
    return client


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample as (name, sorted labels) -> value, read by prometheus_client's parser."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


async def scrape(client: TestClient[Any, Any]) -> str:
    response = await client.get("/metrics")
    assert response.status == 200, await response.text()
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return await response.text()


async def test_a_telegram_conversation_moves_the_counters(
    tmp_path: Path, fake: FakeTelegramAPI
) -> None:
    client = await serve(app_config(tmp_path, fake))
    updates = Updates()
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

    async def post(update: dict[str, Any]) -> None:
        response = await client.post("/telegram", json=update, headers=headers)
        assert response.status == 200

    try:
        before = samples(await scrape(client))
        start = updates.text("/start en")
        await post(start)
        await post(start)  # Telegram redelivers: answered once, counted as a duplicate
        await post(updates.text("planted words someone typed"))
        fake.fail("sendMessage", 502, times=1)  # one retry, then the reply goes out
        await post(updates.tap("welcome.menu", "talk", 1))
        await post(updates.tap("hotline.start", "exit", 1))
        response = await client.post("/telegram", json={}, headers={})
        assert response.status == 403
        after = samples(await scrape(client))
    finally:
        await client.close()

    assert value(before, "putokaz_updates_total", channel="telegram", outcome="answered") == 0
    assert value(after, "putokaz_updates_total", channel="telegram", outcome="answered") == 4
    assert value(after, "putokaz_updates_total", channel="telegram", outcome="refused") == 1
    assert value(after, "putokaz_duplicates_total", channel="telegram") == 1
    assert value(after, "putokaz_handoffs_total", channel="telegram") == 1
    assert value(after, "putokaz_quick_exits_total", channel="telegram") == 1
    assert value(after, "putokaz_reply_seconds_count", channel="telegram") == 4
    assert (
        value(
            after,
            "putokaz_platform_errors_total",
            platform="telegram",
            method="sendMessage",
            status="502",
        )
        == 1
    )
    assert (
        value(
            after,
            "putokaz_platform_retries_total",
            platform="telegram",
            method="sendMessage",
            reason="server_error",
        )
        == 1
    )
    # The quick exit forgot the only session.
    assert value(after, "putokaz_sessions_active") == 0


async def test_no_label_value_is_a_planted_identifier(
    tmp_path: Path, fake: FakeTelegramAPI
) -> None:
    client = await serve(app_config(tmp_path, fake))
    updates = Updates()
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    try:
        fake.fail(None, 400, times=2, description="Bad Request: chat PlantedFirstName not found")
        for update in (updates.text("/start en"), updates.text("planted words someone typed")):
            await client.post("/telegram", json=update, headers=headers)
        text = await scrape(client)
    finally:
        await client.close()
    labels = {
        label
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        for name, label in sample.labels.items()
        if name != "le"  # histogram bucket bounds, numbers we chose
    }
    assert {"telegram", "webchat", "answered", "400"} <= labels
    assert not labels & PLANTED
    assert labels <= ALLOWED_LABEL_VALUES, labels - ALLOWED_LABEL_VALUES
    assert not any(secret in text for secret in PLANTED)


async def test_a_web_chat_conversation_counts_sessions_and_refusals(tmp_path: Path) -> None:
    client = await serve(app_config(tmp_path))
    try:
        assert (
            await client.post("/api/chat", json={"action": "start", "payload": "en"})
        ).status == 200
        assert (
            await client.post(
                "/api/chat", json={"action": "choose", "option": "talk", "node": "welcome.menu"}
            )
        ).status == 200
        assert (await client.post("/api/chat", data=b"not json")).status == 400
        found = samples(await scrape(client))
    finally:
        await client.close()
    assert value(found, "putokaz_updates_total", channel="webchat", outcome="answered") == 2
    assert value(found, "putokaz_updates_total", channel="webchat", outcome="refused") == 1
    assert value(found, "putokaz_handoffs_total", channel="webchat") == 1
    assert value(found, "putokaz_sessions_active") == 1


async def test_with_a_token_metrics_need_the_bearer_token(tmp_path: Path) -> None:
    client = await serve(app_config(tmp_path, PUTOKAZ_METRICS_TOKEN="scrape-me-7"))
    try:
        assert (await client.get("/metrics")).status == 401
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status == 401
        right = await client.get("/metrics", headers={"Authorization": "Bearer scrape-me-7"})
        assert right.status == 200
        assert "putokaz_updates_total" in await right.text()
    finally:
        await client.close()


async def test_without_a_token_a_forwarded_request_is_refused(tmp_path: Path) -> None:
    client = await serve(app_config(tmp_path))
    try:
        response = await client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        assert response.status == 403
        assert "PUTOKAZ_METRICS_TOKEN" in await response.text()
    finally:
        await client.close()


def test_two_apps_keep_separate_counts() -> None:
    first, second = Metrics(), Metrics()
    first.update("webchat", "answered")
    assert b'putokaz_updates_total{channel="webchat",outcome="answered"} 1.0' in first.exposition()
    assert b'putokaz_updates_total{channel="webchat",outcome="answered"} 0.0' in second.exposition()


def test_values_outside_the_fixed_sets_are_counted_as_other() -> None:
    metrics = Metrics()
    metrics.update("PlantedFirstName", "777000111")
    metrics.platform_error("telegram", "bot123:ABC/sendMessage", "Bad Request: chat 777000111")
    metrics.retry("viber", "send_message", "planted_username_q7")
    text = metrics.exposition().decode()
    assert 'putokaz_updates_total{channel="other",outcome="other"} 1.0' in text
    assert (
        'putokaz_platform_errors_total{method="other",platform="telegram",status="other"} 1.0'
        in text
    )
    assert not any(secret in text for secret in PLANTED)


def test_viber_status_names_are_all_allowed_labels() -> None:
    from bot.channels.viber.api import STATUS_NAMES, status_name

    names = {*STATUS_NAMES.values(), status_name(-1)} - {"ok"}
    assert names <= set(VIBER_STATUSES)


async def test_a_viber_conversation_counts_answers_duplicates_and_failed_sends(
    tmp_path: Path,
) -> None:
    from tests.fakes.viber_api import FakeViberAPI, callback_headers, encode_event, load_fixture

    viber_token = "445da6az1s345z78-metrics-viber-token"
    async with FakeViberAPI(auth_token=viber_token) as viber:
        config = app_config(
            tmp_path,
            PUTOKAZ_VIBER_TOKEN=viber_token,
            PUTOKAZ_VIBER_API_URL=viber.base_url,
            PUTOKAZ_PUBLIC_URL="https://putokaz.test",
        )
        client = await serve(config)
        try:
            message = load_fixture("message_text")
            body = encode_event(message)
            headers = callback_headers(body, viber_token)
            assert (await client.post("/viber", data=body, headers=headers)).status == 200
            assert (await client.post("/viber", data=body, headers=headers)).status == 200
            viber.fail("send_message", 5, times=1)  # receiverNotRegistered
            later = encode_event({**message, "message_token": message["message_token"] + 1})
            await client.post("/viber", data=later, headers=callback_headers(later, viber_token))
            forged = await client.post(
                "/viber", data=body, headers=callback_headers(body, viber_token, "00" * 32)
            )
            assert forged.status == 403
            found = samples(await scrape(client))
        finally:
            await client.close()
    assert value(found, "putokaz_updates_total", channel="viber", outcome="answered") == 1
    assert value(found, "putokaz_duplicates_total", channel="viber") == 1
    assert value(found, "putokaz_updates_total", channel="viber", outcome="dropped") == 1
    assert value(found, "putokaz_updates_total", channel="viber", outcome="refused") == 1
    assert (
        value(
            found,
            "putokaz_platform_errors_total",
            platform="viber",
            method="send_message",
            status="receiverNotRegistered",
        )
        == 1
    )
