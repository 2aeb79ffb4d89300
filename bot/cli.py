"""The `putokaz` command: a thin click group over library functions.

Run `putokaz COMMAND --help` for examples.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from bot.config import Config, ConfigError, load_config


class Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="putokaz")
def main() -> None:
    """Putokaz: rights information, the reflection period and the hotline, on
    Telegram, Viber and a web chat, without storing who anyone is.

    \b
    Examples:
      putokaz serve            # web chat at http://127.0.0.1:8080
      putokaz check            # load and lint flows/ and locales/
      putokaz chat --lang en   # talk to the bot in this terminal
    """


@main.command()
@click.option("--flows", "flows_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--locales", "locales_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(flows_dir: Path | None, locales_dir: Path | None, strict: bool) -> None:
    """Load and lint the flows (and catalogs); exit 1 on errors.

    Each problem is printed as `flows/FILE.yaml:LINE: problem — fix`, one per
    line, so CI logs and editors can jump to it.

    \b
    Examples:
      putokaz check
      putokaz check --flows tests/fixtures/flows/broken/missing_target
    """
    from bot.checks import run_checks

    config = _config()
    if locales_dir is None and flows_dir is None:
        locales_dir = (
            config.locales_dir
        )  # another flows folder is checked with its own catalogs only
    problems, summary = run_checks(flows_dir or config.flows_dir, locales_dir)
    for problem in problems:
        click.echo(str(problem), err=False)
    errors = [p for p in problems if p.severity.value == "error" or strict]
    if errors:
        click.echo(f"{len(errors)} error(s); {summary}", err=True)
        sys.exit(1)
    click.echo(f"ok: {summary}")


@main.command()
@click.option("--host", help="Interface to listen on (PUTOKAZ_HOST, default 127.0.0.1).")
@click.option("--port", type=int, help="Port (PUTOKAZ_PORT, default 8080).")
def serve(host: str | None, port: int | None) -> None:
    """Start the web chat, webhooks, and Telegram polling when configured.

    \b
    Examples:
      putokaz serve
      PUTOKAZ_TELEGRAM_TOKEN=123:ABC putokaz serve      # Telegram by long polling
      putokaz serve --host 0.0.0.0 --port 9000
    """
    from bot.web.app import run

    config = _config()
    run(config, host=host, port=port)


@main.command()
@click.option("--lang", default=None, help="Language code, e.g. en, sr-Latn, fa.")
def chat(lang: str | None) -> None:
    """Talk to the bot in this terminal, through the same engine.

    Type the number of a button; `b` back, `m` menu, `q` quick exit.

    \b
    Examples:
      putokaz chat
      putokaz chat --lang fa
    """
    from bot.terminal import run_terminal_chat

    asyncio.run(run_terminal_chat(_config(), lang))


@main.command()
def purge() -> None:
    """Delete sessions idle longer than PUTOKAZ_SESSION_TTL, now.

    \b
    Example:
      putokaz purge
    """
    from bot.runtime import open_store

    config = _config()

    async def go() -> int:
        import time

        store = open_store(config)
        try:
            return await store.purge(time.time())
        finally:
            await store.close()

    click.echo(f"purged {asyncio.run(go())} idle session(s)")


@main.command()
@click.argument("channel", type=click.Choice(["telegram", "viber", "web"]))
@click.option("--lang", "language", required=True, help="Language code, e.g. fa, sr-Latn.")
@click.option("--topic", help="Flow to open, e.g. reflection, rights, hotline.")
@click.option("--campaign", help="A label for where the link is used, e.g. poster1.")
@click.option("--bot", "telegram_username", envvar="PUTOKAZ_TELEGRAM_USERNAME")
@click.option("--uri", "viber_uri", envvar="PUTOKAZ_VIBER_URI")
def link(
    channel: str,
    language: str,
    topic: str | None,
    campaign: str | None,
    telegram_username: str | None,
    viber_uri: str | None,
) -> None:
    """Print an escalation link that opens TOPIC in LANG.

    \b
    Examples:
      putokaz link telegram --lang fa --topic reflection --bot PutokazBot
      putokaz link viber --lang ar --topic rights --uri putokaz
      putokaz link web --lang sr-Latn --topic hotline
    """
    from bot.links import LinkError, escalation_link
    from bot.runtime import load_flows

    config = _config()
    web_url = config.public_url or f"http://{config.host}:{config.port}"
    try:
        url = escalation_link(
            channel,
            load_flows(config),
            language=language,
            topic=topic,
            campaign=campaign,
            telegram_username=telegram_username,
            viber_uri=viber_uri,
            web_url=web_url,
        )
    except LinkError as error:
        raise click.ClickException(str(error)) from None
    click.echo(url)


def _config() -> Config:
    try:
        return load_config()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


from bot.channels.viber_cli import viber  # noqa: E402

main.add_command(viber)


from collections.abc import Callable  # noqa: E402
from typing import TypeVar  # noqa: E402

_Result = TypeVar("_Result")


@main.group()
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


def _i18n_dirs(flows_dir: Path | None, locales_dir: Path | None) -> tuple[Path, Path]:
    config = _config()
    return flows_dir or config.flows_dir, locales_dir or config.locales_dir


def _i18n_run(job: Callable[[], _Result]) -> _Result:
    """Run a library call, turning located flow/catalog errors into a clean CLI error."""
    from bot.engine.problems import FlowError

    try:
        return job()
    except FlowError as error:
        raise click.ClickException(str(error)) from None


from bot.channels.telegram_cli import telegram  # noqa: E402

main.add_command(telegram)
