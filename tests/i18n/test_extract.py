"""The flow extractor gives Babel every string with its msgctxt, place and notes."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from click.testing import CliRunner

from bot.cli import main
from bot.config import PROJECT_ROOT
from bot.engine import FlowError, load_dir
from bot.i18n.extract import build_template, extract_flows, flow_strings
from bot.i18n.pofiles import read_catalog
from tests.i18n.workspace import FIXTURE_FLOWS, make_workspace

PYBABEL = Path(sys.executable).with_name("pybabel")


def extracted(name: str) -> list[tuple[int, str, str | tuple[str, ...], list[str]]]:
    data = (FIXTURE_FLOWS / name).read_bytes()
    return list(extract_flows(io.BytesIO(data), DEFAULT_KEYWORDS.keys(), (), {}))


def test_extractor_yields_pgettext_calls_with_msgctxt_line_and_notes() -> None:
    found = extracted("rights.yaml")
    assert [(line, func, message) for line, func, message, _ in found] == [
        (7, "pgettext", ("rights.start.say", "You have at least 30 days to recover and decide.")),
        (8, "pgettext", ("rights.start.say.2", "In danger now? Call the police: {police}.")),
        (10, "pgettext", ("rights.start.more", "Tell me more")),
        (
            13,
            "pgettext",
            ("rights.more.say", "You have the right to help, whatever your papers say."),
        ),
    ]
    first, second, label = found[0][3], found[1][3], found[2][3]
    assert first == [
        'Screen "rights.start", message 1 of 2.',
        "Limit: 400 characters for the whole screen (all its messages).",
        "Keep the numbers (30) unchanged; write them with the digits 0-9, as in the English.",
        "Source of the facts: CETS 197 Art. 13.",
    ]
    assert "Keep {police} exactly as written: the bot puts the real value there." in second
    assert label == [
        'Button on screen "rights.start": opens "rights.more".',
        "Limit: 40 characters.",
    ]


def test_navigation_yields_footer_labels_and_notices() -> None:
    contexts = [message[0] for _, _, message, _ in extracted("navigation.yaml")]
    assert contexts == [
        "navigation.footer.hotline",
        "navigation.footer.back",
        "navigation.footer.menu",
        "navigation.footer.exit",
        "navigation.notice.free_text",
        "navigation.notice.fallback",
    ]


def test_contacts_yield_nothing() -> None:
    assert extracted("contacts.yaml") == []


def test_babel_turns_the_pgettext_tuples_into_msgctxt() -> None:
    data = io.BytesIO((FIXTURE_FLOWS / "hotline.yaml").read_bytes())
    found = list(extract("bot.i18n.extract:extract_flows", data))
    assert found[0][1:] == (
        "Call or message {atina_phone}. Code: {handoff_code}.",
        found[0][2],
        "hotline.start.say",
    )


def test_the_template_names_each_string_flows_file_line(tmp_path: Path) -> None:
    space = make_workspace(tmp_path)
    template = build_template(space.flows, space.root)
    locations = {m.context: m.locations for m in template if m.id}
    assert locations["rights.start.say.2"] == [("flows/rights.yaml", 8)]
    assert locations["navigation.notice.free_text"] == [("flows/navigation.yaml", 14)]
    result = CliRunner().invoke(
        main, ["i18n", "extract", "--flows", str(space.flows), "--locales", str(space.locales)]
    )
    assert result.exit_code == 0, result.output
    pot = (space.locales / "messages.pot").read_text(encoding="utf-8")
    # Babel flags {name} text python-brace-format, so msgfmt --check checks it too.
    assert '#: flows/rights.yaml:8\n#, python-brace-format\nmsgctxt "rights.start.say.2"\n' in pot


def test_template_holds_exactly_the_engine_source_texts() -> None:
    template = build_template(PROJECT_ROOT / "flows", PROJECT_ROOT)
    assert {m.context: m.id for m in template if m.id} == dict(
        load_dir(PROJECT_ROOT / "flows").source_texts
    )


def test_pybabel_with_babel_cfg_and_putokaz_extract_agree(tmp_path: Path) -> None:
    space = make_workspace(tmp_path, flows=PROJECT_ROOT / "flows")
    pybabel_pot = tmp_path / "pybabel.pot"
    subprocess.run(
        [
            str(PYBABEL),
            "-q",
            "extract",
            "-F",
            str(PROJECT_ROOT / "babel.cfg"),
            "flows",
            "-o",
            str(pybabel_pot),
        ],
        cwd=space.root,
        check=True,
    )
    result = CliRunner().invoke(
        main, ["i18n", "extract", "--flows", str(space.flows), "--locales", str(space.locales)]
    )
    assert result.exit_code == 0, result.output

    def entries(path: Path) -> set[tuple[str | None, str, str]]:
        return {(m.context, str(m.id), repr(m.locations)) for m in read_catalog(path) if m.id}

    ours = entries(space.locales / "messages.pot")
    assert len(ours) > 100
    assert ours == entries(pybabel_pot)


def test_pybabel_from_the_repo_root_uses_the_flows_mapping(tmp_path: Path) -> None:
    pot = tmp_path / "root.pot"
    subprocess.run(
        [str(PYBABEL), "-q", "extract", "-F", "babel.cfg", ".", "-o", str(pot)],
        cwd=PROJECT_ROOT,
        check=True,
    )
    files = {path for m in read_catalog(pot) for path, _ in m.locations}
    assert files
    assert all(path.startswith("flows/") for path in files)


def test_extractor_needs_the_pgettext_keyword() -> None:
    data = io.BytesIO((FIXTURE_FLOWS / "welcome.yaml").read_bytes())
    with pytest.raises(ValueError, match="needs the pgettext keyword"):
        list(extract_flows(data, ["_"], (), {}))


def test_a_broken_flow_file_stops_extraction_with_its_place() -> None:
    text = "version: 1\nid: rights\nnodes:\n  start:\n    say: ''\n"
    with pytest.raises(FlowError) as caught:
        flow_strings(text, "flows/rights.yaml")
    assert str(caught.value) == (
        'flows/rights.yaml:5: node "rights.start" has no text — add `say: "…"` '
        "(one message or a list of messages)"
    )
