"""What the device says becomes one of our languages, or nothing."""

from __future__ import annotations

import pytest

from bot.engine import Flows
from bot.i18n.suggest import ranked_tags, suggest_language


def test_accept_language_is_ranked_by_quality() -> None:
    assert ranked_tags("en;q=0.5, fa-IR, ar;q=0.9") == ["fa-IR", "ar", "en"]
    assert ranked_tags("bogus;;, ;q=x, *") == []
    assert ranked_tags(None) == []


@pytest.mark.parametrize(
    ("device", "ours"),
    [
        ("fa-IR,fa;q=0.9", "fa"),
        ("prs", "fa"),
        ("sr", "sr-Latn"),
        ("sr-Cyrl-RS", "sr-Cyrl"),
        ("zh-TW", "zh-Hans"),
        ("zh-CN,zh;q=0.9", "zh-Hans"),
        ("de-DE,de;q=0.9,ru;q=0.8", "ru"),
        ("pt-BR", None),
        ("uk", "uk"),
    ],
)
def test_device_languages_map_to_ours(flows: Flows, device: str, ours: str | None) -> None:
    assert suggest_language(device, flows.languages) == ours
