"""Prometheus metrics of one running app, in its own registry: counts and timings, never a person.

Every label value comes from a fixed set in this module; anything else is counted under
"other", so no platform id, text, token or URL can ever become a label.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import product

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

OTHER = "other"
CHANNELS = ("telegram", "viber", "webchat")
OUTCOMES = ("answered", "ignored", "dropped", "given_up", "deferred", "refused", "failed")
"""What became of an update (duplicates are counted apart): answered; ignored (nothing to
do, e.g. a group or a delivery receipt); dropped (the person blocked the bot or left: the
session is deleted); given_up (the reply kept failing, the delivery is closed); deferred
(the reply could not be sent yet: answered 503 so the platform delivers it again);
refused (bad secret, signature, size or JSON); failed (an error in Putokaz itself)."""
PLATFORMS = ("telegram", "viber")
METHODS = (
    # Telegram Bot API
    "sendMessage",
    "editMessageText",
    "deleteMessages",
    "answerCallbackQuery",
    "leaveChat",
    "getUpdates",
    "getMe",
    "getWebhookInfo",
    "setWebhook",
    "deleteWebhook",
    "setMyCommands",
    # Viber REST bot API
    "send_message",
    "set_webhook",
    "get_account_info",
)
HTTP_STATUSES = ("400", "401", "403", "404", "409", "429", "500", "502", "503", "504")
FAILURES = ("timeout", "network")
"""Failures without an HTTP status: no answer in time, no connection."""
VIBER_STATUSES = (
    "invalidUrl",
    "invalidAuthToken",
    "badData",
    "missingData",
    "receiverNotRegistered",
    "receiverNotSubscribed",
    "publicAccountBlocked",
    "publicAccountNotFound",
    "publicAccountSuspended",
    "webhookNotSet",
    "receiverNoSuitableDevice",
    "tooManyRequests",
    "apiVersionNotSupported",
    "incompatibleWithVersion",
    "publicAccountNotAuthorized",
    "inchatReplyMessageNotAllowed",
    "publicAccountIsNotInline",
    "noPublicChat",
    "cannotSendBroadcast",
    "broadcastNotAllowed",
    "unsupportedCountry",
    "paymentUnsupported",
    "freeMessagesExceeded",
    "noBalance",
    "generalError",
)
"""Viber answers HTTP 200 with one of these status names (bot/channels/viber/api.py)."""
RETRY_REASONS = ("rate_limited", "server_error", "timeout", "network")
PUBLISH_KINDS = ("publish", "rollback")
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Seconds; the speed budget is ~0.6 ms of CPU per update, a platform round trip ~50-300 ms."""

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
"""The classic text format every Prometheus reads; our names need nothing newer."""


def _with_other(values: Iterable[str]) -> tuple[str, ...]:
    return (*values, OTHER)


class Metrics:
    """The counters one app updates; label children are made up front, so an increment is a
    dict lookup and an add (see tests/bench/metrics_bench.py)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self._updates = Counter(
            "putokaz_updates",
            "Platform updates and web chat requests, by channel and what became of them.",
            ["channel", "outcome"],
            registry=r,
        )
        self._latency = Histogram(
            "putokaz_reply_seconds",
            "Time from reading the session to saving it, the reply's platform calls included.",
            ["channel"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self._errors = Counter(
            "putokaz_platform_errors",
            "Failed platform API calls (each try), by platform, method and HTTP status or kind.",
            ["platform", "method", "status"],
            registry=r,
        )
        self._retries = Counter(
            "putokaz_platform_retries",
            "Platform API calls tried again, by platform, method and why.",
            ["platform", "method", "reason"],
            registry=r,
        )
        self._duplicates = Counter(
            "putokaz_duplicates",
            "Deliveries seen before (platform redelivery), answered no second time.",
            ["channel"],
            registry=r,
        )
        self._handoffs = Counter(
            "putokaz_handoffs", "Hand-off codes shown to a person.", ["channel"], registry=r
        )
        self._quick_exits = Counter(
            "putokaz_quick_exits", "Quick exits taken.", ["channel"], registry=r
        )
        self._publishes = Counter(
            "putokaz_publishes",
            "Content versions published or rolled back by staff.",
            ["kind"],
            registry=r,
        )
        self.sessions = Gauge(
            "putokaz_sessions_active",
            "Sessions in the store now (a count only; read when /metrics is scraped).",
            registry=r,
        )
        channels, platforms = _with_other(CHANNELS), _with_other(PLATFORMS)
        self._update_children = {
            key: self._updates.labels(*key) for key in product(channels, _with_other(OUTCOMES))
        }
        self._latency_children = {c: self._latency.labels(c) for c in channels}
        self._duplicate_children = {c: self._duplicates.labels(c) for c in channels}
        self._handoff_children = {c: self._handoffs.labels(c) for c in channels}
        self._quick_exit_children = {c: self._quick_exits.labels(c) for c in channels}
        self._publish_children = {k: self._publishes.labels(k) for k in _with_other(PUBLISH_KINDS)}
        self._methods = frozenset(METHODS)
        self._statuses = frozenset((*HTTP_STATUSES, *FAILURES, *VIBER_STATUSES))
        self._reasons = frozenset(RETRY_REASONS)
        self._platforms = frozenset(platforms)
        # Error and retry children are made on first use (platform x method x status is
        # large); their label values are still only members of the sets above.

    def update(self, channel: str, outcome: str) -> None:
        child = self._update_children.get((channel, outcome))
        if child is None:
            child = self._update_children[(_one_of(channel, CHANNELS), _one_of(outcome, OUTCOMES))]
        child.inc()

    def latency(self, channel: str, seconds: float) -> None:
        """How long one turn took, from reading the session to saving it."""
        (self._latency_children.get(channel) or self._latency_children[OTHER]).observe(seconds)

    def duplicate(self, channel: str) -> None:
        (self._duplicate_children.get(channel) or self._duplicate_children[OTHER]).inc()

    def handoff(self, channel: str) -> None:
        (self._handoff_children.get(channel) or self._handoff_children[OTHER]).inc()

    def quick_exit(self, channel: str) -> None:
        (self._quick_exit_children.get(channel) or self._quick_exit_children[OTHER]).inc()

    def publish(self, kind: str) -> None:
        (self._publish_children.get(kind) or self._publish_children[OTHER]).inc()

    def platform_error(self, platform: str, method: str, status: int | str) -> None:
        """One failed try of a platform call: an HTTP status, a Viber status name, or one of
        FAILURES."""
        self._errors.labels(
            self._pick(platform, self._platforms),
            self._pick(method, self._methods),
            self._pick(str(status), self._statuses),
        ).inc()

    def retry(self, platform: str, method: str, reason: str) -> None:
        self._retries.labels(
            self._pick(platform, self._platforms),
            self._pick(method, self._methods),
            self._pick(reason, self._reasons),
        ).inc()

    def exposition(self, active_sessions: int | None = None) -> bytes:
        """The registry in Prometheus text format; the session count set first when known."""
        if active_sessions is not None:
            self.sessions.set(active_sessions)
        return generate_latest(self.registry)

    @staticmethod
    def _pick(value: str, allowed: frozenset[str]) -> str:
        return value if value in allowed else OTHER


def _one_of(value: str, allowed: tuple[str, ...]) -> str:
    return value if value in allowed else OTHER
