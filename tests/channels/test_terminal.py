"""`putokaz chat`: the keys from the start, words kept whole, quiet endings, a wrong --lang."""

from __future__ import annotations

import pytest
from click.testing import CliRunner, Result

from bot.channels.terminal import KEYS, wrap
from bot.cli import main
from bot.engine import Flows
from bot.engine.model import NodeId


def chat(typed: str, *args: str, columns: int = 80) -> Result:
    return CliRunner().invoke(main, ["chat", *args], input=typed, env={"COLUMNS": str(columns)})


def test_the_keys_are_shown_before_the_first_screen() -> None:
    result = chat("q\n", "--lang", "en")
    assert result.exit_code == 0
    assert result.output.startswith(KEYS + "\n")
    assert all(key in KEYS for key in ("number", "b back", "m menu", "q quick exit"))


def first_button_of_rights(flows: Flows) -> str:
    return flows.node(NodeId("rights.start")).options[0].label


def test_ctrl_d_ends_quietly_with_exit_0(flows: Flows) -> None:
    result = chat("1\n", "--lang", "en")  # then the input ends, as with Ctrl-D
    assert result.exit_code == 0
    assert "Aborted" not in result.output
    assert f"[1] {first_button_of_rights(flows)}" in result.output


def test_an_empty_line_ends_quietly_with_exit_0(flows: Flows) -> None:
    result = chat("\n1\n", "--lang", "en")
    assert result.exit_code == 0
    assert "Aborted" not in result.output
    assert first_button_of_rights(flows) not in result.output, "the chat went on after Enter"


def test_anything_else_shows_the_keys_again() -> None:
    result = chat("hello\nq\n", "--lang", "en")
    assert result.exit_code == 0
    assert result.output.count(KEYS) == 2


def test_an_unknown_language_is_an_error_listing_the_codes() -> None:
    result = chat("", "--lang", "xx")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: unknown language 'xx' — use one of: "
        "en, sr-Latn, sr-Cyrl, ar, fa, ps, ur, hi, vi, zh-Hans, tr, fr, uk, ru"
    )


@pytest.mark.parametrize("columns", [40, 60])
def test_text_wraps_at_word_boundaries_to_the_terminal_width(columns: int, flows: Flows) -> None:
    result = chat("1\nq\n", "--lang", "en", columns=columns)
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert any(len(line) > columns - 15 for line in lines), "the width was not used"
    # Words stay whole: joined at the line ends, the rights screen reads as written.
    screen = " ".join(" ".join(lines).split())
    for paragraph in flows.node(NodeId("rights.start")).say[0].split("\n\n"):
        assert " ".join(paragraph.split()) in screen


def test_wrap_keeps_paragraphs_urls_and_hangs_button_labels() -> None:
    text = "One two three four five six.\n\nhttps://example.org/a/very/long/path/that/stays/whole"
    assert wrap(text, 20).splitlines() == [
        "One two three four",
        "five six.",
        "",
        "https://example.org/a/very/long/path/that/stays/whole",
    ]
    assert wrap("Safe place to stay tonight", 20, "  [1] ", "      ").splitlines() == [
        "  [1] Safe place to",
        "      stay tonight",
    ]
