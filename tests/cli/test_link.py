"""`putokaz link`: topics by name or button words, `--list`, and a warning for a local web link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from bot.engine import Flows
from bot.service.web_links import WebLink, WebLinks

PUBLIC = "https://chat.example.org"
TELEGRAM = "https://t.me/PutokazBot?start="


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Web links are codes saved in PUTOKAZ_DATA: a temporary one, not the checkout's var/."""
    monkeypatch.setenv("PUTOKAZ_DATA", str(tmp_path))
    return tmp_path


def link(*args: str, public_url: str | None = None) -> Result:
    env = {"PUTOKAZ_PUBLIC_URL": public_url, "PUTOKAZ_HOST": None, "PUTOKAZ_PORT": None}
    return CliRunner().invoke(main, ["link", *args], env=env)


def telegram_link(language: str, topic: str) -> Result:
    """Telegram links carry the payload itself, so the topic found shows in the link."""
    return link("telegram", "--lang", language, "--topic", topic, "--bot", "PutokazBot")


def test_a_web_link_without_a_public_url_warns_on_stderr(data_dir: Path) -> None:
    result = link("web", "--lang", "fa", "--topic", "reflection")
    assert result.exit_code == 0
    found = re.fullmatch(r"http://127\.0\.0\.1:8080/\?s=(\w+)\n", result.stdout)
    assert found, result.stdout
    assert WebLinks(data_dir).find(found[1]) == WebLink("fa", "reflection")
    assert result.stderr.startswith(
        "warning: PUTOKAZ_PUBLIC_URL is not set, so this link opens http://127.0.0.1:8080, "
        "which only this machine can reach"
    )


def test_a_web_link_with_a_public_url_has_no_warning(data_dir: Path) -> None:
    result = link("web", "--lang", "fa", "--topic", "recover", public_url=PUBLIC)
    assert result.exit_code == 0, result.output
    found = re.fullmatch(rf"{re.escape(PUBLIC)}/\?s=(\w+)\n", result.stdout)
    assert found, result.stdout
    assert WebLinks(data_dir).find(found[1]) == WebLink("fa", "reflection")
    assert result.stderr == ""


def test_a_telegram_link_needs_no_public_url_and_gets_no_warning() -> None:
    result = link("telegram", "--lang", "en", "--topic", "rights", "--bot", "PutokazBot")
    assert result.exit_code == 0
    assert result.stderr == ""


def menu_buttons(flows: Flows) -> dict[str, str]:
    """topic -> the main menu's label for it, from the project's flows."""
    menu = flows.node(flows.navigation.menu).options
    return {o.goto.removesuffix(".start"): o.label for o in menu if o.goto}


def words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"\w+", text)}


def test_list_shows_every_topic_with_its_button_label(flows: Flows) -> None:
    result = link("--list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["topic", "button", "(en)"]
    rows = dict(line.split(None, 1) for line in lines[1:-1])
    starts = {n.removesuffix(".start") for n in flows.nodes if n.endswith(".start")}
    assert set(rows) == starts
    for topic, label in menu_buttons(flows).items():
        assert rows[topic] == label
    assert rows["welcome"] == "(the first screen; no button)"
    assert lines[-1] == f"languages: {', '.join(lang.code for lang in flows.languages)}"


def test_list_shows_the_buttons_in_the_language_asked_for(flows: Flows) -> None:
    result = link("--list", "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split() == ["topic", "button", "(fr)"]
    rights = flows.node(flows.navigation.menu).options[0]
    assert f"  {flows.text('fr', rights.key).value}\n" in result.stdout


def test_a_topic_can_be_named_by_its_whole_button_label(flows: Flows) -> None:
    for topic, label in menu_buttons(flows).items():
        result = telegram_link("en", label.upper())
        assert result.exit_code == 0, result.output
        assert result.stdout == f"{TELEGRAM}en-{topic}\n"


def test_a_topic_can_be_named_by_one_word_only_its_button_has(flows: Flows) -> None:
    buttons = menu_buttons(flows)
    tried = 0
    for topic, label in buttons.items():
        others = set().union(*(words(f"{t} {x}") for t, x in buttons.items() if t != topic))
        unique = sorted(words(label) - others)
        if unique:
            tried += 1
            result = telegram_link("en", unique[0])
            assert result.stdout == f"{TELEGRAM}en-{topic}\n", unique[0]
    assert tried >= 3


def test_a_topic_in_the_links_language_is_found_by_its_translated_button(flows: Flows) -> None:
    rights = flows.node(flows.navigation.menu).options[0]
    french = flows.text("fr", rights.key).value
    result = telegram_link("fr", french)
    assert result.stdout == f"{TELEGRAM}fr-{str(rights.goto).removesuffix('.start')}\n"


def test_a_word_of_several_buttons_names_the_topics_it_fits(flows: Flows) -> None:
    buttons = menu_buttons(flows)
    shared = next(
        w
        for w in sorted(set().union(*map(words, buttons.values())))
        if sum(w in words(label) for label in buttons.values()) >= 2
    )
    fitting = [t for t, label in buttons.items() if shared in words(label)]
    result = telegram_link("en", shared)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: topic {shared!r} fits {len(fitting)} topics: {', '.join(fitting)} — use more "
        "words of the button, or the topic's name"
    )


def test_an_unknown_topic_lists_the_topics_with_their_buttons(flows: Flows) -> None:
    result = telegram_link("en", "shelterr")
    assert result.exit_code == 1
    assert "unknown topic 'shelterr' — use one of: " in result.stderr
    for topic, label in menu_buttons(flows).items():
        assert f'{topic} ("{label}")' in " ".join(result.stderr.split())
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
