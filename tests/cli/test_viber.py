"""`putokaz viber set-webhook` and `account-info` against the fake Viber API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.channels.viber.routes import EVENT_TYPES
from bot.cli import main
from tests.fakes.viber_api import FILTERABLE_EVENTS, FakeViberAPI
from tests.support.server import ServerProcess

TOKEN = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"


@pytest.fixture
def fake() -> Iterator[FakeViberAPI]:
    api = FakeViberAPI(auth_token=TOKEN, check_webhook=True)
    with api.run_in_thread():
        yield api


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No PUTOKAZ_ setting or .env from the machine running the tests."""
    import os

    for name in [n for n in os.environ if n.startswith("PUTOKAZ_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def putokaz(*args: str, **env: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def viber_env(fake: FakeViberAPI, **extra: str) -> dict[str, str]:
    return {"PUTOKAZ_VIBER_TOKEN": TOKEN, "PUTOKAZ_VIBER_API_URL": fake.base_url, **extra}


def test_set_webhook_registers_the_public_url_after_vibers_check(
    fake: FakeViberAPI, tmp_path: Path
) -> None:
    env = {"PUTOKAZ_VIBER_TOKEN": TOKEN, "PUTOKAZ_VIBER_API_URL": fake.base_url}
    with ServerProcess(tmp_path / "data", env=env) as server:
        result = putokaz("viber", "set-webhook", "--url", f"{server.url}/viber", **viber_env(fake))

    assert result.exit_code == 0, result.output
    assert fake.webhook == f"{server.url}/viber"
    assert fake.event_types == EVENT_TYPES
    assert (fake.send_name, fake.send_photo) == (False, False), "name and photo never asked for"
    assert f"ok: Viber will call {server.url}/viber" in result.output
    assert "events: failed, subscribed, unsubscribed, conversation_started" in result.output


def test_default_url_is_public_url_plus_viber(fake: FakeViberAPI) -> None:
    fake.check_webhook = False
    env = viber_env(fake, PUTOKAZ_PUBLIC_URL="https://bot.example.org/")
    result = putokaz("viber", "set-webhook", **env)

    assert result.exit_code == 0, result.output
    assert fake.webhook == "https://bot.example.org/viber"


def test_event_types_are_ones_viber_lets_a_bot_filter() -> None:
    assert set(EVENT_TYPES) <= set(FILTERABLE_EVENTS)
    assert "conversation_started" in EVENT_TYPES
    assert "unsubscribed" in EVENT_TYPES


def test_webhook_viber_cannot_reach_fails_with_vibers_status(fake: FakeViberAPI) -> None:
    result = putokaz("viber", "set-webhook", "--url", "http://127.0.0.1:9/viber", **viber_env(fake))

    assert result.exit_code == 1
    assert "status 1 invalidUrl (invalidUrl)" in result.output
    assert "putokaz serve" in result.output
    assert fake.webhook == ""


def test_wrong_token_names_the_setting_to_fix(fake: FakeViberAPI) -> None:
    env = viber_env(fake, PUTOKAZ_VIBER_TOKEN="wrong", PUTOKAZ_PUBLIC_URL="https://x.org")
    result = putokaz("viber", "set-webhook", **env)

    assert result.exit_code == 1
    assert "invalidAuthToken" in result.output
    assert "PUTOKAZ_VIBER_TOKEN" in result.output


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "PUTOKAZ_VIBER_TOKEN is not set"),
        ({"PUTOKAZ_VIBER_TOKEN": TOKEN}, "PUTOKAZ_PUBLIC_URL is not set"),
    ],
)
def test_missing_settings_are_named(env: dict[str, str], message: str) -> None:
    result = putokaz("viber", "set-webhook", **env)
    assert result.exit_code == 1
    assert message in result.output


def test_remove_clears_the_webhook(fake: FakeViberAPI) -> None:
    fake.webhook = "https://old.example.org/viber"
    result = putokaz("viber", "set-webhook", "--remove", **viber_env(fake))

    assert result.exit_code == 0, result.output
    assert fake.webhook == ""
    assert "webhook removed" in result.output


def test_account_info_shows_uri_and_webhook_but_not_the_staff(fake: FakeViberAPI) -> None:
    fake.webhook, fake.event_types = "https://bot.example.org/viber", list(EVENT_TYPES)
    result = putokaz("viber", "account-info", **viber_env(fake))

    assert result.exit_code == 0, result.output
    assert "uri: putokaz" in result.output
    assert "webhook: https://bot.example.org/viber" in result.output
    assert "event_types: failed, subscribed" in result.output
    assert "Putokaz Admin" not in result.output


def test_help_has_examples() -> None:
    assert "viber" in putokaz("--help").output
    for command in (["viber"], ["viber", "set-webhook"], ["viber", "account-info"]):
        result = putokaz(*command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output
