"""Values a channel computes once per loaded `Flows`, not per update.

Published content replaces the `Flows` object, so a value is recomputed when it changes.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.engine.model import Flows


class PerFlows:
    """`PerFlows(compute)(flows)`: `compute(flows)`, remembered for the latest `Flows`."""

    def __init__(self, compute: Callable[[Flows], frozenset[str]]) -> None:
        self.compute = compute
        self.flows: Flows | None = None
        self.value: frozenset[str] = frozenset()

    def __call__(self, flows: Flows) -> frozenset[str]:
        if flows is not self.flows:
            self.flows, self.value = flows, self.compute(flows)
        return self.value
