"""`putokaz link`: escalation links for hotline staff, and the topics they can open.

A thin click command over `bot.service.links` (the link) and `bot.service.topics` (the names).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from bot.cli.config import cli_config
from bot.config import Config
from bot.engine import Flows
from bot.engine.model import SOURCE_LANGUAGE

F = TypeVar("F", bound=Callable[..., Any])


def bot_names(command: F) -> F:
    """The --bot and --uri options: the bots' names that Telegram and Viber links need."""
    command = click.option(
        "--uri",
        "viber_uri",
        envvar="PUTOKAZ_VIBER_URI",
        help="The Viber bot's chat URI (default: PUTOKAZ_VIBER_URI).",
    )(command)
    return click.option(
        "--bot",
        "telegram_username",
        envvar="PUTOKAZ_TELEGRAM_USERNAME",
        help="The Telegram bot's @username (default: PUTOKAZ_TELEGRAM_USERNAME).",
    )(command)


@click.command()
@click.argument("channel", type=click.Choice(["telegram", "viber", "web"]), required=False)
@click.option(
    "--lang",
    "language",
    help="Language the link opens in, e.g. fa, sr-Latn (--list shows the codes).",
)
@click.option(
    "--topic",
    help='Topic to open: its name or words of its button, e.g. reflection, "recover".',
)
@click.option("--campaign", help="A label for where the link is used, e.g. poster1.")
@bot_names
@click.option(
    "--list",
    "list_topics",
    is_flag=True,
    help="List the topics with their buttons (in --lang, default English) and the language codes.",
)
def link(
    channel: str | None,
    language: str | None,
    topic: str | None,
    campaign: str | None,
    telegram_username: str | None,
    viber_uri: str | None,
    list_topics: bool,
) -> None:
    """Print an escalation link that opens a topic in a language, for CHANNEL.

    A web link needs PUTOKAZ_PUBLIC_URL (the address people reach the web chat
    at); without it the link points at this machine, with a warning.

    \b
    Examples:
      putokaz link --list
      putokaz link telegram --lang fa --topic reflection --bot PutokazBot
      putokaz link viber --lang ar --topic "your rights" --uri putokaz
      PUTOKAZ_PUBLIC_URL=https://chat.example.org putokaz link web --lang sr-Latn --topic hotline
    """
    if list_topics:
        print_topics(language)
        return
    if channel is None:
        raise click.UsageError("say which CHANNEL the link is for: telegram, viber or web")
    if language is None:
        raise click.UsageError("say which language the link opens in: --lang (--list shows them)")
    print_link(channel, language, topic, campaign, telegram_username, viber_uri)


def print_topics(language: str | None) -> None:
    """Each topic's name and its button's label in `language`, then the language codes."""
    from bot.service.runtime import load_flows
    from bot.service.topics import topics

    flows = load_flows(cli_config())
    language = _known_language(flows, language or SOURCE_LANGUAGE)
    found = topics(flows, language)
    width = max(len(topic.name) for topic in found)
    click.echo(f"{'topic':<{width}}  button ({language})")
    for topic in found:
        click.echo(f"{topic.name:<{width}}  {topic.label or '(the first screen; no button)'}")
    click.echo(f"languages: {', '.join(lang.code for lang in flows.languages)}")


def print_link(
    channel: str,
    language: str,
    topic: str | None,
    campaign: str | None,
    telegram_username: str | None,
    viber_uri: str | None,
) -> None:
    """The link on stdout; on stderr a warning when a web link can only open on this machine."""
    config = cli_config()
    _, _, url = build_link(config, channel, language, topic, campaign, telegram_username, viber_uri)
    if channel == "web" and config.public_url is None:
        click.echo(
            f"warning: PUTOKAZ_PUBLIC_URL is not set, so this link opens {web_url(config)}, "
            "which only this machine can reach — set PUTOKAZ_PUBLIC_URL=https://… to the "
            "web chat's public address",
            err=True,
        )
    click.echo(url)


def build_link(
    config: Config,
    channel: str,
    language: str,
    topic: str | None,
    campaign: str | None,
    telegram_username: str | None,
    viber_uri: str | None,
) -> tuple[Flows, str | None, str]:
    """The flows, the topic's name and the escalation link; a user error as ClickException."""
    from bot.service.links import LinkError, escalation_link
    from bot.service.runtime import load_flows
    from bot.service.topics import TopicError, find_topic
    from bot.service.web_links import WebLinks

    flows = load_flows(config)
    language = _known_language(flows, language)
    try:
        name = find_topic(flows, topic, language) if topic is not None else None
        url = escalation_link(
            channel,
            flows,
            language=language,
            topic=name,
            campaign=campaign,
            telegram_username=telegram_username,
            viber_uri=viber_uri,
            web_url=web_url(config),
            web_code=WebLinks(config.data_dir).code_for,
        )
    except (LinkError, TopicError) as error:
        raise click.ClickException(str(error)) from None
    return flows, name, url


def web_url(config: Config) -> str:
    """Where people open the web chat: PUTOKAZ_PUBLIC_URL, else this machine's address."""
    return config.public_url or f"http://{config.host}:{config.port}"


def _known_language(flows: Flows, language: str) -> str:
    from bot.service.language_codes import UnknownLanguage, check_language

    try:
        check_language(flows, language)
    except UnknownLanguage as error:
        raise click.ClickException(str(error)) from None
    return language
