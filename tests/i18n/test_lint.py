"""`putokaz check` with catalogs: a dropped placeholder or a changed number is an error
at its .po line; gaps in a published language are a warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bot.cli import main
from bot.i18n.coverage import mismatches
from bot.service.checks import run_checks
from tests.i18n.workspace import FIXTURES, make_workspace, prepared_workspace

PUTOKAZ = Path(sys.executable).with_name("putokaz")
EXPECTED = (FIXTURES / "expected_check.txt").read_text(encoding="utf-8").splitlines()


def test_check_prints_each_catalog_problem_at_its_line() -> None:
    done = subprocess.run(
        [str(PUTOKAZ), "check", "--flows", "flows", "--locales", "locales"],
        cwd=FIXTURES,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stdout.splitlines() == EXPECTED
    assert done.stdout.splitlines()[0] == (
        'locales/fa/LC_MESSAGES/messages.po:30: translation of "hotline.start.say" drops '
        "placeholder {atina_phone} — keep every {name} of the English text"
    )
    assert done.stderr == "2 error(s); 7 nodes, 3 language(s)\n"


def test_check_through_click_names_the_same_problems() -> None:
    result = CliRunner().invoke(
        main, ["check", "--flows", str(FIXTURES / "flows"), "--locales", str(FIXTURES / "locales")]
    )
    assert result.exit_code == 1
    printed = [line.split("fixtures/i18n/", 1)[-1] for line in result.stdout.splitlines()]
    assert printed == EXPECTED


def test_the_project_catalogs_pass_check() -> None:
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")


def test_placeholders_are_compared_by_count_and_numbers_in_any_order() -> None:
    source = "Police {police}, ambulance {ambulance}: 192 or 194, Art. 12."
    assert mismatches(source, "Hitna {ambulance}, policija {police}: 194 ili 192, čl. 12.") == []
    assert mismatches("{police} {police}", "{police}") == [
        "drops placeholder {police} — keep every {name} of the English text"
    ]
    assert mismatches("Call {police}.", "Call {police} or {fire}.") == [
        "adds placeholder {fire}, which the English text does not have — use only its "
        "placeholders ({police})"
    ]
    assert mismatches("Within 30 days.", "In 3 days and 0 hours.") == [
        "changes the numbers: the English text has 30, the translation 3, 0 — keep every "
        "number of the English text"
    ]


def test_escaped_braces_and_digits_in_placeholder_names_are_not_counted() -> None:
    assert mismatches("Write {{code}} with {line1}.", "Napiši {{kod}} sa {line1}.") == []


def test_english_problems_are_not_repeated_for_each_fallback_language(tmp_path: Path) -> None:
    space = prepared_workspace(tmp_path, "fa:fa:rtl", "sr-Latn:sr_Latn:ltr")
    space.edit_flow("rights.yaml", "whatever your papers say.", "whatever. " * 110)
    space.translate("fa", {"rights.start.say": "۳۰ " + "روز " * 300})
    problems = [str(p) for p in run_checks(space.flows, space.locales)[0]]
    screens = [p.split(": ", 1)[1] for p in problems if "over the budget" in p]
    # rights.more is too long in English, and so in the fallback of fa and sr-Latn: once.
    assert screens == [
        'screen "rights.more" has 1127 characters, over the budget of 400 for a small phone '
        "screen — shorten it or split it into two nodes",
        'screen "rights.start" in fa has 1241 characters, over the budget of 1000 for a '
        "small phone screen — shorten it or split it into two nodes",
    ]


def test_a_published_language_without_a_catalog_warns_at_its_manifest_line(
    tmp_path: Path,
) -> None:
    space = make_workspace(tmp_path, ["fa:fa:rtl:published"])
    problems = [str(p) for p in run_checks(space.flows, space.locales)[0]]
    assert len(problems) == 1
    assert problems[0].endswith(
        'languages.yaml:5: warning: language "fa" is published but has no catalog '
        f"{os.path.relpath(space.po('fa'))} — run `putokaz i18n update`, or set published: false"
    )
