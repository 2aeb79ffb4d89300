"""Fuzzed Telegram, Viber and web-chat requests, in-process: never a 5xx, never a traceback
or a swallowed failure in the log, and memory that does not grow with what is sent.

Payloads: the platform fixtures with fields replaced by wild values (huge numbers, huge
or odd strings, wrong types), truncated JSON, any JSON, unknown update kinds, bytes that
are not UTF-8. Viber bodies are signed, so they get past the signature check.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import load_config
from bot.logs import Whitelist
from bot.web.app import create_app
from bot.web.keys import CONVERSATIONS
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.viber_api import SIGNATURE_HEADER, FakeViberAPI, sign

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TELEGRAM_TOKEN = "123456:FUZZ-token"
SECRET = "fuzz-secret"
VIBER_TOKEN = "445da6az1s345z78-dazcczb2542zv51a-fuzz"
FAILURES = ("Traceback", "library_error", "_update_failed", "Error handling request")
"""In the log these mean an exception escaped a handler, even when the answer was a 200."""
EXAMPLES = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


def fixtures(platform: str) -> list[Any]:
    return [json.loads(p.read_text()) for p in sorted((FIXTURES / platform).glob("*.json"))]


TELEGRAM = fixtures("telegram")
VIBER = fixtures("viber")
WEBCHAT = [
    {"action": "start", "payload": "rights-fa"},
    {"action": "choose", "option": "rights", "node": "welcome.menu"},
    {"action": "back"},
    {"action": "menu"},
    {"action": "text"},
    {"action": "exit"},
    {"action": "language", "option": "fa"},
]

LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(max_size=40),
    st.integers(min_value=0, max_value=300_000).map(lambda n: "ж" * n),
    st.sampled_from(["", "/start", "/start " + "x" * 500, "\u202e\u0000\ud7ff", "tel:+381"]),
)
JSON = st.recursive(
    LEAF,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON document, the document itself first."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copied = copy.deepcopy(document)
    holder = copied
    for step in path[:-1]:
        holder = holder[step]
    holder[path[-1]] = value
    return copied


def encode(value: Any) -> bytes:
    # Lone surrogates from the text strategy go out as the bytes a broken client sends.
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


@st.composite
def wild_fixture(draw: st.DrawFn, documents: list[Any]) -> bytes:
    document = draw(st.sampled_from(documents))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(list(paths(document))))
        document = replaced(document, path, draw(JSON))
    return encode(document)


WILD_STRING = st.one_of(
    st.text(max_size=80),
    st.integers(min_value=0, max_value=300_000).map(lambda n: "ж" * n),
    st.sampled_from(["", "/start", "/start " + "x" * 500, "/start ../../etc", "\u202e\ud800"]),
)
WILD_INT = st.one_of(st.integers(), st.integers(min_value=-(2**70), max_value=2**70))


def same_type(value: Any) -> st.SearchStrategy[Any]:
    """A wild value of the leaf's own JSON type: the shape stays valid."""
    if isinstance(value, bool) or value is None:
        return st.just(value) | st.booleans()
    if isinstance(value, int):
        return WILD_INT
    if isinstance(value, float):
        return st.floats()
    return WILD_STRING


@st.composite
def wild_values(draw: st.DrawFn, documents: list[Any]) -> bytes:
    """A fixture with some leaves given wild values of their own type."""
    document = draw(st.sampled_from(documents))
    leaves = [p for p in paths(document) if p and not isinstance(_at(document, p), dict | list)]
    for path in draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=4)) if leaves else []:
        document = replaced(document, path, draw(same_type(_at(document, path))))
    return encode(document)


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


@st.composite
def truncated(draw: st.DrawFn, documents: list[Any]) -> bytes:
    raw = encode(draw(st.sampled_from(documents)))
    return raw[: draw(st.integers(min_value=0, max_value=len(raw) - 1))]


@st.composite
def spliced(draw: st.DrawFn, documents: list[Any]) -> bytes:
    """A fixture with bytes that are not UTF-8 put in somewhere (e.g. inside a string)."""
    raw = encode(draw(st.sampled_from(documents)))
    at = draw(st.integers(min_value=0, max_value=len(raw)))
    return (
        raw[:at]
        + draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x80"]))
        + raw[at:]
    )


def unknown_kind() -> st.SearchStrategy[bytes]:
    kinds = st.text(min_size=1, max_size=20).filter(lambda k: k != "update_id")
    return st.builds(
        lambda uid, kind, body: encode({"update_id": uid, kind: body}),
        st.integers(min_value=0, max_value=2**40),
        kinds,
        JSON,
    ) | st.builds(lambda kind: encode({"event": kind, "message_token": 1}), kinds)


def bodies(documents: list[Any]) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.sampled_from(documents).map(encode),
        wild_values(documents),
        wild_fixture(documents),
        truncated(documents),
        spliced(documents),
        JSON.map(encode),
        unknown_kind(),
        st.binary(max_size=2_000),
    )


@dataclass
class Lines(logging.Handler):
    """The app's log as the production handlers would write it (whitelist, formatter)."""

    def __post_init__(self) -> None:
        super().__init__()
        self.addFilter(Whitelist())
        self.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    __hash__ = logging.Handler.__hash__


