"""`putokaz doctor`: check the installation and say what to fix; exit 1 when something fails."""

from __future__ import annotations

import asyncio
import sys

import aiohttp
import click

from bot.cli.config import cli_config


@click.command()
def doctor() -> None:
    """Check the set-up: token, webhooks, secret, data directory, pepper, Redis,
    catalogs, flows and the public URL; print each finding with its fix.

    Exit status 1 when a check FAILs (warnings do not). Run it after every change of
    .env, after an upgrade, and when /metrics shows errors. It changes nothing.

    \b
    Examples:
      putokaz doctor
      docker compose exec bot putokaz doctor
      sudo systemd-run --pty -p DynamicUser=yes ... putokaz doctor   # as the service
    """
    from bot.service.doctor import Finding, diagnose, healthy

    config = cli_config()

    async def run() -> list[Finding]:
        async with aiohttp.ClientSession() as http:
            return await diagnose(config, http)

    findings = asyncio.run(run())
    for finding in findings:
        for line in finding.lines():
            click.echo(line)
    if not healthy(findings):
        failed = sum(f.status.value == "FAIL" for f in findings)
        click.echo(f"{failed} check(s) failed", err=True)
        sys.exit(1)
    click.echo("healthy")
