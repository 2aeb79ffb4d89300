"""Run an async fake server in a background thread with its own event loop.

Sync tests (the bot under test runs as a separate process) use the fakes this way.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable, Iterator


@contextlib.contextmanager
def serve_in_thread(
    start: Callable[[], Awaitable[object]], stop: Callable[[], Awaitable[object]], name: str
) -> Iterator[None]:
    """Start with `start()` on a fresh loop in a thread; `stop()` and join on exit."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name=name, daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)  # type: ignore[arg-type]
        yield
    finally:
        asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=10)  # type: ignore[arg-type]
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
