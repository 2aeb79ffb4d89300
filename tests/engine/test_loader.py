"""The loader reports every mistake in a flow file with its place and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.engine import FlowError, load_dir

FIXTURES = Path(__file__).parents[1] / "fixtures" / "flows"
BROKEN = sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())


def test_the_project_flows_load_and_lint_clean() -> None:
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")


def test_there_are_at_least_eight_kinds_of_broken_flow() -> None:
    assert len(BROKEN) >= 8


@pytest.mark.parametrize("case", BROKEN, ids=[p.name for p in BROKEN])
def test_check_fails_with_the_located_message(case: Path) -> None:
    expected = [line for line in (case / "expected.txt").read_text().splitlines() if line]
    result = CliRunner().invoke(main, ["check", "--flows", str(case)])
    assert result.exit_code == 1
    printed = [line.split(f"{case.name}/", 1)[-1] for line in result.stdout.splitlines()]
    assert printed == expected


def test_all_errors_of_a_folder_come_at_once(tmp_path: Path) -> None:
    for name in ("missing_target", "unknown_key"):
        for path in (FIXTURES / "broken" / name).glob("*.yaml"):
            target = tmp_path / path.name
            if name == "unknown_key" and path.name != "welcome.yaml":
                continue
            target.write_text(path.read_text())
    with pytest.raises(FlowError) as caught:
        load_dir(tmp_path)
    messages = [p.message for p in caught.value.problems]
    assert any('did you mean "info.more"' in m for m in messages)
    assert any('unknown key "sourse"' in m for m in messages)


def test_an_empty_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(FlowError, match=r"no \*.yaml flow files here"):
        load_dir(tmp_path)
