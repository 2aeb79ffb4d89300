"""The README's set-up: `make run` serves the web chat; `.ci/run` fails when no test runs."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from tests.support.server import REPO, free_port


def test_make_run_answers_healthz(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUTOKAZ_")}
    env |= {"PUTOKAZ_PORT": str(port), "PUTOKAZ_DATA": str(tmp_path / "var")}
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                url = f"http://127.0.0.1:{port}/healthz"
                with urllib.request.urlopen(url, timeout=1) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert process.poll() is None, "make run exited"
                assert time.monotonic() < deadline, "make run did not answer /healthz"
                time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    assert (tmp_path / "var" / "pepper").is_file()


def test_ci_treats_an_empty_test_run_as_a_failure() -> None:
    script = (REPO / ".ci" / "run").read_text()
    assert "make test" in script
    assert '"$status" -eq 5' in script
