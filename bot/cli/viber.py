"""`putokaz viber ...`: register the webhook with Viber and show the bot account.

A thin click group over `bot.channels.viber.api`; every error names the fix.
"""

from __future__ import annotations

import asyncio
from typing import Any

import click

from bot.cli.config import cli_config
from bot.cli.group import Group
from bot.config import Config

HINTS = {
    1: "Viber could not reach the URL or it did not answer 200: it must be public HTTPS "
    "with a trusted certificate, and `putokaz serve` must be running there with the "
    "same PUTOKAZ_VIBER_TOKEN",
    2: "check PUTOKAZ_VIBER_TOKEN: copy the token again from the Viber admin panel",
    10: "register the webhook first: putokaz viber set-webhook",
}
ACCOUNT_FIELDS = ("name", "uri", "webhook", "event_types", "subscribers_count", "country")
"""What account-info prints; not the members list, which names the staff."""


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
def viber() -> None:
    """Set up the Viber bot: register the webhook, show the account.

    Needs PUTOKAZ_VIBER_TOKEN, the token from the Viber admin panel; see
    docs/VIBER.md. Escalation links: `putokaz link viber --lang fa --uri NAME`.

    \b
    Examples:
      putokaz viber set-webhook              # PUTOKAZ_PUBLIC_URL + /viber
      putokaz viber set-webhook --remove
      putokaz viber account-info
    """


@viber.command("set-webhook")
@click.option("--url", help="Webhook URL (default: PUTOKAZ_PUBLIC_URL + /viber).")
@click.option("--remove", is_flag=True, help="Remove the webhook: Viber stops calling.")
def set_webhook(url: str | None, remove: bool) -> None:
    """Tell Viber where to send callbacks; exit 1 with Viber's status on failure.

    Viber first posts a signed "webhook" event to the URL and refuses unless it
    gets HTTP 200, so start `putokaz serve` with the same token before this.

    \b
    Examples:
      PUTOKAZ_PUBLIC_URL=https://bot.example.org putokaz viber set-webhook
      putokaz viber set-webhook --url https://bot.example.org/viber
      putokaz viber set-webhook --remove
    """
    from bot.channels.viber.api import webhook_request
    from bot.channels.viber.routes import EVENT_TYPES

    config = _config(token=True)
    target = "" if remove else (url or _default_url(config))
    events = [] if remove else list(EVENT_TYPES)
    answer = _call(config, "set_webhook", webhook_request(target, events))
    if remove:
        click.echo("ok: webhook removed; Viber no longer calls this server")
        return
    click.echo(f"ok: Viber will call {target}")
    shown = answer.get("event_types", events)
    listed = ", ".join(str(e) for e in shown) if isinstance(shown, list) else str(shown)
    click.echo(f"events: {listed} (message and webhook always come)")


@viber.command("account-info")
def account_info() -> None:
    """Show the bot account as Viber sees it: name, chat URI, webhook, subscribers.

    The chat URI is what `putokaz link viber --uri` and PUTOKAZ_VIBER_URI need.

    \b
    Example:
      putokaz viber account-info
    """
    answer = _call(_config(token=True), "get_account_info", {})
    for field in ACCOUNT_FIELDS:
        value = answer.get(field)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value) or "-"
        click.echo(f"{field}: {'-' if value in (None, '') else value}")


def _call(config: Config, method: str, body: dict[str, Any]) -> dict[str, Any]:
    # Imported here so `putokaz --help` does not load aiohttp.
    from bot.channels.viber.api import ViberError, call_once

    try:
        return asyncio.run(call_once(config.viber_token or "", config.viber_api_url, method, body))
    except ViberError as error:
        hint = f"check PUTOKAZ_VIBER_API_URL ({config.viber_api_url}) and the network"
        if error.kind == "viber":
            hint = HINTS.get(error.status or 0, "see docs/VIBER.md")
        raise click.ClickException(f"{error.describe()} — {hint}") from None


def _default_url(config: Config) -> str:
    if not config.public_url:
        raise click.ClickException(
            "PUTOKAZ_PUBLIC_URL is not set — set it to the server's public https:// address, "
            "or pass --url"
        )
    from bot.channels.viber.routes import PATH

    return f"{config.public_url}{PATH}"


def _config(*, token: bool = False) -> Config:
    config = cli_config()
    if token and not config.viber_token:
        raise click.ClickException(
            "PUTOKAZ_VIBER_TOKEN is not set — copy the token from the Viber admin panel "
            "(Edit info → Your app key) into .env"
        )
    return config
