"""`putokaz admin …` (staff accounts) and `putokaz flows export|import` (published
versions to and from YAML folders). Thin click commands over the staff library."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import click

from bot.admin.accounts import AccountError
from bot.admin.audit import AuditEntry
from bot.admin.content import ContentError, check_files, read_folder, write_folder
from bot.admin.database import StaffData, open_staff
from bot.admin.passwords import PasswordRejected
from bot.admin.roles import Role
from bot.cli.group import Group
from bot.config import Config

CLI_ACTOR = "cli"
"""The audit log's actor for changes made on the server's command line."""


def _config() -> Config:
    from bot.cli.config import cli_config

    return cli_config()


def open_data(config: Config) -> StaffData:
    return open_staff(config)


def _password(stdin: bool, name: str) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    password: str = click.prompt(
        f"New password for {name}", hide_input=True, confirmation_prompt=True
    )
    return password


@click.group(cls=Group)
def admin() -> None:
    """Staff accounts for the /admin area (roles: admin, editor, translator, hotline,
    viewer).

    \b
    Examples:
      putokaz admin add-user ana --role editor
      putokaz admin passwd ana
      putokaz admin disable ana
      putokaz admin list
    """


@admin.command("add-user")
@click.argument("name")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), required=True, help="What they may do."
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add_user(name: str, role: str, password_stdin: bool) -> None:
    """Create a staff account NAME; the password is asked for (twice), never an argument.

    \b
    Examples:
      putokaz admin add-user ana --role editor
      printf '%s\\n' "$PASSWORD" | putokaz admin add-user ivan --role viewer --password-stdin
    """
    data = open_data(_config())
    try:
        account = data.accounts.add(name, Role(role), _password(password_stdin, name), time.time())
        data.audit.record(AuditEntry(time.time(), CLI_ACTOR, "account_added", name, role))
    except (AccountError, PasswordRejected) as error:
        raise click.ClickException(str(error)) from None
    finally:
        data.close()
    click.echo(f"added {account.name} ({account.role.value})")


@admin.command()
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def passwd(name: str, password_stdin: bool) -> None:
    """Set a new password for NAME; their open sessions end.

    \b
    Example:
      putokaz admin passwd ana
    """
    data = open_data(_config())
    try:
        data.accounts.set_password(name, _password(password_stdin, name))
        ended = data.sessions.close_all(name)
        data.audit.record(AuditEntry(time.time(), CLI_ACTOR, "password_changed", name))
    except (AccountError, PasswordRejected) as error:
        raise click.ClickException(str(error)) from None
    finally:
        data.close()
    click.echo(f"password of {name} changed; {ended} session(s) ended")


@admin.command()
@click.argument("name")
def disable(name: str) -> None:
    """Disable NAME: they cannot log in, and their open sessions end now.

    \b
    Example:
      putokaz admin disable ana
    """
    data = open_data(_config())
    try:
        data.accounts.disable(name)
        ended = data.sessions.close_all(name)
        data.audit.record(AuditEntry(time.time(), CLI_ACTOR, "account_disabled", name))
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    finally:
        data.close()
    click.echo(f"disabled {name}; {ended} session(s) ended")


@admin.command("list")
def list_accounts() -> None:
    """List staff accounts with their roles.

    \b
    Example:
      putokaz admin list
    """
    data = open_data(_config())
    try:
        for account in data.accounts.all():
            state = " (disabled)" if account.disabled else ""
            click.echo(f"{account.name}\t{account.role.value}{state}")
    finally:
        data.close()


@click.group(cls=Group)
def flows() -> None:
    """The published flow versions, to and from folders of YAML files.

    \b
    Examples:
      putokaz flows export /tmp/published      # the version the bot speaks now
      putokaz flows import flows/ -m "Reviewed reflection texts"
    """


@flows.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--version", "number", type=int, help="A version number (default: the newest).")
def export_flows(folder: Path, number: int | None) -> None:
    """Write the published version (or --version N) as YAML files into FOLDER.

    \b
    Examples:
      putokaz flows export flows/
      putokaz flows export /tmp/v3 --version 3
    """
    data = open_data(_config())
    try:
        version = data.versions.get(number) if number else data.versions.latest()
    finally:
        data.close()
    if version is None:
        raise click.ClickException(
            f"there is no version {number}" if number else "nothing is published yet"
        )
    written = write_folder(version.files, folder)
    click.echo(f"wrote version {version.number}: {len(written)} file(s) to {folder}")


@flows.command("import")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("-m", "--message", default=None, help="What changed (shown in the history).")
def import_flows(folder: Path, message: str | None) -> None:
    """Check the YAML files in FOLDER and publish them as a new version.

    Refused, with every problem at its line, when `putokaz check` would fail.
    A running server picks the new version up within seconds, without a restart.

    \b
    Examples:
      putokaz flows import flows/
      putokaz flows import ~/reviewed -m "Farsi review"
    """
    config = _config()
    try:
        files = read_folder(folder)
    except ContentError as error:
        raise click.ClickException(str(error)) from None
    result = check_files(files, config.locales_dir)
    if not result.ok:
        for problem in result.errors:
            click.echo(str(problem))
        raise click.ClickException(f"{len(result.errors)} error(s): nothing was imported")
    data = open_data(config)
    try:
        now = time.time()
        info = data.versions.add(files, CLI_ACTOR, message or f"imported from {folder}", now)
        data.audit.record(AuditEntry(now, CLI_ACTOR, "imported", f"version {info.number}"))
    finally:
        data.close()
    asyncio.run(_tell_replicas(config))
    click.echo(f"published version {info.number} from {folder}")


async def _tell_replicas(config: Config) -> None:
    """Bump the content number: every running replica loads the new version."""
    from bot.service.runtime import open_content_versions

    versions = open_content_versions(config)
    try:
        await versions.bump()
    finally:
        await versions.close()
