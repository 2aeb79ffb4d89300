"""The JSON of platform payloads reads and writes the same with orjson and without it."""

from __future__ import annotations

import json

import pytest

from bot.channels import json_codec


@pytest.fixture(params=[True, False], ids=["orjson", "json"])
def codec(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.param and not json_codec.ORJSON:
        pytest.skip("orjson is not installed")
    monkeypatch.setattr(json_codec, "ORJSON", request.param)


VALUES = [
    {"update_id": 7, "message": {"text": "سلام — привет", "chat": {"id": -1001234567890}}},
    [1, 2.5, None, True, "x"],
    {"reply_markup": '{"inline_keyboard":[]}', "link_preview_options": '{"is_disabled":true}'},
]


@pytest.mark.parametrize("value", VALUES)
def test_a_value_survives_the_round_trip_as_compact_utf8(codec: None, value: object) -> None:
    raw = json_codec.dumps(value)

    assert json_codec.loads(raw) == value
    assert raw == json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


@pytest.mark.parametrize("raw", [b"{not json", b"", b"\xff\xfe", b'{"a": 1', b"1" * 5000])
def test_what_is_not_json_is_a_value_error(codec: None, raw: bytes) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 -- the two libraries word it differently
        json_codec.loads(raw)


def test_nesting_deeper_than_the_parser_goes_is_a_recursion_error(codec: None) -> None:
    with pytest.raises(RecursionError):
        json_codec.loads(b"[" * 20_000 + b"]" * 20_000)
