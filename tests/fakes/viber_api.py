"""Local fake of the Viber REST bot API (https://chatapi.viber.com/pa), served over real HTTP.
It records calls, validates bodies like Viber, injects faults, and builds signed callbacks."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web

from tests.fakes.chance import fires
from tests.fakes.threaded import LocalServer

if TYPE_CHECKING:
    from aiohttp.test_utils import TestClient
    from multidict import CIMultiDictProxy

AUTH_HEADER = "X-Viber-Auth-Token"
SIGNATURE_HEADER = "X-Viber-Content-Signature"
CHAT_HOSTNAME = "SN-CHAT-01_"
FIRST_MESSAGE_TOKEN = 5_741_311_803_571_721_087
MAX_BODY_BYTES = 30 * 1024
MAX_TEXT_CHARS = 7000
MAX_TRACKING_DATA_CHARS = 4000
MAX_SENDER_NAME_CHARS = 28
MAX_BUTTON_TEXT_CHARS = 250
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "viber"

METHODS = ("set_webhook", "send_message", "get_account_info", "get_user_details")
MESSAGE_TYPES = frozenset(
    {"text", "picture", "video", "file", "location", "contact", "sticker", "url", "rich_media"}
)
FILTERABLE_EVENTS = (
    "delivered",
    "seen",
    "failed",
    "subscribed",
    "unsubscribed",
    "conversation_started",
)
ACTION_TYPES = frozenset({"reply", "open-url", "location-picker", "share-phone", "none"})
INPUT_FIELD_STATES = frozenset({"regular", "minimized", "hidden"})
KEYBOARD_API_LEVELS = {
    "CustomDefaultHeight": 3,
    "HeightScale": 3,
    "ButtonsGroupColumns": 4,
    "ButtonsGroupRows": 4,
    "InputFieldState": 4,
    "FavoritesMetadata": 6,
}
BUTTON_API_LEVELS = {
    "InternalBrowser": 3,
    "TextPaddings": 4,
    "BgMediaScaleType": 6,
    "ImageScaleType": 6,
    "TextShouldFit": 6,
    "Map": 6,
    "Frame": 6,
    "MediaPlayer": 6,
}


class Status(IntEnum):
    """Viber's status codes (developers.viber.com/docs/api/rest-bot-api/#errorCodes)."""

    OK = 0
    INVALID_URL = 1
    INVALID_AUTH_TOKEN = 2
    BAD_DATA = 3
    MISSING_DATA = 4
    RECEIVER_NOT_REGISTERED = 5
    RECEIVER_NOT_SUBSCRIBED = 6
    PUBLIC_ACCOUNT_BLOCKED = 7
    PUBLIC_ACCOUNT_NOT_FOUND = 8
    PUBLIC_ACCOUNT_SUSPENDED = 9
    WEBHOOK_NOT_SET = 10
    RECEIVER_NO_SUITABLE_DEVICE = 11
    TOO_MANY_REQUESTS = 12
    API_VERSION_NOT_SUPPORTED = 13
    INCOMPATIBLE_WITH_VERSION = 14
    PUBLIC_ACCOUNT_NOT_AUTHORIZED = 15
    INCHAT_REPLY_MESSAGE_NOT_ALLOWED = 16
    PUBLIC_ACCOUNT_IS_NOT_INLINE = 17
    NO_PUBLIC_CHAT = 18
    CANNOT_SEND_BROADCAST = 19
    BROADCAST_NOT_ALLOWED = 20
    UNSUPPORTED_COUNTRY = 21
    PAYMENT_UNSUPPORTED = 22
    FREE_MESSAGES_EXCEEDED = 23
    NO_BALANCE = 24

    @property
    def message(self) -> str:
        """The camelCase status_message Viber sends, e.g. "invalidAuthToken"."""
        head, *rest = self.name.lower().split("_")
        return head + "".join(word.title() for word in rest)


@dataclass(frozen=True)
class Call:
    """One request the fake received (time is time.monotonic()) and the answer it gave."""

    path: str
    body: dict[str, Any]
    headers: dict[str, str]
    time: float
    response: dict[str, Any] = field(default_factory=dict)
    http_status: int = 200


