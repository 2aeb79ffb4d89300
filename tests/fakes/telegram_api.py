"""Local fake of the Telegram Bot API at /bot<token>/<method>, served over real HTTP on 127.0.0.1.
It validates calls like api.telegram.org, records them, serves queued updates, injects faults."""

from __future__ import annotations

import asyncio
import json
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Self, TypeVar
from urllib.parse import urlsplit

from aiohttp import web

from tests.fakes.chance import fires
from tests.fakes.threaded import LocalServer

JSON = dict[str, Any]
T = TypeVar("T")

MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_DELETED_MESSAGES = 100
MAX_UPDATES_LIMIT = 100
LONG_POLL_MAX_TIMEOUT = 50
MAX_SECRET_TOKEN_LENGTH = 256
UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
        "managed_bot",
        "guest_message",
    }
)
DEFAULT_ALLOWED_UPDATES = UPDATE_TYPES - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}
CHAT_ACTIONS = frozenset(
    {
        "cancel",
        "typing",
        "record_video",
        "upload_video",
        "record_audio",
        "record_voice",
        "upload_audio",
        "upload_voice",
        "upload_photo",
        "upload_document",
        "choose_sticker",
        "pick_up_location",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
PARSE_MODES = frozenset({"", "none", "markdown", "markdownv2", "html"})
BUTTON_URL_SCHEMES = frozenset({"http", "https", "tg", "ton"})
OTHER_BUTTON_ACTIONS = (
    "callback_game",
    "pay",
    "switch_inline_query",
    "switch_inline_query_chosen_chat",
    "switch_inline_query_current_chat",
    "login_url",
    "web_app",
    "copy_text",
)
COMMAND_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
MENU_BUTTON_TYPES = frozenset({"default", "commands", "web_app"})
WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
# Telegram reads these form fields as plain strings; every other field holds JSON or a number.
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "action",
        "language_code",
        "secret_token",
        "ip_address",
        "business_connection_id",
        "message_effect_id",
        "description",
        "short_description",
        "name",
        "title",
        "emoji",
        "file_id",
    }
)
OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: OTHER_POLL,
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_ID_INVALID = "query is too old and response timeout expired or query ID is invalid"
UNSUPPORTED_URL = "Unsupported URL protocol"
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
INTEGER = re.compile(r"-?\d+")
COMMAND = re.compile(r"[a-z0-9_]{1,32}")
URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):(?!\d)")
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]*")
ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(slots=True)
class Call:
    """One request: canonical method, decoded params, time.monotonic() of arrival, HTTP status.

    The status is 0 while the request is still being answered (e.g. a waiting long poll),
    and stays 0 for one that was never answered (a dropped connection, a client that hung up).
    """

    method: str
    params: dict[str, Any]
    time: float
    status: int = 0


@dataclass(frozen=True, slots=True)
class Described:
    """A successful result that Telegram sends with a description, as setWebhook does."""

    result: Any
    description: str


class ApiError(Exception):
    """An error answer of the Bot API: HTTP status, description and optional retry_after."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> JSON:
        """The JSON body Telegram sends for this error."""
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    """A 400 answer with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(slots=True)
class Fault:
    """An injected error: for every call, for the next `times` calls, or a seeded share."""

    error: ApiError
    times: int | None
    ratio: float | None
    rng: random.Random

    def fires(self) -> bool:
        """Whether this call is hit; counts down `times` only when it is."""
        return fires(self)


@dataclass(slots=True)
class Trouble:
    """A seeded share of calls whose connection is dropped, or answered only after `seconds`."""

    hang: float | None
    """None: close the connection unanswered; else wait this long first."""
    times: int | None
    ratio: float | None
    rng: random.Random

    def fires(self) -> bool:
        """Whether this call is hit; counts down `times` only when it is."""
        return fires(self)


