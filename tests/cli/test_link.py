"""`putokaz link`: topics by name or button words, `--list`, and a warning for a local web link."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from bot.cli import main

PUBLIC = "https://chat.example.org"


def link(*args: str, public_url: str | None = None) -> Result:
    env = {"PUTOKAZ_PUBLIC_URL": public_url, "PUTOKAZ_HOST": None, "PUTOKAZ_PORT": None}
    return CliRunner().invoke(main, ["link", *args], env=env)


def test_a_web_link_without_a_public_url_warns_on_stderr() -> None:
    result = link("web", "--lang", "fa", "--topic", "reflection")
    assert result.exit_code == 0
    assert result.stdout == "http://127.0.0.1:8080/?start=fa-reflection\n"
    assert result.stderr.startswith(
        "warning: PUTOKAZ_PUBLIC_URL is not set, so this link opens http://127.0.0.1:8080, "
        "which only this machine can reach"
    )


def test_a_web_link_with_a_public_url_has_no_warning() -> None:
    result = link("web", "--lang", "fa", "--topic", "reflection", public_url=PUBLIC)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{PUBLIC}/?start=fa-reflection\n"
    assert result.stderr == ""


def test_a_telegram_link_needs_no_public_url_and_gets_no_warning() -> None:
    result = link("telegram", "--lang", "en", "--topic", "rights", "--bot", "PutokazBot")
    assert result.exit_code == 0
    assert result.stderr == ""


def test_list_shows_every_topic_with_its_button_label() -> None:
    result = link("--list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["topic", "button", "(en)"]
    rows = {line.split(None, 1)[0]: line.split(None, 1)[1] for line in lines[1:-1]}
    assert rows["rights"] == "Your rights"
    assert rows["reflection"] == "Time to recover and decide"
    assert rows["hotline"] == "Talk to a person"
    assert rows["welcome"] == "(the first screen; no button)"
    assert lines[-1].startswith("languages: en, sr-Latn, sr-Cyrl, ar, fa")


def test_list_shows_the_buttons_in_the_language_asked_for() -> None:
    result = link("--list", "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split() == ["topic", "button", "(fr)"]
    assert "Your rights" not in result.stdout


@pytest.mark.parametrize(
    ("words", "topic"),
    [
        ("Your rights", "rights"),
        ("recover", "reflection"),
        ("time to recover and decide", "reflection"),
        ("UNDER 18", "children"),
        ("talk to a person", "hotline"),
    ],
)
def test_a_topic_can_be_named_by_words_of_its_button(words: str, topic: str) -> None:
    result = link("web", "--lang", "en", "--topic", words, public_url=PUBLIC)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{PUBLIC}/?start=en-{topic}\n"


def test_a_topic_in_the_links_language_is_found_by_its_translated_button() -> None:
    listed = link("--list", "--lang", "fr").stdout.splitlines()
    french = next(line for line in listed if line.startswith("rights")).split(None, 1)[1]
    result = link("web", "--lang", "fr", "--topic", french, public_url=PUBLIC)
    assert result.stdout == f"{PUBLIC}/?start=fr-rights\n"


def test_words_of_several_buttons_name_the_topics_they_fit() -> None:
    result = link("web", "--lang", "en", "--topic", "to", public_url=PUBLIC)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: topic 'to' fits 3 topics: reflection, selfcheck, hotline — use more words "
        "of the button, or the topic's name"
    )


def test_an_unknown_topic_lists_the_topics_with_their_buttons() -> None:
    result = link("web", "--lang", "en", "--topic", "shelterr", public_url=PUBLIC)
    assert result.exit_code == 1
    assert "unknown topic 'shelterr' — use one of: rights (\"Your rights\"), " in result.stderr
    assert "(putokaz link --list)" in result.stderr


def test_an_unknown_language_lists_the_codes() -> None:
    result = link("--list", "--lang", "xx")
    assert result.exit_code == 1
    assert "unknown language 'xx' — use one of: en, sr-Latn" in result.stderr


def test_without_a_channel_or_a_language_the_usage_says_what_is_missing() -> None:
    no_channel = link("--lang", "en")
    assert no_channel.exit_code == 2
    assert "say which CHANNEL the link is for: telegram, viber or web" in no_channel.stderr
    no_language = link("web")
    assert no_language.exit_code == 2
    assert "say which language the link opens in: --lang" in no_language.stderr