@dataclass(frozen=True)
class ViberUser:
    """A Viber user known to the fake, as get_user_details describes one."""

    id: str
    name: str = "Test User"
    avatar: str = "https://avatar.example/test-user.jpg"
    country: str = "RS"
    language: str = "en"
    api_version: int = 10
    subscribed: bool = True


@dataclass(frozen=True)
class CallbackReply:
    """What a bot's webhook answered to a posted callback."""

    status: int
    body: bytes

    def json(self) -> Any:
        """The answer body parsed as JSON."""
        return json.loads(self.body)


@dataclass
class _Fault:
    method: str | None
    status: int
    http_status: int
    times: int | None
    ratio: float | None
    rng: random.Random

    def fires(self, method: str) -> bool:
        """Whether a call of `method` is hit; counts down `times` only when it is."""
        return self.method in (None, method) and fires(self)


@dataclass
class _Trouble:
    """A seeded share of calls whose connection is dropped, or answered only after `hang` s."""

    method: str | None
    hang: float | None
    times: int | None
    ratio: float | None
    rng: random.Random

    def fires(self, method: str) -> bool:
        """Whether a call of `method` is hit; counts down `times` only when it is."""
        return self.method in (None, method) and fires(self)


def status_body(status: int, message: str | None = None) -> dict[str, Any]:
    """The JSON Viber answers with for a status code."""
    if message is None:
        try:
            message = Status(status).message
        except ValueError:
            message = "generalError"
    return {"status": int(status), "status_message": message}


def keyboard_api_level(keyboard: dict[str, Any]) -> int:
    """The lowest min_api_version whose documented keyboard parameters cover this keyboard."""
    levels = [KEYBOARD_API_LEVELS.get(key, 1) for key in keyboard]
    for button in keyboard.get("Buttons") or []:
        if isinstance(button, dict):
            levels += [BUTTON_API_LEVELS.get(key, 1) for key in button]
    return max(levels, default=1)


def send_status(body: dict[str, Any]) -> Status:
    """The status Viber gives a send_message body, before looking at the receiver."""
    for check in (_sender_status, _options_status, _content_status):
        status = check(body)
        if status != Status.OK:
            return status
    return Status.OK


def _sender_status(body: dict[str, Any]) -> Status:
    receiver, sender = body.get("receiver"), body.get("sender")
    if not receiver or not isinstance(sender, dict) or not sender.get("name"):
        return Status.MISSING_DATA
    if not isinstance(receiver, str) or not isinstance(sender["name"], str):
        return Status.BAD_DATA
    return Status.OK if len(sender["name"]) <= MAX_SENDER_NAME_CHARS else Status.BAD_DATA


def _options_status(body: dict[str, Any]) -> Status:
    version = body.get("min_api_version", 1)
    tracking = body.get("tracking_data", "")
    if not _is_int(version) or version < 1 or not isinstance(tracking, str):
        return Status.BAD_DATA
    return Status.OK if len(tracking) <= MAX_TRACKING_DATA_CHARS else Status.BAD_DATA


def _content_status(body: dict[str, Any]) -> Status:
    kind, keyboard = body.get("type"), body.get("keyboard")
    if kind is None and keyboard is None:
        return Status.MISSING_DATA
    if kind is not None and kind not in MESSAGE_TYPES:
        return Status.BAD_DATA
    if kind == "text":
        status = _text_status(body.get("text"))
        if status != Status.OK:
            return status
    if keyboard is None:
        return Status.OK
    return _keyboard_status(keyboard, body.get("min_api_version", 1))


def _text_status(text: Any) -> Status:
    if not text:
        return Status.MISSING_DATA
    if not isinstance(text, str) or len(text) > MAX_TEXT_CHARS:
        return Status.BAD_DATA
    return Status.OK


def _keyboard_status(keyboard: Any, min_api_version: int) -> Status:
    if not isinstance(keyboard, dict) or keyboard.get("Type") != "keyboard":
        return Status.BAD_DATA
    buttons = keyboard.get("Buttons")
    if buttons is None:
        return Status.MISSING_DATA
    if not isinstance(buttons, list) or not buttons:
        return Status.BAD_DATA
    if keyboard.get("InputFieldState", "regular") not in INPUT_FIELD_STATES:
        return Status.BAD_DATA
    for button in buttons:
        status = _button_status(button)
        if status != Status.OK:
            return status
    if keyboard_api_level(keyboard) > min_api_version:
        return Status.INCOMPATIBLE_WITH_VERSION
    return Status.OK


