"""Build the running parts from a `Config`: flows with catalogs, store, isolation, pseudonyms.

Shared by `putokaz serve`, `putokaz chat`, tests and benchmarks.
"""

from __future__ import annotations

from bot.config import Config
from bot.engine import Flows, load_dir
from bot.store.base import Store
from bot.store.content_versions import ContentVersions
from bot.store.isolation import Isolation, MemoryIsolation
from bot.store.pseudonym import Pseudonymizer, load_pepper


def load_flows(config: Config) -> Flows:
    """Flows from `config.flows_dir`, translated with the catalogs in `config.locales_dir`."""
    flows = load_dir(config.flows_dir)
    try:
        from bot.i18n.catalogs import attach_catalogs
    except ImportError:
        return flows
    return attach_catalogs(flows, config.locales_dir)


def open_store(config: Config) -> Store:
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
    return Pseudonymizer(load_pepper(config.data_dir, config.pepper))
