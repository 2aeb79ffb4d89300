"""The click group of every `putokaz` command group: commands in the order they are defined,
each listed in `--help` with its whole first sentence (click cuts it at the terminal's width).
"""

from __future__ import annotations

import click


class Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                # A limit no sentence reaches: the formatter wraps the whole of it instead.
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)
