"""The `putokaz` command: a thin click group over library functions.

Run `putokaz COMMAND --help` for examples.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from bot.admin.cli import admin, flows
from bot.cli.config import cli_config
from bot.cli.doctor import doctor
from bot.cli.group import Group
from bot.cli.i18n import i18n
from bot.cli.link import link
from bot.cli.qr import qr
from bot.cli.telegram import telegram
from bot.cli.viber import viber


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
@click.option(
    "--flows",
    "flows_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Flows folder to check (default: PUTOKAZ_FLOWS, else flows/).",
)
@click.option(
    "--locales",
    "locales_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Catalogs folder to check with them (default: PUTOKAZ_LOCALES, else locales/).",
)
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
    from bot.service.checks import run_checks

    config = cli_config()
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
    from bot.store.redis import PepperMismatch
    from bot.web.app import run
    from bot.web.listen import PortInUse

    config = cli_config()
    try:
        run(config, host=host, port=port)
    except (PortInUse, PepperMismatch) as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.option(
    "--lang", default=None, help="Language code, e.g. en, sr-Latn, fa; default: choose on screen."
)
def chat(lang: str | None) -> None:
    """Talk to the bot in this terminal, through the same engine.

    Type the number of a button; `b` back, `m` menu, `q` quick exit. Enter on an
    empty line, or Ctrl-D, ends the chat. Text wraps to the terminal's width.

    \b
    Examples:
      putokaz chat
      putokaz chat --lang fa
    """
    from bot.channels.terminal import run_terminal_chat
    from bot.service.language_codes import UnknownLanguage

    try:
        asyncio.run(run_terminal_chat(cli_config(), lang))
    except UnknownLanguage as error:
        raise click.ClickException(str(error)) from None


@main.command()
def purge() -> None:
    """Delete sessions idle longer than PUTOKAZ_SESSION_TTL, now.

    \b
    Example:
      putokaz purge
    """
    from bot.service.runtime import open_store

    config = cli_config()

    async def go() -> int:
        import time

        store = open_store(config)
        try:
            return await store.purge(time.time())
        finally:
            await store.close()

    click.echo(f"purged {asyncio.run(go())} idle session(s)")


@main.command()
def reload() -> None:
    """Make every running replica reload flows/ and the catalogs, without a restart.

    Run it after changing the flows or catalogs on the server. Replicas sharing
    PUTOKAZ_REDIS_URL hear it within a second; on SQLite the server checks every
    second.

    \b
    Example:
      putokaz i18n compile && putokaz reload
    """
    from bot.service.runtime import open_content_versions

    config = cli_config()

    async def go() -> int:
        versions = open_content_versions(config)
        try:
            return await versions.bump()
        finally:
            await versions.close()

    click.echo(f"published content number {asyncio.run(go())}: every replica reloads")


main.add_command(link)
main.add_command(qr)


@main.command()
@click.option("--flow", "only", help="Draw one flow only, e.g. rights.")
def diagram(only: str | None) -> None:
    """Print a Mermaid flowchart of the flows (screens and their buttons) for review.

    The footer buttons, on nearly every screen, are left out. Paste the output into
    a Markdown file or https://mermaid.live.

    \b
    Examples:
      putokaz diagram > docs/FLOWS.mmd
      putokaz diagram --flow selfcheck
    """
    from bot.engine.diagram import mermaid
    from bot.service.runtime import load_flows

    flows = load_flows(cli_config())
    if only is not None and not any(n.startswith(f"{only}.") for n in flows.nodes):
        raise click.ClickException(f"there is no flow {only!r} in the flows folder")
    click.echo(mermaid(flows, only), nl=False)


for group in (doctor, i18n, telegram, viber, admin, flows):
    main.add_command(group)
