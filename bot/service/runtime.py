"""Build the running parts from a `Config`: flows with catalogs, store, pseudonyms, service.

Shared by `putokaz serve`, `putokaz chat`, tests and benchmarks; any part can be handed
in instead (`Services`), so tests run the whole app in-process on a memory store.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp

from bot.config import Config
from bot.engine import Flows, load_dir
from bot.i18n.catalogs import attach_catalogs
from bot.metrics import Metrics
from bot.service.conversations import Conversations
from bot.service.handoff import Handoffs
from bot.store.base import Store
from bot.store.content_versions import ContentVersions
from bot.store.isolation import Isolation, MemoryIsolation
from bot.store.pseudonym import Pseudonymizer, load_pepper


@dataclass(frozen=True)
class Services:
    """Parts to use instead of the ones the config describes; None builds the usual one."""

    flows: Flows | None = None
    store: Store | None = None
    clock: Callable[[], float] | None = None
    http: aiohttp.ClientSession | None = None
    """The one HTTP client for platform calls; its owner closes it."""
    isolation: Isolation | None = None


def load_flows(config: Config) -> Flows:
    """Flows from `config.flows_dir`, translated with the catalogs in `config.locales_dir`."""
    return attach_catalogs(load_dir(config.flows_dir), config.locales_dir)


def open_store(config: Config) -> Store:
    """The Redis store when PUTOKAZ_REDIS_URL is set, else SQLite in the data folder."""
    if config.redis_url:
        from bot.store.redis import RedisStore

        return RedisStore(config.redis_url, ttl=config.session_ttl)
    from bot.store.sqlite import SQLiteStore

    return SQLiteStore(config.database, ttl=config.session_ttl)


async def check_store(store: Store, pseudonyms: Pseudonymizer) -> None:
    """Refuse to start beside replicas that would give one person other session keys."""
    from bot.store.redis import RedisStore

    if isinstance(store, RedisStore):
        await store.claim_pepper(pseudonyms.fingerprint())


def open_isolation(config: Config) -> Isolation:
    """Per-person ordering: across replicas through Redis when it is shared, else in memory."""
    if config.redis_url:
        from bot.store.redis_isolation import RedisIsolation

        return RedisIsolation(config.redis_url)
    return MemoryIsolation()


def open_content_versions(config: Config) -> ContentVersions:
    """The published-content number: in Redis (with a notice) when it is shared, else SQLite."""
    if config.redis_url:
        from bot.store.content_versions import RedisContentVersions

        return RedisContentVersions(config.redis_url)
    from bot.store.content_versions import SQLiteContentVersions

    return SQLiteContentVersions(config.database)


def pseudonymizer(config: Config) -> Pseudonymizer:
    """HMAC pseudonyms with the pepper from PUTOKAZ_PEPPER or the data folder."""
    return Pseudonymizer(load_pepper(config.data_dir, config.pepper))


def conversations_for(config: Config, services: Services | None = None) -> Conversations:
    """The service with the given parts, the others built from `config`."""
    given = services or Services()
    return Conversations(
        given.flows if given.flows is not None else load_flows(config),
        given.store if given.store is not None else open_store(config),
        pseudonymizer(config),
        clock=given.clock or time.time,
        handoffs=Handoffs(),
        isolation=given.isolation or open_isolation(config),
        metrics=Metrics(),
    )
