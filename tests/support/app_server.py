"""The whole web app in this process, on a real port, from a background thread.

Same face as `ServerProcess` (url, data_dir, log_file) for tests where the process
boundary is not what is tested: `create_app(config, services)` with the session's
flows, no interpreter start-up and no catalog compile per server.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from bot.config import load_config
from bot.service.runtime import Services
from bot.web.app import create_app
from tests.support.server import free_port


@dataclass
class AppServer:
    """`create_app` served on 127.0.0.1 by an aiohttp runner in its own thread and loop."""

    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    services: Services = field(default_factory=Services)
    port: int = field(default_factory=free_port)
    process: None = None
    """No process: kept so helpers written for ServerProcess read the same."""
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _runner: web.AppRunner | None = None
    _handler: logging.Handler | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "server.log"

    def stderr(self) -> str:
        """Nothing: in this process every log record of the app's thread is in log_file."""
        return ""

    def start(self) -> AppServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {
            "PUTOKAZ_DATA": str(self.data_dir),
            "PUTOKAZ_PORT": str(self.port),
            "PUTOKAZ_HOST": "127.0.0.1",
            "PUTOKAZ_EXIT_URL": "about:blank",
        } | self.env
        config = load_config(env=env)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="app", daemon=True)
        self._thread.start()
        # This server's lines only: another one may run in this process at the same time.
        self._handler = logging.FileHandler(self.log_file, encoding="utf-8")
        self._handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        self._handler.addFilter(_FromThread(self._thread.ident))
        logging.getLogger().addHandler(self._handler)
        logging.getLogger("putokaz").setLevel(logging.INFO)
        self._call(self._serve(create_app(config, self.services)))
        return self

    async def _serve(self, app: web.Application) -> None:
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    def _call(self, coroutine: object) -> None:
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=30)  # type: ignore[arg-type]

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        if self._runner is not None:
            self._call(self._runner.cleanup())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
        self._loop = self._thread = self._runner = None
        if self._handler is not None:
            logging.getLogger().removeHandler(self._handler)
            self._handler.close()

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _FromThread(logging.Filter):
    def __init__(self, ident: int | None) -> None:
        super().__init__()
        self.ident = ident

    def filter(self, record: logging.LogRecord) -> bool:
        return record.thread == self.ident
