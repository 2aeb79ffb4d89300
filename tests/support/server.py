"""Start `putokaz serve` as a real process for tests and benchmarks, and stop it.

The server's log goes to a file the privacy tests scan afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "server.log"

    def start(self, timeout: float = 20.0) -> ServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("PUTOKAZ_")} | {
            "PUTOKAZ_DATA": str(self.data_dir),
            "PUTOKAZ_PORT": str(self.port),
            "PUTOKAZ_HOST": "127.0.0.1",
            "PUTOKAZ_LOG_FILE": str(self.log_file),
            "PUTOKAZ_EXIT_URL": "about:blank",
        }
        env.update(self.env)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve"],
            cwd=self.data_dir,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(self.data_dir / "server.stderr", "wb"),  # noqa: SIM115
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"putokaz serve exited early:\n{self.stderr()}")
            try:
                health = f"{self.url}/healthz"  # always http://127.0.0.1
                with urllib.request.urlopen(health, timeout=1) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"putokaz serve did not answer /healthz in {timeout}s:\n{self.stderr()}")

    def stderr(self) -> str:
        path = self.data_dir / "server.stderr"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would: no shutdown code runs."""
        if self.process is None:
            return
        self.process.kill()
        self.process.wait()
        self.process = None

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
