"""Where sessions and delivery ids live: memory, SQLite (default) or Redis.

Every implementation passes the same conformance tests (tests/store/).
"""

from bot.store.base import Store
from bot.store.pseudonym import Pseudonymizer, SessionKey, load_pepper

__all__ = ["Pseudonymizer", "SessionKey", "Store", "load_pepper"]
