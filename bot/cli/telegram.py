"""`putokaz telegram ...`: register or remove the webhook, set the command menu.

A thin click group over python-telegram-bot's Bot; every error names the fix.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from bot.cli.config import cli_config
from bot.cli.group import Group
from bot.config import Config

T = TypeVar("T")
SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
"""What Telegram accepts as a webhook secret_token."""
HOW_TO_MAKE_ONE = (
    'e.g. PUTOKAZ_TELEGRAM_SECRET=$(python3 -c "import secrets; print(secrets.token_urlsafe(32))")'
)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
def telegram() -> None:
    """Set up the Telegram bot: webhook, command menu.

    Needs PUTOKAZ_TELEGRAM_TOKEN, the token from @BotFather; see docs/TELEGRAM.md.
    Without PUTOKAZ_PUBLIC_URL `putokaz serve` uses long polling and needs none
    of this but `set-commands`.

    \b
    Examples:
      putokaz telegram set-webhook            # PUTOKAZ_PUBLIC_URL + /telegram
      putokaz telegram delete-webhook         # back to long polling
      putokaz telegram set-commands
      putokaz telegram webhook-info
    """


@telegram.command("set-webhook")
@click.option("--url", help="Webhook URL (default: PUTOKAZ_PUBLIC_URL + /telegram).")
@click.option(
    "--drop-pending-updates", is_flag=True, help="Forget updates Telegram has queued so far."
)
@click.option(
    "--max-connections",
    type=click.IntRange(1, 100),
    default=40,
    show_default=True,
    help="Parallel webhook requests Telegram may make.",
)
def set_webhook(url: str | None, drop_pending_updates: bool, max_connections: int) -> None:
    """Tell Telegram to POST updates to this server, with PUTOKAZ_TELEGRAM_SECRET.

    Telegram sends the secret in X-Telegram-Bot-Api-Secret-Token; `putokaz serve`
    answers 403 without it. Only message, callback_query and my_chat_member
    updates are asked for.

    \b
    Examples:
      PUTOKAZ_PUBLIC_URL=https://bot.example.org putokaz telegram set-webhook
      putokaz telegram set-webhook --drop-pending-updates
      putokaz telegram set-webhook --url https://bot.example.org/telegram
    """
    from bot.channels.telegram.api import ALLOWED_UPDATES
    from bot.channels.telegram.routes import PATH

    config = _config()
    secret = config.telegram_secret
    if not secret or not SECRET.fullmatch(secret):
        raise click.ClickException(
            "PUTOKAZ_TELEGRAM_SECRET must be 1-256 characters of A-Z a-z 0-9 _ - "
            f"(Telegram's rule for secret_token) — {HOW_TO_MAKE_ONE}"
        )
    if url is None:
        if not config.public_url:
            raise click.ClickException(
                "PUTOKAZ_PUBLIC_URL is not set — set it to the server's public https:// "
                "address, or pass --url"
            )
        url = f"{config.public_url}{PATH}"
    _call(
        config,
        lambda bot: bot.set_webhook(
            url,
            secret_token=secret,
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=drop_pending_updates,
            max_connections=max_connections,
        ),
    )
    click.echo(f"ok: Telegram will POST updates to {url}")


@telegram.command("delete-webhook")
@click.option(
    "--drop-pending-updates", is_flag=True, help="Forget updates Telegram has queued so far."
)
def delete_webhook(drop_pending_updates: bool) -> None:
    """Remove the webhook, so `putokaz serve` without PUTOKAZ_PUBLIC_URL can poll.

    \b
    Examples:
      putokaz telegram delete-webhook
      putokaz telegram delete-webhook --drop-pending-updates
    """
    _call(_config(), lambda bot: bot.delete_webhook(drop_pending_updates=drop_pending_updates))
    click.echo("ok: webhook removed; start `putokaz serve` without PUTOKAZ_PUBLIC_URL to poll")


@telegram.command("webhook-info")
def webhook_info() -> None:
    """Show where Telegram sends updates, how many wait, and the last delivery error.

    \b
    Example:
      putokaz telegram webhook-info
    """
    info = _call(_config(), lambda bot: bot.get_webhook_info())
    click.echo(f"url: {info.url or '- (none: long polling)'}")
    click.echo(f"pending updates: {info.pending_update_count}")
    click.echo(f"allowed updates: {', '.join(info.allowed_updates or ()) or 'default'}")
    if info.last_error_message:
        click.echo(f"last error: {info.last_error_message}")


@telegram.command("set-commands")
def set_commands() -> None:
    """Set the command menu (/start /help /language /exit /forget) in every language.

    Descriptions come from flows/navigation.yaml (`notices: command_*`) and their
    translations; Telegram shows the one for the app's language, English otherwise.

    \b
    Example:
      putokaz telegram set-commands
    """
    from telegram import BotCommand

    from bot.channels.telegram.outbound import command_menus
    from bot.service.runtime import load_flows

    config = _config()
    try:
        menus = command_menus(load_flows(config))
    except ValueError as error:
        raise click.ClickException(str(error)) from None

    async def set_all(bot: Any) -> None:
        for menu in menus:
            commands = [BotCommand(name, text) for name, text in menu.commands]
            await bot.set_my_commands(commands, language_code=menu.telegram_code or None)

    _call(config, set_all)
    for menu in menus:
        shown = menu.telegram_code or "default"
        click.echo(f"ok: {shown} ← {menu.language}")


def _call(config: Config, action: Callable[[Any], Awaitable[T]]) -> T:
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    async def run() -> T:
        bot = Bot(config.telegram_token or "", base_url=config.telegram_api_url)
        try:
            await bot.initialize()
            return await action(bot)
        finally:
            await bot.shutdown()

    try:
        return asyncio.run(run())
    except InvalidToken:
        # PTB's own message repeats the token; this one does not.
        raise click.ClickException(
            "Telegram rejected PUTOKAZ_TELEGRAM_TOKEN — copy it again from @BotFather (/token)"
        ) from None
    except TelegramError as error:
        raise click.ClickException(
            f"Telegram answered: {error.message} — check PUTOKAZ_TELEGRAM_API_URL "
            f"({config.telegram_api_url}) and the network"
        ) from None


def _config() -> Config:
    config = cli_config()
    if not config.telegram_token:
        raise click.ClickException(
            "PUTOKAZ_TELEGRAM_TOKEN is not set — create a bot with @BotFather (/newbot) "
            "and put its token in .env"
        )
    return config
