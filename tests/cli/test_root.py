"""The `putokaz` command: help with examples everywhere, documented, usable in CI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.service.web_links import WebLink, WebLinks

README = (Path(__file__).parents[2] / "README.md").read_text()
DOCS = "\n".join(p.read_text() for p in (Path(__file__).parents[2] / "docs").glob("*.md"))


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found.extend(commands(command, f"{path} "))
    return found


ALL = commands(main)


@pytest.mark.parametrize(("path", "command"), ALL, ids=[p for p, _ in ALL])
def test_every_command_has_help_with_an_example(path: str, command: click.Command) -> None:
    result = CliRunner().invoke(main, [*path.split(), "--help"])
    assert result.exit_code == 0
    assert command.help, f"putokaz {path} has no help text"
    if not isinstance(command, click.Group):
        assert "Example" in result.output, f"putokaz {path} --help shows no example"


@pytest.mark.parametrize(("path", "command"), ALL, ids=[p for p, _ in ALL])
def test_every_command_is_documented(path: str, command: click.Command) -> None:
    top = path.split()[0]
    assert f"putokaz {top}" in README or f"putokaz {path}" in DOCS


def test_python_dash_m_bot_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "putokaz" in result.stdout.lower()


def test_link_refuses_an_unknown_language_with_the_valid_ones() -> None:
    result = CliRunner().invoke(main, ["link", "web", "--lang", "xx"])
    assert result.exit_code == 1
    assert "unknown language 'xx' — use one of: en" in result.output.replace("\n", " ")


def test_link_builds_a_telegram_deep_link() -> None:
    result = CliRunner().invoke(
        main, ["link", "telegram", "--lang", "en", "--topic", "reflection", "--bot", "@PutokazBot"]
    )
    assert result.output.strip() == "https://t.me/PutokazBot?start=en-reflection"


def test_a_bad_setting_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUTOKAZ_PORT", "eighty")
    result = CliRunner().invoke(main, ["purge"])
    assert result.exit_code == 1
    assert "PUTOKAZ_PORT='eighty' is not a whole number" in result.output


def test_terminal_chat_walks_the_same_flows() -> None:
    result = CliRunner().invoke(main, ["chat", "--lang", "en"], input="1\nq\n")
    assert result.exit_code == 0, result.output
    assert "[1] Your rights" in result.output
    assert "Quick exit" in result.output


def test_link_web_prints_an_opaque_code_kept_on_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUTOKAZ_DATA", str(tmp_path))
    result = CliRunner().invoke(main, ["link", "web", "--lang", "fa", "--topic", "reflection"])
    assert result.exit_code == 0, result.output
    url = result.output.strip().splitlines()[-1]  # after the warning about a local address
    assert url.startswith("http://127.0.0.1:8080/?s=")
    assert "fa" not in url.split("?s=")[1].lower()
    assert "reflection" not in url
    code = url.split("?s=")[1]
    assert WebLinks(tmp_path).find(code) == WebLink("fa", "reflection")
    again = CliRunner().invoke(main, ["link", "web", "--lang", "fa", "--topic", "reflection"])
    assert again.output.strip().splitlines()[-1] == url, "the same link keeps its code"


@pytest.mark.parametrize(("path", "command"), ALL, ids=[p for p, _ in ALL])
def test_every_option_has_help(path: str, command: click.Command) -> None:
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"putokaz {path} {param.opts[0]} has no help"


GROUPS = [("", main), *((f"{p} ", c) for p, c in ALL if isinstance(c, click.Group))]


@pytest.mark.parametrize(
    ("prefix", "group"), GROUPS, ids=[p.strip() or "putokaz" for p, _ in GROUPS]
)
def test_help_lists_each_command_with_its_whole_first_sentence(
    prefix: str, group: click.Group
) -> None:
    result = CliRunner().invoke(main, [*prefix.split(), "--help"], env={"COLUMNS": "60"})
    assert result.exit_code == 0
    listed = " ".join(result.output.split("Commands:", 1)[1].split())
    assert "..." not in listed
    for name, command in group.commands.items():
        sentence = command.get_short_help_str(limit=10_000)
        assert f"{name} {sentence}" in listed, f"putokaz {prefix}--help cuts {name}'s description"
