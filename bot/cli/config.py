"""The configuration as the `putokaz` commands load it: a bad setting is a clean CLI error."""

from __future__ import annotations

import click

from bot.config import Config, ConfigError, load_config


def cli_config() -> Config:
    """`load_config()`, with a ConfigError shown as `Error: <what and how to fix>`."""
    try:
        return load_config()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None
