"""The Viber channel end to end: `putokaz serve` as a process against FakeViberAPI.

One server serves the whole module; every conversation uses its own Viber user id.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import random
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.channels.viber.routes import MAX_CALLBACK_BYTES
from bot.engine import Flows, render
from bot.engine.choice_token import ChoiceToken, decode_choice, encode_choice
from bot.service.runtime import Services
from tests.conversations.script import Observed, load_scripts, run_script
from tests.fakes.viber_api import (
    SIGNATURE_HEADER,
    FakeViberAPI,
    encode_event,
    load_fixture,
    post_callback,
    sign,
)
from tests.support.app_server import AppServer
from tests.support.privacy import find_leaks
from tests.support.server import ServerProcess, free_port
from tests.support.sessions import session_rows

TOKEN = "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"
FIXTURES = (
    "webhook",
    "conversation_started",
    "subscribed",
    "unsubscribed",
    "message_text",
    "message_keyboard_reply",
    "delivered",
    "seen",
    "failed",
)
COMMANDS = {"back": "/back", "menu": "/menu", "exit": "/exit", "forget": "/forget"}
HANDOFF_WAIT = 3.0

_tokens = itertools.count(7_000_000_000_000_000_000)
_users = itertools.count(1)


def next_token() -> int:
    return next(_tokens)


def new_user() -> str:
    return f"test{next(_users):08d}AAAA=="


class HotlineInbox:
    """PUTOKAZ_HANDOFF_WEBHOOK for the test: keeps every hand-off document posted to it."""

    def __init__(self) -> None:
        self.documents: list[dict[str, Any]] = []
        self.arrived = threading.Condition()
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                document = json.loads(self.rfile.read(length))
                with inbox.arrived:
                    inbox.documents.append(document)
                    inbox.arrived.notify_all()
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/handoff"

    def count(self) -> int:
        with self.arrived:
            return len(self.documents)

    def since(self, seen: int, wait: float) -> list[dict[str, Any]]:
        """Documents after the first `seen`, waiting up to `wait` s for at least one."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.documents) > seen, timeout=wait)
            return self.documents[seen:]


@pytest.fixture(scope="module")
def hotline() -> Iterator[HotlineInbox]:
    inbox = HotlineInbox()
    inbox.thread.start()
    yield inbox
    inbox.server.shutdown()
    inbox.server.server_close()


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeViberAPI]:
    api = FakeViberAPI(auth_token=TOKEN)
    with api.run_in_thread():
        yield api


def viber_env(fake: FakeViberAPI, hotline: HotlineInbox) -> dict[str, str]:
    return {
        "PUTOKAZ_VIBER_TOKEN": TOKEN,
        "PUTOKAZ_VIBER_API_URL": fake.base_url,
        "PUTOKAZ_HANDOFF_WEBHOOK": hotline.url,
    }


@pytest.fixture(scope="module")
def viber_server(
    tmp_path_factory: pytest.TempPathFactory,
    fake: FakeViberAPI,
    hotline: HotlineInbox,
    flows: Flows,
) -> Iterator[AppServer]:
    """The app in this process: these tests are about HTTP and the Viber API, not the process."""
    folder = tmp_path_factory.mktemp("viber") / "data"
    env = viber_env(fake, hotline)
    with AppServer(folder, env=env, services=Services(flows=flows)) as server:
        yield server


async def post(
    http: aiohttp.ClientSession,
    server: ServerProcess,
    event: dict[str, Any] | bytes,
    signature: str | None = None,
) -> Any:
    return await post_callback(http, event, TOKEN, path=f"{server.url}/viber", signature=signature)


def started(user_id: str, context: str | None, phone_language: str = "en") -> dict[str, Any]:
    """A conversation_started callback shaped like the fixture, for `user_id`, from a
    phone set to `phone_language` (scripts expect an English phone: the first screen
    is in the phone's language when the link names none)."""
    event = load_fixture("conversation_started")
    event["user"]["id"] = user_id
    event["user"]["language"] = phone_language
    event["message_token"] = next_token()
    if context is None:
        del event["context"]
    else:
        event["context"] = context
    return event


def message(user_id: str, text: str) -> dict[str, Any]:
    """A text message callback shaped like the fixture, from `user_id`."""
    event = load_fixture("message_text")
    event["sender"]["id"] = user_id
    event["message"]["text"] = text
    event["message_token"] = next_token()
    return event