def _button_status(button: Any) -> Status:
    if not isinstance(button, dict):
        return Status.BAD_DATA
    if "ActionBody" not in button:
        return Status.MISSING_DATA
    text = button.get("Text", "")
    if (
        button.get("ActionType", "reply") not in ACTION_TYPES
        or not isinstance(button["ActionBody"], str)
        or not _within(button.get("Columns", 6), 1, 6)
        or not _within(button.get("Rows", 1), 1, 2)
        or not isinstance(text, str)
        or len(text) > MAX_BUTTON_TEXT_CHARS
    ):
        return Status.BAD_DATA
    return Status.OK


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _within(value: Any, low: int, high: int) -> bool:
    return _is_int(value) and low <= value <= high


def _method(path: str | None) -> str | None:
    return None if path is None else path.rstrip("/").rsplit("/", 1)[-1]


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


class FakeViberAPI(LocalServer):
    """The Viber REST bot API on 127.0.0.1 and a free port; base_url ends in /pa.

    Start it with `async with FakeViberAPI(auth_token=...) as fake:` or, from sync tests,
    `with fake.run_in_thread():`. Every request needs header X-Viber-Auth-Token; without it
    the answer is status 2 "missing_auth_token", with a wrong one status 2 "invalidAuthToken"
    (HTTP 200, as Viber does). A body over 30 KB, or not a JSON object, is status 3 badData.

    send_message: receiver and sender.name are required (4 missingData); sender.name over 28
    characters, tracking_data over 4000, text over 7000, an unknown type, or a keyboard that
    is not {"Type": "keyboard", "Buttons": [...]} with valid buttons (ActionBody required,
    Columns 1-6, Rows 1-2, Text up to 250 characters) is 3 badData. Viber checks some of
    these only on the phone and then sends a failed callback, and its older docs leave
    "Type" out; the fake refuses at once, so the bot stays within every documented form.
    min_api_version rule: each keyboard or button parameter has the api level the keyboard
    docs give it (KEYBOARD_API_LEVELS, BUTTON_API_LEVELS; unlisted ones are level 1); if the
    highest level used is above min_api_version (default 1) the answer is Viber's
    14 incompatibleWithVersion. With users added (add_user), a receiver not among them is
    5, an unsubscribed one 6, one whose api_version is below min_api_version 13; with none
    added, every receiver is accepted.

    set_webhook: no url is 4, a url that is not http(s) with a host is 1 (https only with
    require_https), an event type Viber does not know is 3; "" removes the webhook. With
    check_webhook the fake first posts a signed "webhook" callback there, as Viber does,
    and answers 1 unless it gets HTTP 200. Faults from fail() answer before any check.
    """

    thread_name = "fake-viber-api"

    def __init__(
        self,
        auth_token: str,
        *,
        account_name: str = "Putokaz",
        check_webhook: bool = False,
        require_https: bool = False,
    ) -> None:
        self.auth_token = auth_token
        self.account_name = account_name
        self.check_webhook = check_webhook
        self.require_https = require_https
        self.calls: list[Call] = []
        self.users: dict[str, ViberUser] = {}
        self.webhook = ""
        self.event_types: list[str] = []
        self.send_name: bool | None = None
        self.send_photo: bool | None = None
        """What the last set_webhook asked about the person's name and photo (None: not
        said, Viber's own default applies)."""
        self.port = 0
        self._faults: list[_Fault] = []
        self._delays: dict[str | None, float] = {}
        self._troubles: list[_Trouble] = []
        self._next_token = FIRST_MESSAGE_TOKEN
        self._lock = threading.Lock()
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        """The API root to configure as PUTOKAZ_VIBER_API_URL."""
        return f"http://127.0.0.1:{self.port}/pa"

    async def start(self) -> None:
        """Bind 127.0.0.1 on a free port and serve."""
        app = web.Application()
        for method in METHODS:
            app.router.add_post(f"/pa/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        """Stop serving; calls stay recorded."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def add_user(self, user_id: str, **details: Any) -> ViberUser:
        """Make a user known; from then on only known users can receive messages."""
        user = ViberUser(user_id, **details)
        with self._lock:
            self.users[user_id] = user
        return user

    def fail(
        self,
        path: str | None,
        status: int,
        *,
        times: int | None = None,
        ratio: float | None = None,
        http_status: int = 200,
        seed: int = 0,
    ) -> None:
        """Answer matching calls with `status` and `http_status` before any other check.

        `path` is a method ("send_message") or path ("/pa/send_message"); None matches all.
        `times` caps how many calls fail; `ratio` fails that share of matching calls, drawn
        from random.Random(seed); with neither, every matching call fails.
        """
        fault = _Fault(_method(path), status, http_status, times, ratio, random.Random(seed))
        with self._lock:
            self._faults.append(fault)

    def delay(self, path: str | None, seconds: float) -> None:
        """Wait `seconds` before answering matching calls (None matches all)."""
        with self._lock:
            self._delays[_method(path)] = seconds

    def drop(
        self,
        path: str | None,
        *,
        times: int | None = None,
        ratio: float | None = None,
        seed: int = 0,
    ) -> None:
        """Close the connection of matching calls (a share, or `times`) without an answer,
        before the call has any effect: the client sees a dropped connection."""
        trouble = _Trouble(_method(path), None, times, ratio, random.Random(seed))
        with self._lock:
            self._troubles.append(trouble)

    def hang(
        self,
        path: str | None,
        seconds: float,
        *,
        times: int | None = None,
        ratio: float | None = None,
        seed: int = 0,
    ) -> None:
        """Wait `seconds` before answering a share (or `times`) of matching calls; a client
        that gives up first (a timeout) finds the call had no effect."""
        trouble = _Trouble(_method(path), seconds, times, ratio, random.Random(seed))
        with self._lock:
            self._troubles.append(trouble)

    def reset_faults(self) -> None:
        """Forget every fail(), delay(), drop() and hang()."""
        with self._lock:
            self._faults.clear()
            self._delays.clear()
            self._troubles.clear()

    def sends(self) -> list[Call]:
        """send_message calls that Viber would have accepted, oldest first."""
        with self._lock:
            calls = list(self.calls)
        return [
            call
            for call in calls
            if call.path == "/pa/send_message" and call.response.get("status") == Status.OK
        ]

    def sent_texts(self, receiver: str | None = None) -> list[str]:
        """Texts of accepted text messages, optionally to one receiver."""
        return [
            call.body["text"]
            for call in self._sends_to(receiver)
            if call.body.get("type") == "text"
        ]

    def keyboards(self, receiver: str | None = None) -> list[dict[str, Any]]:
        """Keyboards of accepted messages, optionally to one receiver."""
        return [
            call.body["keyboard"] for call in self._sends_to(receiver) if "keyboard" in call.body
        ]

    def clear(self) -> None:
        """Forget recorded calls."""
        with self._lock:
            self.calls.clear()

    def _sends_to(self, receiver: str | None) -> list[Call]:
        return [c for c in self.sends() if receiver is None or c.body.get("receiver") == receiver]

    async def _handle(self, request: web.Request) -> web.Response:
        arrived = time.monotonic()
        method = request.path.rsplit("/", 1)[-1]
        raw = await request.read()
        pause = self._delay_for(method)
        if pause:
            await asyncio.sleep(pause)
        trouble = self._trouble_for(method)
        if trouble is not None:
            if trouble.hang is not None:
                await asyncio.sleep(trouble.hang)
            if trouble.hang is None or request.transport is None or request.transport.is_closing():
                if request.transport is not None:
                    request.transport.abort()
                return web.Response(status=499)  # never written: the connection is gone
        http_status, reply = await self._answer(method, raw, request.headers)
        headers = dict(request.headers)
        call = Call(request.path, _parse(raw) or {}, headers, arrived, reply, http_status)
        with self._lock:
            self.calls.append(call)
        return web.json_response(reply, status=http_status)

    async def _answer(
        self, method: str, raw: bytes, headers: CIMultiDictProxy[str]
    ) -> tuple[int, dict[str, Any]]:
        fault = self._fault_for(method)
        if fault is not None:
            return fault.http_status, status_body(fault.status)
        token = headers.get(AUTH_HEADER)
        if token is None:
            return 200, status_body(Status.INVALID_AUTH_TOKEN, "missing_auth_token")
        if token != self.auth_token:
            return 200, status_body(Status.INVALID_AUTH_TOKEN)
        body = _parse(raw) if len(raw) <= MAX_BODY_BYTES else None
        if body is None:
            return 200, status_body(Status.BAD_DATA)
        if method == "set_webhook":
            return 200, await self._set_webhook(body)
        if method == "send_message":
            return 200, self._send_message(body)
        if method == "get_user_details":
            return 200, self._user_details(body)
        return 200, self._account_info()

    def _fault_for(self, method: str) -> _Fault | None:
        with self._lock:
            return next((fault for fault in self._faults if fault.fires(method)), None)

    def _trouble_for(self, method: str) -> _Trouble | None:
        with self._lock:
            return next((t for t in self._troubles if t.fires(method)), None)

    def _delay_for(self, method: str) -> float:
        with self._lock:
            return self._delays.get(method, self._delays.get(None, 0.0))

    async def _set_webhook(self, body: dict[str, Any]) -> dict[str, Any]:
        url = body.get("url")
        event_types = body.get("event_types", list(FILTERABLE_EVENTS))
        if url is None:
            return status_body(Status.MISSING_DATA)
        if not isinstance(url, str) or not _known_events(event_types):
            return status_body(Status.BAD_DATA)
        send_name, send_photo = body.get("send_name"), body.get("send_photo")
        if any(v is not None and not isinstance(v, bool) for v in (send_name, send_photo)):
            return status_body(Status.BAD_DATA)
        if url and not await self._webhook_answers(url):
            return status_body(Status.INVALID_URL)
        with self._lock:
            self.webhook, self.event_types = url, list(event_types) if url else []
            self.send_name, self.send_photo = send_name, send_photo
        if not url:
            return status_body(Status.OK)
        return {**status_body(Status.OK), "event_types": event_types}

    async def _webhook_answers(self, url: str) -> bool:
        parts = urllib.parse.urlsplit(url)
        schemes = ("https",) if self.require_https else ("http", "https")
        if parts.scheme not in schemes or not parts.hostname:
            return False
        if not self.check_webhook:
            return True
        event = {"event": "webhook", "timestamp": int(time.time() * 1000)}
        event |= {"chat_hostname": CHAT_HOSTNAME, "message_token": self._take_token()}
        try:
            reply = await post_callback(url, event, self.auth_token)
        except (aiohttp.ClientError, TimeoutError):
            return False
        return reply.status == 200

    def _send_message(self, body: dict[str, Any]) -> dict[str, Any]:
        status = send_status(body) or self._receiver_status(body)
        if status != Status.OK:
            return status_body(status)
        token = self._take_token()
        return {**status_body(Status.OK), "message_token": token, "chat_hostname": CHAT_HOSTNAME}

    def _receiver_status(self, body: dict[str, Any]) -> Status:
        with self._lock:
            if not self.users:
                return Status.OK
            user = self.users.get(body["receiver"])
        if user is None:
            return Status.RECEIVER_NOT_REGISTERED
        if not user.subscribed:
            return Status.RECEIVER_NOT_SUBSCRIBED
        if user.api_version < body.get("min_api_version", 1):
            return Status.API_VERSION_NOT_SUPPORTED
        return Status.OK

    def _user_details(self, body: dict[str, Any]) -> dict[str, Any]:
        if "id" not in body:
            return status_body(Status.MISSING_DATA)
        with self._lock:
            user = self.users.get(body["id"])
        if user is None:
            return status_body(Status.RECEIVER_NOT_REGISTERED)
        details = {
            "id": user.id,
            "name": user.name,
            "avatar": user.avatar,
            "country": user.country,
            "language": user.language,
            "primary_device_os": "Android 14",
            "api_version": user.api_version,
            "viber_version": "24.0.0.0",
            "mcc": 220,
            "mnc": 1,
            "device_type": "Pixel 8",
        }
        return {**status_body(Status.OK), "chat_hostname": CHAT_HOSTNAME, "user": details}

    def _account_info(self) -> dict[str, Any]:
        with self._lock:
            webhook, event_types = self.webhook, list(self.event_types)
            subscribers = sum(user.subscribed for user in self.users.values())
        return {
            **status_body(Status.OK),
            "id": "pa:5746789129182457698",
            "name": self.account_name,
            "uri": "putokaz",
            "icon": "https://avatar.example/putokaz-icon.jpg",
            "background": "https://avatar.example/putokaz-background.jpg",
            "category": "Organizations",
            "subcategory": "Non-profit",
            "location": {"lon": 20.4573, "lat": 44.8125},
            "country": "RS",
            "webhook": webhook,
            "event_types": event_types,
            "subscribers_count": subscribers,
            "members": [
                {
                    "id": "01234567890A=admin",
                    "name": "Putokaz Admin",
                    "avatar": "https://avatar.example/admin.jpg",
                    "role": "admin",
                }
            ],
        }

    def _take_token(self) -> int:
        with self._lock:
            token = self._next_token
            self._next_token += 1
        return token


def _known_events(event_types: Any) -> bool:
    known = {*FILTERABLE_EVENTS, "message"}
    return isinstance(event_types, list) and all(event in known for event in event_types)


def sign(body: bytes, auth_token: str) -> str:
    """Hex HMAC-SHA256 of the raw body keyed with the auth token (X-Viber-Content-Signature)."""
    return hmac.new(auth_token.encode("utf-8"), body, hashlib.sha256).hexdigest()


def encode_event(event: dict[str, Any] | bytes) -> bytes:
    """The raw callback body: bytes as given, a dict as UTF-8 JSON."""
    if isinstance(event, bytes):
        return event
    return json.dumps(event, ensure_ascii=False).encode("utf-8")


def callback_headers(body: bytes, auth_token: str, signature: str | None = None) -> dict[str, str]:
    """Headers Viber sends with a callback; signature None signs, "" leaves the header out."""
    headers = {"Content-Type": "application/json"}
    signature = sign(body, auth_token) if signature is None else signature
    if signature:
        headers[SIGNATURE_HEADER] = signature
    return headers


async def post_callback(
    target: str | aiohttp.ClientSession | TestClient[Any, Any],
    event: dict[str, Any] | bytes,
    auth_token: str,
    *,
    path: str = "/viber",
    signature: str | None = None,
) -> CallbackReply:
    """POST a signed callback as Viber does: to a full URL, or to `path` on a client."""
    body = encode_event(event)
    headers = callback_headers(body, auth_token, signature)
    if isinstance(target, str):
        async with aiohttp.ClientSession() as session:
            return await _post(session, target, body, headers)
    return await _post(target, path, body, headers)


async def _post(
    client: aiohttp.ClientSession | TestClient[Any, Any],
    url: str,
    body: bytes,
    headers: dict[str, str],
) -> CallbackReply:
    async with client.post(url, data=body, headers=headers) as response:
        return CallbackReply(response.status, await response.read())


def post_callback_sync(
    url: str,
    event: dict[str, Any] | bytes,
    auth_token: str,
    *,
    signature: str | None = None,
    timeout: float = 10.0,
) -> CallbackReply:
    """post_callback for sync tests, with urllib; a non-2xx answer is returned, not raised."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"callback URL {url!r} must start with http:// or https://")
    body = encode_event(event)
    request = urllib.request.Request(  # noqa: S310 - scheme checked just above
        url, data=body, headers=callback_headers(body, auth_token, signature), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - as above
            return CallbackReply(response.status, response.read())
    except urllib.error.HTTPError as error:
        return CallbackReply(error.code, error.read())


def load_fixture(name: str) -> dict[str, Any]:
    """A Viber callback from tests/fixtures/viber/, e.g. load_fixture("message_text")."""
    path = FIXTURES / f"{name.removesuffix('.json')}.json"
    event: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return event
