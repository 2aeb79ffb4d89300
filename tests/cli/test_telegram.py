"""`putokaz telegram ...` against the fake Bot API: webhook set-up and command menus."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bot.channels.telegram.outbound import command_menus
from bot.cli import main
from bot.engine import Flows
from tests.fakes.telegram_api import FakeTelegramAPI

TOKEN = "123456:CLI-test"
SECRET = "cli-secret_42"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI(token=TOKEN).run_in_thread() as api:
        yield api


@pytest.fixture(autouse=True)
def no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run where no .env can add settings."""
    monkeypatch.chdir(tmp_path)


def run(fake: FakeTelegramAPI, *args: str, **env: str) -> Result:
    base = {
        "PUTOKAZ_TELEGRAM_TOKEN": TOKEN,
        "PUTOKAZ_TELEGRAM_SECRET": SECRET,
        "PUTOKAZ_TELEGRAM_API_URL": fake.base_url,
        "PUTOKAZ_PUBLIC_URL": "https://bot.example.org",
    }
    return CliRunner().invoke(main, ["telegram", *args], env={**base, **env})


def param(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def test_set_webhook_sends_the_url_secret_and_update_types(fake: FakeTelegramAPI) -> None:
    result = run(fake, "set-webhook", "--drop-pending-updates")

    assert result.exit_code == 0, result.output
    assert "ok: Telegram will POST updates to https://bot.example.org/telegram" in result.output
    call = fake.calls_to("setWebhook")[-1]
    assert call.params["url"] == "https://bot.example.org/telegram"
    assert call.params["secret_token"] == SECRET
    assert sorted(param(call.params["allowed_updates"])) == [
        "callback_query",
        "message",
        "my_chat_member",
    ]
    assert param(call.params["drop_pending_updates"]) is True
    assert fake.webhook["secret_token"] == SECRET


def test_set_webhook_refuses_without_a_usable_secret_or_url(fake: FakeTelegramAPI) -> None:
    missing = run(fake, "set-webhook", PUTOKAZ_TELEGRAM_SECRET="")
    spaces = run(fake, "set-webhook", PUTOKAZ_TELEGRAM_SECRET="has spaces")
    no_url = run(fake, "set-webhook", PUTOKAZ_PUBLIC_URL="")

    assert missing.exit_code == spaces.exit_code == no_url.exit_code == 1
    assert "PUTOKAZ_TELEGRAM_SECRET must be 1-256 characters" in missing.output
    assert "secrets.token_urlsafe" in spaces.output
    assert "PUTOKAZ_PUBLIC_URL is not set" in no_url.output


def test_delete_webhook_and_webhook_info(fake: FakeTelegramAPI) -> None:
    assert run(fake, "set-webhook").exit_code == 0
    info = run(fake, "webhook-info")
    assert "url: https://bot.example.org/telegram" in info.output

    deleted = run(fake, "delete-webhook", "--drop-pending-updates")
    assert deleted.exit_code == 0, deleted.output
    assert "ok: webhook removed" in deleted.output
    assert fake.webhook == {}
    assert "url: - (none: long polling)" in run(fake, "webhook-info").output


def test_set_commands_sets_each_languages_menu_from_the_flows(
    fake: FakeTelegramAPI, flows: Flows
) -> None:
    result = run(fake, "set-commands")

    assert result.exit_code == 0, result.output
    calls = fake.calls_to("setMyCommands")[-len(command_menus(flows)) :]
    for menu, call in zip(command_menus(flows), calls, strict=True):
        assert call.params.get("language_code", "") == menu.telegram_code
        commands = [(c["command"], c["description"]) for c in param(call.params["commands"])]
        assert commands == list(menu.commands)


def test_a_rejected_token_is_explained_without_repeating_it(fake: FakeTelegramAPI) -> None:
    result = run(fake, "webhook-info", PUTOKAZ_TELEGRAM_TOKEN="999:WRONG-token")
    assert result.exit_code == 1
    assert "Telegram rejected PUTOKAZ_TELEGRAM_TOKEN" in result.output
    assert "WRONG-token" not in result.output


def test_no_token_says_where_to_get_one(fake: FakeTelegramAPI) -> None:
    result = run(fake, "set-commands", PUTOKAZ_TELEGRAM_TOKEN="")
    assert result.exit_code == 1
    assert "@BotFather" in result.output
