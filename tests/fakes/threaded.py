"""The lifecycle the fake platform servers share: `async with`, or a background thread
with its own event loop for sync tests (the bot under test runs as a separate process).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Self


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


class LocalServer:
    """A server on 127.0.0.1 that subclasses start() and close()."""

    thread_name = "fake-server"

    async def start(self) -> object:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @contextlib.contextmanager
    def run_in_thread(self) -> Iterator[Self]:
        """Serve from a background thread with its own event loop, for sync tests."""
        with serve_in_thread(self.start, self.close, self.thread_name):
            yield self