@dataclass
class App:
    loop: asyncio.AbstractEventLoop
    client: TestClient[Any, Any]
    log: Lines
    telegram: FakeTelegramAPI

    def post(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> int:
        async def send() -> int:
            async with self.client.post(
                path, data=body, headers=headers or {}, allow_redirects=False
            ) as response:
                await response.read()
                return response.status

        return self.loop.run_until_complete(send())

    def check(self, path: str, body: bytes, headers: dict[str, str]) -> None:
        mark = len(self.log.lines)
        status = self.post(path, body, headers)
        assert status < 500, (status, body[:300])
        written = "\n".join(self.log.lines[mark:])
        for failure in FAILURES:
            assert failure not in written, (written, body[:300])


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """The whole app in-process on its own event loop (hypothesis tests are synchronous),
    with the fake Bot API and Viber API on the same loop."""
    loop = asyncio.new_event_loop()
    telegram = FakeTelegramAPI(token=TELEGRAM_TOKEN)
    viber = FakeViberAPI(auth_token=VIBER_TOKEN)
    log = Lines()
    root = logging.getLogger()
    level = root.level
    root.addHandler(log)
    root.setLevel(logging.INFO)

    async def start() -> TestClient[Any, Any]:
        await telegram.start()
        await viber.start()
        env = {
            "PUTOKAZ_DATA": str(tmp_path_factory.mktemp("fuzz")),
            "PUTOKAZ_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
            "PUTOKAZ_TELEGRAM_SECRET": SECRET,
            "PUTOKAZ_TELEGRAM_API_URL": telegram.base_url,
            "PUTOKAZ_PUBLIC_URL": "https://putokaz.test",
            "PUTOKAZ_VIBER_TOKEN": VIBER_TOKEN,
            "PUTOKAZ_VIBER_API_URL": viber.base_url,
        }
        client = TestClient(TestServer(create_app(load_config(env=env))))
        await client.start_server()
        return client

    client = loop.run_until_complete(start())
    try:
        yield App(loop, client, log, telegram)
    finally:

        async def stop() -> None:
            await client.close()
            await viber.close()
            await telegram.close()

        loop.run_until_complete(stop())
        loop.close()
        root.removeHandler(log)
        root.setLevel(level)


def telegram_headers() -> dict[str, str]:
    return {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}


@EXAMPLES
@given(bodies(TELEGRAM))
def test_fuzzed_telegram_updates_never_fail(app: App, body: bytes) -> None:
    app.check("/telegram", body, telegram_headers())


@EXAMPLES
@given(bodies(VIBER))
def test_fuzzed_signed_viber_callbacks_never_fail(app: App, body: bytes) -> None:
    headers = {SIGNATURE_HEADER: sign(body, VIBER_TOKEN), "Content-Type": "application/json"}
    app.check("/viber", body, headers)


HEADER_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=200,
)
"""What an HTTP client puts in a header (control bytes: tests/web/test_bad_input.py)."""


@EXAMPLES
@given(
    bodies(WEBCHAT),
    st.one_of(st.none(), HEADER_TEXT, st.just("A" * 43), st.just("=" * 2000)),
    st.one_of(st.none(), HEADER_TEXT, st.just("fa;q=0.9, " * 400), st.just("*;q=nan")),
)
def test_fuzzed_web_chat_requests_never_fail(
    app: App, body: bytes, cookie: str | None, accept_language: str | None
) -> None:
    headers = {"Content-Type": "application/json"}
    if cookie is not None:
        headers["Cookie"] = "putokaz_chat=" + cookie
    if accept_language is not None:
        headers["Accept-Language"] = accept_language
    app.check("/api/chat", body, headers)
    try:
        fields = json.loads(body)
    except ValueError:
        fields = None
    if isinstance(fields, dict):  # the same request as the page's form would send it
        form = urlencode(
            {str(k): str(v)[:1000] for k, v in fields.items()}, errors="surrogatepass"
        ).encode()
    else:
        form = body[:4000]
    app.check("/chat", form, {**headers, "Content-Type": "application/x-www-form-urlencoded"})


def test_fuzzing_leaves_no_lock_behind(app: App) -> None:
    conversations = app.client.server.app[CONVERSATIONS]  # type: ignore[union-attr]
    assert len(conversations.isolation) == 0


@pytest.mark.parametrize("path", ["/telegram", "/viber", "/api/chat", "/chat"])
def test_a_body_far_over_the_limit_is_refused_without_being_held_in_memory(
    app: App, path: str
) -> None:
    size, chunk = 8 * 1024 * 1024, b"[" * 65_536

    async def streamed() -> AsyncIterator[bytes]:
        for _ in range(size // len(chunk)):
            yield chunk

    async def send() -> int:
        headers = {**telegram_headers(), SIGNATURE_HEADER: "0" * 64}
        async with app.client.post(path, data=streamed(), headers=headers) as response:
            return response.status

    tracemalloc.start()
    try:
        status = app.loop.run_until_complete(send())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status in (400, 403, 413)
    assert peak < size / 4, f"{peak:,} bytes held for an {size:,}-byte body"