class FakeTelegramAPI(LocalServer):
    """The Bot API for one bot token: `async with FakeTelegramAPI() as fake` or `run_in_thread()`.

    Messages the fake never sent (e.g. one a fixture's callback query points at) are assumed to
    exist; deleted ones are gone. Updates whose type the bot did not allow are dropped when served.
    """

    thread_name = "fake-telegram-api"

    def __init__(
        self,
        token: str = "123:ABC",  # noqa: S107 -- the fake's own token, not a secret
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "putokaz_test_bot",
        bot_first_name: str = "Putokaz",
        chat_first_name: str = "PlantedFirstName",
    ) -> None:
        self.token = token
        self.host = host
        self.port = port
        self.bot_id = _as_int(token.partition(":")[0]) or 1
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.chat_first_name = chat_first_name
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], JSON] = {}
        self.menu_buttons: dict[int | None, JSON] = {}
        self.webhook: JSON = {}
        self._deleted: set[tuple[int, int]] = set()
        self._last_message_ids: dict[int, int] = {}
        self._commands: dict[tuple[str, str, int, str], list[JSON]] = {}
        self._updates: deque[JSON] = deque()
        self._last_update_id = 0
        self._allowed_updates = DEFAULT_ALLOWED_UPDATES
        self._poll_generation = 0
        self._abort_reason = OTHER_POLL
        self._wake = asyncio.Event()
        self._faults: dict[str | None, list[Fault]] = {}
        self._delays: dict[str | None, float] = {}
        self._troubles: dict[str | None, list[Trouble]] = {}
        self._runner: web.BaseRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread = 0
        self._closing = False
        self._methods: dict[str, tuple[str, Callable[[JSON], Any]]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "deleteMessages": self._delete_messages,
                "answerCallbackQuery": self._answer_callback_query,
                "sendChatAction": self._send_chat_action,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "setChatMenuButton": self._set_chat_menu_button,
                "getChatMenuButton": self._get_chat_menu_button,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "getUpdates": self._get_updates,
                "leaveChat": self._leave_chat,
            }.items()
        }

    @property
    def base_url(self) -> str:
        """The value for python-telegram-bot's `base_url`, e.g. http://127.0.0.1:PORT/bot."""
        if self._runner is None:
            raise RuntimeError(
                "FakeTelegramAPI is not started: use `async with FakeTelegramAPI() as fake` "
                "or `with FakeTelegramAPI().run_in_thread() as fake`"
            )
        return f"http://{self.host}:{self.port}/bot"

    @property
    def pending_update_count(self) -> int:
        """How many queued updates getUpdates has not had confirmed yet."""
        return len(self._updates)

    async def start(self) -> Self:
        """Listen on host:port (a free port when 0) in the running event loop."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._closing = False
        self._wake = asyncio.Event()
        server = web.Server(self._handle, handler_cancellation=True, access_log=None)
        self._runner = web.ServerRunner(server, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        """Answer waiting long polls with [] and stop listening."""
        if self._runner is None:
            return
        self._closing = True
        self._wake.set()
        await self._runner.cleanup()
        self._runner = None
        self._loop = None

    def queue_update(self, update: JSON) -> JSON:
        """Queue an update for getUpdates; a missing or stale update_id gets the next one."""
        return self._in_loop(lambda: self._enqueue(update))

    def fail(
        self,
        method: str | None,
        status: int,
        *,
        times: int | None = None,
        ratio: float | None = None,
        retry_after: int | None = None,
        description: str | None = None,
        seed: int = 0,
    ) -> None:
        """Answer `method` (None: every method) with an error, optionally `times` or a `ratio`."""
        if status == 429 and retry_after is None:
            retry_after = 1
        default = DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")
        text = description or default.format(retry_after=retry_after)
        error = ApiError(status, text, retry_after)
        fault = Fault(error, times, ratio, random.Random(seed))
        key = self._method_key(method)
        self._in_loop(lambda: self._faults.setdefault(key, []).append(fault))

    def delay(self, method: str | None, seconds: float) -> None:
        """Wait `seconds` before answering `method` (None: every method)."""
        key = self._method_key(method)
        self._in_loop(lambda: self._delays.update({key: seconds}))

    def drop(
        self,
        method: str | None,
        *,
        times: int | None = None,
        ratio: float | None = None,
        seed: int = 0,
    ) -> None:
        """Close the connection of `method` calls (a share, or `times`) without an answer,
        before the call has any effect: the client sees a dropped connection."""
        self._add_trouble(method, Trouble(None, times, ratio, random.Random(seed)))

    def hang(
        self,
        method: str | None,
        seconds: float,
        *,
        times: int | None = None,
        ratio: float | None = None,
        seed: int = 0,
    ) -> None:
        """Wait `seconds` before answering a share (or `times`) of `method` calls; a client
        that gives up first (a timeout) finds the call had no effect, as Telegram does when
        a request never got through."""
        self._add_trouble(method, Trouble(seconds, times, ratio, random.Random(seed)))

    def _add_trouble(self, method: str | None, trouble: Trouble) -> None:
        key = self._method_key(method)
        self._in_loop(lambda: self._troubles.setdefault(key, []).append(trouble))

    def reset_faults(self) -> None:
        """Remove every injected error, delay, drop and hang."""
        self._in_loop(self._reset_faults)

    def _reset_faults(self) -> None:
        self._faults.clear()
        self._delays.clear()
        self._troubles.clear()

    def calls_to(self, method: str) -> list[Call]:
        """Recorded calls of one method (case-insensitive, as Telegram treats method names)."""
        name = method.lower()
        return [call for call in self.calls if call.method.lower() == name]

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        """Texts of the sendMessage calls that succeeded, optionally only to one chat."""
        return [
            _str(call.params, "text")
            for call in self.calls_to("sendMessage")
            if call.status == 200
            and (chat_id is None or _as_int(call.params.get("chat_id")) == chat_id)
        ]

    def clear(self) -> None:
        """Forget the recorded calls."""
        self._in_loop(self.calls.clear)

    def _in_loop(self, action: Callable[[], T]) -> T:
        loop = self._loop
        if loop is None or threading.get_ident() == self._loop_thread:
            return action()
        return asyncio.run_coroutine_threadsafe(_run(action), loop).result(timeout=10)

    def _method_key(self, method: str | None) -> str | None:
        if method is None:
            return None
        known = self._methods.get(method.lower())
        if known is None:
            raise ValueError(
                f"FakeTelegramAPI does not implement {method!r}; "
                f"use one of: {', '.join(name for name, _ in self._methods.values())}"
            )
        return known[0]

    async def _handle(self, request: web.BaseRequest) -> web.Response:
        route = _route(request.path)
        if route is None:
            return _error_response(ApiError(404, "Not Found"))
        token, name = route
        known = self._methods.get(name.lower())
        try:
            params = await _read_params(request)
        except ApiError as error:
            return _error_response(error)
        call = Call(known[0] if known else name, params, time.monotonic())
        self.calls.append(call)
        trouble = self._trouble(known[0]) if known and self._troubles else None
        if trouble is not None:
            if trouble.hang is None:
                return _hang_up(request)
            await asyncio.sleep(trouble.hang)
            if request.transport is None or request.transport.is_closing():
                return _hang_up(request)  # the client gave up: nothing happened
        try:
            result = await self._answer(token, known, params)
        except ApiError as error:
            call.status = error.status
            return _error_response(error)
        call.status = 200
        return _ok_response(result)

    async def _answer(
        self, token: str, known: tuple[str, Callable[[JSON], Any]] | None, params: JSON
    ) -> Any:
        if token != self.token:
            raise ApiError(401, "Unauthorized")
        if known is None:
            raise ApiError(404, "Not Found")
        method, handler = known
        if self._delays:
            seconds = self._delays.get(method, self._delays.get(None, 0.0))
            await asyncio.sleep(seconds)
        if self._faults:
            self._raise_fault(method)
        result = handler(params)
        if asyncio.iscoroutine(result):
            result = await result
        return result

    def _trouble(self, method: str) -> Trouble | None:
        for key in (method, None):
            for trouble in self._troubles.get(key, ()):
                if trouble.fires():
                    return trouble
        return None

    def _raise_fault(self, method: str) -> None:
        for key in (method, None):
            for fault in self._faults.get(key, ()):
                if fault.fires():
                    raise fault.error

    def _bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _chat(self, chat_id: int) -> JSON:
        if chat_id > 0:
            return {"id": chat_id, "first_name": self.chat_first_name, "type": "private"}
        if chat_id < -1_000_000_000_000:
            return {"id": chat_id, "title": "Fake Supergroup", "type": "supergroup"}
        return {"id": chat_id, "title": "Fake Group", "type": "group"}

    def _message(self, chat_id: int, message_id: int) -> JSON:
        return {
            "message_id": message_id,
            "from": self._bot_user(),
            "chat": self._chat(chat_id),
            "date": int(time.time()),
        }

    def _get_me(self, params: JSON) -> JSON:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "supports_guest_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
            "has_topics_enabled": False,
            "allows_users_to_create_topics": False,
            "can_manage_bots": False,
        }

    def _send_message(self, params: JSON) -> JSON:
        chat_id = _chat_id(params)
        text = _message_text(params)
        markup = _reply_markup(params)
        message_id = self._last_message_ids.get(chat_id, 0) + 1
        self._last_message_ids[chat_id] = message_id
        message = {**self._message(chat_id, message_id), "text": text}
        _set_entities(message, params)
        _set_markup(message, markup)
        self.messages[(chat_id, message_id)] = message
        return message

    def _edit_message_text(self, params: JSON) -> JSON | bool:
        text = _message_text(params)
        markup = _reply_markup(params)
        key = self._target(params, "message to edit")
        if key is None:
            return True
        old = self.messages.get(key)
        new = {**(old or self._message(*key)), "text": text, "edit_date": int(time.time())}
        _set_entities(new, params)
        _set_markup(new, markup)
        return self._store_edit(key, old, new)

    def _edit_message_reply_markup(self, params: JSON) -> JSON | bool:
        markup = _reply_markup(params)
        key = self._target(params, "message to edit")
        if key is None:
            return True
        old = self.messages.get(key)
        new = dict(old or self._message(*key))
        _set_markup(new, markup)
        return self._store_edit(key, old, new)

    def _store_edit(self, key: tuple[int, int], old: JSON | None, new: JSON) -> JSON:
        if old is not None and _content(old) == _content(new):
            raise bad_request(NOT_MODIFIED)
        self.messages[key] = new
        return new

    def _target(self, params: JSON, what: str) -> tuple[int, int] | None:
        if _is_empty(params.get("chat_id")) and not _message_id(params):
            if not _str(params, "inline_message_id"):
                raise bad_request("message identifier is not specified")
            return None
        chat_id = _chat_id(params)
        message_id = _message_id(params)
        if not message_id:
            raise bad_request("message identifier is not specified")
        if (chat_id, message_id) in self._deleted:
            raise bad_request(f"{what} not found")
        return chat_id, message_id

    def _delete_message(self, params: JSON) -> bool:
        if _is_empty(params.get("chat_id")):
            raise bad_request("chat identifier is not specified")
        message_id = _message_id(params)
        if not message_id:
            raise bad_request("message identifier is not specified")
        key = (_chat_id(params), message_id)
        if key in self._deleted:
            raise bad_request("message to delete not found")
        self._forget(key)
        return True

    def _delete_messages(self, params: JSON) -> bool:
        message_ids = _message_ids(params)
        chat_id = _chat_id(params)
        for message_id in message_ids:
            self._forget((chat_id, message_id))
        return True

    def _forget(self, key: tuple[int, int]) -> None:
        self.messages.pop(key, None)
        self._deleted.add(key)

    def _answer_callback_query(self, params: JSON) -> bool:
        query_id = _as_int(_str(params, "callback_query_id"))
        if not query_id:
            raise bad_request(QUERY_ID_INVALID)
        return True

    def _leave_chat(self, params: JSON) -> bool:
        if _chat_id(params) > 0:
            raise bad_request("chat member status can't be changed in private chats")
        return True

    def _send_chat_action(self, params: JSON) -> bool:
        if _str(params, "action").lower() not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        _chat_id(params)
        return True

    def _set_my_commands(self, params: JSON) -> bool:
        commands = _bot_commands(params)
        self._commands[_scope_key(params)] = commands
        return True

    def _get_my_commands(self, params: JSON) -> list[JSON]:
        return self._commands.get(_scope_key(params), [])

    def _delete_my_commands(self, params: JSON) -> bool:
        self._commands.pop(_scope_key(params), None)
        return True

    def _set_chat_menu_button(self, params: JSON) -> bool:
        button = _menu_button(params)
        self.menu_buttons[_menu_chat(params)] = button
        return True

    def _get_chat_menu_button(self, params: JSON) -> JSON:
        chat = _menu_chat(params)
        return self.menu_buttons.get(chat) or self.menu_buttons.get(None) or {"type": "default"}

    def _set_webhook(self, params: JSON) -> Described:
        url = _str(params, "url")
        if not url:
            return self._delete_webhook(params)
        webhook = _webhook(params, url)
        self._set_allowed_updates(params)
        if webhook == self.webhook and not _str(params, "drop_pending_updates"):
            return Described(True, "Webhook is already set")
        self._abort_long_poll("Conflict: terminated by setWebhook request")
        self._drop_pending(params)
        self.webhook = webhook
        return Described(True, "Webhook was set")

    def _delete_webhook(self, params: JSON) -> Described:
        self._drop_pending(params)
        was_set = bool(self.webhook)
        self.webhook = {}
        return Described(True, "Webhook was deleted" if was_set else "Webhook is already deleted")

    def _drop_pending(self, params: JSON) -> None:
        if _str(params, "drop_pending_updates").lower() in ("true", "1"):
            self._updates.clear()

    def _get_webhook_info(self, params: JSON) -> JSON:
        info: JSON = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
            info["ip_address"] = self.webhook["ip_address"]
            # Set by a test, as Telegram reports a delivery that failed (kept until the next).
            for key in ("last_error_date", "last_error_message"):
                if key in self.webhook:
                    info[key] = self.webhook[key]
        if self._allowed_updates != DEFAULT_ALLOWED_UPDATES:
            info["allowed_updates"] = sorted(self._allowed_updates)
        return info

    async def _get_updates(self, params: JSON) -> list[JSON]:
        if self.webhook:
            raise ApiError(409, WEBHOOK_ACTIVE)
        offset = _int_arg(params, "offset", 0, -(2**31), 2**31 - 1)
        limit = _int_arg(params, "limit", MAX_UPDATES_LIMIT, 1, MAX_UPDATES_LIMIT)
        timeout = _int_arg(params, "timeout", 0, 0, LONG_POLL_MAX_TIMEOUT)
        self._set_allowed_updates(params)
        self._confirm(offset)
        updates = self._take(limit)
        if updates or timeout == 0 or self._closing:
            return updates
        return await self._long_poll(limit, timeout)

    async def _long_poll(self, limit: int, timeout: int) -> list[JSON]:
        self._abort_long_poll(OTHER_POLL)
        generation = self._poll_generation
        deadline = time.monotonic() + timeout
        while True:
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), deadline - time.monotonic())
            except TimeoutError:
                return []
            if generation != self._poll_generation:
                raise ApiError(409, self._abort_reason)
            updates = self._take(limit)
            if updates or self._closing:
                return updates

    def _abort_long_poll(self, reason: str) -> None:
        self._poll_generation += 1
        self._abort_reason = reason
        self._wake.set()

    def _enqueue(self, update: JSON) -> JSON:
        update_id = update.get("update_id")
        if not isinstance(update_id, int) or update_id <= self._last_update_id:
            update = {**update, "update_id": self._last_update_id + 1}
        self._last_update_id = update["update_id"]
        self._updates.append(update)
        self._wake.set()
        return update

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()
        while self._updates and self._updates[0]["update_id"] < offset:
            self._updates.popleft()

    def _take(self, limit: int) -> list[JSON]:
        taken: list[JSON] = []
        skipped = False
        for update in self._updates:
            if len(taken) == limit:
                break
            if self._is_allowed(update):
                taken.append(update)
            else:
                skipped = True
        if skipped:
            self._updates = deque(update for update in self._updates if self._is_allowed(update))
        return taken

    def _is_allowed(self, update: JSON) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        return kind in self._allowed_updates or kind not in UPDATE_TYPES

    def _set_allowed_updates(self, params: JSON) -> None:
        value = _json_param(params, "allowed_updates", "allowed_updates", strict=False)
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            return
        names = frozenset(name.lower() for name in value) & UPDATE_TYPES
        self._allowed_updates = names or DEFAULT_ALLOWED_UPDATES


async def _run(action: Callable[[], T]) -> T:
    return action()


def _hang_up(request: web.BaseRequest) -> web.Response:
    """Close the connection unanswered (aiohttp writes nothing to a closed transport)."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=499)


