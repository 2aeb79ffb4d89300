"""The exception for a `locales/` folder the bot cannot use.

It carries located problems like the flow loader's, so `putokaz check` prints both alike.
"""

from __future__ import annotations

from bot.engine.problems import FlowError


class CatalogError(FlowError):
    """languages.yaml or a catalog has mistakes; `problems` lists each with its place."""
