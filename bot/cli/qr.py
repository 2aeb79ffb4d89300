"""`putokaz qr`: the A4 poster (SVG) or the bare QR code (PNG) of an escalation link."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.config import cli_config
from bot.cli.link import bot_names, build_link


@click.command()
@click.option("--lang", "language", required=True, help="Language, e.g. fa, sr-Latn.")
@click.option("--topic", help="Topic to open: its name or words of its button, e.g. reflection.")
@click.option("--campaign", help="A label for where the poster hangs, e.g. poster1.")
@click.option(
    "--channel",
    type=click.Choice(["web", "telegram", "viber"]),
    default="web",
    show_default=True,
    help="Where the QR code leads.",
)
@bot_names
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="poster.svg: the A4 poster; qr.png: the QR code alone.",
)
def qr(
    language: str,
    topic: str | None,
    campaign: str | None,
    channel: str,
    telegram_username: str | None,
    viber_uri: str | None,
    out: Path,
) -> None:
    """Write a poster (.svg) or a QR code (.png) for an escalation link.

    \b
    Examples:
      putokaz qr --lang fa --topic reflection --out poster.svg
      putokaz qr --lang ar --topic rights --campaign bus1 --out qr.png
    """
    from bot.admin.posters import PosterError, poster, poster_svg, qr_png

    if out.suffix not in (".svg", ".png"):
        raise click.UsageError("--out must end in .svg (the poster) or .png (the QR code)")
    flows, name, link = build_link(
        cli_config(), channel, language, topic, campaign, telegram_username, viber_uri
    )
    try:
        if out.suffix == ".png":
            out.write_bytes(qr_png(link))
        else:
            out.write_text(poster_svg(poster(flows, language, name, link)), encoding="utf-8")
    except PosterError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{out}: {link}")