def _route(path: str) -> tuple[str, str] | None:
    if not path.startswith("/bot"):
        return None
    token, slash, method = path[4:].partition("/")
    if not slash or not method or "/" in method:
        return None
    return token, method


async def _read_params(request: web.BaseRequest) -> JSON:
    params: JSON = {name: _form_value(name, value) for name, value in request.query.items()}
    if request.content_type == "application/json":
        body = await request.read()
        data = _parse_json_body(body) if body else {}
        params.update(data)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        params.update({name: _form_value(name, value) for name, value in form.items()})
    return params


def _parse_json_body(body: bytes) -> JSON:
    try:
        data = json.loads(body)
    except ValueError:
        raise bad_request("can't parse JSON object") from None
    if not isinstance(data, dict):
        raise bad_request("JSON object expected")
    return data


def _form_value(name: str, value: Any) -> Any:
    if isinstance(value, web.FileField):
        return value.file.read()
    if name in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _ok_response(result: Any) -> web.Response:
    body: JSON = {"ok": True, "result": result}
    if isinstance(result, Described):
        body = {"ok": True, "result": result.result, "description": result.description}
    return web.Response(body=ENCODE(body).encode(), content_type="application/json")


def _error_response(error: ApiError) -> web.Response:
    headers = {} if error.retry_after is None else {"Retry-After": str(error.retry_after)}
    return web.Response(
        body=ENCODE(error.body()).encode(),
        status=error.status,
        content_type="application/json",
        headers=headers,
    )


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and INTEGER.fullmatch(value.strip()):
        return int(value)
    return None


