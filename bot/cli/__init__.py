"""The `putokaz` command: one module per command group, over library functions."""

from bot.cli.root import main

__all__ = ["main"]
