"""`python -m bot` runs the `putokaz` command."""

from bot.cli import main

main()