def sends_to(fake: FakeViberAPI, user_id: str) -> list[dict[str, Any]]:
    return [call.body for call in fake.sends() if call.body.get("receiver") == user_id]


def button_ids(keyboard: dict[str, Any] | None, flows: Flows) -> tuple[str, ...]:
    """Option ids of a keyboard: reply buttons carry them; open-url ones are found by URL."""
    if keyboard is None:
        return ()
    buttons = keyboard["Buttons"]
    tokens = [decode_choice(b["ActionBody"]) for b in buttons if b["ActionType"] == "reply"]
    node = next((t.node for t in tokens if t is not None), None)
    by_url = {
        option.url: option.id
        for option in flows.options_by_node.get(node, {}).values()  # type: ignore[call-overload]
        if option.url is not None
    }
    ids = []
    for button in buttons:
        if button["ActionType"] == "open-url":
            ids.append(by_url[button["ActionBody"]])
        else:
            token = decode_choice(button["ActionBody"])
            assert token is not None, f"button {button} carries no choice token"
            ids.append(token.option_id)
    return tuple(ids)


class ViberDriver:
    """One Viber user: callbacks to `putokaz serve`, replies read from the fake's call log.

    Start opens the chat (conversation_started, reply in the HTTP answer); a choice sends
    the ActionBody of that button from the last keyboard; back/menu/exit/forget are typed
    commands. Effects are observed: the session row gone (forget), and no keyboard left
    besides (quick exit), a hand-off document at the hotline whose code is on screen.
    """

    def __init__(
        self,
        server: ServerProcess,
        fake: FakeViberAPI,
        http: aiohttp.ClientSession,
        flows: Flows,
        hotline: HotlineInbox,
    ) -> None:
        self.server = server
        self.fake = fake
        self.http = http
        self.flows = flows
        self.hotline = hotline
        self.user_id = new_user()
        self.keyboard: dict[str, Any] | None = None
        self.notices = {
            flows.text(language.code, key).value
            for language in flows.languages
            for key in flows.navigation.notices.values()
        }

    async def act(self, action: dict[str, Any]) -> Observed:
        handoffs_before = self.hotline.count()
        sent_before = len(sends_to(self.fake, self.user_id))
        if "start" in action:
            answer = await post(self.http, self.server, started(self.user_id, action["start"]))
            assert answer.status == 200, answer.body
            bodies = [answer.json()]
            assert "receiver" not in bodies[0]
            assert sends_to(self.fake, self.user_id)[sent_before:] == []
        else:
            answer = await post(self.http, self.server, message(self.user_id, self.typed(action)))
            assert answer.status == 200, answer.body
            bodies = sends_to(self.fake, self.user_id)[sent_before:]
        assert bodies, f"no reply to {action}"
        self.keyboard = bodies[-1].get("keyboard")
        texts, notices = self.split_notices([body["text"] for body in bodies])
        buttons = button_ids(self.keyboard, self.flows)
        return Observed(texts, buttons, self.effects(handoffs_before, texts), notices)

    def typed(self, action: dict[str, Any]) -> str:
        if "choose" in action:
            return self.action_body(str(action["choose"]))
        if "text" in action:
            return str(action["text"])
        for name, command in COMMANDS.items():
            if name in action:
                return command
        raise ValueError(f"unknown script action {action}")

    def action_body(self, option_id: str) -> str:
        buttons = self.keyboard["Buttons"] if self.keyboard else []
        for button in buttons:
            token = decode_choice(button["ActionBody"])
            if token is not None and token.option_id == option_id:
                return str(button["ActionBody"])
        # Not on the keyboard: what a stale or forged button would send.
        return encode_choice(self.node or "welcome.start", option_id)

    @property
    def node(self) -> str | None:
        for button in self.keyboard["Buttons"] if self.keyboard else []:
            token = decode_choice(button["ActionBody"])
            if token is not None:
                return token.node
        return None

    def split_notices(self, texts: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Notices come in front of the first message; take them off it."""
        first, notices = texts[0], []
        for notice in sorted(self.notices, key=len, reverse=True):
            if first.startswith(notice + "\n\n"):
                notices.append(notice)
                first = first.removeprefix(notice + "\n\n")
        return (first, *texts[1:]), tuple(notices)

    def effects(self, handoffs_before: int, texts: tuple[str, ...]) -> tuple[str, ...]:
        effects = []
        node = self.node
        expect_handoff = node is not None and self.flows.node(node).handoff  # type: ignore[arg-type]
        posted = self.hotline.since(handoffs_before, HANDOFF_WAIT if expect_handoff else 0)
        if any(doc["code"] in "\n".join(texts) for doc in posted):
            effects.append("handoff")
        if session_rows(self.server.data_dir, "viber", self.user_id) == 0:
            effects.append("forget")
            if self.keyboard is None:
                effects.append("quick_exit")
        return tuple(effects)


async def test_every_script_in_every_language_over_viber(
    viber_server: ServerProcess,
    fake: FakeViberAPI,
    hotline: HotlineInbox,
    http: aiohttp.ClientSession,
    flows: Flows,
    languages: list[str],
) -> None:
    scripts = load_scripts()
    for language in languages:
        for script in scripts:
            driver = ViberDriver(viber_server, fake, http, flows, hotline)
            await run_script(script, flows, language, driver)


async def test_keyboards_use_only_what_their_min_api_version_allows(
    viber_server: ServerProcess, fake: FakeViberAPI, http: aiohttp.ClientSession
) -> None:
    user = new_user()
    await post(http, viber_server, started(user, "en"))
    await post(http, viber_server, message(user, encode_choice("welcome.menu", "talk")))

    sent = sends_to(fake, user)
    assert sent
    assert all(body["min_api_version"] == 1 for body in sent)
    assert all(call.response["status"] == 0 for call in fake.calls if call.body in sent)


async def test_wrong_or_missing_signature_is_403_and_nothing_is_sent(
    viber_server: ServerProcess, fake: FakeViberAPI, http: aiohttp.ClientSession
) -> None:
    user = new_user()
    calls_before = len(fake.calls)
    event = message(user, "hello")

    wrong = await post(http, viber_server, event, signature=sign(b"other body", TOKEN))
    missing = await post(http, viber_server, event, signature="")
    other_key = await post(http, viber_server, event, signature=sign(encode_event(event), "x"))
    not_hex = await post(http, viber_server, event, signature="ž" * 64)

    assert [wrong.status, missing.status, other_key.status, not_hex.status] == [403] * 4
    assert len(fake.calls) == calls_before
    assert session_rows(viber_server.data_dir, "viber", user) == 0


async def test_body_over_the_limit_is_413_before_any_parsing(
    viber_server: ServerProcess, fake: FakeViberAPI, http: aiohttp.ClientSession
) -> None:
    calls_before = len(fake.calls)
    event = message(new_user(), "x" * MAX_CALLBACK_BYTES)
    body = encode_event(event)

    declared = await post(http, viber_server, event)
    headers = {SIGNATURE_HEADER: sign(body, TOKEN), "Content-Type": "application/json"}

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    url = f"{viber_server.url}/viber"
    async with http.post(url, data=chunks(), headers=headers) as response:
        chunked = response.status

    assert (declared.status, chunked) == (413, 413)
    assert len(fake.calls) == calls_before


async def test_signed_body_just_under_the_limit_arriving_in_pieces_is_read_whole(
    viber_server: ServerProcess, fake: FakeViberAPI, http: aiohttp.ClientSession
) -> None:
    user = new_user()
    event = message(user, "y")
    event["padding"] = "p" * (MAX_CALLBACK_BYTES - len(encode_event(event)) - 20)
    body = encode_event(event)
    assert len(body) <= MAX_CALLBACK_BYTES
    headers = {SIGNATURE_HEADER: sign(body, TOKEN), "Content-Type": "application/json"}

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 1000):
            await asyncio.sleep(0)
            yield body[start : start + 1000]

    async with http.post(f"{viber_server.url}/viber", data=chunks(), headers=headers) as response:
        assert response.status == 200
    assert len(sends_to(fake, user)) == 1


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"", b"\xff\xfe\x00", b"[" * 20_000, b"1" * 5000, b"[1, 2]", b'"event"'],
    ids=["broken", "empty", "not utf-8", "deep nesting", "huge number", "array", "string"],
)
async def test_signed_malformed_json_is_400(
    viber_server: ServerProcess, fake: FakeViberAPI, http: aiohttp.ClientSession, body: bytes
) -> None:
    calls_before = len(fake.calls)
    answer = await post(http, viber_server, body)
    assert answer.status == 400
    assert len(fake.calls) == calls_before


@pytest.mark.parametrize("name", ["webhook", "subscribed", "delivered", "seen", "failed"])
async def test_events_without_a_reply_are_200_and_send_nothing(
    viber_server: ServerProcess, fake: FakeViberAPI, http: aiohttp.ClientSession, name: str
) -> None:
    calls_before = len(fake.calls)
    answer = await post(http, viber_server, load_fixture(name))
    assert (answer.status, answer.body) == (200, b"")
    assert len(fake.calls) == calls_before


async def test_conversation_started_answers_one_welcome_in_the_response(
    viber_server: ServerProcess, fake: FakeViberAPI, http: aiohttp.ClientSession
) -> None:
    user = new_user()
    answer = await post(http, viber_server, started(user, "en-reflection"))

    welcome = answer.json()
    assert answer.status == 200
    assert set(welcome) == {"min_api_version", "sender", "type", "text", "keyboard"}
    assert welcome["keyboard"]["Type"] == "keyboard"
    assert decode_choice(welcome["keyboard"]["Buttons"][0]["ActionBody"]).node == (  # type: ignore[union-attr]
        "reflection.start"
    )
    assert sends_to(fake, user) == []


async def test_a_farsi_phone_gets_the_first_screen_in_farsi(
    viber_server: ServerProcess, flows: Flows, http: aiohttp.ClientSession
) -> None:
    answer = await post(http, viber_server, started(new_user(), None, phone_language="fa"))

    welcome = answer.json()
    # Farsi is a draft: its first screen says so once, in front of the text.
    draft = flows.text("fa", flows.navigation.notices["draft"]).value
    screen = render(flows, flows.navigation.start, "fa").messages[0].text
    assert welcome["text"] == f"{draft}\n\n{screen}"
    first = welcome["keyboard"]["Buttons"][0]["ActionBody"]
    assert decode_choice(first) == ChoiceToken(flows.navigation.start, "@fa")


async def test_duplicate_message_token_is_answered_once(
    viber_server: ServerProcess, fake: FakeViberAPI, http: aiohttp.ClientSession
) -> None:
    user = new_user()
    await post(http, viber_server, started(user, "en"))
    event = message(user, encode_choice("welcome.menu", "rights"))

    first = await post(http, viber_server, event)
    again = await post(http, viber_server, event)

    assert (first.status, again.status) == (200, 200)
    assert len(sends_to(fake, user)) == 1


async def test_duplicate_message_token_is_answered_once_across_a_restart(
    tmp_path: Path, fake: FakeViberAPI
) -> None:
    user = new_user()
    env = {"PUTOKAZ_VIBER_TOKEN": TOKEN, "PUTOKAZ_VIBER_API_URL": fake.base_url}
    server = ServerProcess(tmp_path / "data", env=env)
    event = message(user, "hello")
    with server:
        async with aiohttp.ClientSession() as http:
            await post(http, server, event)
    with server:
        async with aiohttp.ClientSession() as http:
            again = await post(http, server, event)
            fresh = await post(http, server, message(user, "hello"))

    assert (again.status, fresh.status) == (200, 200)
    assert len(sends_to(fake, user)) == 2


async def test_a_reply_viber_cannot_take_yet_is_503_and_answered_when_redelivered(
    viber_server: ServerProcess, fake: FakeViberAPI, http: aiohttp.ClientSession
) -> None:
    user = new_user()
    await post(http, viber_server, started(user, "en"))
    event = message(user, encode_choice("welcome.menu", "rights"))
    fake.fail("send_message", 12, times=3)  # rate limited on every try
    try:
        first = await post(http, viber_server, event)
        assert first.status == 503, "Viber redelivers a callback only when it gets no 200"
        assert sends_to(fake, user) == []
        again = await post(http, viber_server, event)
        duplicate = await post(http, viber_server, event)
    finally:
        fake.reset_faults()

    assert (again.status, duplicate.status) == (200, 200)
    assert len(sends_to(fake, user)) == 1


async def test_concurrent_duplicates_of_one_callback_are_answered_once(
    viber_server: ServerProcess, fake: FakeViberAPI, http: aiohttp.ClientSession
) -> None:
    user = new_user()
    await post(http, viber_server, started(user, "en"))
    event = message(user, encode_choice("welcome.menu", "rights"))
    fake.delay("send_message", 0.05)
    try:
        answers = await asyncio.gather(*(post(http, viber_server, event) for _ in range(5)))
    finally:
        fake.reset_faults()

    assert [a.status for a in answers] == [200] * 5
    assert len(sends_to(fake, user)) == 1


async def test_unsubscribed_deletes_the_session_row(
    viber_server: ServerProcess, http: aiohttp.ClientSession
) -> None:
    user = new_user()
    await post(http, viber_server, started(user, "en"))
    total = session_rows(viber_server.data_dir, "viber")
    assert session_rows(viber_server.data_dir, "viber", user) == 1

    event = load_fixture("unsubscribed") | {"user_id": user, "message_token": next_token()}
    answer = await post(http, viber_server, event)

    assert answer.status == 200
    assert session_rows(viber_server.data_dir, "viber", user) == 0
    assert session_rows(viber_server.data_dir, "viber") == total - 1


@pytest.mark.parametrize(
    ("status", "reason"), [(6, "receiverNotSubscribed"), (5, "receiverNotRegistered")]
)
async def test_receiver_gone_on_send_drops_the_session(
    viber_server: ServerProcess,
    fake: FakeViberAPI,
    http: aiohttp.ClientSession,
    status: int,
    reason: str,
) -> None:
    user = new_user()
    await post(http, viber_server, started(user, "en"))
    fake.fail("send_message", status, times=1)
    try:
        answer = await post(http, viber_server, message(user, "hello"))
    finally:
        fake.reset_faults()

    assert answer.status == 200
    assert session_rows(viber_server.data_dir, "viber", user) == 0
    line = f"event=viber_send_failed channel=viber method=send_message kind=viber status={status}"
    assert f"{line} reason={reason}" in viber_server.log_file.read_text()


async def test_rate_limit_is_retried_and_the_reply_arrives(
    viber_server: ServerProcess, fake: FakeViberAPI, http: aiohttp.ClientSession
) -> None:
    user = new_user()
    await post(http, viber_server, started(user, "en"))
    fake.fail("send_message", 12, times=1)
    try:
        answer = await post(
            http, viber_server, message(user, encode_choice("welcome.menu", "talk"))
        )
    finally:
        fake.reset_faults()

    assert answer.status == 200
    assert len(sends_to(fake, user)) == 1
    assert session_rows(viber_server.data_dir, "viber", user) == 1
    assert (
        "event=viber_retry method=send_message reason=tooManyRequests status=12 wait=0.5 attempt=1"
        in (viber_server.log_file.read_text())
    )


def garbled_events(count: int, seed: int = 20260101) -> Iterator[bytes]:
    """Fixtures broken in every way a sender might: wrong types, missing keys, junk text."""
    rng = random.Random(seed)
    fixtures = [load_fixture(name) for name in FIXTURES]
    raw_junk = [
        b"{",
        b"null",
        b"[]",
        b"{}",
        b'{"event": ' + b"[" * 3000 + b"]" * 3000 + b"}",
        b'{"event": "message", "message_token": ' + b"9" * 4400 + b"}",
        bytes(rng.randrange(256) for _ in range(200)),
        b'{"event": "message"}\xff',
    ]
    for _ in range(count):
        if rng.random() < 0.08:
            yield rng.choice(raw_junk)
            continue
        event = copy.deepcopy(rng.choice(fixtures))
        if rng.random() < 0.8:
            # A fresh delivery id, so most events get past the duplicate check.
            event["message_token"] = rng.randrange(10**18, 10**19)
        for _ in range(rng.randint(1, 4)):
            _mutate(event, rng)
        yield json.dumps(event, ensure_ascii=rng.random() < 0.5 or _has_surrogate(event)).encode(
            "utf-8", "surrogatepass"
        )


def _junk(rng: random.Random) -> Any:
    choices: list[Any] = [
        None,
        True,
        False,
        0,
        -1,
        2**70,
        1.5,
        float("nan"),
        "",
        " ",
        "x" * rng.randint(1000, 20_000),
        _unicode_junk(rng),
        [],
        {},
        [_unicode_junk(rng)],
        {"id": _unicode_junk(rng)},
        [[[[["deep"]]]]],
        "1|welcome.menu|rights",
        "1|rights.start|../../etc/passwd",
        "/forget",
        "/EXIT ",
        "https://example.org/",
        "٣٣٣",
        "01234567890A=planted",
    ]
    return rng.choice(choices)


def _unicode_junk(rng: random.Random) -> str:
    ranges = [(0, 0x1F), (0x202A, 0x202E), (0x2066, 0x2069), (0x0600, 0x06FF), (0x0300, 0x036F)]
    ranges += [(0x1F300, 0x1F64F), (0xD800, 0xDFFF), (0xFFF0, 0xFFFF), (0x4E00, 0x4E50)]
    return "".join(chr(rng.randint(*rng.choice(ranges))) for _ in range(rng.randint(1, 60)))


def _paths(value: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found.append((*prefix, key))
            found.extend(_paths(inner, (*prefix, key)))
    return found


def _mutate(event: dict[str, Any], rng: random.Random) -> None:
    paths = _paths(event) or [("event",)]
    *parents, last = rng.choice(paths)
    target: Any = event
    for key in parents:
        target = target[key] if isinstance(target, dict) else None
    if not isinstance(target, dict):
        return
    roll = rng.random()
    if roll < 0.25:
        target.pop(last, None)
    elif roll < 0.45:
        target[last] = rng.choice(["message", "conversation_started", "unsubscribed", "webhook"])
        if rng.random() < 0.5:
            event["event"] = target[last]
    elif roll < 0.55:
        target[_unicode_junk(rng)] = _junk(rng)
    else:
        target[last] = _junk(rng)


def _has_surrogate(value: Any) -> bool:
    text = json.dumps(value)
    return "\\ud8" in text or "\\ud9" in text or "\\uda" in text or "\\udb" in text


async def test_a_thousand_garbled_signed_events_never_break_the_server(
    viber_server: ServerProcess, http: aiohttp.ClientSession
) -> None:
    limit = asyncio.Semaphore(8)

    async def send(body: bytes) -> int:
        async with limit:
            return int((await post(http, viber_server, body)).status)

    statuses = await asyncio.gather(*(send(body) for body in garbled_events(1000)))

    assert all(status < 500 for status in statuses), sorted(set(statuses))
    assert {200, 400} <= set(statuses)
    logs = viber_server.log_file.read_text() + viber_server.stderr()
    assert "Traceback" not in logs
    assert "Error handling request" not in logs


async def test_nothing_of_the_viber_user_is_kept_after_a_full_conversation(
    viber_server: ServerProcess, fake: FakeViberAPI, http: aiohttp.ClientSession
) -> None:
    """Runs last: the scan also covers everything the earlier tests sent this server."""

    def fixture(name: str) -> dict[str, Any]:
        return load_fixture(name) | {"message_token": next_token()}

    user = load_fixture("conversation_started")["user"]
    typed = load_fixture("message_text")["message"]["text"]
    sent_before = len(sends_to(fake, user["id"]))
    welcome = (await post(http, viber_server, fixture("conversation_started"))).json()
    tap = fixture("message_text")
    tap["message"] = {"type": "text", "text": welcome["keyboard"]["Buttons"][0]["ActionBody"]}
    for event in (
        fixture("subscribed"),
        tap,
        fixture("message_text"),
        fixture("message_keyboard_reply"),
        fixture("delivered"),
        fixture("seen"),
        fixture("failed"),
    ):
        assert (await post(http, viber_server, event)).status == 200
    assert len(sends_to(fake, user["id"])) == sent_before + 3
    assert session_rows(viber_server.data_dir, "viber", user["id"]) == 1

    secrets = [
        user["id"],
        user["name"],
        user["avatar"],
        json.dumps(user),
        json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        typed,
        "zebra-42",
    ]
    files = sorted(p.name for p in viber_server.data_dir.iterdir())
    assert {"putokaz.db", "putokaz.db-wal", "server.log"} <= set(files)
    assert find_leaks([viber_server.data_dir], secrets) == []
