"""`putokaz i18n`: extract, update, compile and measure the translation catalogs.

Thin click commands over bot/i18n/commands.py; the workflow is in docs/TRANSLATING.md.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from bot.cli.config import cli_config
from bot.cli.group import Group

_Result = TypeVar("_Result")


@click.group(cls=Group)
def i18n() -> None:
    """Translation catalogs: extract the English text, update, compile, coverage.

    \b
    The workflow (docs/TRANSLATING.md):
      putokaz i18n extract     # flows/*.yaml -> locales/messages.pot
      putokaz i18n update      # messages.pot -> locales/<locale>/LC_MESSAGES/messages.po
      (translate the .po files in Poedit or Weblate)
      putokaz i18n compile     # .po -> .mo; fuzzy entries are left out
      putokaz check            # placeholders and numbers kept in every translation?
      putokaz i18n coverage    # translated, fuzzy, missing per language
      putokaz i18n review      # docs/review/<locale>.md: legal texts for sign-off
    """


_flows_option = click.option(
    "--flows",
    "flows_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Flow folder (PUTOKAZ_FLOWS, default flows/).",
)
_locales_option = click.option(
    "--locales",
    "locales_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Catalog folder (PUTOKAZ_LOCALES, default locales/).",
)


@i18n.command("extract")
@_flows_option
@_locales_option
def i18n_extract(flows_dir: Path | None, locales_dir: Path | None) -> None:
    """Write locales/messages.pot: every string of the flows, msgctxt = its key.

    \b
    Examples:
      putokaz i18n extract
      putokaz i18n extract --flows flows --locales locales
    """
    from bot.i18n.commands import extract

    flows_dir, locales_dir = _i18n_dirs(flows_dir, locales_dir)
    done = _i18n_run(lambda: extract(flows_dir, locales_dir))
    state = "written" if done.written else "unchanged"
    click.echo(f"{done.path}: {done.messages} strings ({state})")


@i18n.command("update")
@_locales_option
def i18n_update(locales_dir: Path | None) -> None:
    """Merge messages.pot into every language's messages.po (creating missing ones).

    A string whose English changed keeps its old translation marked fuzzy, with
    the old English as `#| msgid`; the bot shows English there until it is fixed.

    \b
    Example:
      putokaz i18n extract && putokaz i18n update
    """
    from bot.i18n.commands import update

    _, locales_dir = _i18n_dirs(None, locales_dir)
    for done in _i18n_run(lambda: update(locales_dir)):
        r = done.result
        created = " (new)" if done.created else ""
        click.echo(
            f"{done.entry.code}: {r.added} new, {r.changed} changed (fuzzy), "
            f"{r.obsolete} obsolete — {done.path}{created}"
        )


@i18n.command("compile")
@_locales_option
def i18n_compile(locales_dir: Path | None) -> None:
    """Compile each messages.po to messages.mo; fuzzy entries are not compiled.

    \b
    Example:
      putokaz i18n compile
    """
    from bot.i18n.commands import compile_catalogs

    _, locales_dir = _i18n_dirs(None, locales_dir)
    for done in _i18n_run(lambda: compile_catalogs(locales_dir)):
        click.echo(f"{done.entry.code}: {done.translated} of {done.total} translated — {done.path}")


@i18n.command("coverage")
@_flows_option
@_locales_option
@click.option("--strict", is_flag=True, help="Exit 1 when a published language has gaps.")
def i18n_coverage(flows_dir: Path | None, locales_dir: Path | None, strict: bool) -> None:
    """Per language: translated, fuzzy, missing, reviewed %, review status.

    \b
    Examples:
      putokaz i18n coverage
      putokaz i18n coverage --strict     # in CI: published languages complete?
    """
    from bot.i18n.commands import coverage
    from bot.i18n.coverage import coverage_table

    flows_dir, locales_dir = _i18n_dirs(flows_dir, locales_dir)
    rows = _i18n_run(lambda: coverage(flows_dir, locales_dir))
    click.echo(coverage_table(rows))
    gaps = [row for row in rows if row.entry.published and row.gaps]
    if strict and gaps:
        named = ", ".join(f"{r.entry.code} ({r.missing} missing, {r.fuzzy} fuzzy)" for r in gaps)
        click.echo(
            f"published with gaps: {named} — translate them, or set published: false "
            "in languages.yaml",
            err=True,
        )
        sys.exit(1)


@i18n.command("review")
@_flows_option
@_locales_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the sheets (default docs/review next to locales/).",
)
def i18n_review(flows_dir: Path | None, locales_dir: Path | None, out_dir: Path | None) -> None:
    """Write docs/review/<locale>.md: every legal text with its source, the English,
    the translation and its back-translation, for a native reviewer to sign off.

    \b
    Examples:
      putokaz i18n review
      putokaz i18n review --out /tmp/review
    """
    from bot.i18n.review import review_sheets, write_review_sheets

    flows_dir, locales_dir = _i18n_dirs(flows_dir, locales_dir)
    target = out_dir or locales_dir.parent / "docs" / "review"
    changed = _i18n_run(lambda: write_review_sheets(flows_dir, locales_dir, target))
    for locale, sheet in _i18n_run(lambda: review_sheets(flows_dir, locales_dir)).items():
        state = "written" if target / f"{locale}.md" in changed else "unchanged"
        click.echo(
            f"{sheet.entry.code}: {len(sheet.lines)} legal texts, {len(sheet.gaps)} with a gap "
            f"— {target / f'{locale}.md'} ({state})"
        )


def _i18n_dirs(flows_dir: Path | None, locales_dir: Path | None) -> tuple[Path, Path]:
    config = cli_config()
    return flows_dir or config.flows_dir, locales_dir or config.locales_dir


def _i18n_run(job: Callable[[], _Result]) -> _Result:
    """Run a library call, turning located flow/catalog errors into a clean CLI error."""
    from bot.engine.problems import FlowError

    try:
        return job()
    except FlowError as error:
        raise click.ClickException(str(error)) from None