def _is_empty(value: Any) -> bool:
    return value is None or value == ""


def _str(params: JSON, name: str) -> str:
    value = params.get(name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def _int_arg(params: JSON, name: str, default: int, low: int, high: int) -> int:
    value = params.get(name)
    number = default if _is_empty(value) else _as_int(value) or 0
    return max(low, min(high, number))


def _json_param(params: JSON, name: str, what: str, *, strict: bool = True) -> Any:
    value = params.get(name)
    if not isinstance(value, str):
        return value
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        if strict:
            raise bad_request(f"can't parse {what} JSON object") from None
        return None


def _chat_id(params: JSON) -> int:
    value = params.get("chat_id")
    if _is_empty(value):
        raise bad_request("chat_id is empty")
    chat_id = _as_int(value)
    if not chat_id:
        raise bad_request("chat not found")
    return chat_id


def _message_id(params: JSON) -> int:
    return max(_as_int(params.get("message_id")) or 0, 0)


def _message_ids(params: JSON) -> list[int]:
    value = _json_param(params, "message_ids", "message_ids")
    if value is None or value == []:
        raise bad_request("message identifiers are not specified")
    if not isinstance(value, list):
        raise bad_request("expected an Array of message identifiers")
    if len(value) > MAX_DELETED_MESSAGES:
        raise bad_request("too many message identifiers specified")
    message_ids = [_as_int(item) for item in value]
    if any(message_id is None for message_id in message_ids):
        raise bad_request("message identifier must be a Number")
    if any(message_id is not None and message_id <= 0 for message_id in message_ids):
        raise bad_request("invalid message identifier specified")
    return [message_id for message_id in message_ids if message_id is not None]


def _message_text(params: JSON) -> str:
    if _str(params, "parse_mode").lower() not in PARSE_MODES:
        raise bad_request("unsupported parse_mode")
    text = _str(params, "text").strip()
    if not text:
        raise bad_request("message text is empty")
    if len(text) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return text


def _set_entities(message: JSON, params: JSON) -> None:
    entities = _json_param(params, "entities", "entities")
    if isinstance(entities, list) and entities:
        message["entities"] = entities
    else:
        message.pop("entities", None)


def _set_markup(message: JSON, markup: JSON | None) -> None:
    rows = (markup or {}).get("inline_keyboard")
    if rows:
        message["reply_markup"] = {"inline_keyboard": rows}
    else:
        message.pop("reply_markup", None)


def _content(message: JSON) -> tuple[Any, ...]:
    return message.get("text"), message.get("entities"), message.get("reply_markup")


def _reply_markup(params: JSON) -> JSON | None:
    markup = _json_param(params, "reply_markup", "reply keyboard markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("object expected as reply markup")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    for row in rows:
        for button in row:
            _check_inline_button(button)
    return markup


def _check_inline_button(button: Any) -> None:
    context = "can't parse inline keyboard button"
    if not isinstance(button, dict):
        raise bad_request(f"{context}: InlineKeyboardButton must be an Object")
    _field(button, "text", context)
    url = _optional_field(button, "url", context)
    if url:
        _check_button_url(url)
        return
    data = _optional_field(button, "callback_data", context)
    if data:
        if len(data.encode()) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
        return
    if not any(action in button for action in OTHER_BUTTON_ACTIONS):
        raise bad_request(f"{context}: Text buttons are unallowed in the inline keyboard")


def _check_button_url(url: str) -> None:
    scheme = URL_SCHEME.match(url)
    if scheme and scheme.group(1).lower() not in BUTTON_URL_SCHEMES:
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: {UNSUPPORTED_URL}")


def _field(obj: JSON, name: str, context: str) -> str:
    value = _optional_field(obj, name, context)
    if value is None:
        raise bad_request(f'{context}: Can\'t find field "{name}"')
    return value


def _optional_field(obj: JSON, name: str, context: str) -> str | None:
    value = obj.get(name)
    if value is not None and not isinstance(value, str):
        raise bad_request(f'{context}: Field "{name}" must be of type String')
    return value


def _bot_commands(params: JSON) -> list[JSON]:
    commands = _json_param(params, "commands", "commands")
    if commands is None:
        return []
    if not isinstance(commands, list):
        raise bad_request("expected an Array of BotCommand")
    for command in commands:
        _check_bot_command(command)
    return [{"command": c["command"], "description": c["description"]} for c in commands]


def _check_bot_command(command: Any) -> None:
    context = "can't parse BotCommand"
    if not isinstance(command, dict):
        raise bad_request(f"{context}: expected an Object")
    name = _field(command, "command", context)
    description = _field(command, "description", context)
    if not COMMAND.fullmatch(name):
        raise bad_request("BOT_COMMAND_INVALID")
    if not description.strip():
        raise bad_request("command description must be non-empty")


def _scope_key(params: JSON) -> tuple[str, str, int, str]:
    scope = _json_param(params, "scope", "BotCommandScope") or {"type": "default"}
    context = "can't parse BotCommandScope"
    if not isinstance(scope, dict):
        raise bad_request(f"{context}: BotCommandScope must be an Object")
    kind = _field(scope, "type", context)
    if kind not in COMMAND_SCOPES:
        raise bad_request(f"{context}: Unsupported type specified")
    chat_id = "" if scope.get("chat_id") is None else str(scope["chat_id"])
    if kind.startswith("chat") and not chat_id:
        raise bad_request(f"{context}: Empty chat_id specified")
    user_id = _as_int(scope.get("user_id")) or 0
    return kind, chat_id, user_id, _str(params, "language_code")


def _menu_button(params: JSON) -> JSON:
    button = _json_param(params, "menu_button", "menu button")
    if button is None:
        return {"type": "default"}
    context = "can't parse menu button"
    if not isinstance(button, dict):
        raise bad_request(f"{context}: MenuButton must be an Object")
    kind = _field(button, "type", context)
    if kind not in MENU_BUTTON_TYPES:
        raise bad_request(f"{context}: MenuButton has unsupported type")
    if kind == "web_app":
        _field(button, "text", context)
        if not isinstance(button.get("web_app"), dict):
            raise bad_request(f'{context}: Can\'t find field "web_app"')
    return button


def _menu_chat(params: JSON) -> int | None:
    if "chat_id" not in params:
        return None
    user_id = _as_int(params["chat_id"])
    if not user_id or user_id < 0:
        raise bad_request("invalid chat_id specified")
    return user_id


def _webhook(params: JSON, url: str) -> JSON:
    parts = urlsplit(url if "://" in url else f"https://{url}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise bad_request("bad webhook: invalid webhook URL specified") from None
    if parts.scheme != "https":
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if port not in WEBHOOK_PORTS:
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    secret_token = _str(params, "secret_token")
    if len(secret_token) > MAX_SECRET_TOKEN_LENGTH:
        raise bad_request("secret token is too long")
    if not SECRET_TOKEN.fullmatch(secret_token):
        raise bad_request("secret token contains unallowed characters")
    return {
        "url": url,
        "max_connections": _int_arg(params, "max_connections", 40, 1, 100),
        "ip_address": _str(params, "ip_address") or "127.0.0.1",
        "secret_token": secret_token,
    }
